"""Articles of an OCR page that comes without a METS structure (an ALTO page alone, an
hOCR page), found from its layout: the blocks become pieces (pieces.py: split at column
rules and at the gutters of columns the OCR ran together (gutters.py; along a slant on a
scan a little askew), around headings set inside them, jump lines stripped); furniture
is stripped by position and form (furniture.py); the rest is read in column order, band
by band (columns.py), or in the source's order where that is the page's reading order
(Page.ordered: ALTO, PAGE with a stated ReadingOrder); an article is
a headline with the pieces that follow it in reading order until the next headline, a rule
across its column or a division across the columns of its region, and an item whose text
reads as advertising is an advertisement (stories.py, headlines.py, datelines.py); a
picture's caption is an item of its own, the article it interrupts read on past it
(captions.py). A page
printed right to left (Arabic, Hebrew, Yiddish) is read mirrored (direction.py).

What furniture reveals reaches the unit in two ways: every item carries the Page's own
number (its source's: ALTO PRINTED_IMG_NR or PHYSICAL_IMG_NR, hOCR ppageno, the file's
name), else the number a folio printed; and printed_meta(stripped) gives the date, page
and known title for RawUnit.printed. The source's number comes first: an OCR'd folio is
often a stray digit (a BL issue's pages 2-4 each "print" a lone 1 in a corner), and an
issue's pages must not all claim one number. Text repair is left to archive.articles."""

from __future__ import annotations

import statistics
from dataclasses import replace

from archive.layout import Page
from archive.model import RawItem, Stripped
from archive.segmentation.captions import mark_captions
from archive.segmentation.columns import Shape, reading_order
from archive.segmentation.direction import mirrored, right_to_left
from archive.segmentation.furniture import lone_title, printed_meta
from archive.segmentation.furniture_places import strip_furniture
from archive.segmentation.headlines import typography
from archive.segmentation.piece_forms import classify
from archive.segmentation.pieces import Piece, build_pieces
from archive.segmentation.stories import assemble

__all__ = ["printed_meta", "segment"]


def segment(page: Page) -> tuple[list[RawItem], list[Stripped]]:
    """The items of a page in reading order, and the furniture stripped from it."""
    if right_to_left(page):  # columns read from the right: the page is read mirrored
        page = mirrored(page)
    lines = [line for block in page.blocks for line in block.lines]
    if not any(line.words for line in lines):
        return [], []
    typo = typography(lines, fallback=(page.height or 1000.0) / 100)
    stripped: list[Stripped] = []
    pieces = build_pieces(page, typo, stripped)
    rules = list(page.rules)
    pieces, folio = strip_furniture(pieces, rules, typo, stripped)
    if not pieces:
        return [], stripped
    mark_captions(pieces, page.pictures, typo)
    width = _column_width(pieces)
    shapes = [Shape(p.box, major=_major(p, width) and not p.merged,
                    body=_body(p, width) and not p.merged) for p in pieces]
    ordered = []
    for placed in reading_order(shapes, rules, typo.unit):
        piece = pieces[placed.index]
        piece.placed = placed
        ordered.append(piece)
    if page.ordered:
        # The source gives its reading order: read in it, with each piece still placed in
        # its column. An OCR engine's or a library's order follows articles the geometry
        # cannot see (a story continued in a column further on, a brief boxed beside
        # another); on 17 METS issues of four libraries read page by page, 64% of their
        # articles come out whole in it against 55% in the order worked out from the
        # columns.
        ordered.sort(key=lambda piece: piece.source)
    _text_edges(ordered)
    classify(ordered, typo, width)
    number = page.number if page.number is not None else folio
    items = []
    for item in assemble(ordered, rules, typo, number, stripped, page.pictures):
        if (title := lone_title(item)) is not None:  # the paper's name over nothing
            stripped.append(Stripped("masthead", title))
        else:
            items.append(item)
    return items, stripped


def _column_width(pieces: list[Piece]) -> float:
    """The width of a column of running text: the median width of pieces of 3+ lines,
    weighted by lines."""
    widths = sorted((p.box.width, len(p.lines)) for p in pieces if p.box and len(p.lines) >= 3)
    if not widths:
        widths = sorted((p.box.width, 1) for p in pieces if p.box)
    if not widths:
        return 0.0
    half = sum(n for _, n in widths) / 2
    seen = 0
    for width, n in widths:
        seen += n
        if seen >= half:
            return width
    return widths[-1][0]


def _major(piece: Piece, width: float) -> bool:
    """Whether a piece may keep a gutter shut: not a speck (a word or two of noise)."""
    chars = sum(len(t) for t in piece.texts)
    return len(piece.lines) >= 2 or chars >= 12 or (piece.box is not None and width > 0
                                                   and piece.box.width >= 0.5 * width)


def _body(piece: Piece, width: float) -> bool:
    return len(piece.lines) >= 3 and piece.box is not None and (
        width <= 0 or piece.box.width <= 1.5 * width)


def _text_edges(pieces: list[Piece]) -> None:
    """Narrow each column's x-range to where its running text stands (the median edges of
    its pieces of 3+ lines): centring is measured against the text, not the gutters."""
    columns: dict[tuple[int, ...], list[Piece]] = {}
    for piece in pieces:
        columns.setdefault(piece.placed.column, []).append(piece)
    for members in columns.values():
        body = [p.box for p in members if p.box is not None and len(p.lines) >= 3]
        if not body:
            continue
        left = statistics.median(b.left for b in body)
        right = statistics.median(b.right for b in body)
        if right <= left:
            continue
        for piece in members:
            piece.placed = replace(piece.placed, left=left, right=right)
