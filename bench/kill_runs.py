"""An archive to kill rebuilds of, and one kill case: generated pages, a pristine built copy
restored before every case, `newsarchive rebuild` run in a session of its own (killed at a
fault point or after a delay), and the archive's state as readers see it afterwards. Used by
the reliability suite (bench.reliability) and its CI cases (tests/test_reliability.py)."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from archive import faults
from archive.store import Store
from index.build import current_snapshot
from index.engine import SearchRequest
from index.library import INDEX_NAME, STORE_NAME, Library

MARKER = "quokkaline"  # in every generated article: a query that finds them all
WORDS = ("minister council budget oil prices market bank police court school hospital water "
         "power harbour airport football election army border talks summit cabinet report "
         "growth company workers traffic bridge housing weather festival museum science "
         "energy refinery trade aid").split()
# Where each fault point is met: an ingest (then an incremental update) or a full build.
FULL_POINTS = ("index:mid-build", "index:snapshot-complete-before-swap",
               "index:after-swap-before-cleanup", "index:before-forget-retired")


def write_pages(root: Path, count: int, seed: int, start: int = 0) -> list[Path]:
    """`count` seed-layout pages with dated paths and sidecars (deterministic)."""
    rng = random.Random(seed)
    paths = []
    for number in range(start, start + count):
        day = f"{rng.randint(2009, 2019)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        body = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 40))).capitalize()
                + "." for _ in range(rng.randint(2, 5))]
        text = "\n\n".join(["Arab Times", f"{rng.choice(WORDS).capitalize()} story {number}",
                            "-", f"KUWAIT CITY, Jan 5, (KUNA): {body[0]}", *body[1:],
                            f"The {MARKER} item{number} closes it.", "Newspapers in English"])
        path = root / day / f"p{number}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        path.with_name(path.name + ".json").write_text(json.dumps({"page": rng.randint(1, 40)}))
        paths.append(path)
    return paths


@dataclass(frozen=True)
class Archive:
    """A built archive kept pristine, and a live copy at a fixed path that each case starts
    from (the store names sources by absolute path, so copies must sit where it was built)."""

    work: Path
    engine: str
    pages: int

    @property
    def live(self) -> Path:
        return self.work / "live"

    @property
    def data(self) -> Path:
        return self.live / "data"

    @property
    def sources(self) -> Path:
        return self.live / "pages"

    def restore(self) -> Archive:
        """The live copy as first built (pages and data)."""
        shutil.rmtree(self.live, ignore_errors=True)
        shutil.copytree(self.work / "pristine", self.live, symlinks=True)
        return self


def prepare(work: Path, engine: str, pages: int = 80) -> Archive:
    """Write `pages` pages and build their archive with `engine` (once; restore() copies)."""
    from archive.ingest import ingest
    from index.build import rebuild

    archive = Archive(work, engine, pages)
    live = archive.live
    shutil.rmtree(live, ignore_errors=True)
    write_pages(archive.sources / "a", pages, seed=7)
    store = Store(archive.data / STORE_NAME)
    try:
        ingest(store, [archive.sources])
        rebuild(store, archive.data / INDEX_NAME, engine=engine)
    finally:
        store.close()
    shutil.rmtree(work / "pristine", ignore_errors=True)
    shutil.copytree(live, work / "pristine", symlinks=True)
    return archive


def change(archive: Archive) -> dict[str, int]:
    """What arrives between two rebuilds: new pages, rewritten pages (their articles get
    new ids), pages gone (their articles go). The same every time; few enough that
    `rebuild` updates the index in place (index.build.FULL_REBUILD_SHARE)."""
    pages = sorted((archive.sources / "a").rglob("p*.txt"))
    added = write_pages(archive.sources / "b", max(4, archive.pages // 20), seed=8,
                        start=archive.pages)
    rewritten = pages[::25]
    for path in rewritten:
        text = path.read_text(encoding="utf-8").replace(
            "Newspapers in English", "A correction was printed the next day.\n\n"
                                     "Newspapers in English")
        path.write_text(text, encoding="utf-8")
    removed = pages[5::25]
    for path in removed:
        path.unlink()
        path.with_name(path.name + ".json").unlink()
    return {"added": len(added), "rewritten": len(rewritten), "removed": len(removed)}


def command() -> list[str]:
    """argv that runs `newsarchive` with this interpreter's installation."""
    beside = Path(sys.executable).parent / "newsarchive"
    return [str(beside)] if beside.exists() else [
        sys.executable, "-c", "from web.cli import main; main()"]


