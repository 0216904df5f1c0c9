"""Highlighted headlines and body snippets for engines that cannot say which terms a hit
matched: the words a query searched marked in <mark>, snippets chosen as Whoosh chooses
them. A result page costs one tokenisation of each shown text; which printed forms match
comes from an index of every form met (form -> folded word and stem, stem -> forms), so
most texts need no Python step per token."""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections.abc import Collection
from html import escape
from itertools import accumulate, compress, count, repeat
from operator import itemgetter

from index import query as q
from index.analysis import STOPWORDS, TOKEN_PATTERN, fold, stem
from index.highlight import WordMatcher, word_matcher

SNIPPET_CHARS = 240
_WORD = re.compile(r"\w")


def lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of a text, cut at a word, with " …" when it goes on."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"


def matcher(node: q.Node, field: str) -> WordMatcher | None:
    """Which folded words of one field's text the query searched for (None: no word)."""
    return word_matcher(node, (field,))


# TOKEN_PATTERN with a group: split() then alternates gaps and tokens, which gives every
# token's offsets for the price of one C call (finditer's match objects cost twice that).
_SPLIT = re.compile(f"({TOKEN_PATTERN.pattern})")
_Token = tuple[int, int, str]  # start, end, folded word (matched ones only)
# a text's tokens as three lists: starts, ends, folded words if matched else ""
_Tokens = tuple[list[int], list[int], list[str]]


class Highlighter:
    """Marks the words a query searched for, for engines that cannot say which terms a
    hit matched: whole headlines, and body snippets chosen and formatted exactly as
    Whoosh's ContextFragmenter(maxchars=240, surround=70), BasicFragmentScorer, top 2 and
    SnippetFormatter do, but on plain tuples (several times faster). One per result page:
    the matcher's answers are remembered across its hits."""

    def __init__(self, matches: WordMatcher | None):
        self.matches = matches
        self._seen: dict[str, str | None] = {}  # token as printed -> folded word if matched
        # Stems alone (no wildcard, no fuzzy word): the printed forms of the searched stems
        # come from a shared index of every token seen, no Python step per token.
        self._by_stem = matches is not None and not (matches.patterns or matches.fuzzy)

    def _tokens(self, text: str) -> _Tokens | None:
        """Every token's start, end and folded word if matched else "", in C-level passes
        but for the words never met before; None when no word matched."""
        parts = _SPLIT.split(text)  # gap, token, gap, token, ..., gap
        printed = parts[1::2]
        matches, known = self.matches, _PRINTED
        words = list(map((self._found_by_stem(printed, known) if self._by_stem
                          else self._found_one_by_one(printed)).get, printed, repeat("")))
        if not any(words):
            return None
        bounds = list(accumulate(map(len, parts)))  # token k spans bounds[2k]:bounds[2k+1]
        starts, ends = bounds[0:-1:2], bounds[1::2]
        if None in words:  # only combining marks: folds to nothing, not a token at all
            real = [w is not None for w in words]
            starts, ends, words, printed = (list(compress(seq, real))
                                            for seq in (starts, ends, words, printed))
        if matches.phrases:
            # a phrase's words are marked only where they make the phrase (index.highlight)
            if not self._by_stem:  # (_found_by_stem added them all to `known`)
                known.add(printed)
            folded = list(map(known.folded.__getitem__, printed))
            keep = matches.marks_stemmed(list(map(itemgetter(0), folded)),
                                         list(map(itemgetter(1), folded)))
            if not any(keep):
                return None
            for i in list(compress(count(), words)):  # the few matched tokens only
                if not keep[i]:
                    words[i] = ""
        return starts, ends, words

    def whole(self, text: str) -> str:
        """The text with every matched word in <mark>, or "" if none matched."""
        if self.matches is None or not text:
            return ""
        tokens = self._tokens(text)
        if tokens is None:
            return ""
        return _Marks().fragment(text, 0, len(text), _matched(*tokens))

    def snippet(self, text: str) -> str:
        """The best two fragments around matched words, or "" if none matched."""
        if self.matches is None or not text:
            return ""
        tokens = self._tokens(text)
        if tokens is None:
            return ""
        scored = []
        for start, end, matched in _fragments(*tokens):
            score = len(matched) * (len({t[2] for t in matched}) * 100 or 1)
            if score >= 1:
                scored.append((score, start, end, matched))
        best = sorted(heapq.nlargest(2, scored, key=lambda f: (f[0], f[1])),
                      key=lambda f: f[1])
        if not best:
            return ""
        marks = _Marks()
        html = " … ".join(marks.fragment(text, start, end, matched)
                          for _, start, end, matched in best)
        if _WORD.search(text, 0, best[0][1]):
            html = "… " + html
        tail = text[best[-1][2]:]
        # "…" if words follow; the closing punctuation if the text ends here
        return html + (" …" if _WORD.search(tail) else escape(tail.rstrip()))

    def _found_by_stem(self, printed: list[str], known: _Printed) -> dict[str, str | None]:
        """Printed form -> folded word, for the text's matched forms (and None for its
        forms that fold to nothing): set operations on the shared index of forms."""
        distinct = set(printed)
        known.add(distinct)
        found: dict[str, str | None] = {}
        for stemmed in self.matches.stems:
            for form in known.by_stem.get(stemmed, _NONE) & distinct:
                found[form] = known.folded[form][0]
        for form in known.empty & distinct:
            found[form] = None
        return found

    def _found_one_by_one(self, printed: list[str]) -> dict[str, str | None]:
        """The same with wildcards or fuzzy words: every form not met yet on this page
        asked of the matcher."""
        seen, matches = self._seen, self.matches
        known = _PRINTED
        new = set(printed).difference(seen)
        known.add(new)
        for token in new:
            word, stemmed = known.folded[token]
            if not word:
                seen[token] = None
            elif stemmed in matches.stems or matches(word):
                seen[token] = word
            else:
                seen[token] = ""
        return seen


