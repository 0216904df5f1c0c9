"""Issue dates: from a path, from a --date option, or the year inferred from the text."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

# The Arab Times began in 1977; no issue can be older or newer than this range by default.
DEFAULT_YEARS: tuple[int, int] = (1977, dt.date.today().year)

# From the first newspapers on (as archive.metadata.FIRST_YEAR): archives hold 17th- and
# 18th-century issues (a Copenhagen paper of 1795 filed under 1795-06-15-01/).
_MIN_YEAR, _MAX_YEAR = 1600, 2100

# "2017-11-06", "2017/11/06", "2017_11_07", "2017.11.07": one separator used throughout
# (the back-reference), so "2017-11/06" or a stray id is not read as a date.
_SEPARATED = re.compile(r"(?<!\d)(\d{4})([-_./\\])(\d{1,2})\2(\d{1,2})(?!\d)")
# "20171107-page3": eight digits standing alone. No letter or digit may touch them, because
# hex hashes and numeric ids ("c10b1a1efda8d5c8", "486502") hold digit runs too.
_COMPACT = re.compile(r"(?<![0-9A-Za-z])(\d{4})(\d{2})(\d{2})(?![0-9A-Za-z])")
_OPTION = re.compile(r"\d{4}-\d{2}-\d{2}")

_WEEKDAYS = tuple(calendar.day_name)  # Monday first, like date.weekday()
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
# "open Sunday to Thursday" is a timetable, not an account of recent days.
_WEEKDAY_SPAN = re.compile(
    rf"{_WEEKDAY.pattern}\s*(?:to|through|thru|till|until|-|–|—)\s*{_WEEKDAY.pattern}"
)
# Words before a weekday that point forward or mean "any" such day.
_NOT_PAST = {"next", "every", "each", "coming"}
# A year is four digits not glued to other number parts: "1,500", "2017.5", "$2000".
_YEAR = re.compile(r"(?<![\w.,$£€])((?:19|20)\d{2})(?!\w|[.,]\d)")
_RANGE_AFTER = re.compile(r"[-–/](?:(?:19|20)\d{2}|\d{2})(?!\d)")  # "2016-17", "2016/2017"
_RANGE_BEFORE = re.compile(r"(?:19|20)\d{2}[-–/]$")
# Phone numbers and codes around a year: "2224-1990", "2224 1990" (compiled once: they run
# for every four-digit number of every undated page).
_DIGIT_HYPHEN_END = re.compile(r"\d-$")
_HYPHEN_DIGIT = re.compile(r"-\d")
_DIGITS_SPACE_END = re.compile(r"\d{3} $")
_SPACE_DIGITS = re.compile(r" \d{3}")
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)\s+$")
_LETTERS = re.compile(r"[A-Za-z]+")
# Years after these words are plans, not the present: "by 2030", "Vision 2035".
_FUTURE_WORDS = {"by", "until", "till", "til", "through", "thru", "before", "vision"}
# Skipped when looking for a future word: "by the end of 2030", "until mid-2025".
_FILLERS = {"the", "end", "of", "mid", "early", "late", "middle", "start", "beginning", "year",
            "fiscal", "first", "second", "half", "quarter"}
# A four-digit count of things or money ("2000 people", "KD 1990") is not a year.
_UNITS = {"kd", "dinar", "dinars", "fils", "dollars", "usd", "euros", "dh", "dhs", "rs", "sr",
          "qr", "bd", "people", "persons", "troops", "fighters", "workers", "students",
          "km", "kms", "miles", "metres", "meters", "feet", "tons", "tonnes", "barrels", "kg",
          "units", "jobs", "cars", "cases", "deaths", "families", "members", "employees"}


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when the three numbers name none."""
    try:
        return dt.date(year, month, day)
    except (ValueError, TypeError):
        return None


def date_from_path(path: str) -> dt.date | None:
    """The issue date written in a file or folder name, or None; the last valid one wins."""
    found = None
    # The last date is the most specific one (file name over folder), so keep overwriting.
    for pattern, groups in ((_SEPARATED, (1, 3, 4)), (_COMPACT, (1, 2, 3))):
        for m in pattern.finditer(str(path)):
            year, month, day = (int(m.group(g)) for g in groups)
            date = valid_date(year, month, day) if _MIN_YEAR <= year <= _MAX_YEAR else None
            if date and (found is None or m.start() >= found[0]):
                found = (m.start(), date)
    return found[1] if found else None


# A record's date, year first: "1915-12-01", "19151201", "1870.01.02", "1915/12/1".
_YEAR_FIRST = re.compile(r"^\s*(\d{4})([-./]?)(\d{1,2})\2(\d{1,2})(?!\d)")


