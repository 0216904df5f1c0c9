"""Engine-neutral pieces of a result page, shared by every engine: facet values from raw
counts (order, facet_limit, selected values kept), the date histogram, page bounds (and,
from index.snippets, highlighted headlines and snippets). Engines only count and find;
this shapes."""

from __future__ import annotations

import time

from archive.model import KINDS
from index import query as q
from index.engine import FACETS, Capped, Facet, FacetValue, PageOutOfRange, SearchRequest
from index.quality import OCR_LEVELS
from index.snippets import SNIPPET_CHARS, Highlighter, lead, matcher  # noqa: F401 (shared names)
from index.unparse import unparse

Counts = dict[str, dict[str, int]]  # facet name -> value -> articles
CHRONOLOGICAL = {"year", "month"}
# Facets of a few known values, listed in their own order (OCR levels best first), whole
FIXED_ORDER = {"kind": KINDS, "ocr": OCR_LEVELS}
FEW_HITS = 3  # below this many results, look for a better spelling
# Longer words are not respelled: no misspelling is that long, and comparing one with every
# word of the vocabulary took Whoosh 45 s for a word of 600 letters.
RESPELL_MAX = 30


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
        return tuple(Capped(unparse(leaf), words) for leaf, words in self.capped.items())


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
        shaped.append(Facet(name, _values(shown, chosen), total_values=len(ordered)))
    return tuple(shaped)


def _values(shown: list[tuple[str, int]], chosen: set[str]) -> tuple[FacetValue, ...]:
    """The FacetValues of (value, count) pairs; those of values not selected (nearly all)
    are looked up in one pass, by the very pairs."""
    if chosen:
        return tuple(_value(v, c, v in chosen) for v, c in shown)
    values = list(map(_VALUES[False].get, shown))
    if not all(values):  # (FacetValue has no __bool__: `None in` would call its __eq__)
        values = [found or _value(v, c, False)
                  for found, (v, c) in zip(values, shown, strict=True)]
    return tuple(values)


# selected or not -> (value, count) -> its FacetValue
_VALUES: dict[bool, dict[tuple[str, int], FacetValue]] = {False: {}, True: {}}


def _value(value: str, count: int, selected: bool) -> FacetValue:
    """A FacetValue, shared: they are immutable, and a page can hold hundreds (every month
    of the histogram) whose creation cost more than the engine's counting."""
    made = _VALUES[selected]
    found = made.get((value, count))
    if found is None:
        if len(made) >= 100_000:
            made.clear()
        found = made[value, count] = FacetValue(value, count, selected)
    return found


def keep_selected(ordered: list[tuple[str, int]], chosen: set[str],
                  limit: int) -> list[tuple[str, int]]:
    """The first `limit` values, plus any selected value beyond them."""
    return ordered[:limit] + [kv for kv in ordered[limit:] if kv[0] in chosen]


def histogram(shaped: tuple[Facet, ...],
              request: SearchRequest) -> tuple[tuple[str, int], ...]:
    """Years, or the months of the one selected year, or of the one year every hit lies
    in (a bar of one year says nothing); counts ignore the date facets."""
    by_name = {f.name: f for f in shaped}
    years = request.selected("year")
    if not years and "year" in by_name:
        present = [v.value for v in by_name["year"].values if v.count]
        years = present if len(present) == 1 else ()
    if len(years) == 1 and "month" in by_name:
        return tuple((v.value, v.count) for v in by_name["month"].values
                     if v.value.startswith(years[0]))
    if "year" in by_name:
        return tuple((v.value, v.count) for v in by_name["year"].values)
    return ()
