"""Reader for a METS issue with its ALTO pages (docWorks METS as the BL, BnL and many others
deliver it): articles come from the METS logical structure, their text from the ALTO.
Pages that have PAGE XML and no ALTO (an OCR-D workspace) are read by page_members.py.

Two ways of tying an article to its text are read:
- areas inside the logical divs (BnL: ARTICLE > HEADING/TITLE, BODY > BODY_CONTENT >
  PARAGRAPH > TEXT, each with fptr/area BEGIN = an ALTO block ID);
- a structLink (BL: each smLinkGrp links a logical div to physical "pagearea" divs whose
  area names a run of ALTO words, BEGIN..END, and whose LABEL says Headline or Textblock).
Titles, the issue date and the publication come from MODS (archive.formats.issue reads
the pages and accounts for every word no article claims)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter

from archive.formats import MB, Input, Member, Reader
from archive.formats.issue import (
    Area,
    Part,
    Spec,
    build_item,
    clean_title,
    load_pages,
    member_path,
    stripped,
)
from archive.formats.page_members import PageFile, is_page_xml, read_pages
from archive.formats.unplaced import interleave, orphans
from archive.formats.xmlsafe import local, parse
from archive.furniture import declared_name
from archive.headlines import STRICT, settle
from archive.languages import language_name
from archive.model import KINDS, PageMeta, RawItem, RawUnit, ReadOptions, Rejected

MAX_BYTES = 64 * MB
XLINK = "{http://www.w3.org/1999/xlink}"
_DC = "{http://purl.org/dc/elements/1.1/}"
# fileGrp USE (or ID) words that mark the groups holding page text, and MIMETYPEs of text.
_TEXT_GROUPS = ("fulltext", "text", "alto", "ocr")
# MIMETYPEs of XML page text that is not ALTO (PAGE XML, hOCR)
_OTHER_XML = ("prima", "page+xml", "xhtml", "html")
_KINDS = {
    "article": "article", "chapter": "article", "story": "article", "editorial": "article",
    "letter": "article", "review": "article", "poem": "article",
    "advertisement": "advertisement", "advert": "advertisement", "advertising":
    "advertisement", "classified": "advertisement", "freead": "advertisement",
    "ad": "advertisement", "ads": "advertisement", "advertisment": "advertisement",
    "death_notice": "notice", "family_notice": "notice", "obituary": "notice", "notice":
    "notice", "birth_notice": "notice", "marriage_notice": "notice", "announcement":
    "notice", "official_notice": "notice",
    "illustration": "other", "picture": "other", "table": "other", "weather": "other",
    "other": "other", "map": "other", "chart": "other", "cartoon": "other",
    "photograph": "other", "graphic": "other", "table_of_contents": "other",
}
_FURNITURE = {"title_section": "masthead", "titlesection": "masthead", "masthead": "masthead",
              "header": "masthead",
              "page_header": "running-head", "running_title": "running-head",
              "page_footer": "footer", "footer": "footer", "publishing_stmt": "printer",
              "page_number": "page-number", "folio": "page-number"}
# Divs that hold items rather than being part of one.
_CONTAINERS = frozenset({"issue", "volume", "newspaper", "periodical", "section", "content",
                         "supplement", "part", "edition", "body", "body_content"})
# Part roles by div TYPE (and by physical area LABEL, BL): every other part is body text.
_ROLES = {"title": "headline", "headline": "headline", "main_title": "headline",
          "overline": "overline", "kicker": "overline", "subheadline": "subtitle",
          "subtitle": "subtitle", "subheading": "subtitle", "author": "byline",
          "byline": "byline"}
# Div TYPEs of the parts of an item (besides _ROLES): never an item of their own.
_PART_TYPES = frozenset({"heading", "body", "body_content", "paragraph", "text", "textblock",
                         "caption", "image", "inside_heading", "insideheading"})
_DATE = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})")


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
    return any(spec.kind != "furniture" for spec in _Logical(parse(data, "METS")).specs())


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of a METS issue: articles, ads, notices, the rest; its record from MODS."""
    root = parse(source.data, "METS")
    files = _alto_files(root)
    # the pages with no ALTO file that have PAGE XML (an OCR-D workspace)
    places = _pages(root)
    with_alto = {places[fid][1] for fid, _ in files if fid in places}
    page_files = [f for f in _page_xml_files(root) if f.place not in with_alto]
    if not files and not page_files:
        raise Rejected("METS without page text: its fileSec names no ALTO (fileGrp "
                       "Fulltext/Text/ALTO) and no PAGE XML")
    numbers = _page_numbers(root)
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
        raise Rejected("; ".join(problems))
    record = _record(root)
    items: list[RawItem] = []
    furniture = []
    specs, unplaced = _without_shared_pages(_Logical(root).specs())
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


