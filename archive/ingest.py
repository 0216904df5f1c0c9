"""Walk source trees, parse every page, keep the articles in the store; incremental by file
hash. Every file seen is accounted for: ingested, unchanged, or rejected with a reason.

Files are read in worker processes (reading is a pure function of a file); the store has
one writer, this process, which commits many files per transaction (archive.batches)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import time
import zlib
from collections.abc import Callable, Container, Generator, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from archive.articles import finish
from archive.batches import BatchWriter
from archive.dates import date_from_path
from archive.formats import Input, Member, choose, is_current
from archive.formats.sniff import HEAD_BYTES
from archive.model import IngestReport, Outcome, PageMeta, ReadOptions, Rejected
from archive.pool import Failure, ordered_map
from archive.store import FileRows, SourceRecord, Store, file_rows
from archive.units import (
    gunzip,
    member_rows,
    plan,
    read_head,
    read_members,
    too_large,
    unit_digest,
)
from archive.walk import MANIFEST_NAMES, Listing, discover, find, source_key

__all__ = ["Outcome", "discover", "ingest", "page_meta", "read_file", "source_key"]

_META_KEYS = ("publication", "date", "page", "section", "language", "country")
# Fewer files than this per worker are read in this process: starting workers costs more.
MIN_FILES_PER_WORKER = 64
CHUNK_FILES = 32  # files per message to and from a worker
UNCHANGED = "unchanged"

Progress = Callable[[str, str], None]  # (path, outcome) after each file


def page_meta(path: Path, root: Path | None, listing: Container[str] | None = None
              ) -> PageMeta:
    """Metadata from a sidecar or manifest (strongest), else the date in the path.

    listing: the .json files under root (see archive.walk.find), so that looking for
    manifests and sidecars costs no system call; without it they are looked for on disk.
    """
    is_file = listing.__contains__ if listing is not None and root is not None \
        else os.path.isfile
    here = str(path)
    found: dict[str, object] = {}
    for folder in _manifest_folders_up(os.path.dirname(here), root, listing):
        for name in MANIFEST_NAMES:
            manifest = os.path.join(folder, name)
            if is_file(manifest):
                data = _load_json(Path(manifest))
                files = data.get("files", {})
                entry = files.get(os.path.relpath(here, folder), {}) \
                    if isinstance(files, dict) else {}
                if not isinstance(entry, dict):
                    raise Rejected(f"manifest {name}: the entry for this file must "
                                   "be a JSON object")
                for key in _META_KEYS:
                    if found.get(key) is None:  # the nearest manifest that names it wins
                        found[key] = entry.get(key, data.get(key))
    # A walk that met no .json file at all (the common case) has no sidecar to look for.
    sidecars = () if listing is not None and root is not None and not listing \
        else (here + ".json", str(path.with_suffix(".json")))
    for sidecar in sidecars:
        if sidecar != here and is_file(sidecar):
            data = _load_json(Path(sidecar))
            found.update({k: data[k] for k in _META_KEYS if data.get(k) is not None})
            break
    values = {k: v for k, v in found.items() if v is not None}
    date, date_source = None, None
    if "date" in values:
        try:
            date = dt.date.fromisoformat(str(values["date"]))
        except ValueError as error:
            raise Rejected(f"sidecar date {values['date']!r} is not YYYY-MM-DD") from error
        date_source = "sidecar"
    elif (date := date_from_path(here[len(os.path.join(os.path.dirname(str(root)), "")):]
                                 if root else here)):  # the path from root's parent on
        date_source = "path"
    page = values.get("page")
    if page is not None and not str(page).strip().isdigit():
        raise Rejected(f"metadata page {page!r} is not a page number")
    return PageMeta(publication=values.get("publication"), date=date, date_source=date_source,
                    page=int(page) if page is not None else None,
                    section=values.get("section"), language=values.get("language"),
                    country=values.get("country"))


def _manifest_folders_up(folder: str, root: Path | None,
                         listing: Container[str] | None) -> list[str]:
    """The folders whose manifests apply to a file in folder, nearest first: the folder and
    its parents up to the walked root, but only those a walk's listing shows one in."""
    if isinstance(listing, Listing) and root is not None:
        if not listing.manifest_folders:  # most walks meet no manifest at all
            return []
        return [f for f in _folders_up(folder, str(root)) if f in listing.manifest_folders]
    return _folders_up(folder, str(root) if root else None)


