"""Raw items -> articles: the finishing every reader shares, written once.

Text repair (line joins and hyphenation, column breaks, lost compound hyphens), byline and
dateline, the publication and issue date by precedence, kind, confidence, word count and
the article's identity."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections import Counter
from dataclasses import replace

from archive import furniture, headlines
from archive.credits import Credit, credit, heading_credit, special_credit
from archive.dateline import parse_dateline
from archive.dates import infer_year
from archive.decoding import needs_repair, repair
from archive.language_guess import guess_language
from archive.lost_hyphens import LostHyphens
from archive.model import (
    KINDS,
    UNKNOWN_PUBLICATION,
    Article,
    Dateline,
    PageMeta,
    ParsedFile,
    RawItem,
    RawUnit,
    ReadOptions,
    Rejected,
    with_word_count,
)
from archive.problem_list import summary
from archive.slugs import id_slug, slugify
from archive.specks import close_up, close_up_all, without_specks
from archive.text import (
    Vocabulary,
    ends_sentence,
    join_column_breaks,
    may_have_lost_hyphens,
    paragraph_of,
    restore_lost_hyphens,
)
from archive.titles import TITLES_FOLDER
from archive.unspaced import count_words, has_cjk, may_hold_cjk

# A name holds no verb: "BY FALL SAYS LEWIS" goes on with a deck ("GUARD WILL BE BACK").
BYLINE = re.compile(r"^By\s+(?!.*\b(?:says|said|is|are|was|were|will|would)\b)"
                    r"(?P<name>[^\d].{1,80}?)\s*$", re.IGNORECASE)
_BYLINE_ROLE = re.compile(
    r"(?:,\s*|\s+)(?P<role>(?:(?:Arab|Kuwait|Tehran|Gulf|Khaleej)\s+Times\s+|Our\s+)?"
    r"(?:Staff(?:\s+(?:Writer|Reporter))?|Correspondent)|(?:Special|Senior|Chief|Foreign|"
    r"Political|Economic|Sports)\s+(?:Correspondent|Editor|Writer)|Editor-in-Chief|"
    r"Managing Editor|Deputy Editor|Editor|Special to (?:the )?[\w ]+)$", re.IGNORECASE)


def finish(unit: RawUnit, path: str, sha256: str, meta: PageMeta,
           options: ReadOptions) -> ParsedFile:
    """The articles of a read unit. Rejected when it holds no text at all."""
    if unit.text is None:  # words a parser read (markup), never through decoding.decode
        unit = replace(unit, items=tuple(_repaired(item) for item in unit.items))
    text = unit.text if unit.text is not None else "\n".join(
        line for item in unit.items for block in item.blocks for line in block)
    vocabulary = Vocabulary(text)
    # Page OCR text (a scanned page read as text) may have lost the hyphens of words
    # broken at line ends; markup readers keep them (ALTO HYP, hOCR), as do born-digital
    # pages.
    breaks = LostHyphens(text, vocabulary) if unit.headline_rule and unit.text is not None \
        else None
    single = len(unit.items) == 1
    articles: list[Article] = []
    seen: Counter[str] = Counter()  # identical items of one page, told apart by order
    for item in unit.items:
        article = _finish_item(item, unit, path, sha256, meta, options, vocabulary, text,
                               single, breaks)
        if article is None:
            continue
        occurrence = seen[article.id]
        seen[article.id] += 1
        if occurrence:
            article = _renumbered(article, occurrence)
        articles.append(article)
    if not articles:
        if unit.problems:
            raise Rejected(summary(unit.problems))
        raise Rejected(_nothing_left(unit))
    return ParsedFile(articles=tuple(articles), stripped=unit.stripped,
                      encoding=unit.encoding, problems=unit.problems)


def _nothing_left(unit: RawUnit) -> str:
    """Why a unit made no article: it holds no words, or every word it holds was taken
    for page furniture (the operator reads which, and can tell a mistake)."""
    if not unit.stripped:
        return "no text: the file holds no words to read"
    kinds = Counter(piece.kind for piece in unit.stripped)
    words = sum(len(piece.text.split()) for piece in unit.stripped)
    what = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    sample = unit.stripped[0].text
    sample = sample if len(sample) <= 40 else sample[:39] + "\u2026"
    return (f"no article text: the {words} word(s) the file holds were all taken for page "
            f"furniture ({what}; the first: \"{sample}\")")


def _heading(text: str) -> str:
    """A headline or deck with its spaced punctuation closed up and no speck at its ends."""
    return without_specks(close_up(text))


def _repaired(item: RawItem) -> RawItem:
    """An item with decoding.repair applied to its words (most items need nothing)."""
    fields = (item.headline, item.subtitle, item.byline)
    if not needs_repair("\n".join([*(line for block in item.blocks for line in block),
                                    *(f for f in fields if f)])):
        return item
    blocks = tuple(tuple(repair(line) for line in block) for block in item.blocks)
    headline, subtitle, byline = (None if f is None else repair(f) for f in fields)
    return replace(item, blocks=blocks, headline=headline, subtitle=subtitle, byline=byline)


def _finish_item(item: RawItem, unit: RawUnit, path: str, sha256: str, meta: PageMeta,
                 options: ReadOptions, vocabulary: Vocabulary, text: str,
                 single: bool, breaks: LostHyphens | None = None) -> Article | None:
    printed, record = unit.printed, unit.record
    by_lccn = f"LCCN {meta.lccn}" if meta.lccn else None
    publication = (meta.publication or record.publication or printed.publication
                   or options.publication or by_lccn or UNKNOWN_PUBLICATION)
    if unit.headline_rule:  # a heading of OCR debris (or the paper's title) opens the text
        item = headlines.settle(item, publication, unit.headline_rule)
    if item.headline or item.subtitle:
        headline = item.headline and _heading(item.headline)
        subtitle = item.subtitle and _heading(item.subtitle)
        if headline != item.headline or subtitle != item.subtitle:  # (replace costs ~4 us)
            item = replace(item, headline=headline, subtitle=subtitle)
    notes = list(item.notes)
    if by_lccn is not None and publication == by_lccn:
        notes.append(f"publication named by its LCCN: no title record "
                     f"({TITLES_FOLDER}/{meta.lccn}.json) beside the pages names it")
    item, credited = _credits(item)
    item, special = _special_credit(item)
    # Every paragraph from here on has its words parted by single spaces (join_lines'
    # form; column joins, hyphens restored and a dateline cut keep it), which the word
    # count below relies on.
    paragraphs = close_up_all([paragraph_of(breaks.rejoin(block) if breaks else list(block),
                                            vocabulary) for block in item.blocks if block])
    paragraphs = [p for p in paragraphs if p]
    paragraphs, joins = join_column_breaks(paragraphs)
    if joins:
        notes.append(f"joined {joins} paragraph(s) split by a column break")
    if may_have_lost_hyphens(paragraphs):
        repaired = [restore_lost_hyphens(p) for p in paragraphs]
        if repaired != paragraphs:
            notes.append("restored hyphens lost in compounds")
        paragraphs = repaired
    byline, role = item.byline, item.byline_role
    if byline is None and paragraphs and (match := BYLINE.match(paragraphs[0])) \
            and len(paragraphs[0].split()) <= 12 and not ends_sentence(paragraphs[0]):
        byline, role = split_byline(match["name"])
        paragraphs.pop(0)

    dateline: Dateline | None = None
    if paragraphs:
        dateline, rest = parse_dateline(paragraphs[0], undated=not unit.headline_rule)
        if dateline is None and unit.headline_rule \
                and (lead := _BRACKETED_LEAD.match(paragraphs[0])):
            # a note in brackets before the dateline, on the dispatch's first line
            dateline, rest = parse_dateline(paragraphs[0][lead.end():], undated=False)
            inside = lead["inside"].strip()
            if dateline and (said := heading_credit(f"({inside})")) and not said[1]:
                credited.append((said[0], inside.strip(" .")))
            elif dateline and byline is None and (match := BYLINE.match(inside)) \
                    and _PERSON.fullmatch(match["name"].rstrip(" .")):
                byline, role = split_byline(match["name"].rstrip(" ."))
            elif dateline:  # a flag ("(BULLETIN.)"), a wire's name too worn to read
                rest = f"{lead.group().strip()} {rest}"
        if dateline:
            paragraphs[0] = rest
            paragraphs = [p for p in paragraphs if p]
    if credited:  # the agencies of its credit lines, with its dateline's
        agencies = tuple(dict.fromkeys(c.agency for c, _ in credited))
        signed = next((c for c, _ in credited if c.name), None)
        if byline is None and signed is not None:
            byline, role = signed.name, signed.role
        dateline = replace(dateline, agencies=tuple(dict.fromkeys(
            agencies + dateline.agencies))) if dateline else Dateline(
            text=credited[0][1], agencies=agencies)
    if item.headline is None and not paragraphs:
        return None
    if not paragraphs and not item.subtitle and single:
        raise Rejected("no article text: only a headline was found")

    headline = item.headline
    if headline is None:
        if unit.headline_rule:
            headline, note = headlines.first_readable(paragraphs, publication,
                                                      unit.headline_rule)
        else:
            headline, note = headlines.first_words(paragraphs[0]), headlines.FIRST_WORDS
        notes.append(note)
    if special:  # a correspondent's credit the OCR set as a heading: text, after the dateline
        paragraphs.insert(0, " ".join(special.split()))
    known = furniture.known_publication(publication) or (None, None)
    date, date_source = _issue_date(meta, record, printed, options, dateline, text, notes)
    page = meta.page or item.page or printed.page
    body = "".join(paragraphs).encode("utf-8", "surrogatepass")
    article = Article(
        id=article_id(_id_slug(publication), date, page, sha256, headline, body),
        publication=publication,
        publication_slug=_slug(publication),
        headline=headline,
        paragraphs=tuple(paragraphs),
        source=path,
        country=meta.country or record.country or printed.country or known[0],
        language=meta.language or item.language or record.language or printed.language
        or known[1] or (guess_language(" ".join(paragraphs)) if unit.headline_rule else None),
        date=date,
        date_source=date_source,
        page=page,
        section=meta.section or item.section or record.section or printed.section,
        subtitle=item.subtitle,
        byline=byline,
        byline_role=role,
        dateline=dateline,
        source_sha256=sha256,
        notes=tuple(notes),
        kind=item.kind if item.kind in KINDS else "other",
        confidence=round(item.confidence, 4) if item.confidence is not None else None,
        pages=item.pages if len(item.pages) > 1 else (),
    )
    # Words parted by single spaces: a paragraph holds one word more than spaces (but a
    # script written without spaces counts its characters).
    with_word_count(article, sum(map(count_words, paragraphs)) if may_hold_cjk(body) and any(
        map(has_cjk, paragraphs)) else body.count(b" ") + len(paragraphs))
    return article


# A run's articles mostly share a few publications: their slugs are made once each.
_id_slug = functools.lru_cache(maxsize=4096)(id_slug)
_slug = functools.lru_cache(maxsize=4096)(slugify)


# A note in brackets: "(By Associated Press.)", "(By R. A. STAMEY.)", "(BULLETIN.)"
_BRACKETED_LEAD = re.compile(r"\s*[(\[](?P<inside>[^()\[\]]{2,60})[)\]]\s*")
# A person's name: capitalised words and initials ("R. A. STAMEY", "Carl W. Ackerman"),
# none of how a dispatch came ("Review Leased Wire") or of an agency ("Associated Pnn")
_PERSON = re.compile(r"(?!.*\b(?i:wire|press|service|special|cable|telegraph|dispatch|news|"
                     r"associated|united|international)\b)[A-Z][\w'’-]*\.?(?:,?\s+"
                     r"(?:[A-Z][\w'’-]*\.?|de|van|von|and|of))*")


def _credits(item: RawItem) -> tuple[RawItem, list[tuple[Credit, str]]]:
    """The item without its wire credit lines (archive.credits: "[United Press Leased Wire
    Service.]" set as its heading, its deck, or over its text), and what they credit: (the
    credit, the line as printed, brackets off)."""
    found: list[tuple[Credit, str]] = []
    if item.headline and (said := heading_credit(item.headline)) and (said[1] or item.blocks):
        found.append((said[0], said[2]))
        # the headline beside the credit; or, for a credit alone, the deck (a credit a
        # page's layout set apart over text that goes on from a story above)
        item = replace(item, headline=said[1]) if said[1] else \
            replace(item, headline=item.subtitle, subtitle=None)
    if item.subtitle and (said := heading_credit(item.subtitle)):
        found.append((said[0], said[2]))
        item = replace(item, subtitle=said[1] or None)
    blocks = list(item.blocks)
    while blocks and blocks[0] and (said := credit(blocks[0][0])):
        found.append((said, blocks[0][0]))
        blocks[0] = blocks[0][1:]
        if not blocks[0]:
            blocks.pop(0)
    if not found:
        return item, found
    return replace(item, blocks=tuple(blocks)), [
        (said, line.strip(" []().,")) for said, line in found]


def _special_credit(item: RawItem) -> tuple[RawItem, str | None]:
    """The item without a paper's own correspondent's credit ("Special to the Telegraph",
    archive.credits.special_credit) set as its headline or at the end of its deck, and the
    credit, which opens its text."""
    if item.headline and item.blocks and (found := special_credit(item.headline)) \
            and not found[0]:
        return replace(item, headline=item.subtitle, subtitle=None), found[1]
    if item.subtitle and (found := special_credit(item.subtitle)):
        return replace(item, subtitle=found[0] or None), found[1]
    return item, None


def split_byline(name: str) -> tuple[str, str | None]:
    """ "Ahmed Al-Jarallah Editor-in-Chief" -> ("Ahmed Al-Jarallah", "Editor-in-Chief")."""
    name = " ".join(name.split()).rstrip(",;")
    match = _BYLINE_ROLE.search(name)
    if match and match.start() > 0:
        return name[: match.start()].strip(" ,"), match["role"]
    return name, None


def _issue_date(meta: PageMeta, record: PageMeta, printed: PageMeta, options: ReadOptions,
                dateline: Dateline | None, text: str,
                notes: list[str]) -> tuple[dt.date | None, str | None]:
    """Issue date and its source, strongest first: sidecar, the unit's catalogue record,
    the path, the page itself, --date, inference from the dateline."""
    if meta.date and meta.date_source == "sidecar":
        return meta.date, meta.date_source
    if record.date:
        return record.date, "metadata"
    if meta.date:
        return meta.date, meta.date_source
    if printed.date:
        return printed.date, "page"
    if options.date:
        return options.date, "option"
    if dateline and dateline.month and dateline.day:
        year, why = infer_year(dateline.month, dateline.day, text, options.years)
        notes.append(f"year inference: {why}")
        if year:
            return dt.date(year, dateline.month, dateline.day), "inferred"
    return None, None


# --- identity ----------------------------------------------------------------------------

# Exactly the characters str.isalnum() rejects (re's \w is isalnum() plus "_").
_NOT_ALNUM = re.compile(r"[\W_]+")
# The same removal done on UTF-8 bytes first, where C routines are many times faster than
# a regex over every character: ASCII punctuation and space, then the typographic marks
# news text is full of (UTF-8 is self-synchronising, so a whole character's bytes only
# match that character). Whatever non-ASCII is left goes through the regex.
_ASCII_NOT_ALNUM = bytes(b for b in range(128) if not chr(b).isalnum())
_TYPOGRAPHIC = re.compile(b"|".join(re.escape(c.encode()) for c in "‘’“”–—…"))


def folded_alnum(text: bytes) -> str:
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


def article_id(publication_slug: str, date: dt.date | None, page: int | None, unit: str,
               headline: str, body: bytes | str) -> str:
    """The id of one printed appearance: its publication, its issue (the date, or the
    hash of its source unit when undated), its page, and its text (headline and body).

    Only letters and digits of the text count, so repairs (hyphens, column joins, quotes)
    never change an article's id or permalink. Two printings (another day, another page,
    another headline) get two ids; the same page delivered twice gets the same one.
    Identical items on one page are told apart by their order (see _renumbered).
    """
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    issue = date.isoformat() if date else "unit:" + unit
    text = folded_alnum(headline.encode("utf-8", "surrogatepass")) + "\x1f" + folded_alnum(body)
    basis = f"{publication_slug}\x1f{issue}\x1f{page or ''}\x1f{text}"
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _renumbered(article: Article, occurrence: int) -> Article:
    """The n-th identical item of a page (the same advertisement printed twice) gets an id
    of its own."""
    digest = hashlib.sha256(f"{article.id}\x1f{occurrence}".encode()).hexdigest()[:12]
    return with_word_count(replace(article, id=digest), article.word_count)
