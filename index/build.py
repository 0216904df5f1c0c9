"""Rebuild the index from the store with no downtime.

Layout of the index folder:
    current            symlink to the snapshot readers use (replaced atomically)
    snapshots/<name>/  one complete index each, plus snapshot.json (engine, change seq)
    rebuild.lock       held (flock) by the one running rebuild; released if it dies

A full build writes a fresh snapshot and swaps `current` only once it is complete, so a
killed build leaves the previous index serving. Small changes are applied to the current
snapshot in one Whoosh commit (whose table of contents is renamed into place atomically).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.store import Store
from index.engine import BuildStats, IndexMissing
from index.whoosh_engine import WhooshEngine

CURRENT = "current"
SNAPSHOTS = "snapshots"
META = "snapshot.json"
LOCK = "rebuild.lock"
FULL_REBUILD_SHARE = 0.2  # rebuild from scratch when more than this share changed
KEEP_SNAPSHOTS = 2  # the current one and the one before (a reader may still hold it)

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


def snapshot_meta(path: Path) -> dict:
    return json.loads((path / META).read_text())


def open_engine(root: Path, store: Store) -> WhooshEngine:
    """An engine on the current snapshot; raises IndexMissing before the first build."""
    path = current_snapshot(root)
    if path is None:
        raise IndexMissing("there is no search index yet: run `newsarchive rebuild`")
    return WhooshEngine(path, texts=lambda ids: {a.id: a for a in store.articles(ids)})


@contextlib.contextmanager
def rebuild_lock(root: Path) -> Iterator[None]:
    """One rebuild at a time; the OS releases the lock if the holder is killed."""
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
        yield
    finally:
        handle.close()


def rebuild(store: Store, root: Path, full: bool = False,
            progress: Progress | None = None, total: Callable[[int], None] | None = None
            ) -> RebuildResult:
    """Bring the index up to date with the store: incrementally when little changed."""
    root = Path(root)
    with rebuild_lock(root):
        current = current_snapshot(root)
        if current is not None and not full:
            meta = snapshot_meta(current)
            upserts, deletes, top = store.changes_since(int(meta["change_seq"]))
            changed = len(upserts) + len(deletes)
            if changed <= max(100, FULL_REBUILD_SHARE * max(1, int(meta["articles"]))):
                if total:
                    total(len(upserts))
                return _incremental(store, current, upserts, deletes, top, progress)
        if total:
            total(store.count())
        return _full(store, root, progress)


def _full(store: Store, root: Path, progress: Progress | None) -> RebuildResult:
    seq = store.last_change()  # changes after this are picked up by the next rebuild
    count = store.count()
    name = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    path = root / SNAPSHOTS / name
    engine = WhooshEngine(path)
    stats = engine.build(store.articles(), expected=count, progress=progress)
    _write_meta(path, seq, stats.indexed)
    _swap(root, path)
    _clean(root, keep=path)
    return RebuildResult(stats, path, stats.indexed)


def _incremental(store: Store, path: Path, upserts: set[str], deletes: set[str], top: int,
                 progress: Progress | None) -> RebuildResult:
    started = time.perf_counter()
    engine = WhooshEngine(path)
    engine.delete(deletes | upserts) if deletes else None
    stats = engine.update(store.articles(sorted(upserts)), progress=progress)
    engine.close()
    articles = WhooshEngine(path).count()
    _write_meta(path, top, articles)
    stats = BuildStats(indexed=stats.indexed, deleted=len(deletes),
                       seconds=time.perf_counter() - started)
    return RebuildResult(stats, path, articles)


def _write_meta(path: Path, seq: int, articles: int) -> None:
    data = {"engine": "whoosh", "change_seq": seq, "articles": articles, "built_at": _now()}
    tmp = path / (META + ".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, path / META)


def _swap(root: Path, path: Path) -> None:
    """Point `current` at a complete snapshot in one atomic rename."""
    tmp = root / f".{CURRENT}.{uuid.uuid4().hex}"
    os.symlink(os.path.relpath(path, root), tmp)
    os.replace(tmp, root / CURRENT)


def _clean(root: Path, keep: Path) -> None:
    """Remove old and half-built snapshots, keeping the newest complete ones."""
    folder = root / SNAPSHOTS
    complete = sorted((p for p in folder.iterdir() if (p / META).is_file()),
                      key=lambda p: p.name, reverse=True)
    kept = {keep, *complete[:KEEP_SNAPSHOTS]}
    for path in folder.iterdir():
        if path not in kept:
            shutil.rmtree(path, ignore_errors=True)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
