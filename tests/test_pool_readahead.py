"""Workers of archive.pool go on reading while the consumer is busy elsewhere (the ingest's
writer clustering and committing a batch): each holds pool._RANGES ranges, not one."""

from __future__ import annotations

import multiprocessing
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
