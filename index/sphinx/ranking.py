"""BM25 as the tantivy engine scores: per field, k1 1.2, b 0.75, the headline twice, summed
over the fields (and, on a cluster started here, with collection-wide IDF: index.sphinx.idf).

Sphinx 2.2.11's real-time indexes lose the total field lengths its BM25 divides by (the
average document length comes out as 1/N, N the shard's documents), so bm25a/bm25f with
b > 0 rank every document alike. Its formula, K' = k1'(1 - b' + b' dl N), still gives the
true K = k1(1 - b + b dl / avgdl) for chosen k1', b':

    k1'(1 - b') = k1(1 - b)   and   k1' b' N = k1 b / avgdl

so each field's BM25 is one bm25f() instance weighting that field alone, with k1' and b'
from our own average field length (counted as the rows were written) and the shard's N.
N differs between shards, hence one ranked statement per shard (index.sphinx.config's
na{g}d{s}), merged by score then article id. Each bm25f() adds 0.5 to its value (Sphinx
maps it into [0, 1]); scores are reported without those."""

from __future__ import annotations

from collections.abc import Mapping

from index.sphinx.documents import FIELDS

K1, B = 1.2, 0.75
# Full-text field -> boost: stems and printed words of headline and body (fuzzy terms
# search the latter), names; `dates` and `every` select and never score.
BOOSTS = {"headline": 2, "hwords": 2, "body": 1, "bwords": 1, "byline": 1, "place": 1,
          "agency": 1}
SCALE = 100_000  # WEIGHT() is an unsigned integer: scores keep five decimals (float32
# rounding differs from shard to shard in the sixth: a coarser score keeps ties ties)
OFFSET = 0.5 * sum(BOOSTS.values())  # what the bm25f() instances add (see above)


def parameters(average: float, documents: int) -> tuple[float, float]:
    """(k1', b') for a field of this average length on a shard of `documents` rows."""
    if average <= 0 or documents <= 0:  # no text in this field: any K will do
        return K1, 0.0
    slope = K1 * B / (average * documents)
    k1 = K1 * (1 - B) + slope
    return k1, slope / k1


def ranker(averages: Mapping[str, float], documents: int) -> str:
    """The expression ranker of one shard holding `documents` rows."""
    terms = []
    for field, boost in BOOSTS.items():
        k1, b = parameters(averages.get(field, 0.0), documents)
        # every field named: bm25f() weighs a field left out as 1
        weights = ", ".join(f"{name}={int(name == field)}" for name in FIELDS)
        terms.append(f"{boost}*bm25f({k1:.9f}, {b:.9f}, {{{weights}}})")
    return f"expr('({' + '.join(terms)})*{SCALE}')"


def score(weight: int) -> float:
    """A hit's BM25 from its WEIGHT()."""
    return weight / SCALE - OFFSET
