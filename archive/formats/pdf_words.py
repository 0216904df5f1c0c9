"""The text of a born-digital page as poppler's `pdftotext -bbox-layout` writes it: an
XHTML document (or the bare <doc>) of pages, flows, blocks, lines and words, each with its
box (xMin, yMin, xMax, yMax in points). Papers that print from PDF deliver their pages so
(Oregon's newspaper curation app converts them to ALTO with it); the words carry no
confidence (they were never OCR'd) and no font size (a line's height says it). Each page
is segmented by its layout, as an ALTO page alone is."""

from __future__ import annotations

from archive.formats import MB, Input, Reader
from archive.formats.alto_walker import finite
from archive.formats.laid_out import unit_of_pages
from archive.formats.xmlsafe import local, parse
from archive.layout import Block, Box, Line, Page, box_from, new_word
from archive.model import RawUnit, ReadOptions, Rejected
from archive.text import SOFT_HYPHEN

MAX_BYTES = 64 * MB  # an issue's PDF of 40 pages with every word's box: a few MB


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of a pdftotext word-box file, page by page."""
    root = parse(source.data, "pdftotext XHTML")
    pages = [_page(page, n) for n, page in enumerate(
        (e for e in root.iter() if local(e.tag) == "page"), 1)]
    if not pages:
        raise Rejected("no page: the document holds no <page> (pdftotext -bbox-layout)")
    if not any(block.lines for page in pages for block in page.blocks):
        raise Rejected("no text: its pages hold no words (a scan without a text layer?)")
    return unit_of_pages(pages, source.name)


def _page(page, number: int) -> Page:
    blocks = []
    for n, block in enumerate((e for e in page.iter() if local(e.tag) == "block"), 1):
        rows: list[tuple[list[tuple[str, Box | None]], Box | None]] = []
        for line in (e for e in block if local(e.tag) == "line"):
            words = [(text, _box(word)) for word in line if local(word.tag) == "word"
                     and (text := " ".join("".join(word.itertext()).split()))]
            if words:
                rows.append((words, _box(line)))
        _join_soft_breaks(rows)
        lines = [Line(tuple(new_word(text, box, None, None, None, 0) for text, box in words),
                      box) for words, box in rows if words]
        if lines:
            blocks.append(Block(f"p{number}b{n}", tuple(lines), _box(block)))
    return Page(blocks=tuple(blocks), width=finite(page.get("width")),
                height=finite(page.get("height")), number=number)


def _join_soft_breaks(rows: list[tuple[list[tuple[str, Box | None]], Box | None]]) -> None:
    """A word the PDF broke at a line's end with a soft hyphen ("De\u00ad" / "velopment")
    is one word: the next line's first word joins it (a soft hyphen is never printed but
    there); soft hyphens elsewhere go."""
    for (words, _), (after, _) in zip(rows, rows[1:], strict=False):
        if words and after and words[-1][0].endswith(SOFT_HYPHEN):
            text, box = words[-1]
            words[-1] = (text.rstrip(SOFT_HYPHEN) + after.pop(0)[0], box)
    for words, _ in rows:
        words[:] = [(text.replace(SOFT_HYPHEN, ""), box) for text, box in words
                    if text.replace(SOFT_HYPHEN, "")]


def _box(element) -> Box | None:
    return box_from([element.get(key) or "" for key in ("xMin", "yMin", "xMax", "yMax")])


# 3: specks before a heading's first word dropped (archive.specks.without_specks)
# 4: after a brief, or under a heading of body size, a heading opens the next
#     item; a line of a few words over a paragraph is a heading (segmentation.stories)
# 6: a masthead date whose month the OCR garbled, under the weekday it falls on
#     (segmentation.furniture.printed_date)
READER = Reader(name="pdftotext", version="6", max_bytes=MAX_BYTES, read=read)

__all__ = ["READER", "read"]
