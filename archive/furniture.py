"""Page furniture: mastheads, running heads, category footers, printer lines, page numbers,
separators. Each line is classified; what furniture reveals becomes metadata."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from dateutil import parser as dateparser

# Mastheads we know, with the country and language they imply. Unknown mastheads are
# recognised by the page structure (see formats/pressreader.py).
KNOWN_PUBLICATIONS: dict[str, tuple[str, str]] = {
    "arab times": ("Kuwait", "English"),
    "kuwait times": ("Kuwait", "English"),
    "tehran times": ("Iran", "English"),
    "gulf news": ("United Arab Emirates", "English"),
    "khaleej times": ("United Arab Emirates", "English"),
    "the national": ("United Arab Emirates", "English"),
    "times of oman": ("Oman", "English"),
    "oman observer": ("Oman", "English"),
    "arab news": ("Saudi Arabia", "English"),
    "saudi gazette": ("Saudi Arabia", "English"),
    "gulf times": ("Qatar", "English"),
    "the peninsula": ("Qatar", "English"),
    "gulf daily news": ("Bahrain", "English"),
    "al-seyassah": ("Kuwait", "Arabic"),
    "al-qabas": ("Kuwait", "Arabic"),
    "al-rai": ("Kuwait", "Arabic"),
    "al-anba": ("Kuwait", "Arabic"),
}


@dataclass(frozen=True)
class Furniture:
    """A furniture line: its kind and the metadata it reveals."""

    kind: str
    meta: dict[str, object] = field(default_factory=dict)


_WEEKDAYS = "MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY"
_MONTHS = ("JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|"
           "DECEMBER|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEPT|SEP|OCT|NOV|DEC")
# "ARAB TIMES, SUNDAY, NOVEMBER 5, 2017", optionally with a page number before or after
# and a section name after: "12 ARAB TIMES, SUNDAY, NOVEMBER 5, 2017 LOCAL".
_RUNNING_HEAD = re.compile(
    rf"^(?:(?P<page1>\d{{1,3}})\s+)?(?P<pub>[A-Za-z][A-Za-z .&'-]{{1,40}}?)\s*[,|]\s*"
    rf"(?:(?P<weekday>{_WEEKDAYS})\s*,?\s*)?(?P<month>{_MONTHS})\.?\s+(?P<day>\d{{1,2}})"
    rf"\s*,?\s*(?P<year>(?:18|19|20)\d\d)\b\s*[,|]?\s*(?P<rest>.{{0,40}})$",
    re.IGNORECASE)
# The value is a name (capitalised words, "and"/"of"/"the" between them), never a clause:
# "Newspapers in English are popular" is a sentence, not a footer.
_NAME = r"[A-Z][\w'’.-]*"
_CATEGORY = re.compile(rf"^(?i:Newspapers)\s+(?P<rel>(?i:in|from))\s+"
                       rf"(?P<value>{_NAME}(?:\s+(?:(?:and|of|the|&)\s+)?{_NAME}){{0,4}})$")
_PRINTER = re.compile(r"^(?:printed\s+and\s+distributed\s+by\s+pressreader|pressreader(?:\.com)?"
                      r"(?:\s*[+\d][\d\s()+-]{6,})?|www\.pressreader\.com)\.?$", re.IGNORECASE)
_COPY_WORDS = frozenset({"original", "copy", "copyright", "and", "protected", "by",
                         "applicable", "law", "all", "rights", "reserved"})
_WORDS = re.compile(r"[A-Za-z]+")
_FINAL_STOP = re.compile(r"(?<=[a-z])\.$")
_WEEKDAY = re.compile(_WEEKDAYS, re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:page|p\.?)?\s*(?P<page>\d{1,3})$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s\-–—_=*•·~.#|+]+$")
_SECTION = re.compile(r"^(?P<section>[A-Za-z][A-Za-z &/-]{1,30}?)?\s*(?P<page>\d{1,3})?$")

# Footer glued to the last sentence of Tehran Times web articles, and the editors'
# initials ("MA/MA") that precede it.
_LICENCE = re.compile(r"\s*All Content by [^.]{1,80}? is licensed under a Creative Commons"
                      r".{0,80}?License\.?", re.IGNORECASE)
_LICENCE_WORDS = re.compile(r"All Content by ", re.IGNORECASE)  # what _LICENCE opens with
# Sometimes repeated ("AK/PA AK/PA"), spaced ("MAH /MQ/MG"), open ("SJ/MA/") or glued to
# the full stop.
_EDITOR_INITIALS = re.compile(r"(?:(?:^|\s+|(?<=[.!?\"”’]))(?:[A-Z]{1,4}\s*/\s*){1,3}[A-Z]{1,4}/?)+"
                              r"\s*$")


# What a separator, category footer, printer or page-number line can open with: the first
# item of each of their patterns, under the same flags (tests/test_fast_paths.py compares
# them on every character). Most lines open with none of these, so only the copyright and
# running-head tests are left for them.
_SHORT_KIND_OPENING = re.compile(r"[\s\-–—_=*•·~.#|+\d]|(?i:[npw])")


# The kinds that reveal nothing: one instance each, as their lines are common.
_SEPARATOR_LINE, _PRINTER_LINE, _COPYRIGHT_LINE = (
    Furniture("separator"), Furniture("printer"), Furniture("copyright"))


def classify(line: str) -> Furniture | None:
    """The furniture kind of one line (stripped of surrounding space), or None for text."""
    text = line.strip()
    if not text:
        return None
    short_kind = _SHORT_KIND_OPENING.match(text) is not None
    if short_kind:
        if _SEPARATOR.match(text):
            return _SEPARATOR_LINE
        if match := _CATEGORY.match(text):
            key = "language" if match["rel"].lower() == "in" else "country"
            value = _FINAL_STOP.sub("", match["value"].strip())
            return Furniture("category-footer", {key: value})
        if _PRINTER.match(text):
            return _PRINTER_LINE
    if text.isupper():  # checked first: body lines are long and never all capitals
        words = _WORDS.findall(text)
        if words and {w.lower() for w in words} <= _COPY_WORDS and (
                "copy" in text.lower() or "copyright" in text.lower()):
            return _COPYRIGHT_LINE
    if short_kind and (match := _PAGE_NUMBER.match(text)):
        return Furniture("page-number", {"page": int(match["page"])})
    if not _could_be_running_head(text):
        return None
    return _running_head(text)


def _could_be_running_head(text: str) -> bool:
    """A cheap test _RUNNING_HEAD needs to pass: its "," or "|" is the line's first one
    (page number, name and spaces hold none), with at most 3 + 41 other characters before
    it. Most body lines fail it, and the regex costs far more than this."""
    comma = text.find(",")
    # Only a "|" before the first comma can come first: no need to look further for one.
    bar = text.find("|", 0, comma) if comma >= 0 else text.find("|")
    cut = bar if bar >= 0 else comma
    if cut < 0:
        return False
    if cut <= 44:  # fewer than 45 characters before it hold fewer than 45 non-spaces
        return True
    head = text[:cut]
    # Printable, the head holds no white space but spaces (see text.paragraph_of): counting
    # them is cheaper than splitting it into words.
    spaces = head.count(" ") if head.isprintable() else cut - len("".join(head.split()))
    return cut - spaces <= 44


def _running_head(text: str) -> Furniture | None:
    match = _RUNNING_HEAD.match(text)
    if not match:
        return None
    # A running head is set in capitals; a sentence such as "Kuwait, November 5, 2017 was
    # a Sunday" is not furniture.
    if not match["pub"].isupper() and not text.istitle():
        return None
    date = _printed_date(match["month"], match["day"], match["year"])
    if date is None:
        return None
    if match["weekday"] and date.strftime("%A").lower() != match["weekday"].lower():
        return None  # the printed weekday must agree, or this is not a date we trust
    meta: dict[str, object] = {"date": date}
    # "SUNDAY, NOVEMBER 5, 2017" names no publication: its first word is the weekday.
    if _WEEKDAY.fullmatch(match["pub"].strip()):
        if match["weekday"] or date.strftime("%A").lower() != match["pub"].strip().lower():
            return None
    else:
        meta["publication"] = match["pub"].strip().title()
    rest = _SECTION.match(match["rest"].strip())
    if rest is None:
        return None
    page = match["page1"] or rest["page"]
    if page:
        meta["page"] = int(page)
    if rest["section"]:
        meta["section"] = rest["section"].strip().title()
    return Furniture("running-head", meta)


# The pages of an issue print the same date: dateutil (slow) reads each one once.
@functools.lru_cache(maxsize=1024)
def _printed_date(month: str, day: str, year: str) -> dt.date | None:
    """The date a running head prints, or None when it is no date."""
    try:
        return dateparser.parse(f"{month} {day} {year}").date()
    except (ValueError, OverflowError):
        return None


def strip_inline(text: str) -> tuple[str, list[str]]:
    """Remove furniture glued into running text (licence footers, editors' initials)."""
    removed: list[str] = []
    # The footer's fixed words, looked for first: _LICENCE opens with \s*, so searching
    # with it tries every position of every page. They are looked for in "text.lower()",
    # lowered as UTF-8 bytes: many times faster, and the same test, as only ASCII
    # characters lower-case to ASCII letters or the space (tests/test_fast_paths.py).
    if b"all content by" not in text.encode("utf-8", "surrogatepass").lower():
        return text.rstrip(), removed
    while match := _licence(text):  # crawls sometimes repeat the footer
        removed.append(match.group(0).strip())
        before = text[: match.start()]
        # Initials sign off just before the footer; only that tail is searched.
        initials = _EDITOR_INITIALS.search(before, max(0, len(before) - 200))
        if initials:
            removed.append(initials.group(0).strip())
            before = before[: initials.start()]
        text = before + text[match.end():]
    return text.rstrip(), removed


def _licence(text: str) -> re.Match[str] | None:
    """_LICENCE.search(text), started where the first match can start at the earliest.

    A match is white space and then _LICENCE_WORDS, so none starts before the run of white
    space (the regex's is str.isspace's) in front of the first place _LICENCE_WORDS
    matches, which the regex engine finds fast, having no leading white space to try at
    every position first.
    """
    words = _LICENCE_WORDS.search(text)
    if words is None:
        return None
    start = words.start()
    while start and text[start - 1].isspace():
        start -= 1
    return _LICENCE.search(text, start)


def known_publication(line: str) -> tuple[str, str] | None:
    """(country, language) when the line is a masthead we know."""
    return KNOWN_PUBLICATIONS.get(" ".join(line.lower().split()))


# Words that stay lower-case inside a title-cased line ("Lined Up Along Tracks and").
SMALL_WORDS = frozenset(
    "a an the of and or but nor for to in on at by with from into as vs via per de du la le "
    "van von "
    # French, German and Dutch articles and prepositions, set in lower case in a heading
    # ("Une Escadre Américaine dans les Eaux", "Ständerat für Vorwegmassnahmen der ...");
    # not "die", "am", "an", words of English sentences too, nor "en", "op": "on", "up"
    # as the OCR misreads them
    "les des aux au et sur pour par dans une un der das dem den und im zum zur vom "
    "mit auf aus bei nach über für het een".split())
# The words a newspaper's name ends with ("The Glasgow Courier", "Omaha Daily Bee"), to tell
# the name in a masthead from its slogans ("An Adless Newspaper", "Associated Press Leased
# Wire Service").
NAME_ENDS = frozenset(
    "times herald news tribune journal gazette post record republican democrat star sun "
    "bulletin advertiser courier chronicle enterprise leader register sentinel patriot "
    "citizen intelligencer observer independent banner globe bee mail telegram telegraph "
    "dispatch examiner review standard argus eagle clarion messenger reporter statesman "
    "union world appeal picayune transcript pioneer vindicator courant mercury ledger "
    "republic tidings zeitung "
    # and the words papers of other languages end their names with ("Luxemburger Wort",
    # "Neue Freie Presse", "Le Petit Parisien" is caught by none: a name read whole only)
    "tageblatt tagblatt blatt anzeiger bote kurier presse rundschau nachrichten volksblatt "
    "wochenblatt wort figaro temps matin siècle siecle républicain republicain avenir écho "
    "echo nouvelliste moniteur progrès progres gazzetta corriere giornale stampa secolo "
    "diario heraldo imparcial courant krant dagblad nieuwsblad handelsblad tidning tidende "
    "posten bladet dagbladet aftenposten sanomat telegraaf".split())
# What German and Dutch names compound their last word with ("Berliner Abendblatt",
# "Münchner Generalanzeiger", "Het Volksdagblad"), on a line of words alone (not after a
# dash: "Nouvelles du Nord - Nordkurier" is a title in two languages, named by its first).
_COMPOUND_ENDS = ("blatt", "zeitung", "anzeiger", "bote", "kurier", "nachrichten", "krant",
                  "blad")
# The words that open a name of the form "Journal de Genève", "Corriere della Sera",
# "Gazette de Lausanne": the paper, then where it is from.
NAME_HEADS = frozenset("journal gazette courrier corriere gazzetta giornale diario moniteur "
                       "écho echo feuille mémorial memorial nouvelliste correo".split())
# Articles a name may open with, and particles it may hold in lower case.
_NAME_ARTICLES = frozenset("the le la les il lo el los las het de die der das".split())
_NAME_PARTICLES = frozenset("de du des di della del d' von van der den am an of für".split())
_NOT_NAME_WORDS = frozenset("associated wire service edition section part pages local next "
                            "latest".split())


def newspaper_name(line: str) -> str | None:
    """The publication a masthead line names clearly: two to six words, none beginning in
    lower case but a particle ("de", "della"), no digits, not opening with a small word
    other than an article ("The", "Le", "Il"), the last a word newspapers are named with
    ("THE OMAHA DAILY BEE" -> "The Omaha Daily Bee", "LUXEMBURGER WORT") or the first
    one before a particle ("Journal de Genève"); else None. OCR garbles mastheads: only a
    name read whole passes."""
    words = [w for w in line.split() if any(c.isalnum() for c in w)]  # not "-", "|"
    if not 2 <= len(words) <= 6 or any(c.isdigit() for c in line):
        return None
    lowered = [w.lower().strip(".,'’") for w in words]
    if any(w[0].islower() and low not in _NAME_PARTICLES for w, low in zip(
            words, lowered, strict=True)) or words[0][0].islower():
        return None
    if lowered[0] in SMALL_WORDS and lowered[0] not in _NAME_ARTICLES:
        return None  # a line of a sentence ("And Tucumcari Times")
    core = lowered[1:] if lowered[0] in _NAME_ARTICLES else lowered
    # ("Journal-Miner", "Times-Republican", "Star-Bulletin": a name joined of two)
    named = NAME_ENDS.intersection(lowered[-1].split("-")) or (
        lowered[-1].endswith(_COMPOUND_ENDS) and len(words) == len(line.split())) or (
        len(core) >= 3 and core[0] in NAME_HEADS and core[1] in _NAME_PARTICLES)
    if not named or _NOT_NAME_WORDS.intersection(lowered):
        return None
    return name_case(" ".join(words).rstrip(".,"))


_ORNAMENTS = " •*★☆·◆◇■□▪–—-"  # marks set around a heading, not part of its name


def declared_name(text: str) -> str | None:
    """The paper's name from a heading its issue file declares to be the masthead's title
    (a METS TITLESECTION's HEADLINE): the words as printed, without the ornaments around
    them ("• EXCELSIOR •" -> "Excelsior", "L'ŒUVRE" -> "L'Œuvre"). Only a clean reading
    passes (one to six words, no digits, letters but for a few marks): the structure
    says where the name is, not that the OCR read it."""
    words = text.split()
    while words and not any(c.isalnum() for c in words[0]):
        words.pop(0)
    while words and not any(c.isalnum() for c in words[-1]):
        words.pop()
    name = " ".join(words).strip(_ORNAMENTS + ".,;:")
    letters = sum(c.isalpha() for c in name)
    if not 1 <= len(name.split()) <= 6 or any(c.isdigit() for c in name) or letters < 3 \
            or letters < 0.85 * len(name.replace(" ", "")):
        return None
    return name_case(name)


def section_name(name: str | None) -> str | None:
    """A section's name as a facet shows it, as printed but for its closing stop and the
    ornaments around it: "FEUILLETON." -> "FEUILLETON", "• Théâtres • Concerts •" ->
    "Théâtres • Concerts"."""
    return name.strip(_ORNAMENTS).rstrip(" .:;,") or None if name else None


def name_case(name: str) -> str:
    """A name as a publication is shown: title case when printed in capitals."""
    letters = [c for c in name if c.isalpha()]
    return name.title() if sum(map(str.isupper, letters)) >= 0.75 * len(letters) else name
