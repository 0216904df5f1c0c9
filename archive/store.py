"""SQLite article store: articles, source files (path, hash, status), stripped furniture, and
a change log the index follows for incremental updates. The store is the truth."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.model import Article, Dateline, ParsedFile

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ingested', 'rejected')),
    reason TEXT,
    articles INTEGER NOT NULL DEFAULT 0,
    encoding TEXT,
    parser_version TEXT,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    publication TEXT NOT NULL,
    publication_slug TEXT NOT NULL,
    country TEXT, language TEXT,
    date TEXT, date_source TEXT,
    page INTEGER, section TEXT,
    headline TEXT NOT NULL, subtitle TEXT, byline TEXT, byline_role TEXT,
    dateline TEXT, place TEXT, month INTEGER, day INTEGER,
    agencies TEXT NOT NULL,          -- JSON list
    paragraphs TEXT NOT NULL,        -- JSON list
    word_count INTEGER NOT NULL,
    source_sha256 TEXT NOT NULL,
    notes TEXT NOT NULL              -- JSON list
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_issue ON articles(publication_slug, date);
CREATE TABLE IF NOT EXISTS stripped (
    source TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    kind TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stripped_source ON stripped(source);
-- The same article (same id) found in a second file: kept once, the other file noted.
CREATE TABLE IF NOT EXISTS duplicates (
    source TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    article_id TEXT NOT NULL
);
-- Every insert/replace/delete of an article, in order: the index replays what it missed.
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete'))
);
"""

_COLUMNS = ("id, source, position, publication, publication_slug, country, language, date, "
            "date_source, page, section, headline, subtitle, byline, byline_role, dateline, "
            "place, month, day, agencies, paragraphs, word_count, source_sha256, notes")


class StoreError(Exception):
    """The store cannot be opened or is of an unknown schema."""


@dataclass(frozen=True)
class SourceRecord:
    path: str
    sha256: str
    size: int
    status: str
    reason: str | None
    articles: int
    encoding: str | None
    parser_version: str | None


