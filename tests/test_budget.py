"""A file over its time budget is rejected with a reason and the run goes on, in this
process and in worker processes (where a C call that ignores signals is stopped too)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import archive.batches
import archive.ingest
from archive.budget import Overtime, time_budget
from archive.ingest import ingest
from archive.model import ReadOptions
from archive.store import Store


def page(number: int) -> str:
    return (f"Arab Times\n\nStory number {number}\n\n-\n\nKUWAIT CITY, Nov 5, (KUNA): The "
            f"council met on Sunday to discuss item {number} of the agenda.\n")


@pytest.fixture
def pages(tmp_path) -> Path:
    root = tmp_path / "pages" / "2017-11-05"
    root.mkdir(parents=True)
    for number in range(6):
        (root / f"p{number}.txt").write_text(page(number), encoding="utf-8")
    return root.parent


def slow_on(name: str, work):
    real = archive.ingest.finish

    def finish(unit, path, *args):
        if path.endswith(name):
            work()
        return real(unit, path, *args)
    return finish


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_slow_file_is_rejected_and_the_others_are_read(pages, tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(archive.ingest, "seconds_for", lambda size, per_mb: 0.3)
    monkeypatch.setattr(archive.ingest, "finish", slow_on("p3.txt", lambda: time.sleep(30)))
    if jobs > 1:
        monkeypatch.setattr(archive.ingest, "MIN_FILES_PER_WORKER", 1)
    store = Store(tmp_path / "store.sqlite3")
    try:
        started = time.monotonic()
        report = ingest(store, [pages], ReadOptions(), jobs=jobs)
        assert time.monotonic() - started < 25  # nobody waited for the sleeping file
        (slow,) = report.rejected
        assert slow.endswith("p3.txt")
        assert report.rejected[slow].startswith("took longer than 0 s to read")
        assert report.new == 5 and store.count() == 5
    finally:
        store.close()


def test_a_worker_stuck_in_c_code_is_stopped_by_the_hard_limit(pages, tmp_path, monkeypatch):
    # sum() over a range runs in C without looking at signals: only the CPU limit ends it.
    monkeypatch.setattr(archive.ingest, "seconds_for", lambda size, per_mb: 0.3)
    monkeypatch.setattr(archive.ingest, "finish",
                        slow_on("p2.txt", lambda: sum(range(10 ** 12))))
    monkeypatch.setattr(archive.ingest, "MIN_FILES_PER_WORKER", 1)
    monkeypatch.setattr(archive.batches, "BATCH_FILES", 2)
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [pages], ReadOptions(), jobs=2)
        (slow,) = report.rejected
        assert slow.endswith("p2.txt") and "took longer than" in report.rejected[slow]
        assert report.new == 5 and store.count() == 5
    finally:
        store.close()


def test_the_budget_is_lifted_after_the_block():
    with time_budget(0.2):
        pass
    time.sleep(0.4)  # no Overtime arrives later
    with pytest.raises(Overtime), time_budget(0.1):
        time.sleep(5)
