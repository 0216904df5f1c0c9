"""Opening datelines ("MOSCOW, Nov 4, (Agencies):") -> place, month/day and wire agencies."""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from archive.model import Dateline
from archive.segmentation.datelines import DATELINE, DAY_WORDS, SPECK, misread_month, month_number

# Lower-case spelling (periods dropped, spaces collapsed) -> canonical agency name.
AGENCY_NAMES: dict[str, str] = {
    "kuna": "KUNA",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "united press": "UP",
    "united press associations": "UP",
    "united press association": "UP",
    "international news service": "INS",
    "international news": "INS",
    "press association": "PA",
    "central news": "Central News",
    "exchange telegraph": "Exchange Telegraph",
    "havas": "Havas",
    "wolff": "Wolff",
    "reuter": "Reuters",
    "reuters": "Reuters",
    "dpa": "dpa",
    "xinhua": "Xinhua",
    "ians": "IANS",
    "agencies": "Agencies",
    "agency": "Agencies",
    "wam": "WAM",
    "spa": "SPA",
    "qna": "QNA",
    "bna": "BNA",
    "ona": "ONA",
    "mena": "MENA",
    "irna": "IRNA",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "aa": "Anadolu",
    "bloomberg": "Bloomberg",
    "upi": "UPI",
    "ani": "ANI",
    "pti": "PTI",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "tass": "TASS",
    "ria": "RIA",
    "ria novosti": "RIA",
    "bernama": "Bernama",
    "app": "APP",
    "sputnik": "Sputnik",
    "efe": "EFE",
    "ansa": "ANSA",
    "afx": "AFX",
    "arab times": "Arab Times",
    "arab times staff": "Arab Times",
}

# Unicode capitals a place name may hold: ASCII plus Latin-1 and Latin Extended-A/B, so
# "SÃO PAULO" or "ŁÓDŹ" pass while any lower-case letter ends the place.
_UP = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
# Horizontal white space, NBSP included ("TEHRAN \xa0(MNA)"); a dateline never spans lines.
_H = r"[^\S\n]"
# One place word: capitals joined by apostrophes, periods or inner hyphens ("SANA'A",
# "D.C.", "AL-JAHRA"); it never ends in a hyphen so "TEHRAN- ..." keeps its separator.
_WORD = rf"[{_UP}](?:[{_UP}]|['’.][{_UP}]?|-[{_UP}])*"
_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_NOT_MONTH = rf"(?!{_MONTH}\b)"
# At most five words: longer caps runs are shouted headlines, not places. Later words may
# not be a month, so "MOSCOW NOV 4:" keeps its date.
_PLACE = rf"{_WORD}(?:{_H}+{_NOT_MONTH}{_WORD}){{0,4}}"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\w)"
# A day after its month as the OCR may garble it ("July IS.", "July 2G.—", "July :t."):
# the month is kept, the day not; only before a separator or a stop and a sentence
# (_caps_dateline), or "July is" would be a date.
_GARBLED_DAY = r"(?:[^\W_]{1,2}|:[^\W_])(?!\w)"
_DATE = (
    rf"(?:(?P<mon>{_MONTH})\.?{_H}+(?P<day>{_DAY}|{_GARBLED_DAY})"
    rf"|(?P<day2>{_DAY}){_H}+(?P<mon2>{_MONTH})\.?(?!\w))"
)
# A region after the city is written in title case ("BEIRUT, Lebanon") or caps ("D.C.");
# it must not be a month, or "KUWAIT CITY, Nov 5" would lose its date, and it must not
# swallow a trailing hyphen ("SANTIAGO, Chile- ...").
_REGION_WORD = rf"{_NOT_MONTH}[{_UP}](?:[^\W_]|['’.]|-(?=[^\W_]))*"
_REGION = rf"{_REGION_WORD}(?:{_H}+{_REGION_WORD}){{0,2}}"
_AGENCY_LIST = r"\((?P<agencies>[^()\n]{1,60})\)"
# "(AFP) & (AP)", "(AFP) & Reuters" or a bare "(AFP) &" before the separator.
_MORE = (
    rf"(?P<more>{_H}*&(?:{_H}*(?:\((?P<more_par>[^()\n]{{1,40}})\)|(?P<more_word>[A-Za-z]+)))?)"
)
# Tehran Times also uses underscores ("TEHRAN _ The"); underscores never join prose words.
# "PLACE, Jan. 14.—" (1900s wire style): a full stop may come before the dash or colon.
# A dash an encoding lost reads "?" ("WASHINGTON, Jan. 24.?John"): a separator after a date.
_SEP = rf"(?P<sep>{_H}*(?:\.{_H}*)?(?::|[-–—_]{{1,3}}|\?(?={_H}*[A-Z\"“])))"