@dataclass(frozen=True)
class Run:
    code: int  # -9: killed
    seconds: float
    output: str
    orphans: int  # processes of its session still alive after it ended (then killed)


def rebuild(archive: Archive, full: bool = False, fault: str | None = None,
            kill_after: float | None = None, timeout: float = 600) -> Run:
    """`newsarchive rebuild [--full] SOURCES` in a session of its own; fault: the point
    that kills it; kill_after: SIGKILL it after that many seconds (if still running)."""
    env = {k: v for k, v in os.environ.items() if k != faults.ENV}
    if fault:
        env[faults.ENV] = fault
    argv = [*command(), "--data-dir", str(archive.data), "rebuild", "--engine", archive.engine,
            *(["--full"] if full else []), str(archive.sources)]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            text=True, start_new_session=True)
    try:
        if kill_after is not None:
            try:
                proc.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    seconds = time.perf_counter() - started
    orphans = _session(proc.pid)
    deadline = time.time() + 10  # workers die with their parent (prctl), not at once
    while orphans and time.time() < deadline:
        time.sleep(0.1)
        orphans = _session(proc.pid)
    if orphans:  # only ever the session this function started
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    return Run(proc.returncode, seconds, output, len(orphans))


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session sid."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(stat.parent.name))
    return found


@dataclass(frozen=True)
class State:
    """What an archive holds: the store's articles (id -> text), the index's ids, the
    sources' statuses, and the hits whose article does not open."""

    store: dict[str, tuple[str, tuple[str, ...]]]
    index: frozenset[str]
    sources: dict[str, str]
    dangling: int
    snapshot: str | None

    def content(self) -> tuple:
        """What must be the same after any two runs that did the same work."""
        return self.store, self.index, self.sources

    @property
    def lost(self) -> int:
        """Articles in the store that the index does not hold."""
        return len(set(self.store) - self.index)


def state(archive: Archive) -> State:
    """The archive's state, read as readers read it (Library)."""
    library = Library(archive.data)
    try:
        index = frozenset(hit.id for hit in library.hits(SearchRequest(
            q="", collapse=False, snippets=False, facets=False)))
        dangling = sum(library.article(i) is None for i in index)
        store = {a.id: (a.headline, a.paragraphs) for a in library.store.articles()}
        sources = {os.path.relpath(r.path, archive.sources): r.status
                   for r in library.store.sources()}
    finally:
        library.close()
    snapshot = current_snapshot(archive.data / INDEX_NAME)
    return State(store, index, sources, dangling, snapshot.name if snapshot else None)


def kill_case(archive: Archive, before: State, reference: State, point: str | None = None,
              kill_after: float | None = None, full: bool | None = None) -> dict:
    """One kill of a rebuild (full: with --full; None: as the point needs) that ingests
    `change()`, then a rerun; what each showed."""
    archive.restore()
    change(archive)
    full = point in FULL_POINTS if full is None else full
    killed = rebuild(archive, full=full, fault=point, kill_after=kill_after)
    during = state(archive)
    rerun = rebuild(archive, full=full)
    after = state(archive)
    serving = ("old" if during.index == before.index and during.snapshot == before.snapshot
               else "new" if during.index == reference.index else "other")
    return {"engine": archive.engine, "point": point, "kill_after": kill_after, "full": full,
            "killed": killed.code == -signal.SIGKILL, "exit": killed.code,
            "serving": serving, "dangling": during.dangling,
            "rerun_exit": rerun.code, "exact": after.content() == reference.content(),
            "lost": after.lost, "orphans": killed.orphans + rerun.orphans,
            "seconds": round(killed.seconds + rerun.seconds, 2)}


def reference_run(archive: Archive, full: bool = False) -> tuple[State, State, float]:
    """(state as built, state after an uninterrupted rebuild of change(), its seconds)."""
    before = state(archive.restore())
    change(archive)
    run = rebuild(archive, full=full)
    if run.code != 0:
        raise click.ClickException(f"the uninterrupted rebuild failed: {run.output[-400:]}")
    return before, state(archive), run.seconds