def _children(element, name: str):
    return [child for child in element if local(child.tag) == name]


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
    for struct_map in _struct_maps(root, "physical"):
        divs = [d for d in struct_map.iter("{*}div") if (d.get("TYPE") or "").lower() == "page"]
        numbered = any((d.get("ORDERLABEL") or d.get("ORDER") or "").strip().isdigit()
                       for d in divs)
        for position, div in enumerate(divs, 1):
            place += 1
            label = (div.get("ORDERLABEL") or "").strip()
            order = (div.get("ORDER") or "").strip()
            number = int(label) if label.isdigit() else int(order) if order.isdigit() else (
                None if numbered else position)
            for fptr in div.iter("{*}fptr"):
                if fptr.getparent() is not div:
                    continue  # a page area's pointer, not the page's
                ids = [fptr.get("FILEID")] + [a.get("FILEID") for a in fptr.iter("{*}area")]
                for file_id in ids:
                    if file_id:
                        out.setdefault(file_id, (number, place))
    return out


def _struct_maps(root, kind: str):
    return [m for m in root.iter("{*}structMap") if (m.get("TYPE") or "").lower() == kind]


class _Logical:
    """The logical structMap read into item specs, in document order."""

    def __init__(self, root) -> None:
        self.texts = {fid for fid, _ in _alto_files(root)}
        self.dmd = {d.get("ID"): d for d in root.iter("{*}dmdSec") if d.get("ID")}
        self.physical = {d.get("ID"): d for m in _struct_maps(root, "physical")
                         for d in m.iter("{*}div") if d.get("ID")}
        self.links = _struct_links(root)
        self.maps = _struct_maps(root, "logical")
        self.out: list[Spec] = []

    def specs(self) -> list[Spec]:
        for struct_map in self.maps:
            for div in _children(struct_map, "div"):
                self._walk(div, None)
        return self.out

    def _walk(self, div, section: str | None) -> None:
        kind = (div.get("TYPE") or "").strip().lower()
        label = f"{kind or 'div'} {div.get('ID') or ''}".strip()
        if kind in _FURNITURE:
            self.out.append(Spec("furniture", tuple(self._parts(div, None)),
                                 furniture=_FURNITURE[kind], label=label))
            return
        if kind in _KINDS or (kind not in _CONTAINERS and not self._holds_items(div)):
            title = self._title(div)
            parts = self._parts(div, None)
            if _KINDS.get(kind) == "advertisement" and len(parts) > 1 and not len(div) \
                    and all(p.linked for p in parts):
                # BL: one ADVERT div links every advertisement area of the issue; each
                # area is an advertisement of its own
                self.out.extend(Spec("advertisement", (part,), section=section,
                                     label=f"{label} area {n}")
                                for n, part in enumerate(parts, 1))
                return
            kind_of = self._classified(div) or _KINDS.get(kind, "other")
            self.out.append(Spec(kind_of, tuple(parts), title=title, section=section, label=label,
                                 language=self._language(div)))
            return
        # A container (issue, section ...): its items are walked, its own parts (a
        # section's heading and opening text) make an item of their own, first.
        title = self._title(div) or clean_title(div.get("LABEL")) if kind == "section" \
            else None
        inner = title.rstrip(" .:;,") if title else section
        at = len(self.out)
        own: list[Part] = list(self._areas_part(div, None))
        for child in _children(div, "div"):
            child_kind = (child.get("TYPE") or "").strip().lower()
            if child_kind in _KINDS or child_kind in _FURNITURE or self._holds_items(child) \
                    or self._described(child):
                self._walk(child, inner)
            else:
                own.extend(self._parts(child, None))
        if own:
            body = any(p.role not in ("headline", "overline", "subtitle") for p in own)
            self.out.insert(at, Spec("article" if body else "furniture", tuple(own),
                                 title=title, section=section, furniture="section-heading",
                                 label=f"{kind} {div.get('ID') or ''}".strip()))

    def _described(self, div) -> bool:
        """Whether a div of a TYPE not known here has a catalogue record of its own (a
        DMDID naming MODS), as the items of an issue have and their parts do not: it is
        an item, never text of the section around it."""
        kind = (div.get("TYPE") or "").strip().lower()
        return kind not in _ROLES and kind not in _PART_TYPES and bool(self._mods(div))

    def _holds_items(self, div) -> bool:
        return any((d.get("TYPE") or "").strip().lower() in _KINDS or
                   (d.get("TYPE") or "").strip().lower() in _FURNITURE
                   for d in div.iter("{*}div") if d is not div)

    def _parts(self, div, role: str | None) -> list[Part]:
        """The parts of an item div, in document order: its own areas, its child divs',
        and the physical areas a structLink ties it to."""
        kind = (div.get("TYPE") or "").strip().lower()
        role = _ROLES.get(kind, role)
        if kind == "heading":
            role = role or "headline"
        if kind == "paragraph" or (role and kind in _ROLES):  # one part of all its areas
            areas = tuple(a for fptr in div.iter("{*}fptr") for a in self._areas(fptr))
            parts = [Part(role or "body", areas, joined=kind == "paragraph")] if areas else []
        else:
            parts = list(self._areas_part(div, role))
            for child in _children(div, "div"):
                parts.extend(self._parts(child, role))
        for target in self.links.get(div.get("ID"), ()):
            parts.extend(self._linked(target))
        return parts

    def _areas_part(self, div, role: str | None) -> list[Part]:
        areas = tuple(a for fptr in _children(div, "fptr") for a in self._areas(fptr))
        return [Part(role or "body", areas)] if areas else []

    def _areas(self, fptr) -> list[Area]:
        """The ALTO areas of a file pointer (area, or seq/par of areas, or the file)."""
        areas = [a for a in fptr.iter("{*}area") if a.get("FILEID") in self.texts]
        if not areas and fptr.get("FILEID") in self.texts:
            return [Area(fptr.get("FILEID"), None)]
        # An area without BEGIN names the whole file, unless it says how it would point
        # (BETYPE, SHAPE): then it names nothing (BL: a page area where OCR found no word).
        return [Area(a.get("FILEID"), a.get("BEGIN") or None, a.get("END") or None)
                for a in areas if a.get("BEGIN") or not (a.get("BETYPE") or a.get("SHAPE"))]

    def _linked(self, target: str) -> list[Part]:
        """The parts of a physical div a structLink names: a page area (its LABEL gives
        the role: Headline, Textblock ...) or a whole page."""
        div = self.physical.get(target)
        if div is None:
            return []
        if (div.get("TYPE") or "").lower() != "pagearea":
            areas = tuple(a for fptr in _children(div, "fptr") for a in self._areas(fptr))
            return [Part("body", areas)] if areas else []
        role = _ROLES.get((div.get("LABEL") or "").strip().lower(), "body")
        areas = tuple(a for fptr in div.iter("{*}fptr") for a in self._areas(fptr))
        return [Part(role, areas, linked=True)] if areas else []

    def _title(self, div) -> str | None:
        for mods in self._mods(div):
            if title := _mods_title(mods):
                return clean_title(title)
        return None

    def _classified(self, div) -> str | None:
        """The kind the item's MODS record classes it as, when that says more than its div
        TYPE (BnF: an ARTICLE div whose record says <classification>freead</...>)."""
        for mods in self._mods(div):
            for element in mods.iter("{*}classification", "{*}genre"):
                if found := _KINDS.get((element.text or "").strip().lower()):
                    return found
        return None

    def _language(self, div) -> str | None:
        """The language the item's own MODS record gives (BnL: fr or de per article)."""
        for mods in self._mods(div):
            term = next((t.text for t in mods.iter("{*}languageTerm") if t.text), None)
            if term:
                return language_name(term)
        return None

    def _mods(self, div) -> list:
        """The MODS records of a div's DMDID."""
        found = []
        for dmd_id in (div.get("DMDID") or "").split():
            dmd = self.dmd.get(dmd_id)
            mods = next(dmd.iter("{*}mods"), None) if dmd is not None else None
            if mods is not None:
                found.append(mods)
        return found


