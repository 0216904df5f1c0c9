"""Reader for plain page OCR text: Chronicling America `ocr.txt` (one line per printed line,
no blank lines, columns in OCR block order) and page text with blank lines between blocks.

The page is cut into the items it holds at headline decks and datelines; page furniture
(masthead, folios, rules, jump lines, bare numbers, OCR noise) is stripped, and what the
masthead prints (publication, date, page) becomes metadata. The lines of each paragraph go
to the shared finishing as printed: it joins them and repairs hyphenation."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from archive.credits import credit
from archive.decoding import decode
from archive.formats import MB, Input, Reader
from archive.formats.ocr_lines import (
    Line,
    clean,
    folio_page,
    plain_line,
    read_line,
    split_bled,
    with_garbled,
)
from archive.formats.ocr_masthead import (
    dated,
    dated_folio,
    masthead_line,
    masthead_mark,
    printed_date,
    running_text,
    volume_number,
)
from archive.formats.ocr_segment import segment
from archive.formats.page_names import page_in_name
from archive.furniture import newspaper_name
from archive.headlines import DEBRIS
from archive.language_guess import guess_language
from archive.model import PageMeta, RawUnit, ReadOptions, Rejected, Stripped
from archive.problem_list import summary
from archive.specks import close_up, close_up_stops, spaces_every_mark
from archive.text import SOFT_HYPHEN

MAX_BYTES = 5 * MB
MASTHEAD_LINES = 40  # the masthead lies within the page's first lines of text, if at all
# A line in capitals printing a weekday and a whole date is a folio band's, of this many
# words at most ("THIRTY-SIXTH YEAR, NO. 14 (NEWS OF THE WORLD) BISMARCK, NORTH DAKOTA,
# SUNDAY MORNING, JANUARY 16, 1916.")
FOLIO_WORDS = 24
NAME_LINES = 12  # the paper's name is among the masthead's first lines
WEATHER_LINES = 3  # the most lines a weather box's forecast takes
BODY_RUN = 4  # this many body lines in a row: the articles have begun
# A line this long is a paragraph the OCR gave as one line, never a masthead's (whose
# lines, ears run together, stay under 120 characters)
PARAGRAPH_LINE = 300
LANGUAGE_LINES = 400  # the page's first lines tell its language
GARBLE_TEXT = 2  # lines of text a block holds for its noise lines to be kept as its text
_GARBLE = frozenset({"noise", "number"})  # furniture kinds a block of text may hold
_DIGIT = re.compile(r"\d")
_WEATHER = re.compile(r"\bweather\b|\bforecast\b", re.IGNORECASE)
# A soft hyphen at a line end, the rest of the word on the next line, and that line's end
# when the word was all it held (so that no blank line is left where it stood).
_SOFT_BREAK = re.compile(SOFT_HYPHEN + r"[ \t]*\n[ \t]*(\S*)(?:[ \t]*\n)?")


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of one page of OCR text, or of each page of a file of several parted by
    form feeds (pdftotext's output of an issue; decoded here: the reader gets bytes)."""
    text, encoding = decode(source.data)
    pages = [page for page in text.split("\f") if page.strip()]
    if len(pages) < 2:
        unit = read_text(text, source.name, source.meta, options)
        return RawUnit(unit.items, unit.stripped, printed=unit.printed, text=unit.text,
                       encoding=encoding, headline_rule=DEBRIS)
    items: list = []
    stripped: list[Stripped] = []
    printed: list[PageMeta] = []
    problems: list[str] = []
    for number, page_text in enumerate(pages, 1):
        try:
            unit = read_text(page_text, "", source.meta, options)
        except Rejected as error:
            problems.append(f"page {number}: {error}")
            continue
        page = unit.printed.page or number  # the folio it prints, else its place
        items.extend(replace(item, page=page) for item in unit.items)
        stripped.extend(unit.stripped)
        printed.append(unit.printed)
    if not items:
        raise Rejected(summary(problems))
    first = next((p for p in printed if p.publication or p.date), printed[0])
    return RawUnit(tuple(items), tuple(stripped), printed=replace(first, page=None),
                   text="\n".join(pages), encoding=encoding, problems=tuple(problems),
                   headline_rule=DEBRIS)


