"""A time budget for reading one file: a pathological page is rejected ("took longer than
N s") and the run goes on, instead of one file stalling a whole rebuild.

The budget is CPU time (a timer on the process's own running time whose handler raises):
what reading the file costs, whatever else the machine is doing, so that a busy machine does
not reject a page a quiet one reads. A read stuck waiting (a hung network disk) uses no CPU:
a wall-clock timer at WALL_FACTOR times the budget stops that. Neither can interrupt a C call
(a regex, the XML parser) that never returns, so in a worker process a hard limit on CPU time
(a profiling timer with its default action) also ends the process; the pool then reports
the file, and the reason names the budget.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
from collections.abc import Iterator

BASE_SECONDS = 10.0  # every file may take this long ...
SECONDS_PER_MB = 5.0  # ... and this much more per megabyte of input
WALL_FACTOR = 4.0  # the wall-clock limit, as a multiple of the CPU budget
HARD_FACTOR = 3.0  # the hard CPU limit, as a multiple of the soft one
HARD_SIGNAL = "SIGPROF"  # what a worker stopped by the hard limit is killed by


class Overtime(BaseException):  # noqa: N818 - a signal, not an error a parser could catch
    """Raised inside the reading code when its time is up. A BaseException so that the
    readers' own `except Exception` clauses cannot swallow it."""


def seconds_for(size: int, per_mb: float = SECONDS_PER_MB) -> float:
    """The soft budget of a file of `size` bytes."""
    return BASE_SECONDS + per_mb * size / (1024 * 1024)


def too_slow(seconds: float) -> str:
    """The reason a file over its budget is rejected with."""
    return (f"took longer than {seconds:.0f} s to read (the budget for its size); "
            "the run went on without it")


_armed = [False]  # the handler raises only inside a budgeted block
_installed: list[int] = []  # the process (pid) the handler is installed in


def _expire(signum: int, frame: object) -> None:
    if _armed[0]:
        _armed[0] = False
        raise Overtime


@contextlib.contextmanager
def time_budget(seconds: float, hard: bool = False) -> Iterator[None]:
    """Raise Overtime in the block after `seconds` of CPU time (or WALL_FACTOR times that
    of wall time). hard: also end this process after HARD_FACTOR times that much CPU time
    (worker processes only). Only the main thread can take signals: elsewhere the block
    runs without a budget.

    The handlers are installed once per process (timer calls a file, not more system
    calls: this runs for every page of a million-page ingest)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return
    if _installed != [os.getpid()]:
        signal.signal(signal.SIGVTALRM, _expire)
        signal.signal(signal.SIGALRM, _expire)
        if hard:
            signal.signal(signal.SIGPROF, signal.SIG_DFL)
        _installed[:] = [os.getpid()]
    _armed[0] = True
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR)
    if hard:
        signal.setitimer(signal.ITIMER_PROF, math.ceil(seconds * HARD_FACTOR))
    try:
        yield
    finally:
        _armed[0] = False
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        if hard:
            signal.setitimer(signal.ITIMER_PROF, 0)
