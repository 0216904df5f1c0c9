"""Olive Software's newspaper XML (ActivePaper archives; impresso reads Le Temps' Swiss
papers from it): an issue with its entity files.

An issue is a folder: TOC.xml (root Xmd_toc: the publication, the issue date and language,
and each page's entities with the files that hold them, HREF "/1/Ar00100"), and under
Document/<page>/ one file per entity (root XMD-entity: an article Ar00100.xml, an
advertisement Ad00310.xml, a picture) and one per page (Pg001.xml: its zoning, which the
entities repeat). TOC.xml is the unit, read with the entity and page files it names, as a
METS issue is read with its ALTO pages; an article continued on a later page
(CONTINUATION_TO / CONTINUATION_FROM) is one item on both pages. An entity file met without
its TOC is read alone by the "olive-entity" reader.

An entity's text: heading parts (HedLine_hl1 the headline, HedLine_hl2 ... the deck), then
its body (Content, Continuation-Content); each Primitive is a zone of lines (L, whose
P attribute opens a paragraph) of words (W; NS="y": no space after it). A word the OCR
read in parts (a word hyphenated across a line end, "l'historien") comes as its parts
(Q, q, with a QID) and then, once, whole (QW): the whole word is read, the parts are not.
Olive gives no word confidences."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from archive.formats import MB, Input, Member, Reader
from archive.formats.issue_files import member_path
from archive.formats.xmlsafe import local, parse
from archive.headlines import STRICT, settle
from archive.languages import language_name
from archive.model import PageMeta, RawItem, RawUnit, ReadOptions, Rejected
from archive.problem_list import summary

MAX_BYTES = 16 * MB  # a TOC lists an issue's entities: tens of KB
MEMBER_MAX_BYTES = 16 * MB  # an entity or page file (a page of small ads: a few MB)
_KINDS = {"article": "article", "ad": "advertisement", "advertisement": "advertisement",
          "picture": "other", "image": "other", "illustration": "other"}
_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")  # dd/mm/yyyy
_BODY = ("Content", "Continuation-Content")


def members(name: str, data: bytes) -> list[Member]:
    """The entity and page files a TOC.xml names (Document/<page>/<id>.xml beside it)."""
    toc = _Toc(parse(data, "Olive TOC"))
    out = []
    for href, page in toc.files():
        path, problem = member_path(name, href)
        out.append(Member(href, path, problem, page))
    return out


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of an Olive issue, from the entity files its TOC names, and its record."""
    toc = _Toc(parse(source.data, "Olive TOC"))
    record = toc.record(options)
    problems: list[str] = []
    entities: dict[str, _Entity] = {}
    for entry in toc.entries:
        data = source.members.get(entry.href)
        if not isinstance(data, bytes):
            problems.append(f"{entry.id} ({entry.href}): {data or 'missing'}")
            continue
        try:
            entities[entry.id] = _Entity(parse(data, "Olive entity"), entry.section)
        except Rejected as error:
            problems.append(f"{entry.id} ({entry.href}): {error}")
    # An article continued on a later page: the TOC and the entity files each say it, on
    # either end (CONTINUATION_TO on the first part, CONTINUATION_FROM on the next).
    links: list[tuple[str | None, str | None]] = []
    for entry in toc.entries:
        links += [(entry.continues_from, entry.id), (entry.id, entry.continues_to)]
        if (entity := entities.get(entry.id)) is not None:
            links += [(entity.continues_from, entry.id), (entry.id, entity.continues_to)]
    after: dict[str, str] = {}
    for first, then in links:
        if first and then and first != then and first in entities and then in entities:
            after.setdefault(first, then)
    continued = set(after.values())
    items, used = [], set()
    # chains from their first parts; then whatever no chain took (links that loop)
    for starts_only in (True, False):
        for entry in toc.entries:
            if entry.id not in entities or entry.id in used \
                    or (starts_only and entry.id in continued):
                continue
            chain = [entities[entry.id]]
            used.add(entry.id)
            while (then := after.get(chain[-1].id)) is not None and then not in used:
                chain.append(entities[then])
                used.add(then)
            if (item := _item(chain)) is not None:
                items.append(settle(item, record.publication))
    if not items:
        raise Rejected(summary(problems) if problems else
                       "no text: the Olive issue's entities hold no words")
    return RawUnit(items=tuple(items), record=record, problems=tuple(problems),
                   headline_rule=STRICT)


