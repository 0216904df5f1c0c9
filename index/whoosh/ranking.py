"""Relevance and sort orders for the queries read from postings alone (terms, their And/Or,
expanded wildcard lists, everything), computed with numpy a postings list at a time: the
BM25F scores Whoosh's matchers give, to the bit, and the order its collectors keep (score
descending, then document number; or the sort column ascending). Whoosh's collector walks
every match through some ten Python calls (skip_to, id, score, a heap push): that walk was
most of the time of a search. Any other query returns None and Whoosh ranks it."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.scoring import bm25
from whoosh.searching import Searcher

from index.whoosh.facets import PerSearcher, bitset, facet_bits
from index.whoosh.phrases import bm25_terms, phrase
from index.whoosh.postings import postings
from index.whoosh.query import Documents

Terms = list[tuple[str, object, np.ndarray]]  # (field, term, documents holding it, ascending)
# (documents, ascending and unique; their scores): a query's matches, sparse. A few hundred
# matches cost a few hundred entries, not arrays over the whole archive (a rare word's
# search spent most of its scoring time filling and combining those).
Sparse = tuple[np.ndarray, np.ndarray]
# When the shorter of two lists holds more than 1/N of the span of document numbers they
# cover, they are united (N = UNION_DENSE) or looked up (FIND_DENSE) through arrays over
# that span: measured at 100k documents, np.insert costs ~70 ns and a binary search ~30
# ns per document of the shorter list, a pass over the span ~1.5 ns per slot.
UNION_DENSE = 48
FIND_DENSE = 32


class Columns:
    """Per searcher, built on first use: each text field's document lengths as Whoosh's
    scorer reads them (byte-coded), and the sort columns, as arrays by document number."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        bits = facet_bits(searcher)
        self.size = bits.size
        self.live = _mask(bits.live, self.size)
        self._built: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def _get(self, kind: str, name: str) -> np.ndarray:
        with self._lock:
            found = self._built.get((kind, name))
            if found is None:
                found = self._built[kind, name] = self._read(kind, name)
            return found

    def _read(self, kind: str, name: str) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float64 if kind == "length" else np.int64)
        for leaf, offset in self.searcher.leaf_searchers():
            reader = leaf.reader()
            count = reader.doc_count_all()
            if kind == "length":
                # the scorer's own call (default 1; a zero byte reads as None: no postings)
                values = (leaf.doc_field_length(n, name, 1) or 0 for n in range(count))
            else:
                column = reader.column_reader(name) if reader.has_column(name) else None
                values = (column[n] for n in range(count)) if column is not None \
                    else iter([0] * count)
            out[offset:offset + count] = np.fromiter(values, out.dtype, count)
        return out

    def lengths(self, field: str) -> np.ndarray:
        return self._get("length", field)

    def column(self, name: str) -> np.ndarray:
        return self._get("column", name)


columns = PerSearcher(Columns)


@dataclass
class RankedHit:
    """What the engine reads of one Whoosh hit: its document, score (or sort key), stored
    fields and the query terms it holds."""

    searcher: Searcher
    docnum: int
    score: float | int
    terms: tuple[tuple[str, object], ...]
    _fields: dict | None = None

    def fields(self) -> dict:
        if self._fields is None:
            self._fields = self.searcher.stored_fields(self.docnum)
        return self._fields

    def __getitem__(self, name: str):
        return self.fields()[name]

    def matched_terms(self) -> tuple[tuple[str, object], ...]:
        return self.terms


