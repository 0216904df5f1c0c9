"""Rebuild the index from the store with no downtime.

Layout of the index folder:
    current            symlink to the snapshot readers use (replaced atomically)
    snapshots/<name>/  one complete index each, plus snapshot.json (engine, change seq,
                       and where its index lives: index.engine.Where)
    rebuild.lock       held (flock) by the one running rebuild; released if it dies

A snapshot's index lives in its folder, or (an engine with servers: Sphinx) in a remote
index the folder names: snapshot.json records which, and the swap is the same one write
of `current` for both. A full build writes a fresh snapshot and swaps `current` only once
it is complete, so a killed build leaves the previous index serving. Small changes are
applied to the current snapshot in one commit of its engine. Old snapshots are deleted
with their remote index (the engine's drop()), not only their folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import fcntl
import json
import os
import shutil
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from archive import faults
from archive.store import Store
from index.engine import BuildStats, Engine, IndexMissing, SearchError, Where
from index.engines import REGISTRY, engine_name, make_engine

CURRENT = "current"
SNAPSHOTS = "snapshots"
META = "snapshot.json"
LOCK = "rebuild.lock"
FULL_REBUILD_SHARE = 0.2  # rebuild from scratch when more than this share changed
KEEP_SNAPSHOTS = 2  # the current one and the one before (a reader may still hold it)
# Bump when what an index holds changes (fields, analysis): older snapshots are then
# rebuilt in full and not served in the meantime.
# 4: kind and OCR-level facets (tantivy: also each item's best level, to count), the
#    stored kind and confidence, the best-OCR sort column. (3 was committed before the
#    engines held them: an index built then lacks them.)
# 5: stories: each printing's story key (cluster id, or its own id when printed once), the
#    cluster id of shared stories, stored cluster id and size (index.collapse).
# 6: a Chinese character (or hiragana) is a word of its own (index.analysis.TOKEN_PATTERN).
INDEX_FORMAT = 6

Progress = Callable[[int], None]


class RebuildBusy(Exception):
    """Another rebuild holds the lock."""


@dataclass(frozen=True)
class RebuildResult:
    stats: BuildStats
    snapshot: Path
    articles: int


def current_snapshot(root: Path) -> Path | None:
    """The complete snapshot readers should use, or None before the first build."""
    link = Path(root) / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    path = (Path(root) / target).resolve()
    return path if (path / META).is_file() else None


@dataclass(frozen=True)
class Snapshot:
    """A complete snapshot as its snapshot.json records it (read_snapshot)."""

    path: Path  # its folder
    engine: str
    format: int | None
    change_seq: int
    articles: int
    built_at: str | None
    where: Where


def snapshot_meta(path: Path) -> dict:
    """snapshot.json as written (read_snapshot interprets it)."""
    return json.loads((path / META).read_text())


def read_snapshot(path: Path) -> Snapshot:
    """The one reading of a snapshot's record, older ones included: before the engine was
    recorded it was Whoosh; before `where` was, a folder engine's index was its folder
    and a server engine's own files named its remote index (asked of it here)."""
    path = Path(path)
    data = snapshot_meta(path)
    engine = data.get("engine", "whoosh")
    where = Where(_relative(path))
    if "where" in data:
        where = Where.from_json(data["where"])
    elif _remote(engine):
        with contextlib.suppress(SearchError, ImportError):  # unknown: the engine will say
            where = _where_of(engine, path)
    return Snapshot(path, engine, data.get("format"), int(data.get("change_seq", 0)),
                    int(data.get("articles", 0)), data.get("built_at"), where)


def open_engine(root: Path, store: Store) -> Engine:
    """An engine on the current snapshot; raises IndexMissing before the first build."""
    path = current_snapshot(root)
    if path is None:
        raise IndexMissing("there is no search index yet: run `newsarchive rebuild`")
    snapshot = read_snapshot(path)
    if snapshot.format != INDEX_FORMAT:
        raise IndexMissing("the search index was built by an older version of newsarchive: "
                           "run `newsarchive rebuild`")
    # the engine that built the snapshot answers from it, whatever the environment says
    engine = make_engine(snapshot.engine, path,
                         texts=store.snippet_texts)
    hook = getattr(engine, "where", None)
    if snapshot.where.remote is not None and hook is not None:
        found = hook()
        if (found.remote, found.generation) != (snapshot.where.remote,
                                                snapshot.where.generation):
            engine.close()  # its folder no longer names the index the snapshot recorded
            raise IndexMissing(f"the search index {snapshot.where.remote} this snapshot "
                               "was built into is gone: run `newsarchive rebuild --full`")
    return engine


