"""Walk source trees, parse every page, keep the articles in the store; incremental by file
hash. Every file seen is accounted for: ingested, unchanged, or rejected with a reason.

Files are read in worker processes (reading is a pure function of a file); the store has
one writer, this process, which commits many files per transaction (archive.batches)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import time
from collections.abc import Callable, Container, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from archive.articles import finish
from archive.batches import BatchWriter
from archive.budget import HARD_SIGNAL, Overtime, seconds_for, time_budget, too_slow
from archive.faults import reach
from archive.formats import Input, Member, choose, is_current
from archive.formats.sniff import HEAD_BYTES
from archive.metadata import page_meta
from archive.model import IngestReport, Outcome, ParsedFile, ReadOptions, Rejected
from archive.pool import Failure, ordered_map
from archive.rows import FileRows, file_rows, file_rows_many
from archive.series import read_series
from archive.store import SourceRecord, Store
from archive.units import (
    decompress,
    head_of,
    member_rows,
    plan,
    read_head,
    read_members,
    too_large,
    unit_digest,
)
from archive.walk import MANIFEST_NAMES, discover, find, source_key

__all__ = ["Outcome", "discover", "ingest", "page_meta", "read_file", "source_key"]

# Fewer files than this per worker are read in this process: starting workers costs more.
MIN_FILES_PER_WORKER = 64
CHUNK_FILES = 32  # files per message to and from a worker
UNCHANGED = "unchanged"
# SQLite page cache of the writer while it ingests (SQLite's default is 2 MiB): the band
# and index pages every batch touches stay in memory (measured: ~25% less CPU for the
# clustering tables' writes). Only the ingesting connection holds it, only while it ingests.
WRITER_CACHE_MIB = 64
# Pages of write-ahead log between checkpoints while ingesting (SQLite's default: 1000, about
# one batch's commit): the index pages every batch rewrites are copied into the database
# once per ~20 batches instead of after each (Store.checkpoint_every).
WRITER_CHECKPOINT_PAGES = 20000

Progress = Callable[[str, str], None]  # (path, outcome) after each file
# The process that runs ingest(): read_file elsewhere is in a worker, whose hard time
# limit may end the process (in the ingesting process it would end the run).
_PARENT = [os.getpid()]


@dataclass
class _Reading:
    """What is known of a file being read, for the Outcome however the reading ends."""

    key: str
    sha: str = ""
    size: int = 0
    parser: str | None = None
    rows: list[tuple] = field(default_factory=list)  # a unit's unit_files rows
    budget: float = 0.0

    def outcome(self, parsed: ParsedFile | None = None, reason: str | None = None) -> Outcome:
        return Outcome(self.key, self.sha, self.size, parsed, reason, self.parser,
                       tuple(self.rows))


def read_file(path: Path, root: Path | None, options: ReadOptions,
              max_bytes: int | None = None, listing: Container[str] | None = None,
              members: tuple[Member, ...] | None = None) -> Outcome:
    """Read, decode and parse one file (with the member files of a unit); never raises
    for bad input (a pure function of the files, so it can run in a worker process).

    max_bytes: the largest file read, over each form's own limit (None: those limits).
    members: a unit's member files as planned (None: the unit lists them itself).
    A file that takes longer than its time budget (archive.budget) is rejected."""
    state = _Reading(source_key(path))
    try:
        with open(path, "rb", buffering=0) as stream:  # one open for the size and the bytes
            state.size = os.fstat(stream.fileno()).st_size
            state.budget = seconds_for(state.size + _planned_size(members),
                                       options.seconds_per_mb)
            with time_budget(state.budget, hard=os.getpid() != _PARENT[0]):
                parsed = _read(stream, path, root, options, max_bytes, listing, members, state)
        return state.outcome(parsed)
    except Rejected as error:
        return state.outcome(reason=str(error))
    except Overtime:
        return state.outcome(reason=too_slow(state.budget))
    except OSError as error:
        return state.outcome(reason=f"cannot read: {error.strerror or error}")
    except RecursionError:
        return state.outcome(reason="cannot parse: nesting too deep")
    except Exception as error:  # a parser bug must not stop the run; the reason says so
        return state.outcome(reason=f"internal error while parsing ({type(error).__name__}: "
                                    f"{error}); please report it")


def _read(stream: BinaryIO, path: Path, root: Path | None, options: ReadOptions,
          max_bytes: int | None, listing: Container[str] | None,
          members: tuple[Member, ...] | None, state: _Reading) -> ParsedFile:
    """read_file's work on the open file: sniff, read (with a unit's members), finish."""
    data = stream.read(HEAD_BYTES)
    try:
        if path.suffix == ".json" or path.name in MANIFEST_NAMES:
            raise Rejected(_metadata_alone(path))
        reader = choose(state.key, head_of(data))
    except Rejected:
        state.sha = _sha256_file(path)
        raise
    state.parser = reader.tag
    limit = max_bytes or reader.max_bytes
    if state.size > limit:
        state.sha = _sha256_file(path)
        raise Rejected(too_large(state.size, limit))
    data += stream.read()
    state.sha = hashlib.sha256(data).hexdigest()
    data = decompress(data, limit)
    member_data: dict[str, bytes | str] = {}
    series = reader.members is None and bool(members)  # the first page of a page series
    if reader.members is not None and members is None:
        members = tuple(reader.members(state.key, data))
    if members:
        member_data, state.rows = read_members(reader, members, max_bytes)
        state.sha = unit_digest(state.sha, state.rows)
        state.size += sum(row[3] for row in state.rows)
    meta = page_meta(path, root, listing)
    if series:
        return read_series(reader, Input(state.key, data, meta), members or (), member_data,
                           root, listing, state.sha, options)
    unit = reader.read(Input(state.key, data, meta, member_data), options)
    return finish(unit, state.key, state.sha, meta, options)


def _planned_size(members: tuple[Member, ...] | None) -> int:
    """The bytes of a unit's planned member files (they count towards its time budget)."""
    total = 0
    for member in members or ():
        if member.path is not None:
            with contextlib.suppress(OSError):
                total += os.stat(member.path).st_size
    return total


