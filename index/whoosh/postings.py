"""A term's postings as numpy arrays over the whole index: from a segment's phrase position
store (index.whoosh.positions) where it holds the term, else read a block (up to 128) at a
time from Whoosh's own block reader. The ranking and the phrase matching share this one
reader of the private block state of the pinned whoosh-reloaded (tests compare both with
Whoosh's own matchers)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

from index.whoosh.positions import stores


def postings(searcher: Searcher, field: str, text: bytes, values: bool = False
             ) -> tuple[np.ndarray, np.ndarray, list]:
    """Global document numbers (deleted ones too: the caller masks them), weights and,
    when asked, the encoded values (positions) of a term."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    found: list = []
    # without values, a segment's position store has them without Whoosh's decoding
    held = stores(searcher).segments if not values else None
    for number, (leaf, offset) in enumerate(searcher.leaf_searchers()):
        stored = held[number].get(field, text, positions=False) \
            if held is not None and held[number] is not None else None
        if stored is not None:
            ids.append(stored.docs.astype(np.int64) + offset)
            weights.append(stored.weights.astype(np.float64))
            continue
        leaf_ids, leaf_weights, leaf_values = leaf_postings(leaf.reader(), field, text, values)
        if len(leaf_ids):
            ids.append(leaf_ids + offset)
            weights.append(leaf_weights)
            found.extend(leaf_values)
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0), []
    return np.concatenate(ids), np.concatenate(weights), found


def leaf_postings(reader, field: str, text: bytes, values: bool = False
                  ) -> tuple[np.ndarray, np.ndarray, list]:
    """postings() of one segment's reader, its own document numbers."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    found: list = []
    if (field, text) in reader:
        for block in _blocks(reader.postings(field, text), values):
            ids.append(np.asarray(block[0], dtype=np.int64))
            weights.append(np.asarray(block[1], dtype=np.float64))
            if values:
                found.extend(block[2])
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0), []
    return np.concatenate(ids), np.concatenate(weights), found


def _blocks(matcher, values: bool) -> Iterator[tuple]:
    """(ids, weights[, values]) a block at a time; other matchers one posting at a time."""
    if type(matcher) is FilterMatcher:  # deletions: masked by the caller
        matcher = matcher.child
    if type(matcher) is not W3LeafMatcher:
        rows = []
        while matcher.is_active():
            rows.append((matcher.id(), matcher.weight(),
                         *((matcher.value(),) if values else ())))
            matcher.next()
        yield tuple(list(column) for column in zip(*rows, strict=True)) if rows else ([], [], [])
        return
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        start = matcher._i
        if values:
            if matcher._values is None:
                matcher._read_values()
            yield matcher._ids[start:], matcher._weights[start:], matcher._values[start:]
        else:
            yield matcher._ids[start:], matcher._weights[start:]
        matcher._next_block()