def _remote(engine: str) -> bool:
    """Whether an engine keeps its index on servers (then it has where() and drop())."""
    registered = REGISTRY.get(engine)
    return bool(registered and registered.server)


def _relative(path: Path) -> str:
    """A snapshot folder as `where` records it: relative to the index root."""
    return f"{SNAPSHOTS}/{Path(path).name}"


def _where_of(engine: Engine | str, path: Path) -> Where:
    """Where an engine (or a new one of that name on `path`) keeps the snapshot's index."""
    made = make_engine(engine, path) if isinstance(engine, str) else None
    try:
        hook = getattr(made or engine, "where", None)
        found = hook() if hook is not None else Where("")
    finally:
        if made is not None:
            made.close()
    return replace(found, path=_relative(path))


# File descriptors of the rebuild locks this process holds. Whoosh's writer forks worker
# processes; a forked child inherits the flock, and if the rebuild is killed those orphaned
# workers (blocked forever on their job queue) would keep the lock: no rebuild could run.
_HELD: set[int] = set()
_forking_pid = 0


def _before_fork() -> None:
    global _forking_pid
    _forking_pid = os.getpid()


def _after_fork_in_child() -> None:
    """In a child forked during a rebuild: drop the lock and die with the parent."""
    if not _HELD:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for fd in _HELD:
        os.dup2(null, fd)  # the fd stays valid for its file object but no longer locks
    os.close(null)
    _HELD.clear()
    with contextlib.suppress(Exception):  # Linux only: SIGKILL the child when we die
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != _forking_pid:  # the parent died before prctl took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1
os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)


