"""Page furniture told by its form on an OCR page laid out without a METS structure: jump
lines ("Continued on Page 6"), rules the OCR read as text, blocks of noise, folio lines
and running heads (a page number, a date, the paper's title); furniture_places.py finds
it by position too (the masthead band, the page's edges). What furniture prints (a page
number, a date, a known title) becomes metadata: printed_meta() reads it back from the
Stripped records."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from archive import furniture
from archive.model import PageMeta, RawItem, Stripped
from archive.segmentation.datelines import DAY_WORDS, MONTH_NUMBERS
from archive.segmentation.headlines import caps_share, wordy
from archive.segmentation.jumps import misread_jump

_WHICH = r"(?:\d{1,3}|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|next)"
# "(Continued on Page 6)", "Continued from first page.", "See WAR, Page 4", "Suite page 3",
# "Fortsetzung auf Seite 2", "(Concluded on fourth page.)", "Fortsetzung folgt." (a page
# named: "continued to be the most useful" opens a line of text; misread forms: jumps.py)
JUMP = re.compile(
    r"^\W{0,3}(?:(?:continued|concluded|cont'?d\.?)[,;:]?\s+(?:on|from|to|in|at)\b.{0,30}"
    r"\b(?:page|p\.|seite)\b.{0,20}$|"
    r"see\b.{0,40}\bpage\s+" + _WHICH + r"\W*$|turn\s+to\s+page\s+" + _WHICH + r"\W*$|"
    r"suite\s+(?:page|à\s+la|en)"
    r"\b.{0,30}$|fortsetzung\s+(?:auf|von|folgt|siehe)\b.{0,30}$|\(?\s*(?:to\s+be\s+"
    r"continued|schluss\s+folgt|à\s+suivre)\W{0,4}$)", re.IGNORECASE)
_JUMP_FROM = re.compile(r"\b(?:fro[mn]|frem|von)\b", re.IGNORECASE)
_RULE_TEXT = re.compile(r"^[\s\-–—_=~.·•*|■□▪◆○●+#]+$")
# A day's name (a running head's, a folio band's)
DAY_NAME = re.compile(rf"\b(?:{'|'.join(sorted(DAY_WORDS, key=len, reverse=True))})\b",
                      re.IGNORECASE)

_MONTH = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_MONTH_NAME = re.compile(rf"\b(?:{_MONTH})\b", re.IGNORECASE)
DATED_HEAD_WORDS = 14
# "DECEMBER 19, 1905", "Dec. 19th, 1905" (the OCR often reads the comma as a full stop:
# "MARCH 4. 1887"); "19 December 1905", "7. Dezember 1858".
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*[,.]?\s*"
    rf"(?P<year>1[6-9]\d\d|20\d\d)\b", re.IGNORECASE)
# ("1 de diciembre de 1900", "1.º de dezembro de 1900": the Spanish and Portuguese "de")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|\.?º|o)?\.?\s+(?:of\s+|de\s+)?(?P<month>{_MONTH})"
    rf"\.?,?\s+(?:de\s+)?(?P<year>1[6-9]\d\d|20\d\d)\b", re.IGNORECASE)
# A page number standing alone at either end of a folio line ("12", "— 4 —", "Page 3").
_FOLIO_NUMBER = re.compile(
    r"^\W*(?:page\s+|p\.\s*|seite\s+)?(?P<first>\d{1,3})(?!\d)(?![.,:/-]?\d)(?!\s*(?:st|nd|rd|"
    r"th)\b)|(?<![\w.,/-])(?:page\s+|p\.\s*|seite\s+)?(?P<last>\d{1,3})\W*$", re.IGNORECASE)
_NOT_PAGE_BEFORE = re.compile(r"(?:vol(?:ume)?|no|n°|nr|number|jahrg(?:ang)?)\.?\s*$",
                              re.IGNORECASE)


def is_jump(text: str) -> bool:
    """A jump line: where an article goes on or comes from ("Continued on Page 6")."""
    text = " ".join(text.split())
    return len(text.split()) <= 10 and bool(JUMP.match(text)) or misread_jump(text)


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
    return printed_date(text) is not None or (
        folio_page(text) is not None and _heads_a_folio(text)) or (
        DAY_NAME.search(text) is not None and _MONTH_NAME.search(text) is not None
        and caps_share(text) >= 0.7)  # (set in capitals, as a running head is)


# Small words a paper's name may hold in lower case ("Journal de Genève", "Der Bund").
_NAME_SMALL = frozenset("a an and of the de du des la le les et van von der die das und am im "
                        "di del della".split())


def _heads_a_folio(text: str) -> bool:
    """Whether what a line prints beside its page number is a running head: nothing, or
    a name in capitals or capitalised words ("4 Luxemburger Wort", "THE EXAMINER 3"), or
    a day's or month's name; not a line of a notice that ends with a number ("S'adr.
    Grand'Rue 42, 2me étage. 103")."""
    rest = _FOLIO_NUMBER.sub("", " ".join(text.split()), count=1)
    words = [w for w in rest.split() if any(c.isalpha() for c in w)]
    # (a few letters beside a number at the edge are the scan's debris, furniture all the
    # same: only a line of words is looked at)
    if len(words) < 3 or not wordy(rest) or max(sum(map(str.isalpha, w)) for w in words) < 5 \
            or caps_share(rest) >= 0.7 or DAY_NAME.search(rest) or _MONTH_NAME.search(rest):
        return True
    return all(w.lstrip("\"'(«“‘")[:1].isupper() or w.lower() in _NAME_SMALL for w in words)


def printed_date(text: str) -> dt.date | None:
    """The first date a furniture line prints, in English, German or French; else one
    whose month the OCR garbled, under the weekday it falls on (_weekday_date)."""
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        for match in pattern.finditer(text):
            month = MONTH_NUMBERS.get(match["month"].lower())
            try:
                return dt.date(int(match["year"]), month or 0, int(match["day"]))
            except ValueError:
                continue
    return _weekday_date(text) if DAY_NAME.search(text) else None


# The weekday's number (Monday 0) by its name, in the languages of DAY_WORDS
_WEEKDAY_NUMBERS = {name: number for number, names in enumerate((
    "monday montag lundi maandag lunedì lunedi lunes segunda-feira mandag måndag mandagen",
    "tuesday dienstag mardi dinsdag martedì martedi martes terça-feira tirsdag tisdag "
    "tirsdagen",
    "wednesday mittwoch mercredi woensdag mercoledì mercoledi miércoles miercoles "
    "quarta-feira onsdag onsdagen",
    "thursday donnerstag jeudi donderdag giovedì giovedi jueves quinta-feira torsdag "
    "torsdagen",
    "friday freitag vendredi vrijdag venerdì venerdi viernes sexta-feira fredag fredagen",
    "saturday samstag sonnabend samedi zaterdag sabato sábado lørdag lördag løverdag "
    "lørdagen løverdagen",
    "sunday sonntag dimanche zondag domenica domingo søndag söndag søndagen"))
    for name in names.split()}
# A weekday, then (a word between: "EVENING") a month the OCR may have garbled ("JU1Y",
# "JUNE\""), the day and the year: "SATURDAY, JU1Y 1, 1916"; or the day before the month:
# "Samedi, 1 juilet 1916", "Dienstag, den 12. Mörz 1912".
_WEEKDAY = rf"\b(?P<weekday>{'|'.join(sorted(_WEEKDAY_NUMBERS, key=len, reverse=True))})\b"
_GARBLED_MONTH = r"(?P<month>[^\W\d_][\w'’|]{2,9}?)"
_WEEKDAY_DATES = (
    re.compile(_WEEKDAY + r"[\s,.;:]+(?:[^\W\d_]+[\s,.]+)?" + _GARBLED_MONTH
               + r"[\s\"'’,.]{0,4}(?P<day>\d{1,2})(?!\d)[\s\"'’,.]{0,4}"
               r"(?P<year>1[6-9]\d\d|20\d\d)\b", re.IGNORECASE),
    re.compile(_WEEKDAY + r"[\s,.;:]+(?:[^\W\d_]+[\s,.]+)?(?P<day>\d{1,2})(?!\d)"
               r"(?:er|\.)?[\s,.]+" + _GARBLED_MONTH + r"[\s\"'’,.]{1,4}"
               r"(?P<year>1[6-9]\d\d|20\d\d)\b", re.IGNORECASE))
# Figures and bars the OCR reads for the letters of a month's name
_LETTERS_FOR = str.maketrans({"1": "l", "|": "l", "0": "o", "5": "s"})
_MONTH_NAMES = tuple(name for name in MONTH_NUMBERS if len(name) >= 4)


def _weekday_date(text: str) -> dt.date | None:
    """A date whose month's name the OCR garbled ("SATURDAY, JU1Y 1, 1916"): a word of
    four letters or more one letter from a month's name (once figures read for letters
    are letters again), and the date falls on the weekday printed before it; only one
    month of the names it is near may do so. Without the weekday's word, no garbled
    month is read (in 1916 the 1st fell on a Saturday in January, April and July)."""
    for match in (m for pattern in _WEEKDAY_DATES for m in pattern.finditer(text)):
        word = match["month"].lower().translate(_LETTERS_FOR)
        if len(word) < 4:
            continue
        months = {MONTH_NUMBERS[name] for name in _MONTH_NAMES if _near(word, name)}
        weekday = _WEEKDAY_NUMBERS[match["weekday"].lower()]
        found = set()
        for month in months:
            try:
                date = dt.date(int(match["year"]), month, int(match["day"]))
            except ValueError:
                continue
            if date.weekday() == weekday:
                found.add(date)
        if len(found) == 1:
            return found.pop()
    return None


def _near(word: str, name: str) -> bool:
    """Whether two words are at most one letter apart (one changed, added or dropped)."""
    if abs(len(word) - len(name)) > 1:
        return False
    if len(word) == len(name):
        return sum(a != b for a, b in zip(word, name, strict=True)) <= 1
    short, long_ = sorted((word, name), key=len)
    return any(long_[:n] + long_[n + 1:] == short for n in range(len(long_)))


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
    parts = _DASHES.split(text)
    if len(parts) > 1 and all(part[:1].isupper() for part in parts) \
            and furniture.newspaper_name(parts[0]) is not None:
        return furniture.name_case(" – ".join(" ".join(part.split()) for part in parts
                                              ).rstrip(".,"))
    if name := furniture.newspaper_name(text):
        return name
    if printed_date(text) is not None and (name := furniture.newspaper_name(
            re.split(r"[,.;]", text, maxsplit=1)[0])):
        return name
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
