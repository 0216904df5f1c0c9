"""PAGE XML (PRImA's Page Analysis and Ground truth Elements: Transkribus, OCR-D,
eScriptorium, kraken; the NewsEye newspapers) -> archive.layout.Page, and the reader of a
PAGE file, whose articles are found by layout segmentation (archive.segmentation) as for
an ALTO page alone.

Every schema version is read by local names (2009-2019: regions nested or not, Coords as a
points attribute or as Point children). A TextRegion with lines is a block; its lines'
words are the Word elements when the file has them (box and confidence each), else the
line's own text, its words given boxes cut from the line's box in proportion to their
length (segmentation reads lines, and words' edges only to find gutters). The region's
type says what the source knows: header, footer, page-number and marginalia are margins,
caption and floating text keep their role. SeparatorRegions are rules; image, graphic
and chart regions are pictures (their captions: segmentation.captions). A ReadingOrder
the file states (an OrderedGroup naming most of its text regions) orders the blocks, and
the page is read in it (Page.ordered), as an ALTO page is in its element order.

A page whose lines are tagged with the article they belong to (Transkribus' article
separation, as the READ and NewsEye ground truth record it: custom="readingOrder {index:0;}
structure {id:a1; type:article;}" on a TextLine, or on its TextRegion) is read by those
tags instead: each article one item, its parts in document order, a heading region that
opens it its headline; lines of no article are items of their own (kind other), headers,
footers and page numbers furniture."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from archive.formats import MB, Input, Reader
from archive.formats.alto_walker import finite
from archive.formats.ocr_text import read_blocks
from archive.formats.page_names import page_in_name
from archive.formats.xmlsafe import local, parse
from archive.headlines import DEBRIS
from archive.layout import (
    Block,
    Box,
    Line,
    Page,
    Word,
    cut_words,
    is_rule,
    line_texts,
    mean_confidence,
    new_box,
    new_word,
)
from archive.model import PageMeta, RawItem, RawUnit, ReadOptions, Rejected, Stripped
from archive.segmentation import printed_meta, segment

MAX_BYTES = 64 * MB
# Region types (PAGE's TextRegion @type) -> layout.Block.role
_ROLES = {"header": "margin", "footer": "margin", "page-number": "margin",
          "marginalia": "margin", "catch-word": "margin", "signature-mark": "margin",
          "caption": "caption", "floating": "float"}
# A custom attribute's structure tag: "structure {id:a1; type:article;}"
_STRUCTURE = re.compile(r"structure\s*\{([^}]*)\}")
ARTICLE_SHARE = 0.5  # of a page's lines tagged with an article: read by the tags
_HEADINGS = frozenset({"heading", "header-heading", "title", "headline"})
_FURNITURE = frozenset({"header", "footer", "page-number", "catch-word", "signature-mark"})


def parse_page(data: bytes, what: str = "PAGE XML") -> Page:
    """The layout of a PAGE document's (first) page; Rejected when it cannot be read."""
    return page_layout(page_element(data, what))


def page_element(data: bytes, what: str = "PAGE XML"):
    """The (first) Page element of a PAGE document; Rejected when it cannot be read."""
    root = parse(data, what)
    if local(root.tag) != "PcGts":
        raise Rejected(f"not PAGE XML: the root element is <{local(root.tag)}>")
    page = next((e for e in root.iter() if local(e.tag) == "Page"), None)
    if page is None:
        raise Rejected("no text: the PAGE document holds no Page")
    return page


PICTURE_REGIONS = frozenset({"ImageRegion", "GraphicRegion", "ChartRegion"})


def page_layout(page) -> Page:
    """The layout of a PAGE document's Page element."""
    blocks: list[Block] = []
    rules: list[Box] = []
    pictures: list[Box] = []
    for region in _regions(page):
        name = local(region.tag)
        if name in PICTURE_REGIONS:
            if (box := _box(region)) is not None and box.width > 0 and box.height > 0:
                pictures.append(box)
            continue
        if name == "SeparatorRegion":
            box = _box(region)
            if is_rule(box):
                rules.append(box)
            continue
        lines = tuple(line for element in region if local(element.tag) == "TextLine"
                      if (line := _line(element)) is not None)
        if lines:
            kind = (region.get("type") or "").strip().lower()
            blocks.append(Block(region.get("id") or f"block{len(blocks) + 1}", lines,
                                _box(region), _ROLES.get(kind),
                                region.get("primaryLanguage") or page.get("primaryLanguage")))
    width, height = finite(page.get("imageWidth")), finite(page.get("imageHeight"))
    order = _reading_order(page)
    listed = {block_id: n for n, block_id in enumerate(order)}
    # A reading order the file states (and that names most of its text regions) is the
    # order the page is read in, as an ALTO page's element order is; regions it leaves
    # out follow in document order.
    ordered = bool(blocks) and 2 * sum(b.id in listed for b in blocks) >= len(blocks)
    if ordered:
        blocks.sort(key=lambda b: listed.get(b.id, len(listed)))  # (a stable sort)
    return Page(blocks=tuple(blocks), width=width, height=height, rules=tuple(rules),
                pictures=tuple(pictures), id=page.get("imageFilename"), ordered=ordered)