def read_text(text: str, name: str, meta: PageMeta, options: ReadOptions) -> RawUnit:
    """The raw items of one decoded page; raises Rejected when it holds no text."""
    if SOFT_HYPHEN in text:
        # A soft hyphen at a line end breaks a word: the rest of it comes up to this line
        # (the lines stay lines, the word is whole).
        text = _SOFT_BREAK.sub(lambda m: m[1] + "\n", text).replace(SOFT_HYPHEN, "")
    if spaces_every_mark(text):
        # an export that sets every mark apart as a word: its full stops end sentences
        # (which the lines' reading must see), not specks
        text = close_up_stops(close_up(text))
    page = _Page.read(text)
    page.strip_masthead()
    page.strip_repeated_mastheads()
    if not page.lines:
        raise Rejected("no text: the page holds only furniture and OCR noise"
                       if page.stripped else "empty file (no text)")
    # Papers in English set headings in capitals or title case; most others in sentence
    # case too ("Revue politique."): without blank lines, only its form tells such a line
    # from the text (with them, a heading is a block of its own)
    sentence_heads = not page.blocks and guess_language(" ".join(
        line.text for line in page.lines[:LANGUAGE_LINES])) not in (None, "English")
    items = segment(page.lines, page.blocks, sentence_heads)
    if not items:
        raise Rejected("no text: the page holds only furniture and OCR noise")
    # the page's place among the images (Chronicling America's ".../seq-3/ocr.txt"):
    # its printed page in all but the rare issue with an inserted or missing sheet
    number = page_in_name(name)
    if number is not None:
        items = [replace(item, page=number) for item in items]
    printed = PageMeta(publication=page.publication, date=page.date, page=page.folio)
    return RawUnit(items=tuple(items), stripped=tuple(page.stripped), printed=printed,
                   text=text)


def read_blocks(blocks: Iterable[Sequence[str]], name: str, meta: PageMeta,
                options: ReadOptions, page: int | None, note: str) -> RawUnit:
    """The items of a page that a markup reader could not place (its words have no
    positions, its regions hold text but no lines): read as page OCR text, its blocks of
    lines parted by blank lines, each item noted so. Layout segmentation has nothing to
    measure there and would make the page one article, or nothing."""
    text = "\n\n".join("\n".join(lines) for lines in blocks if lines)
    unit = read_text(text, name, meta, options)
    items = tuple(replace(item, page=item.page or page, notes=(*item.notes, note))
                  for item in unit.items)
    return RawUnit(items=items, stripped=unit.stripped, printed=unit.printed,
                   headline_rule=DEBRIS)


# 16: 'for sale' and 'to let' in more languages are words of trade (segmentation.text_kinds)
# 18: page text read more closely (archive.formats.ocr_lines, ocr_decks, ocr_briefs):
#   - a few words among initials and specks ("H. B. JONES.", "sections. V ;") and a row of
#     figures ("501 2 19 10") are garbled text of the line above, no longer noise;
#   - the subscription price ("$1.50 PER YEAR IN ADVANCE"), "NUMBER 27." and a jump line
#     whose "Page" the OCR garbled ("Pago 3", "PACK riVB") are furniture;
#   - a dateline takes the heading lines that end the item above it; a dateline the OCR
#     garbled, read as a deck's last line, opens the text;
#   - a title-case line of names and initials is no headline; sentences of selling make an
#     advertisement; a poem without blank lines is no column of briefs;
#   - a page not in English, without blank lines, has headings in sentence case too;
#   - specks at a heading's ends are dropped (archive.specks.without_specks)
# 19: a wire credit the OCR misread throughout ("United Preaa Servlee", "ISy United Press.")
#   opens a dispatch as a credit read right does (archive.credits); a misread jump line is
#   furniture (archive.segmentation.jumps); a heading in sentence case may end in "?" or "!";
#   a deck's last line opening with "By" is a byline only when it names a person; a folio
#   band's line in capitals with a weekday and a whole date is masthead however long
# 20: French, German and Dutch articles and prepositions stay lower case in a title-case
#     heading (archive.furniture.SMALL_WORDS)
# 22: a masthead date whose month the OCR garbled, under the weekday it falls on
#     (segmentation.furniture.printed_date)
READER = Reader(name="ocr-text", version="22", max_bytes=MAX_BYTES, read=read)


