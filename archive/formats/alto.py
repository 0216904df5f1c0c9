"""ALTO page XML -> archive.layout.Page, whatever the dialect (NDNP ALTO 1.x in the CCS
namespace, BL ALTO 1.4 without a namespace, ALTO 2-4 in the loc.gov namespaces): elements
are matched by local name. Also the reader of an ALTO page met on its own (no METS), whose
articles are found by layout segmentation (archive.segmentation).

Coordinates stay in the page's own MeasurementUnit (mm10, pixel, inch1200): everything that
reads the geometry compares positions within one page, never across pages."""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass

from archive.formats import MB, Input, Reader
from archive.formats.xmlsafe import local, parse
from archive.layout import Block, Box, Line, Page, Word
from archive.model import RawUnit, ReadOptions, Rejected
from archive.segmentation import printed_meta, segment

MAX_BYTES = 64 * MB
_MARGINS = frozenset({"TopMargin", "BottomMargin", "LeftMargin", "RightMargin"})
# A GraphicalElement this many times longer than thick is a rule (a separator); a squarer
# one is a picture or an ornament, which column finding must not take for a rule.
RULE_ELONGATION = 8.0


@dataclass(frozen=True)
class AltoPage:
    """An ALTO page as read: its layout, and where the words of every element ID lie.

    Words are numbered in document order over the whole page (blocks, then lines, then
    words); `spans` maps the ID of every Page, ComposedBlock, TextBlock, TextLine and
    String to the positions of its words [first, end), so that a METS area (BEGIN..END,
    naming blocks or words) becomes a run of words; `places` gives the (block, line, word)
    indexes of each position."""

    page: Page
    spans: dict[str, tuple[int, int]]
    places: tuple[tuple[int, int, int], ...]
    blocks: tuple[tuple[int, int], ...] = ()  # per block of page.blocks: its words' span

    def locate(self, element_id: str) -> tuple[int, int, int] | None:
        """(block, line, word) of the first word of an element (a String ID), if any."""
        span = self.spans.get(element_id)
        if span is None or span[0] >= span[1]:
            return None
        return self.places[span[0]]

    def span(self, begin: str, end: str | None = None) -> tuple[int, int] | None:
        """The word positions from element `begin` through element `end` (inclusive), or
        None when the page holds no such ID."""
        first = self.spans.get(begin)
        if first is None:
            return None
        last = self.spans.get(end) if end and end != begin else first
        if last is None:
            return None
        return (min(first[0], last[0]), max(first[1], last[1]))

    def word(self, position: int) -> Word:
        """The word at a position."""
        block, line, word = self.places[position]
        return self.page.blocks[block].lines[line].words[word]


def parse_alto(data: bytes, what: str = "ALTO") -> Page:
    """The layout of an ALTO page; Rejected when the bytes are not well-formed XML."""
    return read_alto(data, what).page


def read_alto(data: bytes, what: str = "ALTO") -> AltoPage:
    """The layout of an ALTO page with its ID index (see AltoPage)."""
    root = parse(data, what)
    if local(root.tag).lower() != "alto":
        raise Rejected(f"not ALTO: the root element is <{local(root.tag)}>")
    # A page makes some 10^5 objects (words, boxes, lines), none in a reference cycle: the
    # cyclic collector's passes over them would cost a quarter of the reading time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Builder(root).build()
    finally:
        if enabled:
            gc.enable()


