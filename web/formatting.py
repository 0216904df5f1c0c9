"""Jinja filters: dates, numbers and labels as readers see them (locale-free, English)."""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
FACET_LABELS = {"publication": "Publication", "year": "Year", "month": "Month",
                "place": "Dateline place", "agency": "Agency", "section": "Section",
                "page": "Page", "language": "Language", "country": "Country"}
# Language names as the store keeps them -> BCP 47 tags, for lang= and dir=.
LANGUAGE_TAGS = {"English": "en", "Arabic": "ar", "French": "fr", "Persian": "fa",
                 "Urdu": "ur", "Hindi": "hi", "German": "de"}
RTL = {"ar", "fa", "ur", "he"}


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def long_date(value: dt.date | str | None, weekday: bool = False) -> str:
    """4 November 2017 (or Saturday, 4 November 2017); 'Undated' when there is none."""
    date = _as_date(value)
    if date is None:
        return "Undated"
    text = f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    return f"{date.strftime('%A')}, {text}" if weekday else text


def short_date(value: dt.date | str | None) -> str:
    """4 Nov 2017."""
    date = _as_date(value)
    return f"{date.day} {MONTHS[date.month - 1][:3]} {date.year}" if date else "Undated"


def month_label(value: str) -> str:
    """'2017-11' -> 'November 2017'."""
    try:
        return f"{MONTHS[int(value[5:7]) - 1]} {value[:4]}"
    except (ValueError, IndexError):
        return value


def value_label(facet: str, value: str) -> str:
    """How a facet value reads in a list or a chip."""
    if facet == "month":
        return month_label(value)
    if facet == "page":
        return f"Page {value}"
    return value


def number(value: int) -> str:
    return f"{value:,}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 article', '2,345 articles'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def language_tag(language: str | None) -> str:
    return LANGUAGE_TAGS.get(language or "", "")


def text_direction(language: str | None) -> str:
    return "rtl" if language_tag(language) in RTL else "auto"


FILTERS = {"long_date": long_date, "short_date": short_date, "month_label": month_label,
           "number": number, "plural": plural, "language_tag": language_tag,
           "text_direction": text_direction}
