"""The Layout builder of archive.formats.alto: an ALTO document's blocks of lines of words
with their boxes and font sizes, its rules and pictures (what segmentation needs)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from dataclasses import replace

from archive.formats.alto_walker import (
    HYPHENS,
    PLAIN,
    Walker,
    element_box,
    finite,
    from_cc,
    hyphen_part,
    page_number,
    placeholder,
    unit_interval,
    word_confidence,
)
from archive.layout import Block, Box, Line, Page, Word, is_rule, new_box, new_word


class Layout(Walker):
    """The layout of an ALTO document: blocks of lines of words with their boxes and font
    sizes, and the rules (nothing of AltoPage's columns or ID index is made)."""

    def __init__(self, root, only: Container[int] | None = None) -> None:
        super().__init__(root)
        self.only = only  # the blocks (their places among the page's) to build, or all
        self.sizes: dict[str, float] = {}  # TextStyle ID -> FONTSIZE (points), when given
        for style in root.iter("{*}TextStyle"):
            size = finite(style.get("FONTSIZE"))
            if size and size > 0 and style.get("ID"):
                self.sizes[style.get("ID")] = size
        self.rules: list[Box] = []
        self.pictures: list[Box] = []
        self.known: dict[str | None, float | None] = {}  # WC value -> confidence
        self.style_of: dict[str | None, float | None] = {}  # STYLEREFS -> its size, likewise
        # per block: its element, role and lines (words, line box, HEIGHT, the mode of
        # its words' style sizes)
        self.found: list[tuple[object, str | None, list]] = []

    def build(self) -> Page:
        self.walk()
        if placeholder(self.known, sum(len(words) for _, _, lines in self.found
                                       for words, _, _, _ in lines)):
            self.found = [(element, role, [(tuple(replace(word, confidence=None)
                                                  for word in words), *rest)
                                           for words, *rest in lines])
                          for element, role, lines in self.found]
        first = self.pages[0] if self.pages else None
        if first is None:
            return Page(blocks=self._blocks(), rules=tuple(self.rules),
                        pictures=tuple(self.pictures), ordered=True)
        return Page(blocks=self._blocks(), width=finite(first.get("WIDTH")),
                    height=finite(first.get("HEIGHT")), number=page_number(first),
                    rules=tuple(self.rules), pictures=tuple(self.pictures),
                    confidence=unit_interval(first.get("PC")),
                    id=first.get("ID"), ordered=True)

    def graphic(self, element) -> None:
        box = element_box(element)
        if is_rule(box):
            self.rules.append(box)
        else:  # a squarer one: a picture or an ornament
            self.picture(element)

    def picture(self, element) -> None:
        box = element_box(element)
        if box is not None and box.width > 0 and box.height > 0:
            self.pictures.append(box)

    illustration = picture

    def block(self, element, role: str | None) -> None:
        if self.only is not None and self.blocks not in self.only:
            return
        sizes = self.sizes
        block_style = _style(element.get("STYLEREFS"), sizes) if sizes else None
        lines: list = []
        for line in element.iterchildren(self.line_tag):
            line_style = (_style(line.get("STYLEREFS"), sizes) if sizes else None) \
                or block_style
            if line in self.hyp_lines:
                words, styles = self._hyphenated(line, line_style)
            else:
                words, styles = self._words(line, line_style)
            if words:  # a line without words is no printed line
                lines.append((tuple(words), element_box(line), finite(line.get("HEIGHT")),
                              _mode(styles) if sizes else line_style))
        self.found.append((element, role, lines))

    def _words(self, line, line_style: float | None) -> tuple[list[Word], list]:
        """The Words of a TextLine without a HYP (and, when the page's styles give sizes,
        each word's style size). This loop runs for every word of every page."""
        known, sizes = self.known, self.sizes
        words: list[Word] = []
        styles: list[float | None] = []
        for child in line.iterchildren(self.string_tag):  # not SP: half the elements
            get = child.get
            text = get(b"CONTENT")
            if not text or not (text := text.strip()):
                continue
            part, whole = hyphen_part(subs, get) if (subs := get(b"SUBS_TYPE")) else PLAIN
            confidence = word_confidence(get, known)
            try:  # the word's box (_box, spelt out)
                left, top = float(get(b"HPOS")), float(get(b"VPOS"))
                right, bottom = left + float(get(b"WIDTH")), top + float(get(b"HEIGHT"))
            except (TypeError, ValueError):  # absent (None) or not a number
                box = None
            else:
                width, height = right - left, bottom - top
                box = new_box(left, top, right, bottom) if width - width == 0 \
                    and height - height == 0 else None  # (finite: not NaN, not infinite)
            words.append(new_word(text, box, confidence, get(b"ID"), whole, part))
            if sizes:  # (no STYLEREFS names a size on a page whose styles give none)
                styles.append(self._style_size(get(b"STYLEREFS")) or line_style)
        return words, styles

    def _hyphenated(self, line, line_style: float | None) -> tuple[list[Word], list]:
        """The Words of a TextLine that holds a HYP: the HYP's hyphen is written onto the
        word before it when that does not end in one."""
        words: list[Word] = []
        styles: list[float | None] = []
        for child in line.iterchildren(self.string_tag, self.hyp_tag):
            if child.tag == self.hyp_tag:
                if words and not words[-1].text.endswith(HYPHENS):
                    last = words[-1]
                    words[-1] = Word(last.text + "-", last.box, last.confidence, last.id,
                                     last.hyphen_whole, last.hyphen_part)
                continue
            get = child.get
            text = (get(b"CONTENT") or "").strip()
            if not text:
                continue
            part, whole = hyphen_part(subs, get) if (subs := get(b"SUBS_TYPE")) else PLAIN
            confidence = unit_interval(get(b"WC"))
            if confidence is None:
                confidence = from_cc(get(b"CC"))
            words.append(Word(text, element_box(child), confidence, get(b"ID"), whole, part))
            if self.sizes:
                styles.append(self._style_size(get(b"STYLEREFS")) or line_style)
        return words, styles

    def _style_size(self, refs: str | None) -> float | None:
        """The size of a word's style (_style), each STYLEREFS value looked up once."""
        try:
            return self.style_of[refs]
        except KeyError:
            size = self.style_of[refs] = _style(refs, self.sizes) if refs else None
            return size

    def _blocks(self) -> tuple[Block, ...]:
        """The layout's blocks. Lines get their font size in points when the page's styles
        give every line one, else every line gets its height: one unit throughout a page,
        so sizes compare."""
        points = any(lines for _, _, lines in self.found) and all(
            size is not None for _, _, lines in self.found for _, _, _, size in lines)
        blocks = []
        for index, (element, role, lines) in enumerate(self.found):
            language = element.get("LANG") or element.get("language") or element.get(
                "{http://www.w3.org/XML/1998/namespace}lang")
            blocks.append(Block(element.get("ID") or f"block{index + 1}", tuple(
                Line(words, box, size if points else height)
                for words, box, height, size in lines), element_box(element), role, language))
        return tuple(blocks)


def _style(refs: str | None, sizes: dict[str, float]) -> float | None:
    """The font size of the first of an element's STYLEREFS that has one."""
    if not refs:
        return None
    for ref in refs.split():
        if ref in sizes:
            return sizes[ref]
    return None


def _mode(values: list[float | None]) -> float | None:
    if values and values.count(values[0]) == len(values):
        return values[0]  # one style throughout the line, as in most lines
    known = Counter(v for v in values if v is not None)
    if not known:
        return None
    return max(known.items(), key=lambda item: (item[1], item[0]))[0]
