"""The search words' matches on an article page, numbered in reading order so that a reader
can go from one to the next: each match is an anchor (#match-1, ...) followed by its own
"previous / next match" links, which the stylesheet shows while that match is the page's
target (no script needed; web/static/matches.js adds the n and p keys)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup

from web import urls

# A match: marked words with only spaces between them ("oil prices" is one match, not two)
_RUN = re.compile(r"<mark>[^<]*</mark>(?:\s+<mark>[^<]*</mark>)*")


def number(parts: Sequence[Markup]) -> tuple[list[Markup], int]:
    """The highlighted HTML of a page's parts (headline, paragraphs: the highlighter's
    escaped text with only <mark> added) with every match wrapped in a numbered anchor,
    counted across them, and how many matches there are. The marks stay as they were."""
    total = sum(len(_RUN.findall(str(part))) for part in parts)
    seen = 0

    def anchor(found: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        return (f'<span class="match" id="{urls.match(seen)}" tabindex="-1">{found.group()}'
                f"</span>{_links(seen, total)}")

    return [Markup(_RUN.sub(anchor, str(part))) for part in parts], total


def _links(n: int, total: int) -> str:
    """The links beside match n: where it is among them all, the previous and the next."""
    prev = (f'<a class="match-prev" href="#{urls.match(n - 1)}">↑ Previous match</a>'
            if n > 1 else '<span class="match-end">First match</span>')
    after = (f'<a class="match-next" href="#{urls.match(n + 1)}">Next match ↓</a>'
             if n < total else '<span class="match-end">Last match</span>')
    return (f'<span class="match-nav" lang="en" dir="ltr"><span class="match-count">Match '
            f'{n:,} of {total:,}</span> {prev} {after}</span>')