def _folders_up(folder: str, root: str | None) -> list[str]:
    """The file's folder and its parents up to the walked root (nearest first)."""
    chain = [folder]
    while root is not None and chain[-1] != root \
            and chain[-1] != os.path.dirname(chain[-1]):
        chain.append(os.path.dirname(chain[-1]))
    return chain


def _load_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Rejected(f"metadata file {path.name} is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise Rejected(f"metadata file {path.name} must hold a JSON object")
    return data


def read_file(path: Path, root: Path | None, options: ReadOptions,
              max_bytes: int | None = None, listing: Container[str] | None = None,
              members: tuple[Member, ...] | None = None) -> Outcome:
    """Read, decode and parse one file (with the member files of a unit); never raises
    for bad input (a pure function of the files, so it can run in a worker process).

    max_bytes: the largest file read, over each form's own limit (None: those limits).
    members: a unit's member files as planned (None: the unit lists them itself)."""
    sha, size, key, parser = "", 0, source_key(path), None
    rows: list[tuple] = []
    try:
        with open(path, "rb", buffering=0) as stream:  # one open for the size and the bytes
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(HEAD_BYTES)
            try:
                if path.suffix == ".json" or path.name in MANIFEST_NAMES:
                    raise Rejected(_metadata_alone(path))
                reader = choose(key, data if data[:2] != b"\x1f\x8b" else _gunzip_head(data))
            except Rejected:
                sha = _sha256_file(path)
                raise
            parser = reader.tag
            limit = max_bytes or reader.max_bytes
            if size > limit:
                return Outcome(key, _sha256_file(path), size, reason=too_large(size, limit),
                               parser=parser)
            data += stream.read()
        sha = hashlib.sha256(data).hexdigest()
        if data[:2] == b"\x1f\x8b":
            data = gunzip(data, limit)
        member_data: dict[str, bytes | str] = {}
        if reader.members is not None:
            if members is None:
                members = tuple(reader.members(key, data))
            member_data, rows = read_members(reader, members)
            sha = unit_digest(sha, rows)
            size += sum(row[3] for row in rows)
        meta = page_meta(path, root, listing)
        unit = reader.read(Input(key, data, meta, member_data), options)
        parsed = finish(unit, key, sha, meta, options)
        return Outcome(key, sha, size, parsed, parser=parser, members=tuple(rows))
    except Rejected as error:
        return Outcome(key, sha, size, reason=str(error), parser=parser, members=tuple(rows))
    except OSError as error:
        return Outcome(key, sha, size, reason=f"cannot read: {error.strerror or error}",
                       parser=parser, members=tuple(rows))
    except RecursionError:
        return Outcome(key, sha, size, reason="cannot parse: nesting too deep", parser=parser,
                       members=tuple(rows))
    except Exception as error:  # a parser bug must not stop the run; the reason says so
        return Outcome(key, sha, size,
                       reason=f"internal error while parsing ({type(error).__name__}: "
                              f"{error}); please report it", parser=parser,
                       members=tuple(rows))


def _gunzip_head(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, HEAD_BYTES)
    except zlib.error as error:
        raise Rejected(f"broken gzip file: {error}") from error


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
           jobs: int | None = None) -> IngestReport:
    """Bring the store up to date with the given files and folders.

    Files are read by `jobs` worker processes (None: one per core); jobs=1 reads them in
    this process, as do small runs, where starting workers would cost more than it saves.
    A METS issue is read as one unit with the page files it names (archive.units).
    max_bytes: the largest file read, over each form's own limit (None: those limits).
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    started = time.perf_counter()
    options = options or ReadOptions()
    report = IngestReport()
    found = find(sources)
    planned = plan(found.names)
    report.members = len(planned.claimed)
    names = [name for name in found.names if name not in planned.claimed]
    keys = [source_key(name) for name in names]
    seen = dict(zip(keys, names, strict=True))
    known = store.source_records(keys)  # one query per 500 files, not one per file
    tasks = [_Task(name, found.root_by_name[name], _current(known.get(key)),
                   planned.members.get(name)) for name, key in zip(names, keys, strict=True)]
    read = functools.partial(_read_task, options=options, max_bytes=max_bytes,
                             listing=found.listing)
    # progress hears of a stored file once its batch has written it; closing the results
    # stops the workers at once if this loop is left early (Ctrl+C, a store error)
    with BatchWriter(store, report, on_stored=progress) as writer, \
            contextlib.closing(_read_all(read, tasks, jobs)) as results:
        for task, key, result in zip(tasks, keys, results, strict=True):
            report.seen += 1
            if isinstance(result, Failure):
                result = _not_parsed(task, key, result.reason)
            if isinstance(result, FileRows):
                writer.write(result, known=key in known)
            else:
                report.unchanged += 1
                if progress:
                    progress(key, UNCHANGED)
    gone = dict.fromkeys(path for root in found.roots
                         for path in store.source_paths(under=source_key(root))
                         if path not in seen)
    if gone:
        with store.transaction():  # one commit; each removal is a savepoint inside it
            for path in gone:
                report.articles_removed += store.remove_source(path)
                report.removed.append(path)
    # Files holding a duplicate whose first copy just went away: read them again.
    stale = [seen[path] for path in store.stale_sources() if path in seen]
    with BatchWriter(store, IngestReport()) as writer:
        for name in stale:
            writer.write(read_file(Path(name), found.root_by_name[name], options, max_bytes,
                                   found.listing, planned.members.get(name)), known=True)
    report.articles_total = store.count()
    report.seconds = time.perf_counter() - started
    return report


def _current(record: SourceRecord | None) -> tuple[int, str] | None:
    if record and record.status == "ingested" and is_current(record.parser_version):
        return record.size, record.sha256
    return None


def _read_task(task: _Task, options: ReadOptions, max_bytes: int | None,
               listing: Container[str]) -> FileRows | str:
    """UNCHANGED when the file (and a unit's members) still has the stored size and hash,
    else the rows of read_file's outcome: the writer only inserts them."""
    path = Path(task.name)
    if task.stored is not None:
        try:
            if task.members is not None:
                if _unit_digest(path, task.members) == task.stored[1]:
                    return UNCHANGED
            elif path.stat().st_size == task.stored[0] \
                    and _sha256_file(path) == task.stored[1]:
                return UNCHANGED
        except (OSError, Rejected):
            pass  # read_file reports it
    return file_rows(read_file(path, task.root, options, max_bytes, listing, task.members))


def _unit_digest(path: Path, members: tuple[Member, ...]) -> str:
    """The hash a unit would be stored with today, from its files' hashes alone."""
    head = read_head(str(path))
    return unit_digest(_sha256_file(path), member_rows(choose(str(path), head), members))


def _read_all(read: Callable[[_Task], FileRows | str], tasks: Sequence[_Task],
              jobs: int | None) -> Generator[FileRows | str | Failure, None, None]:
    """read over tasks, in order: in worker processes when there is enough to share."""
    workers = min(jobs or os.cpu_count() or 1, len(tasks) // MIN_FILES_PER_WORKER)
    if workers <= 1:
        yield from map(read, tasks)
    else:
        yield from ordered_map(read, tasks, workers, CHUNK_FILES)


def _not_parsed(task: _Task, key: str, why: str) -> FileRows:
    """The outcome of a file its worker could not read (the worker died on it)."""
    sha, size = "", 0
    try:
        size = os.stat(task.name).st_size
        sha = _sha256_file(Path(task.name))
    except OSError:
        pass
    return FileRows(key, sha, size, f"not parsed: {why}; please report this file")
