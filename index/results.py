"""Engine-neutral pieces of a result page, shared by every engine: facet values from raw
counts (order, facet_limit, selected values kept), the date histogram, page bounds, and
highlighted headlines and snippets. Engines only count and find; this shapes."""

from __future__ import annotations

import heapq
import re
import time
from bisect import bisect_left
from html import escape
from itertools import accumulate

from archive.model import KINDS
from index import query as q
from index.analysis import STOPWORDS, TOKEN_PATTERN, fold, stem
from index.engine import FACETS, Capped, Facet, FacetValue, PageOutOfRange, SearchRequest
from index.highlight import WordMatcher, word_matcher
from index.quality import OCR_LEVELS

Counts = dict[str, dict[str, int]]  # facet name -> value -> articles
CHRONOLOGICAL = {"year", "month"}
# Facets of a few known values, listed in their own order (OCR levels best first), whole
FIXED_ORDER = {"kind": KINDS, "ocr": OCR_LEVELS}
SNIPPET_CHARS = 240
FEW_HITS = 3  # below this many results, look for a better spelling
# Longer words are not respelled: no misspelling is that long, and comparing one with every
# word of the vocabulary took Whoosh 45 s for a word of 600 letters.
RESPELL_MAX = 30
_WORD = re.compile(r"\w")


