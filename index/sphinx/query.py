"""Translate the parser's AST into Sphinx's MATCH() syntax, and a request's filters into
SphinxQL conditions.

Words are analysed by index.analysis exactly as the rows were (index.sphinx.documents), so
the MATCH text is built from ready tokens of [a-z0-9_] and needs no escaping. Phrases keep
their order: Sphinx's proximity operator ("a b"~N) ignores order, so a proximity phrase
also demands it (a << b). A date range inside the query (date:2017 OR ...) is an OR of the
century, decade, year, month and day tokens that cover it. Everything else Sphinx cannot
do is done against our vocabulary: wildcards and fuzzy terms become ORs of words."""

from __future__ import annotations

import datetime as dt

from index import expansion
from index import query as q
from index.analysis import analyse, fold
from index.engine import SearchRequest
from index.pipeline import fuzzy_words
from index.results import Bounds
from index.sphinx.client import escape
from index.sphinx.documents import EVERY, NOTHING, SINGLE, name_key, story_number, token
from index.sphinx.vocabulary import Vocabulary

# Query field -> full-text field of its stems (headline, body) or words (names).
TEXT_FIELDS = {"headline": "headline", "body": "body", "byline": "byline", "place": "place",
               "agency": "agency"}
# Query field -> full-text field of its printed words (fuzzy terms).
WORD_FIELDS = {"headline": "hwords", "body": "bwords", "byline": "byline", "place": "place",
               "agency": "agency"}
STEMMED = frozenset({"headline", "body"})
MATCH_FIELDS = ("headline", "body", "byline", "place", "agency")
EVERYTHING = f"@every {EVERY}"
_FIRST_DAY, _LAST_DAY = dt.date(1, 1, 1), dt.date(9999, 12, 31)


class Translator:
    """AST -> MATCH text. `scored` tells, after build(), whether any positive word was
    searched (otherwise every hit scores alike). Wildcards and fuzzy terms expand within
    the query's budget (index.expansion.expansion_budget); `bounds` notes each one cut."""

    def __init__(self, vocabulary: Vocabulary, bounds: Bounds | None = None):
        self.vocabulary = vocabulary
        self.bounds = bounds or Bounds()
        self.budget = expansion.expansion_budget(q.MatchAll())
        self.scored = False
        self._built: dict[tuple[q.Leaf, str], str | None] = {}

    def build(self, node: q.Node) -> str | None:
        """The MATCH text, or None when the query matches every article (no MATCH at
        all): the empty query, or one of stopwords only, as in the other engines."""
        self.budget = expansion.expansion_budget(node)
        if isinstance(node, q.MatchAll):
            return None
        built = self._build(node, negated=False)
        return None if built == EVERYTHING else built

    def field_query(self, node: q.Node, field: str) -> str | None:
        """What the query's positive words look for in one field (for matched_in)."""
        parts = [self.leaf(leaf, [field]) for leaf in q.positive_leaves(node)
                 if field in _fields(leaf.field)]
        return _any([p for p in parts if p is not None])

    def _build(self, node: q.Node, negated: bool) -> str | None:
        if isinstance(node, q.MatchAll):
            return EVERYTHING
        if isinstance(node, q.Not):  # only inside an And (see _compound), but be safe
            inner = self._build(node.item, not negated)
            return None if inner is None else f"{EVERYTHING} -({inner})"
        if isinstance(node, q.And | q.Or):
            return self._compound(node, negated)
        built = self.leaf(node, _fields(getattr(node, "field", None)))
        if built is not None and not negated and not isinstance(node, q.DateRange):
            self.scored = True
        return built

    def _compound(self, node: q.And | q.Or, negated: bool) -> str | None:
        if isinstance(node, q.Or):
            return _any([b for item in node.items
                         if (b := self._build(item, negated)) is not None])
        positive, negative = [], []
        for item in node.items:
            if isinstance(item, q.Not):
                inner = self._build(item.item, not negated)
                if inner is not None:
                    negative.append(inner)
            elif (built := self._build(item, negated)) is not None:
                positive.append(built)
        if not positive:
            if not negative:
                return None
            positive = [EVERYTHING]  # Sphinx cannot compute a lone NOT
        if len(positive) > 1:
            positive = [p for p in positive if p != EVERYTHING]
        if positive == [EVERYTHING] and not negative:
            return EVERYTHING
        return " ".join([f"({p})" for p in positive] + [f"-({n})" for n in negative])

    def leaf(self, leaf: q.Leaf, fields: list[str]) -> str | None:
        """One word, phrase, wildcard, fuzzy term or date range over some query fields."""
        if isinstance(leaf, q.DateRange):
            return "@dates " + _either(date_cover(leaf.start, leaf.end))
        by_text: dict[str, list[str]] = {}  # the same text in several fields: one limit
        for field in fields:
            if (leaf, field) not in self._built:
                self._built[leaf, field] = self._leaf(leaf, field)
            built = self._built[leaf, field]
            if built is not None:
                name, text = built.split(" ", 1)
                by_text.setdefault(text, []).append(name)
        return _any([_limit(names, text) for text, names in by_text.items()])

    def _leaf(self, leaf: q.Leaf, field: str) -> str | None:
        """"<sphinx field> <text>" of one leaf in one query field, or None."""
        if isinstance(leaf, q.Term):
            text = _terms(field, [leaf.text])
        elif isinstance(leaf, q.Phrase):
            text = _terms(field, list(leaf.words), leaf.slop)
        elif isinstance(leaf, q.Wildcard):
            return self._wildcard(leaf, field)
        elif isinstance(leaf, q.Fuzzy):
            return self._fuzzy(leaf, field)
        else:
            raise TypeError(f"unknown query node {leaf!r}")
        return None if text is None else f"{TEXT_FIELDS[field]} {text}"

    def _wildcard(self, leaf: q.Wildcard, field: str) -> str:
        """The pattern over the printed words (as the other engines' wildcards), its
        most frequent within the budget, searched by their stems in stemmed fields."""
        found, count, complete = self.vocabulary.matching(
            field, fold(leaf.pattern), self.budget.words, self.budget.scanned)
        if count > len(found) or not complete:
            self.bounds.capped[leaf] = self.budget.words
        words = [word for word, _ in found]
        if field in STEMMED:
            words = list(dict.fromkeys(stem for word in words for stem in analyse(word)))
        name = TEXT_FIELDS[field]
        return f"{name} {_either([token(w, name) for w in words])}"

    def _fuzzy(self, leaf: q.Fuzzy, field: str) -> str | None:
        """Printed words within `distance` edits with the same first letter (Whoosh's
        prefixlength=1 and the highlighter's rule), the budget's most frequent."""
        near = fuzzy_words(leaf, field, field in STEMMED, self.vocabulary, self.budget,
                           self.bounds)
        if near is None:
            return None
        name = WORD_FIELDS[field]
        return f"{name} {_either([token(w, name) for w in near])}"


