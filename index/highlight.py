"""Highlight a query's words in article text, with the index's own analyzer, so the article
page marks exactly the word forms the search matched (stems, folded accents, wildcards)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from html import escape

from index import query as q
from index.analysis import PLAIN, STOPWORDS, analyse, fold, stem

OPEN, CLOSE = "<mark>", "</mark>"


def highlighter(query: str) -> Callable[[str], str]:
    """A function turning plain text into escaped HTML with the query's words in <mark>.

    A query that does not parse highlights nothing (the text is only escaped)."""
    try:
        node = q.parse(query)
    except q.QueryError:
        return escape
    matches = word_matcher(node)
    if matches is None:
        return escape

    def mark(text: str) -> str:
        out, last = [], 0
        for token in PLAIN(text, chars=True, mode="index"):
            if matches(token.text):
                start, end = token.startchar, token.endchar
                out += [escape(text[last:start]), OPEN, escape(text[start:end]), CLOSE]
                last = end
        out.append(escape(text[last:]))
        return "".join(out)

    return mark


@dataclass(frozen=True)
class WordMatcher:
    """Whether a folded word (as PLAIN analyses text) is one a query searched for: its
    stem is a searched stem, or it fits a wildcard, or it is near a fuzzy word."""

    stems: frozenset[str]
    patterns: tuple[re.Pattern[str], ...] = ()
    fuzzy: tuple[tuple[str, int], ...] = ()

    def __call__(self, word: str) -> bool:
        if word not in STOPWORDS and stem(word) in self.stems:
            return True
        for pattern in self.patterns:
            if pattern.match(word):
                return True
        for target, distance in self.fuzzy:
            if _within(word, target, distance):
                return True
        return False


def word_matcher(node: q.Node, fields: Collection[str] | None = None) -> WordMatcher | None:
    """The matcher of the words the query searched for in any of `fields` (a word
    without a field searches the default fields); None when no word can match. Engines
    highlight their hits with it, so every engine marks alike."""
    stems: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    fuzzy: list[tuple[str, int]] = []
    for leaf in q.positive_leaves(node):
        searched = {leaf.field} if leaf.field else set(q.DEFAULT_FIELDS)
        if fields is not None and not searched & set(fields):
            continue
        if isinstance(leaf, q.Wildcard):
            patterns.append(re.compile(fnmatch.translate(fold(leaf.pattern))))
        elif isinstance(leaf, q.Fuzzy):
            fuzzy.extend((word, leaf.distance) for word in analyse(leaf.text, stemmed=False))
        elif isinstance(leaf, q.Term | q.Phrase):
            words = [leaf.text] if isinstance(leaf, q.Term) else list(leaf.words)
            stems.update(term for word in words for term in analyse(word))
    if not (stems or patterns or fuzzy):
        return None
    return WordMatcher(frozenset(stems), tuple(patterns), tuple(fuzzy))


def highlight_html(text: str, query: str) -> str:
    """Escaped HTML of text with the words of query in <mark>."""
    return highlighter(query)(text)


def _within(word: str, target: str, distance: int) -> bool:
    """Levenshtein distance of word and target is at most `distance` (first letter equal,
    like the engine's fuzzy terms)."""
    if abs(len(word) - len(target)) > distance or word[:1] != target[:1]:
        return False
    previous = list(range(len(target) + 1))
    for i, a in enumerate(word, 1):
        current = [i]
        for j, b in enumerate(target, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (a != b)))
        if min(current) > distance:
            return False
        previous = current
    return previous[-1] <= distance
