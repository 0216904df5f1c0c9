"""Phrases for the numpy ranking (index.whoosh.ranking): the documents holding every word
are found by intersecting whole postings lists (the rarest first), and only those have
their positions read, from the segments' position stores (index.whoosh.positions: flat
arrays, no decoding) or Whoosh's postings, and checked with numpy, by the rule of Whoosh's
SpanNear2 (each word 1..slop positions after the one before); scores are Whoosh's (the
words' BM25F scores summed as its binary matcher tree sums them). Whoosh's own matchers
walked every candidate through skip_to and span objects: most of the time of a phrase
search."""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate, chain

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F, bm25
from whoosh.searching import Searcher

from index.whoosh.positions import TermPositions, decode_all, stored_format, stores
from index.whoosh.postings import leaf_postings

Found = tuple[np.ndarray, np.ndarray, list[bytes]]  # documents, their scores, the words


def phrase(searcher: Searcher, query: wq.Phrase,
           lengths: Callable[[str], np.ndarray]) -> Found | None:
    """The documents (global numbers, deleted ones too) holding the phrase, their scores
    and the words as index terms; None when Whoosh would score it otherwise."""
    field = query.fieldname
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0), [])
    if field not in searcher.schema or query.boost != 1.0:
        return empty if field not in searcher.schema else None
    fieldobj = searcher.schema[field]
    if not fieldobj.format or not fieldobj.format.supports("positions"):
        return None
    words = [fieldobj.to_bytes(w) if isinstance(w, str) else w for w in query.words]
    reader = searcher.reader()
    if not words or any((field, w) not in reader for w in words):
        return empty
    scorers = [bm25_terms(searcher, field, w) for w in words]
    if any(s is None for s in scorers):
        return None
    lists = [_Word(searcher, field, w, fieldobj.format) for w in words]
    candidates, places = _intersect_all([word.docs for word in lists])
    if not len(candidates):
        return empty
    keep = _near([word.gather(at) for word, at in zip(lists, places, strict=True)],
                 len(candidates), query.slop)
    docs = candidates[keep]
    field_lengths = lengths(field)[docs]
    scores = [bm25(s[0], word.weights[at[keep]], field_lengths, *s[1:])
              for word, at, s in zip(lists, places, scorers, strict=True)]
    return docs, _tree_sum(scores), words


