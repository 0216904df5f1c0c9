"""Pairs of common words indexed as one term, so that a phrase of common words is cheap
(Lucene's CommonGrams, chosen from the archive's own words).

A phrase costs tantivy the postings of its rarest word, positions included: "million new"
(words in 32% and 46% of 1M articles, 2,115 hits) took 15.6 ms, "political factions" (27%
and 1.9%) 1.2 ms. So each index learns its common stems (those in at least SHARE of the
articles of a sample taken at the full build, stored beside the index), every document
gets one term per adjacent pair of them in its headline and body (the analysed words: no
stopwords, so pairs are adjacent as phrases are), and a phrase over two or more common
stems also requires its pair terms (score 0): tantivy then walks the pairs' short postings
and checks positions only there. Hits and scores stay those of the phrase: every match of
the phrase holds its pairs. An index without the file (built before it) gets no pairs and
its phrases are searched as before."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

from index.analysis import stem

PAIRS = "pairs"  # the index field of the pair terms
FILE = "common_stems.json"  # in the index folder
SAMPLE = 10_000  # articles a full build learns from
SHARE = 0.10  # a stem is common in at least this share of them...
LIMIT = 1_000  # ...and the most frequent this many at most (the pairs' index size)
SEPARATOR = "|"  # between a pair's stems (no analysed word holds one)
_CACHE_LIMIT = 500_000  # words whose stem is remembered


class CommonPairs:
    """The common stems of one index, and the pair terms of a text or a phrase."""

    def __init__(self, stems: Iterable[str]):
        self.stems = frozenset(stems)
        self._marks: dict[str, str] = {}  # word -> its stem if common, else ""

    @classmethod
    def learn(cls, texts: Iterable[str]) -> CommonPairs:
        """The common stems of analysed texts (space-separated words, one per article)."""
        counts: Counter[str] = Counter()
        stems: dict[str, str] = {}  # each word stemmed once (2.4 -> 1.2 s for 10,000)
        articles = 0
        for text in texts:
            articles += 1
            words = set(text.split())
            for word in words.difference(stems):
                stems[word] = stem(word)
            counts.update(set(map(stems.__getitem__, words)))
        floor = max(2, SHARE * articles)
        return cls(s for s, n in counts.most_common(LIMIT) if n >= floor)

    @classmethod
    def load(cls, folder: Path) -> CommonPairs | None:
        """The stems stored with the index in `folder`; None when it has none."""
        try:
            with open(Path(folder) / FILE, encoding="utf-8") as stream:
                return cls(json.load(stream)["stems"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, folder: Path) -> None:
        path = Path(folder) / FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"stems": sorted(self.stems), "share": SHARE}),
                             encoding="utf-8")
        os.replace(temporary, path)

    def of_text(self, words: str) -> str:
        """The pair terms of analysed text (unstemmed words), space-separated, each once."""
        # The build's price (~70 us an article of 250 words, 60-70% more build time at
        # 1M on 2 cores): one pass in Python over the words, C-level lookups around it;
        # passes over the raw chunks or with regular expressions measured slower.
        sequence = words.split()
        try:
            marks = list(map(self._marks.__getitem__, sequence))
        except KeyError:  # words not met yet (after the first articles, few)
            marks = [self._mark(word) for word in sequence]
        return " ".join(dict.fromkeys(
            [f"{a}{SEPARATOR}{b}" for a, b in pairwise(marks) if a and b]))

    def of_phrase(self, stems: list[str]) -> list[str]:
        """The pair terms every match of an exact phrase of these stems holds."""
        common = self.stems
        return list(dict.fromkeys(f"{a}{SEPARATOR}{b}" for a, b in pairwise(stems)
                                  if a in common and b in common))

    def _mark(self, word: str) -> str:
        mark = self._marks.get(word)
        if mark is None:
            if len(self._marks) >= _CACHE_LIMIT:
                self._marks = {}
            found = stem(word)
            mark = self._marks[word] = found if found in self.stems else ""
        return mark