class Ranked:
    """A ranking's first `limit` hits, as Whoosh's Results offers them to the engine."""

    def __init__(self, searcher: Searcher, top: list[tuple[float | int, int]], terms: Terms):
        self.searcher, self.top_n, self._terms = searcher, top, terms
        self._held: list[list[bool]] | None = None  # per term: held by each ranked hit

    def __getitem__(self, i: int) -> RankedHit:
        score, docnum = self.top_n[i]
        if self._held is None:  # every term looked up once for the whole ranking
            ranked = np.fromiter((d for _, d in self.top_n), np.int64, len(self.top_n))
            self._held = [_find(docs, ranked)[1].tolist() for _, _, docs in self._terms]
        held = tuple((field, text) for (field, text, _), holds in zip(
            self._terms, self._held, strict=True) if holds[i])
        return RankedHit(self.searcher, docnum, score, held)


@dataclass
class Scored:
    """A query's live matching documents (ascending document numbers), their scores and
    the query terms, with where each is held."""

    searcher: Searcher
    docs: np.ndarray
    scores: np.ndarray
    terms: Terms
    size: int  # documents in the index (live or not): the bitsets' length

    def matches(self) -> int:
        """The matching documents as a FacetBits bitset."""
        return bitset(self.docs, self.size)


def score(searcher: Searcher, query: wq.Query) -> Scored | None:
    """Every match of `query` with its Whoosh score; None for a query this module does
    not score exactly as Whoosh would."""
    cols = columns(searcher)
    terms: Terms = []
    found = _evaluate(searcher, query, cols, terms)
    if found is None:
        return None
    docs, scores = found
    live = cols.live[docs]
    return Scored(searcher, docs[live], scores[live], terms, cols.size)


def rank(scored: Scored, allowed: int | None, limit: int,
         sort_column: str | None) -> Ranked:
    """The first `limit` matches that are also in the bitset `allowed` (None: any), by
    relevance (sort_column None) or by that column."""
    cols, searcher = columns(scored.searcher), scored.searcher
    docs, scores, terms = scored.docs, scored.scores, scored.terms
    if allowed is not None:
        kept = _mask(allowed, cols.size)[docs]
        docs, scores = docs[kept], scores[kept]
    if sort_column is None:
        keys = -scores
        if len(docs) > 4 * limit:  # only the best can make the page: keep those first
            cut = np.partition(keys, limit - 1)[limit - 1]
            docs, keys = docs[keys <= cut], keys[keys <= cut]
        order = np.lexsort((docs, keys))[:limit]
        top = [(float(-keys[i]), int(docs[i])) for i in order]
    else:
        values = cols.column(sort_column)[docs]
        order = np.lexsort((docs, values))[:limit]
        top = [(int(values[i]), int(docs[i])) for i in order]
    return Ranked(searcher, top, terms)


def _evaluate(searcher: Searcher, query: wq.Query, cols: Columns,
              terms: Terms) -> Sparse | None:
    """(documents matching, their scores), summed as Whoosh's binary matcher trees sum
    them (a union adds the scores of the sides holding the document, an intersection
    both); None for what is not supported."""
    kind = type(query)
    if getattr(query, "boost", 1.0) != 1.0 and kind is not Documents:
        return None
    if kind is wq.Term:
        return _term(searcher, query, cols, terms)
    if kind is wq.Phrase:
        found = phrase(searcher, query, cols.lengths)
        if found is None:
            return None
        docs, scores, words = found
        terms.extend((query.fieldname, word, docs) for word in words)
        return docs, scores
    if kind is Documents:
        docs = np.flatnonzero(_mask(query.bits, cols.size))
        terms.append((query.fieldname, query.label, docs))
        return docs, np.full(len(docs), float(query.boost))
    if kind is wq.Every and query.fieldname in (None, "", "*"):
        docs = np.flatnonzero(cols.live)
        return docs, np.ones(len(docs))
    # Two sides only: for more, Whoosh's trees group the sums by estimated sizes, and
    # another grouping could round differently.
    if kind in (wq.Or, wq.And) and len(query.subqueries) <= 2 and \
            (kind is wq.And or (query.minmatch <= 1 and not query.scale)):
        parts = [_evaluate(searcher, sub, cols, terms) for sub in query.subqueries]
        if not parts or any(p is None for p in parts):
            return None
        found = parts[0]
        for other in parts[1:]:
            found = _both(found, other) if kind is wq.And else _either(found, other)
        return found
    return None


