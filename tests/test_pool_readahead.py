"""Workers of archive.pool go on reading while the consumer is busy elsewhere (the ingest's
writer clustering and committing a batch): each holds pool._RANGES ranges, not one; and
what they read ahead is bounded in bytes as well as in items."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

from archive import pool
from archive.pool import ordered_map

_DONE = multiprocessing.get_context("fork").Value("i", 0)


def _count(n: int) -> int:
    with _DONE.get_lock():
        _DONE.value += 1
    return n


def test_workers_read_ahead_while_the_consumer_is_busy() -> None:
    _DONE.value = 0
    chunk = 4
    results = ordered_map(_count, list(range(400)), jobs=2, chunksize=chunk)
    assert next(results) == 0  # then the consumer does something else for a while
    ahead = 2 * pool._RANGES * chunk  # what both workers hold once the first is answered
    deadline = time.monotonic() + 20
    while _DONE.value < ahead and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _DONE.value >= ahead > 2 * 2 * chunk
    assert list(results) == list(range(1, 400))
    assert multiprocessing.active_children() == []


def _big(n: int) -> bytes:
    if n == 0:
        time.sleep(1.5)  # the first answer comes late: the others pile up behind it
    with _DONE.get_lock():
        _DONE.value += 1
    return bytes(256 << 10)


def test_answers_waiting_for_an_earlier_one_are_bounded_in_bytes(monkeypatch) -> None:
    """Chunks of METS issues may hold hundreds of megabytes: however far ahead workers may
    run in items, the answers taken and not yet consumed stay near pool._HELD_BYTES."""
    monkeypatch.setattr(pool, "_HELD_BYTES", 1 << 20)
    monkeypatch.setattr(pool, "_RANGES", 2)
    monkeypatch.setattr(pool, "_LOOKAHEAD_CHUNKS", 1000)  # items alone would not stop it
    _DONE.value = 0
    results = ordered_map(_big, list(range(100)), jobs=2, chunksize=1)
    assert len(next(results)) == 256 << 10
    # four answers of 256 KiB reach the bound; past it only the first item and what the
    # workers held when dispatching stopped (2 ranges each, one of them maybe sent) is read
    assert _DONE.value <= 4 + 1 + 2 * 2 + 2
    assert sum(1 for _ in results) == 99
    assert multiprocessing.active_children() == []


def _die_on_zero(n: int) -> bytes:
    if n == 0:
        os._exit(3)
    return bytes(1000)


def test_a_dead_workers_range_is_read_again_whatever_is_held(monkeypatch) -> None:
    """The range the consumer waits for goes out again when its worker dies, even while
    the answers held past it are over the byte bound."""
    monkeypatch.setattr(pool, "_HELD_BYTES", 1)

    def hung(signum: int, frame: object) -> None:
        raise AssertionError("the consumer waits for a range nobody reads")

    # a deadlock fails the test instead of hanging the suite (it takes ~1 s when right)
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    try:
        results = list(ordered_map(_die_on_zero, list(range(40)), jobs=2, chunksize=4))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert isinstance(results[0], pool.Failure)
    assert results[1:] == [bytes(1000)] * 39
    assert multiprocessing.active_children() == []