_NONE: frozenset[str] = frozenset()


class _Printed:
    """Every printed token met (bounded), shared by every search: its folded word and stem
    (None for a stopword or a token that folds to nothing), the tokens of each stem, and
    the tokens that fold to nothing. The same words come back page after page."""

    # tokens (~300-450 bytes each with the stem sets); when full, a fresh one starts, and
    # the frequent words, which most texts are made of, come straight back
    LIMIT = 100_000

    def __init__(self) -> None:
        self.folded: dict[str, tuple[str, str | None]] = {}
        self.by_stem: dict[str, set[str]] = {}
        self.empty: set[str] = set()

    def add(self, tokens: Collection[str]) -> None:
        """Learn the tokens not known yet. A token enters `folded` last: a search in
        another thread that finds it known finds it under its stem too."""
        global _PRINTED
        for token in (tokens if isinstance(tokens, set) else set(tokens)).difference(
                self.folded):
            word = fold(token)
            stemmed = stem(word) if word and word not in STOPWORDS else None
            if stemmed is not None:
                self.by_stem.setdefault(stemmed, set()).add(token)
            elif not word:
                self.empty.add(token)
            self.folded[token] = word, stemmed
        if len(self.folded) > self.LIMIT:  # callers keep this one for their own text
            _PRINTED = _Printed()


_PRINTED = _Printed()


def _fragments(starts: list[int], ends: list[int], words: list[str],
               maxchars: int = SNIPPET_CHARS, surround: int = 70):
    """Whoosh's ContextFragmenter.fragment_tokens, yielding (start, end, matched) exactly as
    it does (checked against a step-by-step copy on random token streams), but jumping
    from match to match: between fragments Whoosh only keeps the starts of the unmatched
    tokens within `surround` characters, which a bisection finds."""
    total = len(words)
    free = 0  # the first token that may still be among Whoosh's kept starts
    for j in list(compress(count(), words)):
        if j < free:
            continue
        first = None
        if j > free:
            kept = bisect_left(starts, ends[j - 1] - surround, free, j)
            first = starts[kept] if kept < j else None
        countdown, currentlen, matched, end = -1, 0, [], 0
        for i in range(j, total):
            start, end, word = starts[i], ends[i], words[i]
            length = end - start
            if currentlen + length > maxchars:
                countdown = 0
            elif word:
                countdown = surround
                if first is None:
                    first = start
                    countdown += surround  # no context before: more after
                matched.append((start, end, word))
            currentlen += length
            countdown -= length
            if countdown <= 0:
                yield _start(first, matched), end, matched
                free = i + 1
                if countdown == 0 and i + 1 < total and not words[i + 1]:
                    free = i + 2  # Whoosh's quirk: it uses up that token without keeping it
                break
        else:
            if matched:
                yield _start(first, matched), end, matched
            return


def _matched(starts: list[int], ends: list[int], words: list[str]) -> list[_Token]:
    """The matched tokens."""
    return [(starts[i], ends[i], words[i]) for i in compress(count(), words)]


def _start(first: int | None, matched: list[_Token]) -> int:
    if first is not None:
        return first
    return matched[0][0] if matched else 0


class _Marks:
    """Whoosh's HtmlFormatter(tagname="mark"): one class per distinct printed match."""

    def __init__(self) -> None:
        self.classes: dict[str, int] = {}

    def fragment(self, text: str, start: int, end: int, matched: list[_Token]) -> str:
        out, index = [], start
        for first, last in _joined(matched):
            if first < index:
                continue
            if first > index:
                out.append(_escape_text(text[index:first]))
            printed = _escape_text(text[first:last])
            number = self.classes.setdefault(printed, len(self.classes) % 5)
            out.append(f'<mark class="match term{number}">{printed}</mark>')
            index = last
        out.append(_escape_text(text[index:end]))
        return "".join(out)


def _joined(matched: list[_Token]) -> list[tuple[int, int]]:
    """The spans to mark: matched tokens with nothing between them are one (the characters
    of a Chinese word, each a token of its own: index.analysis)."""
    spans: list[tuple[int, int]] = []
    for first, last, _ in matched:
        if spans and spans[-1][1] == first:
            spans[-1] = (spans[-1][0], last)
        else:
            spans.append((first, last))
    return spans


def _escape_text(text: str) -> str:
    return escape(text, quote=False)