def _reading_order(page) -> list[str]:
    """The region ids of the page's stated reading order (ReadingOrder's OrderedGroup,
    its indexed members in index order, nested groups flattened), or [] when it states
    none (no ReadingOrder, or an UnorderedGroup: regions in no order)."""
    element = next((e for e in page if local(e.tag) == "ReadingOrder"), None)
    group = next((e for e in element if local(e.tag) == "OrderedGroup"), None) \
        if element is not None else None
    return _ordered_members(group) if group is not None else []


def _ordered_members(group) -> list[str]:
    members = [e for e in group if local(e.tag) in (
        "RegionRefIndexed", "OrderedGroupIndexed", "UnorderedGroupIndexed")]
    members.sort(key=lambda e: int(e.get("index")) if (e.get("index") or "").isdigit()
                 else 1 << 30)
    out: list[str] = []
    for member in members:
        if local(member.tag) == "RegionRefIndexed":
            if member.get("regionRef"):
                out.append(member.get("regionRef"))
        else:  # a group: its regions in their order (an unordered one's as listed)
            out.extend(_ordered_members(member) if local(member.tag) ==
                       "OrderedGroupIndexed" else [
                e.get("regionRef") for e in member.iter()
                if local(e.tag) in ("RegionRef", "RegionRefIndexed") and e.get("regionRef")])
    return out


def _regions(element) -> Iterator:
    """Text and separator regions in document order, nested ones included (a region of
    regions is no block of its own, unless it holds lines itself)."""
    for child in element:
        name = local(child.tag)
        if name in ("TextRegion", "SeparatorRegion") or name in PICTURE_REGIONS:
            yield child
        if name.endswith("Region"):
            yield from _regions(child)


def _line(element) -> Line | None:
    box = _box(element)
    words: list[Word] = []
    for word in element:
        if local(word.tag) != "Word":
            continue
        text, confidence = _text(word)
        if text:
            words.append(new_word(text, _box(word), confidence, word.get("id"), None, 0))
    if not words:
        text, confidence = _text(element)
        words = cut_words(text.split(), box, confidence, element.get("id"))
    return Line(tuple(words), box) if words else None


def _text(element) -> tuple[str, float | None]:
    """An element's own text, its white space made single spaces, and confidence 0..1."""
    text, confidence = _own_text(element)
    return " ".join(text.split()), confidence


def _own_text(element) -> tuple[str, float | None]:
    """An element's own text as written (its first TextEquiv: the lowest index, PAGE's
    best reading) and confidence 0..1."""
    equivs = [e for e in element if local(e.tag) == "TextEquiv"]
    if not equivs:
        return "", None
    best = min(equivs, key=lambda e: finite(e.get("index")) or 0.0)
    unicode = next((e for e in best if local(e.tag) == "Unicode"), None)
    text = "".join(unicode.itertext()) if unicode is not None else ""
    confidence = finite(best.get("conf"))
    return text, None if confidence is None else min(1.0, max(0.0, confidence))


def region_texts(page) -> list[list[str]]:
    """The lines of each text region's own text, for a page (its Page element) whose regions
    hold no TextLines."""
    return [_region_lines(region) for region in _regions(page)
            if local(region.tag) == "TextRegion"]


def _region_lines(region) -> list[str]:
    """The lines of a region's own text (line breaks kept, as PAGE writes a region's
    text), for a region without TextLines."""
    text, _ = _own_text(region)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _box(element) -> Box | None:
    """The bounding box of an element's Coords (points="x,y x,y ..." or Point children)."""
    coords = next((c for c in element if local(c.tag) == "Coords"), None)
    if coords is None:
        return None
    if points := coords.get("points"):
        pairs = [pair.partition(",")[::2] for pair in points.split()]
    else:
        pairs = [(p.get("x"), p.get("y")) for p in coords if local(p.tag) == "Point"]
    xy = [(fx, fy) for x, y in pairs
          if (fx := finite(x)) is not None and (fy := finite(y)) is not None]
    if not xy:
        return None
    xs, ys = zip(*xy, strict=True)
    return new_box(min(xs), min(ys), max(xs), max(ys))