_DATELINE = re.compile(
    rf"""^(?P<lead>\s*)
    (?P<place>{_PLACE})
    (?P<others>(?:{_H}*/{_H}*{_PLACE}){{0,3}})  # "KABUL/KANDAHAR": the first place is kept
    (?P<region>(?:{_H}*,{_H}*{_REGION}){{0,2}})
    (?:{_H}*,?{_H}*{_DATE})?
    (?:{_H}*,?{_H}*{_AGENCY_LIST}{_MORE}?)?
    {_SEP}?""",
    re.VERBOSE,
)

# Words that open a sentence before a date, never a place ("Yesterday, Jan. 4, the ..."),
# and titles before a name ("Mr. Smith, Jan. 5.").
_NOT_A_TITLE_PLACE = re.compile(
    r"(?:Yesterday|Today|Tomorrow|Tonight|Since|Until|Till|Before|After|Last|Next|Early|"
    r"Late|Dated|Received|Sent|Written|Signed|Sealed|Mailed|Filed|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|The|On|In|At|From|By|Of|To|And|For|Jan|Feb|Mar|Apr|"
    r"May|June?|July?|Aug|Sept?|Oct|Nov|Dec|January|February|March|April|August|September|"
    r"October|November|December|Mr|Mrs|Messrs|Miss|Dr|Rev|Hon|Gen|Col|Capt|Lieut|Sen|Gov|"
    r"Prof|Judge|Sir|Lord|Lady|Mme|Mlle|Herr|Frau)\b")

# Caps labels that open a paragraph with a colon or dash but name no place.
_NOT_PLACES = {
    "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS",
    "WARNING", "CORRECTION", "CLARIFICATION", "ANALYSIS", "OPINION", "COMMENT", "EXCLUSIVE",
    "WATCH", "READ", "ALSO READ", "READ MORE", "PHOTO", "PHOTOS", "VIDEO", "AUDIO", "NB",
    "PS", "QUOTE", "SOURCE", "SOURCES", "SUMMARY", "FLASHBACK", "OBITUARY", "EDITORIAL",
}
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # Feb 29: leap years exist
# Lower-case connecting words inside place names ("Rio de Janeiro", "Port of Spain").
_PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "des", "es", "of", "au",
              "on", "upon", "la", "le", "van", "von", "y", "and", "the", "en", "sur"}
# An unknown credit looks like a name: capitalised words ("DAWN", "Times of India").
_NAME_WORD = r"[A-Z\u00c0-\u024f][^\W\d_]*(?:['’.\-][^\W\d_]*)*"
_UNKNOWN_AGENCY = re.compile(
    rf"{_NAME_WORD}(?: (?:(?:of|the|de|al|el|for) )?{_NAME_WORD}){{0,3}}"
)

