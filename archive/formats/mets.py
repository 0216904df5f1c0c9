"""Reader for a METS issue with its ALTO pages (docWorks METS as the BL, BnL and many others
deliver it): articles come from the METS logical structure, their text from the ALTO.
Pages that have PAGE XML and no ALTO (an OCR-D workspace) are read by page_members.py.

Two ways of tying an article to its text are read:
- areas inside the logical divs (BnL: ARTICLE > HEADING/TITLE, BODY > BODY_CONTENT >
  PARAGRAPH > TEXT, each with fptr/area BEGIN = an ALTO block ID);
- a structLink (BL: each smLinkGrp links a logical div to physical "pagearea" divs whose
  area names a run of ALTO words, BEGIN..END, and whose LABEL says Headline or Textblock).
Titles, the issue date and the publication come from MODS or Dublin Core
(archive.formats.mets_logical reads the logical structMap into item specs;
archive.formats.issue reads the pages and accounts for every word no article claims;
archive.formats.issue_files says where the pages lie)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from archive.dates import year_first
from archive.formats import MB, Input, Member, Reader
from archive.formats.issue import (
    Spec,
    build_item,
    load_pages,
    stripped,
)
from archive.formats.issue_files import member_path
from archive.formats.mets_logical import (
    FURNITURE_KINDS,
    ITEM_KINDS,
    XLINK,
    Logical,
    struct_maps,
)
from archive.formats.mods import mods_date, mods_page, mods_title
from archive.formats.page_members import PageFile, is_page_xml, read_pages
from archive.formats.sniff import HEAD_BYTES, root_element
from archive.formats.unplaced import interleave, orphans
from archive.formats.xmlsafe import local, parse
from archive.furniture import declared_name
from archive.headlines import STRICT, settle
from archive.languages import language_name
from archive.model import KINDS, PageMeta, RawItem, RawUnit, ReadOptions, Rejected
from archive.problem_list import summary
from archive.titles import catalogue_name

MAX_BYTES = 64 * MB
_DC = "{http://purl.org/dc/elements/1.1/}"
# fileGrp USE (or ID) words that mark the groups holding page text, and MIMETYPEs of text.
_TEXT_GROUPS = ("fulltext", "text", "alto", "ocr")
# MIMETYPEs of XML page text that is not ALTO (PAGE XML, hOCR)
_OTHER_XML = ("prima", "page+xml", "xhtml", "html")
# An NDNP batch's record of a microfilm reel (TYPE "urn:library-of-congress:ndnp:mets:
# microfilmReel"): its pages are the reel's technical target frames.
_REEL = re.compile(r"microfilmReel", re.IGNORECASE)
# An NDNP issue's LABEL: "Evening star (Washington, D.C.), 1915-03-22", the paper's title,
# its place, the issue's date.
_LABEL = re.compile(r"^\s*(?P<title>[^()]*?[^\s(),])\s*(?:\([^()]*\))?\s*,\s*"
                    r"(?P<date>\d{4}-\d{2}-\d{2})\s*$")


def members(name: str, data: bytes) -> list[Member]:
    """The page text files (ALTO, PAGE XML) a METS file names, found beside it on disk
    (never outside its folder)."""
    root = parse(data, "METS")
    numbers = _page_numbers(root)
    out = []
    for file_id, href in _alto_files(root, every=True):
        path, problem = member_path(name, href)
        out.append(Member(href, path, problem, numbers.get(file_id)))
    for file in _page_xml_files(root):
        path, problem = member_path(name, file.href)
        out.append(Member(file.href, path, problem, file.number))
    return out


def places_items(data: bytes) -> bool:
    """Whether a METS file records its pages' items (a logical structMap of articles,
    ads ...), not only its files and pages (BnF's manifest.xml beside toc/T....xml)."""
    root = parse(data, "METS")
    return any(spec.kind != "furniture" for spec in _specs(root))


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of a METS issue: articles, ads, notices, the rest; its record from MODS."""
    root = parse(source.data, "METS")
    if _REEL.search(root.get("TYPE") or "") or _REEL.search(root.get("PROFILE") or ""):
        # (still a unit: the frames it names are not read as pages on their own)
        raise Rejected("not an issue: an NDNP microfilm reel record; the pages it names are "
                       "the reel's target frames (test charts), not the paper's pages")
    places = _pages(root)
    numbers = _page_numbers(root)
    files, page_files = _as_they_are(_alto_files(root), _page_xml_files(root), places,
                                     numbers, source.members)
    # the pages with no ALTO file that have PAGE XML (an OCR-D workspace)
    with_alto = {places[fid][1] for fid, _ in files if fid in places}
    page_files = [f for f in page_files if f.place not in with_alto]
    if not files and not page_files:
        raise Rejected("METS without page text: its fileSec names no ALTO (fileGrp "
                       "Fulltext/Text/ALTO) and no PAGE XML")
    pages = load_pages([(fid, href, numbers.get(fid)) for fid, href in files], source.members)
    problems = [f"{page.describe()}: {page.problem}" for page in pages.values()
                if page.problem]
    page_items, page_stripped, page_problems = read_pages(page_files, source.members)
    problems += page_problems
    if not page_items and all(page.alto is None or not page.alto.size
                              for page in pages.values()):
        if all(page.alto is not None for page in pages.values()) and not page_problems:
            raise Rejected(f"no text: none of the issue's {len(pages)} ALTO pages holds a "
                           "word")
        raise Rejected(summary(problems))
    record = _record(root)
    items: list[RawItem] = []
    furniture = []
    specs, unplaced = _without_shared_pages(_specs(root))
    if unplaced:
        problems.append(f"{unplaced} item(s) name only whole pages other items name too: "
                        "those pages are segmented by their layout")
    for spec in specs:
        if spec.kind == "furniture":
            found = stripped(spec, pages)
            furniture.extend(block for _, block in found)
            if record.publication is None and spec.furniture == "masthead":
                # the title the masthead's heading prints (BnF: no record names the paper)
                names = (declared_name(block.text) for role, block in found
                         if role == "headline")
                if name := next((n for n in names if n), None):
                    record = dataclasses.replace(record, publication=name)
            continue
        item, words = build_item(spec, pages, record.publication)
        if words.unknown:
            problems.append(f"{spec.label}: no such ALTO element: "
                            + ", ".join(words.unknown[:3])
                            + (" ..." if len(words.unknown) > 3 else ""))
        if item is not None:
            items.append(item)
    left, left_stripped = orphans(pages)
    # every item's headline passes headlines.fault, or is its first readable words, or
    # headlines.UNTITLED (the words of a heading set aside open its text)
    return RawUnit(items=tuple(settle(item, record.publication)
                               for item in interleave(items, left + page_items)),
                   stripped=tuple(furniture + left_stripped + page_stripped),
                   record=record, problems=tuple(problems), headline_rule=STRICT)


def _specs(root) -> list[Spec]:
    """The items the logical structMap describes (mets_logical)."""
    return Logical(root, {fid for fid, _ in _alto_files(root)}).specs()


def _without_shared_pages(specs: list[Spec]) -> tuple[list[Spec], int]:
    """The specs without the whole pages that several items name (Kitodo links each
    article to the pages it is on, not to its blocks: no item can hold a page that others
    hold too, and the page left unplaced is segmented by its layout); how many items that
    left with nothing."""
    whole = Counter(area.file for spec in specs if spec.kind != "furniture"
                    for part in spec.parts for area in part.areas if area.begin is None)
    shared = {file for file, count in whole.items() if count > 1}
    if not shared:
        return specs, 0
    out, emptied = [], 0
    for spec in specs:
        parts = tuple(kept for part in spec.parts if (kept := dataclasses.replace(
            part, areas=tuple(a for a in part.areas
                              if a.begin is not None or a.file not in shared))).areas)
        if spec.kind != "furniture" and not parts:
            emptied += 1
        elif parts:
            out.append(dataclasses.replace(spec, parts=parts))
    return out, emptied


def _alto_files(root, every: bool = False) -> list[tuple[str, str]]:
    """(FILEID, href) of the page text files the fileSec names, in its order: ALTO, one
    for each page (a METS of OCR-D keeps every OCR run of a page, and PAGE XML beside it:
    the page's first ALTO file is its text), or every ALTO file (every=True: the files
    the issue holds, none of them to be read again on its own)."""
    pages = _pages(root)
    out = []
    seen: set[int] = set()  # the page divs that have their text file
    for file in root.iter("{*}file"):
        # the groups' USE or ID, or the file's own USE (NDNP: <file USE="ocr">)
        uses = " ".join([file.get("USE", "")] + [f"{g.get('USE', '')} {g.get('ID', '')}"
                        for g in file.iterancestors() if local(g.tag) == "fileGrp"]).lower()
        mimetype = (file.get("MIMETYPE") or "").lower()
        if not any(word in uses for word in _TEXT_GROUPS) or (mimetype and (
                "xml" not in mimetype or any(form in mimetype for form in _OTHER_XML))):
            continue
        page = pages.get(file.get("ID"))
        if page is not None and page[1] in seen and not every:
            continue
        if (href := _href(file)) and file.get("ID"):
            out.append((file.get("ID"), href))
            if page is not None:
                seen.add(page[1])
    return out


def _as_they_are(alto: list[tuple[str, str]], page_xml: list[PageFile],
                 places: dict[str, tuple[int | None, int]], numbers: dict[str, int],
                 members: dict[str, bytes | str]) -> tuple[list[tuple[str, str]],
                                                           list[PageFile]]:
    """The ALTO and PAGE XML files of an issue as their content says: a file the METS
    calls ALTO (its group or MIMETYPE) that holds PAGE XML is read as PAGE XML, as the
    ingester tells every file by what it holds, not by what it is called."""
    kept, recast = [], []
    for file_id, href in alto:
        data = members.get(href)
        if isinstance(data, bytes) and _root_name(data) == "PcGts":
            place = places.get(file_id, (None, None))[1]
            recast.append(PageFile(file_id, href, place, numbers.get(file_id)))
        else:
            kept.append((file_id, href))
    return kept, page_xml + recast


def _root_name(data: bytes) -> str | None:
    """The local name of a document's root element, from its first bytes."""
    try:
        return root_element(data[:HEAD_BYTES])[0]
    except Rejected:
        return None


def _href(file) -> str | None:
    """Where a fileSec file lies: the first of its FLocats that names a place."""
    return next((href for locator in file.iter("{*}FLocat")
                 if (href := locator.get(XLINK + "href") or locator.get("href"))), None)


def _page_xml_files(root) -> list[PageFile]:
    """Every PAGE XML file the fileSec names, in its order, with its page's place and
    number (archive.formats.page_members)."""
    pages = _pages(root)
    out = []
    for file in root.iter("{*}file"):
        if not is_page_xml(file.get("MIMETYPE") or "") or not file.get("ID"):
            continue
        if href := _href(file):
            number, place = pages.get(file.get("ID"), (None, None))
            out.append(PageFile(file.get("ID"), href, place, number))
    return out


def _page_numbers(root) -> dict[str, int]:
    """FILEID -> the page it holds, from the physical structMap (ORDERLABEL, else ORDER,
    else the page's place among the pages)."""
    return {file_id: number for file_id, (number, _) in _pages(root).items()
            if number is not None}


def _pages(root) -> dict[str, tuple[int | None, int]]:
    """FILEID -> (its page's number, the page div's place among the structMap's pages)
    for every file a page div of the physical structMap points to."""
    out: dict[str, tuple[int | None, int]] = {}
    place = 0
    dmd = {d.get("ID"): d for d in root.iter("{*}dmdSec") if d.get("ID")}
    # NDNP's issues type neither their structMap nor their pages' divs but as "np:page"
    maps = struct_maps(root, "physical") or [
        m for m in root.iter("{*}structMap") if not (m.get("TYPE") or "").strip()]
    for struct_map in maps:
        divs = [d for d in struct_map.iter("{*}div")
                if (d.get("TYPE") or "").lower().rpartition(":")[2] == "page"]
        given = [_div_number(div, dmd) for div in divs]
        numbered = any(n is not None for n in given)
        for position, (div, number) in enumerate(zip(divs, given, strict=True), 1):
            place += 1
            if number is None and not numbered:
                number = position
            for fptr in div.iter("{*}fptr"):
                if fptr.getparent() is not div:
                    continue  # a page area's pointer, not the page's
                ids = [fptr.get("FILEID")] + [a.get("FILEID") for a in fptr.iter("{*}area")]
                for file_id in ids:
                    if file_id:
                        out.setdefault(file_id, (number, place))
    return out


def _record(root) -> PageMeta:
    """The issue's catalogue record: publication, date and language from the MODS of the
    divs that stand for the issue (not its articles)."""
    records = []
    for struct_map in root.iter("{*}structMap"):
        for div in struct_map.iter("{*}div"):
            kind = (div.get("TYPE") or "").strip().lower()
            if kind in ITEM_KINDS or kind == "section" or kind in FURNITURE_KINDS or kind == "page":
                continue
            for dmd_id in (div.get("DMDID") or "").split():
                records.append(dmd_id)
    dmd = {d.get("ID"): d for d in root.iter("{*}dmdSec")}
    mods_list = [m for i in dict.fromkeys(records) if i in dmd for m in dmd[i].iter("{*}mods")]
    if not records and len(found := list(root.iter("{*}mods"))) == 1:
        mods_list = found  # one record no div names (an OCR-D workspace): the issue's
    publication = date = language = None
    for mods in mods_list:
        publication = publication or mods_title(mods)
        date = date or mods_date(mods)
        if language is None:
            term = next((t.text for t in mods.iter("{*}languageTerm") if t.text), None)
            language = language_name(term)
    if date is None:  # a Dublin Core record (BnF: <dc:date>1915-12-01</dc:date>)
        date = next((d for i in dict.fromkeys(records) if i in dmd
                     for element in dmd[i].iter(_DC + "date")
                     if (d := year_first(element.text))), None)
    if language is None:  # BL: only the articles say; the issue's is theirs, mostly
        terms = Counter((t.text or "").strip() for t in root.iter("{*}languageTerm"))
        terms.pop("", None)
        language = language_name(terms.most_common(1)[0][0]) if terms else None
    if publication is None and (label := _LABEL.match(root.get("LABEL") or "")):
        # an NDNP issue names its paper only in its LABEL (its MODS holds the LCCN)
        publication = catalogue_name(label["title"])
        date = date or year_first(label["date"])
    if publication:
        publication = publication.rstrip(" .,;:/") or None
    return PageMeta(publication=publication, date=date, language=language)


def _div_number(div, dmd: dict) -> int | None:
    """The number a page div gives its page: ORDERLABEL, else ORDER, else the page number
    of its MODS record (NDNP's: part/extent/start)."""
    for value in (div.get("ORDERLABEL"), div.get("ORDER")):
        if (value or "").strip().isdigit():
            return int(value.strip())  # type: ignore[union-attr]
    for dmd_id in (div.get("DMDID") or "").split():
        for mods in (dmd[dmd_id].iter("{*}mods") if dmd_id in dmd else ()):
            if (page := mods_page(mods)) and page.isdigit() and 0 < int(page) < 10000:
                return int(page)
    return None



assert set(ITEM_KINDS.values()) <= set(KINDS)
# 12: an NDNP microfilm reel record is rejected as one (its target frames were read as items)
# 13: 'for sale' and 'to let' in more languages are words of trade (segmentation.text_kinds)
# 15: specks before a heading's first word dropped (archive.specks.without_specks)
# 16: after a brief, or under a heading of body size, a heading opens the next
#     item; a line of a few words over a paragraph is a heading (segmentation.stories)
#     an ALTO page segmented by its layout is read in its blocks' order (Page.ordered)
# 18: pictures' captions are items of their own (segmentation.captions)
READER = Reader(name="mets", version="18", max_bytes=MAX_BYTES, read=read, members=members,
                member_max_bytes=64 * MB, places_items=places_items)
