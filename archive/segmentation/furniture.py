"""Page furniture found by position and form on an OCR page laid out without a METS
structure: the masthead band at the top of a front page, folio lines and running heads at
the top and bottom edges, jump lines ("Continued on Page 6"), rules the OCR read as text,
and blocks of noise. What furniture prints (a page number, a date, a known title) becomes
metadata: printed_meta() reads it back from the Stripped records."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable

from archive import furniture
from archive.layout import Box
from archive.model import PageMeta, RawItem, Stripped
from archive.segmentation.headlines import HUGE, Typography, caps_share, size_ratio, wordy

_WHICH = r"(?:\d{1,3}|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|next)"
# "(Continued on Page 6)", "Continued from first page.", "See WAR, Page 4", "Suite page 3",
# "Fortsetzung auf Seite 2", "(Concluded on fourth page.)", "Fortsetzung folgt."
JUMP = re.compile(
    r"^\W{0,3}(?:(?:continued|concluded|cont'?d\.?)\s+(?:(?:on|from|to|in|at)\b.{0,40}|"
    r".{0,30}\b(?:page|p\.|seite)\b.{0,20})$|"
    r"see\b.{0,40}\bpage\s+" + _WHICH + r"\W*$|turn\s+to\s+page\s+" + _WHICH + r"\W*$|"
    r"suite\s+(?:page|à\s+la|en)"
    r"\b.{0,30}$|fortsetzung\s+(?:auf|von|folgt|siehe)\b.{0,30}$|\(?\s*(?:to\s+be\s+"
    r"continued|schluss\s+folgt|à\s+suivre)\W{0,4}$)", re.IGNORECASE)
_JUMP_FROM = re.compile(r"\b(?:fro[mn]|frem|von)\b", re.IGNORECASE)
# What a masthead band prints besides the title: volume and number, date, price.
MASTHEAD_WORDS = re.compile(
    r"\b(?:vol(?:ume)?\.?\s*[\divxlc]+|no\.?\s*\d+|n[°ro]\.?\s*\d+|price|cents?|penny|"
    r"pence|one\s+cent|two\s+cents|jahrgang|abonnement|prix|preis|established|"
    r"(?:18|19|20)\d\d)\b", re.IGNORECASE)
_RULE_TEXT = re.compile(r"^[\s\-–—_=~.·•*|■□▪◆○●+#]+$")

# The kinds of thing a front page's folio band prints under the title ("VOL. I. No. 8. ...
# SATURDAY, SEPTEMBER 22, 1855 ... ONE PENNY"): a band printing two kinds is furniture.
# (A day's name counts with the date, as one kind: an inside page's running head prints
# both.)
_BAND_MARKS = (
    re.compile(r"\b(?:vol(?:ume)?\.?\s*[\divxlc]+|no\.?\s*\d+|n[°ro]\.?\s*\d+|"
               r"jahrg(?:ang)?\.?|nummer|numéro|whole\s+number)\b", re.IGNORECASE),
    re.compile(r"\b(?:price|cents?|penny|pence|halfpenny|one\s+cent|two\s+cents|prix|preis|"
               r"centimes|pfennig|sous?|kreuzer|stamped|unstamped)\b|\b\d{1,2}\s?[½¼¾]?d\.",
               re.IGNORECASE),  # (and pence: "7d.", "4½d.")
    re.compile(r"\b(?:established|estab\.|registered|founded|gegründet|fondé)\b",
               re.IGNORECASE),
)
_DAY_NAME = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                       r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|"
                       r"sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b",
                       re.IGNORECASE)

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_NAME = re.compile(rf"\b(?:{_MONTH})\b", re.IGNORECASE)
DATED_HEAD_WORDS = 14
# "DECEMBER 19, 1905", "Dec. 19th, 1905"; "19 December 1905", "7. Dezember 1858".
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*"
    rf"(?P<year>1[6-9]\d\d|20\d\d)\b", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:of\s+)?(?P<month>{_MONTH})\.?,?\s+"
    rf"(?P<year>1[6-9]\d\d|20\d\d)\b", re.IGNORECASE)
# A page number standing alone at either end of a folio line ("12", "— 4 —", "Page 3").
_FOLIO_NUMBER = re.compile(
    r"^\W*(?:page\s+|p\.\s*|seite\s+)?(?P<first>\d{1,3})(?!\d)(?![.,:/-]?\d)(?!\s*(?:st|nd|rd|"
    r"th)\b)|(?<![\w.,/-])(?:page\s+|p\.\s*|seite\s+)?(?P<last>\d{1,3})\W*$", re.IGNORECASE)
_NOT_PAGE_BEFORE = re.compile(r"(?:vol(?:ume)?|no|n°|nr|number|jahrg(?:ang)?)\.?\s*$",
                              re.IGNORECASE)


def is_jump(text: str) -> bool:
    """A jump line: where an article goes on or comes from ("Continued on Page 6")."""
    text = " ".join(text.split())
    return len(text.split()) <= 10 and bool(JUMP.match(text))


def jumps_from(text: str) -> bool:
    """A jump line naming where the text comes from: the article goes on here."""
    return is_jump(text) and bool(_JUMP_FROM.search(text))


def is_rule_text(text: str) -> bool:
    """Rules and ornaments the OCR read as text: dashes, dots, bars."""
    return bool(_RULE_TEXT.match(text)) and bool(text.strip())


def is_noise(texts: Iterable[str]) -> bool:
    """A block of OCR noise: its characters are mostly not letters or digits, or it holds
    no word of two letters or more."""
    text = "".join("".join(t.split()) for t in texts)
    if not text:
        return True
    alnum = sum(map(str.isalnum, text))  # the loop in C: this is asked of every piece
    if alnum < 0.5 * len(text):
        return True
    words = [w for t in texts for w in t.split()]
    return len(text) <= 6 and not any(sum(map(str.isalpha, w)) >= 3 for w in words) \
        and not any(w.strip(".,;:()").isdigit() for w in words)


def folio_page(text: str) -> int | None:
    """The page number a folio line prints, when one stands at either end of it; never
    a volume or issue number, a day or a year."""
    text = " ".join(text.split())
    if not text or len(text.split()) > 14:
        return None
    match = _FOLIO_NUMBER.search(text)
    if match is None and (found := furniture.classify(text)) is not None:
        page = found.meta.get("page")
        return page if isinstance(page, int) and page > 0 else None
    if match is None:
        return None
    number = match["first"] or match["last"]
    start = match.start("first") if match["first"] else match.start("last")
    if _NOT_PAGE_BEFORE.search(text[:start]):
        return None
    if match["last"] and printed_date(text) is not None and _MONTH_DAY_YEAR.search(
            text[max(0, start - 20):]):
        return None  # the day of a date at the end of the line
    value = int(number)
    return value if 0 < value < 1000 else None


def dated_head(text: str) -> bool:
    """A running head's text: a short line printing the day (a date; or, in capitals, a
    day's name with a month's: "THE EXAMINER, SATURDAY, MAY 2, 18f4.", its year misread)
    or a page number at either end."""
    if len(text.split()) > DATED_HEAD_WORDS:
        return False
    return printed_date(text) is not None or folio_page(text) is not None or (
        _DAY_NAME.search(text) is not None and _MONTH_NAME.search(text) is not None
        and caps_share(text) >= 0.7)  # (set in capitals, as a running head is)


def printed_date(text: str) -> dt.date | None:
    """The first date a furniture line prints, in English, German or French."""
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        for match in pattern.finditer(text):
            month = _MONTHS.get(match["month"].lower())
            try:
                return dt.date(int(match["year"]), month or 0, int(match["day"]))
            except ValueError:
                continue
    return None


def printed_meta(stripped: Iterable[Stripped]) -> PageMeta:
    """What a page's furniture printed: its date (masthead or folio), its page number
    (folio) and its title when it is one we know or one read whole (title_of: OCR garbles
    mastheads, and a garbled name would make a publication of its own)."""
    date = page = publication = None
    for item in stripped:
        if item.kind not in ("masthead", "folio"):
            continue
        date = date or printed_date(item.text)
        if item.kind == "folio" and page is None:
            page = folio_page(item.text)
        publication = publication or title_of(item.text)
    return PageMeta(publication=publication, date=date, page=page)


_DASHES = re.compile(r"\s+[-–—]+\s+")


def title_of(text: str) -> str | None:
    """The paper's name a masthead or running head prints: a title we know, or a name
    read whole (furniture.newspaper_name), alone on the line, before the date of a
    running head ("THE EXAMINER, SATURDAY, MAY 2, 1874." -> "The Examiner"), or first of
    a title printed in two languages ("Luxemburger Zeitung - Journal de Luxembourg",
    named whole; "Shipping News - continued" names nothing)."""
    if furniture.known_publication(text):
        return " ".join(text.split()).title()
    if name := furniture.newspaper_name(text):
        return name
    if printed_date(text) is not None and (name := furniture.newspaper_name(
            re.split(r"[,.;]", text, maxsplit=1)[0])):
        return name
    parts = _DASHES.split(text)
    if len(parts) > 1 and all(part[:1].isupper() for part in parts) \
            and furniture.newspaper_name(parts[0]) is not None:
        return furniture.name_case(" – ".join(" ".join(part.split()) for part in parts
                                              ).rstrip(".,"))
    return None


def lone_title(item: RawItem) -> str | None:
    """The text of an item that is a heading with nothing under it naming a paper ("THE
    TRINITY CHRONICLE" over an editorial page's imprint, a masthead below the band where
    mastheads are looked for): the paper's masthead, not an article. Only a name that
    opens with "The" counts: a lone section heading that ends in a word papers are named
    with ("SHIPPING NEWS") would otherwise name the paper."""
    if item.headline is not None or item.subtitle is not None or len(item.blocks) != 1:
        return None
    text = " ".join(line.strip() for line in item.blocks[0])
    if not text.lower().startswith("the ") or title_of(text) is None:
        return None
    return text


# --- furniture by position ---------------------------------------------------------------

# A masthead's title lies in this top share of the text area; folios and running heads in
# this share at the top or bottom edge.
MASTHEAD_ZONE = 0.2
EDGE_ZONE = 0.06
MASTHEAD_REACH = 2.5  # line heights below the band that its date and price lines may lie
TALL_HEAD = 4.0  # line heights: the tallest line of a running head that prints a date


def strip_furniture(pieces: list, rules: list[Box], typo: Typography,
                    stripped: list[Stripped]) -> tuple[list, int | None]:
    """The pieces that are not furniture, and the page number a folio printed. Stripped
    pieces are recorded in `stripped`; rules read as text join `rules`."""
    keep = []
    for piece in pieces:
        text = " ".join(piece.texts)
        if all(is_rule_text(t) for t in piece.texts):
            stripped.append(Stripped("rule", text))
            if piece.box is not None and piece.box.width >= 4 * max(piece.box.height, 1e-9):
                rules.append(piece.box)
        elif piece.role != "advertisement" and is_noise(piece.texts):
            stripped.append(Stripped("noise", text))
        elif len(piece.texts) <= 2 and all(is_jump(t) for t in piece.texts):
            stripped.append(Stripped("jump", text))
        else:
            keep.append(piece)
    boxed = [p for p in keep if p.box is not None]
    # The text area, from pieces of some size: a speck at the scan's edge is no margin.
    sized = [p for p in boxed if len(p.lines) >= 2 or sum(len(t) for t in p.texts) >= 12]
    if not sized:
        return keep, None
    area = sized[0].box
    for p in sized[1:]:
        area = area.union(p.box)
    masthead = _masthead(boxed, area, typo)
    folios, page = _edges([p for p in boxed if id(p) not in masthead], area, typo)
    # The band may lie at the top edge (the title above it a picture): its lines are the
    # masthead's, but for a folio printing the page's number.
    numbered = {id(p) for p in boxed if id(p) in folios and folio_page(" ".join(p.texts))}
    masthead |= _folio_band([p for p in boxed if id(p) not in masthead], area, typo) - numbered
    out = []
    for piece in keep:
        if id(piece) in masthead:
            stripped.append(Stripped("masthead", " ".join(piece.texts)))
        elif id(piece) in folios:
            stripped.append(Stripped("folio", " ".join(piece.texts)))
        else:
            out.append(piece)
    return out, page


def _ratio(piece, typo: Typography) -> float:
    """How much larger than the body a piece's type is, by font size or line height."""
    ratio = size_ratio(piece.lines, typo)
    if ratio is None:
        heights = [line.box.height for line in piece.lines if line.box is not None]
        ratio = statistics.median(heights) / typo.unit if heights else 0.0
    return ratio


