"""The headline and body field: Whoosh's TEXT, analysed in one pass. Whoosh runs its token
filter chain (a Token object through four generators per word) for the postings and again
for the spelling words, half a build's time; this field reads each text once, with the
functions index.whoosh.analysis's chain is made of, and gives both the same terms,
positions, weights and bytes (tests/test_whoosh_fields.py compares them)."""

from __future__ import annotations

import pickle
from functools import lru_cache

from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

from index.analysis import STOPWORDS, TOKEN_PATTERN, fold, stem

_stem = lru_cache(maxsize=200_000)(stem)  # the chain's StemFilter caches as many
_ONE = pack_uint(1)


@lru_cache(maxsize=65_536)
def _single(position: int) -> bytes:
    """Positions.encode([position]): most words of a text occur once."""
    return _ONE + pickle.dumps([position], 2)


def _encode(poslist: list[int]) -> bytes:
    """Whoosh's Positions.encode, to the byte: the count, then the pickled deltas."""
    if len(poslist) == 1:
        return _single(poslist[0])
    deltas = [poslist[0]]
    deltas += [b - a for a, b in zip(poslist, poslist[1:], strict=False)]
    return pack_uint(len(deltas)) + pickle.dumps(deltas, 2)


class OnePassText(TEXT):
    """TEXT with our analyzer (index.whoosh.analysis.analyzer()), analysed once per value:
    index() keeps the unstemmed words for spellable_words(), which Whoosh's writer calls
    next with the same value. Searching uses the analyzer as before. Pickled into every
    index's schema under this name (index.whoosh.fields.OnePassText): keep it here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._last: tuple[str, list[str]] | None = None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_last"] = None  # the schema is pickled into the index: not the last text
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("_last", None)

    def index(self, value, **kwargs):
        """(term bytes, frequency, weight, encoded positions) of each term, in order of
        first occurrence, as Whoosh's Positions format and our chain give them: a word
        folded to nothing is dropped but keeps its place (FoldFilter), a stopword is
        dropped and the words after it close up (StopFilter renumber=True)."""
        if not isinstance(value, str) or kwargs:
            self._last = None
            return super().index(value, **kwargs)
        positions: dict[str, list[int]] = {}
        kept: list[str] = []
        pos = -1
        for number, match in enumerate(TOKEN_PATTERN.finditer(value)):
            word = fold(match.group())
            if not word or word in STOPWORDS:
                continue
            pos = number if not kept else pos + 1
            kept.append(word)
            term = _stem(word)
            found = positions.get(term)
            if found is None:
                positions[term] = [pos]
            else:
                found.append(pos)
        self._last = (value, kept)
        boost = self.format.field_boost
        encode = _encode if type(self.format) is Positions else self.format.encode
        return [(term.encode("utf-8"), len(poslist), float(len(poslist)) * boost,
                 encode(poslist)) for term, poslist in positions.items()]

    def spellable_words(self, value):
        """The unstemmed words of the value index() was last given, sorted, once each."""
        last = self._last
        if last is not None and last[0] is value:
            return iter(sorted(set(last[1])))
        return super().spellable_words(value)
