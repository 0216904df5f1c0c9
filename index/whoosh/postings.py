"""A term's postings read a block (up to 128) at a time from Whoosh's own block reader, as
numpy arrays over the whole index: the ranking and the phrase matching share this one
reader of the private block state of the pinned whoosh-reloaded (tests compare both with
Whoosh's own matchers)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher


def postings(searcher: Searcher, field: str, text: bytes, values: bool = False
             ) -> tuple[np.ndarray, np.ndarray, list]:
    """Global document numbers (deleted ones too: the caller masks them), weights and,
    when asked, the encoded values (positions) of a term."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    found: list = []
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if (field, text) not in reader:
            continue
        for block in _blocks(reader.postings(field, text), values):
            ids.append(np.asarray(block[0], dtype=np.int64) + offset)
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