def page_bounds(total: int, request: SearchRequest) -> tuple[int, int]:
    """(start, stop) of the requested page among `total` ordered hits; PageOutOfRange past
    the last page (page 1 of no hits is fine: it is empty)."""
    last_page = max(1, -(-total // request.page_size))
    if request.page > last_page:
        raise PageOutOfRange(f"page {request.page} is past the last page ({last_page})")
    start = (request.page - 1) * request.page_size
    return start, min(total, start + request.page_size)


class Bounds:
    """How one search is bounded as it runs: its deadline (the request's time limit), the
    wildcard and fuzzy terms cut to their budget (leaf -> words searched), and whether the
    deadline stopped any part of it (then the answer is partial)."""

    def __init__(self, time_limit: float | None = None):
        self.start, self.limit = time.monotonic(), time_limit
        self.capped: dict[q.Leaf, int] = {}
        self.partial = False

    def left(self) -> float | None:
        """Seconds left (0 or less once passed); None without a limit."""
        return None if self.limit is None else self.start + self.limit - time.monotonic()

    def stop(self, share: float = 1.0) -> bool:
        """Whether the work under way must stop here because `share` of the time limit has
        passed (a first stage leaves the rest to the next); the answer becomes partial."""
        passed = self.limit is not None and time.monotonic() >= self.start + share * self.limit
        self.partial = self.partial or passed
        return passed

    def notes(self) -> tuple[Capped, ...]:
        """The capped terms in query order, as the query writes them."""
        return tuple(Capped(q.unparse(leaf), words) for leaf, words in self.capped.items())


def respellable(word: str) -> bool:
    """Whether "did you mean" may look for a better spelling of this word."""
    return len(word) <= RESPELL_MAX


def facets(counts: Counts, request: SearchRequest) -> tuple[Facet, ...]:
    """Every facet in UI order from exact counts: dates chronological and complete (the
    histogram needs them all), kinds and OCR levels in their own order, others by count
    then name, cut to facet_limit but always keeping the selected values (with 0 if
    nothing matches), so a reader can remove them."""
    shaped = []
    for name in FACETS:
        found = dict(counts.get(name, {}))
        chosen = set(request.selected(name))
        for value in chosen - found.keys():
            found[value] = 0
        if name in CHRONOLOGICAL:
            ordered = sorted(found.items())
        elif name in FIXED_ORDER:
            known = FIXED_ORDER[name]
            ordered = sorted(found.items(), key=lambda kv: (
                known.index(kv[0]) if kv[0] in known else len(known), kv[0]))
        else:
            ordered = sorted(found.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
        limit = 0 if name in CHRONOLOGICAL or name in FIXED_ORDER else request.facet_limit
        shown = ordered if not limit else keep_selected(ordered, chosen, limit)
        shaped.append(Facet(name, tuple(_value(v, c, v in chosen) for v, c in shown),
                            total_values=len(ordered)))
    return tuple(shaped)


_VALUES: dict[tuple[str, int, bool], FacetValue] = {}


def _value(value: str, count: int, selected: bool) -> FacetValue:
    """A FacetValue, shared: they are immutable, and a page can hold hundreds (every month
    of the histogram) whose creation cost more than the engine's counting."""
    key = (value, count, selected)
    found = _VALUES.get(key)
    if found is None:
        if len(_VALUES) >= 200_000:
            _VALUES.clear()
        found = _VALUES[key] = FacetValue(value, count, selected)
    return found


def keep_selected(ordered: list[tuple[str, int]], chosen: set[str],
                  limit: int) -> list[tuple[str, int]]:
    """The first `limit` values, plus any selected value beyond them."""
    return ordered[:limit] + [kv for kv in ordered[limit:] if kv[0] in chosen]


def histogram(shaped: tuple[Facet, ...],
              request: SearchRequest) -> tuple[tuple[str, int], ...]:
    """Years, or the months of the one selected year (counts ignore the date facets)."""
    by_name = {f.name: f for f in shaped}
    years = request.selected("year")
    if len(years) == 1 and "month" in by_name:
        return tuple((v.value, v.count) for v in by_name["month"].values
                     if v.value.startswith(years[0]))
    if "year" in by_name:
        return tuple((v.value, v.count) for v in by_name["year"].values)
    return ()


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


class Highlighter:
    """Marks the words a query searched for, for engines that cannot say which terms a
    hit matched: whole headlines, and body snippets chosen and formatted exactly as
    Whoosh's ContextFragmenter(maxchars=240, surround=70), BasicFragmentScorer, top 2 and
    SnippetFormatter do, but on plain tuples (several times faster). One per result page:
    the matcher's answers are remembered across its hits."""

    def __init__(self, matches: WordMatcher | None):
        self.matches = matches
        self._seen: dict[str, str | None] = {}  # token as printed -> folded word if matched

    def _tokens(self, text: str) -> tuple[list[_Token], bool]:
        """Every token (start, end, folded word if matched else ""), in C-level passes
        but for the words not met yet on this page."""
        parts = _SPLIT.split(text)  # gap, token, gap, token, ..., gap
        printed = parts[1::2]
        seen, matches = self._seen, self.matches
        for token in set(printed).difference(seen):
            word, stemmed = _folded(token)
            if not word:
                seen[token] = None
            elif stemmed in matches.stems or (
                    (matches.patterns or matches.fuzzy) and matches(word)):
                seen[token] = word
            else:
                seen[token] = ""
        words = list(map(seen.__getitem__, printed))
        bounds = list(accumulate(map(len, parts)))  # token k spans bounds[2k]:bounds[2k+1]
        tokens = list(zip(bounds[0:-1:2], bounds[1::2], words, strict=True))
        if None in words:  # only combining marks: folds to nothing, not a token at all
            tokens = [t for t in tokens if t[2] is not None]
        if matches.phrases and any(words):
            # a phrase's words are marked only where they make the phrase (index.highlight)
            keep = matches.marks([_folded(text[start:end])[0] for start, end, _ in tokens])
            tokens = [(start, end, word if kept else "")
                      for (start, end, word), kept in zip(tokens, keep, strict=True)]
            return tokens, any(keep)
        return tokens, any(words)

    def whole(self, text: str) -> str:
        """The text with every matched word in <mark>, or "" if none matched."""
        if self.matches is None or not text:
            return ""
        tokens, found = self._tokens(text)
        if not found:
            return ""
        return _Marks().fragment(text, 0, len(text), [t for t in tokens if t[2]])

    def snippet(self, text: str) -> str:
        """The best two fragments around matched words, or "" if none matched."""
        if self.matches is None or not text:
            return ""
        tokens, found = self._tokens(text)
        if not found:
            return ""
        scored = []
        for start, end, matched in _fragments(tokens):
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


_FOLDED: dict[str, tuple[str, str | None]] = {}


def _folded(token: str) -> tuple[str, str | None]:
    """A printed token's folded word and stem (None for a stopword), remembered across
    searches: the same words come back page after page."""
    found = _FOLDED.get(token)
    if found is None:
        if len(_FOLDED) >= 200_000:
            _FOLDED.clear()
        word = fold(token)
        found = _FOLDED[token] = word, (stem(word) if word not in STOPWORDS else None)
    return found


def _fragments(tokens: list[_Token], maxchars: int = SNIPPET_CHARS, surround: int = 70):
    """Whoosh's ContextFragmenter.fragment_tokens, yielding (start, end, matched) exactly as
    it does (checked against a step-by-step copy on random token streams), but jumping
    from match to match: between fragments Whoosh only keeps the starts of the unmatched
    tokens within `surround` characters, which a bisection finds."""
    count = len(tokens)
    starts = [token[0] for token in tokens]
    free = 0  # the first token that may still be among Whoosh's kept starts
    for j in [i for i, token in enumerate(tokens) if token[2]]:
        if j < free:
            continue
        first = None
        if j > free:
            kept = bisect_left(starts, tokens[j - 1][1] - surround, free, j)
            first = starts[kept] if kept < j else None
        countdown, currentlen, matched, end = -1, 0, [], 0
        for i in range(j, count):
            start, end, word = tokens[i]
            length = end - start
            if currentlen + length > maxchars:
                countdown = 0
            elif word:
                countdown = surround
                if first is None:
                    first = start
                    countdown += surround  # no context before: more after
                matched.append(tokens[i])
            currentlen += length
            countdown -= length
            if countdown <= 0:
                yield _start(first, matched), end, matched
                free = i + 1
                if countdown == 0 and i + 1 < count and not tokens[i + 1][2]:
                    free = i + 2  # Whoosh's quirk: it uses up that token without keeping it
                break
        else:
            if matched:
                yield _start(first, matched), end, matched
            return


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
        for first, last, _ in matched:
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


def _escape_text(text: str) -> str:
    return escape(text, quote=False)
