"""BM25 as the tantivy engine scores: per field, k1 1.2, b 0.75, the headline twice, summed
over the fields, with collection-wide IDF (the IDF of a word over every row, as
index.sphinx.idf writes it for global_idf).

What Sphinx 2.2.11 does in a real-time index (seen on searchd 2.2.11 with a two-field rt
index, index_field_lengths = 1, before and after FLUSH RAMCHUNK, after a restart and
after OPTIMIZE; figures in bench/results/sphinx-disk-chunks.md):

- RAM chunk: the total field lengths are missing, so bm25a()/bm25f() divide by an average
  document length of 1/N (N the chunk's rows). Global IDF works.
- Disk chunk (a RAM chunk written out: over rt_mem_limit, FLUSH RAMCHUNK, OPTIMIZE): the
  total field lengths are stored as 0, so dl/avgdl is infinite: bm25f(k1, b > 0) is 0 for
  every row (its constant 0.5 alone), bm25f(k1, 0) is NaN (WEIGHT() 0). And the global
  IDF file is not used there: with global_idf=1 every idf factor (sum_idf, tf_idf, the
  IDF inside bm25f) is 0.
- Without global_idf, each chunk weighs a word by its own document frequency and row
  count: one word gets a different IDF in each chunk of one index.
- Right in both: the per-row lengths (the `<field>_len` attributes) and the tf of each
  query word in each field (the field_tf table of PACKEDFACTORS()).

So no expression over Sphinx's factors can rank a shard with disk chunks: the only
per-word quantities in the expression ranker (tf_idf, min/max/sum_idf) carry the chunk's
IDF, and hit_count mixes the words of a field. A shard is ranked by our UDF instead
(index/sphinx/bm25.c, built and loaded by index.sphinx.udf): given PACKEDFACTORS(), the
field lengths and our own IDF of each query word and average field lengths, it sums
boost * idf * tf / (tf + K), K = k1 (1 - b + b dl / avgdl), in double precision: the
same score in a RAM chunk, a disk chunk and any mixture, on any shard.

A cluster whose nodes lack the function (configured elsewhere, or started by an older
version) keeps the former ranking, exact while every row is in a RAM chunk: each field's
BM25 is one bm25f() instance weighting that field alone, with k1', b' making Sphinx's
K' = k1'(1 - b' + b' dl N) the true K:

    k1'(1 - b') = k1(1 - b)   and   k1' b' N = k1 b / avgdl

N differs between shards, hence one ranked statement per shard (index.sphinx.config's
na{g}d{s}), merged by score then article id; each bm25f() adds 0.5 (OFFSET)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from index.sphinx import udf
from index.sphinx.documents import FIELDS

K1, B = 1.2, 0.75
# Full-text field -> boost: stems and printed words of headline and body (fuzzy terms
# search the latter), names; `dates` and `every` select and never score.
BOOSTS = {"headline": 2, "hwords": 2, "body": 1, "bwords": 1, "byline": 1, "place": 1,
          "agency": 1}
SCALE = 100_000  # WEIGHT() is an unsigned integer: scores keep five decimals (float32
# rounding differs from shard to shard in the sixth: a coarser score keeps ties ties)
OFFSET = 0.5 * sum(BOOSTS.values())  # what the bm25f() instances add (see above)


def idf(total: int, docs: int) -> float:
    """A word's IDF as Sphinx's global path computes it (index.sphinx.idf): log(N/n),
    normalised by 2 log(N + 1); 0 for a word no row holds."""
    if docs <= 0 or total <= 0:
        return 0.0
    total = max(total, docs)
    return math.log(total / docs) / (2 * math.log(1 + total))


def column(match: str, averages: Mapping[str, float],
           idf_of: Callable[[str], float]) -> str:
    """The UDF expression scoring a row of a ranked statement with this MATCH: its
    BM25 * SCALE, whichever chunk holds the row."""
    return udf.column(match, BOOSTS, averages, FIELDS, idf_of, K1, B, SCALE)


def parameters(average: float, documents: int) -> tuple[float, float]:
    """(k1', b') for a field of this average length on a shard of `documents` rows."""
    if average <= 0 or documents <= 0:  # no text in this field: any K will do
        return K1, 0.0
    slope = K1 * B / (average * documents)
    k1 = K1 * (1 - B) + slope
    return k1, slope / k1


def ranker(averages: Mapping[str, float], documents: int) -> str:
    """The former expression ranker of one shard holding `documents` rows (nodes without
    the UDF; exact only in RAM chunks, see above)."""
    terms = []
    for field, boost in BOOSTS.items():
        k1, b = parameters(averages.get(field, 0.0), documents)
        # every field named: bm25f() weighs a field left out as 1
        weights = ", ".join(f"{name}={int(name == field)}" for name in FIELDS)
        terms.append(f"{boost}*bm25f({k1:.9f}, {b:.9f}, {{{weights}}})")
    return f"expr('({' + '.join(terms)})*{SCALE}')"


def score(weight: int, offset: float = OFFSET) -> float:
    """A hit's BM25 from its weight (the UDF's has no offset: offset=0)."""
    return weight / SCALE - offset
