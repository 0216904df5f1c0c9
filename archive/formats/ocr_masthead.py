"""What a masthead prints, line by line, in plain page OCR text: volume and number, price,
edition, the date line, the weather box, a wire's slogan in the ears (archive.formats.ocr_text
strips the masthead by them, at the page's top or wherever the OCR put it). A line of
running text may name a price or the weather too: masthead_line tells them apart."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateparser

from archive.formats.ocr_lines import Line, goes_on
from archive.segmentation.datelines import MONTH as _MONTH
from archive.segmentation.furniture import printed_date as furniture_date

# Masthead furniture: volume and number, price, count of pages, edition, weather box,
# how often the paper comes out ("Published every Tuesday and Friday").
_MASTHEAD_MARK = re.compile(
    r"\b(?:vol(?:ume)?\.?\s*[\dIVXLCivxlc]+\b.{0,80}\bno\.?\s*\d|vol(?:ume)?\.?\s+[\dIVXLC]"
    r"|price\s+(?:one|two|three|five|ten|\d+)\s+cents?"
    r"|(?:single|daily)\s+cop(?:y|ies|[a-z]\b)"  # (as the OCR reads it: "SINGLE COPT")
    # the price delivered ("DELIVERED ANYWHERE 60 CENTS A MONTH", "BY CARRIER 10 CENTS A
    # WEEK"), not a price a headline reports ("OIL CUT 10 CENTS A BARREL")
    r"|(?:delivered\s+any\s?where|by\s+carriers?)\b.{0,30}\bcents?\s+a\s+(?:month|week)"
    r"|\b(?:home|final|night|noon|last|late|extra|city)\s+edition"
    r"|whole\s+(?:no\.?|number)\s*\d"  # the count since the first ("WHOLE NO. 4094")
    # a wire's slogan in the ears ("LATEST NEWS BY ASSOCIATED PRESS", "MEMBER ASSOCIATED
    # PRESS" as the OCR reads it: "MEMB5R"), never a story's credit ("By Associated Press.")
    r"|^\W*(?:(?:latest|all\s+the)\s+news,?\s+by\s+(?:the\s+)?(?:associated|united)\s+press"
    r"|m\S{3,4}r\s+(?:of\s+the\s+)?associated\s+press\b|leased\s+wire\s+report\b)"
    r"|entered\s+(?:at|as)\s+.{0,30}(?:post|second)"
    r"|established\s+(?:in\s+)?1[789]\d\d|an\s+independent\s+(?:news)?paper"
    r"|\bofficial\s+(?:news)?paper\b"
    r"|published\s+(?:every|each)\s+(?:day|morning|evening|week"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day))",
    re.IGNORECASE)
# What a masthead prints that a sentence of a story may say too ("if the weather holds",
# "two cents a pound", "forty pages of evidence"): a mark of the masthead on a line that is
# not running text (masthead_line).
_PROSE_MARK = re.compile(
    r"\b(?:(?:one|two|three|five|\d)\s+cents?\b"
    r"|(?:two|four|six|eight|ten|twelve|\w+teen|twenty[\w-]*|\d+)\s+pages\b"
    r"|pages\s+(?:one|1)\s+to\b|the\s+weather\b|weather\s+forecast"
    # the subscription price ("SUBSCRIPTION: $1.50 PER YEAR IN ADVANCE", "S1.50PER YEAR")
    r"|subscription\s*(?:price|rates?)?\s*[:.,]?\s*[$S]?\d)"
    r"|per\s+(?:year|annum)\s+in\s+advance|\d[.,]\d\d\.?\s*per\s*(?:year|annum)\b",
    re.IGNORECASE)
MARK_WORDS = 6  # a line of more words going on in lower case is running text
# What a folio band prints, read through OCR errors ("you vi., No, 10a.", "PRICE 10 CENV"):
# a line of the masthead only when it is short (SHORT_MASTHEAD), or a sentence of an
# article ("the price ten years ago") would match.
_GARBLED_MARK = re.compile(
    r"\b[vy][o0][lu1i]\.?,?\s*[\dIVXLCivxlc]+\b\.?,?\s*n[o0][.,]?\s*\d|"
    r"^\W*price\s+(?:one|two|three|five|ten|\d+)\s+\w{3,7}\W*$", re.IGNORECASE)
SHORT_MASTHEAD = 50
_VOLUME_NUMBER = re.compile(r"\bvol(?:ume)?\.?\s*[\dIVXLC]+\b.{0,80}\bno\.?\s*\d",
                            re.IGNORECASE)
_DATE_IN_LINE = re.compile(
    r"(?P<weekday>(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)[\s,.]+)?"
    rf"(?P<month>(?i:{_MONTH}))\.?\s*(?P<day>\d{{1,2}})\s*[,.]?\s*(?P<year>1[6-9]\d\d|20\d\d)\b")

_YEAR = re.compile(r"1[6-9]\d\d|20\d\d")  # what every full date prints
# "NO. 20.", or "NUMBER 27." set in capitals (a sentence's line may end "number 27.")
_NUMBER_ALONE = re.compile(r"\W*(?:(?i:n[o0])\.?|NUMBER)\s*\d{1,5}\W*$")
_WEEKDAY_DATE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)[\s,.]+"
    r"(?:(?:morning|evening|afternoon)[\s,.]+)?"  # the edition's ("SUNDAY MORNING, JAN. 16")
    rf"(?:{_MONTH})[.,]?\s*[\dOoIlGSB]{{1,2}}\b", re.IGNORECASE)  # (6 read as G ...)


def masthead_mark(text: str) -> bool:
    """Whether a line is masthead furniture: volume and number, price, edition, weather
    (on a short line, also as the OCR garbles them: "VOU VI., No. 04.", "PRICE ONE OBNT")."""
    return _printed_only_in_mastheads(text) or _PROSE_MARK.search(text) is not None


def masthead_line(line: Line, above: Line | None, below: Line | None) -> bool:
    """masthead_mark, but what a story's sentence may say too ("... if the weather holds.")
    not on a line of running text (running_text), unless it prints a date, as a folio
    band does."""
    text = line.text
    return _printed_only_in_mastheads(text) or _PROSE_MARK.search(text) is not None and (
        not running_text(line, above, below) or dated(text))


def _printed_only_in_mastheads(text: str) -> bool:
    return _MASTHEAD_MARK.search(text) is not None or (
        len(text) <= SHORT_MASTHEAD and _GARBLED_MARK.search(text) is not None)


def running_text(line: Line, above: Line | None, below: Line | None) -> bool:
    """Whether a line, not in capitals, is inside a sentence of running text: it goes on
    in lower case from a line of text above that did not end its sentence (and holds
    more than MARK_WORDS words), or the line below goes on from it."""
    if line.caps:
        return False
    return (line.lower_start and len(line.text.split()) > MARK_WORDS and above is not None
            and not (above.caps or above.title or above.ends)) or (
        below is not None and not line.ends and goes_on(below, line))


def volume_number(text: str) -> bool:
    """Whether a line prints a volume and number ("Vol. 23. No. 49."), or the issue's
    number alone on its line ("NO. 20."): masthead furniture wherever it stands, however
    it is set."""
    return bool(_VOLUME_NUMBER.search(text) or _NUMBER_ALONE.match(text))


def printed_date(text: str) -> dt.date | None:
    """The full date a masthead line prints ("SATURDAY, JANUARY 15, 1916"; the day first
    and in other languages: "Dienstag, den 12. März 1912", "Mardi 12 mars 1912"), or None."""
    if _YEAR.search(text) is None:  # (most lines: no year, no date to look for)
        return None
    match = _DATE_IN_LINE.search(text)
    if match is None:
        return furniture_date(text)
    try:
        date = dateparser.parse(f"{match['month']} {match['day']} {match['year']}").date()
    except (ValueError, OverflowError):
        return None
    weekday = (match["weekday"] or "").strip(" ,.").lower()
    if weekday and date.strftime("%A").lower() != weekday:
        return None  # the printed weekday must agree, or this is not a date to trust
    return date


def dated(text: str) -> bool:
    """Whether a line prints a full date (month, day and year), in one of the languages
    printed_date reads."""
    return _YEAR.search(text) is not None and (
        _DATE_IN_LINE.search(text) is not None or furniture_date(text) is not None)


def dated_folio(text: str) -> bool:
    """Whether a line prints a weekday and a date, as a masthead's date line does, its
    figures as the OCR read them ("THURSDAY, JANUARY 0, 1016.", "WEDNESDAY, JANUARY 12,
    VM."): set in capitals among a masthead's lines, its date line whatever became of its
    year (prose names a weekday and a date too)."""
    return _WEEKDAY_DATE.search(text) is not None
