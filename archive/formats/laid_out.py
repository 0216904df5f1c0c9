"""The items of pages read into layout (archive.layout.Page) with no structure of their
own, for the readers of files that hold one page or several (hOCR, pdftotext's word boxes):
each page segmented by its layout (archive.segmentation), what its furniture printed
gathered, the language its blocks name."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from archive.formats.page_names import page_in_name
from archive.headlines import DEBRIS
from archive.languages import language_name
from archive.layout import Page
from archive.model import PageMeta, RawItem, RawUnit, Stripped
from archive.segmentation import printed_meta, segment


def unit_of_pages(pages: list[Page], name: str) -> RawUnit:
    """A file's pages as one unit. The pages' own numbers count within the file (which may
    hold pages 5-8 of an issue): a lone page takes its number from the file's name
    ("issue-2.hocr"), and a page of several the folio it prints, when it prints one."""
    several = len(pages) > 1
    items: list[RawItem] = []
    stripped: list[Stripped] = []
    for page in pages:
        page = page if several else replace(page, number=page_in_name(name))
        found, furniture = segment(page)
        if several and (folio := printed_meta(furniture).page) is not None:
            found = [replace(item, page=folio) for item in found]
        items.extend(found)
        stripped.extend(furniture)
    printed = printed_meta(stripped)
    languages = Counter(b.language for page in pages for b in page.blocks
                        for _ in b.lines if b.language)
    if languages and printed.language is None:
        code = languages.most_common(1)[0][0]
        printed = PageMeta(printed.publication, printed.date, printed.date_source,
                           printed.page, printed.section, language_name(code),
                           printed.country)
    return RawUnit(items=tuple(items), stripped=tuple(stripped), printed=printed,
                   headline_rule=DEBRIS)
