"""Reader for PressReader-style article text (the seed layout), and for the plainer article
text files that share its shape (headline, paragraphs, furniture lines): one article a file.

Layout: masthead line, headline, subtitle/byline line ("-" when empty), paragraphs
separated by blank lines, category footers. Furniture may appear anywhere."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from archive import furniture
from archive.articles import BYLINE, finish, split_byline
from archive.dateline import parse_dateline
from archive.decoding import decode
from archive.formats import MB, Input, Reader, ocr_text
from archive.headlines import DEBRIS
from archive.model import PageMeta, ParsedFile, RawItem, RawUnit, ReadOptions, Rejected, Stripped
from archive.text import SOFT_HYPHEN, ends_sentence

SEPARATOR = "\x00separator"  # a lone separator line, kept as a block until structure is read
MAX_HEADLINE_WORDS = 30
MAX_BYTES = 5 * MB  # one article page; a bigger file is not a page


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The one article of a page file (decoded here: the reader gets bytes). A page of
    text that opens with no headline line (a small page of another paper: its masthead,
    its date, then its stories) is read as page text (archive.formats.ocr_text) when it
    holds PAGE_TEXT_WORDS words or more, not rejected."""
    text, encoding = decode(source.data)
    try:
        unit = read_text(text, source.name, source.meta, options)
    except NoHeadline:
        if len(text.split()) < PAGE_TEXT_WORDS:
            raise
        unit = ocr_text.read_text(text, source.name, source.meta, options)
        items = tuple(replace(item, notes=(*item.notes, AS_PAGE_TEXT)) for item in unit.items)
        return RawUnit(items, unit.stripped, printed=unit.printed, text=unit.text,
                       encoding=encoding, headline_rule=DEBRIS)
    return RawUnit(unit.items, unit.stripped, printed=unit.printed, text=unit.text,
                   encoding=encoding)


class NoHeadline(Rejected):
    """The page opens with no headline line and its file name carries no title."""


PAGE_TEXT_WORDS = 20
AS_PAGE_TEXT = "no headline line opens the file: read as page text"


_FEW_WORDS = 5  # fewer words in a whole file make no article, headline or not


def read_text(text: str, path: str, meta: PageMeta, options: ReadOptions) -> RawUnit:
    """The raw article of one decoded page; raises Rejected when it holds none."""
    original = text
    if SOFT_HYPHEN in text:  # rare: one look instead of two replacements
        text = text.replace(SOFT_HYPHEN + "\n", "").replace(SOFT_HYPHEN, "")
    text, glued = furniture.strip_inline(text)
    stripped = [Stripped("footer", g) for g in glued]
    blocks, found = _blocks(text.split("\n"), stripped)
    notes: list[str] = []

    while blocks and blocks[0] == [SEPARATOR]:
        blocks.pop(0)
    masthead = _masthead(blocks, meta, options)
    if masthead:
        stripped.insert(0, Stripped("masthead", masthead))
        blocks.pop(0)
    while blocks and blocks[0] == [SEPARATOR]:
        blocks.pop(0)

    headline = _headline(blocks)
    if headline is None:
        headline = _headline_from_name(path)
        if headline is None:
            words = len(original.split())
            if words < _FEW_WORDS:  # a scan's OCR that read next to nothing
                raise Rejected(f"too little text for an article: {words} word"
                               f"{'s' if words != 1 else ''} in the whole file")
            raise NoHeadline("no headline: the page does not start with a headline line and "
                           "its file name carries no title")
        notes.append("headline taken from the file name")
    else:
        blocks.pop(0)

    subtitle = byline = role = None
    if blocks and blocks[0] == [SEPARATOR]:
        blocks.pop(0)  # "-": no subtitle or byline
    elif blocks and (match := BYLINE.match(" ".join(blocks[0]))) and len(blocks[0]) <= 2:
        byline, role = split_byline(match["name"])
        blocks.pop(0)
    elif masthead and len(blocks) > 1 and _subtitle_like(blocks[0]):
        subtitle = " ".join(" ".join(blocks.pop(0)).split())

    item = RawItem(blocks=tuple(tuple(b) for b in blocks if b != [SEPARATOR]),
                   headline=headline, subtitle=subtitle, byline=byline, byline_role=role,
                   notes=tuple(notes))
    printed = PageMeta(publication=masthead or found.get("publication"),
                       date=found.get("date"), page=found.get("page"),
                       section=found.get("section"), language=found.get("language"),
                       country=found.get("country"))
    return RawUnit(items=(item,), stripped=tuple(stripped), printed=printed, text=text)


