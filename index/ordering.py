"""The date and OCR orders as one integer per article, for any engine's sort column.

Newest and oldest first both list undated articles last and break ties by article id, so
a page of results is a stable slice of one order across rebuilds; best OCR first lists
items without a confidence last, likewise. One integer per order lets an engine sort on a
single column instead of comparing three keys per document."""

from __future__ import annotations

import datetime as dt
import string

_TIE_BITS = 40  # ten hex digits of an article id; other ids use their first five bytes
_DAY_BITS = 22  # date.toordinal() < 2**22 for every representable date
_UNDATED = 1 << (_TIE_BITS + _DAY_BITS)
_HEX = frozenset(string.hexdigits.lower())


def _tie(article_id: str) -> int:
    """An integer that sorts like the id (exactly, for the first ten hex digits)."""
    head = article_id[:10]
    if len(head) == 10 and set(head) <= _HEX:
        return int(head, 16)
    return int.from_bytes(article_id.encode("utf-8")[:5].ljust(5, b"\0"), "big")


def sort_keys(date: dt.date | None, article_id: str) -> tuple[int, int]:
    """(newest-first key, oldest-first key); ascending order of each is the listing."""
    tie = _tie(article_id)
    if date is None:
        return _UNDATED | tie, _UNDATED | tie
    day = date.toordinal()
    newest = ((1 << _DAY_BITS) - 1 - day) << _TIE_BITS | tie
    return newest, day << _TIE_BITS | tie


_CONFIDENCE_STEPS = 10_000  # confidence to 1/10,000: finer than any OCR engine reports
_NO_CONFIDENCE = _CONFIDENCE_STEPS + 1
# Sort name -> the index column holding its key (the `ocr` facet is another field).
SORT_COLUMNS = {"newest": "newest", "oldest": "oldest", "ocr": "ocr_order"}


def ocr_key(confidence: float | None, article_id: str) -> int:
    """The best-OCR-first key; ascending order is the listing: highest confidence first,
    items without one (typed text) last, ties by article id as in the date orders."""
    tie = _tie(article_id)
    if confidence is None or confidence != confidence:  # None or NaN
        return _NO_CONFIDENCE << _TIE_BITS | tie
    steps = round(min(1.0, max(0.0, confidence)) * _CONFIDENCE_STEPS)
    return (_CONFIDENCE_STEPS - steps) << _TIE_BITS | tie