def read_entity(source: Input, options: ReadOptions) -> RawUnit:
    """An entity file met without its issue's TOC: one item."""
    root = parse(source.data, "Olive entity")
    entity = _Entity(root)
    item = _item([entity])
    if item is None:
        raise Rejected("no text: the Olive entity holds no words")
    record = entity.record(options)
    return RawUnit(items=(settle(item, record.publication),), record=record,
                   headline_rule=STRICT)


@dataclass(frozen=True)
class _Entry:
    """An entity as the TOC lists it."""

    id: str
    href: str  # the file, relative to the TOC: Document/1/Ar00100.xml
    page: int | None
    section: str | None
    continues_from: str | None
    continues_to: str | None


class _Toc:
    """An issue's Xmd_toc."""

    def __init__(self, root) -> None:
        if local(root.tag) != "Xmd_toc":
            raise Rejected(f"not an Olive TOC: the root element is <{local(root.tag)}>")
        self.root = root
        self.entries: list[_Entry] = []
        self.pages: list[tuple[str, int | None]] = []
        for section in (e for e in root.iter() if local(e.tag) == "Section"):
            name = (section.get("NAME") or "").strip() or None
            for page in (e for e in section if local(e.tag) == "Page"):
                number = _number(page.get("PAGE_NO"))
                if href := _href(page.get("HREF")):
                    self.pages.append((href, number))
                for entity in (e for e in page.iter() if local(e.tag) == "Entity"):
                    href = _href(entity.get("HREF"))
                    if href and entity.get("ID"):
                        self.entries.append(_Entry(
                            entity.get("ID"), href,
                            _number(entity.get("PAGE_NO")) or number, name,
                            entity.get("CONTINUATION_FROM") or None,
                            entity.get("CONTINUATION_TO") or None))

    def files(self) -> list[tuple[str, int | None]]:
        """Every file the TOC names (entities, then pages), each once."""
        seen: dict[str, int | None] = {}
        for entry in self.entries:
            seen.setdefault(entry.href, entry.page)
        for href, page in self.pages:
            seen.setdefault(href, page)
        return list(seen.items())

    def record(self, options: ReadOptions) -> PageMeta:
        """The issue's record: its paper's name (PUBLICATION_DESCRIPTION; else the one given
        by --publication, else Olive's code, "GDL"), date and language."""
        root = self.root
        name = (root.get("PUBLICATION_DESCRIPTION") or "").strip() or options.publication
        return _record(name or root.get("PUBLICATION"), root.get("ISSUE_DATE"),
                       root.get("LANGUAGE"))


class _Entity:
    """An entity file (XMD-entity): its kind, page, heading and body."""

    def __init__(self, root, section: str | None = None) -> None:
        if local(root.tag) != "XMD-entity":
            raise Rejected(f"not an Olive entity: the root element is <{local(root.tag)}>")
        self.root = root
        self.kind = _KINDS.get((root.get("ENTITY_TYPE") or "").strip().lower(), "other")
        self.page = _number(root.get("PAGE_NO"))
        meta = next((e for e in root if local(e.tag) == "Meta"), None)
        self.meta = meta if meta is not None else root
        self.section = section or (self.meta.get("SECTION") or "").strip() or None
        self.id = root.get("ID") or ""
        self.continues_from = root.get("CONTINUATION_FROM") or None
        self.continues_to = root.get("CONTINUATION_TO") or None
        self.heading: list[tuple[str, ...]] = []
        self.deck: list[tuple[str, ...]] = []
        self.body: list[tuple[str, ...]] = []
        for part in root:
            name = local(part.tag)
            if name == "HedLine_hl1":
                self.heading += _paragraphs(part)
            elif name.startswith("HedLine"):
                self.deck += _paragraphs(part)
            elif name in _BODY:
                self.body += _paragraphs(part)

    def record(self, options: ReadOptions) -> PageMeta:
        meta = self.meta
        return _record(options.publication or meta.get("PUBLICATION"), meta.get("ISSUE_DATE"),
                       self.root.get("LANGUAGE"))