class _Word:
    """One word's postings over the whole index: its documents (global, ascending) and
    weights, and its positions read for the documents asked only: from each segment's
    position store where it holds the word, else from Whoosh's postings."""

    def __init__(self, searcher: Searcher, field: str, text: bytes, format_):
        self._parts: list[tuple[int, int, TermPositions | list[bytes]]] = []  # start, end
        self._decode = _decoder(format_)
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        count = 0
        held = stores(searcher).segments
        for (leaf, offset), store in zip(searcher.leaf_searchers(), held, strict=True):
            found = store.get(field, text) if store is not None else None
            if found is not None:
                leaf_ids, leaf_weights, part = found.docs, found.weights, found
            else:
                leaf_ids, leaf_weights, part = leaf_postings(leaf.reader(), field, text, True)
            if not len(leaf_ids):
                continue
            ids.append(leaf_ids.astype(np.int64) + offset)
            weights.append(leaf_weights.astype(np.float64))
            self._parts.append((count, count + len(leaf_ids), part))
            count += len(leaf_ids)
        self.docs = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        self.weights = np.concatenate(weights) if weights else np.zeros(0)

    def gather(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(how many positions, all of them in order) of the postings at indices `at`
        (ascending)."""
        counts: list[np.ndarray] = []
        flat: list[np.ndarray] = []
        for start, end, part in self._parts:
            lo, hi = np.searchsorted(at, (start, end))
            if lo == hi:
                continue
            local = at[lo:hi] - start
            if isinstance(part, TermPositions):
                part_counts, part_flat = _ragged(part, local)
            else:
                part_counts, part_flat = _flat(self._decode([part[j] for j in local]))
            counts.append(part_counts)
            flat.append(part_flat)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(counts), np.concatenate(flat)


def _ragged(term: TermPositions, local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of postings `local` of a stored term, flat, and how many each."""
    ends = term.ends.astype(np.int64)
    starts = np.zeros(len(ends), dtype=np.int64)
    starts[1:] = ends[:-1]
    first, counts = starts[local], ends[local] - starts[local]
    total = int(counts.sum())
    # index of every wanted position: its posting's first, plus its rank within it
    shift = np.repeat(first - (np.cumsum(counts) - counts), counts)
    return counts, term.positions[np.arange(total, dtype=np.int64) + shift].astype(np.int64)


def _flat(positions: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    counts = np.fromiter(map(len, positions), dtype=np.int64, count=len(positions))
    return counts, np.fromiter(chain.from_iterable(positions), dtype=np.int64,
                               count=int(counts.sum()))


def _intersect_all(lists: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The values in every list (each ascending, unique), and where each of them sits in
    each list: the rarest list first, each next one looked up once."""
    order = sorted(range(len(lists)), key=lambda i: len(lists[i]))  # the rarest first
    candidates = lists[order[0]]
    where = {order[0]: np.arange(len(candidates))}
    for i in order[1:]:
        values = lists[i]
        if not len(candidates) or not len(values):
            return candidates[:0], []
        at = np.searchsorted(values, candidates)
        at[at == len(values)] = 0
        found = values[at] == candidates
        candidates = candidates[found]
        for k in where:
            where[k] = where[k][found]
        where[i] = at[found]
    return candidates, [where[i] for i in range(len(lists))]


_STRIDE = 1 << 33  # a key is candidate * _STRIDE + position: positions are below 2**32


def _near(gathered: list[tuple[np.ndarray, np.ndarray]], count: int, slop: int
          ) -> np.ndarray:
    """Which of `count` candidates hold the phrase, by the rule of Whoosh's SpanNear2
    (ordered, mindist 1): a chain of positions, one per word in order, each 1..slop after
    the one before. Each word's (counts, positions) are per candidate, in order."""
    ends: np.ndarray | None = None
    for counts, positions in gathered:
        keys = np.repeat(np.arange(count, dtype=np.int64) * _STRIDE, counts) + positions
        if ends is None:
            ends = keys
        elif slop == 1:
            wanted = ends + 1
            at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
            ends = wanted[keys[at] == wanted] if len(keys) else wanted[:0]
        else:  # the following positions with an end 1..slop before them
            at = np.minimum(np.searchsorted(ends, keys - slop), max(len(ends) - 1, 0))
            ends = keys[(ends[at] >= keys - slop) & (ends[at] <= keys - 1)] \
                if len(ends) else keys[:0]
        if not len(ends):
            break
    keep = np.zeros(count, dtype=bool)
    if ends is not None:
        keep[np.unique(ends // _STRIDE)] = True
    return keep


def bm25_terms(searcher: Searcher, field: str, text: bytes
               ) -> tuple[float, float, float, float] | None:
    """(idf, average field length, B, K1) as Whoosh's BM25FScorer takes them from the
    top searcher (without the term lookups it makes for block quality); None when the
    searcher does not score this field with BM25F."""
    weighting = searcher.weighting
    if type(weighting) is not BM25F or not searcher.schema[field].scorable:
        return None
    return (searcher.idf(field, text), searcher.avg_field_length(field) or 1,
            weighting._field_B.get(field, weighting.B), weighting.K1)


def _decoder(format_) -> Callable[[list[bytes]], list[list[int]]]:
    """Decoding many postings' positions at once (index.whoosh.positions.decode_all);
    another format than Whoosh's Positions decodes posting by posting."""
    if not stored_format(format_):
        return lambda values: [format_.decode_positions(v) for v in values]
    return lambda values: [list(accumulate(deltas)) for deltas in decode_all(values)]


def _tree_sum(parts: list[np.ndarray]) -> np.ndarray:
    """Summed as whoosh.matching.make_binary_tree nests its IntersectionMatchers: the first
    half's sum plus the second half's (float addition is not associative)."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


