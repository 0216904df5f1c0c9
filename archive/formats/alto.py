"""ALTO page XML -> archive.layout.Page, whatever the dialect (NDNP ALTO 1.x in the CCS
namespace, BL ALTO 1.4 without a namespace, ALTO 2-4 in the loc.gov namespaces): elements
are matched by local name. Also the reader of an ALTO page met on its own (no METS), whose
articles are found by layout segmentation (archive.segmentation).

Coordinates stay in the page's own MeasurementUnit (mm10, pixel, inch1200): everything that
reads the geometry compares positions within one page, never across pages.

Speed: a page holds 5,000-10,000 words and an issue reader needs only their text,
confidence and hyphenation, so those are read into flat lists (AltoPage.texts ...) and the
Word, Line and Block objects with their boxes are made only when a page's layout is asked
for (segmentation)."""

from __future__ import annotations

import bisect
import contextlib
import gc
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, repeat

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
_HYPHENS = ("-", "¬", "\u00ad")  # a word ending in one of these needs no HYP's hyphen
PLAIN = (0, None)  # AltoPage.hyphens of a word not hyphenated across a line end


@dataclass(eq=False)
class AltoPage:
    """An ALTO page as read: its words, and where the words of every element ID lie.

    Words are numbered in document order over the whole page (blocks, then lines, then
    words); `spans` maps the ID of every Page, ComposedBlock, TextBlock, TextLine and
    String to the positions of its words [first, end), so that a METS area (BEGIN..END,
    naming blocks or words) becomes a run of words. The words themselves are columns:
    `texts` and `confidences` by position, `hyphens` for the few hyphenated across a line
    end; `lines` gives each printed line's block and words. `page` (the full layout, with
    every box) is built when first asked for."""

    texts: list[str]
    confidences: list[float | None]  # 0..1
    # position -> (part, whole) of a word hyphenated across a line end: part 1 (with the
    # whole word, when the source gives it) or 2; the others are not in it (PLAIN).
    hyphens: dict[int, tuple[int, str | None]]
    # per printed line (one holding a word): (block, its index among the block's printed
    # lines, first word, end), in order; `starts` holds each line's first word.
    lines: list[tuple[int, int, int, int]]
    spans: dict[str, tuple[int, int]]
    blocks: tuple[tuple[int, int], ...] = ()  # per block of the page: its words' span
    block_boxes: tuple[Box | None, ...] = ()  # per block of the page
    block_roles: tuple[str | None, ...] = ()  # per block: layout.Block.role
    number: int | None = None  # Page.number
    height: float | None = None  # Page.height
    source: bytes = field(default=b"", repr=False)  # the XML, to build the layout from
    what: str = "ALTO"  # how a parse error names the source
    # built when first asked for (or at once, by parse_alto)
    _layout: Page | None = field(default=None, init=False, repr=False)
    _places: tuple[tuple[int, int, int], ...] | None = field(default=None, init=False,
                                                              repr=False)
    starts: list[int] = field(init=False, repr=False)  # the first word of each line

    def __post_init__(self) -> None:
        self.starts = [line[2] for line in self.lines]

    @property
    def size(self) -> int:
        """How many words the page holds."""
        return len(self.texts)

    @property
    def page(self) -> Page:
        """The page's layout: blocks of lines of words with their boxes and font sizes."""
        if self._layout is None:
            self._layout = _read(parse(self.source, self.what, blanks=False), True)._layout
        return self._layout  # type: ignore[return-value]

    @property
    def places(self) -> tuple[tuple[int, int, int], ...]:
        """The (block, line, word) indexes of each position."""
        if self._places is None:
            with _collector_paused():  # thousands of tuples, in no cycle
                self._places = tuple(chain.from_iterable(
                    zip(repeat(block), repeat(line), range(end - start), strict=False)
                    for block, line, start, end in self.lines))
        return self._places

    def line_at(self, position: int) -> int:
        """The index in `lines` of the line that holds a word position."""
        return bisect.bisect_right(self.starts, position) - 1

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
        """The word at a position (this builds the page's layout)."""
        block, line, word = self.places[position]
        return self.page.blocks[block].lines[line].words[word]


def parse_alto(data: bytes, what: str = "ALTO") -> Page:
    """The layout of an ALTO page; Rejected when the bytes are not well-formed XML."""
    return read_alto(data, what, layout=True).page