def year_first(text: str | None) -> dt.date | None:
    """The date a catalogue record's field opens with, year first ("1915-12-01",
    "19151201", "1870.01.02", "1915/12/1"), if it is a real date."""
    match = _YEAR_FIRST.match(text or "")
    return valid_date(int(match[1]), int(match[3]), int(match[4])) if match else None


def parse_date_option(text: str) -> dt.date:
    """A --date value (YYYY-MM-DD) as a date; ValueError with a readable message otherwise."""
    value = text.strip()
    date = None
    if _OPTION.fullmatch(value):
        date = valid_date(int(value[:4]), int(value[5:7]), int(value[8:]))
    if date is None:
        raise ValueError(f"invalid date {text!r}: expected a real date as YYYY-MM-DD, "
                         f"e.g. 2017-11-05")
    return date


def _previous_words(text: str, end: int) -> list[str]:
    """Lower-case words before position end, nearest first."""
    return [w.lower() for w in reversed(_LETTERS.findall(text[max(0, end - 60):end]))]


def _is_future(text: str, start: int) -> bool:
    for word in _previous_words(text, start):
        if word in _FUTURE_WORDS:
            return True
        if word not in _FILLERS:
            return False
    return False


# A page's undated items all ask about the same page text: worked out once per page, not
# once per item (which made year inference quadratic in the page's items).
@functools.lru_cache(maxsize=1)
def mentioned_years(text: str, latest: int) -> list[int]:
    """Years (1900..latest) the text speaks of as past or present, in order of appearance."""
    years = []
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        if not 1900 <= year <= latest or _is_future(text, m.start()):
            continue
        before, after = text[max(0, m.start() - 6):m.start()], text[m.end():m.end() + 6]
        # Phone numbers and codes: a digit group joined by a hyphen, or a 3+ digit group
        # after a space ("2224-1990", "2224 1990"); year ranges ("2016-17") are allowed.
        if _DIGIT_HYPHEN_END.search(before) and not _RANGE_BEFORE.search(before):
            continue
        if _HYPHEN_DIGIT.match(after) and not _RANGE_AFTER.match(after):
            continue
        if _DIGITS_SPACE_END.search(before) or _SPACE_DIGITS.match(after):
            continue
        next_word = _NEXT_WORD.match(text[m.end():m.end() + 20])
        prev_word = _PREVIOUS_WORD.search(text[max(0, m.start() - 20):m.start()])
        if any(w and w.group(1).lower() in _UNITS for w in (next_word, prev_word)):
            continue
        years.append(year)
    return years


@functools.lru_cache(maxsize=1)
def anchor_weekday(text: str) -> int | None:
    """The weekday (Monday=0) the text is written from: the named day the others precede."""
    named = set()
    spans = [m.span() for m in _WEEKDAY_SPAN.finditer(text)]
    for m in _WEEKDAY.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        prev = _previous_words(text, m.start())
        if prev and prev[0] in _NOT_PAST:  # "next Friday" points forward, not back
            continue
        named.add(_WEEKDAYS.index(m.group(1)))
    if not named:
        return None
    # For each candidate anchor, how far back the other named days lie; news speaks of
    # the days just past, so the anchor that keeps them closest wins.
    cost = {a: sum((a - w) % 7 for w in named) for a in named}
    best = min(cost.values())
    anchors = [a for a, c in cost.items() if c == best]
    return anchors[0] if len(anchors) == 1 else None


def _years_list(years: list[int]) -> str:
    shown = ", ".join(map(str, years[:6]))
    return shown + (f" and {len(years) - 6} more" if len(years) > 6 else "")


def infer_year(
    month: int, day: int, text: str, years: tuple[int, int]
) -> tuple[int | None, str]:
    """The one year the text allows for a month/day, with why; None when not certain."""
    lo, hi = years
    label = f"{calendar.month_abbr[month]} {day}" if 1 <= month <= 12 else f"{month}/{day}"
    candidates = [y for y in range(lo, hi + 1) if valid_date(y, month, day)]
    if not candidates:
        return None, f"no candidate: {label} is not a date in {lo}-{hi}"
    why = []
    mentioned = mentioned_years(text, hi)
    if mentioned:
        latest = max(mentioned)
        # Issues do not predate the years they mention, and news mentions recent years;
        # five years hold each month/day/weekday combination at most once.
        candidates = [y for y in candidates if latest <= y <= latest + 4]
        why.append(f"latest year mentioned {latest}")
    anchor = anchor_weekday(text)
    if anchor is not None:
        candidates = [y for y in candidates if dt.date(y, month, day).weekday() == anchor]
        why.append(f"{label} is a {_WEEKDAYS[anchor]}")
    reasons = "; ".join(why) or "no year or weekday in the text"
    if len(candidates) == 1:
        return candidates[0], f"{candidates[0]}: {reasons}"
    if not candidates:
        return None, f"no candidate in {lo}-{hi}: {reasons}"
    return None, f"ambiguous: {_years_list(candidates)} ({reasons})"
