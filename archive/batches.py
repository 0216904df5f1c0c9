"""Store what reading files gave, many files per SQLite transaction.

One commit per file made the single writer the bottleneck of a parallel ingest. A batch
keeps one transaction open for up to BATCH_FILES files or BATCH_SECONDS. Runs of files the
store has never seen are written together (Store.save_new); other files, and the files of
a run that failed, each get their own savepoint, so a file that fails to store rolls back
alone and is rejected with the reason while its neighbours stay. When SQLite drops the
whole transaction instead (disk full, I/O error) or the commit fails, the batch is stored
again file by file, each in its own transaction. The report counts a file once its batch
is committed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from archive.model import IngestReport, Outcome
from archive.rows import FileRows, file_rows
from archive.store import Store

# Files per transaction, unless BATCH_SECONDS pass first (which bounds a batch's memory when
# its files are big: METS issues). A batch's new articles are clustered together when it
# commits, and bigger batches cluster for less per article (fewer lookups and statements,
# fewer pages of the band index rewritten per article): at 100k one-article pages with 2
# jobs, 5,000 (in effect, a second's worth) took the writer 23 us of clustering an article
# against 31 with 500, and ingest with clustering 15% more CPU than without it against 23%.
BATCH_FILES = 5000
BATCH_SECONDS = 1.0  # readers (the web app) see new articles at least this often
# New files are written this many at a time inside the batch: writing 500 at once kept the
# writer from reading the workers' results long enough for them to stall.
RUN_FILES = 64

Stored = Callable[[str, str], None]  # (path, new | changed | rejected) once it is stored


@dataclass(frozen=True)
class _Result:
    outcome: FileRows
    known: bool  # the store had a record of this file before the run
    status: str  # new | changed | rejected
    added: int = 0
    removed: int = 0
    reason: str | None = None


class _BatchLost(Exception):
    """SQLite rolled the whole batch transaction back."""


class BatchWriter:
    """Writes outcomes into the store in batches; use as a context manager."""

    def __init__(self, store: Store, report: IngestReport, on_stored: Stored | None = None,
                 max_files: int | None = None, max_seconds: float | None = None):
        self.store, self.report = store, report
        self.on_stored = on_stored
        self.max_files = max_files or BATCH_FILES
        self.max_seconds = max_seconds or BATCH_SECONDS
        self._run: list[FileRows] = []  # new files, not written yet
        self._pending: list[_Result] = []  # written in the open transaction
        self._open = False  # a batch transaction is open
        self._since = 0.0  # when the oldest file not yet committed arrived

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        # Even when the run stops (Ctrl+C), the files already read are whole: keep them.
        self.flush()

    def write(self, outcome: FileRows | Outcome, known: bool) -> None:
        """Store one file's outcome (known: the store had a record of the file). Readers
        send its rows (rows.file_rows); an Outcome is made into rows here."""
        if isinstance(outcome, Outcome):
            outcome = file_rows(outcome)
        if not self._run and not self._pending:
            self._since = time.monotonic()
        if known:
            self._write_run()
            self._begin()
            try:
                self._cluster_pending()  # what this file changes may meet what was stored
                self._done(self._store(outcome, known))
            except _BatchLost:
                self._lost([(outcome, known)])
        else:
            self._run.append(outcome)
            if len(self._run) >= RUN_FILES:
                self._write_run()
        if (len(self._run) + len(self._pending) >= self.max_files
                or time.monotonic() - self._since >= self.max_seconds):
            self.flush()

    def flush(self) -> None:
        """Commit the open batch (if any) and count its files in the report."""
        self._write_run()
        pending, self._pending = self._pending, []
        if self._open:
            self._open = False
            try:
                self.store.commit()
            except Exception:
                self.store.rollback()
                self._one_by_one([(r.outcome, r.known) for r in pending], announce=False)
                return
        for result in pending:
            self._count(result)

    # --- inside the batch transaction ---------------------------------------------------

    def _begin(self) -> None:
        if not self._open:
            self.store.begin()
            self._open = True

    def _write_run(self) -> None:
        """Write the buffered new files together, or one by one when that fails."""
        run, self._run = self._run, []
        if not run:
            return
        self._begin()
        try:
            added = self.store.save_new(run, defer=True)
        except Exception:
            # The runs before it are clustered first, as they would have been already.
            try:
                if not self.store.db.in_transaction:
                    raise _BatchLost
                self._cluster_pending()
            except _BatchLost:
                self._lost([(o, False) for o in run])
                return
            for number, outcome in enumerate(run):  # the others are stored; it is rejected
                try:
                    if not self.store.db.in_transaction:
                        raise _BatchLost
                    self._done(self._store(outcome, False))
                except _BatchLost:
                    self._lost([(o, False) for o in run[number:]])
                    return
            return
        for outcome, count in zip(run, added, strict=True):
            status = "new" if outcome.reason is None else "rejected"
            self._done(_Result(outcome, False, status, added=count, reason=outcome.reason))

    def _cluster_pending(self) -> None:
        """Cluster the new files written so far in the batch (Store.save_new's defer); a
        failure there loses the batch, which is then stored again file by file."""
        try:
            self.store.cluster_pending()
        except Exception as error:
            raise _BatchLost from error

    def _lost(self, unwritten: list[tuple[FileRows, bool]]) -> None:
        """SQLite rolled the batch back: store it again, each file in its own transaction."""
        written = [(r.outcome, r.known) for r in self._pending]
        self._pending = []
        self._open = False
        self.store.rollback()
        self._one_by_one(written, announce=False)  # announced when first written
        self._one_by_one(unwritten, announce=True)

    def _done(self, result: _Result) -> None:
        self._pending.append(result)
        if self.on_stored:
            self.on_stored(result.outcome.path, result.status)

    # --- storing -----------------------------------------------------------------------

    def _one_by_one(self, outcomes: list[tuple[FileRows, bool]], announce: bool) -> None:
        for outcome, known in outcomes:
            result = self._store(outcome, known, batched=False)
            self._count(result)
            if announce and self.on_stored:
                self.on_stored(outcome.path, result.status)

    def _store(self, outcome: FileRows, known: bool, batched: bool = True) -> _Result:
        store = self.store
        if outcome.reason is not None:
            removed = self._saving(batched, store.save_rejected, outcome)
            return _Result(outcome, known, "rejected", removed=removed, reason=outcome.reason)
        try:
            added, _, removed = store.save_parsed(outcome)
        except Exception as error:  # the file's savepoint rolled back; the run goes on
            if batched and not store.db.in_transaction:
                raise _BatchLost from error
            reason = f"could not be stored ({type(error).__name__}: {error})"
            removed = self._saving(batched, store.save_rejected,
                                   outcome._replace(reason=reason, articles=(), stripped=()))
            return _Result(outcome, known, "rejected", removed=removed, reason=reason)
        return _Result(outcome, known, "changed" if known else "new", added, removed)

    def _saving(self, batched: bool, save: Callable[..., int], *args: object) -> int:
        try:
            return save(*args)
        except Exception as error:
            if batched and not self.store.db.in_transaction:
                raise _BatchLost from error
            raise

    def _count(self, result: _Result) -> None:
        report = self.report
        report.articles_removed += result.removed
        if result.status == "rejected":
            report.rejected[result.outcome.path] = result.reason or "unknown"
            return
        report.articles_added += result.added
        if result.known:
            report.changed += 1
        else:
            report.new += 1
