"""The geometry of an OCR page, whatever format it came in (ALTO, hOCR): blocks of lines of
words with their boxes, fonts and confidences. Readers build it; segmentation (finding the
articles of a page without a METS structure) and the METS reader read it."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in the page's own units (ALTO: its MeasurementUnit; hOCR: pixels)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def union(self, other: Box) -> Box:
        return Box(min(self.left, other.left), min(self.top, other.top),
                   max(self.right, other.right), max(self.bottom, other.bottom))


@dataclass(frozen=True, slots=True)
class Word:
    """One word as the OCR read it."""

    text: str
    box: Box | None = None
    confidence: float | None = None  # 0..1
    id: str | None = None  # the source's id (ALTO String@ID), which METS areas point at
    # A word hyphenated across a line end: the first part carries the whole word
    # (ALTO SUBS_CONTENT) and part=1, the second part part=2.
    hyphen_whole: str | None = None
    hyphen_part: int = 0


@dataclass(frozen=True, slots=True)
class Line:
    words: tuple[Word, ...]
    box: Box | None = None
    font_size: float | None = None  # points when the source says so, else its x-height

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True, slots=True)
class Block:
    """A text block (ALTO TextBlock, hOCR ocr_par or ocr_carea)."""

    id: str
    lines: tuple[Line, ...]
    box: Box | None = None
    # What the source says the block is, when it says: "margin" (ALTO Top/Bottom/Left/
    # RightMargin), "header" (hOCR ocr_header), "caption", "float" (ocr_textfloat) ...
    role: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    blocks: tuple[Block, ...]  # in the source's order, which is not always reading order
    width: float | None = None
    height: float | None = None
    number: int | None = None  # the page's number in its issue, when known
    rules: tuple[Box, ...] = ()  # separators and column rules (ALTO GraphicalElement ...)
    # pictures and ornaments (ALTO Illustration, a GraphicalElement that is no rule): their
    # captions stand beside them (segmentation.captions)
    pictures: tuple[Box, ...] = ()
    confidence: float | None = None  # the page's own figure (ALTO Page@PC), 0..1
    id: str | None = None
    # The source's order of its blocks is its reading order: ALTO's element order is the
    # page's implicit reading order (the schema says so), as the OCR engine or the
    # library's article segmentation set it down; a PAGE file's stated ReadingOrder.
    ordered: bool = False


# --- fast making --------------------------------------------------------------------------
# A frozen dataclass's __init__ sets each field through object.__setattr__, a slow call:
# a Word and a Box made so cost more than reading the word's attributes, and an ALTO page
# holds 5,000-10,000 words (measured: new_word and new_box take 40-60% of the time). A
# reader's inner loop makes them with new_box and new_word instead: an object of a plain
# class with the same slots, its fields set directly, then made a Box or Word by assigning
# its class (Python allows it between classes of one memory layout). What comes out is a
# true, frozen Box or Word, equal to one made by its constructor.

class _BoxMaker:
    __slots__ = ("left", "top", "right", "bottom")

    def __init__(self, left: float, top: float, right: float, bottom: float) -> None:
        self.left, self.top, self.right, self.bottom = left, top, right, bottom


class _WordMaker:
    __slots__ = ("text", "box", "confidence", "id", "hyphen_whole", "hyphen_part")

    def __init__(self, text: str, box: Box | None, confidence: float | None, id: str | None,
                 hyphen_whole: str | None, hyphen_part: int) -> None:
        self.text, self.box, self.confidence, self.id = text, box, confidence, id
        self.hyphen_whole, self.hyphen_part = hyphen_whole, hyphen_part


for _made, _maker in ((Box, _BoxMaker), (Word, _WordMaker)):  # a new field must be here too
    if _maker.__slots__ != tuple(f.name for f in fields(_made)):
        raise TypeError(f"{_maker.__name__} does not hold the fields of {_made.__name__}")


def new_box(left: float, top: float, right: float, bottom: float) -> Box:
    """Box(left, top, right, bottom), made faster (see above)."""
    box = _BoxMaker(left, top, right, bottom)
    box.__class__ = Box
    return box  # type: ignore[return-value]


def new_word(text: str, box: Box | None, confidence: float | None, id: str | None,
             hyphen_whole: str | None, hyphen_part: int) -> Word:
    """Word(text, box, confidence, id, hyphen_whole, hyphen_part), made faster (see above);
    every field given."""
    word = _WordMaker(text, box, confidence, id, hyphen_whole, hyphen_part)
    word.__class__ = Word
    return word  # type: ignore[return-value]


# A separator's box this many times longer than thick is a rule (a column or cut-off rule);
# a squarer one is a picture, an ornament or a speck, which column finding must not take for
# a rule.
RULE_ELONGATION = 8.0


def is_rule(box: Box | None) -> bool:
    """Whether a box (an ALTO GraphicalElement, a PAGE SeparatorRegion, an ABBYY separator,
    an hOCR word of white space) is a rule: much longer than thick."""
    return box is not None and box.width > 0 and box.height > 0 and \
        max(box.width, box.height) >= RULE_ELONGATION * min(box.width, box.height)


def cut_words(texts: list[str], box: Box | None, confidence: float | None,
              line_id: str | None) -> list[Word]:
    """Words known only as a line's text (PAGE TextEquiv, an hOCR line without ocrx_word, an
    ALTO String holding a whole line as eScriptorium exports it): their boxes cut from the
    line's, each as wide as its share of the line's letters (a space counts as one), so
    that segmentation measures their type as it would real words'."""
    if not texts:
        return []
    if box is None:
        return [new_word(t, None, confidence, None, None, 0) for t in texts]
    total = sum(len(t) for t in texts) + len(texts) - 1
    unit = box.width / total if total else 0.0
    words, left = [], box.left
    for number, text in enumerate(texts):
        right = left + unit * len(text)
        words.append(new_word(text, new_box(left, box.top, right, box.bottom), confidence,
                              f"{line_id}.{number + 1}" if line_id else None, None, 0))
        left = right + unit
    return words


