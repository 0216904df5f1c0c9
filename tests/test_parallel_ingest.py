"""Parallel ingest: worker processes read, one writer stores in batches. The store must come
out exactly as a one-process run leaves it, whatever the workers and batches go through."""

from __future__ import annotations

import fcntl
import gzip
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest

import archive.batches
import archive.ingest
import archive.rows
import archive.store
from archive.batches import BatchWriter
from archive.formats.pressreader import ReadOptions
from archive.ingest import ingest, read_file
from archive.model import IngestReport
from archive.pool import Failure, ordered_map
from archive.store import Store
from index.build import LOCK, rebuild_lock

PAGES = Path(__file__).parent / "fixtures" / "pages"
WORDS = ("oil minister council budget harbour election museum refinery exports housing "
         "parliament tanker ministry plan week prices talks summit").split()


def page(number: int) -> str:
    """A seed-layout page whose text depends on its number only."""
    words = [WORDS[(number * 7 + i * 3) % len(WORDS)] for i in range(12 + number % 9)]
    return (f"Arab Times\n\nStory {number} about {words[0]} and {words[1]}\n\n-\n\n"
            f"KUWAIT CITY, Nov {1 + number % 28}, (KUNA): The {' '.join(words)} said on "
            f"Sunday that story {number} goes on.\n\nIt ended with a rec-\nognized "
            f"{words[2]}.\n\nNewspapers in English\n\nNewspapers from Kuwait\n")


@pytest.fixture
def tree(tmp_path) -> Path:
    """Fixture pages (bad files included) plus generated pages, duplicates, a gzipped page,
    a sidecar whose page is gone and a manifest: the mix a real run meets."""
    root = tmp_path / "tree"
    shutil.copytree(PAGES, root / "fixtures")
    for number in range(150):
        folder = root / f"2017-11-{1 + number % 28:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"p{number:03d}.txt").write_text(page(number), encoding="utf-8")
    for number in range(0, 150, 25):  # the same page of the same issue in a second file
        copies = root / "copies" / f"2017-11-{1 + number % 28:02d}"
        copies.mkdir(parents=True, exist_ok=True)
        (copies / f"copy{number}.txt").write_text(page(number), encoding="utf-8")
    (root / "gz").mkdir()
    (root / "gz" / "page.txt.gz").write_bytes(gzip.compress(page(999).encode()))
    (root / "gz" / "orphan.txt.json").write_text(json.dumps({"page": 3}))
    (root / "binary.dat").write_bytes(b"\x00\x01" * 100)
    (root / "manifested").mkdir()
    (root / "manifested" / "manifest.json").write_text(json.dumps({"publication": "Times"}))
    (root / "manifested" / "m.txt").write_text(page(1000), encoding="utf-8")
    return root.resolve()


@pytest.fixture
def pooled(monkeypatch):
    """Use worker processes however small the run, with small chunks and batches."""
    monkeypatch.setattr(archive.ingest, "MIN_FILES_PER_WORKER", 1)
    monkeypatch.setattr(archive.ingest, "CHUNK_FILES", 4)
    monkeypatch.setattr(archive.batches, "BATCH_FILES", 16)


def contents(path: Path) -> dict[str, list]:
    """Every table of a store, order-free, without the ingest times."""
    db = sqlite3.connect(path)
    try:
        queries = {"sources": "SELECT path, sha256, size, status, reason, articles, encoding, "
                              "parser_version FROM sources",
                   "articles": "SELECT * FROM articles", "stripped": "SELECT * FROM stripped",
                   "duplicates": "SELECT * FROM duplicates",
                   "changes": "SELECT article_id, op FROM changes ORDER BY seq"}
        return {name: sorted(map(tuple, db.execute(sql))) if name != "changes"
                else list(map(tuple, db.execute(sql))) for name, sql in queries.items()}
    finally:
        db.close()


def run(store_path: Path, sources: list[Path], jobs: int) -> IngestReport:
    store = Store(store_path)
    try:
        return ingest(store, sources, ReadOptions(), jobs=jobs)
    finally:
        store.close()


def summary(report: IngestReport) -> tuple:
    return (report.seen, report.new, report.changed, report.unchanged, report.removed,
            report.rejected, report.articles_added, report.articles_removed,
            report.articles_total)


def test_two_workers_store_exactly_what_one_process_does(tree, tmp_path, pooled):
    one = run(tmp_path / "one.sqlite3", [tree], jobs=1)
    two = run(tmp_path / "two.sqlite3", [tree], jobs=2)
    assert summary(two) == summary(one)
    assert contents(tmp_path / "two.sqlite3") == contents(tmp_path / "one.sqlite3")
    assert one.seen == one.accounted and one.rejected and one.articles_total > 150
    assert contents(tmp_path / "one.sqlite3")["duplicates"]  # the copies were noticed


