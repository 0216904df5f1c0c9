"""The PAGE XML pages of a METS issue (an OCR-D workspace): the pages that have no ALTO
file are read from their PAGE XML, and their articles found by layout segmentation, as
for a PAGE file alone (archive.formats.page_xml), but with the page's number from the
METS and the issue's record from its MODS.

An OCR-D workspace keeps a PAGE file of every processing step of a page (segmentation,
then OCR, then post-correction), each in a group of its own: every one belongs to the
issue (none is read again on its own, or a page would be stored once for each step), and
the page's text is read from the one that holds the most words (a segmentation step's
file holds none); a page whose files hold text only in their regions, without lines, is
read by the shape of that text, as a PAGE file alone is."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from archive.formats.issue_files import MISSING
from archive.formats.ocr_text import read_blocks
from archive.formats.page_xml import (
    UNLINED,
    page_element,
    page_items,
    page_layout,
    region_texts,
)
from archive.layout import Page
from archive.model import PageMeta, RawItem, RawUnit, ReadOptions, Rejected, Stripped

# MIMETYPEs of PAGE XML (application/vnd.prima.page+xml, and older spellings)
PAGE_XML = ("page+xml", "prima")


@dataclass(frozen=True)
class PageFile:
    """One PAGE XML file a METS names."""

    file_id: str
    href: str
    place: int | None  # its page div's place among the pages (None: no page div names it)
    number: int | None  # the page's number


def is_page_xml(mimetype: str) -> bool:
    mimetype = mimetype.lower()
    return any(form in mimetype for form in PAGE_XML)


def read_pages(files: list[PageFile], members: dict[str, bytes | str]
               ) -> tuple[list[RawItem], list[Stripped], list[str]]:
    """The items and furniture of the pages the PAGE files hold, page by page in the
    issue's order, and the problems of pages that could not be read."""
    groups: dict[object, list[PageFile]] = {}
    for file in files:
        groups.setdefault(file.place if file.place is not None else file.file_id,
                          []).append(file)
    items: list[RawItem] = []
    stripped: list[Stripped] = []
    problems: list[str] = []
    for candidates in groups.values():
        number = candidates[0].number
        best: tuple[int, Page, object] | None = None  # (words, layout, Page element)
        why: list[str] = []
        for file in candidates:
            data = members.get(file.href)
            try:
                if not isinstance(data, bytes):
                    raise Rejected(data or MISSING)
                element = page_element(data)
                page = page_layout(element)
            except Rejected as error:
                why.append(f"{os.path.basename(file.href)}: {error}")
                continue
            words = sum(len(line.words) for block in page.blocks for line in block.lines)
            if best is None or words > best[0]:
                best = (words, page, element)
        where = f"page {number}" if number is not None else "a page"
        if best is None or not best[0]:
            if (read := _unlined(candidates, members, number)) is not None:
                items.extend(read.items)
                stripped.extend(read.stripped)
                continue
            problems.append(f"{where}: " + ("; ".join(why) if why else
                                            "no text: its PAGE XML holds no words"))
            continue
        found, furniture = page_items(best[2], replace(best[1], number=number))
        items.extend(found)
        stripped.extend(furniture)
    return items, stripped, problems


def _unlined(candidates: list[PageFile], members: dict[str, bytes | str],
             number: int | None) -> RawUnit | None:
    """The page read by the shape of its text (page_xml.read's way) from the first of its
    PAGE files whose regions hold text but no lines, or None."""
    for file in candidates:
        data = members.get(file.href)
        try:
            texts = region_texts(page_element(data)) if isinstance(data, bytes) else []
        except Rejected:
            continue
        if any(texts):
            return read_blocks(texts, file.href, PageMeta(), ReadOptions(), number, UNLINED)
    return None