# Compiled once: these run for every dateline of every page.
_AGENCY_SEPARATORS = re.compile(r"[,/&;+]|\band\b")
_INITIALISM = re.compile(r"(?:\w\.){2,}")
_ONE_LETTER_PREFIX = re.compile(r"^(\w)(['’])(\w.*)$")
_NOT_DIGITS = re.compile(r"\D")
_READ_DAY = re.compile(_DAY)
_TRAILING_COMMAS = re.compile(r"[\s,]+$")
_YEAR_ALONE = re.compile(r"[\W_]*(?=\w{0,3}\d)\w{4}[\W_]*")  # ", 1874.", ", 18f4."
# A day's name ("FRIDAY, NOVEMBER 23") or a word that opens a phrase ("THE", "IN") is
# no place (save "THE HAGUE").
_NOT_A_PLACE = re.compile(
    r"(?!THE\s+HAGUE\b)(?:MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY|THE|A|AN|"
    r"IN|ON|AT|OF|TO|AND|FOR|BY)\b", re.IGNORECASE)
_SPECK = re.compile(SPECK)
_KNOWN_AGENCIES = frozenset(AGENCY_NAMES.values())
_INITIALS = re.compile(r"[A-Z]{2,6}")  # an agency we do not know, named by its initials
# What a wire dateline's parentheses say of how the dispatch came, not who sent it
_ROUTE = re.compile(r"\s*(?:via\s+\S.*|special(?:\s+(?:dispatch|cable|correspondence|"
                    r"telegram))?|delayed|by\s+(?:cable|wireless|mail))\W*", re.IGNORECASE)
# The full stop after a dateline's date where the dash was lost, before the first sentence
_STOP_THEN_PROSE = re.compile(r"\.\s+[A-Z\"“]")
_PAPER_NAME = re.compile(r"THE\s+(?!HAGUE\b)", re.IGNORECASE)  # "THE EXAMINER" names no place


def _agency_key(name: str) -> str:
    return " ".join(name.replace(".", "").split()).lower()


def canonical_agency(name: str) -> str:
    """The canonical spelling of a wire agency name, or the name as printed if unknown."""
    return AGENCY_NAMES.get(_agency_key(name), " ".join(name.split()))


# Credits and places repeat from page to page: each is worked out once (pure functions).
@functools.lru_cache(maxsize=4096)
def _agencies(inside: str) -> tuple[str, ...] | None:
    """Agency names listed inside parentheses, or None when it is not an agency list."""
    names = []
    for part in _AGENCY_SEPARATORS.split(inside):
        part = part.strip()
        if not part:
            continue
        known = AGENCY_NAMES.get(_agency_key(part))
        if known is None:
            # Unknown but agency-shaped ("DAWN", "Mehr News") is kept as printed; anything
            # else ("the capital") means these parentheses are not a credit line at all.
            if len(part) > 30 or not _UNKNOWN_AGENCY.fullmatch(" ".join(part.split())):
                return None
            known = " ".join(part.split())
        if known not in names:
            names.append(known)
    return tuple(names) if names else None


def _title_part(part: str, first: bool) -> str:
    """Title-case one hyphen-free piece of a place word."""
    if _INITIALISM.fullmatch(part):  # initialisms such as "D.C." stay as printed
        return part
    low = part.lower()
    if not first and low in _PARTICLES:
        return low
    # "N'DJAMENA" -> "N'Djamena" (one-letter prefix) but "SANA'A" -> "Sana'a".
    m = _ONE_LETTER_PREFIX.match(low)
    if m:
        return m.group(1).upper() + m.group(2) + m.group(3).capitalize()
    return low.capitalize()


@functools.lru_cache(maxsize=4096)
def title_place(place: str) -> str:
    """Sensible title case for a caps place name: "AL-JAHRA" -> "Al-Jahra"."""
    words = []
    for i, word in enumerate(place.split()):
        parts = word.split("-")
        words.append("-".join(_title_part(p, i == 0 and j == 0) for j, p in enumerate(parts)))
    return " ".join(words)


