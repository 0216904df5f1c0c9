"""Exact facet counts for Whoosh from cached bitsets.

Whoosh's own `groupedby` rebuilds a document -> value table for every facet field on every
search: its cost grows with the archive, not with the result set. Here each searcher gets,
once, one Python integer per facet value whose bit n is set when document n holds the
value; a search turns its matches into one such integer and every count is then
`(matches & value).bit_count()`, done in C. Searchers are replaced after each commit, so
the bitsets always describe the index being searched."""

from __future__ import annotations

import threading
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Generic, TypeVar

import numpy as np
from whoosh import collectors
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.idsets import BitSet
from whoosh.matching import Matcher
from whoosh.searching import Searcher

from index.engine import FACETS, SearchRequest
from index.whoosh.schema import FACET_FIELDS, MULTI_VALUED

T = TypeVar("T")

Counts = dict[str, dict[str, int]]  # facet name -> value -> documents


class FacetBits:
    """Per searcher: facet name -> value -> bitset of the (global) document numbers."""

    def __init__(self, searcher: Searcher):
        self.size = searcher.reader().doc_count_all()
        self.facet_of = {field: name for name, field in FACET_FIELDS.items()}
        self.live = self.bits(searcher.docs_for_query(wq.Every()))
        reader = searcher.reader()
        self.values: dict[str, dict[str, int]] = {}
        for name in FACETS:
            field = FACET_FIELDS[name]
            masks: dict[str, int] = {}
            for btext in reader.lexicon(field):
                ids = reader.postings(field, btext).all_ids()
                masks[btext.decode("utf-8")] = self.bits(ids) & self.live
            self.values[name] = masks

    def bits(self, docnums: Iterable[int]) -> int:
        buffer = bytearray((self.size + 8) // 8)
        for docnum in docnums:
            buffer[docnum >> 3] |= 1 << (docnum & 7)
        return int.from_bytes(buffer, "little")

    def matching(self, searcher: Searcher, query: wq.Query) -> int:
        """The live documents matching `query`. Terms, term ranges and their And/Or/Not
        are read straight from the postings (a facet value's from its bitset) and
        combined as bitsets; anything else (phrases, wildcards, a date range within a
        year) goes through Whoosh's matchers, whose ~5 Python calls per matching
        document made counting most of the time of a search page."""
        kind = type(query)
        if kind is wq.Every:
            return self.live
        if query is wq.NullQuery:
            return 0
        if kind is wq.Term:
            facet = self.facet_of.get(query.fieldname)
            if facet is not None:
                text = query.text
                return self.values[facet].get(
                    text.decode("utf-8") if isinstance(text, bytes) else text, 0)
            return self.term(searcher, query.fieldname, query.text) & self.live
        if kind is wq.Or and query.minmatch <= 1:
            found = 0
            for sub in query.subqueries:
                found |= self.matching(searcher, sub)
            return found
        if kind is wq.And:
            found = self.live
            for sub in query.subqueries:
                found &= self.matching(searcher, sub)
            return found
        if kind is wq.Not:
            return self.live & ~self.matching(searcher, query.query)
        if kind is wq.AndNot:
            return self.matching(searcher, query.a) & ~self.matching(searcher, query.b)
        if kind is wq.ConstantScoreQuery:
            return self.matching(searcher, query.child)
        if kind is wq.TermRange:  # whole years: their facet bitsets
            found = 0
            for field, text in query.expanded_terms(searcher.reader()):
                found |= self.matching(searcher, wq.Term(field, text))
            return found
        return self.bits(searcher.docs_for_query(query)) & self.live

    def readable(self, query: wq.Query) -> bool:
        """Whether matching() reads `query` from postings alone (no Whoosh matchers)."""
        kind = type(query)
        if kind in (wq.Every, wq.Term, wq.TermRange) or query is wq.NullQuery:
            return True
        if (kind is wq.Or and query.minmatch <= 1) or kind is wq.And:
            return all(self.readable(sub) for sub in query.subqueries)
        if kind is wq.Not:
            return self.readable(query.query)
        if kind is wq.AndNot:
            return self.readable(query.a) and self.readable(query.b)
        if kind is wq.ConstantScoreQuery:
            return self.readable(query.child)
        return False

    def docids(self, bits: int) -> BitSet:
        """A bitset as Whoosh's own BitSet (same layout), to filter a Whoosh search."""
        return _BitSet(bits, self.size)

    def term(self, searcher: Searcher, field: str, text: str | bytes) -> int:
        """Documents (deleted ones too) whose `field` holds `text`."""
        return self.bits(offset + docnum
                         for leaf, offset in searcher.leaf_searchers()
                         if (field, text) in leaf.reader()
                         for block in _blocks(leaf.reader().postings(field, text))
                         for docnum in block)

    def either(self, name: str, values: Iterable[str]) -> int:
        """Documents holding any of these values of one facet."""
        mask = 0
        for value in values:
            mask |= self.values[name].get(value, 0)
        return mask


class _BitSet(BitSet):
    """Whoosh's BitSet over the bytes of one of our bitsets; truth is "any bit set"
    (Whoosh's own asks its Python __len__, a count over every byte)."""

    def __init__(self, bits: int, size: int):
        self.bits = array("B", bits.to_bytes((size + 8) // 8, "little"))
        self._any = bits != 0

    def __bool__(self) -> bool:
        return self._any


class Recorder(collectors.WrappingCollector):
    """Wraps a search's collector and keeps a bitset of every document it collects: for a
    query only Whoosh's matchers can answer (a phrase), its one pass over the matches
    gives the count and the facets too. The child must not skip (optimize=False)."""

    def __init__(self, child: collectors.Collector, bits: FacetBits):
        super().__init__(child)
        self.buffer = bytearray((bits.size + 8) // 8)
        self.live = bits.live

    def collect(self, sub_docnum: int):
        docnum = self.offset + sub_docnum
        self.buffer[docnum >> 3] |= 1 << (docnum & 7)
        return self.child.collect(sub_docnum)

    def matched(self) -> int:
        return int.from_bytes(self.buffer, "little") & self.live


def _blocks(matcher: Matcher) -> Iterator[Sequence[int]]:
    """A segment's posting ids, a block (up to 128) at a time, from Whoosh's own block
    reader; other matchers (a term of a numeric field, say) one id at a time."""
    if type(matcher) is not W3LeafMatcher:
        yield tuple(matcher.all_ids())
        return
    # W3LeafMatcher's block state (_ids, _i, _read_ids, _next_block) is private API:
    # whoosh-reloaded is pinned, and tests compare this with Whoosh's all_ids().
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        yield matcher._ids[matcher._i:]
        matcher._next_block()


class PerSearcher(Generic[T]):
    """What is built once per searcher from its segments (searchers are replaced on commit,
    and the entry goes with its searcher), shared by the threads that use the searcher."""

    def __init__(self, build: Callable[[Searcher], T]):
        self._build = build
        self._built: weakref.WeakKeyDictionary[Searcher, T] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, searcher: Searcher) -> T:
        with self._lock:
            found = self._built.get(searcher)
            if found is None:
                found = self._built[searcher] = self._build(searcher)
            return found


facet_bits = PerSearcher(FacetBits)


def facet_counts(searcher: Searcher, matches: int, others: wq.Query | None,
                 request: SearchRequest) -> Counts:
    """Counts of every facet value among `matches` (a bitset from FacetBits.matching),
    the request's facet selections and `others` (its date filters), each facet leaving
    out its own selection so a reader can see what adding a second value (OR) would
    bring."""
    bits = facet_bits(searcher)
    base = matches
    if others is not None:
        base &= bits.matching(searcher, others)
    chosen = {name: bits.either(name, values) for name, values in request.filters
              if values}
    counts: Counts = {}
    located: dict[int, np.ndarray] = {}  # mask -> its documents (most masks are base)
    for name in FACETS:
        mask = base
        for other, selected in chosen.items():
            if other != name:
                mask &= selected
        if mask.bit_count() <= bits.size // SMALL:
            if mask not in located:
                located[mask] = positions(mask, bits.size)
            counts[name] = _ordinals(searcher).count(name, located[mask])
            continue
        found = ((value, (mask & value_bits).bit_count())
                 for value, value_bits in bits.values[name].items())
        counts[name] = {value: count for value, count in found if count}
    return counts


SMALL = 32  # matches up to 1/SMALL of the archive are counted document by document


class Ordinals:
    """Per searcher: each facet's value ordinal by document (its values' ordinals, by
    pairs in document order, for a facet a document can hold several values of), so a few
    matches are counted from their own values instead of one big-integer AND over the
    whole archive per facet value (~2,000 values x archive/8 bytes per search)."""

    def __init__(self, searcher: Searcher):
        bits = facet_bits(searcher)
        self.size = bits.size
        self.names = {name: list(bits.values[name]) for name in FACETS}  # lexicon order
        self.single: dict[str, np.ndarray] = {}
        self.pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, names in self.names.items():
            docs = [positions(bits.values[name][value], self.size) for value in names]
            if name not in MULTI_VALUED:  # ordinal len(names): no value
                by_doc = np.full(self.size, len(names), dtype=np.int64)
                for ordinal, found in enumerate(docs):
                    by_doc[found] = ordinal
                self.single[name] = by_doc
            elif docs:
                ordinals = np.concatenate([np.full(len(found), ordinal, dtype=np.int64)
                                           for ordinal, found in enumerate(docs)])
                all_docs = np.concatenate(docs)
                order = np.argsort(all_docs, kind="stable")
                self.pairs[name] = (all_docs[order], ordinals[order])

    def count(self, name: str, matched: np.ndarray) -> dict[str, int]:
        """value -> matched documents holding it (only values held), in lexicon order."""
        names = self.names[name]
        if not len(matched) or not names:
            return {}
        if name in self.single:
            counts = np.bincount(self.single[name][matched], minlength=len(names) + 1)
        else:
            docs, ordinals = self.pairs[name]
            low = np.searchsorted(docs, matched, "left")
            lengths = np.searchsorted(docs, matched, "right") - low
            total = int(lengths.sum())
            # the pair indexes of every matched document's run, concatenated
            starts = np.repeat(low - (np.cumsum(lengths) - lengths), lengths)
            counts = np.bincount(ordinals[starts + np.arange(total)], minlength=len(names))
        return {names[i]: int(counts[i]) for i in np.flatnonzero(counts[:len(names)])}


def positions(bits: int, size: int) -> np.ndarray:
    """The document numbers whose bit is set in a bitset (ascending). A few set bits are
    found byte by byte: unpacking the whole archive's bits and scanning them again cost
    a fixed ~0.2 ms per call at 100k articles, twice a search (stories, facets)."""
    raw = np.frombuffer(bits.to_bytes((size + 8) // 8, "little"), dtype=np.uint8)
    if bits.bit_count() * 4 > len(raw):  # dense: one pass over the unpacked bits
        return np.flatnonzero(np.unpackbits(raw, bitorder="little"))
    at = np.flatnonzero(raw)  # the bytes holding a set bit
    rows, offsets = np.nonzero(np.unpackbits(raw[at][:, None], axis=1, bitorder="little"))
    return at[rows] * 8 + offsets


def bitset(docs: np.ndarray, size: int) -> int:
    """The bitset of document numbers (positions() the other way)."""
    flags = np.zeros(size, dtype=bool)
    flags[docs] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


_ordinals = PerSearcher(Ordinals)
