"""Gale's issue XML: one file an issue, its articles already zoned and typed. It is how
Gale delivers the newspapers it digitised to the libraries that bought them, and how
researchers receive them: the Times Digital Archive (LTO_issue.dtd to 1985, GALENP.dtd
after), 19th Century British Library Newspapers (bl_ncnp_issue_apex.dtd), the Burney
collection and Nineteenth Century Collections Online (nccoissue.dtd). defoe and I-analyzer
read the same files.

<issue> holds the issue's date (pf: YYYYMMDD, NCCO's da/searchableDateStart; da as
printed), number (is), edition (ed) and its articles, directly (LTO) or inside its pages
(<page><pa>7</pa><article>..., GALENP). An article gives its title (ti, else the words of
text.title), subtitles (ta, else text.preamble), author (au, au_composed), categories (ct:
"News", "Advertising", "Births, deaths, marriages and obituaries" ...: its kind and
section), page (pa, else the first pi pgref; every pgref when it runs over several), OCR
confidence (ocr, a percentage) and text: text.cr's paragraphs (<p>) of words (<wd
pos="x1,y1,x2,y2">), cut into printed lines where a word's box starts a new line (so that
a word hyphenated at a line's end is joined as on any page)."""

from __future__ import annotations

import re

from archive.dates import year_first
from archive.formats import MB, Input, Reader
from archive.formats.issue import clean_title
from archive.formats.word_lines import box_of, printed_lines
from archive.formats.xmlsafe import local, parse
from archive.headlines import STRICT, settle
from archive.model import PageMeta, RawItem, RawUnit, ReadOptions, Rejected
from archive.titles import catalogue_name

MAX_BYTES = 128 * MB  # an issue of the Times with its words' boxes: tens of MB
_ADVERTISING = re.compile(r"advert|classified", re.IGNORECASE)
_NOTICES = re.compile(r"birth|death|marriage|obituar|notice|appointment|wills?\b",
                      re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
# Where a paper's name may stand in the issue's header, by product (a code such as the
# Times' "0FFO" is no name).
_NAMES = ("jn", "newspaperTitle", "title", "journalTitle")


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The articles of a Gale issue file, with the issue's record."""
    root = parse(source.data, "Gale issue XML")
    if local(root.tag) != "issue":
        raise Rejected(f"not a Gale issue: the root element is <{local(root.tag)}>")
    record = _record(root, options)
    items = [item for page, article in _articles(root)
             if (item := _item(article, page)) is not None]
    if not items:
        raise Rejected("no text: the issue's articles hold no words")
    return RawUnit(items=tuple(settle(item, record.publication) for item in items),
                   record=record, headline_rule=STRICT)


def _record(root, options: ReadOptions) -> PageMeta:
    header = _header(root)
    name = next((text for tag in _NAMES if (text := text_of(header.get(tag)))), None)
    # pf: YYYYMMDD; NCCO writes it as da/searchableDateStart
    printed = header.get("pf")
    if printed is None and (shown := header.get("da")) is not None:
        printed = next((c for c in shown if local(c.tag) == "searchableDateStart"), None)
    date = year_first(text_of(printed))
    publication = catalogue_name(name) if name else options.publication
    return PageMeta(publication=publication, date=date)


def _header(root) -> dict:
    """The issue's own elements (those before and between its articles and pages; in
    GALENP some stand inside <metadatainfo>), by local name: the first of each."""
    found: dict = {}
    for element in root:
        name = local(element.tag)
        if name in ("article", "page"):
            continue
        for inner in ([element] + list(element) if name == "metadatainfo" else [element]):
            found.setdefault(local(inner.tag), inner)
    return found


def _articles(root):
    """(the page element it lies in or None, article) in document order."""
    for element in root:
        name = local(element.tag)
        if name == "article":
            yield None, element
        elif name == "page":
            for article in element:
                if local(article.tag) == "article":
                    yield element, article


def _item(article, page) -> RawItem | None:
    # each kind of child by its name, the first of it (the dict keeps the last written)
    fields = {local(child.tag): child for child in reversed(list(article))}
    text = fields.get("text")
    parts = {} if text is None else {local(c.tag): c for c in reversed(list(text))}
    body = [block for part in (text if text is not None else ())
            if local(part.tag) == "text.cr" for block in _paragraphs(part)]
    title = clean_title(text_of(fields.get("ti"))) or " ".join(
        " ".join(line) for block in _paragraphs(parts.get("text.title")) for line in block)
    subtitles = [t for child in article if local(child.tag) == "ta" and (t := text_of(child))]
    if not subtitles:
        subtitles = [" ".join(" ".join(line) for line in block)
                     for block in _paragraphs(parts.get("text.preamble"))]
    if not body and not title:
        return None
    if not body:  # a title alone (a picture's, a notice's heading): it is the text
        body, title = [(title,)], ""
    categories = [t for child in article if local(child.tag) == "ct" and (t := text_of(child))]
    authors = [t for child in article if local(child.tag) in ("au", "au_composed")
               and (t := text_of(child))]
    refs = [int(ref) for child in article if local(child.tag) == "pi"
            and (ref := (child.get("pgref") or "").strip()).isdigit() and 0 < int(ref) < 10000]
    label = text_of(fields.get("pa")) or (text_of(_child(page, "pa")) if page is not None else None)
    number = _page(label) or (refs[0] if refs else None)
    pages = tuple(sorted(set(refs))) if len(set(refs)) > 1 else ()
    confidence = None
    ocr = fields.get("ocr")
    if ocr is not None and (ocr.get("relevant") or "yes").strip().lower() != "no":
        try:
            confidence = min(1.0, max(0.0, float(text_of(ocr) or "") / 100))
        except ValueError:
            confidence = None
    return RawItem(blocks=tuple(body), headline=title or None,
                   subtitle="; ".join(subtitles) or None,
                   byline=", ".join(authors) or None, kind=kind_of(categories), page=number,
                   pages=pages,
                   section=categories[0] if categories else None, confidence=confidence)


def _paragraphs(part) -> list[tuple[str, ...]]:
    """A text part's paragraphs (<p>), each as its printed lines (word_lines)."""
    if part is None:
        return []
    found = []
    for p in (c for c in part if local(c.tag) == "p"):
        lines = printed_lines((text, box_of(word.get("pos"))) for word in p
                              if local(word.tag) == "wd" and (text := text_of(word)))
        if lines:
            found.append(tuple(text for text, _ in lines))
    return found


def kind_of(categories: list[str]) -> str:
    """The kind of an article its catalogue's categories give ("Classified advertising",
    "Births, deaths, marriages and obituaries", "News")."""
    if any(_ADVERTISING.search(c) for c in categories):
        return "advertisement"
    if any(_NOTICES.search(c) for c in categories):
        return "notice"
    return "article"


def _page(label: str | None) -> int | None:
    """A page label's number ("7", "17A" -> 17)."""
    match = _DIGITS.search(label or "")
    return int(match.group()) if match and 0 < int(match.group()) < 10000 else None


def _child(element, name: str):
    return next((c for c in element if local(c.tag) == name), None)


def text_of(element) -> str | None:
    """An element's text, its white space made single spaces; None when it has none."""
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


# 3: specks before a heading's first word dropped (archive.specks.without_specks)
READER = Reader(name="gale", version="4", max_bytes=MAX_BYTES, read=read)

__all__ = ["READER", "kind_of", "read", "text_of"]