def _masthead(pieces: list, area: Box, typo: Typography) -> set[int]:
    """The pieces of a front page's masthead band: a title in huge type near the top,
    what lies beside and above it, and the volume, date and price lines just below."""
    zone = area.top + MASTHEAD_ZONE * area.height
    titles = [p for p in pieces if p.box.top < zone and len(p.lines) <= 3
              and p.box.width >= 0.2 * area.width and _ratio(p, typo) >= HUGE
              and not _beside_text(p, pieces)]
    if not titles:
        return set()
    bottom = max(p.box.bottom for p in titles)
    band = {id(p) for p in pieces if (p.box.top + p.box.bottom) / 2 < bottom
            and len(p.lines) <= 5}
    widening = True
    while widening:
        widening = False
        for p in pieces:
            if id(p) in band or p.box.top > bottom + MASTHEAD_REACH * typo.unit \
                    or len(p.lines) > 5:
                continue
            text = " ".join(p.texts)
            # Its volume, date and price lines (they may lie between rules); not the text
            # under it, which may be the page's first article.
            if MASTHEAD_WORDS.search(text) or printed_date(text) is not None:
                band.add(id(p))
                bottom = max(bottom, p.box.bottom)
                widening = True
    # A masthead prints its number, date or price: without them, large type across the
    # top is the page's first headline.
    says = [p for p in pieces if id(p) in band and (MASTHEAD_WORDS.search(" ".join(p.texts))
                                                    or printed_date(" ".join(p.texts)))]
    return band if says else set()