def _terms(field: str, words: list[str], slop: int = 0) -> str | None:
    # a folded term can hold a space (NFKD of some ligatures): the rows split it too
    terms = [token(part, TEXT_FIELDS[field]) for word in words
             for term in analyse(word, field in STEMMED) for part in term.split()]
    if not terms:
        return None  # only stopwords
    if len(terms) == 1:
        return terms[0]
    phrase = '"' + " ".join(terms) + '"'
    if not slop:
        return phrase
    # Sphinx's "a b c"~N: a span shorter than N + 3 words. The reader's ~N allows N
    # words in each gap (as Whoosh): N * gaps in all, in order.
    return f'{phrase}~{slop * (len(terms) - 1) + 1} ({" << ".join(terms)})'


def date_cover(start: dt.date | None, end: dt.date | None) -> list[str]:
    """The date tokens (index.sphinx.documents.date_tokens) whose days make up
    [start, end] exactly: whole centuries, decades, years and months where they fit."""
    day, last = start or _FIRST_DAY, end or _LAST_DAY
    found = []
    while day <= last:
        y = day.year
        if day.month == 1 and day.day == 1 and y % 100 == 0 and _fits(y + 99, last):
            found.append(f"h{y // 100:02d}")
            day = _after(dt.date(y + 99, 12, 31))
        elif day.month == 1 and day.day == 1 and y % 10 == 0 and _fits(y + 9, last):
            found.append(f"k{y // 10:03d}")
            day = _after(dt.date(y + 9, 12, 31))
        elif day.month == 1 and day.day == 1 and _fits(y, last):
            found.append(f"y{y:04d}")
            day = _after(dt.date(y, 12, 31))
        elif day.day == 1 and (month_end := _month_end(day)) <= last:
            found.append(f"m{y:04d}{day.month:02d}")
            day = _after(month_end)
        else:
            found.append(f"d{y:04d}{day.month:02d}{day.day:02d}")
            day = _after(day)
        if day is None:
            break
    return found


def _fits(year: int, last: dt.date) -> bool:
    return year <= 9999 and dt.date(year, 12, 31) <= last


def _month_end(day: dt.date) -> dt.date:
    if day.month == 12:
        return dt.date(day.year, 12, 31)
    return dt.date(day.year, day.month + 1, 1) - dt.timedelta(days=1)


def _after(day: dt.date) -> dt.date | None:
    return None if day == _LAST_DAY else day + dt.timedelta(days=1)


def conditions(request: SearchRequest, skip: str | None = None) -> list[str]:
    """WHERE conditions of a request: facet selections (OR within a facet, AND across),
    one story's printings, issue dates, "on this day"; `skip` leaves one facet out so its
    own counts show the alternatives."""
    parts = []
    for facet, values in request.filters:
        if facet == skip or not values:
            continue
        if facet == "agency":
            parts.append(f"f_agency IN ({', '.join(str(name_key(v)) for v in values)})")
        elif facet == "ocr":
            levels = [int(v) if v.isdigit() else -1 for v in values]
            parts.append(f"f_ocr IN ({', '.join(map(str, levels))})")
        else:
            parts.append(f"{SINGLE[facet]} IN ({', '.join(map(escape, values))})")
    if request.cluster:
        parts.append(f"story = {story_number(request.cluster)}")
    if request.date_from or request.date_to:
        first = request.date_from.toordinal() if request.date_from else 1
        last = request.date_to.toordinal() if request.date_to else _LAST_DAY.toordinal()
        parts.append(f"day BETWEEN {first} AND {last}")  # undated rows hold day 0
    if request.month_day:
        month, day = request.month_day
        parts.append(f"month_day = {month * 100 + day}")
    return parts


def _fields(field: str | None) -> list[str]:
    return [field] if field else list(q.DEFAULT_FIELDS)


def _limit(names: list[str], text: str) -> str:
    return f"@{names[0]} {text}" if len(names) == 1 else f"@({','.join(names)}) {text}"


def _either(tokens: list[str]) -> str:
    if not tokens:
        return NOTHING
    return tokens[0] if len(tokens) == 1 else "(" + " | ".join(tokens) + ")"


def _any(parts: list[str]) -> str | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else " | ".join(f"({p})" for p in parts)
