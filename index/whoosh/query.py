"""Translate the parser's AST and a request's filters into Whoosh query objects."""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections.abc import Callable

import numpy as np
from whoosh import query as wq
from whoosh.matching import ListMatcher, Matcher, NullMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance

from index import expansion
from index import query as q
from index.analysis import analyse, fold
from index.engine import SearchRequest
from index.results import Bounds
from index.whoosh.facets import facet_bits
from index.whoosh.schema import DEFAULT_FIELDS, FACET_FIELDS, TEXT_FIELDS

STEMMED = {"headline", "body"}
EXPANDING = 0.75  # of a search's time limit, the most expanding its terms may take: the
# rest is left to rank what they found
Analyse = Callable[..., list[str]]  # (text, stemmed=True) -> index terms


def to_whoosh(node: q.Node, terms_of: Analyse = analyse, searcher: Searcher | None = None,
              bounds: Bounds | None = None) -> wq.Query:
    """The Whoosh query for a parsed query; words that analyse to nothing match all.
    `terms_of` is the index's analysis.
    Wildcards and fuzzy terms expand against `searcher`'s vocabulary now, within the
    query's budget (index.expansion.expansion_budget) and `bounds`' deadline, which notes each
    one cut short; without a searcher they expand, as capped, when searched."""
    built = _Builder(terms_of, searcher, expansion.expansion_budget(node),
                     bounds or Bounds()).build(node)
    return built if built is not None else wq.Every()


def _fields(field: str | None) -> list[str]:
    return [TEXT_FIELDS[field]] if field else list(DEFAULT_FIELDS)


def _either(queries: list[wq.Query]) -> wq.Query | None:
    queries = [x for x in queries if x is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


class _Builder:
    def __init__(self, terms_of: Analyse, searcher: Searcher | None,
                 budget: expansion.Budget, bounds: Bounds):
        self.terms_of = terms_of
        self.searcher = searcher
        self.budget = budget
        self.bounds = bounds
        self._expanded: dict[tuple[q.Leaf, str, str], wq.Query] = {}  # a repeated term

    def terms(self, field: str, words: list[str], slop: int = 1) -> wq.Query | None:
        terms = [w for word in words for w in self.terms_of(word, stemmed=field in STEMMED)]
        if not terms:
            return None  # only stopwords
        if len(terms) == 1:
            return wq.Term(field, terms[0])
        return wq.Phrase(field, terms, slop=slop)

    def expansion(self, leaf: q.Wildcard | q.Fuzzy, field: str, text: str) -> wq.Query:
        """What the wildcard or fuzzy word stands for in one field, capped."""
        distance = leaf.distance if isinstance(leaf, q.Fuzzy) else 0
        found = Expansion(field, text, distance, self.budget)
        if self.searcher is None:
            return found
        if (leaf, field, text) not in self._expanded:
            words, cut = found.expand(self.searcher.reader(), self.bounds)
            if cut:
                self.bounds.capped[leaf] = self.budget.words
            docs = _documents(self.searcher, field, words, self.bounds)
            boost = getattr(self.searcher.schema[field], "field_boost", 1.0)  # the headline's
            self._expanded[leaf, field, text] = Documents(field, _label(leaf), docs, boost)
        return self._expanded[leaf, field, text]

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
            return _either([self.expansion(node, f, pattern) for f in _fields(node.field)])
        if isinstance(node, q.Fuzzy):
            return _either([
                self.expansion(node, f, term) for f in _fields(node.field)
                for term in self.terms_of(node.text, stemmed=f in STEMMED)[:1]])
        if isinstance(node, q.DateRange):
            return date_range(node.start, node.end)
        if isinstance(node, q.Not):
            inner = self.build(node.item)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, q.And | q.Or):
            parts = [p for p in (self.build(i) for i in node.items) if p is not None]
            if isinstance(node, q.Or):
                parts = _merged(parts)
            if not parts:
                return None
            if len(parts) == 1:
                return parts[0]
            return wq.And(parts) if isinstance(node, q.And) else wq.Or(parts)
        raise TypeError(f"unknown query node {node!r}")


def _documents(searcher: Searcher, field: str, words: list[str], bounds: Bounds) -> int:
    """The live documents holding any of these terms (those read before the deadline),
    as a bitset of document numbers."""
    flags = np.zeros(searcher.doc_count_all(), dtype=bool)
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for word in words:
            if bounds.stop(EXPANDING):
                break
            if (field, word) in reader:
                flags[np.fromiter(reader.postings(field, word).all_ids(), np.int64) + offset] = 1
    packed = np.packbits(flags, bitorder="little").tobytes()
    return int.from_bytes(packed, "little") & facet_bits(searcher).live


