"""The query and the whole search in plain English, as the search page shows them under
the box: 'articles matching the phrase “oil prices” from Reuters in 2017'."""

from __future__ import annotations

import datetime as dt
import re

from index import analysis
from index.engine import SearchRequest
from index.quality import KIND_PLURALS, ocr_minimum
from index.query import (
    _MONTHS,
    And,
    DateRange,
    Fuzzy,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Wildcard,
    parse,
)
from index.unparse import shared_field, without_field, write_dates


def _join(parts: list[str], word: str) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}" if len(parts) > 1 else "".join(parts)


def describe(node: Node) -> str:
    """The query in plain English, e.g. 'the phrase “oil prices”' or '“oil” or “gas”'."""
    if isinstance(node, MatchAll):
        return "everything"
    if isinstance(node, And | Or):
        if field := shared_field(node):
            return f"{field} containing {describe(without_field(node))}"
        parts = [_describe_part(i) for i in node.items if not isinstance(i, MatchAll)]
        return _join(parts, "and" if isinstance(node, And) else "or")
    if isinstance(node, Not):
        return "not " + _describe_part(node.item)
    if isinstance(node, DateRange):
        written = write_dates(node)  # 2017, 2017-11, 2017-11-04 or [start TO end]
        if not written.startswith("["):
            return "dated " + _month_name(written)
        if node.start is None:
            return f"dated up to {node.end}"
        return f"dated {node.start} " + ("or later" if node.end is None else f"to {node.end}")
    prefix = f"{node.field} containing " if node.field else ""
    if isinstance(node, Phrase):
        words = "“" + " ".join(node.words) + "”"
        if node.slop:
            return f"{prefix}the words {words} within {node.slop} words of each other"
        return f"{prefix}the phrase {words}"
    if isinstance(node, Wildcard):
        stem = node.pattern[:-1]
        if node.pattern.endswith("*") and not any(c in "*?" for c in stem):
            return f"{prefix}words starting with “{stem}”"
        return f"{prefix}words matching “{node.pattern}”"
    if isinstance(node, Fuzzy):
        extra = "" if node.distance == 1 else f" (up to {node.distance} letters different)"
        return f"{prefix}words like “{node.text}”{extra}"
    return f"{prefix}“{node.text}”"


def _describe_part(node: Node) -> str:
    text = describe(node)
    return f"({text})" if isinstance(node, And | Or) and not shared_field(node) else text


def _month_name(value: str) -> str:
    """'2017-11' -> 'November 2017'; anything else unchanged (facet values come from URLs)."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{_MONTHS[int(match.group(2)) - 1]} {match.group(1)}"
    return value


def _day(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


# How each facet filter reads in a sentence, in sentence order.
_FILTER_WORDS = {"agency": "from", "place": "datelined", "publication": "in",
                 "section": "in section", "page": "on page", "language": "written in",
                 "country": "published in", "year": "in", "month": "in"}
_SAID_ELSEWHERE = {"kind", "ocr"}  # the noun ("advertisements") and the OCR clause


def describe_request(request: SearchRequest) -> str:
    """The whole search as a sentence: 'articles matching “bombers” from Reuters in 2017',
    'advertisements matching “car” with OCR confidence 80% or better'."""
    node = parse(request.q)
    filters = dict(request.filters)
    kinds = [KIND_PLURALS.get(k, k) for k in filters.get("kind", ())]
    items = _join(kinds, "and") if kinds else "articles"
    if request.cluster:  # every printing of one story (cluster=<id>)
        items = f"printings of one story ({items})" if kinds else "printings of one story"
    if isinstance(node, MatchAll):
        parts = [f"all {items}"]
    elif isinstance(node, And) and isinstance(node.items[0], MatchAll):
        excluded = [_describe_part(item.item) for item in node.items[1:]]
        parts = [f"all {items} except those matching " + _join(excluded, "or")]
    else:
        parts = [f"{items} matching " + describe(node)]
    others = [name for name in filters if name not in _FILTER_WORDS.keys() | _SAID_ELSEWHERE]
    for facet in [*_FILTER_WORDS, *others]:
        if values := filters.get(facet):
            shown = [_month_name(v) if facet == "month" else str(v) for v in values]
            parts.append(f"{_FILTER_WORDS.get(facet, 'with ' + facet)} {_join(shown, 'or')}")
    if (minimum := ocr_minimum(filters.get("ocr", ()))) is not None:
        parts.append(f"with OCR confidence {minimum}% or better")
    start, end = request.date_from, request.date_to
    if start and end:
        parts.append(f"between {_day(start)} and {_day(end)}")
    elif start or end:
        parts.append(f"since {_day(start)}" if start else f"until {_day(end)}")
    if request.month_day:
        month, day = request.month_day
        name = _MONTHS[month - 1] if 1 <= month <= 12 else f"month {month}"
        parts.append(f"on {day} {name} in any year")
    if ignored := ignored_words(node):
        shown = _join([f"“{w}”" for w in ignored], "and")
        verb = "is" if len(ignored) == 1 else "are"
        parts.append(f"({shown} {verb} too common to search for and left out)")
    return " ".join(parts)


def ignored_words(node: Node) -> list[str]:
    """Words and phrases of the query left out as stopwords, which no index holds, also
    within a phrase that comes down to one word (index.analysis.ignored_words): the
    reader is told rather than shown a silent match-everything."""
    return analysis.ignored_words(node)