def _struct_links(root) -> dict[str, list[str]]:
    """Logical div ID -> the physical div IDs its smLinkGrp (or smLink) ties it to."""
    links: dict[str, list[str]] = {}
    for group in root.iter("{*}smLinkGrp"):
        locators = {loc.get(XLINK + "label"): (loc.get(XLINK + "href") or "").lstrip("#")
                    for loc in group.iter("{*}smLocatorLink")}
        for arc in group.iter("{*}smArcLink"):
            source = locators.get(arc.get(XLINK + "from"))
            target = locators.get(arc.get(XLINK + "to"))
            if source and target:
                links.setdefault(source, []).append(target)
    for link in root.iter("{*}smLink"):
        source = (link.get(XLINK + "from") or "").lstrip("#")
        target = (link.get(XLINK + "to") or "").lstrip("#")
        if source and target:
            links.setdefault(source, []).append(target)
    return links


def _mods_title(mods) -> str | None:
    """The first title of a MODS record (its own, not a related item's), with nonSort."""
    for info in _children(mods, "titleInfo"):
        if (info.get("type") or "") in ("abbreviated", "alternative"):
            continue
        words = [" ".join((child.text or "").split()) for child in info
                 if local(child.tag) in ("nonSort", "title")]
        title = " ".join(w for w in words if w)
        if title:
            return title
    return None