def _month_day(m: re.Match[str]) -> tuple[int | None, int | None]:
    mon = m.group("mon") or m.group("mon2")
    day_text = m.group("day") or m.group("day2")
    if not mon or not day_text:
        return None, None
    month = month_number(mon)
    if not _READ_DAY.fullmatch(day_text):  # garbled: the month alone
        return month, None
    day = int(_NOT_DIGITS.sub("", day_text))  # "4th" -> 4
    # An impossible day ("Nov 31") is a misprint: keep place and agency, drop the date.
    if month is None or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        return None, None
    return month, day


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def parse_dateline(paragraph: str, undated: bool = True) -> tuple[Dateline | None, str]:
    """Split the opening dateline off an article's first paragraph: (Dateline, rest).
    undated=False: only a dateline with a date or an agency counts (on a scanned page a
    place alone before a colon or dash is far more often a run-in heading: "FIRE AT
    LISCARD.—", "COURT OF KING'S BENCH.—", or OCR debris), and a place set in title case
    counts when a date and a separator follow it ("Washington, Jan. 5.—", as papers of
    the nineteenth and early twentieth centuries set it)."""
    found = _caps_dateline(paragraph, undated)
    if found[0] is None and not undated:  # scanned pages: an OCR speck may come first,
        if speck := _SPECK.match(paragraph):  # and older papers set the place in title
            found = _caps_dateline(paragraph[speck.end():], undated)  # case
        if found[0] is None:
            found = _title_dateline(paragraph)  # ("Washington, Jan. 5.—")
        if found[0] is None and (month := misread_month(paragraph)):
            # "Baltimore, Julv 22.", "WASHINGTON, duly 1.—": read with the month's name,
            # the dateline keeps the word as printed
            word, start, name = month
            read = paragraph[:start] + name + paragraph[start + len(word):]
            dateline, rest = parse_dateline(read, undated)
            if dateline is not None and read.endswith(rest):
                return replace(dateline, text=dateline.text.replace(name, word, 1)), rest
    return found


# Words of a masthead's or folio's date line, never of a dateline's place ("SIXTEENTH
# YEAR. OMAHA. SUNDAY MORNING, MARCH 6, 1887"): a day's name, the time of the edition.
_FOLIO_WORDS = DAY_WORDS | {"morning", "evening", "afternoon", "edition", "year"}


def _folio_place(place: str) -> bool:
    """Whether a dateline's place reads as a folio line's words instead."""
    return any(word.strip(".,;:'’").lower() in _FOLIO_WORDS for word in place.split())


