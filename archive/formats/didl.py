"""Reader for a KB (Koninklijke Bibliotheek, Delpher) newspaper issue in MPEG-21 DIDL with
the ALTO pages and article texts it names.

The DIDL (root didl:DIDL, urn:mpeg:mpeg21:2002:02-DIDL-NS) holds one Item for the issue,
with its Dublin Core record (dc:title, dc:date, dc:language, inside srw_dc:dcx), an Item
per page (a Component whose Resource is the page's ALTO) and an Item per article: its
record (dc:title, and dc:subject or dc:type: "artikel", "advertentie", "familiebericht",
"illustratie met onderschrift"), its text (":ocr", KB article XML <text><title/><p/>)
and its zoning (dcx:zoning > dcx:article-part pageid= > dcx:blocks alto= > dcx:TextBlock
ID=), which ties it to ALTO blocks. Resources are named by resolver URLs
(http://resolver.kb.nl/resolve?urn=ddd:010177653:mpeg21:p003:alto); a delivered issue
keeps them beside the DIDL under KB's file names (DDD_010177653_003_alto.xml,
DDD_010177653_0039_articletext.xml), which is where they are looked for: nothing is
fetched. An item with zoning is read from the ALTO (page, confidence, every word
accounted for); one without, from its article text."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field

from archive.dates import year_first
from archive.formats import MB, Input, Member, Reader
from archive.formats.issue import (
    Area,
    Part,
    Spec,
    build_item,
    clean_title,
    load_pages,
)
from archive.formats.issue_files import REMOTE, member_path
from archive.formats.unplaced import interleave, orphans
from archive.formats.xmlsafe import local, parse
from archive.headlines import STRICT, settle
from archive.languages import language_name
from archive.model import PageMeta, RawItem, RawUnit, ReadOptions, Rejected
from archive.problem_list import summary

MAX_BYTES = 64 * MB
_KINDS = {"artikel": "article", "article": "article", "advertentie": "advertisement",
          "advertisement": "advertisement", "familiebericht": "notice",
          "family notice": "notice", "illustratie met onderschrift": "other",
          "illustration": "other"}
# ddd:010177653:mpeg21:p003:alto / ddd:010177653:mpeg21:a0039:ocr
_URN = re.compile(r"^(?P<set>[A-Za-z0-9]+):(?P<id>[A-Za-z0-9]+):mpeg21:"
                  r"(?P<what>[pa])(?P<number>\d+):(?P<kind>alto|ocr)$")
_PAGE_ID = re.compile(r":p(\d+)$")


def members(name: str, data: bytes) -> list[Member]:
    """The ALTO pages and article texts a DIDL names, found beside it (never fetched)."""
    issue = _Issue(parse(data, "DIDL"))
    out = []
    for resource in issue.resources:
        path, problem = member_path(name, resource.local) if resource.local else (None,
                                                                                    REMOTE)
        out.append(Member(resource.local or resource.ref, path, problem, resource.page))
    return out


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of a DIDL issue and its record."""
    issue = _Issue(parse(source.data, "DIDL"))
    alto = [r for r in issue.resources if r.kind == "alto"]
    pages = load_pages([(r.key, r.href, r.page) for r in alto], source.members)
    problems = [f"{page.describe()}: {page.problem}" for page in pages.values()
                if page.problem]
    keys = issue.page_keys()
    record = issue.record()
    items: list[RawItem] = []
    for article in issue.articles:
        found = [(keys.get(ref) or keys.get(page_id), block)
                 for ref, page_id, block in article.blocks]
        areas = [Area(key, block) for key, block in found if key]
        unknown = sorted({ref for (ref, _, _), (key, _) in zip(article.blocks, found,
                                                               strict=True) if not key})
        if unknown:
            problems.append(f"article {article.id}: zoning names pages the DIDL does not "
                            f"hold: {', '.join(unknown)}")
        item = None
        if areas:
            spec = Spec(article.kind, (Part("body", tuple(areas)),), title=article.title,
                        label=f"article {article.id}")
            item, words = build_item(spec, pages, record.publication)
            if words.unknown:
                problems.append(f"article {article.id}: no such ALTO element: "
                                + ", ".join(words.unknown[:3]))
        if item is None and article.text:
            item = _from_text(article, source.members.get(article.text), problems)
        if item is not None:
            items.append(item)
    left, stripped = orphans(pages)
    if not items and not left:
        if problems:
            raise Rejected(summary(problems))
        raise Rejected("no text: the DIDL issue names no article text or ALTO words")
    return RawUnit(items=tuple(settle(item, record.publication)
                               for item in interleave(items, left)),
                   stripped=tuple(stripped), record=record, problems=tuple(problems),
                   headline_rule=STRICT)


