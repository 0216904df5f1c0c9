"""One search on a Sphinx generation: the page of hits, the story counts and every facet's
counts (index.sphinx.facets) in one batch of SphinxQL statements; when stories are
collapsed, the page of stories (GROUP BY story, each story's first printing in the
request's order); where each hit matched; its snippet from the store's text."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from index import pipeline, results
from index import query as q
from index.engine import FACETS, Facet, Hit, SearchRequest
from index.sphinx import facets as counting
from index.sphinx.client import AgentsDown, Client
from index.sphinx.config import dist_index, shard_dist
from index.sphinx.documents import story_number
from index.sphinx.query import MATCH_FIELDS, Translator, conditions
from index.sphinx.ranking import OFFSET, column, ranker, score

UNAVAILABLE_NOTE = ("Part of the archive could not be searched just now (a search server "
                    "is down): these results are incomplete and more may match. Try again "
                    "in a moment.")
# Every order ends in the article id (its first 8 bytes, then all of it): equal keys
# always come in one order, so pages are slices of one list.
_TIES = "idkey ASC, aid ASC"
ORDERS = {"relevance": f"w DESC, {_TIES}", "newest": f"newest ASC, {_TIES}",
          "oldest": f"oldest ASC, {_TIES}", "ocr": f"ocr_order ASC, {_TIES}"}
HIT_COLUMNS = "id, aid, display, story, shared, WEIGHT() AS w, idkey"
UDF_RANKER = "expr('1')"  # PACKEDFACTORS() needs the expression ranker; the UDF scores
_STORY, _W, _IDKEY = 3, 5, 6  # their places in a hit row
# Groups (facet values, matched clusters) one GROUP BY may return: each shard sets aside
# that many for every statement, so a first pass asks for few; a group list that fills
# it is asked again, longer, until it fits (the counts are exact).
GROUPS_FIRST = 1000
GROUPS_GROWTH = 20



@dataclass(frozen=True)
class Ranking:
    """What ranked statements need (index.sphinx.ranking): the average length of each
    full-text field, each shard's rows and, when every node has the ranking UDF, the
    collection-wide IDF of a keyword."""

    generation: int
    averages: dict[str, float]
    shards: list[int]
    # facets with the same one value in every row (name -> value), or in none (-> None):
    # their counts are the total, and need no statement (one paper's archive: publication,
    # language and country)
    constants: dict[str, str | None] = dataclasses.field(default_factory=dict)
    idf: Callable[[str], float] | None = None  # None: the former bm25f() ranking

    def shard_of(self, index: str) -> int | None:
        """The shard a per-shard distributed index (config.shard_dist) stands for."""
        found = re.fullmatch(rf"{shard_dist(self.generation, 0)[:-1]}(\d+)", index)
        return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Found:
    total: int
    stories: int
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...]
    unavailable: tuple[str, ...]


class Search:
    """The statements of one request and the page they make."""

    def __init__(self, client: Client, state: dict, translator: Translator, node: q.Node,
                 request: SearchRequest,
                 texts: pipeline.Texts | None,
                 ranking: Ranking | None = None):
        self.client, self.translator, self.node = client, translator, node
        self.request, self.texts, self.ranking = request, texts, ranking
        self.generation = state["generation"]
        self.index = dist_index(self.generation)
        self.global_idf = bool(state.get("idf"))
        self.combined = bool(state.get("facet_keys"))  # rows hold f_facets (documents)
        self.match = translator.build(node)
        self.where = conditions(request)
        self.sort = q.effective_sort(request)
        # scores only differ when positive words were searched; then each shard ranks on
        # its own (index.sphinx.ranking), else one statement lists the hits by id
        self.ranked = (self.sort == "relevance" and self.match is not None
                       and translator.scored and ranking is not None)
        self.unavailable: set[str] = set()
        self.down: set[int] = set()  # shards left out: every copy is down

    def _read(self, statements: list[str]) -> list[list[tuple]]:
        answer = self.client.read(statements)
        self.unavailable.update(answer.unavailable)
        return answer.sets

    def select(self, columns: str, where: list[str], order: str | None = None,
               offset: int = 0, limit: int = 1, group: str | None = None,
               index: str | None = None, ranker: str | None = None) -> str:
        """One SELECT over the generation's distributed index (or `index`)."""
        parts = ([f"MATCH('{self.match}')"] if self.match else []) + where
        sql = f"SELECT {columns} FROM {index or self.index}"
        if parts:
            sql += " WHERE " + " AND ".join(parts)
        if group:
            sql += f" GROUP BY {group}"
        if order:
            sql += f" ORDER BY {order}"
        options = [f"max_matches={max(1, offset + limit)}"]
        if self.match and ranker:
            # Sphinx 2.2.11 swaps the IDF flavours on its global path (index.sphinx.idf):
            # both spellings below mean the plain log(N/n)
            options += [f"ranker={ranker}", "idf='normalized,tfidf_unnormalized', "
                        "global_idf=1" if self.global_idf else "idf='plain,tfidf_unnormalized'"]
        elif self.match:
            options.append("ranker=none")
        return f"{sql} LIMIT {offset}, {limit} OPTION {', '.join(options)}"

    def ordered(self, offset: int, limit: int, stories: bool = False) -> list[str]:
        """The statements listing hits offset..offset+limit in the request's order: one
        per live shard when ranked (each with its own parameters), else one. `stories`:
        the first hit of each story instead (GROUP BY story, its best printing first),
        the first offset+limit of them from each statement."""
        order = ORDERS["relevance" if self.ranked else self.sort]
        group = f"story WITHIN GROUP ORDER BY {order}" if stories else None
        if not self.ranked:
            first, count = (0, offset + limit) if stories else (offset, limit)
            return [self.select(HIT_COLUMNS, self.where, order, first, count, group=group),
                    "SHOW META"]
        averages, shards = self.ranking.averages, self.ranking.shards
        columns = HIT_COLUMNS
        if self.ranking.idf is not None:  # the UDF: one expression for every shard
            scored = column(self.match, averages, self.ranking.idf)
            columns = HIT_COLUMNS.replace("WEIGHT() AS w", f"{scored} AS w")
        return [part for shard, rows in enumerate(shards) if shard not in self.down
                for part in (
                    self.select(columns, self.where, order, 0, offset + limit,
                                group=group, index=shard_dist(self.generation, shard),
                                ranker=UDF_RANKER if self.ranking.idf is not None
                                else ranker(averages, rows)), "SHOW META")]

    def read_ordered(self, offset: int, limit: int, extra: list[str] = (),
                     stories: bool = False) -> tuple[list[tuple], int, list[list[tuple]]]:
        """(rows offset..offset+limit, total, the answers to `extra`), leaving out the
        shards whose every copy is down (a ranked statement asks a shard alone, and
        Sphinx fails it rather than answer without). `stories`: of the collapsed list
        (the total is then not counted)."""
        while True:
            ordered = self.ordered(offset, limit, stories)
            try:
                sets = self._read(ordered + list(extra))
            except AgentsDown as down:
                shards = {self.ranking.shard_of(name) for name in down.indexes} - {None}
                if not self.ranked or not shards - self.down:
                    raise
                self.down |= shards
                self.unavailable.update(down.agents)
                continue
            rows, total = self.merged(sets[:len(ordered)], offset, limit, stories)
            return rows, total, sets[len(ordered):]

    def merged(self, sets: list[list[tuple]], offset: int, limit: int,
               stories: bool = False) -> tuple[list[tuple], int]:
        """(rows offset..offset+limit, total) from the answers to ordered(): the shards'
        lists merged in one order (ties by article id); for `stories`, each story's first
        row across the shards."""
        total = sum(int(dict(meta).get("total_found", 0)) for meta in sets[1::2])
        if not self.ranked and not stories:
            return sets[0], total
        rows = [r for found in sets[0::2] for r in found]
        if self.ranked:
            rows.sort(key=lambda r: (-r[_W], r[_IDKEY], r[1]))
        if stories:  # (a story printed on several shards comes from each)
            seen: set[int] = set()
            rows = [r for r in rows if not (r[_STORY] in seen or seen.add(r[_STORY]))]
        return rows[offset:offset + limit], total

    def run(self) -> Found:
        request = self.request
        size = request.page_size
        start = (request.page - 1) * size
        groups = [("shared, COUNT(*) AS c", self.where + ["shared != 0"], "shared")]
        chosen = {name for name, values in request.filters if values}
        counted = [name for name in FACETS if request.facets and self._counted(name, chosen)]
        # Each statement walks every match again (Sphinx shares no work between them):
        # the facets counted under the request's own conditions (all but those with a
        # value chosen) come from one GROUP BY over f_facets, when the generation has it
        alike = [name for name in counted if name not in chosen] if self.combined else []
        if len(alike) < 2:
            alike = []
        alone = [name for name in counted if name not in alike]
        groups += [counting.statement(name, conditions(request, skip=name)
                                      if name in chosen else self.where) for name in alone]
        if alike:
            groups.append(counting.combined_statement(self.where))
        page, total, sets = self.read_ordered(
            start, size, [self.select(c, w, limit=GROUPS_FIRST, group=g)
                          for c, w, g in groups])
        sets = self._all_groups(groups, sets)
        clusters = {key: count for key, count in sets[0]}
        stories = total - sum(clusters.values()) + len(clusters)
        if request.collapse and clusters:
            first, stop = results.page_bounds(stories, request)
            rows = self.read_ordered(first, stop - first, stories=True)[0] if stop else []
        else:
            results.page_bounds(total, request)
            rows = page
        hits = self._hits(rows, clusters, self.ranked)
        facets = ()
        if request.facets:
            counts = counting.counts(dict(zip(alone, sets[1:1 + len(alone)], strict=True)))
            if alike:
                counts.update(counting.combined(sets[-1], alike))
            self._known(counts, total)
            facets = results.facets(counts, request)
        return Found(total, stories, hits, facets, tuple(sorted(self.unavailable)))

    def _counted(self, name: str, chosen: set[str]) -> bool:
        """Whether a facet needs a statement: not when its value is the same everywhere,
        nor the years when the months are counted (every dated row has both)."""
        constants = self.ranking.constants if self.ranking else {}
        if name in chosen:
            return True
        if name == "year":
            return "month" in chosen or "month" in constants
        return name not in constants

    def _known(self, counts: results.Counts, total: int) -> None:
        """Fill in the facets _counted() left out."""
        constants = self.ranking.constants if self.ranking else {}
        for name, value in constants.items():
            counts.setdefault(name, {value: total} if value is not None and total else {})
        if "year" not in counts:
            counts["year"] = pipeline.years_of(counts.get("month", {}))

    def _all_groups(self, groups: list[tuple[str, list[str], str]],
                    sets: list[list[tuple]]) -> list[list[tuple]]:
        """Ask again, for more groups, each group list that filled its first pass."""
        sets, limit = list(sets), GROUPS_FIRST
        while full := [i for i, rows in enumerate(sets) if len(rows) >= limit]:
            limit *= GROUPS_GROWTH
            again = self._read([self.select(*groups[i][:2], limit=limit, group=groups[i][2])
                                for i in full])
            for i, rows in zip(full, again, strict=True):
                sets[i] = rows
        return sets

    # --- the hits of the page --------------------------------------------------------

    def _hits(self, rows: list[tuple], clusters: dict[int, int],
              scored: bool) -> tuple[Hit, ...]:
        if not rows:
            return ()
        shown = [json.loads(r[2]) for r in rows]
        where = self._matched_in([r[0] for r in rows])
        bodies = pipeline.bodies(self.texts, [d["id"] for d in shown], self.request.snippets)
        marks = pipeline.marks(self.node)
        offset = 0.0 if self.ranking and self.ranking.idf is not None else OFFSET
        return tuple(
            pipeline.hit_of(data, score(r[_W], offset) if scored else 0.0, where.get(r[0], ()),
                 bodies.get(data["id"]), marks,
                 clusters.get(story_number(data["cluster_id"]), 0)
                 if data.get("cluster_id") else 1)
            for r, data in zip(rows, shown, strict=True))

    def _matched_in(self, row_ids: list[int]) -> dict[int, tuple[str, ...]]:
        """Per row of the page, the fields its positive words matched in: one statement
        per field, over the page's rows only."""
        ids = ", ".join(map(str, row_ids))
        fields, statements = [], []
        for field in MATCH_FIELDS:
            text = self.translator.field_query(self.node, field)
            if text is not None:
                fields.append(field)
                statements.append(
                    f"SELECT id FROM {self.index} WHERE MATCH('{text}') AND id IN ({ids}) "
                    f"LIMIT {len(row_ids)} OPTION max_matches={len(row_ids)}, ranker=none")
        if not statements:
            return {}
        found: dict[int, list[str]] = {}
        for field, rows in zip(fields, self._read(statements), strict=True):
            for r in rows:
                found.setdefault(r[0], []).append(field)
        return {row_id: tuple(sorted(names)) for row_id, names in found.items()}
