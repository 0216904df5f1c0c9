"""What the web app and the CLI search through: the store plus the current index, which
is reopened when a rebuild swaps in a new snapshot (no restart needed)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from archive.model import Article, Publication
from archive.store import Store
from index.build import current_snapshot, open_engine, snapshot_meta
from index.engine import Engine, Facet, Hit, PageOutOfRange, SearchRequest, SearchResults

STORE_NAME = "articles.sqlite3"
INDEX_NAME = "index"


class Library:
    """The archive as readers see it. Thread-safe for a threaded WSGI server."""

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.store = Store(self.data_dir / STORE_NAME)
        self.index_root = self.data_dir / INDEX_NAME
        self._engine: Engine | None = None
        self._snapshot: Path | None = None
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
        return self.engine().search(request)

    def facet(self, name: str) -> Facet:
        """Every value of one facet over the whole archive, with counts."""
        results = self.search(SearchRequest(page_size=1, facet_limit=0, snippets=False))
        return next(f for f in results.facets if f.name == name)

    def hits(self, request: SearchRequest, batch: int = 1000) -> Iterator[Hit]:
        """Every hit of a search in order (for exports), fetched a batch at a time."""
        page = 1
        while True:
            try:
                results = self.search(replace(request, page=page, page_size=batch,
                                              snippets=False, facets=False))
            except PageOutOfRange:
                return
            yield from results.hits
            if page >= results.page_count:
                return
            page += 1

    def built_at(self) -> str | None:
        """When the current index snapshot was built (ISO 8601), None before the first."""
        path = current_snapshot(self.index_root)
        return snapshot_meta(path).get("built_at") if path else None

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
        """An article that was removed from the archive, as it was (for a "gone" page)."""
        old = self.store.retired(article_id)
        return old[0] if old else None

    def _serving_seq(self) -> int | None:
        """The store change the serving index was built up to (None before any index)."""
        path = current_snapshot(self.index_root)
        return int(snapshot_meta(path).get("change_seq", 0)) if path else None

    def successor(self, article_id: str) -> Article | None:
        """The article now standing where a former id's article stood (its id changed
        when its file was read again), if any."""
        new_id = self.store.successor(article_id)
        return self.store.article(new_id) if new_id else None

    def issue(self, publication_slug: str, date: dt.date) -> list[Article]:
        """The articles of one issue, in page and file order."""
        return self.store.issue(publication_slug, date)

    def page_items(self, publication_slug: str, date: dt.date | None, page: int,
                   source: str | None = None) -> list[Article]:
        """The items printed on one page of an issue (of one source unit), in reading
        order."""
        return self.store.page_items(publication_slug, date, page, source)

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