def _folio_band(pieces: list, area: Box, typo: Typography) -> set[int]:
    """The band of short lines a front page prints across the page under its title (its
    volume and number, day and date, price, year of founding), with everything above it:
    told by what it prints, not by the title's size (an OCR'd title is often garbled,
    or read in pieces of ordinary height). A row of pieces of a line or two in the top
    share of the page, side by side, printing two kinds of band matter (_band_marks) with
    no running text beside them. Nothing but the title and its ears lies above such a
    band: those pieces are the masthead too."""
    zone = area.top + MASTHEAD_ZONE * area.height
    short = sorted((p for p in pieces if len(p.lines) <= 2 and p.box.top < zone),
                   key=lambda p: p.box.top)
    for seed in short:
        top, bottom = seed.box.top, seed.box.bottom
        row = [p for p in short if _across(p.box, top, bottom)]
        if len(row) < 2 and seed.box.width < 0.5 * area.width:
            continue  # one short line is a band only when it spans the page
        top = min(p.box.top for p in row)
        bottom = max(p.box.bottom for p in row)
        if any(len(p.lines) >= 3 and _across(p.box, top, bottom) for p in pieces):
            continue  # running text beside it: lines of an advertisement or article
        row.sort(key=lambda p: p.box.left)
        if _band_marks(" ".join(t for p in row for t in p.texts)) < 2:
            continue
        above = [p for p in pieces if p.box.bottom <= top + 0.5 * typo.unit
                 and len(p.lines) <= 3]
        return {id(p) for p in row + above}
    return set()