class _Builder:
    """One pass over an ALTO document."""

    def __init__(self, root) -> None:
        self.root = root
        # Every element of an ALTO document is in the root's namespace (or none): comparing
        # whole tags costs far less than taking local names, and pages hold 10,000 words.
        prefix = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        self.tags = {name: prefix + name for name in (
            "TextBlock", "TextLine", "String", "HYP", "ComposedBlock", "PrintSpace",
            "GraphicalElement", *_MARGINS)}
        self.sizes: dict[str, float] = {}  # TextStyle ID -> FONTSIZE (points), when given
        self.blocks: list[Block] = []
        self.spans: dict[str, tuple[int, int]] = {}
        self.places: list[tuple[int, int, int]] = []
        self.rules: list[Box] = []
        self.line_sizes: list[list[float | None]] = []  # per block, per line: style size
        self.block_spans: list[tuple[int, int]] = []

    def build(self) -> AltoPage:
        for style in self.root.iter("{*}TextStyle"):
            size = _number(style.get("FONTSIZE"))
            if size and size > 0 and style.get("ID"):
                self.sizes[style.get("ID")] = size
        pages = list(self.root.iter("{*}Page"))
        for page in pages:
            self._walk(page, None)
        first = pages[0] if pages else None
        blocks = self._font_sizes()
        page = Page(blocks=tuple(blocks), width=_number(first.get("WIDTH")) if first is not None
                    else None,
                    height=_number(first.get("HEIGHT")) if first is not None else None,
                    number=_page_number(first), rules=tuple(self.rules),
                    confidence=_unit(first.get("PC")) if first is not None else None,
                    id=first.get("ID") if first is not None else None)
        return AltoPage(page, self.spans, tuple(self.places), tuple(self.block_spans))

    def _walk(self, element, role: str | None) -> None:
        start = len(self.places)
        tags = self.tags
        for child in element:
            name = local(child.tag)
            if child.tag == tags["TextBlock"]:
                self._block(child, role)
            elif name in _MARGINS:
                self._walk(child, "margin")
            elif name == "ComposedBlock":
                kind = (child.get("TYPE") or "").strip().lower()
                inner = role if role == "margin" else ("caption" if kind == "illustration"
                                                       else kind or role)
                self._walk(child, inner)
            elif name == "PrintSpace":
                self._walk(child, role)
            elif name == "GraphicalElement":
                box = _box(child)
                if box and box.width > 0 and box.height > 0 and \
                        max(box.width, box.height) >= RULE_ELONGATION * min(box.width, box.height):
                    self.rules.append(box)
        if element.get("ID"):
            self.spans[element.get("ID")] = (start, len(self.places))

    def _block(self, element, role: str | None) -> None:
        index = len(self.blocks)
        start = len(self.places)
        block_style = _style(element.get("STYLEREFS"), self.sizes)
        lines: list[Line] = []
        sizes: list[float | None] = []
        for line_element in element:
            if line_element.tag != self.tags["TextLine"]:
                continue
            line_start = len(self.places)
            line_style = _style(line_element.get("STYLEREFS"), self.sizes) or block_style
            words, styles = self._words(line_element, index, len(lines), line_style)
            if line_element.get("ID"):
                self.spans[line_element.get("ID")] = (line_start, len(self.places))
            if not words:
                continue
            lines.append(Line(tuple(words), _box(line_element), _number(line_element.get(
                "HEIGHT"))))
            sizes.append(_mode(styles))
        if element.get("ID"):
            self.spans[element.get("ID")] = (start, len(self.places))
        self.block_spans.append((start, len(self.places)))
        language = element.get("LANG") or element.get("language") or element.get(
            "{http://www.w3.org/XML/1998/namespace}lang")
        self.blocks.append(Block(element.get("ID") or f"block{index + 1}", tuple(lines),
                                 _box(element), role, language))
        self.line_sizes.append(sizes)

    def _words(self, line, block: int, line_index: int,
               line_style: float | None) -> tuple[list[Word], list[float | None]]:
        words: list[Word] = []
        styles: list[float | None] = []
        string_tag, hyp_tag = self.tags["String"], self.tags["HYP"]
        places, spans, sizes = self.places, self.spans, self.sizes
        for child in line.iterchildren(string_tag, hyp_tag):  # not SP: half the elements
            tag = child.tag
            if tag == string_tag:
                get = child.get
                text = (get("CONTENT") or "").strip()
                element_id = get("ID")
                if element_id:
                    spans[element_id] = (len(places), len(places) + (1 if text else 0))
                if not text:
                    continue
                part = 0
                whole = None
                subs = get("SUBS_TYPE")
                if subs:
                    subs = subs.strip()
                    part = 1 if subs == "HypPart1" else 2 if subs == "HypPart2" else 0
                    if part == 1:
                        whole = (get("SUBS_CONTENT") or "").strip() or None
                confidence = _unit(get("WC"))
                if confidence is None:
                    confidence = _from_cc(get("CC"))
                places.append((block, line_index, len(words)))
                words.append(Word(text, _box(child), confidence, element_id, whole, part))
                refs = get("STYLEREFS")
                styles.append((_style(refs, sizes) if refs else None) or line_style)
            elif tag == hyp_tag and words:
                last = words[-1]
                if not last.text.endswith(("-", "¬", "\u00ad")):
                    words[-1] = Word(last.text + "-", last.box, last.confidence, last.id,
                                     last.hyphen_whole, last.hyphen_part)
        return words, styles

    def _font_sizes(self) -> list[Block]:
        """Lines get their font size in points when the page's styles give every line one,
        else every line gets its height: one unit throughout a page, so sizes compare."""
        lines = [size for sizes in self.line_sizes for size in sizes]
        if lines and all(size is not None for size in lines):
            return [Block(b.id, tuple(Line(line.words, line.box, size)
                                      for line, size in zip(b.lines, sizes, strict=True)),
                          b.box, b.role, b.language)
                    for b, sizes in zip(self.blocks, self.line_sizes, strict=True)]
        return self.blocks