def _label(leaf: q.Wildcard | q.Fuzzy) -> str:
    """How a match of an expanded term is reported (matched terms): as written."""
    return leaf.pattern if isinstance(leaf, q.Wildcard) else f"{leaf.text}~{leaf.distance}"


def _merged(parts: list[wq.Query]) -> list[wq.Query]:
    """ORed expansions of one field as one: a* OR b* OR ... z* is two lists of documents
    (headline, body), not 52 that every match walks."""
    lists: dict[str, list[Documents]] = {}
    others = []
    for part in parts:
        inner = part.subqueries if type(part) is wq.Or else [part]
        if all(isinstance(sub, Documents) for sub in inner):
            for sub in inner:
                lists.setdefault(sub.fieldname, []).append(sub)
        else:
            others.append(part)
    for field, found in lists.items():
        docs = 0
        for sub in found:
            docs |= sub.bits
        others.append(Documents(field, " OR ".join(sub.label for sub in found), docs,
                                found[0].boost))
    return others


class _ByKey:
    """Whoosh compares and caches queries: equal when of one type with one _key()."""

    def _key(self) -> tuple:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class Documents(_ByKey, wq.Query):
    """The documents an expanded wildcard or fuzzy term matches in one field, as a bitset
    of the searcher's document numbers: a constant-score term (as tantivy's regex and term
    set queries are), whose matches report the term as written. Whoosh 2.7's Wildcard and
    FuzzyTerm claim a constant score but score every expanded word and walk a tree of
    them for every match: 26 prefixes ORed took 45 s on 3,000 articles."""

    def __init__(self, fieldname: str, label: str, bits: int, boost: float = 1.0):
        self.fieldname, self.label, self.bits, self.boost = fieldname, label, bits, boost

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.label!r})"

    def _key(self) -> tuple:
        return (self.fieldname, self.label, self.bits, self.boost)

    def field(self) -> str:
        return self.fieldname

    def estimate_size(self, ixreader: IndexReader) -> int:
        return self.bits.bit_count()

    def estimate_min_size(self, ixreader: IndexReader) -> int:
        return self.bits.bit_count()

    def matcher(self, searcher: Searcher, context=None) -> Matcher:
        top = searcher.get_parent()  # a search runs segment by segment
        offset = next((o for s, o in top.leaf_searchers() if s is searcher), 0)
        size = searcher.reader().doc_count_all()
        local = (self.bits >> offset) & ((1 << size) - 1)
        if not local:
            return NullMatcher()
        flags = np.unpackbits(np.frombuffer(local.to_bytes((size + 7) // 8, "little"),
                                            dtype=np.uint8), bitorder="little")
        ids = array("I", np.flatnonzero(flags).astype(np.uint32).tobytes())
        return _Matches(ids, all_weights=self.boost, term=(self.fieldname, self.label))


class Expansion(_ByKey, wq.MultiTerm):
    """The index terms of one field a wildcard pattern (distance 0) or a fuzzy word stands
    for, capped: the budget's most frequent words, found within its scan budget.

    A wildcard over a stemmed field matches the words as printed: the pattern is tried on
    the field's unstemmed spelling words (bomb?rs -> bombers) and their stems are searched
    (bomber). A fuzzy word is compared with the field's own terms (stems), with the same
    first letter: Whoosh 2.7's FuzzyTerm looks a `spelling=True` field's candidates up in
    its spelling list and then searches those words in the stemmed field, which found
    nothing for polise~1. Searched as Whoosh's MultiTerm: only for queries built without
    a searcher (Documents otherwise)."""

    constantscore = True

    def __init__(self, fieldname: str, text: str, distance: int, budget: expansion.Budget,
                 boost: float = 1.0):
        self.fieldname, self.text, self.distance = fieldname, text, distance
        self.budget, self.boost = budget, boost

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r}, {self.distance})"

    def _key(self) -> tuple:
        return (self.fieldname, self.text, self.distance, self.budget, self.boost)

    def normalize(self) -> wq.Query:
        return self

    def _btexts(self, ixreader: IndexReader) -> list[str]:
        return self.expand(ixreader, Bounds())[0]

    def expand(self, reader: IndexReader, bounds: Bounds) -> tuple[list[str], bool]:
        """(terms to search, whether the budget or the deadline cut the expansion short)."""
        if self.fieldname not in reader.schema:
            return [], False
        fieldobj = reader.schema[self.fieldname]
        scan = _Scan(self.budget.scanned, bounds)
        if self.distance:
            found = scan.vocabulary(reader, self.fieldname, self.text[:1],
                                    lambda word: _near(word, self.text, self.distance))
            words, cut = expansion.most_frequent(found, self.budget.words)
            return words, cut or scan.cut
        pattern = re.compile(expansion.wildcard_regex(self.text))
        spelling = fieldobj.spelling_fieldname(self.fieldname)
        found = scan.vocabulary(reader, spelling, expansion.literal_prefix(self.text),
                                pattern.fullmatch)
        words, cut = expansion.most_frequent(found, self.budget.words)
        if spelling != self.fieldname:  # printed words -> the stems the field holds
            words = list(dict.fromkeys(t.text for word in words
                                       for t in fieldobj.analyzer(word, mode="query")))
        return words, cut or scan.cut


