"""Search state from query arguments: URL -> SearchRequest, with a reader-facing message for
every argument that cannot be used (the writing side is web/urls.py)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from archive.model import KINDS
from index.engine import DEFAULT_PAGE_SIZE, MAX_RESULT_WINDOW, SORTS, SearchRequest
from index.quality import OCR_LEVELS
from web import urls
from web.config import DEFAULT_SEARCH_TIME_LIMIT, SEARCH_TIME_LIMIT

_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_CLUSTER = re.compile(r"[\w.-]{1,100}")  # an article id
MAX_VALUE_LENGTH = 200  # characters of a filter value (a place, a section ...)


@dataclass(frozen=True)
class Limits:
    """What one request may ask for (config MAX_QUERY_LENGTH, MAX_PAGE_SIZE, ...) and how
    long its search may take (SEARCH_TIME_LIMIT, None: no limit). The deepest result is
    index.engine.MAX_RESULT_WINDOW whatever the configuration says."""

    query_length: int = 1000
    page_size: int = 100
    page: int = 1000
    filter_values: int = 50
    facet_limit: int = 1000
    time_limit: float | None = DEFAULT_SEARCH_TIME_LIMIT

    @classmethod
    def from_config(cls, config: Mapping) -> Limits:
        seconds = config.get(SEARCH_TIME_LIMIT, DEFAULT_SEARCH_TIME_LIMIT)
        try:
            time_limit = float(seconds or 0)
        except (TypeError, ValueError):
            raise ValueError(f"{SEARCH_TIME_LIMIT} must be a number of seconds (0: no "
                             f"limit), not {seconds!r}") from None
        return cls(query_length=config["MAX_QUERY_LENGTH"], page_size=config["MAX_PAGE_SIZE"],
                   page=config["MAX_PAGE"], filter_values=config["MAX_FILTER_VALUES"],
                   facet_limit=config["MAX_FACET_LIMIT"],
                   time_limit=time_limit if time_limit > 0 else None)


def parse_search(args: MultiDict, limits: Limits = Limits()) -> tuple[SearchRequest, list[str]]:
    """The request the arguments describe, and a message for each argument left out
    because it is invalid (the caller answers 400 when there are any)."""
    errors: list[str] = []
    q = args.get(urls.Q, "").strip()
    if len(q) > limits.query_length:
        errors.append(f"The query is too long ({len(q)} characters, at most "
                      f"{limits.query_length}): shorten it")
        q = ""
    filters = []
    for name in urls.FILTERS:
        values = tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
        bad = [v for v in values if not _valid_value(name, v)]
        if bad:
            hint = _HINTS.get(name, f"a value is at most {MAX_VALUE_LENGTH} characters")
            errors.append(f"'{bad[0][:40]}' is not a valid {name}: {hint}")
            values = tuple(v for v in values if v not in bad)
        if values:
            filters.append((name, values))
    if sum(len(v) for _, v in filters) > limits.filter_values:
        errors.append(f"Too many filters (at most {limits.filter_values})")
        filters = []
    date_from = _date_arg(args, urls.FROM, "from", errors, last=False)
    date_to = _date_arg(args, urls.TO, "to", errors, last=True)
    if date_from and date_to and date_from > date_to:
        errors.append(f"The date range ends ({date_to}) before it starts ({date_from}): "
                      "put the earlier date in “From”")
        date_from = date_to = None
    month_day = _month_day(args, errors)
    cluster = args.get(urls.CLUSTER, "").strip() or None
    if cluster and not _CLUSTER.fullmatch(cluster):
        errors.append(f"'{cluster[:40]}' is not a story: a story is named by the id of its "
                      "first printing, e.g. 0591daa31e62")
        cluster = None
    collapse = args.get(urls.COLLAPSE, "1").strip() or "1"
    if collapse not in ("0", "1"):
        errors.append(f"{urls.COLLAPSE} must be 1 (each story once) or 0 (every printing), "
                      f"not “{collapse[:20]}”")
        collapse = "1"
    sort = args.get(urls.SORT, "relevance") or "relevance"
    if sort not in SORTS:
        errors.append(f"Sort must be one of {', '.join(SORTS)}, not '{sort}'")
        sort = "relevance"
    page = _int_arg(args, urls.PAGE, 1, 1, limits.page, "page", errors,
                    hint="narrow the search or download it as CSV")
    size = _int_arg(args, urls.SIZE, DEFAULT_PAGE_SIZE, 1, limits.page_size,
                    "page size", errors)
    facet_limit = _int_arg(args, urls.FACET_LIMIT, urls.DEFAULT_FACET_LIMIT, 0,
                           limits.facet_limit, "facet limit", errors)
    if page * size > MAX_RESULT_WINDOW:  # a deep page costs the engine the whole window
        errors.append(f"Only the first {MAX_RESULT_WINDOW:,} results of a search can be "
                      f"shown: page {page:,} of {size} per page lies past them. Narrow the "
                      "search or download it as CSV")
        page = 1
    request = SearchRequest(q=q, filters=tuple(filters), date_from=date_from, date_to=date_to,
                            month_day=month_day, sort=sort, page=page, page_size=size,
                            facet_limit=facet_limit, collapse=collapse == "1",
                            cluster=cluster, time_limit=limits.time_limit)
    return request, errors


def parse_hit(args: MultiDict) -> tuple[int | None, str | None]:
    """The rank an article page was opened at from a search (`_hit`): (rank, None), (None,
    None) when there is none, or (None, the message) when it is not a rank any search can
    show (the deepest is MAX_RESULT_WINDOW)."""
    errors: list[str] = []
    if not args.get(urls.HIT, "").strip():
        return None, None
    rank = _int_arg(args, urls.HIT, 0, 1, MAX_RESULT_WINDOW, "result number", errors,
                    hint="open the article from a search's results")
    return (None, errors[0]) if errors else (rank, None)


# What to write instead of an invalid value of the facets whose values are known in advance
_HINTS = {"year": "write a year such as 2017", "month": "write YYYY-MM, e.g. 2017-11",
          "kind": "choose " + ", ".join(KINDS),
          "ocr": "choose a minimum per cent of " + ", ".join(OCR_LEVELS)}


def _valid_value(name: str, value: str) -> bool:
    if name == "year":
        return bool(_YEAR.fullmatch(value))
    if name == "month":
        return bool(_MONTH.fullmatch(value)) and 1 <= int(value[5:]) <= 12
    if name == "kind":
        return value in KINDS
    if name == "ocr":
        return value in OCR_LEVELS
    return len(value) <= MAX_VALUE_LENGTH


def _date_arg(args: MultiDict, key: str, label: str, errors: list[str],
              last: bool) -> dt.date | None:
    """YYYY-MM-DD, or YYYY-MM / YYYY meaning its first (from) or last (to) day."""
    text = args.get(key, "").strip()
    if not text:
        return None
    match = _DATE.fullmatch(text)
    try:
        if not match:
            raise ValueError(text)
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is None:
            return dt.date(year, 12, 31) if last else dt.date(year, 1, 1)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return dt.date(year, month, day)
    except ValueError:
        errors.append(f"“{text}” is not a valid “{label}” date: write YYYY-MM-DD, "
                      "e.g. 2017-11-04 (or just 2017 or 2017-11)")
        return None


def _month_day(args: MultiDict, errors: list[str]) -> tuple[int, int] | None:
    month_text = args.get(urls.ON_MONTH, "").strip()
    day_text = args.get(urls.ON_DAY, "").strip()
    if not month_text and not day_text:
        return None
    if not (month_text and day_text):
        errors.append("“On this day” needs both a month and a day")
        return None
    try:
        month, day = int(month_text), int(day_text)
        dt.date(2000, month, day)  # a leap year, so 29 February is a day too
    except (ValueError, OverflowError):  # OverflowError: a number past a C long
        errors.append(f"“On this day”: month {month_text}, day {day_text} is not a day of "
                      "the year")
        return None
    return month, day


def _int_arg(args: MultiDict, key: str, default: int, low: int, high: int, label: str,
             errors: list[str], hint: str = "") -> int:
    text = args.get(key, "").strip()
    if not text:
        return default
    digits = text[1:] if text[:1] in "+-" else text
    if not (digits.isascii() and digits.isdigit()):  # int() also takes "1_000" and " 1"
        errors.append(f"The {label} must be a whole number, not “{text[:20]}”")
        return default
    # a number too long to be in range is not converted (int() of a million digits is slow)
    value = int(text) if len(digits) <= 20 else None
    if value is None or not low <= value <= high:
        shown = text if len(text) <= 20 else text[:20] + "…"
        errors.append(f"The {label} must be between {low:,} and {high:,}, not {shown}"
                      + (f": {hint}" if hint else ""))
        return default
    return value