@dataclass
class _Page:
    """The text lines of a page, the furniture taken from it, and what that printed."""

    lines: list[Line]
    blocks: bool  # blank lines part its blocks
    stripped: list[Stripped] = field(default_factory=list)
    publication: str | None = None
    date: dt.date | None = None
    folio: int | None = None

    @classmethod
    def read(cls, text: str) -> _Page:
        read_lines: list[tuple[str, Line | str, int]] = []
        block = 0
        blank = False  # a blank line since the last line of text
        for line in _credits_joined(text.split("\n")):
            if not line.strip():
                blank = True
                continue
            if blank and read_lines:
                block += 1
            blank = False
            for part in split_bled(line):
                cleaned = clean(part)
                read_lines.append((cleaned, read_line(cleaned, block), block))
        if block > 0:  # (garbled lines there are kept by their blocks, or are noise)
            read_lines = _garble_kept([(cleaned, "noise" if read == "garbled" else read, b)
                                       for cleaned, read, b in read_lines])
        lines: list[Line] = []
        stripped: list[Stripped] = []
        ruled = False  # a rule since the last line of text
        for cleaned, read, _ in read_lines:
            if read == "garbled" and lines:  # its text, with the line above
                lines[-1] = with_garbled(lines[-1], cleaned)
            elif isinstance(read, str):
                stripped.append(Stripped("noise" if read == "garbled" else read, cleaned))
                ruled = ruled or read == "rule"
            else:
                lines.append(replace(read, after_rule=True) if ruled else read)
                ruled = False
        page = cls(lines, block > 0, stripped)
        page.folio = _folio(lines, stripped)
        return page

    def strip_masthead(self) -> None:
        """Remove the masthead from the page's first lines: the paper's name, volume and
        number, date, price, edition and weather, up to the last such line before the
        articles begin. The lines before it are its ears (slogans, boxed notices)."""
        last = -1
        run = 0
        for i, line in enumerate(self.lines[:MASTHEAD_LINES]):
            above = self.lines[i - 1] if i else None
            below = self.lines[i + 1] if i + 1 < len(self.lines) else None
            if masthead_line(line, above, below) or len(line.text) < 120 and (
                    dated(line.text) and not running_text(line, above, below)
                    or line.caps and dated_folio(line.text)):
                last = i
                run = 0
            elif len(line.text) > PARAGRAPH_LINE:
                break  # a paragraph read as one line: the articles have begun
            elif line.caps or line.title or line.letters < 12:
                run = 0
            else:
                run += 1
                if run >= BODY_RUN:
                    break
        if last < 0:
            return
        if any(_WEATHER.search(line.text) for line in self.lines[:last + 1]):
            # The forecast under the weather box's head: a few lines of text before the
            # first headline ("Fair tonight; colder Sunday.").
            limit = min(len(self.lines), last + 1 + WEATHER_LINES)
            while last + 1 < limit and not (self.lines[last + 1].caps
                                            or self.lines[last + 1].title):
                last += 1
        head = self.lines[:last + 1]
        del self.lines[:last + 1]
        for line in head:
            self._note_masthead(line.text)
        self.stripped[:0] = [s for line in head for s in _stripped("masthead", line)]
        if self.publication is None:
            self.publication = _name(head)

    def strip_repeated_mastheads(self) -> None:
        """Remove masthead lines found further down (OCR block order can put the masthead
        anywhere: "NEW-YORK, FRIDAY, MAY 1, 1903.- FOURTEEN PAGES")."""
        kept = []
        for line in self.lines:
            if not line.caps and not _DIGIT.search(line.text):
                kept.append(line)  # neither set in capitals nor dated: text
                continue
            words = len(line.text.split())
            if volume_number(line.text) and (words <= 16 or dated(line.text)) \
                    or words <= 16 and (line.caps or dated(line.text)) \
                    and masthead_mark(line.text) \
                    or line.caps and words <= 10 and (printed_date(line.text) is not None
                                                      or dated_folio(line.text)) \
                    or line.caps and words <= FOLIO_WORDS and dated_folio(line.text) \
                    and printed_date(line.text) is not None:
                self._note_masthead(line.text)
                self.stripped.extend(_stripped("masthead", line))
            else:
                kept.append(line)
        self.lines = kept

    def _note_masthead(self, text: str) -> None:
        if self.date is None:
            self.date = printed_date(text)


