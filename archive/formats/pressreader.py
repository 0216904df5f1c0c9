"""Reader for PressReader-style article text (the seed layout), and for the plainer article
text files that share its shape (headline, paragraphs, furniture lines).

Layout: masthead line, headline, subtitle/byline line ("-" when empty), paragraphs
separated by blank lines, category footers. Furniture may appear anywhere."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from archive import furniture
from archive.dateline import parse_dateline
from archive.dates import infer_year
from archive.model import (
    Article,
    Dateline,
    PageMeta,
    ParsedFile,
    Rejected,
    Stripped,
    with_word_count,
)
from archive.slugs import slugify
from archive.text import (
    SOFT_HYPHEN,
    Vocabulary,
    ends_sentence,
    join_column_breaks,
    may_have_lost_hyphens,
    paragraph_of,
    restore_lost_hyphens,
)

SEPARATOR = "\x00separator"  # a lone separator line, kept as a block until structure is read
MAX_HEADLINE_WORDS = 30
_BYLINE = re.compile(r"^By\s+(?P<name>[^\d].{1,80}?)\s*$", re.IGNORECASE)
_BYLINE_ROLE = re.compile(
    r"(?:,\s*|\s+)(?P<role>(?:(?:Arab|Kuwait|Tehran|Gulf|Khaleej)\s+Times\s+|Our\s+)?"
    r"(?:Staff(?:\s+(?:Writer|Reporter))?|Correspondent)|(?:Special|Senior|Chief|Foreign|"
    r"Political|Economic|Sports)\s+(?:Correspondent|Editor|Writer)|Editor-in-Chief|"
    r"Managing Editor|Deputy Editor|Editor|Special to (?:the )?[\w ]+)$", re.IGNORECASE)


@dataclass(frozen=True)
class ReadOptions:
    """What the operator told the ingester (command-line options)."""

    publication: str | None = None  # fallback when a page has no masthead
    date: dt.date | None = None  # --date: fallback issue date
    years: tuple[int, int] = (1977, dt.date.today().year)  # range for year inference


def read_page(text: str, path: str, sha256: str, meta: PageMeta,
              options: ReadOptions) -> ParsedFile:
    """Parse one decoded page into its article; raises Rejected when it holds none."""
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
            raise Rejected("no headline: the page does not start with a headline line and "
                           "its file name carries no title")
        notes.append("headline taken from the file name")
    else:
        blocks.pop(0)

    subtitle = byline = role = None
    if blocks and blocks[0] == [SEPARATOR]:
        blocks.pop(0)  # "-": no subtitle or byline
    elif blocks and (match := _BYLINE.match(" ".join(blocks[0]))) and len(blocks[0]) <= 2:
        byline, role = _split_byline(match["name"])
        blocks.pop(0)
    elif masthead and len(blocks) > 1 and _subtitle_like(blocks[0]):
        subtitle = " ".join(" ".join(blocks.pop(0)).split())

    vocabulary = Vocabulary(text)
    # Every paragraph from here on has its words parted by single spaces (join_lines'
    # form; column joins, hyphens restored and a dateline cut keep it), which the word
    # count below relies on.
    paragraphs = [paragraph_of(b, vocabulary) for b in blocks if b != [SEPARATOR]]
    paragraphs = [p for p in paragraphs if p]
    paragraphs, joins = join_column_breaks(paragraphs)
    if joins:
        notes.append(f"joined {joins} paragraph(s) split by a column break")
    if may_have_lost_hyphens(paragraphs):
        repaired = [restore_lost_hyphens(p) for p in paragraphs]
        if repaired != paragraphs:
            notes.append("restored hyphens lost in compounds")
        paragraphs = repaired
    if byline is None and paragraphs and (match := _BYLINE.match(paragraphs[0])) \
            and len(paragraphs[0].split()) <= 12 and not ends_sentence(paragraphs[0]):
        byline, role = _split_byline(match["name"])
        paragraphs.pop(0)

    dateline: Dateline | None = None
    if paragraphs:
        dateline, rest = parse_dateline(paragraphs[0])
        if dateline:
            paragraphs[0] = rest
            paragraphs = [p for p in paragraphs if p]
    if not paragraphs and not subtitle:
        raise Rejected("no article text: only a headline was found")

    publication = (meta.publication or masthead or found.get("publication")
                   or options.publication or "Unknown publication")
    known = furniture.known_publication(publication) or (None, None)
    date, date_source = _issue_date(meta, found, options, dateline, text, notes)
    slug = slugify(publication)
    body = "".join(paragraphs).encode("utf-8", "surrogatepass")
    article = Article(
        id=_article_id(slug, body or headline.encode("utf-8", "surrogatepass")),
        publication=publication,
        publication_slug=slug,
        headline=headline,
        paragraphs=tuple(paragraphs),
        source=path,
        country=meta.country or found.get("country") or known[0],
        language=meta.language or found.get("language") or known[1],
        date=date,
        date_source=date_source,
        page=meta.page or found.get("page"),
        section=meta.section or found.get("section"),
        subtitle=subtitle,
        byline=byline,
        byline_role=role,
        dateline=dateline,
        source_sha256=sha256,
        notes=tuple(notes),
    )
    # Words parted by single spaces: a paragraph holds one word more than spaces.
    with_word_count(article, body.count(b" ") + len(paragraphs))
    return ParsedFile(articles=(article,), stripped=tuple(stripped))


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
            and (blocks[2] == [SEPARATOR] or _BYLINE.match(" ".join(blocks[2])))):
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
    if parse_dateline(text)[0] is not None:
        return None
    if len(blocks) == 1:
        return None  # a lone block is body text, not a headline over nothing
    # Followed by the "-" or "By" slot, the block is a headline by position; otherwise a
    # page that opens with a sentence has lost its headline (web crawls, Tehran Times).
    confirmed = blocks[1] == [SEPARATOR] or bool(_BYLINE.match(" ".join(blocks[1])))
    if not confirmed and _SENTENCE.search(text):
        return None
    return text


def _subtitle_like(block: list[str]) -> bool:
    text = " ".join(block)
    return len(text.split()) <= MAX_HEADLINE_WORDS and parse_dateline(text)[0] is None


def _split_byline(name: str) -> tuple[str, str | None]:
    """ "Ahmed Al-Jarallah Editor-in-Chief" -> ("Ahmed Al-Jarallah", "Editor-in-Chief")."""
    name = " ".join(name.split()).rstrip(",;")
    match = _BYLINE_ROLE.search(name)
    if match and match.start() > 0:
        return name[: match.start()].strip(" ,"), match["role"]
    return name, None


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


def _issue_date(meta: PageMeta, found: dict, options: ReadOptions,
                dateline: Dateline | None, text: str,
                notes: list[str]) -> tuple[dt.date | None, str | None]:
    """Issue date and its source: sidecar/path, the page itself, --date, or inference."""
    if meta.date:
        return meta.date, meta.date_source
    printed = found.get("date")
    if isinstance(printed, dt.date):
        return printed, "page"
    if options.date:
        return options.date, "option"
    if dateline and dateline.month and dateline.day:
        year, why = infer_year(dateline.month, dateline.day, text, options.years)
        notes.append(f"year inference: {why}")
        if year:
            return dt.date(year, dateline.month, dateline.day), "inferred"
    return None, None


# Exactly the characters str.isalnum() rejects (re's \w is isalnum() plus "_").
_NOT_ALNUM = re.compile(r"[\W_]+")
# The same removal done on UTF-8 bytes first, where C routines are many times faster than
# a regex over every character: ASCII punctuation and space, then the typographic marks
# news text is full of (UTF-8 is self-synchronising, so a whole character's bytes only
# match that character). Whatever non-ASCII is left goes through the regex.
_ASCII_NOT_ALNUM = bytes(b for b in range(128) if not chr(b).isalnum())
_TYPOGRAPHIC = re.compile(b"|".join(re.escape(c.encode()) for c in "‘’“”–—…"))


def _folded_alnum(text: bytes) -> str:
    """text (UTF-8) decoded and casefold()ed, without the characters str.isalnum() rejects.

    The characters removed first (ASCII punctuation and space, typographic marks) fold to
    themselves, and casefold() maps each character on its own, so removing them before
    folding gives the same string, and the fold then runs on far less text.
    """
    data = text.translate(None, _ASCII_NOT_ALNUM)
    data = _TYPOGRAPHIC.sub(b"", data)
    if data.isascii():  # ASCII letters and digits: folding is lower-casing
        return data.lower().decode("ascii")
    return _NOT_ALNUM.sub("", data.decode("utf-8", "surrogatepass").casefold())


def article_id(publication_slug: str, headline: str, paragraphs: list[str]) -> str:
    """A stable id from content: the same page always yields the same id.

    Only letters and digits of the body count, so repairs (hyphens, column joins,
    quotes) and headline fixes never change an article's id or permalink.
    """
    basis = "".join(paragraphs) or headline
    return _article_id(publication_slug, basis.encode("utf-8", "surrogatepass"))


def _article_id(publication_slug: str, basis: bytes) -> str:
    """article_id from its basis (the body, or else the headline) as UTF-8."""
    folded = _folded_alnum(basis)
    digest = hashlib.sha256(f"{publication_slug}\x1f{folded}".encode()).hexdigest()
    return digest[:12]
