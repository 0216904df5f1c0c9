"""SQLite article store: articles, source files (path, hash, status), stripped furniture, and
a change log the index follows for incremental updates. The store is the truth."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive import schema
from archive.browse import Browsing
from archive.clusters import Clusters
from archive.faults import reach
from archive.history import History
from archive.model import Article
from archive.rows import FileRows, signatures
from archive.schema import SCHEMA_VERSION  # callers check the version through the store
from archive.slugs import slugify

_LOOKUP_CHUNK = 500  # bound parameters per IN (...) query, well under SQLite's limit
_INSERT_MEMBER = "INSERT OR REPLACE INTO unit_files VALUES (?,?,?,?,?,?)"


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


class Store(Browsing, History):
    """The article store in one SQLite file (WAL: readers never block the writer)."""

    def __init__(self, path: str | Path, cache_mib: int | None = None):
        """`cache_mib`: this connection's page cache (SQLite's default is 2 MiB)."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                  check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self._savepoints = 0  # depth of transaction() calls nested in an open transaction
        # What save_new(defer=True) stored but has not clustered yet: (rows, signatures)
        self._unclustered: list[tuple[list[tuple], list[tuple]]] = []
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if cache_mib:
            self._cache(cache_mib)
        self._migrate()

    def _migrate(self) -> None:
        has_meta = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        fresh = not self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='articles'").fetchone()
        version = SCHEMA_VERSION  # (a new store's)
        if has_meta:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row["value"]) if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path} has schema version {version}; this program "
                                 f"knows up to {SCHEMA_VERSION}. Upgrade newsarchive.")
            if version == SCHEMA_VERSION:
                return
            with self.transaction():
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for table, column, definition in schema.ADDED_COLUMNS.get(step, ()):
                        have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
                        if column not in have:
                            self.db.execute(
                                f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
        with self.transaction():
            for statement in schema.SCHEMA.split(";\n"):
                if statement.strip():
                    self.db.execute(statement)
            if version < 5 and not fresh:
                self._respell_slugs()
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                            (str(SCHEMA_VERSION),))
            if fresh:  # a new store has no backlog: cluster_backlog need not scan it
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('clustered', '1')")

    def _respell_slugs(self) -> None:
        """Schema 5: each publication's slug as slugify spells it now ("straburger-post" is
        "strassburger-post"); the old slug is kept (its addresses redirect), and the
        articles are queued for the index, which holds the slug too."""
        pairs = self.db.execute("SELECT DISTINCT publication, publication_slug FROM articles"
                                ).fetchall()
        for publication, old in pairs:
            new = slugify(publication)
            if new == old:
                continue
            where = "WHERE publication = ? AND publication_slug = ?"
            ids = [r[0] for r in self.db.execute(f"SELECT id FROM articles {where}",
                                                 (publication, old))]
            self.db.execute(f"UPDATE articles SET publication_slug = ? {where}",
                            (new, publication, old))
            self.db.execute("INSERT OR REPLACE INTO former_slugs VALUES (?, ?)", (old, new))
            self.db.executemany("INSERT INTO changes (article_id, op) VALUES (?, 'upsert')",
                                [(i,) for i in ids])

    def slug_successor(self, old: str) -> str | None:
        """The publication slug that replaced a former one, if any."""
        row = self.db.execute("SELECT new FROM former_slugs WHERE old = ?", (old,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: everything or nothing (a failed file rolls back alone).

        Inside an open transaction (a batch of files) it is a savepoint: a failure undoes
        only this unit, and the batch goes on. SQLite itself may roll the whole transaction
        back on some errors (disk full, I/O); callers see that as `in_transaction` gone.
        """
        if self.db.in_transaction:
            yield from self._savepoint()
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def page_cache(self, mib: int) -> Iterator[None]:
        """At least mib MiB of SQLite page cache for this connection while it lasts."""
        before = self.db.execute("PRAGMA cache_size").fetchone()[0]
        # negative: KiB; positive: pages (of 4 KiB by default)
        if (-before if before < 0 else 4 * before) >= mib * 1024:
            yield
            return
        self._cache(mib)
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA cache_size={before}")

    def _cache(self, mib: int) -> None:
        """This connection's page cache, in MiB."""
        self.db.execute(f"PRAGMA cache_size=-{int(mib) * 1024}")  # negative: KiB

    @contextmanager
    def checkpoint_every(self, pages: int) -> Iterator[None]:
        """Copy the write-ahead log into the database only every `pages` pages (SQLite's
        default: 1000) while it lasts, then once. A bulk writer's commits each rewrite the
        same index pages (ids and band keys land all over their trees); a checkpoint after
        every commit or two copied each of them again, and synced the file each time."""
        before = self.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        if before <= 0 or before >= pages:
            yield
            return
        self.db.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA wal_autocheckpoint={before}")
            if not self.db.in_transaction:
                self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    # A batch: one transaction left open across many transaction() units (savepoints), so
    # a thousand files cost one commit instead of a thousand.

    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        """Cluster what the batch stored unclustered (cluster_pending), then commit."""
        self.cluster_pending()
        reach("ingest:before-commit")
        self.db.execute("COMMIT")
        reach("ingest:after-batch")

    def rollback(self) -> None:
        """Undo the open batch, if SQLite has not already done so after an error."""
        self._unclustered = []
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        name = f"unit{self._savepoints}"
        self._savepoints += 1
        try:
            self.db.execute(f"SAVEPOINT {name}")
            try:
                yield self.db
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute(f"ROLLBACK TO {name}")
                    self.db.execute(f"RELEASE {name}")
                raise
            self.db.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1

    # --- sources ---------------------------------------------------------------------

    def source(self, path: str) -> SourceRecord | None:
        row = self.db.execute("SELECT * FROM sources WHERE path=?", (path,)).fetchone()
        return _source(row) if row else None

    def source_records(self, paths: Iterable[str]) -> dict[str, SourceRecord]:
        """The records of many paths at once (paths the store does not know are absent)."""
        wanted = list(paths)
        found: dict[str, SourceRecord] = {}
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start:start + _LOOKUP_CHUNK]
            for row in self.db.execute(f"SELECT * FROM sources WHERE path IN "
                                       f"({','.join('?' * len(chunk))})", chunk):
                found[row["path"]] = _source(row)
        return found

    def sources(self, under: str | None = None) -> list[SourceRecord]:
        """Every source file, or those whose path lies under a folder."""
        rows = self.db.execute("SELECT * FROM sources ORDER BY path").fetchall()
        records = [_source(r) for r in rows]
        if under is None:
            return records
        prefix = under.rstrip("/") + "/"
        return [r for r in records if r.path == under or r.path.startswith(prefix)]

    def unit_files(self, unit: str | None = None) -> dict[str, list[tuple]]:
        """Unit -> the (href, path, sha256, size, problem) of each file it read besides
        itself (the pages of a METS issue), for one unit or all."""
        query = "SELECT unit, href, path, sha256, size, problem FROM unit_files"
        rows = self.db.execute(query + (" WHERE unit=?" if unit else "") + " ORDER BY unit, path",
                               (unit,) if unit else ())
        found: dict[str, list[tuple]] = {}
        for row in rows:
            found.setdefault(row[0], []).append(tuple(row)[1:])
        return found

    def source_paths(self, under: str | None = None) -> list[str]:
        """The paths of sources(under): no record built for each (the end of every ingest
        looks for files gone from a walked folder)."""
        paths = [r[0] for r in self.db.execute("SELECT path FROM sources ORDER BY path")]
        if under is None:
            return paths
        prefix = under.rstrip("/") + "/"
        return [p for p in paths if p == under or p.startswith(prefix)]

    def save_parsed(self, rows: FileRows) -> tuple[int, int, int]:
        """Replace a file's articles with a new parse; (articles added, duplicates,
        removed). Ids the file's articles had that the new parse does not keep are
        recorded as former ids of the new article that stands in their place."""
        path = rows.path
        with self.transaction() as db:
            before = self._source_texts(db, path)
            removed = self._delete_source(db, path)
            # An article already stored (from another file, or earlier in this one) is kept
            # once; this file only notes it holds a duplicate.
            taken = self._existing([row[0] for row in rows.articles])
            kept, dupes = [], []
            for row in rows.articles:
                if row[0] in taken:
                    dupes.append((path, row[0]))
                    continue
                taken.add(row[0])
                kept.append(row)
            db.execute(schema.INSERT_SOURCE, (path, rows.sha256, rows.size, "ingested",
                                              rows.problems, len(kept), rows.encoding,
                                              rows.parser, schema.now()))
            self._insert_parts(db, rows, dupes, kept)
            self._record_successors(db, before, kept)
            self._recluster(db, removed, kept, rows.signatures)
        return len(kept), len(dupes), len(removed)

    def _insert_parts(self, db: sqlite3.Connection, rows: FileRows,
                      dupes: list[tuple[str, str]], kept: list[tuple]) -> None:
        db.executemany("INSERT INTO stripped VALUES (?,?,?)", rows.stripped)
        db.executemany("INSERT INTO duplicates VALUES (?,?)", dupes)
        db.executemany(_INSERT_MEMBER, [(rows.path, *m) for m in rows.members])
        db.executemany(schema.INSERT_ARTICLE, kept)
        db.executemany(schema.INSERT_CHANGE, [(row[0], "upsert") for row in kept])

    def save_new(self, files: Sequence[FileRows], defer: bool = False) -> list[int]:
        """Store files the store has no record of, in one unit and a few statements; the
        articles each file added. The same rows as save_parsed / save_rejected one file
        after another: a new file has nothing to delete, so only the order of inserts,
        kept here, matters.

        defer: leave their clustering to cluster_pending() (commit() calls it), so that a
        batch's runs of files are clustered together: clustering 500 articles at once cost
        the writer ~30% less than 64 at a time (fewer lookups and statements per article).
        Nothing else may change articles in between (cluster_pending first)."""
        with self.transaction() as db:
            taken = self._existing([row[0] for f in files for row in f.articles])
            now = schema.now()
            sources, stripped, dupes, rows, members, added = [], [], [], [], [], []
            for f in files:
                members.extend((f.path, *m) for m in f.members)
                if f.reason is not None:
                    sources.append((f.path, f.sha256, f.size, "rejected", f.reason, 0, None,
                                    f.parser, now))
                    added.append(0)
                    continue
                before = len(rows)
                for row in f.articles:
                    if row[0] in taken:
                        dupes.append((f.path, row[0]))
                        continue
                    taken.add(row[0])
                    rows.append(row)
                added.append(len(rows) - before)
                sources.append((f.path, f.sha256, f.size, "ingested", f.problems, added[-1],
                                f.encoding, f.parser, now))
                stripped.extend(f.stripped)
            db.executemany(schema.INSERT_SOURCE, sources)
            db.executemany("INSERT INTO stripped VALUES (?,?,?)", stripped)
            db.executemany("INSERT INTO duplicates VALUES (?,?)", dupes)
            db.executemany(_INSERT_MEMBER, members)
            db.executemany(schema.INSERT_ARTICLE, rows)
            db.executemany(schema.INSERT_CHANGE, [(row[0], "upsert") for row in rows])
            signatures = [s for f in files for s in f.signatures]
            if not defer:  # articles not in the store before (_existing): new to clustering
                self._recluster(db, [], rows, signatures, new=True)
        if defer:  # once its unit is stored: a run that failed leaves nothing to cluster
            self._unclustered.append((rows, signatures))
        return added

    def cluster_pending(self) -> None:
        """Cluster the articles save_new(defer=True) stored, together, in one unit. The
        same clusters as clustering each run as it was stored (clusters.add takes a batch
        as the items one after another); fewer change rows, as an article stored in the
        batch is not logged again when a later one joins its cluster."""
        pending, self._unclustered = self._unclustered, []
        if pending:
            with self.transaction() as db:
                self._recluster(db, [], [r for rows, _ in pending for r in rows],
                                [s for _, signatures in pending for s in signatures], new=True)

    @staticmethod
    def _recluster(db: sqlite3.Connection, gone: Sequence[str], kept: Sequence[tuple],
                   signatures: Iterable[tuple], new: bool = False) -> None:
        """Bring the clusters of printings up to date with articles removed (gone) and
        stored (kept, with their signatures); articles whose cluster changed are logged
        as changed, so the index learns their new cluster. new: kept are articles the
        store did not hold (clustering has not seen them)."""
        kept_ids = {row[0] for row in kept}
        groups = Clusters(db)
        changed = groups.remove([i for i in gone if i not in kept_ids]) if gone else set()
        items = [s for s in signatures if s[0] in kept_ids]
        if items:
            changed |= groups.add(items, new=new)
        changed = sorted(changed - kept_ids)  # stored ones are logged already
        for start in range(0, len(changed), _LOOKUP_CHUNK):
            chunk = changed[start:start + _LOOKUP_CHUNK]
            db.execute(f"INSERT INTO changes (article_id, op) SELECT id, 'upsert' FROM "
                       f"articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)

    def cluster_backlog(self, batch: int = 500) -> int:
        """Cluster the stored articles clustering has not seen (a store made before
        clusters existed); how many. Cheap once done: a flag in meta says so."""
        if self.db.execute("SELECT 1 FROM meta WHERE key='clustered'").fetchone():
            return 0
        done = 0
        while True:
            with self.transaction() as db:
                rows = db.execute(
                    f"SELECT {schema.COLUMNS} FROM articles WHERE id NOT IN "
                    f"(SELECT article_id FROM cluster_items) LIMIT ?", (batch,)).fetchall()
                if not rows:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('clustered', '1')")
                    return done
                found = [schema.row_article(r) for r in rows]
                self._recluster(db, [], [(a.id,) for a in found], signatures(found))
                done += len(found)

    def clusters(self) -> Clusters:
        """The clusters of printings, to read (Clusters.members, infos)."""
        return Clusters(self.db)

    def _existing(self, ids: list[str]) -> set[str]:
        """Which of these article ids the store holds."""
        found: set[str] = set()
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            chunk = ids[start:start + _LOOKUP_CHUNK]
            found.update(r[0] for r in self.db.execute(
                f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def save_rejected(self, rows: FileRows) -> int:
        """Record a rejected file; its earlier articles (if any) are removed. Returns them."""
        with self.transaction() as db:
            removed = self._delete_source(db, rows.path)
            db.execute(schema.INSERT_SOURCE, (rows.path, rows.sha256, rows.size, "rejected",
                                              rows.reason, 0, None, rows.parser, schema.now()))
            db.executemany(_INSERT_MEMBER, [(rows.path, *m) for m in rows.members])
            self._recluster(db, removed, [], ())
        return len(removed)

    def remove_source(self, path: str, moved_to: str | None = None) -> int:
        """Forget a file gone from the source tree; returns how many articles went with it.
        moved_to: the unit that now reads the file (its articles' ids redirect there)."""
        with self.transaction() as db:
            if moved_to is not None:
                self._record_moved(db, path, moved_to)
            removed = self._delete_source_articles(db, path)
            db.execute("DELETE FROM sources WHERE path=?", (path,))
            self._recluster(db, removed, [], ())
        return len(removed)

    def _delete_source(self, db: sqlite3.Connection, path: str) -> list[str]:
        """Remove what a file's last reading stored (not its sources row); the ids of the
        articles removed."""
        removed = self._delete_source_articles(db, path)
        for table in ("stripped", "duplicates"):
            db.execute(f"DELETE FROM {table} WHERE source=?", (path,))
        db.execute("DELETE FROM unit_files WHERE unit=?", (path,))
        return removed

    def _delete_source_articles(self, db: sqlite3.Connection, path: str) -> list[str]:
        """Remove a file's articles (their clusters are the caller's to update); their ids."""
        ids = [r["id"] for r in db.execute("SELECT id FROM articles WHERE source=?", (path,))]
        if not ids:
            return ids
        db.executemany("INSERT INTO changes (article_id, op) VALUES (?, 'delete')",
                       [(i,) for i in ids])
        # Files that held a duplicate of a removed article must be read again, or the
        # article would be lost: clearing their hash makes the next ingest re-read them.
        marks = ",".join("?" * len(ids))
        db.execute(f"UPDATE sources SET sha256='' WHERE path IN (SELECT source FROM "
                   f"duplicates WHERE article_id IN ({marks}))", ids)
        # The serving index still refers to these versions until it is rebuilt.
        db.execute(f"DELETE FROM retired WHERE id IN ({marks})", ids)
        db.execute("INSERT INTO retired SELECT *, (SELECT max(seq) FROM changes) FROM "
                   "articles WHERE source=?", (path,))
        db.execute("DELETE FROM articles WHERE source=?", (path,))
        return ids

    def stale_sources(self) -> list[str]:
        """Files whose hash was cleared because a duplicate they hold lost its owner."""
        return [r["path"] for r in self.db.execute(
            "SELECT path FROM sources WHERE sha256='' AND status='ingested'")]

    # --- articles --------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute(f"{schema.SELECT_ARTICLES} WHERE articles.id=?",
                              (article_id,)).fetchone()
        return schema.row_article(row, clustered=True) if row else None

    def articles(self, ids: Iterable[str] | None = None, batch: int = 500) -> Iterator[Article]:
        """Every article (in id order), or the given ids (missing ones are skipped)."""
        if ids is None:
            cursor = self.db.execute(f"{schema.SELECT_ARTICLES} ORDER BY articles.id")
            while rows := cursor.fetchmany(batch):
                yield from (schema.row_article(r, clustered=True) for r in rows)
            return
        wanted = list(ids)
        for start in range(0, len(wanted), batch):
            chunk = wanted[start:start + batch]
            rows = self.db.execute(f"{schema.SELECT_ARTICLES} WHERE articles.id IN "
                                   f"({','.join('?' * len(chunk))})", chunk).fetchall()
            yield from (schema.row_article(r, clustered=True) for r in rows)

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


def _source(row: sqlite3.Row) -> SourceRecord:
    return SourceRecord(row["path"], row["sha256"], row["size"], row["status"], row["reason"],
                        row["articles"], row["encoding"], row["parser_version"])