def _credits_joined(lines: list[str]) -> list[str]:
    """The page's lines with a wire credit set on two lines made one ("[By Wm. G.
    Shepherd, United Press" / "Staff Correspondent]"): read apart, its first line is a
    credit that says too little and its second a line in title case, a headline's."""
    out: list[str] = []
    skip = False
    for line, following in itertools.zip_longest(lines, lines[1:], fillvalue=""):
        if skip:
            skip = False
            continue
        opened = line.lstrip()[:2]
        if ("[" in opened or "(" in opened) and not line.rstrip().endswith(("]", ")")) \
                and following.rstrip().endswith(("]", ")")) \
                and credit(f"{line.strip()} {following.strip()}"):
            out.append(f"{line.strip()} {following.strip()}")
            skip = True
        else:
            out.append(line)
    return out


def _garble_kept(read_lines: list[tuple[str, Line | str, int]]
                 ) -> list[tuple[str, Line | str, int]]:
    """Where blank lines part the OCR's blocks, a line of noise or figures inside a block
    of text is that block's (a garbled line, a row of a price table): it is kept as text
    (ocr_lines.plain_line) when the block holds at least GARBLE_TEXT lines of text and no
    fewer of text than of noise (rows of figures not counted: a table is mostly figures).
    A block of noise alone stays furniture."""
    texts: dict[int, int] = {}
    garbled: dict[int, int] = {}
    for cleaned, read, block in read_lines:
        if isinstance(read, Line):
            texts[block] = texts.get(block, 0) + 1
        elif read in _GARBLE and not _DIGIT.search(cleaned):
            garbled[block] = garbled.get(block, 0) + 1
    return [(cleaned, plain_line(cleaned, block) if read in _GARBLE and texts.get(
        block, 0) >= max(GARBLE_TEXT, garbled.get(block, 0)) else read, block)
            for cleaned, read, block in read_lines]


def _stripped(kind: str, line: Line) -> list[Stripped]:
    """A line taken as furniture, and the garbled lines read with it (as noise)."""
    return [Stripped(kind, line.text), *(Stripped("noise", text) for text in line.garbled)]


def _folio(lines: list[Line], stripped: list[Stripped]) -> int | None:
    """The page number a folio prints on the page's first or last lines ("PAGE 6"); never
    a number met in the text."""
    for line in (*lines[:3], *lines[-3:]):
        number = folio_page(line.text)
        if number is not None:
            lines.remove(line)
            stripped.extend(_stripped("folio", line))
            return number
    return None


def _name(head: list[Line]) -> str | None:
    """The publication a masthead names clearly (furniture.newspaper_name): one of its first
    lines, set in capitals or title case."""
    for line in head[:NAME_LINES]:
        if (line.caps or line.title) and (name := newspaper_name(line.text)):
            return name
    # A dated head that opens with the name ("PRESCOTT JOURNAL-MINER, WEDNESDAY MORNING.
    # JANUARY 5, 1916."); most front pages print the place there ("NORWICH, CONN., ..."),
    # which names no paper.
    for line in head[:NAME_LINES]:
        if line.caps and printed_date(line.text) is not None and \
                (name := newspaper_name(line.text.split(",")[0])):
            return name
    return None
