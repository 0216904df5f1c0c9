"""Which stored item holds each true line: text alignment by shingles, robust to the
ingester's repairs (joined hyphenations, fixed quotes, removed furniture lines, datelines
and bylines moved into fields), since both sides are compared as normalised tokens.

A line votes with every shingle (3 consecutive tokens of its page, in file order) that
holds at least one of its tokens; an item that holds the shingle gets the vote, weighted
1 / (how many items hold it), so a phrase common to many items says little. Among the
items holding at least half as many of these shingles as the line has of its own, the
one with most votes holds the line (a tie goes to the item of the line before, then to
the first item). A line of one or two tokens no shingle places goes to the item of the
line before or after it in its block, if that item holds its tokens as a run, else to the
one item that starts or ends with them; otherwise, like a longer line no shingle places,
it is in no item (a lone "3" found inside some item says nothing)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bench.truth import Line, tokens_of

SHINGLE = 3


@dataclass(frozen=True)
class Predicted:
    """One item the ingester (or a baseline) made: its text as normalised tokens."""

    key: str  # unique within an issue
    kind: str  # article | advertisement | notice | other
    tokens: tuple[str, ...]


def stored_tokens(headline: str | None, subtitle: str | None, byline: str | None,
                  dateline: str | None, paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Every word a stored article holds, in its printed order: headline, subtitle,
    byline, dateline, then its paragraphs."""
    parts = [headline, subtitle, byline, dateline, *paragraphs]
    return tuple(t for part in parts if part for t in tokens_of(part))


class Index:
    """The shingles and short runs of a set of items, to look lines up in."""

    def __init__(self, items: Sequence[Predicted]):
        self.items = list(items)
        self.shingles: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self.runs: dict[tuple[str, ...], set[int]] = defaultdict(set)  # 1 and 2 tokens
        self.edges: dict[tuple[str, ...], set[int]] = defaultdict(set)  # runs of 1 and 2
        #                                       tokens an item starts or ends with
        for number, item in enumerate(self.items):
            tokens = item.tokens
            for size in (1, 2):
                if len(tokens) >= size:
                    self.edges[tokens[:size]].add(number)
                    self.edges[tokens[-size:]].add(number)
            for i in range(len(tokens)):
                self.runs[tokens[i:i + 1]].add(number)
                if i + 2 <= len(tokens):
                    self.runs[tokens[i:i + 2]].add(number)
                if i + SHINGLE <= len(tokens):
                    self.shingles[tokens[i:i + SHINGLE]].add(number)


def assign(lines: Sequence[Line], index: Index) -> list[int | None]:
    """For each line of one page (in file order), the number of the item in index that
    holds it, or None (dropped, or furniture the ingester removed)."""
    stream: list[str] = []
    starts: list[int] = []
    for line in lines:
        starts.append(len(stream))
        stream.extend(line.tokens)
    held: list[int | None] = [None] * len(lines)
    previous: int | None = None
    for number, line in enumerate(lines):
        size = len(line.tokens)
        if not size:
            continue
        votes: dict[int, float] = defaultdict(float)
        counts: dict[int, int] = defaultdict(int)
        first = max(0, starts[number] - SHINGLE + 1)
        last = min(starts[number] + size, len(stream) - SHINGLE + 1)
        for k in range(first, last):
            holders = index.shingles.get(tuple(stream[k:k + SHINGLE]))
            if holders:
                for item in holders:
                    votes[item] += 1.0 / len(holders)
                    counts[item] += 1
        # Half the line's own shingles, so that a phrase or two an unrelated item happens
        # to share ("the earl of") does not place a line in it.
        need = max(1, -(-(size - SHINGLE + 1) // 2))
        votes = {i: v for i, v in votes.items() if counts[i] >= need}
        if votes:
            best = max(votes.values())
            tied = sorted(i for i, v in votes.items() if v >= best - 1e-9)
            held[number] = previous if previous in tied else tied[0]
            previous = held[number]
    for number, line in enumerate(lines):
        if held[number] is None and 0 < len(line.tokens) < SHINGLE:
            held[number] = _short(number, lines, held, index)
    return held


def _short(number: int, lines: Sequence[Line], held: list[int | None],
           index: Index) -> int | None:
    """The item holding a line of one or two tokens: that of the line before or after it
    in its block, if that item holds the line's tokens as a run; else the one item that
    starts or ends with them (a headline, the tail of a column)."""
    run = tuple(lines[number].tokens)
    holders = index.runs.get(run, set())
    for step in (-1, 1):
        other = number + step
        while 0 <= other < len(lines) and not lines[other].tokens:
            other += step
        if 0 <= other < len(lines) and lines[other].block == lines[number].block \
                and held[other] in holders:
            return held[other]
    edges = index.edges.get(run, set())
    return next(iter(edges)) if len(edges) == 1 else None
