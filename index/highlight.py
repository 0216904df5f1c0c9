"""Highlight a query's words in article text, with the index's own analyzer, so the article
page marks exactly the word forms the search matched (stems, folded accents, wildcards), and a
phrase's words only where the phrase is: "oil prices" marks "oil prices", not a lone "price"
nor the "oil" of "oil-based"."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from itertools import compress, count, repeat
from operator import is_not

from index import query as q
from index.analysis import STOPWORDS, analyse, fold, stem, words

OPEN, CLOSE = "<mark>", "</mark>"
PhraseTerms = tuple[tuple[str, ...], int]  # a phrase's stems in order, and its slop


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
        tokens = list(words(text))
        marked = matches.marks([word for word, _, _ in tokens])
        out, last = [], 0
        for (_, start, end), chosen in zip(tokens, marked, strict=True):
            if chosen and out and start == last:  # nothing between: one mark (CJK)
                out[-1:] = [escape(text[start:end]), CLOSE]
                last = end
            elif chosen:
                out += [escape(text[last:start]), OPEN, escape(text[start:end]), CLOSE]
                last = end
        out.append(escape(text[last:]))
        return "".join(out)

    return mark


@dataclass(frozen=True)
class WordMatcher:
    """Whether a folded word (as PLAIN analyses text) is one a query searched for: its
    stem is a searched stem, or it fits a wildcard, or it is near a fuzzy word.

    `stems` holds every searched stem, a phrase's too (callers that look at one word at a
    time mark a phrase's words wherever they are); `alone` holds the stems of words
    searched on their own, and `phrases` the phrases, which `marks` finds in running
    text so that a phrase's words are marked only where they make the phrase."""

    stems: frozenset[str]
    patterns: tuple[re.Pattern[str], ...] = ()
    fuzzy: tuple[tuple[str, int], ...] = ()
    alone: frozenset[str] | None = None  # None: every stem in `stems` (no phrases)
    phrases: tuple[PhraseTerms, ...] = ()

    def __call__(self, word: str) -> bool:
        return self._matches(word, self.stems)

    def by_itself(self, word: str) -> bool:
        """Whether the word matches without the words around it (not only as a phrase's)."""
        return self._matches(word, self.stems if self.alone is None else self.alone)

    def _matches(self, word: str, stems: frozenset[str]) -> bool:
        if word not in STOPWORDS and stem(word) in stems:
            return True
        for pattern in self.patterns:
            if pattern.match(word):
                return True
        for target, distance in self.fuzzy:
            if _within(word, target, distance):
                return True
        return False

    def marks(self, words: Sequence[str]) -> list[bool]:
        """Which of a text's words (folded, in order) to mark: a word searched on its own
        wherever it is; a phrase's words where they stand in the phrase's order, with no
        more than its slop between them (stopwords not counted: the index drops them and
        renumbers the positions, so "president of the council" is two words apart)."""
        return self.marks_stemmed(words, [stem(word) if word and word not in STOPWORDS
                                          else None for word in words])

    def marks_stemmed(self, words: Sequence[str],
                      stems: Sequence[str | None]) -> list[bool]:
        """marks() of words whose stems are known (None: a stopword, or no word)."""
        if self.patterns or self.fuzzy:
            marked = [bool(word) and self.by_itself(word) for word in words]
        else:
            marked = list(map((self.stems if self.alone is None else self.alone)
                              .__contains__, stems))
        if not self.phrases:
            return marked
        # C-level passes over the text's stems; Python steps only at a phrase's first word
        held = list(map(is_not, stems, repeat(None)))
        where = list(compress(count(), held))  # kept position -> token index
        kept = list(compress(stems, held))
        present = set(kept)
        for terms, slop in self.phrases:
            if not present.issuperset(terms):
                continue
            for found in _occurrences(kept, terms, slop):
                for position in found:
                    marked[where[position]] = True
        return marked


def word_matcher(node: q.Node, fields: Collection[str] | None = None) -> WordMatcher | None:
    """The matcher of the words the query searched for in any of `fields` (a word
    without a field searches the default fields); None when no word can match. Engines
    highlight their hits with it, so every engine marks alike."""
    alone: set[str] = set()
    phrases: list[PhraseTerms] = []
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
        elif isinstance(leaf, q.Term):
            terms = tuple(analyse(leaf.text))
            if len(terms) > 1:  # a word the analysis parts ("al-Qaim", Chinese characters)
                phrases.append((terms, 0))  # is searched as their phrase
            else:
                alone.update(terms)
        elif isinstance(leaf, q.Phrase):
            terms = tuple(term for word in leaf.words for term in analyse(word))
            if len(terms) == 1:  # the other words were stopwords: one word, anywhere
                alone.update(terms)
            elif terms:
                phrases.append((terms, leaf.slop))
    stems = alone | {term for terms, _ in phrases for term in terms}
    if not (stems or patterns or fuzzy):
        return None
    return WordMatcher(frozenset(stems), tuple(patterns), tuple(fuzzy),
                       frozenset(alone) if phrases else None, tuple(dict.fromkeys(phrases)))


def _occurrences(stems: Sequence[str], terms: tuple[str, ...],
                 slop: int) -> Iterator[tuple[int, ...]]:
    """Where a phrase stands among a text's stems: the positions of its terms, in order,
    each at most 1 + slop positions after the one before (the Whoosh engine's reading of
    "a b"~N, which the tantivy engine's matches include)."""
    reach = 1 + slop

    def extend(found: tuple[int, ...]) -> tuple[int, ...] | None:
        if len(found) == len(terms):
            return found
        wanted, last = terms[len(found)], found[-1]
        for position in range(last + 1, min(len(stems), last + reach + 1)):
            if stems[position] == wanted and (done := extend((*found, position))):
                return done
        return None

    for start in compress(count(), map(terms[0].__eq__, stems)):
        if found := extend((start,)):
            yield found


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
