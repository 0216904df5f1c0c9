"""The benchmark's query set, drawn deterministically from the store's own vocabulary the
way reference/engines.md drew it: common terms (in 15-45% of articles), rare terms (a few
articles), two-term AND, phrases from running text and frequent word pairs, a term within
a range of whole years, a term with facet counts, a term with top-10 snippets."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from archive.model import Article
from index.analysis import STOPWORDS
from index.engine import SearchRequest

KINDS = ("common", "rare", "and", "phrase", "date", "facets", "snippets")
COMMON = (0.15, 0.45)  # share of articles holding a "common" term
AND_WORDS = (0.05, 0.45)  # each word of a two-term AND
RARE = (3, 20)  # articles holding a "rare" term: at least 3, so no spelling suggestion runs
PHRASE_WORD = 0.01  # every word of a phrase is in at least 1% of articles
PAIR_SAMPLE = 2000  # articles whose word pairs are counted to find frequent phrases
YEARS = (1977, 2025)  # the corpus generator's span
TOP = 10  # results per query, as in the reference measurements
_TOKEN = re.compile(r"\w+(?:'\w+)*")
# Function words beyond Whoosh's short stop list: nobody searches for them, and another
# engine's stop list may drop them, which would make hit counts differ for no real reason.
FUNCTION_WORDS = frozenset("""
about above after again against all also any because been before being below between both
but could did does doing down during each few further had has having her here hers herself
him himself his how into its itself just more most must nor now off once only other ought
our ours ourselves out over own same she should some such than their theirs them themselves
then there these they those through too under until upon very was were what where which
while who whom why would yours yourself yourselves""".split())


@dataclass(frozen=True)
class Query:
    kind: str
    text: str  # what the reader typed, plus the date range for "date" queries
    request: SearchRequest

    def record(self) -> dict[str, object]:
        r = self.request
        return {"kind": self.kind, "q": r.q,
                "from": r.date_from.isoformat() if r.date_from else None,
                "to": r.date_to.isoformat() if r.date_to else None,
                "facets": r.facets, "snippets": r.snippets}


def _eligible(word: str) -> bool:
    """Plain ASCII words only: no stopwords (engines drop them differently), nothing the
    query parser reads as syntax, nothing a tokenizer might split differently."""
    return (len(word) >= 3 and word.isascii() and word.isalpha()
            and word not in STOPWORDS and word not in FUNCTION_WORDS)


def _words(article: Article) -> list[str]:
    """Headline and body as lowercase tokens; ineligible ones stay as "" so a phrase
    never bridges a stopword or a number."""
    text = f"{article.headline}\n{article.body}".lower()
    return [w if _eligible(w) else "" for w in _TOKEN.findall(text)]


def request(kind: str, q: str, years: tuple[int, int] | None = None) -> SearchRequest:
    """The request a query kind sends: top 10, exact total; facets and snippets only for
    the kinds that measure them (the web layer asks for both on every page)."""
    return SearchRequest(
        q=q, page_size=TOP, facets=kind == "facets", snippets=kind == "snippets",
        date_from=dt.date(years[0], 1, 1) if years else None,
        date_to=dt.date(years[1], 12, 31) if years else None)


def make_queries(articles: Iterable[Article], per_kind: int, seed: int = 1977) -> list[Query]:
    """`per_kind` queries of every kind in KINDS, the same for every engine."""
    rng = random.Random(seed)
    df: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    runs: list[list[str]] = []  # runs of consecutive eligible words, from sampled articles
    total = 0
    for total, article in enumerate(articles, start=1):
        words = _words(article)
        df.update(set(words) - {""})
        if total <= PAIR_SAMPLE:
            pairs.update({f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
                          if a and b})
            runs.extend(_runs(words))
    if not total:
        raise ValueError("the store holds no articles to draw queries from")
    common = _pick(df, COMMON[0] * total, COMMON[1] * total, per_kind * 4, rng)
    rare = _pick(df, RARE[0], RARE[1], per_kind, rng)
    and_words = _pick(df, AND_WORDS[0] * total, AND_WORDS[1] * total, per_kind * 2, rng)
    queries = [Query("common", w, request("common", w)) for w in common[:per_kind]]
    queries += [Query("rare", w, request("rare", w)) for w in rare]
    for i in range(per_kind):
        a, b = and_words[(2 * i) % len(and_words)], and_words[(2 * i + 1) % len(and_words)]
        queries.append(Query("and", f"{a} {b}", request("and", f"{a} {b}")))
    for phrase in _phrases(df, pairs, runs, total, per_kind, rng):
        queries.append(Query("phrase", f'"{phrase}"', request("phrase", f'"{phrase}"')))
    for i in range(per_kind):
        word = common[(per_kind + i) % len(common)]
        span = rng.randint(1, 10)
        first = rng.randint(YEARS[0], YEARS[1] - span + 1)
        years = (first, first + span - 1)
        queries.append(Query("date", f"{word} [{years[0]}-{years[1]}]",
                             request("date", word, years)))
    for offset, kind in ((2, "facets"), (3, "snippets")):
        for i in range(per_kind):
            word = common[(offset * per_kind + i) % len(common)]
            queries.append(Query(kind, word, request(kind, word)))
    return queries


def _pick(df: Counter[str], low: float, high: float, count: int,
          rng: random.Random) -> list[str]:
    """`count` words whose document frequency lies in [low, high]; on a corpus too small
    to have that many, the nearest frequencies fill in (and words repeat if need be)."""
    words = sorted(w for w, n in df.items() if low <= n <= high)
    if len(words) < count:
        middle = (low + high) / 2
        taken = set(words)
        others = sorted((w for w in df if w not in taken),
                        key=lambda w: (abs(df[w] - middle), w))
        words += others[: count - len(words)]
    if not words:
        raise ValueError("the store's vocabulary has no usable query words")
    chosen = rng.sample(words, min(count, len(words)))
    return [chosen[i % len(chosen)] for i in range(count)]


def _runs(words: list[str]) -> list[list[str]]:
    runs, current = [], []
    for word in [*words, ""]:
        if word:
            current.append(word)
        elif current:
            if len(current) >= 2:
                runs.append(current)
            current = []
    return runs


def _phrases(df: Counter[str], pairs: Counter[str], runs: list[list[str]], total: int,
             count: int, rng: random.Random) -> list[str]:
    """Half frequent word pairs ("prime minister"), half 2-3 words from running text; all
    their words in at least 1% of articles, so phrases cost what they cost in real use."""
    floor = max(2, PHRASE_WORD * total)
    frequent = sorted(p for p, n in pairs.items() if n >= 3
                      and all(df[w] >= floor for w in p.split()))
    chosen = rng.sample(frequent, min(count // 2, len(frequent)))
    candidates = [r for r in runs if sum(df[w] >= floor for w in r) >= 2]
    while len(chosen) < count and candidates:
        run = rng.choice(candidates)
        usable = [i for i in range(len(run) - 1) if df[run[i]] >= floor
                  and df[run[i + 1]] >= floor]
        if not usable:
            candidates.remove(run)
            continue
        start = rng.choice(usable)
        length = 3 if rng.random() < 0.5 and start + 2 < len(run) \
            and df[run[start + 2]] >= floor else 2
        chosen.append(" ".join(run[start:start + length]))
    if not chosen:
        raise ValueError("the store's text has no usable phrases")
    return [chosen[i % len(chosen)] for i in range(count)]