def _number(value: str | None) -> float | None:
    """A finite number, or None."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number - number == 0 else None  # not NaN, not infinite


def _unit(value: str | None) -> float | None:
    """A confidence 0..1 (WC, PC); None when absent or not a number."""
    number = _number(value)
    return None if number is None else min(1.0, max(0.0, number))


def _from_cc(value: str | None) -> float | None:
    """A word confidence from its character confidences: digits from 0 (sure) to 9 (unsure),
    written together ("0012") or apart ("0 0 1 2")."""
    if not value:
        return None
    digits = value.split() if any(c.isspace() for c in value.strip()) else list(value.strip())
    numbers = [_number(d) for d in digits]
    known = [n for n in numbers if n is not None and 0 <= n <= 9]
    if not known:
        return None
    return 1.0 - sum(known) / len(known) / 9.0


def _box(element) -> Box | None:
    get = element.get
    try:
        left, top = float(get("HPOS")), float(get("VPOS"))
        right, bottom = left + float(get("WIDTH")), top + float(get("HEIGHT"))
    except (TypeError, ValueError):  # absent (None) or not a number
        return None
    if right - left != right - left or bottom - top != bottom - top:  # NaN
        return None
    return Box(left, top, right, bottom)


def _style(refs: str | None, sizes: dict[str, float]) -> float | None:
    """The font size of the first of an element's STYLEREFS that has one."""
    if not refs:
        return None
    for ref in refs.split():
        if ref in sizes:
            return sizes[ref]
    return None


def _mode(values: list[float | None]) -> float | None:
    known = Counter(v for v in values if v is not None)
    if not known:
        return None
    return max(known.items(), key=lambda item: (item[1], item[0]))[0]


def _page_number(page) -> int | None:
    if page is None:
        return None
    for attribute in ("PRINTED_IMG_NR", "PHYSICAL_IMG_NR"):
        value = (page.get(attribute) or "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of an ALTO page read without its METS: found by layout segmentation."""
    page = parse_alto(source.data)
    if not any(block.lines for block in page.blocks):
        raise Rejected("no text: the ALTO page holds no words")
    items, stripped = segment(page)
    # what the page's furniture printed (masthead, folio, date)
    return RawUnit(items=tuple(items), stripped=tuple(stripped),
                   printed=printed_meta(stripped))


READER = Reader(name="alto", version="1", max_bytes=MAX_BYTES, read=read)