def _from_text(article: _Article, data: bytes | str | None, problems: list[str]
               ) -> RawItem | None:
    """An item from KB article text XML: <text><title>..</title><p>..</p>...</text>."""
    if not isinstance(data, bytes):
        problems.append(f"article {article.id} ({article.text}): {data or 'missing'}")
        return None
    try:
        root = parse(data, "article text")
    except Rejected as error:
        problems.append(f"article {article.id} ({article.text}): {error}")
        return None
    title = next((" ".join("".join(e.itertext()).split()) for e in root.iter()
                  if local(e.tag) == "title"), None)
    paragraphs = [" ".join("".join(e.itertext()).split()) for e in root.iter()
                  if local(e.tag) == "p"]
    blocks = tuple((p,) for p in paragraphs if p)
    if not blocks:
        return None
    return RawItem(blocks=blocks, headline=clean_title(title) or clean_title(article.title),
                   kind=article.kind, page=article.page)


@dataclass
class _Resource:
    """A file the DIDL names: a page's ALTO or an article's text."""

    kind: str  # "alto" or "ocr"
    ref: str  # as the DIDL gives it (a resolver URL, most often)
    local: str | None  # the file name it is kept under beside the DIDL
    key: str  # what the reader calls it (for pages: the page's URN)
    page: int | None
    owner: object = None  # the Item it belongs to
    names: set[str] = field(default_factory=set)  # every name an article-part may use

    @property
    def href(self) -> str:
        return self.local or self.ref


class _Article:
    """An article's Item: its record, zoning (ALTO blocks by page) and article text."""

    def __init__(self, item, issue: _Issue) -> None:
        self.id = _attr(item, "identifier") or ""
        record = _dc(item, own=True)
        subject = (record.get("subject") or record.get("type") or "").strip().lower()
        # KB titles ads and notices by their kind ("Advertentie"): no headline, that
        self.title = None if (record.get("title") or "").strip(" .").lower() in _KINDS \
            else record.get("title")
        self.kind = _KINDS.get(subject, "other" if subject else "article")
        self.blocks: list[tuple[str, str, str]] = []  # (page ref, page id, ALTO block ID)
        pages: list[int] = []
        for part in (e for e in item.iter() if local(e.tag) == "article-part"):
            page_id = _attr(part, "pageid") or ""
            if match := _PAGE_ID.search(page_id):
                pages.append(int(match[1]))
            for blocks in (e for e in part.iter() if local(e.tag) == "blocks"):
                ref = _attr(blocks, "alto") or page_id
                self.blocks.extend((ref, page_id, b.get("ID")) for b in blocks.iter()
                                   if local(b.tag) == "TextBlock" and b.get("ID"))
        self.page = pages[0] if pages else None
        texts = [r for r in issue.resources if r.kind == "ocr" and r.owner is item]
        self.text = texts[0].href if texts else None


