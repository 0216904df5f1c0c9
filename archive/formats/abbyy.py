"""ABBYY FineReader XML (the Internet Archive's `_abbyy` files, libraries' FineReader
exports): a document of pages, or one page, of blocks. A Text block holds paragraphs of
lines; a line holds formatting runs (font, size, bold) of characters, each with its box
and confidence when the export kept them (charParams), else the run's text alone. A
paragraph is a Block; a Separator block that is long and thin is a rule; pictures and
barcodes hold no words. The articles are found by layout segmentation, as for an ALTO or
hOCR page read alone (archive.segmentation)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from archive.formats import MB, Input, Reader
from archive.formats.alto_walker import finite
from archive.formats.page_names import page_in_name
from archive.formats.xmlsafe import local, parse
from archive.headlines import DEBRIS
from archive.layout import Block, Box, Line, Page, Word, bounds, is_rule, new_box, new_word
from archive.model import RawItem, RawUnit, ReadOptions, Rejected, Stripped
from archive.segmentation import printed_meta, segment

MAX_BYTES = 64 * MB
_TEXT_BLOCKS = frozenset({"Text", "Table"})  # blocks that hold paragraphs of lines


def parse_abbyy(data: bytes, what: str = "ABBYY XML") -> list[Page]:
    """The pages of an ABBYY document (or the one page it is), in document order."""
    root = parse(data, what, blanks=False)
    name = local(root.tag)
    if name == "page":
        pages = [root]
    elif name == "document":
        pages = [child for child in root if local(child.tag) == "page"]
    else:
        raise Rejected(f"not ABBYY XML: the root element is <{name}>")
    return [_page(page, number) for number, page in enumerate(pages, 1)]


def _page(element, number: int) -> Page:
    blocks: list[Block] = []
    rules: list[Box] = []
    for index, block in enumerate(e for e in element if local(e.tag) == "block"):
        kind = block.get("blockType") or ""
        if kind == "Separator" or kind == "SeparatorsBox":
            box = _box(block)
            if is_rule(box):
                rules.append(box)
        elif kind in _TEXT_BLOCKS:
            for part, par in enumerate(block.iter("{*}par")):
                lines = tuple(line for element in par.iter("{*}line")
                              if (line := _line(element)) is not None)
                if lines:
                    blocks.append(Block(f"block{index + 1}.{part + 1}", lines,
                                        bounds([ln.box for ln in lines if ln.box])))
    return Page(blocks=tuple(blocks), width=finite(element.get("width")),
                height=finite(element.get("height")), number=number, rules=tuple(rules),
                id=f"page_{number}")


def _line(element) -> Line | None:
    """A line's words (from its characters, or from its runs' text when the export kept
    no characters) and the point size most of its characters are set in. A run that
    starts with no space goes on the previous run's word (a change of font inside it)."""
    words: list[Word] = []
    sizes: Counter[float] = Counter()
    glue = False  # the last run ended inside a word
    for run in element:
        if local(run.tag) != "formatting":
            continue
        chars = [c for c in run if local(c.tag) == "charParams"]
        if chars:
            texts = [(c.text or "", c) for c in chars]
        else:  # the run's text alone: words without boxes
            texts = [(c, None) for c in run.text or ""]
        count, glue = _add_words(texts, words, glue)
        size = finite(run.get("fs"))
        if size and size > 0:
            sizes[size] += count
    if not words:
        return None
    font = sizes.most_common(1)[0][0] if sizes else None
    return Line(tuple(words), _box(element), font)


def _add_words(chars: list[tuple[str, object]], words: list[Word], glue: bool
               ) -> tuple[int, bool]:
    """Append the words of a run's characters ((text, charParams element or None) each);
    a word starts after a space or at wordStart="true" (FineReader 10 and later:
    wordFirst="1"), and its box spans its characters',
    its confidence is their mean (0-100 in ABBYY). glue: the first characters go on the
    last word. (characters read, whether the run ends inside a word)"""
    text: list[str] = []
    boxes: list[Box] = []
    confidences: list[float] = []

    def flush() -> None:
        if not text:
            return
        box = bounds(boxes)
        confidence = sum(confidences) / len(confidences) / 100 if confidences else None
        if glue and words:  # the word the previous run began
            last = words[-1]
            words[-1] = new_word(last.text + "".join(text), bounds(
                [b for b in (last.box, box) if b is not None]), last.confidence
                if confidence is None else confidence, None, None, 0)
        else:
            words.append(new_word("".join(text), box, confidence, None, None, 0))
        text.clear()
        boxes.clear()
        confidences.clear()

    for value, char in chars:
        starts = char is not None and (char.get("wordStart") or char.get("wordFirst")) in (
            "true", "1")
        if not value.strip() or starts:
            flush()
            glue = False
            if not value.strip():
                continue
        text.append(value)
        if char is None:
            continue
        if (box := _box(char)) is not None:
            boxes.append(box)
        confidence = finite(char.get("charConfidence"))
        if confidence is not None and 0 <= confidence <= 100:
            confidences.append(confidence)
    ends_inside = bool(text)
    flush()
    return len(chars), ends_inside


def _box(element) -> Box | None:
    values = [finite(element.get(side)) for side in ("l", "t", "r", "b")]
    if any(v is None for v in values):
        return None
    left, top, right, bottom = values  # type: ignore[misc]
    return new_box(min(left, right), min(top, bottom), max(left, right), max(top, bottom))


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of an ABBYY file, page by page, found by layout segmentation."""
    pages = parse_abbyy(source.data)
    if not any(block.lines for page in pages for block in page.blocks):
        raise Rejected("no text: the ABBYY file holds no words")
    items: list[RawItem] = []
    stripped: list[Stripped] = []
    for page in pages:
        if len(pages) == 1:  # a lone page is the page its file's name says
            page = replace(page, number=page_in_name(source.name))
        found, furniture = segment(page)
        items.extend(found)
        stripped.extend(furniture)
    return RawUnit(items=tuple(items), stripped=tuple(stripped),
                   printed=printed_meta(stripped), headline_rule=DEBRIS)


# 4: 'for sale' and 'to let' in more languages are words of trade (segmentation.text_kinds)
# 6: specks before a heading's first word dropped (archive.specks.without_specks)
# 7: after a brief, or under a heading of body size, a heading opens the next
#     item; a line of a few words over a paragraph is a heading (segmentation.stories)
# 9: a masthead date whose month the OCR garbled, under the weekday it falls on
#     (segmentation.furniture.printed_date)
READER = Reader(name="abbyy", version="9", max_bytes=MAX_BYTES, read=read)

__all__ = ["READER", "parse_abbyy", "read"]
