"""Jinja filters: dates, numbers and labels as readers see them (locale-free, English)."""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup

from index.quality import ocr_percent

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
FACET_LABELS = {"publication": "Publication", "year": "Year", "month": "Month",
                "kind": "Item type", "ocr": "OCR confidence",
                "place": "Dateline place", "agency": "Agency", "section": "Section",
                "page": "Page", "language": "Language", "country": "Country"}
# archive.model.KINDS as a facet lists them, and as one item is called
KIND_FACET_LABELS = {"article": "Articles", "advertisement": "Advertisements",
                     "notice": "Notices", "other": "Other"}
KIND_LABELS = {"article": "Article", "advertisement": "Advertisement", "notice": "Notice",
               "other": "Other item"}
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
    if facet == "kind":
        return KIND_FACET_LABELS.get(value, value)
    if facet == "ocr":
        return f"{value}% or better"
    return value


def kind_label(kind: str | None) -> str:
    """'Advertisement' for one item of a kind."""
    return KIND_LABELS.get(kind or "article", kind or "")


def percent(confidence: float | None) -> str:
    """An OCR confidence as the reader sees it ('87%'); '' when there is none."""
    value = ocr_percent(confidence)
    return "" if value is None else f"{value}%"


def page_span(page: int | None, pages: tuple[int, ...] | list[int] = (),
              across: str = "") -> str:
    """Where an item is printed: 'page 3', 'pages 2–3' (one run of pages, `across` put
    before it: 'printed across pages 2–3') or 'page 1, continued on pages 3 and 5'; ''
    when the page is not known."""
    numbers = sorted(set(pages) | ({page} if page else set()))
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    first = page if page else numbers[0]
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and first == numbers[0]:
        return f"{across + ' ' if across else ''}pages {numbers[0]}–{numbers[-1]}"
    rest = [str(n) for n in numbers if n != first]
    joined = rest[0] if len(rest) == 1 else f"{', '.join(rest[:-1])} and {rest[-1]}"
    return f"page {first}, continued on page{'s' if len(rest) > 1 else ''} {joined}"


def number(value: int) -> str:
    return f"{value:,}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 article', '2,345 articles'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def times(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count:,} times")


# What XML 1.0 cannot carry (https://www.w3.org/TR/xml/#charsets): C0 controls but tab,
# LF and CR; lone surrogates; U+FFFE and U+FFFF. A parser rejects the whole document
# for one of them, so they are dropped rather than escaped (&#27; is no better).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 forbids: the one cleaning every XML answer
    (Atom, OpenSearch, sitemaps) goes through; escaped markup stays escaped markup."""
    cleaned = _NOT_XML.sub("", text)
    return Markup(cleaned) if isinstance(text, Markup) else cleaned


def language_tag(language: str | None) -> str:
    return LANGUAGE_TAGS.get(language or "", "")


def text_direction(language: str | None) -> str:
    return "rtl" if language_tag(language) in RTL else "auto"


FILTERS = {"long_date": long_date, "short_date": short_date, "month_label": month_label,
           "number": number, "plural": plural, "language_tag": language_tag,
           "text_direction": text_direction, "kind_label": kind_label, "percent": percent,
           "page_span": page_span, "times": times, "xml_safe": xml_safe}
