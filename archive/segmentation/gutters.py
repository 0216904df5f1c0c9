"""Gutters inside an OCR block: where the OCR ran two or more columns of type together
(one TextBlock, even one TextLine, holding words of neighbouring columns), the words
themselves still stand in columns, and a strip of the block that (nearly) no word covers,
from its top to its bottom, is the white of a gutter. The block is then read column by
column, as it was printed, not line by line across the columns.

Only wide strips between wide runs of text count: the aligned spaces of a table (figures
in columns a few characters wide) or of a narrow list are not gutters."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from archive.layout import Line

MIN_LINES = 8  # a block of fewer lines cannot show a gutter running its height
MIN_COLUMN = 8.0  # line heights: the narrowest column of running text (some 16 ems)
MIN_GUTTER = 0.35  # line heights: the narrowest white strip taken for a gutter
CROSSING = 0.02  # share of the block's lines whose words may cross a gutter (OCR specks)
MIN_SIDE = 0.15  # share of the block's words each side of a gutter holds at least
STEP = 0.25  # line heights: the resolution of the search
SAMPLE = 12  # lines: a block's first lines, looked at before all of a long block's words


def gutters(lines: Sequence[Line], unit: float) -> list[float]:
    """The x positions of the gutters of a block (none for a block of one column)."""
    if len(lines) < MIN_LINES or unit <= 0:
        return []
    boxes = [line.box for line in lines if line.box is not None]
    if not boxes:
        return []
    left, right = min(b.left for b in boxes), max(b.right for b in boxes)
    if right - left < 2 * MIN_COLUMN * unit:
        return []  # too narrow to hold two columns of text (most blocks: cheap to see)
    allowed = max(1, int(CROSSING * len(lines)))
    if len(lines) > 2 * SAMPLE and not _strips(_spans(lines[:SAMPLE]), left, right, unit,
                                               allowed, clip=True):
        return []  # a strip clear in all the lines lies in one clear in the first ones
    spans = _spans(lines)
    if len(spans) < 2 * MIN_LINES:
        return []
    middles = spans.mean(axis=1)
    found: list[float] = []
    edge = left
    for a, b in _strips(spans, left, right, unit, allowed):
        if a - edge < MIN_COLUMN * unit:
            continue
        middle = (a + b) / 2
        before = np.count_nonzero((middles >= edge) & (middles < middle))
        after = np.count_nonzero(middles > middle)
        if before >= MIN_SIDE * len(spans) and after >= MIN_SIDE * len(spans):
            found.append(middle)
            edge = middle
    return found


def _spans(lines: Sequence[Line]) -> np.ndarray:
    """The (left, right) of every word with a box, as an array of two columns."""
    # a flat list of numbers: numpy reads it many times faster than a list of pairs
    return np.array([edge for line in lines for w in line.words
                     if (box := w.box) is not None and box.right > box.left
                     for edge in (box.left, box.right)], dtype=float).reshape(-1, 2)


def _strips(spans: np.ndarray, left: float, right: float, unit: float, allowed: int,
            clip: bool = False) -> list[tuple[float, float]]:
    """The strips (from, to) between left and right, MIN_GUTTER wide at least, that no
    more than `allowed` of the words cross, a column's width or more from either edge
    (with clip, the parts of wider strips that lie so far from the edges)."""
    if not len(spans):
        return []
    step = STEP * unit
    bins = int((right - left) / step) + 2
    # A word covers the bins strictly inside it: +1 where it starts, -1 after it ends.
    first = np.clip(((spans[:, 0] - left) / step).astype(int) + 1, 0, bins)
    last = np.clip(((spans[:, 1] - left) / step).astype(int), -1, bins - 1)
    inside = first <= last
    change = np.zeros(bins + 1, dtype=int)
    np.add.at(change, first[inside], 1)
    np.add.at(change, last[inside] + 1, -1)
    clear = np.cumsum(change)[:bins] <= allowed
    edges = np.flatnonzero(np.diff(np.concatenate(([0], clear.astype(np.int8), [0]))))
    out = []
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        a, b = left + start * step, left + stop * step
        if clip:
            a, b = max(a, left + MIN_COLUMN * unit), min(b, right - MIN_COLUMN * unit)
        if b - a >= MIN_GUTTER * unit and a - left >= MIN_COLUMN * unit \
                and right - b >= MIN_COLUMN * unit:
            out.append((a, b))
    return out