def _across(box: Box, top: float, bottom: float) -> bool:
    """Whether a box stands beside a span of the page's height: its middle lies in it."""
    return top <= (box.top + box.bottom) / 2 <= bottom


def _band_marks(text: str) -> int:
    """How many kinds of band matter a text prints: volume or number, price, the
    founding, the day (its name or its date)."""
    return sum(1 for mark in _BAND_MARKS if mark.search(text)) + (
        printed_date(text) is not None or _DAY_NAME.search(text) is not None)


def _beside_text(title, pieces: list) -> bool:
    """Whether running text (3+ lines) stands beside a piece: then it heads a column (an
    advertisement in large type), not the page."""
    return any(len(p.lines) >= 3 and p.box.top < title.box.bottom and
               p.box.bottom > title.box.top for p in pieces if p is not title)


def _edges(pieces: list, area: Box, typo: Typography) -> tuple[set[int], int | None]:
    """Folio lines and running heads: a line or two at the top or bottom edge with
    nothing beyond it, printing a page number, a date or a running head."""
    found: set[int] = set()
    page = None
    for p in pieces:
        # A line or two of ordinary height: a tall box is a picture's edge or a rotated
        # word, whatever digit the OCR saw in it. A running head may be set in larger
        # type than the text: a full date in it says what it is.
        if len(p.lines) > 2 or p.box.height > TALL_HEAD * typo.unit * len(p.lines):
            continue
        if p.box.height > 2.5 * typo.unit * len(p.lines) and \
                printed_date(" ".join(p.texts)) is None:
            continue
        top = p.box.top <= area.top + EDGE_ZONE * area.height
        bottom = p.box.bottom >= area.bottom - EDGE_ZONE * area.height
        if not (top or bottom):
            continue
        beyond = [o for o in pieces if o is not p and min(o.box.right, p.box.right)
                  > max(o.box.left, p.box.left) and (
                      o.box.bottom <= p.box.top + 0.5 * typo.unit if top
                      else o.box.top >= p.box.bottom - 0.5 * typo.unit)]
        if any(len(o.lines) >= 2 or len(" ".join(o.texts)) >= 12 for o in beyond):
            continue
        text = " ".join(p.texts)
        number = folio_page(text)
        if not dated_head(text) and furniture.classify(text) is None \
                and not (top and _sentence_goes_on(p, pieces)):
            continue
        found.add(id(p))
        if page is None and number is not None:
            page = number
    return found, page


def _sentence_goes_on(head, pieces: list) -> bool:
    """Whether the text under a line at the top edge goes on with a sentence begun in
    another column (its first letter is lower case): then the line is no headline but
    the page's running head (a headline is never followed by the middle of a sentence)."""
    under = [o for o in pieces if o is not head and o.box.top >= head.box.bottom - 1e-9
             and min(o.box.right, head.box.right) - max(o.box.left, head.box.left)
             >= 0.5 * min(o.box.width, head.box.width)]
    text = " ".join(head.texts)
    if not under or caps_share(text) < 0.7 or not wordy(text):
        return False
    first = min(under, key=lambda o: o.box.top)
    words = first.texts[0].split() if first.texts and len(first.lines) >= 3 else []
    return bool(words) and words[0].isalpha() and words[0].islower() and len(words[0]) >= 2
