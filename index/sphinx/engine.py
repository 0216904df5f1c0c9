"""The Sphinx engine: the Engine contract (index.engine) over a Sphinx cluster of sharded,
mirrored real-time indexes (index.sphinx.config). Analysis, highlighting and result
shaping are the shared Python pieces; Sphinx finds, counts (GROUP BY, exact: every group
of every shard comes back) and sorts (ties by article id), with BM25F over the fields and,
on a cluster started here, collection-wide term statistics (index.sphinx.idf).

The engine's folder holds sphinx.json (cluster, generation, token; written when the
generation is claimed, marked complete once built) and the vocabulary; the rows live in
the cluster: where() names them for the snapshot record, drop() empties them. Writes are
not one transaction across shards: a reader during an update may see some of its articles
changed and not others yet."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from archive.model import Article
from index import pipeline, results
from index import query as q
from index.engine import (
    BuildStats,
    IndexMissing,
    SearchRequest,
    SearchResults,
    Where,
    check_window,
)
from index.pipeline import Texts
from index.sphinx import cluster as local
from index.sphinx import idf, udf
from index.sphinx.client import AgentsDown, Answer, Client
from index.sphinx.config import dist_index, idf_path, meta_index, shard_dist
from index.sphinx.documents import doc_id
from index.sphinx.exclusive import SharedLock
from index.sphinx.facets import constant_statements, constants_of
from index.sphinx.generations import (
    STATE_FILE,
    Placement,
    Target,
    claim,
    owns,
    placement,
    read_state,
    release,
    resolve,
    write_state,
)
from index.sphinx.query import Translator
from index.sphinx.ranking import idf as word_idf
from index.sphinx.searching import UNAVAILABLE_NOTE, Ranking, Search
from index.sphinx.vocabulary import Vocabulary
from index.sphinx.writing import Feeder, columns, feed, has_facet_keys, settle
from index.unparse import unparse

_log = logging.getLogger(__name__)
VOCABULARY_FILE = "vocabulary.sqlite"
IDF_WAIT = 5.0  # seconds for every node to load new term statistics after a write
STATS_SECONDS = 5.0  # shard sizes and constant facets of a generation, kept this long


@dataclass(frozen=True)
class ClusterResults(SearchResults):
    """Results that may lack the shards of `unavailable` nodes (partial, and said so)."""

    unavailable: tuple[str, ...] = ()

    @property
    def notices(self) -> tuple[str, ...]:
        if not self.unavailable:
            return super().notices
        return tuple(c.note for c in self.capped) + (UNAVAILABLE_NOTE,)


class SphinxEngine:
    """One generation of a Sphinx cluster, owned by an engine folder. Thread-safe."""

    name = "sphinx"

    def __init__(self, path: str | Path, texts: Texts | None = None,
                 cluster: str | None = None):
        self.path = Path(path)
        self.texts = texts
        self.cluster = cluster
        self.vocabulary = Vocabulary(self.path / VOCABULARY_FILE)
        self._client: Client | None = None
        self._state: dict | None = None
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._live = SharedLock()  # searches share it; an update holds it alone
        self._shards: tuple | None = None  # (when, rows of each shard, constant facets)
        # whether every node has the ranking UDF (asked once: a node keeps its functions)
        self._udf: bool | None = None

    # --- the cluster and this folder's generation -------------------------------------

    def _target(self) -> Target:
        state = self._state or read_state(self.path)
        return resolve(state["cluster"] if state else self.cluster)

    def _connect(self, target: Target) -> Client:
        with self._lock:
            if self._client is None or self._client.nodes != list(target.nodes):
                if self._client is not None:
                    self._client.close()
                self._client = Client(target.nodes)
            return self._client

    def _view(self) -> tuple[Client, dict]:
        """The client and sphinx.json of a built engine, or IndexMissing."""
        state = self._state or read_state(self.path)
        # (sphinx.json of older versions was written complete, and says nothing)
        if state is None or not state.get("complete", True):
            raise IndexMissing(f"No Sphinx index has been built in {self.path}")
        self._state = state
        return self._connect(resolve(state["cluster"])), state

    # --- writing ---------------------------------------------------------------------

    def build(self, articles: Iterable[Article], expected: int = 0,
              progress: Callable[[int], None] | None = None) -> BuildStats:
        """Index every article into a free generation of the cluster, then record it in
        this folder (a folder built before leaves its old generation to be reclaimed)."""
        started = time.perf_counter()
        self.path.mkdir(parents=True, exist_ok=True)
        target = self._target()
        client = self._connect(target)
        with self._writing:
            place = placement(target, client)

            def record(generation: int, token: str) -> None:
                # claimed but incomplete: no engine serves it, no other builder takes it
                write_state(self.path, {"cluster": target.spec, "generation": generation,
                                        "token": token, "shards": place.shards,
                                        "complete": False})

            generation, token = claim(client, place, self.path, record)
            try:
                keys = has_facet_keys(client, place, generation)
                feeder = Feeder(client, place, generation, columns(keys))
                count, counts = feed(articles, feeder, progress)
                settle(client, place, generation)
                self.vocabulary.build(*counts.words(count))
                global_idf = self._publish_idf(target, place, generation, client)
            except BaseException:
                with contextlib.suppress(Exception):  # the error that stopped it matters
                    release(client, place, generation)
                    (self.path / STATE_FILE).unlink(missing_ok=True)
                raise
            state = {"cluster": target.spec, "generation": generation, "token": token,
                     "shards": place.shards, "idf": global_idf, "complete": True,
                     "facet_keys": keys}  # rows hold f_facets (older ones did not)
            write_state(self.path, state)
            self._state, self._shards = state, None
        return BuildStats(indexed=count, seconds=time.perf_counter() - started, full=True)

    def update(self, articles: Iterable[Article],
               progress: Callable[[int], None] | None = None,
               deleted: Iterable[str] = ()) -> BuildStats:
        """Replace these articles on every copy of their shards and remove `deleted`."""
        started = time.perf_counter()
        client, state = self._view()
        target = resolve(state["cluster"])
        with self._writing, self._live.exclusive():
            place = placement(target, client)
            feeder = Feeder(client, place, state["generation"],
                            columns(bool(state.get("facet_keys"))))
            gone = self._existing(client, state, list(dict.fromkeys(deleted)))
            feeder.delete(gone)
            count, counts = feed(articles, feeder, progress)
            if count:
                self.vocabulary.add(*counts.words(count))
            self._shards = None  # their sizes changed
            if count and state.get("idf"):
                self._publish_idf(target, place, state["generation"], client)
        return BuildStats(indexed=count, deleted=len(gone),
                          seconds=time.perf_counter() - started)

    def delete(self, ids: Iterable[str]) -> BuildStats:
        stats = self.update([], deleted=ids)
        return BuildStats(deleted=stats.deleted, seconds=stats.seconds)

    def where(self) -> Where:
        """Where the rows live: the generation's distributed index on the cluster's nodes
        (index.engine.Where; the rebuild records it in the snapshot)."""
        state = self._state or read_state(self.path)
        if state is None:
            raise IndexMissing(f"No Sphinx index has been built in {self.path}")
        generation = int(state["generation"])
        return Where(str(self.path), dist_index(generation), generation, state["cluster"],
                     resolve(state["cluster"]).nodes)

    def drop(self) -> None:
        """Empty this folder's generation on every copy of its shards and give its slot
        back (after a swap; also a half-built one). Nothing to do when the folder names
        no generation, or one a later build of another folder has taken."""
        state = self._state or read_state(self.path)
        if state is None:
            return
        target = resolve(state["cluster"])
        client = self._connect(target)
        with self._writing:
            if owns(client, state):
                release(client, placement(target, client), state["generation"])
            (self.path / STATE_FILE).unlink(missing_ok=True)
            self._state = self._shards = None

    def _existing(self, client: Client, state: dict,
                  ids: list[str]) -> list[tuple[str, int]]:
        """(article id, row id) of the ids the generation holds."""
        found = []
        for start in range(0, len(ids), 1000):
            chunk = {doc_id(i): i for i in ids[start:start + 1000]}
            rows = client.read([
                f"SELECT id FROM {dist_index(state['generation'])} WHERE id IN "
                f"({', '.join(map(str, chunk))}) LIMIT {len(chunk)} "
                f"OPTION max_matches={len(chunk)}"]).sets[0]
            found += [(chunk[r[0]], r[0]) for r in rows]
        return found

    def _publish_idf(self, target: Target, place: Placement, generation: int,
                     client: Client) -> bool:
        """Write the generation's collection-wide term statistics and have every node
        load them: only for a cluster started on this machine (its files are ours).
        Whether every node shows it did, so that queries may use them."""
        if target.folder is None:
            return False
        total = self.vocabulary.documents()
        keyword = idf.probe()
        idf.write(idf_path(target.folder, generation), total,
                  chain(self.vocabulary.frequencies(), [keyword]))
        for node in place.nodes:
            client.write(node, [f"REPLACE INTO {meta_index(generation)} (id, note, owner, "
                                f"token, built) VALUES (2, '{keyword[0]}', '', '', '')"])
        local.reload(local.load(target.folder))
        return idf.loaded(client, place.nodes, generation, total, keyword, IDF_WAIT)

    def _ranking(self, client: Client, state: dict) -> Ranking:
        """What statements need to know of the generation, kept a few seconds: each
        shard's row count as Sphinx counts it (index.sphinx.ranking), the average field
        lengths, the facets with one value everywhere, and, when every node has the
        ranking UDF, our collection-wide IDF of each keyword."""
        now = time.monotonic()
        kept = self._shards
        if kept is None or now - kept[0] > STATS_SECONDS:
            generation = state["generation"]
            constants = constants_of(client.read(
                constant_statements(dist_index(generation))).sets)
            kept = self._shards = (now, self._shard_rows(client, state), constants)
        if self._udf is None:
            self._udf = self._has_udf(client)
            if self._udf is False:  # once per engine: the operator has a command for it
                _log.warning("a node of the Sphinx cluster lacks the ranking function %s: "
                             "hits are ranked by Sphinx's own BM25, which scores rows on "
                             "disk chunks 0; run `newsarchive cluster install-udf`, then "
                             "restart the site", udf.FUNCTION)
        idf_of = None
        if self._udf:
            total, docs = self.vocabulary.documents(), self.vocabulary.token_docs
            idf_of = functools.cache(lambda token: word_idf(total, docs(token)))
        return Ranking(state["generation"], self.vocabulary.averages(), kept[1], kept[2],
                       idf_of)

    @staticmethod
    def _has_udf(client: Client) -> bool | None:
        """Whether every node answering knows the ranking UDF (index.sphinx.udf): each
        evaluates it for the shards it holds. None when no node answered."""
        answered = None
        for node in client.nodes:
            try:
                plugins = client.execute(node, ["SHOW PLUGINS"])[0]
            except Exception:  # noqa: BLE001 - a node down: its mirrors answer for it
                continue
            if not udf.installed(plugins):
                return False
            answered = True
        return answered

    @staticmethod
    def _shard_rows(client: Client, state: dict) -> list[int]:
        """Rows of each shard (0 for a shard whose every copy is down)."""
        generation, shards = state["generation"], state["shards"]
        counts = [0] * shards
        live = set(range(shards))
        while live:
            try:
                sets = client.read([f"SELECT COUNT(*) FROM {shard_dist(generation, s)}"
                                    for s in sorted(live)]).sets
            except AgentsDown as down:  # a shard whose copies are all down: none
                probe = Ranking(generation, {}, counts)
                gone = {probe.shard_of(name) for name in down.indexes} & live
                if not gone:
                    raise
                live -= gone
                continue
            for shard, rows in zip(sorted(live), sets, strict=True):
                counts[shard] = int(rows[0][0]) if rows else 0
            break
        return counts

    # --- reading ---------------------------------------------------------------------

    def count(self) -> int:
        client, state = self._view()
        return int(client.read([f"SELECT COUNT(*) FROM {dist_index(state['generation'])}"])
                   .sets[0][0][0])

    def ids(self) -> set[str]:
        client, state = self._view()
        found: set[str] = set()
        last = 0
        while True:
            rows = client.read([
                f"SELECT id, aid FROM {dist_index(state['generation'])} WHERE id > {last} "
                "ORDER BY id ASC LIMIT 10000 OPTION max_matches=10000"]).sets[0]
            found.update(r[1] for r in rows)
            if len(rows) < 10000:
                return found
            last = rows[-1][0]

    def search(self, request: SearchRequest) -> SearchResults:
        """Answer a request: hits of the page, exact facet counts, snippets, suggestion;
        partial (and said so) when every copy of some shard is down."""
        bounds = results.Bounds(request.time_limit)
        check_window(request)
        node = q.parse(request.q)  # raises QueryError for the caller to show
        client, state = self._view()
        translator = Translator(self.vocabulary, bounds)
        with self._live.shared():  # (its statements all see one state of the index)
            ranking = self._ranking(client, state)
            search = Search(client, state, translator, node, request, self.texts, ranking)
            found = search.run()
        return pipeline.finish(
            request, found.total, found.hits, found.facets, found.stories, bounds,
            lambda text: self._suggest(client, state, text), kind=ClusterResults,
            partial=bool(found.unavailable), unavailable=found.unavailable)

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()
        self.vocabulary.close()

    # --- did you mean ----------------------------------------------------------------

    def suggest(self, text: str) -> str | None:
        """Respell the query's words from the archive's own vocabulary (OCR variants that
        exist in the archive are fine suggestions); None when nothing better is found."""
        client, state = self._view()
        return self._suggest(client, state, text)

    def _suggest(self, client: Client, state: dict, text: str) -> str | None:
        fixed = pipeline.respelled(
            text, lambda stems: any(self.vocabulary.docs("stem", s) for s in stems),
            pipeline.nearest_in(self.vocabulary))
        if fixed is None:
            return None
        match = Translator(self.vocabulary).build(fixed)
        where = f"WHERE MATCH('{match}') " if match else ""
        answer: Answer = client.read([
            f"SELECT id FROM {dist_index(state['generation'])} {where}LIMIT 1 "
            "OPTION ranker=none", "SHOW META"])
        meta = dict(answer.sets[1])
        return unparse(fixed) if int(meta.get("total_found", 0)) else None