def read_alto(data: bytes, what: str = "ALTO", layout: bool = False) -> AltoPage:
    """An ALTO page's words with their ID index (see AltoPage); with layout=True its
    layout is built at once, else when first asked for (an issue reader never asks for
    most pages': their text and IDs are all it needs)."""
    # ALTO's text is all in attributes: the indentation between elements (a text node
    # beside nearly every element) is not kept, so a page is cheaper to parse and free
    return _read(parse(data, what, blanks=False), layout, data, what)


def _read(root, layout: bool, data: bytes = b"", what: str = "ALTO") -> AltoPage:
    if local(root.tag).lower() != "alto":
        raise Rejected(f"not ALTO: the root element is <{local(root.tag)}>")
    with _collector_paused():
        return _Builder(root, layout).build(data, what)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while a page's objects are made: a layout
    makes some 10^5 (words, boxes, lines), none in a reference cycle, and the collector's
    passes over them (and over everything else alive) would cost a quarter of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Builder:
    """One pass over an ALTO document: the words' columns always, the layout objects
    (Word, Line, Block, with boxes and font sizes) when `layout` is set."""

    def __init__(self, root, layout: bool) -> None:
        self.root = root
        self.layout = layout
        # Every element of an ALTO document is in the root's namespace (or none): comparing
        # whole tags costs far less than taking local names, and pages hold 10,000 words.
        prefix = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        self.block_tag, self.line_tag = prefix + "TextBlock", prefix + "TextLine"
        self.string_tag, self.hyp_tag = prefix + "String", prefix + "HYP"
        # HYP elements are few (one ends some lines): knowing their lines up front spares
        # the String loop a tag test per word. lxml gives one proxy per element while one
        # is alive, so the set finds a line by identity.
        self.hyp_lines = {hyp.getparent() for hyp in root.iter(self.hyp_tag)}
        self.sizes: dict[str, float] = {}  # TextStyle ID -> FONTSIZE (points), when given
        self.texts: list[str] = []
        self.confidences: list[float | None] = []
        self.hyphens: dict[int, tuple[int, str | None]] = {}
        self.lines: list[tuple[int, int, int, int]] = []
        self.spans: dict[str, tuple[int, int]] = {}
        self.block_spans: list[tuple[int, int]] = []
        self.block_boxes: list[Box | None] = []
        self.block_roles: list[str | None] = []
        self.rules: list[Box] = []
        # WC value -> confidence: a page prints a few hundred distinct values, each read once
        self.known: dict[str | None, float | None] = {}
        self.style_of: dict[str | None, float | None] = {}  # STYLEREFS -> its size, likewise
        # with the layout: per block (its element, role), per block its lines (words, line
        # box, HEIGHT, the mode of its words' style sizes)
        self.block_elements: list[tuple[object, str | None]] = []
        self.block_lines: list[list[tuple[tuple[Word, ...], Box | None, float | None,
                                          float | None]]] = []

    def build(self, data: bytes, what: str) -> AltoPage:
        for style in self.root.iter("{*}TextStyle"):
            size = _number(style.get("FONTSIZE"))
            if size and size > 0 and style.get("ID"):
                self.sizes[style.get("ID")] = size
        pages = list(self.root.iter("{*}Page"))
        for page in pages:
            self._walk(page, None)
        first = pages[0] if pages else None
        number = _page_number(first)
        height = _number(first.get("HEIGHT")) if first is not None else None
        layout = None
        if self.layout:
            layout = Page(blocks=self._blocks(),
                          width=_number(first.get("WIDTH")) if first is not None else None,
                          height=height, number=number, rules=tuple(self.rules),
                          confidence=_unit(first.get("PC")) if first is not None else None,
                          id=first.get("ID") if first is not None else None)
        alto = AltoPage(self.texts, self.confidences, self.hyphens, self.lines, self.spans,
                        tuple(self.block_spans), tuple(self.block_boxes),
                        tuple(self.block_roles), number, height, data, what)
        alto._layout = layout
        return alto

    def _walk(self, element, role: str | None) -> None:
        start = len(self.texts)
        for child in element:
            name = local(child.tag)
            if child.tag == self.block_tag:
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
            self.spans[element.get("ID")] = (start, len(self.texts))

    def _block(self, element, role: str | None) -> None:
        index = len(self.block_spans)
        start = len(self.texts)
        block_style = _style(element.get("STYLEREFS"), self.sizes) if self.layout else None
        lines: list = []
        for line_element in element.iterchildren(self.line_tag):
            line_start = len(self.texts)
            line_style = (_style(line_element.get("STYLEREFS"), self.sizes) or block_style
                          ) if self.layout else None  # only the layout's lines have a size
            words = self._words(line_element, line_style)
            if line_element.get("ID"):
                self.spans[line_element.get("ID")] = (line_start, len(self.texts))
            if line_start == len(self.texts):
                continue  # a line without words is no printed line
            self.lines.append((index, len(lines), line_start, len(self.texts)))
            lines.append(words)
        if element.get("ID"):
            self.spans[element.get("ID")] = (start, len(self.texts))
        self.block_spans.append((start, len(self.texts)))
        self.block_boxes.append(_box(element))
        self.block_roles.append(role)
        if self.layout:
            self.block_elements.append((element, role))
            self.block_lines.append(lines)

    def _words(self, line, line_style: float | None
               ) -> tuple[tuple[Word, ...], Box | None, float | None, float | None] | None:
        """The words of a TextLine into the columns; with the layout, the line as
        (words, box, HEIGHT, style size) too. This loop runs for every word of every page:
        without the layout it reads only the attributes every reader needs (four, five
        with a HypPart)."""
        texts, confidences, hyphens = self.texts, self.confidences, self.hyphens
        spans, known = self.spans, self.known
        start = len(texts)
        hyphenated = line in self.hyp_lines
        children = line.iterchildren(self.string_tag, self.hyp_tag) if hyphenated else \
            line.iterchildren(self.string_tag)  # not SP: half the elements
        layout = self.layout
        words: list[Word] = []  # with the layout
        styles: list[float | None] = []  # with the layout: each word's style size
        for child in children:
            if hyphenated and child.tag == self.hyp_tag:
                if len(texts) > start and not texts[-1].endswith(_HYPHENS):
                    texts[-1] += "-"
                    if layout:
                        last = words[-1]
                        words[-1] = Word(texts[-1], last.box, last.confidence, last.id,
                                         last.hyphen_whole, last.hyphen_part)
                continue
            # (bytes keys: lxml would encode a str key to UTF-8 at every call)
            get = child.get
            text = get(b"CONTENT")
            text = text.strip() if text else ""
            element_id = get(b"ID")
            position = len(texts)
            if element_id:
                spans[element_id] = (position, position + 1 if text else position)
            if not text:
                continue
            part, whole = PLAIN
            subs = get(b"SUBS_TYPE")
            if subs:
                subs = subs.strip()
                if subs == "HypPart1":
                    part, whole = 1, (get("SUBS_CONTENT") or "").strip() or None
                    hyphens[position] = (part, whole)
                elif subs == "HypPart2":
                    part = 2
                    hyphens[position] = (part, whole)
            wc = get(b"WC")
            try:
                confidence = known[wc]
            except KeyError:
                confidence = known[wc] = _unit(wc)
            if confidence is None:
                confidence = _from_cc(get("CC"))
            texts.append(text)
            confidences.append(confidence)
            if layout:
                words.append(Word(text, _box(child), confidence, element_id, whole, part))
                # (no STYLEREFS names a size on a page whose styles give none)
                styles.append((self.sizes and self._style_size(get("STYLEREFS")))
                              or line_style)
        if not layout or len(texts) == start:
            return None
        return tuple(words), _box(line), _number(line.get("HEIGHT")), _mode(styles)

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
        sizes = [size for lines in self.block_lines for _, _, _, size in lines]
        points = bool(sizes) and all(size is not None for size in sizes)
        blocks = []
        for index, ((element, role), lines) in enumerate(zip(self.block_elements,
                                                             self.block_lines, strict=True)):
            language = element.get("LANG") or element.get("language") or element.get(
                "{http://www.w3.org/XML/1998/namespace}lang")
            blocks.append(Block(element.get("ID") or f"block{index + 1}", tuple(
                Line(words, box, size if points else height)
                for words, box, height, size in lines), self.block_boxes[index], role,
                language))
        return tuple(blocks)


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
    if values and values.count(values[0]) == len(values):
        return values[0]  # one style throughout the line, as in most lines
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


READER = Reader(name="alto", version="3", max_bytes=MAX_BYTES, read=read)
