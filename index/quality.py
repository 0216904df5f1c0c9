"""Kinds of item and OCR quality as the index holds them: the `kind` and `ocr` facet values,
the OCR levels an item reaches, and their plain-English names (shared by both engines,
the request descriptions and the site)."""

from __future__ import annotations

import math

from archive.model import KINDS

# The `ocr` facet holds, for each item with an OCR confidence, every level it reaches:
# `ocr=80` keeps the items whose OCR is 80% or better (a minimum, as a researcher asks
# for it), and each level's count says how many items that minimum keeps. Best first.
OCR_LEVELS = ("90", "80", "70", "60", "50")
KIND_PLURALS = {"article": "articles", "advertisement": "advertisements",
                "notice": "notices", "other": "other items"}
KIND_NAMES = {"article": "article", "advertisement": "advertisement", "notice": "notice",
              "other": "other item"}
assert set(KIND_PLURALS) == set(KINDS) == set(KIND_NAMES)


def ocr_percent(confidence: float | None) -> int | None:
    """A confidence (0..1) as whole per cent, rounded down: an item shown as 80% is
    always among those `ocr=80` keeps (rounding 0.796 up to 80% would not be)."""
    if confidence is None or math.isnan(confidence):
        return None
    # the small epsilon keeps 0.29 (28.999999999999996 per cent) at 29
    return max(0, min(100, math.floor(confidence * 100 + 1e-9)))


def ocr_levels(confidence: float | None) -> tuple[str, ...]:
    """The OCR_LEVELS an item of this confidence reaches (none without a confidence)."""
    percent = ocr_percent(confidence)
    if percent is None:
        return ()
    return tuple(level for level in OCR_LEVELS if percent >= int(level))


def ocr_minimum(levels: tuple[str, ...] | list[str]) -> int | None:
    """The lowest valid level among selected ones (several levels combine with OR, so the
    lowest decides), or None when none is valid."""
    found = [int(level) for level in levels if level in OCR_LEVELS]
    return min(found) if found else None


def ocr_band(confidence: float | None) -> str | None:
    """The best level an item reaches (its one value where an engine counts bands)."""
    levels = ocr_levels(confidence)
    return levels[0] if levels else None


def cumulative(bands: dict[str, int]) -> dict[str, int]:
    """Counts per best level reached -> counts per level reached (the `ocr` facet): an
    item of band 90 is counted under 90, 80, 70, 60 and 50."""
    counts, running = {}, 0
    for level in OCR_LEVELS:  # best first: each level adds the items of its own band
        running += bands.get(level, 0)
        if running:
            counts[level] = running
    return counts
