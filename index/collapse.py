"""Collapsing the printings of one story into one result line, the same way on every engine.

A story's key is its cluster id (archive.clusters: the founder's article id), or the
article's own id when it was printed once. The collapsed list is the engine's ordered
list of printings with every printing after its story's first left out: a story stands
where its best match (relevance) or its first printing in a date order stands, and a page
is a slice of that one list, so pages are stable. An engine fetches an ordered prefix of
its hits, long enough for the page's last story (estimated from how many printings a
story has among all the matches, and lengthened when a cluster crowds the top), never the
whole result set for a page near the start.

Story counts are exact: stories = matches - clustered matches + distinct clusters among
them; only printings of clusters of two or more (a small share of an archive) are counted
one by one, from a per-document array of cluster ordinals (Whoosh) or a terms
aggregation (tantivy)."""

from __future__ import annotations

import hashlib
import math
import string
from collections.abc import Callable, Hashable, Sequence

import numpy as np

from archive.model import Article

SLACK = 1.25  # fetch this much more than the estimate says: one pass, nearly always
_HEX = frozenset(string.hexdigits)
_EXACT_HEX = 15  # hex ids up to this long are their own number (< 2**60): no collisions


def story_key(article: Article) -> str:
    """The key an article's story is collapsed and filtered by."""
    return article.cluster_id or article.id


def shares(article: Article) -> bool:
    """Whether the article's story has other printings (its cluster id is worth counting)."""
    return article.cluster_id is not None and article.cluster_size > 1


def numeric_key(key: str) -> int:
    """An unsigned 64-bit number for a story key (an engine's numeric column): the id
    itself for hexadecimal ids (the store's are 12 hex digits), else a 63-bit hash with the
    top bit set, so the two kinds never meet."""
    if 0 < len(key) <= _EXACT_HEX and set(key) <= _HEX:
        return int(key, 16)
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") | (1 << 63)


def first_limit(stop: int, total: int, stories: int) -> int:
    """How many ordered hits to fetch for the first `stop` stories: as many printings as
    that many stories have on average among the matches, with slack."""
    if stop <= 0 or total <= 0:
        return 0
    per_story = total / max(1, stories)
    return min(total, math.ceil(stop * per_story * SLACK) + 16)


def next_limit(limit: int, found: int, stop: int, total: int) -> int:
    """A longer prefix when `limit` hits held only `found` of the `stop` stories needed:
    at least twice as long, or as long as the stories found so far say it must be (the
    whole result set at most)."""
    wanted = math.ceil(limit * stop / max(1, found) * SLACK) if found else limit * 4
    return min(total, max(2 * limit, wanted, 1))


def firsts(keys: Sequence[Hashable], need: int) -> list[int]:
    """Positions of the first hit of each story in an ordered prefix, up to `need`."""
    seen: set[Hashable] = set()
    found: list[int] = []
    for position, key in enumerate(keys):
        if key not in seen:
            seen.add(key)
            found.append(position)
            if len(found) >= need:
                break
    return found


Fetch = Callable[[int], tuple[Sequence[Hashable], bool]]


def page_of_stories(fetch: Fetch, start: int, stop: int, total: int,
                    stories: int) -> list[int]:
    """Positions, in the engine's last fetched prefix, of the stories start..stop of the
    collapsed list. `fetch(limit)` returns the story keys of the ordered prefix the engine
    holds, fetching (again) at least `limit` hits first when it holds fewer (0: what it
    already holds), and whether they are every hit; keys whose order is not settled yet
    are left out."""
    limit = 0
    while True:
        keys, everything = fetch(limit)
        found = firsts(keys, stop)
        if len(found) >= stop or everything or 0 < total <= limit:
            return found[start:stop]
        grown = next_limit(max(limit, len(keys)), len(found), stop, total)
        limit = max(first_limit(stop, total, stories), grown) if limit == 0 else grown


def distinct_count(ordinals: np.ndarray) -> tuple[int, np.ndarray]:
    """(distinct values, count of each value) of non-negative cluster ordinals."""
    if ordinals.size == 0:
        return 0, np.zeros(0, dtype=np.int64)
    counts = np.bincount(ordinals)
    return int(np.count_nonzero(counts)), counts