def _metadata_alone(path: Path) -> str:
    """Why a metadata file met on its own is not read as a page."""
    if path.name in MANIFEST_NAMES:
        return "a folder manifest (metadata for the pages beside it), not a page"
    stem = path.name[: -len(".json")]
    pages = [stem] if Path(stem).suffix else [stem, stem + ".txt", stem + ".txt.gz"]
    present = [p for p in pages if path.with_name(p).exists()]
    if present:
        return f"a metadata sidecar, not a page: it is read with {present[0]}"
    return f"metadata sidecar without its page: no {' or '.join(pages)} beside it"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class _Task(NamedTuple):
    name: str  # the file (its Path is made where it is read, see walk.Found)
    root: Path | None
    stored: tuple[int, str] | None  # (size, sha256) of a stored parse that is still current
    members: tuple[Member, ...] | None = None  # a unit's planned members


def ingest(store: Store, sources: Iterable[str | Path], options: ReadOptions | None = None,
           progress: Progress | None = None, max_bytes: int | None = None,
           jobs: int | None = None, total: Callable[[int], None] | None = None
           ) -> IngestReport:
    """Bring the store up to date with the given files and folders.

    Files are read by `jobs` worker processes (None: one per core); jobs=1 reads them in
    this process, as do small runs, where starting workers would cost more than it saves.
    A METS issue is read as one unit with the page files it names, and the page files of
    one issue as a page series (archive.units).
    max_bytes: the largest file read, over each form's own limit (None: those limits).
    total: told how many files `progress` will hear of, once they are found.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    with store.page_cache(WRITER_CACHE_MIB), store.checkpoint_every(WRITER_CHECKPOINT_PAGES):
        return _ingest(store, sources, options, progress, max_bytes, jobs, total)


def _ingest(store: Store, sources: Iterable[str | Path], options: ReadOptions | None,
            progress: Progress | None, max_bytes: int | None, jobs: int | None,
            total: Callable[[int], None] | None) -> IngestReport:
    """ingest()'s work."""
    started = time.perf_counter()
    _PARENT[0] = os.getpid()
    options = options or ReadOptions()
    report = IngestReport()
    found = find(sources)
    planned = plan(found.names)
    report.members = len(planned.claimed)
    names = [name for name in found.names if name not in planned.claimed]
    keys = [source_key(name) for name in names]
    seen = dict(zip(keys, names, strict=True))
    # one query per 500 files, not one per file
    known = store.source_records([*keys, *map(source_key, found.unlisted)])
    tasks = [_Task(name, found.root_by_name[name], _current(known.get(key)),
                   planned.members.get(name)) for name, key in zip(names, keys, strict=True)]
    if total:
        total(len(tasks) + len(found.unlisted))
    read = functools.partial(_read_task, options=options, max_bytes=max_bytes,
                             listing=found.listing)
    # progress hears of a stored file once its batch has written it; closing the results
    # stops the workers at once if this loop is left early (Ctrl+C, a store error)
    with BatchWriter(store, report, on_stored=progress) as writer, \
            contextlib.closing(_read_all(read, tasks, jobs)) as results:
        for task, key, result in zip(tasks, keys, results, strict=True):
            report.seen += 1
            if isinstance(result, Failure):
                result = _not_parsed(task, key, result.reason, options)
            if isinstance(result, FileRows):
                writer.write(result, known=key in known)
            else:
                report.unchanged += 1
                if progress:
                    progress(key, UNCHANGED)
        for folder, why in found.unlisted.items():  # accounted for like a rejected file
            report.seen += 1
            seen[source_key(folder)] = folder
            writer.write(FileRows(source_key(folder), "", 0, why),
                         known=source_key(folder) in known)
    reach("ingest:before-removals")
    # A file under a folder that could not be listed this time is not known to be gone:
    # its articles stay (a lost permission or mount must not empty the archive).
    unlisted = tuple(source_key(folder).rstrip("/") + "/" for folder in found.unlisted)
    gone = dict.fromkeys(path for root in found.roots
                         for path in store.source_paths(under=source_key(root))
                         if path not in seen and not path.startswith(unlisted))
    if gone:
        # a file now read as a part of a unit is gone as a source of its own
        moved = {source_key(name): source_key(unit) for name, unit in planned.claimed.items()}
        with store.transaction():  # one commit; each removal is a savepoint inside it
            for path in gone:
                report.articles_removed += store.remove_source(path, moved.get(path))
                if path in moved:
                    report.moved[path] = moved[path]
                else:
                    report.removed.append(path)
    # Files holding a duplicate whose first copy just went away: read them again.
    stale = [seen[path] for path in store.stale_sources() if path in seen]
    with BatchWriter(store, IngestReport()) as writer:
        for name in stale:
            writer.write(read_file(Path(name), found.root_by_name[name], options, max_bytes,
                                   found.listing, planned.members.get(name)), known=True)
    store.cluster_backlog()  # a store from before clusters: once
    reach("ingest:end")
    report.articles_total = store.count()
    report.seconds = time.perf_counter() - started
    return report


