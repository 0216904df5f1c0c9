"""Translate the parser's AST and a request's filters into Whoosh query objects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from whoosh import query as wq
from whoosh.support.levenshtein import distance

from index import query as q
from index.analysis import analyse, fold
from index.engine import SearchRequest
from index.whoosh_schema import DEFAULT_FIELDS, FACET_FIELDS, TEXT_FIELDS

STEMMED = {"headline", "body"}
Analyse = Callable[..., list[str]]  # (text, stemmed=True) -> index terms


def to_whoosh(node: q.Node, terms_of: Analyse = analyse, stock: bool = False) -> wq.Query:
    """The Whoosh query for a parsed query; words that analyse to nothing match all.
    `terms_of` is the index's analysis; `stock` filters dates the plain Whoosh way."""
    built = _Builder(terms_of, stock).build(node)
    return built if built is not None else wq.Every()


def _fields(field: str | None) -> list[str]:
    return [TEXT_FIELDS[field]] if field else list(DEFAULT_FIELDS)


def _either(queries: list[wq.Query]) -> wq.Query | None:
    queries = [x for x in queries if x is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


class _Builder:
    def __init__(self, terms_of: Analyse, stock: bool):
        self.terms_of = terms_of
        self.stock = stock

    def terms(self, field: str, words: list[str], slop: int = 1) -> wq.Query | None:
        terms = [w for word in words for w in self.terms_of(word, stemmed=field in STEMMED)]
        if not terms:
            return None  # only stopwords
        if len(terms) == 1:
            return wq.Term(field, terms[0])
        return wq.Phrase(field, terms, slop=slop)

    def build(self, node: q.Node) -> wq.Query | None:
        if isinstance(node, q.MatchAll):
            return wq.Every()
        if isinstance(node, q.Term):
            return _either([self.terms(f, [node.text]) for f in _fields(node.field)])
        if isinstance(node, q.Phrase):
            # Whoosh's slop is "positions apart" (1 = adjacent); ~N allows N more.
            return _either([self.terms(f, list(node.words), slop=1 + node.slop)
                            for f in _fields(node.field)])
        if isinstance(node, q.Wildcard):
            pattern = fold(node.pattern)
            return _either([PrintedWildcard(f, pattern) if f in STEMMED
                            else wq.Wildcard(f, pattern) for f in _fields(node.field)])
        if isinstance(node, q.Fuzzy):
            return _either([
                FieldFuzzyTerm(f, term, maxdist=node.distance, prefixlength=1)
                for f in _fields(node.field)
                for term in self.terms_of(node.text, stemmed=f in STEMMED)[:1]])
        if isinstance(node, q.DateRange):
            return date_range(node.start, node.end, self.stock)
        if isinstance(node, q.Not):
            inner = self.build(node.item)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, q.And | q.Or):
            parts = [p for p in (self.build(i) for i in node.items) if p is not None]
            if not parts:
                return None
            if len(parts) == 1:
                return parts[0]
            return wq.And(parts) if isinstance(node, q.And) else wq.Or(parts)
        raise TypeError(f"unknown query node {node!r}")


class PrintedWildcard(wq.Wildcard):
    """A wildcard over a stemmed field that matches the words as printed: the pattern is
    tried on the field's unstemmed spelling words (bomb?rs -> bombers -> stem bomber) and
    on the stems themselves (harb* -> harbour), and the matching stems are searched."""

    def normalize(self) -> wq.Query:
        return self  # Wildcard.normalize would turn "bomber*" into a Prefix on stems

    def _btexts(self, ixreader):
        fieldobj = ixreader.schema[self.fieldname]
        pattern = re.compile(self._get_pattern())
        prefix = self._find_prefix(self.text)
        stems: set[str] = set()
        spelling = fieldobj.spelling_fieldname(self.fieldname)
        for name, analysed in ((self.fieldname, False), (spelling, True)):
            if name not in ixreader.schema:
                continue
            words = (ixreader.expand_prefix(name, prefix) if prefix
                     else ixreader.lexicon(name))
            for btext in words:
                word = btext.decode("utf-8")
                if pattern.match(word):
                    if analysed:
                        stems.update(t.text for t in fieldobj.analyzer(word, mode="query"))
                    else:
                        stems.add(word)
        for word in sorted(stems):
            if ixreader.doc_frequency(self.fieldname, word):
                yield word.encode("utf-8")


class FieldFuzzyTerm(wq.FuzzyTerm):
    """FuzzyTerm over the field's own (stemmed, folded) terms. Whoosh 2.7 looks a
    `spelling=True` field's candidates up in its unstemmed spelling list and then searches
    those words in the stemmed field, so polise~1 found nothing."""

    def _btexts(self, ixreader):
        fieldobj = ixreader.schema[self.fieldname]
        for btext in ixreader.expand_prefix(self.fieldname, self.text[:self.prefixlength]):
            word = fieldobj.from_bytes(btext)
            if distance(word, self.text, limit=self.maxdist) <= self.maxdist:
                yield word


def date_range(start: dt.date | None, end: dt.date | None, stock: bool = False) -> wq.Query:
    """Whole-year ranges use the year terms: far faster than DateRange in Whoosh (the
    stock baseline does not). (Not NumericRange: Whoosh 2.7 splits an open-start range
    such as [* TO 2016] into tiers of which the widest matches every year.)"""
    whole_years = ((start is None or (start.month, start.day) == (1, 1))
                   and (end is None or (end.month, end.day) == (12, 31)))
    if whole_years and (start or end) and not stock:
        # four-digit years sort as text exactly as they do as numbers
        return wq.TermRange("year", f"{start.year:04d}" if start else None,
                            f"{end.year:04d}" if end else None)
    return wq.DateRange("date", _moment(start), _moment(end, last=True))


def _moment(day: dt.date | None, last: bool = False) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.max if last else dt.time.min)


def filters(request: SearchRequest, skip: str | None = None,
            stock: bool = False) -> wq.Query | None:
    """Facet selections (OR within a facet, AND across), dates and "on this day";
    `skip` leaves one facet out so its own counts show the alternatives."""
    parts: list[wq.Query] = []
    for facet, values in request.filters:
        if facet == skip or not values:
            continue
        field = FACET_FIELDS[facet]
        terms = [wq.Term(field, v) for v in values]
        parts.append(terms[0] if len(terms) == 1 else wq.Or(terms))
    if fixed := fixed_filters(request, stock):
        parts.append(fixed)
    return _all(parts)


def fixed_filters(request: SearchRequest, stock: bool = False) -> wq.Query | None:
    """The request's filters that are not facets: one story's printings, the issue-date
    range and "on this day"; None when there are none."""
    parts: list[wq.Query] = []
    if request.cluster:
        parts.append(wq.Term("cluster", request.cluster))
    if request.date_from or request.date_to:
        parts.append(date_range(request.date_from, request.date_to, stock))
    if request.month_day:
        month, day = request.month_day
        parts.append(wq.Term("month_day", f"{month:02d}-{day:02d}"))
    return _all(parts)


def _all(parts: list[wq.Query]) -> wq.Query | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
