"""Orders of tantivy hits: equal scores put in id order (so every page of a search agrees
on one order), ordered prefixes of hits for collapsing stories (index.collapse), and the
exact count of stories among a search's matches."""

from __future__ import annotations

import json
from collections import Counter

import tantivy

from index.collapse import numeric_key
from index.ordering import SORT_COLUMNS
from index.tantivy.schema import SHARED, STORED, STORY_KEY

Q, Occur = tantivy.Query, tantivy.Occur
TIE_CAP = 200  # score ties up to this size are ordered by id (bigger: index order)
# Clusters one terms aggregation may list (tantivy's bucket limit); a search matching
# printings of more clusters than that counts them from their story keys instead.
STORY_BUCKETS = 65_000


class Matched:
    """Printings of each cluster among a search's matches, by cluster id (kept by id, or
    by story key when counted from keys)."""

    def __init__(self, counts: dict, by_key: bool = False):
        self.counts, self.by_key = counts, by_key

    def __call__(self, cluster: str) -> int:
        return self.counts.get(numeric_key(cluster) if self.by_key else cluster, 0)

    def __len__(self) -> int:
        return len(self.counts)


def count_stories(searcher: tantivy.Searcher, query: tantivy.Query,
                  total: int | None = None) -> tuple[int, int, Matched]:
    """(printings and stories `query` matches, matched printings by cluster id), given or
    counted in the same pass: one terms aggregation over the printings of shared stories
    (the SHARED field), exact: stories = matches - clustered matches + distinct
    clusters."""
    if total == 0:
        return 0, 0, Matched({})
    aggs = {"c": stories_aggregation()}
    if total is None:
        aggs["n"] = TOTAL_AGGREGATION
    answer = searcher.aggregate(query, aggs)
    if total is None:
        total = total_of(answer["n"])
    return stories_from(searcher, query, answer["c"], total)


# The aggregations count_stories makes (another aggregation over the same query may carry
# them: index.tantivy.facet_counts) and what it makes of them.
def stories_aggregation() -> dict:
    return {"terms": {"field": SHARED, "size": STORY_BUCKETS}}


TOTAL_AGGREGATION = {"value_count": {"field": "idkey"}}  # every document has one


def total_of(found: dict) -> int:
    return int(found["value"] or 0)


def stories_from(searcher: tantivy.Searcher, query: tantivy.Query, found: dict,
                 total: int) -> tuple[int, int, Matched]:
    """count_stories' answer from its terms aggregation over the `total` matches of
    `query`."""
    if not found.get("sum_other_doc_count", 0):
        counts = {b["key"]: b["doc_count"] for b in found["buckets"]}
        return total, total - sum(counts.values()) + len(counts), Matched(counts)
    # More clusters than buckets: the story key of every clustered match, in key order
    clustered = sum(b["doc_count"] for b in found["buckets"]) + found["sum_other_doc_count"]
    shared = Q.boolean_query([(Occur.Must, query), (Occur.Must, Q.exists_query(SHARED))])
    hits = searcher.search(shared, clustered, count=False, order_by_field=STORY_KEY,
                           order=tantivy.Order.Asc).hits
    by_key = Counter(key for key, _ in hits)
    return total, total - clustered + len(by_key), Matched(by_key, by_key=True)


class Prefix:
    """The first hits of a search (`total` of them in all) in its order, fetched again
    longer when asked: what index.collapse.page_of_stories walks."""

    def __init__(self, searcher: tantivy.Searcher, query: tantivy.Query, sort: str,
                 scored: bool, total: int):
        self.searcher, self.query = searcher, query
        self.column = SORT_COLUMNS.get(sort) if sort != "relevance" else \
            (None if scored else "idkey")  # unscored: every hit alike, id order
        self.total = total
        self.fetched = 0  # the limit of the last fetch
        self.hits: list = []  # (score or key, address), settled order
        self.keys: list[int] = []  # their story keys
        self.everything = False

    def fetch(self, limit: int) -> tuple[list[int], bool]:
        """Story keys of the hits fetched so far whose order is settled, fetching at
        least `limit` first when fewer were (0: none more), and whether they are every
        hit."""
        if limit > self.fetched and not self.everything:
            self._fetch(limit)
        return self.keys, self.everything

    def _fetch(self, limit: int) -> None:
        if self.column is not None:  # a unique key per hit: any prefix is settled
            hits = self.searcher.search(self.query, limit, count=False,
                                        order_by_field=self.column,
                                        order=tantivy.Order.Asc).hits
            self.everything = len(hits) < limit
        else:
            found = self.searcher.search(self.query, limit + 1, count=False)
            hits, self.everything = settled(self.searcher, found.hits, limit)
        self.everything = self.everything or len(hits) >= self.total
        self.fetched, self.hits = limit, hits
        self.keys = self.searcher.fast_field_values(STORY_KEY, [a for _, a in hits]) \
            if hits else []


def settled(searcher: tantivy.Searcher, hits: list, limit: int) -> tuple[list, bool]:
    """The first hits (of up to limit + 1 fetched by score) whose order no longer fetch
    can change, ties in id order; and whether they are every hit. A run of equal scores
    cut by the limit is left out unless it is longer than TIE_CAP (then it keeps index
    order, as _by_id leaves it, whatever is fetched)."""
    if len(hits) <= limit:
        return by_id(searcher, hits, True, 0, len(hits)), True
    stop = limit
    if hits[limit][0] == hits[limit - 1][0]:
        start = group_start(hits, limit - 1)
        if limit + 1 - start <= TIE_CAP:
            stop = start
    return by_id(searcher, hits, False, 0, stop), False


def group_start(hits: list, position: int) -> int:
    """Where the run of hits scoring like hits[position] starts."""
    score = hits[position][0]
    while position > 0 and hits[position - 1][0] == score:
        position -= 1
    return position


def by_id(searcher: tantivy.Searcher, hits: list, complete: bool, start: int,
          stop: int) -> list:
    """hits[start:stop] once each run of equal scores that the page cuts into is put in
    id order; a run is only reordered when all of it was fetched and it is no longer
    than TIE_CAP, so every page of a search agrees on one order. (A run reaching back
    to hits[0] and into the page is longer than TIE_CAP: hits start TIE_CAP + 1 before
    the page, or at the very first hit.)"""
    runs, first = [], 0  # (start, end) of the runs of equal scores that meet the page
    for end in range(1, len(hits) + 1):
        if end < len(hits) and hits[end][0] == hits[first][0]:
            continue
        if end > start and first < stop:
            runs.append((first, end))
        first = end
        if first >= stop:
            break
    ordered = list(hits[:stop])
    for first, end in runs:
        if end - first < 2 or end - first > TIE_CAP or (end == len(hits) and not complete):
            continue
        run = hits[first:end]
        keys = searcher.fast_field_values("idkey", [address for _, address in run])
        if len(set(keys)) < len(keys):  # ids sharing their first 8 bytes: read them
            keys = [(key, stored(searcher, address)["id"])
                    for key, (_, address) in zip(keys, run, strict=True)]
        order = sorted(range(len(run)), key=keys.__getitem__)
        ordered[first:min(end, stop)] = [run[i] for i in order][:min(end, stop) - first]
    return ordered[start:stop]


def stored(searcher: tantivy.Searcher, address) -> dict:
    """The result-line record stored with a hit."""
    return json.loads(searcher.doc(address).get_first(STORED))
