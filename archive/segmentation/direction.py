"""Pages printed right to left (Arabic, Hebrew, Yiddish, Persian, Urdu, Syriac): their
columns are read from the right, and a paragraph's first line is indented at the right.
Segmentation reads columns from the left, so such a page is mirrored (every box flipped
about the page's middle) before it is read: the reading order, the indents and the
centring then come out as printed. The words keep their order (the OCR gives them in
reading order), and the items carry no boxes, so nothing needs flipping back."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from archive.layout import Block, Box, Line, Page, Word, new_box, new_word

# Letters of the scripts written right to left: Hebrew, Arabic (with its supplements and
# presentation forms), Syriac, Thaana, N'Ko.
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LETTER = re.compile(r"[^\W\d_]")
RTL_SHARE = 0.5  # of a page's letters, for it to be read right to left
SAMPLE = 1000  # words looked at (the first words of a page are enough)


def right_to_left(page: Page) -> bool:
    """Whether most of a page's letters (of its first words) are of a script written
    right to left."""
    words = (w.text for b in page.blocks for line in b.lines for w in line.words)
    text = " ".join(itertools.islice(words, SAMPLE))
    letters = len(_LETTER.findall(text))
    return letters > 0 and len(_RTL.findall(text)) > RTL_SHARE * letters


def mirrored(page: Page) -> Page:
    """The page flipped left for right (about its width, else its blocks' extent)."""
    edges = [b.box for b in page.blocks if b.box is not None] + [
        line.box for b in page.blocks for line in b.lines if line.box is not None]
    width = page.width or (max((box.right for box in edges), default=0.0))
    flip = _Flip(width)
    return replace(page, blocks=tuple(flip.block(b) for b in page.blocks),
                   rules=tuple(flip.box(r) for r in page.rules),
                   pictures=tuple(flip.box(r) for r in page.pictures))


class _Flip:
    def __init__(self, width: float) -> None:
        self.width = width

    def box(self, box: Box) -> Box:
        return new_box(self.width - box.right, box.top, self.width - box.left, box.bottom)

    def maybe(self, box: Box | None) -> Box | None:
        return None if box is None else self.box(box)

    def block(self, block: Block) -> Block:
        return replace(block, lines=tuple(self.line(line) for line in block.lines),
                       box=self.maybe(block.box))

    def line(self, line: Line) -> Line:
        return Line(tuple(self.word(w) for w in line.words), self.maybe(line.box),
                    line.font_size)

    def word(self, word: Word) -> Word:
        return new_word(word.text, self.maybe(word.box), word.confidence, word.id,
                        word.hyphen_whole, word.hyphen_part)