def _record(root) -> PageMeta:
    """The issue's catalogue record: publication, date and language from the MODS of the
    divs that stand for the issue (not its articles)."""
    records = []
    for struct_map in root.iter("{*}structMap"):
        for div in struct_map.iter("{*}div"):
            kind = (div.get("TYPE") or "").strip().lower()
            if kind in _KINDS or kind == "section" or kind in _FURNITURE or kind == "page":
                continue
            for dmd_id in (div.get("DMDID") or "").split():
                records.append(dmd_id)
    dmd = {d.get("ID"): d for d in root.iter("{*}dmdSec")}
    mods_list = [m for i in dict.fromkeys(records) if i in dmd for m in dmd[i].iter("{*}mods")]
    if not records and len(found := list(root.iter("{*}mods"))) == 1:
        mods_list = found  # one record no div names (an OCR-D workspace): the issue's
    publication = date = language = None
    for mods in mods_list:
        publication = publication or _mods_title(mods)
        date = date or _mods_date(mods)
        if language is None:
            term = next((t.text for t in mods.iter("{*}languageTerm") if t.text), None)
            language = language_name(term)
    if date is None:  # a Dublin Core record (BnF: <dc:date>1915-12-01</dc:date>)
        date = next((d for i in dict.fromkeys(records) if i in dmd
                     for element in dmd[i].iter(_DC + "date")
                     if (d := _iso_date(element.text))), None)
    if language is None:  # BL: only the articles say; the issue's is theirs, mostly
        terms = Counter((t.text or "").strip() for t in root.iter("{*}languageTerm"))
        terms.pop("", None)
        language = language_name(terms.most_common(1)[0][0]) if terms else None
    if publication:
        publication = publication.rstrip(" .,;:/") or None
    return PageMeta(publication=publication, date=date, language=language)


def _mods_date(mods) -> dt.date | None:
    dates = [d for info in _children(mods, "originInfo") for d in _children(info,
                                                                              "dateIssued")]
    dates.sort(key=lambda d: d.get("keyDate") != "yes")
    return next((d for element in dates if (d := _iso_date(element.text))), None)


def _iso_date(text: str | None) -> dt.date | None:
    """The date a record's field opens with ("1915-12-01", "19151201"), if real."""
    match = _DATE.match(text or "")
    try:
        return dt.date(*(int(g) for g in match.groups())) if match else None
    except ValueError:
        return None


assert set(_KINDS.values()) <= set(KINDS)
READER = Reader(name="mets", version="9", max_bytes=MAX_BYTES, read=read, members=members,
                member_max_bytes=64 * MB, places_items=places_items)
