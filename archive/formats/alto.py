"""ALTO page XML -> archive.layout.Page, whatever the dialect (NDNP ALTO 1.x in the CCS
namespace, BL ALTO 1.4 without a namespace, ALTO 2-4 in the loc.gov namespaces): elements
are matched by local name. Also the reader of an ALTO page met on its own (no METS), whose
articles are found by layout segmentation (archive.segmentation).

Coordinates stay in the page's own MeasurementUnit (mm10, pixel, inch1200): everything that
reads the geometry compares positions within one page, never across pages.

Speed: a page holds 5,000-10,000 words and an issue reader needs only their text,
confidence and hyphenation, so those are read into flat lists (AltoPage.texts ...) and the
Word, Line and Block objects with their boxes are made only when a page's layout is asked
for (segmentation). Each is made by a builder of its own (alto_columns.Columns,
alto_layout.Layout, walking the document alike: alto_walker): a page read alone is
segmented from its layout and needs none of the lists or the ID index."""

from __future__ import annotations

import bisect
import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, repeat

from archive.formats import MB, Input, Reader
from archive.formats.alto_columns import Columns
from archive.formats.alto_layout import Layout
from archive.formats.alto_walker import PLAIN, finite, page_number
from archive.formats.merged_columns import find_merged
from archive.formats.ocr_text import read_blocks
from archive.formats.page_names import page_in_name
from archive.formats.word_lines import unwrapped
from archive.formats.xmlsafe import local, parse
from archive.headlines import DEBRIS
from archive.layout import Block, Box, Page, Word, line_texts
from archive.model import RawUnit, ReadOptions, Rejected
from archive.segmentation import printed_meta, segment

__all__ = ["MAX_BYTES", "PLAIN", "READER", "AltoPage", "parse_alto", "read_alto"]

MAX_BYTES = 64 * MB


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
    line_boxes: tuple[Box | None, ...] = ()  # per printed line, as `lines`
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
    # block -> the gutters of columns the OCR ran together in it (merged_columns): found
    # by read_alto while the document is parsed
    merged: dict = field(default_factory=dict, init=False, repr=False)

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
            self._layout = _layout_of(parse(self.source, self.what, blanks=False))
        return self._layout  # type: ignore[return-value]

    def some_blocks(self, wanted: list[int], root) -> list[Block]:
        """The layout of some of the page's blocks (their places among its blocks, in
        order): the whole layout when built, else only those blocks' from the parsed
        document, root (the rest of the page's words are never made)."""
        if self._layout is not None:
            return [self._layout.blocks[n] for n in wanted]
        with _collector_paused():
            return list(Layout(root, only=set(wanted)).build().blocks)

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
    return _layout_of(parse(data, what, blanks=False))


def read_alto(data: bytes, what: str = "ALTO", layout: bool = False) -> AltoPage:
    """An ALTO page's words with their ID index (see AltoPage); with layout=True its
    layout is built at once, else when first asked for (an issue reader never asks for
    most pages': their text and IDs are all it needs)."""
    # ALTO's text is all in attributes: the indentation between elements (a text node
    # beside nearly every element) is not kept, so a page is cheaper to parse and free
    root = _alto_root(parse(data, what, blanks=False))
    with _collector_paused():
        alto = _alto_page(Columns(root), data, what)
        if layout:
            alto._layout = Layout(root).build()
    # blocks whose columns the OCR ran together, found while the document is parsed
    alto.merged = find_merged(alto, root)
    return alto


def _alto_root(root):
    if local(root.tag).lower() != "alto":
        raise Rejected(f"not ALTO: the root element is <{local(root.tag)}>")
    return root


def _layout_of(root) -> Page:
    """The layout of a parsed ALTO document."""
    root = _alto_root(root)
    with _collector_paused():
        return Layout(root).build()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while a page's objects are made: a layout
    makes some 10^5 (words, boxes, lines), none in a reference cycle, and the collector's
    passes over them (and over everything else alive) would cost a quarter of the time.
    Made, they join the oldest generation unexamined (freeze, then unfreeze): left in the
    youngest, the next allocation would have the collector walk them all at once, only
    to find them alive. (Not when some caller froze objects of its own: unfreezing would
    undo that.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _alto_page(columns: Columns, data: bytes, what: str) -> AltoPage:
    """The AltoPage of a document, its words read into columns (Columns)."""
    columns.walk()
    first = columns.pages[0] if columns.pages else None
    return AltoPage(columns.texts, columns.confidences, columns.hyphens, columns.lines,
                    columns.spans, tuple(columns.line_boxes), tuple(columns.block_spans),
                    tuple(columns.block_boxes), tuple(columns.block_roles), page_number(first),
                    finite(first.get("HEIGHT")) if first is not None else None, data, what)


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of an ALTO page read without its METS: found by layout segmentation."""
    page = unwrapped(parse_alto(source.data))
    if not any(block.lines for block in page.blocks):
        raise Rejected("no text: the ALTO page holds no words")
    # The page's place in its issue: the sequence in the file's name first (the BL's
    # "_0007", NDNP's "seq-7"), which orders an issue's files; else PRINTED_IMG_NR, else
    # PHYSICAL_IMG_NR (not on NDNP reels: the frame number there). A supplement's first
    # page prints a 1 of its own (a BL issue's 7th file): two pages must not share one.
    if (number := page_in_name(source.name)) is not None:
        page = replace(page, number=number)
    if not _placed(page):
        return read_blocks((line_texts(block.lines) for block in page.blocks), source.name,
                           source.meta, options, page.number, UNPLACED)
    items, stripped = segment(page)
    # what the page's furniture printed (masthead, folio, date)
    return RawUnit(items=tuple(items), stripped=tuple(stripped),
                   printed=printed_meta(stripped), headline_rule=DEBRIS)


UNPLACED = "the page gives its words no positions: segmented by the shape of its text"


def _placed(page: Page) -> bool:
    """Whether the page places its text anywhere (a box on a block, line or word): ALTO
    makes positions optional, and a page converted from plain text has none."""
    return any(block.box is not None or any(
        line.box is not None or any(word.box is not None for word in line.words)
        for line in block.lines) for block in page.blocks)


# 16: the MODS records beside a page (archive.formats.mods_records) give its metadata
# 17: 'for sale' and 'to let' in more languages are words of trade (segmentation.text_kinds)
# 18: a TextLine holding a block's every row is read as its rows
# 20: specks before a heading's first word dropped (archive.specks.without_specks)
# 21: after a brief, or under a heading of body size, a heading opens the next
#     item; a line of a few words over a paragraph is a heading (segmentation.stories)
#     an ALTO page segmented by its layout is read in its blocks' order (Page.ordered)
# 23: pictures' captions are items of their own (segmentation.captions); a headline
#     inside a column-long block opens an article; a block box its lines do not fill is
#     replaced by theirs; a line of only a hyphenated word's end no longer keeps its
#     block's paragraphs uncut (segmentation.pieces)
READER = Reader(name="alto", version="23", max_bytes=MAX_BYTES, read=read)