def box_from(values: list[str]) -> Box | None:
    """The box four numbers give (left, top, right, bottom, as sources write them), or None
    when they are not four finite numbers. Some engines write the corners in either order:
    the box is the rectangle they span."""
    if len(values) != 4:
        return None
    try:
        left, top, right, bottom = (float(v) for v in values)
    except ValueError:
        return None
    if not all(v - v == 0 for v in (left, top, right, bottom)):  # NaN, infinity
        return None
    return new_box(min(left, right), min(top, bottom), max(left, right), max(top, bottom))


def bounds(boxes: list[Box]) -> Box | None:
    """The smallest box that holds every box of a list (None for none): what unions of
    them one after the other give, made at once (a page asks this of thousands of lines)."""
    if not boxes:
        return None
    if len(boxes) == 1:
        return boxes[0]
    return Box(min([b.left for b in boxes]), min([b.top for b in boxes]),
               max([b.right for b in boxes]), max([b.bottom for b in boxes]))


def line_texts(lines: tuple[Line, ...] | list[Line]) -> list[str]:
    """The printed lines as text, a word hyphenated across a line end joined once: the
    whole word (when the source gives it) ends the first line and the second part is
    dropped from the next, so nothing later needs to guess the join. A line left with no
    text (white space, or only such a second part) gives none."""
    return [text for text in each_line_text(lines) if text]


def each_line_text(lines: tuple[Line, ...] | list[Line]) -> list[str]:
    """line_texts, one for every line, "" for a line left with no text: what keeps lines
    and their texts side by side."""
    out: list[str] = []
    carry = False  # the line before ended in a hyphenated word that was written whole
    for line in lines:
        words = line.words
        if carry and words and words[0].hyphen_part == 2:
            words = words[1:]
        carry = False
        texts = [w.text for w in words]
        if words and words[-1].hyphen_part == 1 and words[-1].hyphen_whole:
            texts[-1] = words[-1].hyphen_whole
            carry = True
        out.append(" ".join(filter(str.strip, texts)))  # words of white space are no words
    return out


def mean_confidence(words: list[Word] | tuple[Word, ...]) -> float | None:
    """The mean word confidence, or None when the OCR gave none."""
    known = [w.confidence for w in words if w.confidence is not None]
    return sum(known) / len(known) if known else None


def horizontal_overlap(a: Box, b: Box) -> float:
    """How much of the narrower of two boxes the other covers horizontally (0..1)."""
    width = min(a.right, b.right) - max(a.left, b.left)
    narrower = min(a.width, b.width)
    return max(0.0, width) / narrower if narrower > 0 else 0.0
