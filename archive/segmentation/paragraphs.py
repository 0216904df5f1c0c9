"""Where a column of printed lines opens new paragraphs, told by the lines' geometry.

An OCR block often holds a whole column of a story (the BL's do: blocks of 2,000 words
and more), and a reader wants its paragraphs, not one wall of text. Two signs, each read
against the lines around it (a skewed scan moves a column's edges across the page, so a
page-wide or block-wide margin would take the drift for indents):
- a paragraph's first line is indented about an em, after a line that ends short of the
  column or ends a sentence;
- a crosshead ("ISLE OF ELY CHAMBER OF AGRICULTURE.") is a short line centred in the
  column, with the lines of text full width around it: a paragraph of its own (with the
  centred lines next to it: a heading of two lines).
Used by the layout segmentation (archive.segmentation.stories) and by the METS issue
reader (archive.formats.issue), whose articles are made of whole blocks."""

from __future__ import annotations

from collections.abc import Sequence

from archive.layout import Box
from archive.text import ends_sentence

INDENT = 0.7  # line heights: a paragraph's first line is indented about an em
NEIGHBOURS = 4  # lines each side whose edges give a line's column edges
MIN_LINES = 3  # fewer lines have no edges to read


def starts(boxes: Sequence[Box], unit: float, texts: Sequence[str] | None = None
           ) -> list[int]:
    """The lines (indexes after the first) that open a paragraph; unit: the body's line
    height. With the lines' texts, an indented line after one that ends a sentence opens
    one too, however full that line is (justified type fills a paragraph's last line to
    within an em as often as not)."""
    if len(boxes) < MIN_LINES or unit <= 0:
        return []
    indent = INDENT * unit
    edges = [_edges(boxes, n) for n in range(len(boxes))]
    centred = [_centred(box, left, right, indent)
               for box, (left, right) in zip(boxes, edges, strict=True)]
    out = []
    for n in range(1, len(boxes)):
        box, (left, right) = boxes[n], edges[n]
        if centred[n] != centred[n - 1]:  # a crosshead starts, or the text after it
            out.append(n)
        elif not centred[n] and box.left >= left + indent and box.right >= right - indent \
                and (boxes[n - 1].right <= edges[n - 1][1] - 2 * indent
                     or texts is not None and ends_sentence(texts[n - 1])):
            out.append(n)
    return out


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