def test_reingest_with_workers_is_incremental(tree, tmp_path, pooled):
    path = tmp_path / "store.sqlite3"
    first = run(path, [tree], jobs=2)
    again = run(path, [tree], jobs=2)
    assert again.unchanged == first.new and again.new == again.changed == 0
    assert again.articles_added == again.articles_removed == 0
    (tree / "2017-11-02" / "p001.txt").write_text(page(5000), encoding="utf-8")
    (tree / "2017-11-03" / "p002.txt").unlink()
    third = run(path, [tree], jobs=2)
    assert third.changed == 1 and third.removed == [str(tree / "2017-11-03" / "p002.txt")]
    assert third.unchanged == first.new - 2
    # and it leaves what a one-process run from scratch leaves
    fresh = tmp_path / "fresh.sqlite3"
    run(fresh, [tree], jobs=1)
    assert contents(path)["articles"] == contents(fresh)["articles"]


def test_a_worker_that_dies_loses_only_its_own_file(tree, tmp_path, pooled, monkeypatch):
    parent = os.getpid()
    real = archive.ingest.finish

    def dying(unit, path, *args):
        if path.endswith("p007.txt") and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(unit, path, *args)

    monkeypatch.setattr(archive.ingest, "finish", dying)
    report = run(tmp_path / "store.sqlite3", [tree], jobs=2)
    (victim,) = [p for p in report.rejected if p.endswith("p007.txt")]
    assert "killed by SIGKILL" in report.rejected[victim]
    assert report.seen == report.accounted
    baseline = run(tmp_path / "baseline.sqlite3", [tree], jobs=1)
    assert set(report.rejected) - set(baseline.rejected) == {victim}
    assert report.new == baseline.new - 1
    assert multiprocessing.active_children() == []


def test_a_sidecar_without_its_page_is_rejected_with_a_reason(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(page(1), encoding="utf-8")
    (folder / "a.txt.json").write_text(json.dumps({"page": 2}))  # a's sidecar: metadata
    (folder / "b.txt.json").write_text(json.dumps({"page": 3, "publication": "Times"}))
    (folder / "c.json").write_text("{}")
    report = run(tmp_path / "store.sqlite3", [folder], jobs=1)
    assert report.seen == 3 and report.new == 1
    assert report.rejected == {
        str(folder / "b.txt.json"): "metadata sidecar without its page: no b.txt beside it",
        str(folder / "c.json"): "metadata sidecar without its page: no c or c.txt or "
                                "c.txt.gz beside it"}
    outcome = read_file(folder / "a.txt.json", None, ReadOptions())  # named on its own
    assert outcome.reason == "a metadata sidecar, not a page: it is read with a.txt"


def test_workers_run_inside_the_rebuild_lock_and_do_not_keep_it(tree, tmp_path, pooled):
    index = tmp_path / "index"
    with rebuild_lock(index):
        report = run(tmp_path / "store.sqlite3", [tree], jobs=2)
        assert report.new > 150
    with open(index / LOCK, "a+") as handle:  # free again: no worker kept a copy of it
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(handle, fcntl.LOCK_UN)


def test_cli_jobs_option(tree, tmp_path, pooled):
    from click.testing import CliRunner

    from web.cli import main

    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / jobs), "ingest",
                                           "--jobs", jobs, str(tree)])
        assert result.exit_code == 0, result.output
        outputs.append(result.output.split("(")[0])  # the counts, not the seconds
    assert outputs[0] == outputs[1] and "rejected: 8" in outputs[0]
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "0"), "ingest",
                                       "--jobs", "0", str(tree)])
    assert result.exit_code == 2 and "--jobs" in result.output


def test_a_stopped_ingest_stops_its_workers_and_keeps_what_it_stored(tree, tmp_path,
                                                                     pooled):
    calls = []

    def stop_after_twenty(path, status):
        calls.append(path)
        if len(calls) == 20:
            raise KeyboardInterrupt

    store = Store(tmp_path / "store.sqlite3")
    with pytest.raises(KeyboardInterrupt):
        ingest(store, [tree], ReadOptions(), progress=stop_after_twenty, jobs=2)
    assert multiprocessing.active_children() == []
    assert len(store.sources()) >= 20  # the files stored before the stop are kept
    store.close()