class _Issue:
    """A DIDL document: its resources, articles and issue record."""

    def __init__(self, root) -> None:
        if local(root.tag) != "DIDL":
            raise Rejected(f"not DIDL: the root element is <{local(root.tag)}>")
        self.root = root
        self.resources: list[_Resource] = []
        for resource in (e for e in root.iter() if local(e.tag) == "Resource"):
            found = self._resource(resource)
            if found is not None:
                self.resources.append(found)
        self.articles = [_Article(item, self) for item in root.iter()
                         if local(item.tag) == "Item" and _is_article(item)]

    def _resource(self, resource) -> _Resource | None:
        ref = (resource.get("ref") or "").strip()
        name = _attr(resource, "filename")
        component = resource.getparent()
        item = component.getparent() if component is not None else None
        component_id = _attr(component, "identifier")
        if not ref and not name:
            return None  # inline (a record), no file
        ids = " ".join(filter(None, [ref, name, component_id]))
        urn = _urn(ref) or _urn(component_id or "")
        lowered = ids.lower()
        if urn:
            kind = urn["kind"]
        elif "alto" in lowered:
            kind = "alto"
        elif ":ocr" in lowered or "articletext" in lowered:
            kind = "ocr"
        elif "xml" in (resource.get("mimeType") or "") and item is not None and \
                _PAGE_ID.search(_attr(item, "identifier") or "") and "meta" not in lowered:
            kind = "alto"  # the text of a page Item, however it is named
        else:
            return None
        if not name:
            name = _kb_name(urn) if urn else (ref if ref and not re.match(
                r"^[A-Za-z][A-Za-z0-9+.-]*:", ref) else None)
        page = int(urn["number"]) if urn and urn["what"] == "p" else None
        if page is None and item is not None and (match := _PAGE_ID.search(
                _attr(item, "identifier") or "")):
            page = int(match[1])
        key = (urn.group(0).rsplit(":", 1)[0] if urn else None) or name or ref
        names = {n for n in (ref, name, key, component_id, _attr(item, "identifier"),
                             urn.group(0) if urn else None) if n}
        return _Resource(kind, ref, name, key, page, item, names)

    def page_keys(self) -> dict[str, str]:
        """Every name an article-part may use for a page (file name, URN, page id, URL)
        -> the page's key."""
        keys: dict[str, str] = {}
        for resource in self.resources:
            if resource.kind == "alto":
                for name in resource.names:
                    keys.setdefault(name, resource.key)
        return keys

    def record(self) -> PageMeta:
        """The issue's own record: the first dc record outside article and page items."""
        record = _dc(self.root, own=False)
        publication = record.get("title")
        date = year_first(record.get("date"))
        return PageMeta(publication=publication.rstrip(" .,;:/") if publication else None,
                        date=date, language=language_name(record.get("language")))


def _is_article(item) -> bool:
    """An article's Item: KB's id ("...:a0012"), or zoning of its own (not a nested Item's)."""
    identifier = _attr(item, "identifier") or ""
    return re.search(r":a\d+$", identifier) is not None or any(
        local(e.tag) == "zoning" and _item_of(e) is item for e in item.iter())


def _item_of(element):
    return next((a for a in element.iterancestors() if local(a.tag) == "Item"), None)


def _dc(element, own: bool) -> dict[str, str]:
    """The first value of each Dublin Core field of an item's record (own: inside it but
    not in a nested Item; else the issue's, outside every article and page Item)."""
    out: dict[str, str] = {}
    for node in element.iter():
        tag = node.tag
        if not isinstance(tag, str) or not tag.startswith("{http://purl.org/dc/elements/"):
            continue
        items = [a for a in node.iterancestors() if local(a.tag) == "Item"]
        if own and (not items or items[0] is not element):
            continue
        if not own and any(_is_article(a) or _PAGE_ID.search(_attr(a, "identifier") or "")
                           for a in items):
            continue
        text = " ".join((node.text or "").split())
        if text:
            out.setdefault(local(tag), text)
    return out


def _attr(element, name: str) -> str | None:
    """An attribute by its local name, in whatever namespace (dc:identifier, pageid)."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return None


def _urn(text: str) -> re.Match[str] | None:
    if "urn=" in text:
        text = urllib.parse.parse_qs(urllib.parse.urlsplit(text).query).get("urn", [""])[0]
    return _URN.match(text.strip())


def _kb_name(urn: re.Match[str]) -> str:
    """KB's file name for a resource: DDD_010177653_003_alto.xml, ..._0039_articletext.xml."""
    stem = f"{urn['set'].upper()}_{urn['id']}_{urn['number']}"
    return stem + ("_alto.xml" if urn["kind"] == "alto" else "_articletext.xml")


# 12: 'for sale' and 'to let' in more languages are words of trade (segmentation.text_kinds)
# 14: specks before a heading's first word dropped (archive.specks.without_specks)
# 15: after a brief, or under a heading of body size, a heading opens the next
#     item; a line of a few words over a paragraph is a heading (segmentation.stories)
#     an ALTO page segmented by its layout is read in its blocks' order (Page.ordered)
# 17: pictures' captions are items of their own (segmentation.captions)
READER = Reader(name="didl", version="17", max_bytes=MAX_BYTES, read=read, members=members,
                member_max_bytes=64 * MB)
