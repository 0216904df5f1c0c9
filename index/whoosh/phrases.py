"""Phrases for the numpy ranking (index.whoosh.ranking): the documents holding every word
are found by intersecting whole postings lists, and only those have their positions read
and checked, with the rule of Whoosh's SpanNear2 (each word 1..slop positions after the
one before); scores are Whoosh's (the words' BM25F scores summed as its binary matcher
tree sums them). Whoosh's own matchers walked every candidate through skip_to and span
objects: most of the time of a phrase search."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from itertools import accumulate

import numpy as np
from whoosh import query as wq
from whoosh.formats import Positions
from whoosh.scoring import BM25F, bm25
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE

from index.whoosh.postings import postings

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
    lists = [postings(searcher, field, w, values=True) for w in words]
    ordered = sorted((ids for ids, _, _ in lists), key=len)  # the rarest word first
    candidates = ordered[0]
    for ids in ordered[1:]:
        candidates = np.intersect1d(candidates, ids, assume_unique=True)
    if not len(candidates):
        return empty
    # where each candidate sits in each word's list
    places = [np.searchsorted(ids, candidates) for ids, _, _ in lists]
    decode = _decoder(fieldobj.format)
    positions = [decode([values[j] for j in at]) for (_, _, values), at in
                 zip(lists, places, strict=True)]
    keep = np.fromiter((_near([p[i] for p in positions], query.slop)
                        for i in range(len(candidates))), dtype=bool, count=len(candidates))
    docs = candidates[keep]
    field_lengths = lengths(field)[docs]
    scores = [bm25(s[0], weights[at[keep]], field_lengths, *s[1:])
              for (_, weights, _), at, s in zip(lists, places, scorers, strict=True)]
    return docs, _tree_sum(scores), words


def _near(positions: list[list[int]], slop: int) -> bool:
    """SpanNear2 (ordered, mindist 1): a chain of positions, one per word in order, each
    1..slop after the one before."""
    ends = positions[0]
    for following in positions[1:]:
        if slop == 1:
            starts = set(following)
            ends = [end + 1 for end in ends if end + 1 in starts]
        else:
            ends = [p for p in following if any(1 <= p - end <= slop for end in ends)]
        if not ends:
            return False
    return True


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
    """Decoding many postings' positions at once: Whoosh's Positions format stores a
    count and a pickled list of deltas per posting, and one pickle.loads of them all as
    one list (their PROTO headers and STOP opcodes cut) costs a fraction of one call
    each. Another format decodes posting by posting."""
    if type(format_) is not Positions:
        return lambda values: [format_.decode_positions(v) for v in values]

    def decode(values: list[bytes]) -> list[list[int]]:
        if not values:
            return []
        body = b"".join(v[_INT_SIZE + 2:-1] if v.endswith(b".") else v[_INT_SIZE + 2:]
                        for v in values)
        return [list(accumulate(deltas)) for deltas in pickle.loads(
            b"\x80\x02](" + body + b"e.")]

    return decode


def _tree_sum(parts: list[np.ndarray]) -> np.ndarray:
    """Summed as whoosh.matching.make_binary_tree nests its IntersectionMatchers: the first
    half's sum plus the second half's (float addition is not associative)."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