class Store:
    """The article store in one SQLite file (WAL: readers never block the writer)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                  check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        has_meta = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if has_meta:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row["value"]) if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path} has schema version {version}; this program "
                                 f"knows up to {SCHEMA_VERSION}. Upgrade newsarchive.")
            if version == SCHEMA_VERSION:
                return
        with self.transaction():
            for statement in _SCHEMA.split(";\n"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                            (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: everything or nothing (a failed file rolls back alone)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- sources ---------------------------------------------------------------------

    def source(self, path: str) -> SourceRecord | None:
        row = self.db.execute("SELECT * FROM sources WHERE path=?", (path,)).fetchone()
        return SourceRecord(**{k: row[k] for k in SourceRecord.__dataclass_fields__}) \
            if row else None

    def sources(self, under: str | None = None) -> list[SourceRecord]:
        """Every source file, or those whose path lies under a folder."""
        rows = self.db.execute("SELECT * FROM sources ORDER BY path").fetchall()
        records = [SourceRecord(**{k: r[k] for k in SourceRecord.__dataclass_fields__})
                   for r in rows]
        if under is None:
            return records
        prefix = under.rstrip("/") + "/"
        return [r for r in records if r.path == under or r.path.startswith(prefix)]

    def save_parsed(self, path: str, sha256: str, size: int, parsed: ParsedFile,
                    parser_version: str) -> tuple[int, int, int]:
        """Replace a file's articles with a new parse; (articles added, duplicates, removed)."""
        with self.transaction() as db:
            removed = self._delete_source_articles(db, path)
            db.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?,?,?,?)",
                       (path, sha256, size, "ingested", None, 0, parsed.encoding,
                        parser_version, _now()))
            db.execute("DELETE FROM stripped WHERE source=?", (path,))
            db.execute("DELETE FROM duplicates WHERE source=?", (path,))
            db.executemany("INSERT INTO stripped VALUES (?,?,?)",
                           [(path, s.kind, s.text) for s in parsed.stripped])
            added = duplicates = 0
            for position, article in enumerate(parsed.articles):
                owner = db.execute("SELECT source FROM articles WHERE id=?",
                                   (article.id,)).fetchone()
                if owner is not None:
                    # The same article in another file: keep one copy, remember this one.
                    db.execute("INSERT INTO duplicates VALUES (?,?)", (path, article.id))
                    duplicates += 1
                    continue
                db.execute(f"INSERT INTO articles ({_COLUMNS}) VALUES "
                           f"({','.join('?' * 24)})", _row(article, path, position))
                db.execute("INSERT INTO changes (article_id, op) VALUES (?, 'upsert')",
                           (article.id,))
                added += 1
            db.execute("UPDATE sources SET articles=? WHERE path=?", (added, path))
        return added, duplicates, removed

    def save_rejected(self, path: str, sha256: str, size: int, reason: str) -> int:
        """Record a rejected file; its earlier articles (if any) are removed. Returns them."""
        with self.transaction() as db:
            removed = self._delete_source_articles(db, path)
            db.execute("DELETE FROM stripped WHERE source=?", (path,))
            db.execute("DELETE FROM duplicates WHERE source=?", (path,))
            db.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?,?,?,?)",
                       (path, sha256, size, "rejected", reason, 0, None, None, _now()))
        return removed

    def remove_source(self, path: str) -> int:
        """Forget a file gone from the source tree; returns how many articles went with it."""
        with self.transaction() as db:
            removed = self._delete_source_articles(db, path)
            db.execute("DELETE FROM sources WHERE path=?", (path,))
        return removed

    def _delete_source_articles(self, db: sqlite3.Connection, path: str) -> int:
        ids = [r["id"] for r in db.execute("SELECT id FROM articles WHERE source=?", (path,))]
        if not ids:
            return 0
        db.executemany("INSERT INTO changes (article_id, op) VALUES (?, 'delete')",
                       [(i,) for i in ids])
        # Files that held a duplicate of a removed article must be read again, or the
        # article would be lost: clearing their hash makes the next ingest re-read them.
        marks = ",".join("?" * len(ids))
        db.execute(f"UPDATE sources SET sha256='' WHERE path IN (SELECT source FROM "
                   f"duplicates WHERE article_id IN ({marks}))", ids)
        db.execute("DELETE FROM articles WHERE source=?", (path,))
        return len(ids)

    def stale_sources(self) -> list[str]:
        """Files whose hash was cleared because a duplicate they hold lost its owner."""
        return [r["path"] for r in self.db.execute("SELECT path FROM sources WHERE sha256=''")]

    # --- articles --------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM articles WHERE id=?",
                              (article_id,)).fetchone()
        return _article(row) if row else None

    def articles(self, ids: Iterable[str] | None = None, batch: int = 500) -> Iterator[Article]:
        """Every article (in id order), or the given ids (missing ones are skipped)."""
        if ids is None:
            cursor = self.db.execute(f"SELECT {_COLUMNS} FROM articles ORDER BY id")
            while rows := cursor.fetchmany(batch):
                yield from (_article(r) for r in rows)
            return
        wanted = list(ids)
        for start in range(0, len(wanted), batch):
            chunk = wanted[start:start + batch]
            rows = self.db.execute(f"SELECT {_COLUMNS} FROM articles WHERE id IN "
                                   f"({','.join('?' * len(chunk))})", chunk).fetchall()
            yield from (_article(r) for r in rows)

    def issue(self, publication_slug: str, date: dt.date | None) -> list[Article]:
        """The articles of one issue, in page and file order."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE publication_slug=? AND date IS ? "
            "ORDER BY page IS NULL, page, source, position",
            (publication_slug, date.isoformat() if date else None)).fetchall()
        return [_article(r) for r in rows]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def stripped(self, path: str) -> list[tuple[str, str]]:
        return [(r["kind"], r["text"]) for r in
                self.db.execute("SELECT kind, text FROM stripped WHERE source=?", (path,))]

    # --- change log --------------------------------------------------------------------

    def last_change(self) -> int:
        return self.db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]

    def changes_since(self, seq: int) -> tuple[set[str], set[str], int]:
        """(ids to upsert, ids to delete, newest seq) after a given change number."""
        latest: dict[str, str] = {}
        top = seq
        for row in self.db.execute("SELECT seq, article_id, op FROM changes WHERE seq>? "
                                   "ORDER BY seq", (seq,)):
            latest[row["article_id"]] = row["op"]
            top = row["seq"]
        upserts = {i for i, op in latest.items() if op == "upsert"}
        return upserts, set(latest) - upserts, top


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _row(article: Article, path: str, position: int) -> tuple:
    dateline = article.dateline
    return (article.id, path, position, article.publication, article.publication_slug,
            article.country, article.language,
            article.date.isoformat() if article.date else None, article.date_source,
            article.page, article.section, article.headline, article.subtitle,
            article.byline, article.byline_role, dateline.text if dateline else None,
            article.place, dateline.month if dateline else None,
            dateline.day if dateline else None, json.dumps(list(article.agencies)),
            json.dumps(list(article.paragraphs), ensure_ascii=False), article.word_count,
            article.source_sha256, json.dumps(list(article.notes), ensure_ascii=False))


def _article(row: sqlite3.Row) -> Article:
    dateline = None
    if row["dateline"] is not None:
        dateline = Dateline(text=row["dateline"], place=row["place"], month=row["month"],
                            day=row["day"], agencies=tuple(json.loads(row["agencies"])))
    return Article(
        id=row["id"], publication=row["publication"],
        publication_slug=row["publication_slug"], headline=row["headline"],
        paragraphs=tuple(json.loads(row["paragraphs"])), source=row["source"],
        country=row["country"], language=row["language"],
        date=dt.date.fromisoformat(row["date"]) if row["date"] else None,
        date_source=row["date_source"], page=row["page"], section=row["section"],
        subtitle=row["subtitle"], byline=row["byline"], byline_role=row["byline_role"],
        dateline=dateline, source_sha256=row["source_sha256"], position=row["position"],
        notes=tuple(json.loads(row["notes"])))
