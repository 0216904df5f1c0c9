"""What the web app and the CLI search through: the store plus the current index, which
is reopened when a rebuild swaps in a new snapshot (no restart needed)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from archive.model import Article
from archive.store import Store
from index.build import current_snapshot, open_engine, snapshot_meta
from index.engine import Facet, Hit, PageOutOfRange, SearchRequest, SearchResults
from index.whoosh_engine import WhooshEngine

STORE_NAME = "articles.sqlite3"
INDEX_NAME = "index"


@dataclass(frozen=True)
class Publication:
    """One publication as the browse pages list it."""

    slug: str
    name: str
    articles: int
    issues: int  # distinct issue dates
    first: dt.date | None
    last: dt.date | None


class Library:
    """The archive as readers see it. Thread-safe for a threaded WSGI server."""

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.store = Store(self.data_dir / STORE_NAME)
        self.index_root = self.data_dir / INDEX_NAME
        self._engine: WhooshEngine | None = None
        self._snapshot: Path | None = None
        self._lock = threading.Lock()

    def engine(self) -> WhooshEngine:
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
    # These read the store's tables directly; they belong in archive.store.Store and
    # should move there (kept thin here so the web layer never sees SQL).

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def issue(self, publication_slug: str, date: dt.date) -> list[Article]:
        """The articles of one issue, in page and file order."""
        return self.store.issue(publication_slug, date)

    def publications(self) -> list[Publication]:
        """Every publication, biggest first."""
        rows = self.store.db.execute(
            "SELECT publication_slug, max(publication), count(*), count(DISTINCT date), "
            "min(date), max(date) FROM articles GROUP BY publication_slug "
            "ORDER BY count(*) DESC, publication_slug").fetchall()
        return [Publication(r[0], r[1], r[2], r[3], _date(r[4]), _date(r[5])) for r in rows]

    def years(self, publication_slug: str) -> list[tuple[int, int, int]]:
        """(year, issues, articles) of one publication, oldest first."""
        rows = self.store.db.execute(
            "SELECT substr(date, 1, 4), count(DISTINCT date), count(*) FROM articles "
            "WHERE publication_slug=? AND date IS NOT NULL GROUP BY 1 ORDER BY 1",
            (publication_slug,)).fetchall()
        return [(int(r[0]), r[1], r[2]) for r in rows]

    def issue_dates(self, publication_slug: str, year: int) -> list[tuple[dt.date, int]]:
        """(issue date, articles) of one publication in one year."""
        rows = self.store.db.execute(
            "SELECT date, count(*) FROM articles WHERE publication_slug=? AND date >= ? "
            "AND date < ? GROUP BY date ORDER BY date",
            (publication_slug, f"{year:04d}-01-01", f"{year + 1:04d}-01-01")).fetchall()
        return [(dt.date.fromisoformat(r[0]), r[1]) for r in rows]

    def adjacent_issues(self, publication_slug: str,
                        date: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The issue dates just before and just after one issue."""
        day = date.isoformat()
        before = self.store.db.execute(
            "SELECT max(date) FROM articles WHERE publication_slug=? AND date < ?",
            (publication_slug, day)).fetchone()[0]
        after = self.store.db.execute(
            "SELECT min(date) FROM articles WHERE publication_slug=? AND date > ?",
            (publication_slug, day)).fetchone()[0]
        return _date(before), _date(after)

    def undated(self, publication_slug: str) -> int:
        """How many articles of a publication have no issue date."""
        return self.store.db.execute(
            "SELECT count(*) FROM articles WHERE publication_slug=? AND date IS NULL",
            (publication_slug,)).fetchone()[0]

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


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