def _caps_dateline(paragraph: str, undated: bool) -> tuple[Dateline | None, str]:
    """A dateline whose place is set in capitals (_DATELINE), or none."""
    m = _DATELINE.match(paragraph)
    if m is None or _NOT_A_PLACE.match(m.group("place")) or _folio_place(m.group("place")):
        return None, paragraph
    place, sep = m.group("place"), m.group("sep")
    has_date = bool(m.group("mon") or m.group("mon2"))
    agencies: tuple[str, ...] = ()
    cut = None  # where the dateline ends early, when its tail proved to be prose
    # "(Via Amsterdam)", "(Special.)", "(Delayed)": how the dispatch came, no agency
    noted = m.group("agencies") is not None and bool(_ROUTE.fullmatch(m.group("agencies")))
    if m.group("agencies") is not None and not noted:
        parsed = _agencies(m.group("agencies"))
        # On a scanned page, a word in parentheses that names no agency we know, and is
        # no initialism ("MNA"), is OCR debris or a note ("POULTRY POST (Hont.lf)").
        if parsed is None or not undated and not all(
                name in _KNOWN_AGENCIES or _INITIALS.fullmatch(name) for name in parsed):
            return None, paragraph
        agencies = parsed
        extra = m.group("more_par") or m.group("more_word")
        if extra:
            more = _agencies(extra)
            # "(AFP) & Trump said" is prose: only known or parenthesised names join the list,
            # otherwise the dateline ends at the last parenthesis.
            if more is None or (m.group("more_word") and _agency_key(extra) not in AGENCY_NAMES):
                cut = m.start("more")
            else:
                agencies += tuple(a for a in more if a not in agencies)
    # Two capitals ("US", "IS", "UN") are far more often a subject than a dateline.
    if _letters(place) < 3:
        return None, paragraph
    if not (has_date or agencies or noted or (sep and undated)) \
            or (sep and "?" in sep and not has_date):
        return None, paragraph  # "NEW YORK is a big city.", "WHY? Because ..."
    if not (has_date or agencies) and place.strip(" .") in _NOT_PLACES:
        return None, paragraph
    end = m.end()
    if cut is not None:
        end, sep = cut, None
    if sep:
        bare = sep.strip()
        # A lone hyphen needs a space on some side, else it is part of a word ("TEHRAN-Karaj").
        if set(bare) == {"-"} and not (sep[0].isspace() or end == len(paragraph)
                                        or paragraph[end].isspace()):
            if not (has_date or agencies):
                return None, paragraph
            end -= len(sep)
            sep = None
    head_end = end - len(sep) if sep else end
    text = _TRAILING_COMMAS.sub("", paragraph[len(m.group("lead")):head_end])
    month, day = _month_day(m) if has_date else (None, None)
    if m.group("day") and not _READ_DAY.fullmatch(m.group("day")) and not sep \
            and not _STOP_THEN_PROSE.match(paragraph[end:].lstrip()):
        return None, paragraph  # a garbled day needs its separator
    # "WASHINGTON. Jan. 5.—" (a full stop where the comma was): the stop is no part of
    # the place, or its facet would hold "Washington" and "Washington." apart
    last = place.rsplit(None, 1)[-1]
    place = place[:-1] if last.endswith(".") and last.count(".") == 1 else place
    # nor is an apostrophe the OCR read off a speck ("WASHINGTON'"), nor, on a scanned
    # page, a rule read as an "I" before it ("I WASHINGTON")
    place = place.rstrip("'’")
    if not undated:
        place = _without_rule(place)
    place_name = title_place(place)
    rest = paragraph[end:].lstrip()
    if has_date and not sep and _STOP_THEN_PROSE.match(rest):
        rest = rest[1:].lstrip()  # "ROME, Jan. 3. Half a ...": the stop ends the dateline
    elif rest and not any(c.isalnum() for c in rest):
        rest = ""  # "WASHINGTON. Jan. 7." on a line of its own: its stop is no text
    if _YEAR_ALONE.fullmatch(rest) and _PAPER_NAME.match(place):
        # "THE EXAMINER, SATURDAY, MAY 2, 1874.": a paper's running head (its year read)
        # dates nothing
        return None, paragraph
    return Dateline(text=text, place=place_name, month=month, day=day, agencies=agencies), rest


def _without_rule(place: str) -> str:
    """A place on a scanned page without the "I" the OCR read off a rule before it ("I
    WASHINGTON", "I Washington")."""
    return place[2:] if place.startswith("I ") and _letters(place) > 3 else place


def _title_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """A dateline whose place is set in title case, in the forms of several languages and
    centuries ("Washington, Jan. 5.—", "El Paso, Tex., Jan. 3.—", "Wien, 2. Dezember. Die";
    archive.segmentation.datelines): a date and a separator must follow the place."""
    m = DATELINE.match(paragraph)
    if m is None or _NOT_A_TITLE_PLACE.match(m.group("place")) \
            or _folio_place(m.group("place")):
        return None, paragraph
    month, day = _month_day(m)
    if month is None:  # a misprinted day: a place alone needs a date here
        return None, paragraph
    words: list[str] = []
    for word in m.group("place").split():
        words.append(word)
        if word.endswith(".") and len(word) > 4:  # "Austin. Tex.": the OCR read the comma
            break  # as a stop; the state follows ("St. Louis" goes on: an abbreviation)
    place = _without_rule(" ".join(words))
    if place.endswith(".") and len(words[-1]) > 4:
        place = place[:-1]
    letters = [c for c in place if c.isalpha()]
    if sum(map(str.isupper, letters)) >= 0.6 * len(letters):  # capitals the OCR garbled
        place = title_place(place)  # ("WASHINCTciN"): shown as the others are
    text = paragraph[m.start("place"):m.start("sep")].rstrip(" .,:;")  # no speck, no quote
    return Dateline(text=text, place=place, month=month, day=day, agencies=()), \
        paragraph[m.end():].lstrip()
