"""What the web app and the CLI search through: the store plus the current index, which
is reopened when a rebuild swaps in a new snapshot (no restart needed)."""

from __future__ import annotations

import threading
from pathlib import Path

from archive.store import Store
from index.build import current_snapshot, open_engine
from index.engine import SearchRequest, SearchResults
from index.whoosh_engine import WhooshEngine

STORE_NAME = "articles.sqlite3"
INDEX_NAME = "index"


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

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            self._engine = None
        self.store.close()