def _current(record: SourceRecord | None) -> tuple[int, str] | None:
    if record and record.status == "ingested" and is_current(record.parser_version):
        return record.size, record.sha256
    return None


def _read_task(task: _Task, options: ReadOptions, max_bytes: int | None,
               listing: Container[str]) -> Outcome | str:
    """UNCHANGED when the file (and a unit's members) still has the stored size and hash,
    else read_file's outcome (made into rows by _rows, for a chunk of files at once)."""
    path = Path(task.name)
    if task.stored is not None:
        try:
            if task.members is not None:
                if _unit_digest(path, task.members, max_bytes) == task.stored[1]:
                    return UNCHANGED
            elif path.stat().st_size == task.stored[0] \
                    and _sha256_file(path) == task.stored[1]:
                return UNCHANGED
        except (OSError, Rejected):
            pass  # read_file reports it
    return read_file(path, task.root, options, max_bytes, listing, task.members)


def _rows(results: list[Outcome | str | Failure]) -> list[FileRows | str | Failure]:
    """The rows of a chunk's outcomes, where they are read, so the writer only inserts
    them; their signatures are worked out together (archive.minhash_many)."""
    outcomes = [result for result in results if isinstance(result, Outcome)]
    try:
        rows = iter(file_rows_many(outcomes))
        return [next(rows) if isinstance(result, Outcome) else result for result in results]
    except Exception:  # one file's bug: find it, file by file
        return list(map(_rows_alone, results))


def _rows_alone(result: Outcome | str | Failure) -> FileRows | str | Failure:
    if not isinstance(result, Outcome):
        return result
    try:
        return file_rows(result)
    except Exception as error:  # as archive.pool reports a function that raised
        return Failure(f"{type(error).__name__}: {error}")


def _unit_digest(path: Path, members: tuple[Member, ...], max_bytes: int | None) -> str:
    """The hash a unit would be stored with today, from its files' hashes alone."""
    head = read_head(str(path))
    return unit_digest(_sha256_file(path),
                       member_rows(choose(str(path), head), members, max_bytes))


def _read_all(read: Callable[[_Task], Outcome | str], tasks: Sequence[_Task],
              jobs: int | None) -> Generator[FileRows | str | Failure, None, None]:
    """read over tasks, in order, made into rows a chunk at a time: in worker processes
    when there is enough to share."""
    workers = min(jobs or os.cpu_count() or 1, len(tasks) // MIN_FILES_PER_WORKER)
    if workers <= 1:
        for start in range(0, len(tasks), CHUNK_FILES):
            yield from _rows([read(task) for task in tasks[start:start + CHUNK_FILES]])
    else:
        yield from ordered_map(read, tasks, workers, CHUNK_FILES, _rows)


def _not_parsed(task: _Task, key: str, why: str, options: ReadOptions) -> FileRows:
    """The outcome of a file its worker could not read (the worker died on it)."""
    sha, size = "", 0
    try:
        size = os.stat(task.name).st_size
        sha = _sha256_file(Path(task.name))
    except OSError:
        pass
    if HARD_SIGNAL in why:  # its worker was stopped by the hard time limit
        return FileRows(key, sha, size, too_slow(seconds_for(size, options.seconds_per_mb)))
    return FileRows(key, sha, size, f"not parsed: {why}; please report this file")
