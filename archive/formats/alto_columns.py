"""The Columns builder of archive.formats.alto: the words of an ALTO document read into
flat lists, with the ID of every element indexed (what an issue reader needs): no Word,
Box or Line is made."""

from __future__ import annotations

from archive.formats.alto_walker import (
    HYPHENS,
    Walker,
    element_box,
    from_cc,
    hyphen_part,
    placeholder,
    unit_interval,
    word_confidence,
)
from archive.layout import Box


class Columns(Walker):
    """The words of an ALTO document into AltoPage's columns, with the ID of every element
    indexed: no Word, Box or Line is made (an issue reader needs none of them)."""

    def __init__(self, root) -> None:
        super().__init__(root)
        self.texts: list[str] = []
        self.confidences: list[float | None] = []
        self.hyphens: dict[int, tuple[int, str | None]] = {}
        self.lines: list[tuple[int, int, int, int]] = []
        self.line_boxes: list[Box | None] = []  # per printed line (paragraph breaks)
        self.spans: dict[str, tuple[int, int]] = {}
        self.block_spans: list[tuple[int, int]] = []
        self.block_boxes: list[Box | None] = []
        self.block_roles: list[str | None] = []
        self.starts: list[int] = []  # per element entered: its first word
        # WC value -> confidence: a page prints a few hundred distinct values, each read once
        self.known: dict[str | None, float | None] = {}

    def walk(self) -> None:
        super().walk()
        if placeholder(self.known, len(self.texts)):
            self.confidences = [None] * len(self.confidences)

    def enter(self, element) -> None:
        self.starts.append(len(self.texts))

    def leave(self, element) -> None:
        start = self.starts.pop()
        if element_id := element.get("ID"):
            self.spans[element_id] = (start, len(self.texts))

    def graphic(self, element) -> None:
        # wordless, but a METS area may name it (BnF: an ILLUSTRATION's picture): an
        # empty run where it stands, so that it is known and adds no word
        if element_id := element.get(b"ID"):
            self.spans[element_id] = (len(self.texts), len(self.texts))

    picture = graphic

    def block(self, element, role: str | None) -> None:
        index = len(self.block_spans)
        texts, lines, spans = self.texts, self.lines, self.spans
        start = len(texts)
        printed = 0  # the block's lines that hold a word
        for line in element.iterchildren(self.line_tag):
            line_start = len(texts)
            if line in self.hyp_lines:
                self._hyphenated(line)
            else:
                self._words(line)
            end = len(texts)
            if line_id := line.get(b"ID"):
                spans[line_id] = (line_start, end)
            if end > line_start:  # a line without words is no printed line
                lines.append((index, printed, line_start, end))
                self.line_boxes.append(element_box(line))
                printed += 1
        if element_id := element.get(b"ID"):
            spans[element_id] = (start, len(texts))
        self.block_spans.append((start, len(texts)))
        self.block_boxes.append(element_box(element))
        self.block_roles.append(role)

    def _words(self, line) -> None:
        """The Strings of a TextLine without a HYP into the columns. This loop runs for
        every word of every page: it reads the four attributes every reader needs (five
        with a HypPart; bytes keys: lxml would encode a str key to UTF-8 at every call)."""
        texts, confidences, spans, known = self.texts, self.confidences, self.spans, self.known
        append_text, append_confidence = texts.append, confidences.append
        position = len(texts)
        for child in line.iterchildren(self.string_tag):  # not SP: half the elements
            get = child.get
            text = get(b"CONTENT")
            text = text.strip() if text else ""
            if element_id := get(b"ID"):
                spans[element_id] = (position, position + 1) if text else (position, position)
            if not text:
                continue
            if subs := get(b"SUBS_TYPE"):
                self._hyphen(position, subs, get)
            confidence = word_confidence(get, known)
            append_text(text)
            append_confidence(confidence)
            position += 1

    def _hyphenated(self, line) -> None:
        """The children of a TextLine that holds a HYP: its Strings, and the HYP's hyphen
        written onto the word before it when that does not end in one."""
        texts, start = self.texts, len(self.texts)
        for child in line.iterchildren(self.string_tag, self.hyp_tag):
            if child.tag == self.hyp_tag:
                if len(texts) > start and not texts[-1].endswith(HYPHENS):
                    texts[-1] += "-"
                continue
            get = child.get
            text = get(b"CONTENT")
            text = text.strip() if text else ""
            position = len(texts)
            if element_id := get(b"ID"):
                self.spans[element_id] = (position, position + 1 if text else position)
            if not text:
                continue
            if subs := get(b"SUBS_TYPE"):
                self._hyphen(position, subs, get)
            confidence = unit_interval(get(b"WC"))
            texts.append(text)
            self.confidences.append(from_cc(get(b"CC")) if confidence is None else confidence)

    def _hyphen(self, position: int, subs: str, get) -> None:
        part, whole = hyphen_part(subs, get)
        if part:
            self.hyphens[position] = (part, whole)