def _either(a: Sparse, b: Sparse) -> Sparse:
    """The union of two sparse results, scores added where both hold a document: what
    adding two dense arrays with zeros elsewhere gives (x + 0.0 is x, and addition of two
    floats is commutative). Long lists go through a dense array (np.insert of 50k
    documents into 30k cost ~3 ms; one pass over 100k slots ~0.2 ms)."""
    if len(a[0]) < len(b[0]):
        a, b = b, a
    upper = _upper(a[0], b[0])
    if len(b[0]) * UNION_DENSE > upper:
        scores = np.zeros(upper)
        scores[a[0]] = a[1]
        held = np.zeros(scores.size, dtype=bool)
        held[a[0]] = True
        held[b[0]] = True
        scores[b[0]] += b[1]
        docs = np.flatnonzero(held)
        return docs, scores[docs]
    if not len(b[0]):
        return a
    at = np.searchsorted(a[0], b[0])  # (where the missing ones go, too)
    found = a[0][np.minimum(at, len(a[0]) - 1)] == b[0]
    scores = a[1].copy()
    scores[at[found]] += b[1][found]
    new = ~found
    return np.insert(a[0], at[new], b[0][new]), np.insert(scores, at[new], b[1][new])


def _both(a: Sparse, b: Sparse) -> Sparse:
    """The intersection of two sparse results, their scores added."""
    if len(a[0]) < len(b[0]):
        a, b = b, a
    at, found = _find(a[0], b[0])
    return b[0][found], a[1][at[found]] + b[1][found]


def _find(docs: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(where each of `wanted` is in `docs` (ascending), whether it is there): a binary
    search each, or for long lists a map from document number to place (binary searches
    of 30k documents in 50k cost ~1 ms, the map ~0.1 ms)."""
    if not len(docs):
        return np.zeros(len(wanted), dtype=np.intp), np.zeros(len(wanted), dtype=bool)
    upper = _upper(docs, wanted)
    if len(wanted) * FIND_DENSE > upper:
        place = np.full(upper, -1, dtype=np.int32)  # (half the bytes)
        place[docs] = np.arange(len(docs), dtype=np.int32)
        at = place[wanted]
        return at, at >= 0  # (callers read `at` only where found)
    at = np.searchsorted(docs, wanted)
    return at, docs[np.minimum(at, len(docs) - 1)] == wanted


def _upper(docs: np.ndarray, wanted: np.ndarray) -> int:
    """One more than the highest document number in two lists (docs ascending; wanted
    in any order: a ranking's documents)."""
    return int(max(docs[-1] if len(docs) else -1, wanted.max(initial=-1))) + 1


_EMPTY: Sparse = (np.zeros(0, dtype=np.int64), np.zeros(0))


def _term(searcher: Searcher, query: wq.Term, cols: Columns,
          terms: Terms) -> Sparse | None:
    field = query.fieldname
    if field not in searcher.schema:
        return _EMPTY
    fieldobj = searcher.schema[field]
    text = fieldobj.to_bytes(query.text) if isinstance(query.text, str) else query.text
    if (field, text) not in searcher.reader():
        return _EMPTY
    params = bm25_terms(searcher, field, text)
    if params is None:
        return None
    idf, avgfl, b, k1 = params
    ids, weights, _ = postings(searcher, field, text)
    # bm25() on arrays: the very operations, in the same order, as on each float
    scores = bm25(idf, weights, cols.lengths(field)[ids], avgfl, b, k1)
    terms.append((field, text, ids))
    return ids, np.asarray(scores, dtype=np.float64)


def _mask(bits: int, size: int) -> np.ndarray:
    """A FacetBits bitset as a boolean array by document number."""
    raw = np.frombuffer(bits.to_bytes((size + 8) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)
