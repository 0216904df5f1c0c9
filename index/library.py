"""What the web app and the CLI search through: the store plus the current index, which
is reopened when a rebuild swaps in a new snapshot (no restart needed)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from archive.model import Article, Publication
from archive.store import Store
from index.build import META, Snapshot, current_snapshot, open_engine, read_snapshot
from index.engine import Engine, Facet, Hit, PageOutOfRange, SearchRequest, SearchResults

STORE_NAME = "articles.sqlite3"
INDEX_NAME = "index"
_CHUNK = 500  # cluster ids per store query
# The serving connection's page cache (one per process, its threads share it): the inner
# pages of the articles' trees and the rows of recent hits stay in it, so a result page's
# ten snippet texts cost ~0.3 ms instead of ~0.7 at 1M articles (2 MiB, SQLite's default,
# held neither).
READ_CACHE_MIB = 32


@dataclass(frozen=True)
class Printing:
    """One printing of a story, as lists of "the same story elsewhere" show it."""

    id: str
    date: dt.date | None
    publication: str
    publication_slug: str
    headline: str
    agencies: tuple[str, ...]
    place: str | None
    page: int | None
    kind: str
    similarity: float | None  # estimated likeness to the first printing (1.0: it)


@dataclass(frozen=True)
class Story:
    """The printings of one story (a cluster): how many, and the first ones by date."""

    cluster_id: str
    size: int
    printings: tuple[Printing, ...]  # the first `limit` asked for, first printing first

    def others(self, article_id: str, limit: int) -> tuple[Printing, ...]:
        """Up to `limit` printings other than this article, first printing first."""
        return tuple(p for p in self.printings if p.id != article_id)[:limit]


# The first printings of some clusters, founder first (issue date, undated last, then id,
# as archive.clusters orders members), with each cluster's size.
_PRINTINGS = """
SELECT cluster, id, date, publication, publication_slug, headline, agencies, place, page,
       kind, similarity, size FROM (
    SELECT c.cluster, a.id, a.date, a.publication, a.publication_slug, a.headline,
           a.agencies, a.place, a.page, a.kind, c.similarity,
           row_number() OVER (PARTITION BY c.cluster
                              ORDER BY c.date IS NULL, c.date, c.article_id) AS n,
           count(*) OVER (PARTITION BY c.cluster) AS size
    FROM cluster_items AS c JOIN articles AS a ON a.id = c.article_id
    WHERE c.cluster IN ({marks}))
