"""Printed lines from words that only know their boxes (Gale's <wd pos="...">, the BL's
<articleWord coord="...">): a zoned article's text as a run of words, with no line or
paragraph marked; and the rows of an ALTO TextLine that a converter made as tall as its
block (unwrapped). Lines matter beyond display: the shared finishing joins a word broken at
a line's end, and the paragraph rule (archive.segmentation.paragraphs) reads line boxes."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import replace

from archive.layout import Box, Line, Page, Word, bounds, box_from
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


# A TextLine this many times taller than its first word may hold several rows of words
WRAPPED = 2.5


def unwrapped(page: Page) -> Page:
    """The page with each TextLine that holds a block's every row (a converter's: its box
    as tall as the block) read as its rows, by where the words' boxes start again at the
    left. (For a page read alone: an issue's readers index the source's own lines.)"""
    changed = False
    blocks = []
    for block in page.blocks:
        lines: list[Line] = []
        for line in block.lines:
            first = line.words[0].box if line.words else None
            if line.box is not None and first is not None \
                    and line.box.height > WRAPPED * first.height \
                    and (runs := _rows(list(line.words))):
                lines.extend(Line(tuple(run), bounds([w.box for w in run]),  # type: ignore
                                  line.font_size) for run in runs)
                changed = True
            else:
                lines.append(line)
        blocks.append(replace(block, lines=tuple(lines)))
    return replace(page, blocks=tuple(blocks)) if changed else page


def _rows(words: list[Word]) -> list[list[Word]] | None:
    """The rows of a TextLine's words when they wrap (a word that starts left of the one
    before it, below that one's bottom, opens a row: stricter than printed_lines' "below
    its top", since words a source did put on one line may sit a little lower, as a
    superscript does); None when they lie on one row or a word has no box."""
    runs: list[list[Word]] = [[words[0]]]
    for before, word in zip(words, words[1:], strict=False):
        if word.box is None or before.box is None:
            return None
        if word.box.left < before.box.left and word.box.top >= before.box.bottom:
            runs.append([])
        runs[-1].append(word)
    return runs if len(runs) > 1 else None