def _item(chain: list[_Entity]) -> RawItem | None:
    """One item of an entity and the entities it is continued in (on later pages)."""
    first = chain[0]
    body = tuple(p for entity in chain for p in entity.body)
    heading = " ".join(line for p in first.heading for line in p) or None
    deck = " ".join(line for p in first.deck for line in p) or None
    if not body:  # a heading alone (a picture's caption): its words are the text
        body = tuple(first.heading + first.deck)
        heading = deck = None
    if not body:
        return None
    pages = tuple(dict.fromkeys(e.page for e in chain if e.page is not None))
    return RawItem(blocks=body, headline=heading, subtitle=deck, kind=first.kind,
                   page=first.page, pages=pages if len(pages) > 1 else (),
                   section=first.section)


def _paragraphs(part) -> list[tuple[str, ...]]:
    """The paragraphs of a heading or body part: its zones (Primitive), cut where a line
    opens one (L with P), as printed lines."""
    out: list[tuple[str, ...]] = []
    for zone in (e for e in part.iter() if local(e.tag) == "Primitive"):
        paragraphs: list[list[list[str]]] = []
        glue = False  # the word before said no space follows it (NS="y")
        # the parts of a word read in parts (QID -> its parts, the line of its last part),
        # kept in case the whole word (QW) is missing
        parts: dict[str | None, tuple[list[str], list[str]]] = {}
        whole: set[str | None] = set()
        for element in zone.iter():
            name = local(element.tag)
            if name == "L":
                if element.get("P") or not paragraphs:
                    paragraphs.append([])
                paragraphs[-1].append([])
                glue = False
                continue
            if name not in ("W", "QW", "Q", "q"):
                continue
            text = "".join(element.itertext()).strip()
            if not text:
                continue
            if not paragraphs:  # words before any L: a line of their own
                paragraphs.append([[]])
            line = paragraphs[-1][-1]
            if name in ("Q", "q"):  # a part: the whole word (QW) follows
                if element.get("LH") != "y":  # (a line-end hyphen is no part of it)
                    parts.setdefault(element.get("QID"), ([], line))[0].append(text)
                continue
            if name == "QW":
                whole.add(element.get("QID"))
            if glue and line:
                line[-1] += text
            else:
                line.append(text)
            glue = element.get("NS") == "y"
        for qid, (pieces, line) in parts.items():
            if qid not in whole:  # no whole word given: its parts, joined
                line.append("".join(pieces))
        for paragraph in paragraphs:
            printed = tuple(" ".join(words) for words in paragraph if words)
            if printed:
                out.append(printed)
    return out


def _record(publication: str | None, date: str | None, language: str | None) -> PageMeta:
    """The record an issue (or entity) gives: publication (Olive writes its code, "GDL"),
    issue date (dd/mm/yyyy), language."""
    found = _DATE.match(date or "")
    issued = None
    if found:
        day, month, year = map(int, found.groups())
        try:
            issued = dt.date(year, month, day)
        except ValueError:
            issued = None
    name = (language or "").strip()
    return PageMeta(publication=(publication or "").strip() or None, date=issued,
                    language=language_name(name))


def _href(href: str | None) -> str | None:
    """An entity's or page's file from its TOC HREF ("/1/Ar00100"): Document/1/Ar00100.xml,
    beside the TOC."""
    parts = [p for p in (href or "").replace("\\", "/").split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        return None
    return "/".join(["Document", *parts]) + ("" if parts[-1].lower().endswith(".xml")
                                             else ".xml")


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


# 3: specks before a heading's first word dropped (archive.specks.without_specks)
READER = Reader(name="olive", version="4", max_bytes=MAX_BYTES, read=read, members=members,
                member_max_bytes=MEMBER_MAX_BYTES)
ENTITY_READER = Reader(name="olive-entity", version="1", max_bytes=MEMBER_MAX_BYTES,
                       read=read_entity)