UNLINED = "the page's regions hold text but no lines: segmented by the shape of its text"


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of a PAGE file, found by layout segmentation (or by the shape of its
    text, when its regions give their text whole, without lines)."""
    element = page_element(source.data)
    page = replace(page_layout(element), number=page_in_name(source.name))
    if not any(block.lines for block in page.blocks):
        if not any(texts := region_texts(element)):
            raise Rejected("no text: the PAGE document holds no words")
        return read_blocks(texts, source.name, source.meta, options, page.number, UNLINED)
    items, stripped = page_items(element, page)
    printed = printed_meta(stripped)
    languages = [b.language for b in page.blocks if b.language]
    if languages and printed.language is None:  # PAGE names languages ("German")
        printed = PageMeta(printed.publication, printed.date, printed.date_source,
                           printed.page, printed.section, max(set(languages),
                                                              key=languages.count),
                           printed.country)
    return RawUnit(items=tuple(items), stripped=tuple(stripped), printed=printed,
                   headline_rule=DEBRIS)


def page_items(element, page: Page) -> tuple[list[RawItem], list[Stripped]]:
    """A page's items and furniture: by the articles its lines are tagged with, when most
    are, else by its layout (archive.segmentation). element: its Page element."""
    tagged = _tagged_articles(element, page.number)
    return tagged if tagged is not None else segment(page)


def _tags(element) -> dict[str, str]:
    """The structure tag of an element's custom attribute, as a dict ({"id": "a1",
    "type": "article"}); empty when it has none."""
    match = _STRUCTURE.search(element.get("custom") or "")
    if match is None:
        return {}
    pairs = (part.partition(":") for part in match.group(1).split(";"))
    return {key.strip(): value.strip() for key, _, value in pairs if key.strip()}


def _article_of(tags: dict[str, str]) -> str | None:
    """The article a structure tag names, if it is an article's."""
    return tags.get("id") or None if tags.get("type", "article") == "article" else None


def _tagged_articles(page, number: int | None) -> tuple[list[RawItem], list[Stripped]] | None:
    """The items of a page whose lines are tagged with their articles (see the module's
    doc), in the order their first lines are written; None when fewer than ARTICLE_SHARE
    of its lines are tagged (the page is then segmented by its layout)."""
    # article -> its runs of lines: (a heading's?, the lines, the region they lie in)
    parts: dict[str, list[tuple[bool, list[Line], object]]] = {}
    stripped: list[Stripped] = []
    tagged = total = 0
    for region in _regions(page):
        if local(region.tag) != "TextRegion":
            continue
        own = _tags(region)
        kind = (region.get("type") or own.get("type") or "").strip().lower()
        for element in (e for e in region if local(e.tag) == "TextLine"):
            line = _line(element)
            if line is None:
                continue
            total += 1
            article = _article_of(_tags(element)) or _article_of(own)
            if article is None and kind in _FURNITURE:
                stripped.append(Stripped("folio", line.text))
                continue
            tagged += article is not None
            key = article or f"\x00{region.get('id') or id(region)}"  # a region of no article
            runs = parts.setdefault(key, [])
            if runs and runs[-1][2] is region:
                runs[-1][1].append(line)
            else:
                runs.append((kind in _HEADINGS, [line], region))
    if not total or tagged < ARTICLE_SHARE * total:
        return None
    items = []
    for key, runs in parts.items():
        heading = runs[0][1] if runs[0][0] and len(runs) > 1 else None
        body = runs[1:] if heading else runs
        words = [w for _, lines, _ in runs for line in lines for w in line.words]
        items.append(RawItem(
            blocks=tuple(tuple(line_texts(lines)) for _, lines, _ in body),
            headline=" ".join(line_texts(heading)) if heading else None,
            kind="other" if key.startswith("\x00") else "article", page=number,
            confidence=mean_confidence(words)))
    return items, stripped


# 8: a page whose lines are tagged with their articles is read by the tags
# 9: 'for sale' and 'to let' in more languages are words of trade (segmentation.text_kinds)
# 11: specks before a heading's first word dropped (archive.specks.without_specks)
# 12: after a brief, or under a heading of body size, a heading opens the next
#     item; a line of a few words over a paragraph is a heading (segmentation.stories)
#     a stated ReadingOrder orders the regions, and the page is read in it
# 14: pictures' captions are items of their own (segmentation.captions)
READER = Reader(name="page-xml", version="14", max_bytes=MAX_BYTES, read=read)

__all__ = ["READER", "page_element", "page_items", "page_layout", "parse_page", "read"]
