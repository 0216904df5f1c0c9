"""Printed lines from words that only know their boxes (Gale's <wd pos="...">, the BL's
<articleWord coord="...">): a zoned article's text as a run of words, with no line or
paragraph marked. Lines matter beyond display: the shared finishing joins a word broken at
a line's end, and the paragraph rule (archive.segmentation.paragraphs) reads line boxes."""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from archive.layout import Box, bounds, box_from
from archive.segmentation.paragraphs import cut


def box_of(value: str | None) -> Box | None:
    """A word's box from "x1,y1,x2,y2" (left, top, right, bottom), or None."""
    return box_from((value or "").split(","))


def printed_lines(words: Iterable[tuple[str, Box | None]]) -> list[tuple[str, Box | None]]:
    """Words in reading order as printed lines, each its text and box (None when a word of
    it has none): a word that starts left of the one before it, below that one's top,
    opens a line."""
    lines: list[tuple[list[str], list[Box | None]]] = []
    last: Box | None = None
    for text, box in words:
        if not lines or (box is not None and last is not None and box.left < last.left
                         and box.top > last.top):
            lines.append(([], []))
        lines[-1][0].append(text)
        lines[-1][1].append(box)
        last = box or last
    return [(" ".join(texts), None if None in boxes else bounds(boxes))  # type: ignore[arg-type]
            for texts, boxes in lines]


def paragraphs(lines: list[tuple[str, Box | None]]) -> list[tuple[str, ...]]:
    """Printed lines cut into paragraphs where their boxes show one opens (an indent after
    a finished sentence, a centred crosshead); one paragraph when a line has no box."""
    heights = [box.height for _, box in lines if box is not None and box.height > 0]
    unit = statistics.median(heights) if heights else 0.0
    texts = [text for text, _ in lines]
    return [tuple(part) for part in cut(texts, [box for _, box in lines], unit, texts)]
