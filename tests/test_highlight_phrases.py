"""A phrase's words are marked where they make the phrase, as a plain word-by-word walk
over the text's stems marks them (stopwords skipped, slop counted between kept words)."""

from __future__ import annotations

import random

import pytest

from index.highlight import WordMatcher


def _reference(matcher: WordMatcher, stems: list[str | None]) -> list[bool]:
    """The straightforward reading: every start of the phrase's first word, each next
    word within 1 + slop kept positions, marked along the first chain found."""
    alone = matcher.stems if matcher.alone is None else matcher.alone
    marked = [s in alone for s in stems]
    kept = [(i, s) for i, s in enumerate(stems) if s is not None]
    for terms, slop in matcher.phrases:
        for start in range(len(kept)):
            chain = _chain(kept, terms, slop, [start]) if kept[start][1] == terms[0] else None
            for position in chain or ():
                marked[kept[position][0]] = True
    return marked


def _chain(kept, terms, slop, found):
    if len(found) == len(terms):
        return found
    last = found[-1]
    for position in range(last + 1, min(len(kept), last + slop + 2)):
        if kept[position][1] == terms[len(found)] and \
                (done := _chain(kept, terms, slop, [*found, position])):
            return done
    return None


@pytest.mark.parametrize("seed", range(40))
def test_phrase_marks_agree_with_a_plain_walk(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = ["oil", "price", "rise", "gulf", None]
    stems = [rng.choice(vocabulary) for _ in range(rng.randint(0, 60))]
    phrases = ((("oil", "price"), rng.randint(1, 3)), (("price", "rise", "oil"), 1))
    alone = frozenset(rng.sample(["gulf", "rise"], rng.randint(0, 2)))
    matcher = WordMatcher(frozenset({"oil", "price", "rise"}) | alone, alone=alone,
                          phrases=phrases)
    words = [s or "" for s in stems]
    assert matcher.marks_stemmed(words, stems) == _reference(matcher, stems)