@contextlib.contextmanager
def rebuild_lock(root: Path) -> Iterator[None]:
    """One rebuild at a time; the OS releases the lock if the holder is killed (forked
    workers do not keep it, see _after_fork_in_child)."""
    root.mkdir(parents=True, exist_ok=True)
    handle = open(root / LOCK, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise RebuildBusy(f"another rebuild is running ({holder}); try again when it "
                              "has finished") from error
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {_now()}")
        handle.flush()
        _HELD.add(handle.fileno())
        yield
    finally:
        _HELD.discard(handle.fileno())
        handle.close()


def rebuild(store: Store, root: Path, full: bool = False,
            progress: Progress | None = None, total: Callable[[int], None] | None = None,
            engine: str | None = None) -> RebuildResult:
    """Bring the index up to date with the store: incrementally when little changed and
    the current snapshot is of the same engine and format (else a full build).
    `engine` defaults to $NEWSARCHIVE_ENGINE, else Whoosh."""
    root = Path(root)
    engine = engine_name(engine)
    with rebuild_lock(root):
        current = current_snapshot(root)
        meta = read_snapshot(current) if current is not None else None
        if meta is not None and not full and meta.format == INDEX_FORMAT \
                and meta.engine == engine:
            upserts, deletes, top = store.changes_since(meta.change_seq)
            changed = len(upserts) + len(deletes)
            if changed <= max(100, FULL_REBUILD_SHARE * max(1, meta.articles)):
                if total:
                    total(len(upserts))
                return _incremental(store, root, current, engine, upserts, deletes, top,
                                    progress)
        if total:
            total(store.count())
        return _full(store, root, engine, progress)


def _full(store: Store, root: Path, engine_kind: str,
          progress: Progress | None) -> RebuildResult:
    seq = store.last_change()  # changes after this are picked up by the next rebuild
    count = store.count()
    # half-built snapshots of killed builds first: their remote indexes hold slots
    # (Sphinx generations) this build may need
    serving = current_snapshot(root)
    if serving is not None:
        _clean(root, keep=serving)
    # microseconds: names sort in build order (_clean keeps the newest) even within a second
    name = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]
    path = root / SNAPSHOTS / name
    engine = make_engine(engine_kind, path)
    articles = faults.passing(store.articles(), "index:mid-build", after=count // 2)
    try:
        stats = engine.build(articles, expected=count, progress=progress)
        where = _where_of(engine, path)
    finally:
        engine.close()  # readers open their own (a server engine's connections go)
    _write_meta(path, engine_kind, seq, stats.indexed, where)
    faults.reach("index:snapshot-complete-before-swap")
    _swap(root, path)
    faults.reach("index:after-swap-before-cleanup")
    _clean(root, keep=path, before=serving)
    faults.reach("index:before-forget-retired")
    store.forget_retired(seq)  # versions only the old snapshot held
    return RebuildResult(stats, path, stats.indexed)


def _incremental(store: Store, root: Path, path: Path, engine_kind: str, upserts: set[str],
                 deletes: set[str], top: int, progress: Progress | None) -> RebuildResult:
    started = time.perf_counter()
    engine = make_engine(engine_kind, path)
    # One commit for deletions and additions: small changes are applied atomically.
    stats = engine.update(store.articles(sorted(upserts)), progress=progress,
                          deleted=sorted(deletes))
    articles = engine.count()
    where = _where_of(engine, path)
    engine.close()
    faults.reach("index:incremental-before-meta")
    _write_meta(path, engine_kind, top, articles, where)
    _clean(root, keep=path)  # half-built snapshots of a killed full build
    store.forget_retired(top)
    stats = BuildStats(indexed=stats.indexed, deleted=stats.deleted,
                       seconds=time.perf_counter() - started)
    return RebuildResult(stats, path, articles)


def _write_meta(path: Path, engine: str, seq: int, articles: int, where: Where) -> None:
    data = {"engine": engine, "format": INDEX_FORMAT, "change_seq": seq,
            "articles": articles, "built_at": _now(), "where": where.as_json()}
    tmp = path / (META + ".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, path / META)


def _swap(root: Path, path: Path) -> None:
    """Point `current` at a complete snapshot in one atomic rename."""
    tmp = root / f".{CURRENT}.{uuid.uuid4().hex}"
    os.symlink(os.path.relpath(path, root), tmp)
    os.replace(tmp, root / CURRENT)


def _clean(root: Path, keep: Path, before: Path | None = None) -> None:
    """Remove old and half-built snapshots (their remote indexes too). Kept: `keep`, and
    `before` (the snapshot that served until a swap: a reader may still hold it) or, when
    not told, the newest complete ones built before `keep` (a newer one was never swapped
    in: its build was killed). Keeping no more than that bounds what a cluster holds: its
    generation slots are few."""
    folder = root / SNAPSHOTS
    # by name: `keep` may be a resolved path (current_snapshot) and root not; names sort
    # in build order
    kept = {keep.name}
    if before is not None:
        kept.add(before.name)
    else:
        older = sorted((p.name for p in folder.iterdir()
                        if p.name < keep.name and (p / META).is_file()), reverse=True)
        kept.update(older[:KEEP_SNAPSHOTS - 1])
    for path in folder.iterdir():
        if path.name not in kept:
            _drop(path)
            shutil.rmtree(path, ignore_errors=True)


def _drop(path: Path) -> None:
    """Delete a snapshot's remote index, if its engine keeps one (a half-built snapshot
    does not say its engine: each engine with servers drops what the folder names, if
    anything). A cluster that cannot be reached keeps the rows: the engine reclaims the
    index of a deleted folder when it next needs the slot."""
    try:
        engines = [read_snapshot(path).engine]
    except (OSError, ValueError, KeyError, SearchError):
        engines = [name for name in REGISTRY if _remote(name)]
    for name in engines:
        if not _remote(name):
            continue
        with contextlib.suppress(ImportError, SearchError, OSError):
            engine = make_engine(name, path)
            try:
                getattr(engine, "drop", lambda: None)()
            finally:
                engine.close()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
