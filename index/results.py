"""Engine-neutral pieces of a result page, shared by every engine: facet values from raw
counts (order, facet_limit, selected values kept), the date histogram, page bounds, and
highlighted headlines and snippets. Engines only count and find; this shapes."""

from __future__ import annotations

import heapq
import re
from collections import deque
from collections.abc import Callable, Collection
from html import escape

from whoosh import highlight

from index import query as q
from index.analysis import PLAIN, TOKEN_PATTERN, fold
from index.engine import FACETS, Facet, FacetValue, PageOutOfRange, SearchRequest
from index.highlight import word_matcher

Counts = dict[str, dict[str, int]]  # facet name -> value -> articles
CHRONOLOGICAL = {"year", "month"}
SNIPPET_CHARS = 240
FEW_HITS = 3  # below this many results, look for a better spelling
_WORD = re.compile(r"\w")


def page_bounds(total: int, request: SearchRequest) -> tuple[int, int]:
    """(start, stop) of the requested page among `total` ordered hits; PageOutOfRange past
    the last page (page 1 of no hits is fine: it is empty)."""
    last_page = max(1, -(-total // request.page_size))
    if request.page > last_page:
        raise PageOutOfRange(f"page {request.page} is past the last page ({last_page})")
    start = (request.page - 1) * request.page_size
    return start, min(total, start + request.page_size)


def facets(counts: Counts, request: SearchRequest) -> tuple[Facet, ...]:
    """Every facet in UI order from exact counts: dates chronological and complete (the
    histogram needs them all), others by count then name, cut to facet_limit but always
    keeping the selected values (with 0 if nothing matches), so a reader can remove them."""
    shaped = []
    for name in FACETS:
        found = dict(counts.get(name, {}))
        chosen = set(request.selected(name))
        for value in chosen - found.keys():
            found[value] = 0
        if name in CHRONOLOGICAL:
            ordered = sorted(found.items())
        else:
            ordered = sorted(found.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
        limit = 0 if name in CHRONOLOGICAL else request.facet_limit
        shown = ordered if not limit else keep_selected(ordered, chosen, limit)
        shaped.append(Facet(name, tuple(FacetValue(v, c, v in chosen) for v, c in shown),
                            total_values=len(ordered)))
    return tuple(shaped)


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


class SnippetFormatter(highlight.HtmlFormatter):
    """<mark> around matches, and "…" wherever the text goes on before, between or after
    the fragments, so a reader can tell a snippet starts mid-sentence."""

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ")

    def format(self, fragments, replace=False):
        html = super().format(fragments, replace)
        if not fragments:
            return html
        first, last = fragments[0], fragments[-1]
        if _WORD.search(first.text, 0, first.startchar):
            html = "… " + html
        tail = last.text[last.endchar:]
        # "…" if words follow; the closing punctuation if the text ends here
        html += " …" if _WORD.search(tail) else escape(tail.rstrip())
        return html


def highlight_terms(text: str, terms: Collection[str] | None, analyzer=PLAIN,
                    whole: bool = False) -> str:
    """HTML of text with the tokens `analyzer` turns into one of `terms` in <mark>: the
    whole text (headlines) or the best two fragments (snippets); "" if none match."""
    if not terms or not text:
        return ""
    if whole:
        return highlight.highlight(text, terms, analyzer,
                                   highlight.WholeFragmenter(charlimit=None),
                                   highlight.HtmlFormatter(tagname="mark"), top=1)
    fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70,
                                             charlimit=None)
    return highlight.highlight(text, terms, analyzer, fragmenter, SnippetFormatter(),
                               top=2)


Matcher = Callable[[str], bool]


def matcher(node: q.Node, field: str) -> Matcher | None:
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

    def __init__(self, matches: Matcher | None):
        self.matches = matches
        self._seen: dict[str, str | None] = {}  # token as printed -> folded word if matched

    def _tokens(self, text: str) -> tuple[list[tuple[int, int, str | None]], bool]:
        """Every token with its offsets and, when matched, its folded word."""
        parts = _SPLIT.split(text)
        seen, tokens, found = self._seen, [], False
        position = len(parts[0])
        for index in range(1, len(parts), 2):
            token = parts[index]
            end = position + len(token)
            if token not in seen:
                word = fold(token)
                seen[token] = word if word and self.matches(word) else (
                    "" if word else None)
            word = seen[token]
            if word is not None:  # None: folds to nothing, so not a token at all
                tokens.append((position, end, word))
                found = found or bool(word)
            position = end + len(parts[index + 1])
        return tokens, found

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


def _fragments(tokens: list[tuple[int, int, str]], maxchars: int = SNIPPET_CHARS,
               surround: int = 70):
    """Whoosh's ContextFragmenter.fragment_tokens, step for step: (start, end, matched)."""
    first: int | None = None
    firsts: deque[int] = deque()
    countdown, currentlen, matched, end = -1, 0, [], 0
    for token in tokens:
        start, end, word = token
        length = end - start
        if countdown < 0 and not word:
            firsts.append(start)
            while firsts and end - firsts[0] > surround:
                firsts.popleft()
        elif currentlen + length > maxchars:
            countdown = 0
        elif word:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = start
                    countdown += surround
            matched.append(token)
        if countdown >= 0:
            currentlen += length
            countdown -= length
            if countdown <= 0:
                yield _start(first, matched), end, matched
                first, firsts, currentlen, matched = None, deque(), 0, []
    if matched:
        yield _start(first, matched), end, matched


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