WHERE n <= ? ORDER BY cluster, n"""


class Library:
    """The archive as readers see it. Thread-safe for a threaded WSGI server."""

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.store = Store(self.data_dir / STORE_NAME, cache_mib=READ_CACHE_MIB)
        self.index_root = self.data_dir / INDEX_NAME
        self._engine: Engine | None = None
        self._snapshot: Path | None = None
        self._record: tuple[tuple[Path, int, int], Snapshot] | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        """The engine on the current snapshot; follows a swap on the next call."""
        snapshot = current_snapshot(self.index_root)
        with self._lock:
            if self._engine is None or snapshot != self._snapshot:
                engine = open_engine(self.index_root, self.store)  # IndexMissing if none
                if self._engine is not None:
                    self._engine.close()
                self._engine, self._snapshot = engine, snapshot
            return self._engine

    def search(self, request: SearchRequest) -> SearchResults:
        """The engine's answer, with each hit's story size as the store now has it: the
        store logs a printing for re-indexing when its own cluster changes, not when its
        cluster gains or loses another printing, so an indexed size can lag."""
        results = self.engine().search(request)
        shared = {h.cluster_id for h in results.hits if h.cluster_id}
        if not shared:
            return results
        sizes = self._cluster_sizes(shared)
        hits = tuple(replace(h, cluster_size=sizes[h.cluster_id])
                     if sizes.get(h.cluster_id, h.cluster_size) != h.cluster_size else h
                     for h in results.hits)
        return replace(results, hits=hits)

    def _cluster_sizes(self, clusters: set[str]) -> dict[str, int]:
        wanted = sorted(clusters)
        sizes: dict[str, int] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            sizes.update(self.store.db.execute(
                f"SELECT cluster, count(*) FROM cluster_items WHERE cluster IN "
                f"({','.join('?' * len(chunk))}) GROUP BY cluster", chunk).fetchall())
        return sizes

    def facet(self, name: str) -> Facet:
        """Every value of one facet over the whole archive, with counts."""
        results = self.search(SearchRequest(page_size=1, facet_limit=0, snippets=False))
        return next(f for f in results.facets if f.name == name)

    def hits(self, request: SearchRequest, batch: int = 1000) -> Iterator[Hit]:
        """Every hit of a search in order (for exports), fetched a batch at a time. A
        collapsed search streams every printing and keeps each story's first: the very
        list the engine pages through, at the cost of one pass (paging the collapsed
        list would walk it again from the start for every batch)."""
        if request.collapse:
            seen: set[str] = set()
            for hit in self.hits(replace(request, collapse=False), batch):
                if hit.story not in seen:
                    seen.add(hit.story)
                    yield hit
            return
        page = 1
        while True:
            try:
                # an export is every hit: no time limit may cut it short
                results = self.search(replace(request, page=page, page_size=batch,
                                              snippets=False, facets=False, time_limit=None))
            except PageOutOfRange:
                return
            yield from results.hits
            if page >= results.page_count:
                return
            page += 1

    def stories(self, cluster_ids: Iterable[str], limit: int = 6) -> dict[str, Story]:
        """The printings of these clusters, from the store: each cluster's size and its
        first `limit` printings (founder first). Clusters the store no longer holds are
        absent."""
        wanted = sorted(set(cluster_ids))
        found: dict[str, list] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            query = _PRINTINGS.format(marks=",".join("?" * len(chunk)))
            for row in self.store.db.execute(query, (*chunk, limit)).fetchall():
                found.setdefault(row[0], []).append(row)
        return {cluster: Story(cluster, rows[0][11], tuple(
            Printing(id=r[1], date=dt.date.fromisoformat(r[2]) if r[2] else None,
                     publication=r[3], publication_slug=r[4], headline=r[5],
                     agencies=tuple(json.loads(r[6])), place=r[7], page=r[8], kind=r[9],
                     similarity=r[10]) for r in rows)) for cluster, rows in found.items()}

    def snapshot(self) -> Snapshot | None:
        """The serving snapshot's record (engine, change, where its index lives), None
        before the first build."""
        path = current_snapshot(self.index_root)
        if path is None:
            return None
        # Asked several times a request (engine, validators, citations): parse the record
        # again only when the swap link or the record itself (an incremental update
        # rewrites it in place, by a rename: a new inode) has changed.
        try:
            stat = (path / META).stat()
            key = (path, stat.st_ino, stat.st_mtime_ns)
        except OSError:
            return read_snapshot(path)
        cached = self._record
        if cached is None or cached[0] != key:
            cached = self._record = (key, read_snapshot(path))
        return cached[1]

    def built_at(self) -> str | None:
        """When the current index snapshot was built (ISO 8601), None before the first."""
        snapshot = self.snapshot()
        return snapshot.built_at if snapshot else None

    # --- browsing, straight from the store (the truth) -----------------------------
    # One-line delegations: the SQL lives in archive.store; the web layer asks the Library.

    def article(self, article_id: str) -> Article | None:
        """An article by id: as stored, or as the serving index still holds it when an
        ingest since the last rebuild replaced or removed it (its hits must open)."""
        found = self.store.article(article_id)
        if found is None and (serving := self._serving_seq()) is not None \
                and (old := self.store.retired(article_id)) is not None and old[1] > serving:
            return old[0]
        return found

    def gone(self, article_id: str) -> Article | None:
        """An article that was removed from the archive, as it was (for a "gone" page);
        also through a former id whose successor was removed in turn."""
        old = self.store.retired(article_id)
        if old is None and (successor_id := self.store.successor(article_id)):
            old = self.store.retired(successor_id)
        return old[0] if old else None

    def last_change(self) -> int:
        """The store's newest change number (0 for an empty archive)."""
        return self.store.last_change()

    def changed_since(self, change: int) -> set[str]:
        """The ids of articles added or updated after change number `change`."""
        return self.store.changes_since(change)[0]

    def _serving_seq(self) -> int | None:
        """The store change the serving index was built up to (None before any index)."""
        snapshot = self.snapshot()
        return snapshot.change_seq if snapshot else None

    def successor(self, article_id: str) -> Article | None:
        """The article now standing where a former id's article stood (its id changed
        when its file was read again), if any."""
        new_id = self.store.successor(article_id)
        return self.store.article(new_id) if new_id else None

    def slug_successor(self, old: str) -> str | None:
        """The publication slug that replaced a former one (archive.slugs), if any."""
        return self.store.slug_successor(old)

    def issue(self, publication_slug: str, date: dt.date) -> list[Article]:
        """The articles of one issue, in page and file order."""
        return self.store.issue(publication_slug, date)

    def page_items(self, publication_slug: str, date: dt.date | None, page: int,
                   source: str | None = None) -> list[Article]:
        """The items printed on one page of an issue (of one source unit), in reading
        order."""
        return self.store.page_items(publication_slug, date, page, source)

    def file_items(self, source: str) -> list[Article]:
        """The items of one source file whose page number is unknown, in reading order."""
        return self.store.file_items(source)

    def publications(self) -> list[Publication]:
        """Every publication, biggest first."""
        return self.store.publications()

    def years(self, publication_slug: str) -> list[tuple[int, int, int]]:
        """(year, issues, articles) of one publication, oldest first."""
        return self.store.years(publication_slug)

    def issue_dates(self, publication_slug: str, year: int) -> list[tuple[dt.date, int]]:
        """(issue date, articles) of one publication in one year."""
        return self.store.issue_dates(publication_slug, year)

    def adjacent_issues(self, publication_slug: str,
                        date: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The issue dates just before and just after one issue."""
        return self.store.adjacent_issues(publication_slug, date)

    def undated(self, publication_slug: str) -> int:
        """How many articles of a publication have no issue date."""
        return self.store.undated(publication_slug)

    def count(self) -> int:
        """Articles in the store."""
        return self.store.count()

    def articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Every article in id order (sitemap), or the given ids in any order (exports)."""
        return self.store.articles(ids)

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            self._engine = None
        self.store.close()