def read_page(text: str, path: str, sha256: str, meta: PageMeta,
              options: ReadOptions) -> ParsedFile:
    """Parse one decoded page into its article; raises Rejected when it holds none."""
    return finish(read_text(text, path, meta, options), path, sha256, meta, options)


READER = Reader(name="pressreader", version="8", max_bytes=MAX_BYTES, read=read)


def _blocks(lines: list[str], stripped: list[Stripped]) -> tuple[list[list[str]], dict]:
    """Group text lines into blocks; furniture lines end a block and are recorded."""
    blocks: list[list[str]] = []
    current: list[str] = []  # the lines of the block being read
    found: dict[str, object] = {}
    for line in lines:
        line = line.strip()
        if not line:
            if current:
                blocks.append(current)
                current = []
            continue
        kind = furniture.classify(line)
        if kind is None:
            current.append(line)
            continue
        if current:
            blocks.append(current)
            current = []
        stripped.append(Stripped(kind.kind, line))
        if kind.kind == "separator":
            blocks.append([SEPARATOR])
            continue
        for key, value in kind.meta.items():
            found.setdefault(key, value)
    if current:
        blocks.append(current)
    return blocks, found


# The most words a masthead can have without being named by the operator or the metadata:
# an unknown paper's name line, or the longest known name.
_MASTHEAD_WORDS = max(5, *(len(name.split()) for name in furniture.KNOWN_PUBLICATIONS))


def _masthead(blocks: list[list[str]], meta: PageMeta, options: ReadOptions) -> str | None:
    """The first block when it is the publication's name rather than a headline."""
    if not blocks or len(blocks[0]) != 1 or blocks[0] == [SEPARATOR]:
        return None
    names = {n.lower() for n in (meta.publication, options.publication) if n}
    # Too many words for any masthead but a given name: the block may be a whole page, so
    # it is split no further than that.
    if not names and len(blocks[0][0].split(None, _MASTHEAD_WORDS)) > _MASTHEAD_WORDS:
        return None
    line = " ".join(blocks[0][0].split())
    if furniture.known_publication(line) or line.lower() in names:
        return line
    # Unknown paper: a short name line followed by a headline and then the "-" or "By"
    # slot is the PressReader structure.
    if (len(blocks) > 2 and len(line.split()) <= 5 and not ends_sentence(line)
            and (blocks[2] == [SEPARATOR] or BYLINE.match(" ".join(blocks[2])))):
        return line
    return None


# A block ending in a full stop (or a colon) after a word is a sentence of body text; "U.S."
# and "Waiting for..." may still end a headline.
_SENTENCE = re.compile(r"[^\sA-Z.][.:][\"'”’)]?$")


def _headline(blocks: list[list[str]]) -> str | None:
    if not blocks or blocks[0] == [SEPARATOR]:
        return None
    block = " ".join(blocks[0])
    # Counting no further than a headline's words: the block may be a whole page.
    if len(block.split(None, MAX_HEADLINE_WORDS)) > MAX_HEADLINE_WORDS:
        return None
    text = " ".join(block.split())
    if len(blocks) == 1:
        return None  # a lone block is body text, not a headline over nothing
    # Followed by the "-" or "By" slot, the block is a headline by position (however it
    # reads: "INTERVIEW: Australia's QBE ..." is no dateline there); otherwise a page that
    # opens with a dateline or a sentence has lost its headline (web crawls, Tehran Times).
    confirmed = blocks[1] == [SEPARATOR] or bool(BYLINE.match(" ".join(blocks[1])))
    if not confirmed and (parse_dateline(text)[0] is not None or _SENTENCE.search(text)):
        return None
    return text


def _subtitle_like(block: list[str]) -> bool:
    text = " ".join(block)
    return len(text.split()) <= MAX_HEADLINE_WORDS and parse_dateline(text)[0] is None


_HEX_OR_NUMBER = re.compile(r"^(?:[0-9a-f]{6,}|\d+|news|page|p\d+)$", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"[-_\s.]+")
_LOST_APOSTROPHE = re.compile(r"(\w) s\b")


def _headline_from_name(path: str) -> str | None:
    """A title in the file name ("_news_123_Chinese-Ship-Sinks.txt"), if there is one."""
    words = [w for w in _NAME_SEPARATORS.split(PurePath(path).stem) if w]
    words = [w for w in words if not _HEX_OR_NUMBER.match(w)]
    if len(words) < 2 or sum(1 for w in words if len(w) >= 3 and w.isalpha()) < 2:
        return None
    title = " ".join(words)
    title = _LOST_APOSTROPHE.sub(r"\1’s", title)  # "Iran-s-oil" was "Iran’s oil"
    return title[0].upper() + title[1:]
