"""Gutters inside an OCR block: where the OCR ran two or more columns of type together
(one TextBlock, even one TextLine, holding words of neighbouring columns), the words
themselves still stand in columns, and a strip of the block that (nearly) no word covers,
from its top to its bottom, is the white of a gutter. The block is then read column by
column, as it was printed, not line by line across the columns.

Only wide strips between wide runs of text count: the aligned spaces of a table (figures
in columns a few characters wide) or of a narrow list are not gutters.

A page scanned a little askew (half a degree is common) tilts its gutters: over a block
two thousand units tall a gutter drifts by about its own width, and no vertical strip is
white from top to bottom. skewed_gutters then looks along a few slants (x shifted in
proportion to the height in the block) for a strip white along that slant."""

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
# Slants tried for a skewed scan (x units per unit of height): up to about 1.2 degrees, the
# skew a careful scan leaves; a steeper one is rare and the search would start to find
# diagonal rivers of white in running text.
SLANTS = tuple(sign * 0.0025 * n for n in range(1, 9) for sign in (1, -1))
# Along a slant the white of a gutter is measured more finely, and a narrower strip is
# taken: the OCR's word boxes reach into a narrow gutter (a quarter of a line height of
# white may be all that is left), and only a strip white in every line along one slant
# counts.
SLANT_STEP = 0.1  # line heights
SLANT_GUTTER = 0.25  # line heights
# The columns either side must be as wide as a newspaper's column of running text (some
# 25 ems): narrower ones are a table's, whose aligned figures leave narrow white strips.
SLANT_COLUMN = 12.0  # line heights
INSIDE = 1.0  # line heights from a block's edges where white inside a column is looked for
NEAR_GUTTER = 2.0  # line heights: white this close to a gutter is its own (a stray word
#                    can part a gutter's white in two)


def skewed_gutters(lines: Sequence[Line], unit: float) -> tuple[list[float], float]:
    """(the gutters of a block, the slant along which they run): upright gutters first,
    then those of a slightly skewed scan. A word at height y of the block (from its top,
    block_top) lies left of a gutter at x when its middle minus slant * y is less than
    x."""
    found = gutters(lines, unit)
    if found or len(lines) < 2 * MIN_LINES or unit <= 0:
        return found, 0.0
    boxes = [line.box for line in lines if line.box is not None]
    # (a slant widens a block by its height times the slant at most: 0.9 allows for it)
    if not boxes or max(b.right for b in boxes) - min(b.left for b in boxes) < \
            0.9 * 2 * SLANT_COLUMN * unit:
        return [], 0.0  # too narrow for two columns of running text (cheap to see)
    words, sample = _words(lines)
    if len(words) < 2 * MIN_LINES:
        return [], 0.0
    top = block_top(lines)
    edges = np.array([(b.left, b.right, b.top) for b in boxes], dtype=float)
    allowed = max(1, int(CROSSING * len(lines)))
    fine = (SLANT_STEP, SLANT_GUTTER, SLANT_COLUMN)  # (of the sample's quick look)
    best: tuple[list[float], float] = ([], 0.0)
    for slant in SLANTS:  # the slant that shows the most gutters (the least slant on a tie)
        shift = slant * (edges[:, 2] - top)
        left, right = float((edges[:, 0] - shift).min()), float((edges[:, 1] - shift).max())
        if right - left < 2 * SLANT_COLUMN * unit:
            continue
        spans = words[:, :2] - (slant * (words[:, 2] - top))[:, None]
        if len(lines) > 2 * SAMPLE and not _strips(spans[:sample], left, right, unit,
                                                   allowed, True, *fine):
            continue  # a strip clear in all the lines lies in one clear in the first ones
        found = _slanted(spans, left, right, unit, allowed)
        if len(found) > len(best[0]):
            best = (found, slant)
    return best


def _slanted(spans: np.ndarray, left: float, right: float, unit: float,
             allowed: int) -> list[float]:
    """The gutters along one slant: every white strip between the block's edges, each a
    column of running text (SLANT_COLUMN) from the next and from the edges. White closer
    than that is a table's aligned figures (a table of four narrow columns would show two
    wide "columns" either side of its middle strip): then none."""
    found: list[tuple[float, float]] = []  # (middle, width)
    for a, b in _strips(spans, left, right, unit, allowed, False, SLANT_STEP, SLANT_GUTTER,
                        INSIDE):
        middle = (a + b) / 2
        if found and middle - found[-1][0] <= NEAR_GUTTER * unit:  # one gutter's white,
            if b - a > found[-1][1]:                               # parted by a speck
                found[-1] = (middle, b - a)
            continue
        found.append((middle, b - a))
    edges = [left, *(m for m, _ in found), right]
    if any(b - a < SLANT_COLUMN * unit for a, b in zip(edges, edges[1:], strict=False)):
        return []
    return [m for m, _ in found]


def block_top(lines: Sequence[Line]) -> float:
    """The height slants are measured from: the top of a block's first boxed line."""
    return next((line.box.top for line in lines if line.box is not None), 0.0)


def gutters(lines: Sequence[Line], unit: float) -> list[float]:
    """The x positions of the upright gutters of a block (none for a block of one
    column)."""
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


def _words(lines: Sequence[Line]) -> tuple[np.ndarray, int]:
    """(the (left, right, top) of every word with a box, as an array of three columns;
    how many of them the first SAMPLE lines hold)."""
    flat: list[float] = []
    sample = 0
    for n, line in enumerate(lines):
        if n == SAMPLE:
            sample = len(flat) // 3
        flat += [edge for w in line.words if (box := w.box) is not None
                 and box.right > box.left for edge in (box.left, box.right, box.top)]
    if len(lines) <= SAMPLE:
        sample = len(flat) // 3
    return np.array(flat, dtype=float).reshape(-1, 3), sample


def _strips(spans: np.ndarray, left: float, right: float, unit: float, allowed: int,
            clip: bool = False, resolution: float = STEP, narrowest: float = MIN_GUTTER,
            column: float = MIN_COLUMN) -> list[tuple[float, float]]:
    """The strips (from, to) between left and right, MIN_GUTTER wide at least, that no
    more than `allowed` of the words cross, a column's width or more from either edge
    (with clip, the parts of wider strips that lie so far from the edges); resolution,
    narrowest and column in line heights."""
    if not len(spans):
        return []
    step = resolution * unit
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
            a, b = max(a, left + column * unit), min(b, right - column * unit)
        if b - a >= narrowest * unit and a - left >= column * unit \
                and right - b >= column * unit:
            out.append((a, b))
    return out
