"""The date-order keys sort exactly like (undated last, date, then id)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from index.ordering import sort_keys

HEX_IDS = st.text("0123456789abcdef", min_size=12, max_size=12)
DATES = st.none() | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@given(st.lists(st.tuples(DATES, HEX_IDS), unique_by=lambda a: a[1], max_size=40))
def test_keys_sort_like_the_listing(items):
    def expected(newest: bool):
        dated = sorted((d, i) for d, i in items if d is not None)
        if newest:
            dated.sort(key=lambda a: (-a[0].toordinal(), a[1]))
        return [i for _, i in dated] + sorted(i for d, i in items if d is None)

    by_newest = sorted(items, key=lambda a: sort_keys(*a)[0])
    by_oldest = sorted(items, key=lambda a: sort_keys(*a)[1])
    assert [i for _, i in by_newest] == expected(newest=True)
    assert [i for _, i in by_oldest] == expected(newest=False)


def test_keys_fit_a_64_bit_column():
    for day in (dt.date.min, dt.date.max, None):
        assert all(0 <= key < 2**64 for key in sort_keys(day, "ffffffffffff"))
        assert all(0 <= key < 2**64 for key in sort_keys(day, "zzzzzzzz-not-hex"))


def test_other_ids_sort_by_their_first_five_characters():
    day = dt.date(2017, 11, 5)
    assert sort_keys(day, "1same")[0] < sort_keys(day, "2same")[0]
