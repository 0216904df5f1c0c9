"""Named fault points: `NEWSARCHIVE_FAULT=<point>` kills the process (SIGKILL) when it gets
there, so that the reliability suite crashes ingest and rebuild at the moments that matter
on purpose (a random kill rarely lands in the short window between two steps).

`<point>@N` kills at the Nth time the point is reached (default the first). Unset (always,
outside tests), reach() costs one environment lookup."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Iterator
from typing import TypeVar

ENV = "NEWSARCHIVE_FAULT"
T = TypeVar("T")

# Every point, in the order a `rebuild SOURCES` reaches them; tests and the bench run each.
POINTS = (
    "ingest:before-commit",  # a batch of files written, its transaction not yet committed
    "ingest:after-batch",  # a batch committed, the next not begun
    "ingest:before-removals",  # every file stored; files gone from the folders not removed
    "ingest:end",  # ingest done, the index not yet touched
    "index:mid-build",  # a full build half way through the articles
    "index:snapshot-complete-before-swap",  # a new snapshot whole, `current` not yet moved
    "index:after-swap-before-cleanup",  # `current` moved, old snapshots not yet removed
    "index:before-forget-retired",  # swapped and cleaned; retired versions still kept
    "index:incremental-before-meta",  # an update committed, snapshot.json still the old one
)

_reached: dict[str, int] = {}


def reach(point: str) -> None:
    """Kill this process here when $NEWSARCHIVE_FAULT names this point."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    if point not in POINTS:  # a misspelt call site would never fire: fail loudly instead
        raise ValueError(f"unknown fault point {point!r}")
    name, _, nth = wanted.partition("@")
    if name != point:
        return
    _reached[point] = _reached.get(point, 0) + 1
    if _reached[point] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def passing(items: Iterable[T], point: str, after: int) -> Iterator[T]:
    """The items, reaching `point` once `after` of them have gone by (mid-way through a
    build that consumes them)."""
    for number, item in enumerate(items, 1):
        yield item
        if number == after:
            reach(point)
