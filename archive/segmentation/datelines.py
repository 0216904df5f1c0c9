"""Datelines that open a dispatch, in the forms newspapers of several languages and
centuries print them: "YOUNGSTOWN, O., Jan. 13.—", "Washington, Jan, 24. A", "Wien, 2.
Dezember. Die", "Paris, 4 décembre.". Shared by the layout segmentation (a heading over a
dateline heads a dispatch of its own) and the plain-text reader (archive.formats.ocr_lines)."""

from __future__ import annotations

import re

from archive.name_variants import fold, folded_within

MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
         r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])")
# Month names of other languages, for datelines that put the day first ("Wien, 2.
# Dezember.", "Paris, 4 décembre.", "Roma, 3 dicembre"): German, French, Dutch, Italian,
# Spanish (English ones are in MONTH).
MONTH_DAY_FIRST = (
    r"(?:januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|"
    r"dezember|janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|"
    r"novembre|décembre|decembre|januari|februari|maart|mei|augustus|december|gennaio|"
    r"febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|dicembre|enero|"
    r"febrero|abril|mayo|junio|julio|septiembre|octubre|noviembre|diciembre|marts|"
    rf"{MONTH})")
# A speck the OCR read before a scanned dateline (a spot of ink, a rule's end): a mark or
# two, a lone digit or a thin letter, then a space ("1 WASHINGTON, Jan. 3.", "; Hartford,
# Conn., Jan. 11.", "j FI. PASO, Jan. 27."). Not a capital: "A ..." opens prose.
SPECK = r"(?:[^\w\s]{1,2}|[\dijl])\s+"
# "YOUNGSTOWN, O., Jan. 13.—", "El Paso, Tex.. Jan. 15. —The", "Washington, Jan, 24. A",
# "St. Paul, Minn., July .-15. Mata" (a speck and a dash the OCR read before the day),
# "Wien, 2. Dezember. Die", perhaps after a SPECK: a place of one to four capitalised
# words (a particle between them: "Port of Spain", "Frankfurt am Main"), perhaps a state,
# a month and a day (or a day and a month), then a dash (or a period and the capital of
# the first sentence; a dash that an encoding lost reads "?": "WASHINGTON, Jan. 24.?John").
DATELINE = re.compile(
    rf"^(?P<speck>{SPECK})?[\"'(]?"
    r"(?P<place>[A-Z][\w'’.-]*(?:\s+(?:(?:de|del|la|le|of|au|sur|am|an|der)\s+)?"
    r"[A-Z][\w'’.-]*){0,3})\s*[,.]\s*[.,'‘`]?\s*"  # (a speck the OCR read before the date)
    r"(?:[A-Z][A-Za-z]{0,5}\.?\s*[,.]*\s*){0,2}"
    r"(?:(?i:le|den|am|el|il)\s+)?"  # "Luxembourg, le 6 décembre.", "Kjøbenhavn, den 15."
    rf"(?:(?P<mon>(?i:{MONTH}))\.?\s*[,.-]{{0,2}}\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|(?P<day2>\d{{1,2}})(?:\s?er\b|º|°)?\s?\.?\s*(?:de\s+)?"  # "1er décembre", "1 er ."
    rf"(?P<mon2>(?i:{MONTH_DAY_FIRST}))\b\.?(?:\s*(?:de\s+)?\d{{4}})?)"
    r"\s*[.,:;]?\s*(?:\([^)]{0,50}\)\s*[.,:;]?\s*)?(?P<sep>[-—–]+|\?(?=\s*[A-Z\"“])|\.?\s+(?=[A-Z\"“])|$)")
# The month each name means, in the languages above (English by its first three letters
# too: "Sept.", "Janry"), for the dates furniture and datelines print.
# English, German, French, Dutch, Italian, Spanish, Portuguese and the Scandinavian names
_MONTH_WORDS = {
    1: "january jan januar jänner janvier januari gennaio enero janeiro",
    2: "february feb februar février fevrier februari febbraio febrero fevereiro",
    3: "march mar märz maerz mars maart marzo março marco marts",
    4: "april apr avril aprile abril",
    5: "may mai mei maggio mayo maio maj", 6: "june jun juni juin giugno junio junho",
    7: "july jul juli juillet luglio julio julho",
    8: "august aug août aout augustus agosto augusti",
    9: "september sept sep septembre settembre septiembre setiembre setembro",
    10: "october oct oktober octobre ottobre octubre outubro",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember décembre decembre dicembre diciembre dezembro"}
MONTH_NUMBERS = {word: number for number, words in _MONTH_WORDS.items()
                 for word in words.split()}
# The days' names in the same languages (a running head's, a masthead's date line)
DAY_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch "
    "donnerstag freitag samstag sonnabend sonntag lundi mardi mercredi jeudi vendredi samedi "
    "dimanche maandag dinsdag woensdag donderdag vrijdag zaterdag zondag lunedì lunedi "
    "martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi sabato domenica "
    "lunes martes miércoles miercoles jueves viernes sábado domingo segunda-feira "
    "terça-feira quarta-feira quinta-feira sexta-feira mandag tirsdag onsdag torsdag fredag "
    "lørdag søndag måndag tisdag lördag söndag løverdag mandagen tirsdagen onsdagen "
    "torsdagen fredagen lørdagen løverdagen søndagen".split())  # (Danish "Mandagen den 15")


def opens_with_dateline(text: str) -> bool:
    """Whether a text opens with a dateline."""
    return bool(DATELINE.match(text.lstrip()))


def month_number(name: str) -> int | None:
    """The month a dateline's month name means ("Jan.", "Dezember", "décembre"), or None."""
    word = name.lower().rstrip(".")
    return MONTH_NUMBERS.get(word) or MONTH_NUMBERS.get(word[:3])


# The word where a dateline's month stands, before a day and a separator or a stop
_MONTH_SLOT = re.compile(
    r"\W{0,3}[A-Z][\w .,'’-]{1,40}?[,.]\s+(?P<word>[A-Za-z]{3,9})(?=\.?\s+\d{1,2}\s*"
    r"(?:\.?\s*[-–—:?]|\.\s+[A-Z\"“]))")
_ENGLISH_MONTHS = tuple((name, fold(name)) for name in (
    "January", "February", "March", "April", "June", "July", "August", "Sept", "September",
    "October", "November", "December"))


def misread_month(paragraph: str) -> tuple[str, int, str] | None:
    """The month name the OCR misread in a dateline's month slot ("Julv", "Jnly", "Juy",
    "duly"): (the word, where it starts, the month); one edit away (two for a name of
    eight letters or more), a name of four letters at least."""
    slot = _MONTH_SLOT.match(paragraph)
    if slot is None or slot["word"].lower() in MONTH_NUMBERS:
        return None
    word = fold(slot["word"])
    for name, folded in _ENGLISH_MONTHS:
        if folded_within(word, folded, 2 if len(name) >= 8 else 1):
            return slot["word"], slot.start("word"), name
    return None
