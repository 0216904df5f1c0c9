"""The problems of a unit's parts (a METS issue's pages, a page series' files) as one line
an operator can read: the parts that share a reason are named first to last and counted
under it ("page 1 (00000001.xml) to page 333 (00000333.xml), 333 in all: a URL ..."), not
listed one by one (an issue of 333 pages named 333 times is a reason no one reads)."""

from __future__ import annotations

from collections.abc import Sequence

GROUPED_FROM = 3  # parts with one reason, at least, named first to last and counted


def summary(problems: Sequence[str]) -> str:
    """The problems ("where: why" each, or a sentence), joined; those sharing a why that
    name GROUPED_FROM places or more, in one entry at the place of the first."""
    by_reason: dict[str, list[str]] = {}
    for problem in problems:
        where, colon, reason = problem.partition(": ")
        if not colon:
            where, reason = "", problem
        by_reason.setdefault(reason, []).append(where)
    parts: list[str] = []
    for reason, places in by_reason.items():
        named = [where for where in places if where]
        if len(named) >= GROUPED_FROM:
            parts.append(f"{named[0]} to {named[-1]}, {len(named)} in all: {reason}")
            named = []
        parts.extend(f"{where}: {reason}" for where in named)
        parts.extend(reason for where in places if not where)
    return "; ".join(parts)
