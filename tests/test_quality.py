"""OCR levels, per cent shown and the best-OCR-first key (index.quality, index.ordering)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.ordering import ocr_key
from index.quality import OCR_LEVELS, cumulative, ocr_band, ocr_levels, ocr_minimum, ocr_percent

HEX_IDS = st.text("0123456789abcdef", min_size=12, max_size=12)
CONFIDENCES = st.none() | st.floats(0, 1) | st.sampled_from([0.8, 0.9, 0.29, 0.57, 1.0, 0.0])


def test_levels_and_percent_on_the_boundaries():
    assert ocr_levels(0.9) == ("90", "80", "70", "60", "50")
    assert ocr_levels(0.8) == ("80", "70", "60", "50")
    assert ocr_levels(0.7999) == ("70", "60", "50")
    assert ocr_levels(0.49) == ()
    assert ocr_levels(None) == ()
    assert (ocr_percent(0.29), ocr_percent(0.57), ocr_percent(0.999), ocr_percent(1.0)) == (
        29, 57, 99, 100)
    assert ocr_percent(None) is None and ocr_percent(float("nan")) is None


@given(CONFIDENCES)
def test_the_per_cent_shown_agrees_with_the_levels(confidence):
    """An item shown as N% is kept by exactly the levels up to N."""
    percent = ocr_percent(confidence)
    levels = ocr_levels(confidence)
    if percent is None:
        assert levels == ()
    else:
        assert 0 <= percent <= 100
        assert levels == tuple(v for v in OCR_LEVELS if int(v) <= percent)


def test_several_levels_mean_the_lowest():
    assert ocr_minimum(["90", "70"]) == 70
    assert ocr_minimum(["85", "nonsense"]) is None
    assert ocr_minimum([]) is None


@given(st.lists(st.tuples(CONFIDENCES, HEX_IDS), unique_by=lambda a: a[1], max_size=40))
def test_key_sorts_best_first_unscored_last_ties_by_id(items):
    expected = sorted((c, i) for c, i in items if c is not None)
    expected.sort(key=lambda a: (-round(a[0] * 10_000), a[1]))
    expected_ids = [i for _, i in expected] + sorted(i for c, i in items if c is None)
    assert [i for _, i in sorted(items, key=lambda a: ocr_key(*a))] == expected_ids


def test_key_fits_a_signed_64_bit_column():
    assert 0 <= ocr_key(1.0, "0" * 12) < ocr_key(None, "f" * 12) < 2**63
    assert ocr_key(None, "\uffff" * 12) < 2**63


@given(st.lists(CONFIDENCES, max_size=30))
def test_level_counts_are_sums_of_best_levels(confidences):
    """tantivy counts each hit's one best level and sums: the same as counting levels."""
    bands: dict[str, int] = {}
    levels: dict[str, int] = {}
    for confidence in confidences:
        if (band := ocr_band(confidence)) is not None:
            bands[band] = bands.get(band, 0) + 1
        for level in ocr_levels(confidence):
            levels[level] = levels.get(level, 0) + 1
    assert cumulative(bands) == levels