def test_jobs_must_be_positive(tree, tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        run(tmp_path / "store.sqlite3", [tree], jobs=0)


# --- the pool on its own -------------------------------------------------------------------


def _square_or_die(n: int) -> int:
    if n in (5, 23):
        os._exit(3)
    if n == 11:
        raise ValueError("eleven")
    return n * n


def test_pool_keeps_order_and_isolates_dead_items():
    results = list(ordered_map(_square_or_die, list(range(40)), jobs=2, chunksize=4))
    assert len(results) == 40
    for n, result in enumerate(results):
        if n in (5, 23):
            assert result == Failure("its worker process died (exit code 3)")
        elif n == 11:
            assert result == Failure("ValueError: eleven")
        else:
            assert result == n * n
    assert multiprocessing.active_children() == []


def test_pool_stops_its_workers_when_the_consumer_stops():
    results = ordered_map(_square_or_die, list(range(1000)), jobs=2, chunksize=8)
    assert next(results) == 0
    results.close()
    assert multiprocessing.active_children() == []


# --- batches ---------------------------------------------------------------------------------


def outcomes(folder: Path, count: int) -> list:
    folder.mkdir(exist_ok=True)
    for number in range(count):
        (folder / f"p{number}.txt").write_text(page(number), encoding="utf-8")
    return [read_file(folder / f"p{n}.txt", None, ReadOptions()) for n in range(count)]


def stored(store: Store) -> dict[str, str]:
    return {r.path: r.status for r in store.sources()}


def test_a_file_that_fails_in_a_batch_keeps_its_neighbours(tmp_path, monkeypatch):
    files = outcomes(tmp_path / "pages", 10)
    bad = files[4].parsed.articles[0].headline
    real_row = archive.rows._row

    def failing_row(article, path, position):
        if article.headline == bad:
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return real_row(article, path, position)

    monkeypatch.setattr(archive.rows, "_row", failing_row)
    store = Store(tmp_path / "store.sqlite3")
    report = IngestReport()
    with BatchWriter(store, report, max_files=100) as writer:
        for outcome in files:
            writer.write(outcome, known=False)
    status = stored(store)
    assert [status[o.path] for o in files] == ["ingested"] * 4 + ["rejected"] + \
        ["ingested"] * 5
    assert report.new == 9 and store.count() == 9
    assert "could not be stored (OperationalError: disk I/O error (simulated))" in \
        report.rejected[files[4].path]
    store.close()


def test_a_file_the_store_refuses_rolls_back_alone_in_a_batch(tmp_path):
    # Rows are built by the readers, so here the store itself refuses one file (a NOT NULL
    # headline): its inserts inside the batch are undone and the neighbours are kept.
    files = [archive.rows.file_rows(o) for o in outcomes(tmp_path / "pages", 6)]
    article = list(files[2].articles[0])
    article[11] = None  # headline
    files[2] = files[2]._replace(articles=(tuple(article),))
    store = Store(tmp_path / "store.sqlite3")
    report = IngestReport()
    with BatchWriter(store, report, max_files=100) as writer:
        for number, rows in enumerate(files):
            writer.write(rows, known=number == 4)  # new files in one run, one through save_parsed
    status = stored(store)
    assert [status[f.path] for f in files] == ["ingested"] * 2 + ["rejected"] + ["ingested"] * 3
    assert "could not be stored (IntegrityError: NOT NULL constraint failed: " \
        "articles.headline)" == report.rejected[files[2].path]
    assert store.count() == 5 and store.stripped(files[2].path) == []
    assert report.new == 4 and report.changed == 1
    store.close()


def test_a_batch_sqlite_rolled_back_is_stored_again_file_by_file(tmp_path, monkeypatch):
    files = outcomes(tmp_path / "pages", 8)
    store = Store(tmp_path / "store.sqlite3")
    real_save = store.save_parsed

    def save_losing_the_batch(rows):
        if rows.path == files[5].path and store.db.in_transaction:
            store.db.execute("ROLLBACK")  # what SQLite does itself on a full disk
            raise sqlite3.OperationalError("database or disk is full (simulated)")
        return real_save(rows)

    monkeypatch.setattr(store, "save_parsed", save_losing_the_batch)
    report = IngestReport()
    seen: list[tuple[str, str]] = []
    with BatchWriter(store, report, on_stored=lambda *a: seen.append(a),
                     max_files=100) as writer:
        for number, outcome in enumerate(files):
            writer.write(outcome, known=number >= 5)  # 5.. go through save_parsed
    assert stored(store) == {o.path: "ingested" for o in files}  # stored again, alone
    assert report.new == 5 and report.changed == 3 and not report.rejected
    assert store.count() == 8
    assert sorted(seen) == sorted((o.path, "new" if n < 5 else "changed")
                                  for n, o in enumerate(files))
    store.close()


def test_store_schema_1_gains_the_duplicate_indexes(tmp_path):
    path = tmp_path / "store.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.executescript("DROP INDEX duplicates_source; DROP INDEX duplicates_article; "
                     "UPDATE meta SET value='1' WHERE key='schema_version';")
    db.close()
    Store(path).close()
    db = sqlite3.connect(path)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"duplicates_source", "duplicates_article"} <= names
    assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == \
        str(archive.store.SCHEMA_VERSION)
    db.close()


WORKERS_THEN_WAIT = """
import os, sys, time
from archive.pool import ordered_map

def slow(n):
    open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
    time.sleep(60)
    return n

for _ in ordered_map(slow, list(range(4)), jobs=2, chunksize=1):
    pass
"""


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/status").read_text().count("State:\tZ") > 0  # zombie
    except FileNotFoundError:
        return True


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_workers_die_with_their_parent(tmp_path):
    import subprocess
    import sys
    import time

    root = Path(__file__).resolve().parent.parent
    parent = subprocess.Popen([sys.executable, "-c", WORKERS_THEN_WAIT, str(tmp_path)],
                              cwd=root)
    try:
        deadline = time.monotonic() + 30
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(p.name) for p in tmp_path.iterdir()]
        assert len(workers) == 2
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while not all(map(_gone, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in workers if not _gone(pid)]
    for pid in survivors:  # do not leave them behind when this fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