class _Matches(ListMatcher):
    """A list of documents matching as one term (Whoosh's ListMatcher forgets its term
    when copied)."""

    def copy(self) -> _Matches:
        return _Matches(self._ids, self._weights, self._values, self._format, self._scorer,
                        self._i, self._all_weights, term=self._term)


class _Scan:
    """A walk over vocabulary entries that stops after `left` of them or at the deadline
    (looked at every 256 entries; then `cut`)."""

    def __init__(self, left: int, bounds: Bounds):
        self.left, self.cut, self.bounds = left, bounds.stop(EXPANDING), bounds

    def vocabulary(self, reader: IndexReader, fieldname: str, prefix: str,
                   wanted: Callable[[str], object]) -> dict[str, int]:
        """word -> documents of the `wanted` terms of a field starting with `prefix`, read
        segment by segment (a MultiReader merges the segments' terms ten times slower)."""
        found: dict[str, int] = {}
        seen = 0
        for leaf, _ in reader.leaf_readers():
            if fieldname not in leaf.schema or self.cut:
                continue
            for btext, info in leaf.iter_prefix(fieldname, prefix):
                seen += 1
                if self.left <= 0 or (seen % 256 == 0 and self.bounds.stop(EXPANDING)):
                    self.cut = True
                    return found
                self.left -= 1
                word = btext.decode("utf-8")
                if wanted(word):
                    found[word] = found.get(word, 0) + info.doc_frequency()
        return found


def _near(word: str, target: str, limit: int) -> bool:
    """Within `limit` edits (Whoosh's Damerau-Levenshtein); a length differing by more
    is not even compared (a 600-letter word against every word would take seconds)."""
    return abs(len(word) - len(target)) <= limit and \
        distance(word, target, limit=limit) <= limit


def date_range(start: dt.date | None, end: dt.date | None) -> wq.Query:
    """Whole-year ranges use the year terms: far faster than DateRange in Whoosh.
    (Not NumericRange: Whoosh 2.7 splits an open-start range such as [* TO 2016] into
    tiers of which the widest matches every year.)"""
    whole_years = ((start is None or (start.month, start.day) == (1, 1))
                   and (end is None or (end.month, end.day) == (12, 31)))
    if whole_years and (start or end):
        # four-digit years sort as text exactly as they do as numbers
        return wq.TermRange("year", f"{start.year:04d}" if start else None,
                            f"{end.year:04d}" if end else None)
    return wq.DateRange("date", _moment(start), _moment(end, last=True))


def _moment(day: dt.date | None, last: bool = False) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.max if last else dt.time.min)


def filters(request: SearchRequest, skip: str | None = None) -> wq.Query | None:
    """Facet selections (OR within a facet, AND across), dates and "on this day";
    `skip` leaves one facet out so its own counts show the alternatives."""
    parts: list[wq.Query] = []
    for facet, values in request.filters:
        if facet == skip or not values:
            continue
        field = FACET_FIELDS[facet]
        terms = [wq.Term(field, v) for v in values]
        parts.append(terms[0] if len(terms) == 1 else wq.Or(terms))
    if fixed := fixed_filters(request):
        parts.append(fixed)
    return _all(parts)


def fixed_filters(request: SearchRequest) -> wq.Query | None:
    """The request's filters that are not facets: one story's printings, the issue-date
    range and "on this day"; None when there are none."""
    parts: list[wq.Query] = []
    if request.cluster:
        parts.append(wq.Term("cluster", request.cluster))
    if request.date_from or request.date_to:
        parts.append(date_range(request.date_from, request.date_to))
    if request.month_day:
        month, day = request.month_day
        parts.append(wq.Term("month_day", f"{month:02d}-{day:02d}"))
    return _all(parts)


def _all(parts: list[wq.Query]) -> wq.Query | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
