"""Where a column of printed lines opens new paragraphs, told by the lines' geometry.

An OCR block often holds a whole column of a story (the BL's do: blocks of 2,000 words
and more), and a reader wants its paragraphs, not one wall of text. Two signs, each read
against the lines around it (a skewed scan moves a column's edges across the page, so a
page-wide or block-wide margin would take the drift for indents):
- a paragraph's first line is indented about an em, after a line that ends a sentence
  (told by the text; without it, by a line that ends short of the column);
- a crosshead ("ISLE OF ELY CHAMBER OF AGRICULTURE.") is a short line centred in the
  column (or two or three), with a line of text under it that fills the column: a
  paragraph of its own.
Used by the layout segmentation (archive.segmentation.stories) and by the METS issue
reader (archive.formats.issue), whose articles are made of whole blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from archive.layout import Box
from archive.text import ends_sentence

INDENT = 0.7  # line heights: a paragraph's first line is indented about an em
NEIGHBOURS = 4  # lines each side whose edges give a line's column edges
MIN_LINES = 3  # fewer lines have no edges to read
CROSSHEAD_LINES = 3  # a crosshead holds no more lines
T = TypeVar("T")


def cut(lines: Sequence[T], boxes: Sequence[Box | None], unit: float,
        texts: Sequence[str] | None = None) -> list[list[T]]:
    """Lines (whatever stands for each: its text, its runs of words) in their paragraphs
    (starts); as they are when a line has no box."""
    sure = [box for box in boxes if box is not None]
    if len(sure) != len(lines):
        return [list(lines)] if lines else []
    bounds = [0, *starts(sure, unit, texts), len(lines)]
    return [list(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def starts(boxes: Sequence[Box], unit: float, texts: Sequence[str] | None = None
           ) -> list[int]:
    """The lines (indexes after the first) that open a paragraph; unit: the body's line
    height. With the lines' texts, the line before an indent or a crosshead must end a
    sentence, however full it is (justified type fills a paragraph's last line to within
    an em as often as not; and a line short of the column that ends no sentence is a row
    of a list or a table, or a name set apart in the middle of a sentence)."""
    if len(boxes) < MIN_LINES or unit <= 0:
        return []
    indent = INDENT * unit
    edges = [_edges(boxes, n) for n in range(len(boxes))]
    ends = [ends_sentence(text) for text in texts] if texts is not None else \
        [box.right <= right - 2 * indent for box, (_, right) in zip(boxes, edges, strict=True)]
    heads = _crossheads(boxes, edges, indent, ends, texts)
    out = []
    for n in range(1, len(boxes)):
        box, (left, right) = boxes[n], edges[n]
        if heads[n] != heads[n - 1]:  # a crosshead starts, or the text after it
            out.append(n)
        elif not heads[n] and box.left >= left + indent and box.right >= right - indent \
                and ends[n - 1]:
            out.append(n)
    return out


def _crossheads(boxes: Sequence[Box], edges: list[tuple[float, float]], indent: float,
                ends: list[bool], texts: Sequence[str] | None) -> list[bool]:
    """Which lines are crossheads: runs of at most CROSSHEAD_LINES centred lines with a
    line of text under them that reaches the column's right edge; with texts, after a
    line that ends a sentence and before one that opens in no lower case (a name set
    apart in the middle of a sentence is none). (A deck set as an inverted pyramid, every
    line centred and shorter than the one above, has none under it: it is one heading,
    not crossheads in a column.)"""
    centred = [_centred(box, left, right, indent)
               for box, (left, right) in zip(boxes, edges, strict=True)]
    heads = [False] * len(boxes)
    n = 0
    while n < len(boxes):
        if not centred[n]:
            n += 1
            continue
        end = n
        while end < len(boxes) and centred[end]:
            end += 1
        if end - n <= CROSSHEAD_LINES and end < len(boxes) \
                and (n == 0 or texts is None or ends[n - 1]) \
                and boxes[end].right >= edges[end][1] - indent \
                and not (texts is not None and texts[end][:1].islower()):
            heads[n:end] = [True] * (end - n)
        n = end
    return heads


def _edges(boxes: Sequence[Box], n: int) -> tuple[float, float]:
    """The column's left and right edges about line n: the median edges of the lines
    around it (itself left out, so that its own indent does not move them)."""
    near = [*boxes[max(0, n - NEIGHBOURS):n], *boxes[n + 1:n + NEIGHBOURS + 1]]
    return _median([b.left for b in near]), _median([b.right for b in near])


def _median(values: list[float]) -> float:
    """statistics.median, for the few values of a window (a page has thousands of lines:
    the library's checks cost more than the sort)."""
    values.sort()
    half = len(values) // 2
    return values[half] if len(values) % 2 else (values[half - 1] + values[half]) / 2


def _centred(box: Box, left: float, right: float, indent: float) -> bool:
    """A short line set in the middle of its column: margins of an em or more each side,
    alike within a quarter of their sum (or an em)."""
    before, after = box.left - left, right - box.right
    return before >= indent and after >= indent \
        and abs(before - after) <= max(indent, 0.25 * (before + after))
