"""Run a function over a list in forked worker processes; results come back in list order.

Why not multiprocessing.Pool: when a worker dies (a crash in C code, the OOM killer) Pool
loses the tasks it held and imap() waits for them forever. Here the parent watches every
worker: a dead worker's unfinished items are run again one by one, so the run goes on and
only the item that kills a worker on its own comes back as a Failure.

Workers are forked after the item list exists, so they already hold it: only index ranges
travel to them, and only results travel back.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import signal
import socket
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# glibc's mallopt: a worker keeps the memory it frees for its next chunk instead of giving
# it back to the kernel. By default every array above 128 KiB is mapped and unmapped (or
# the heap top trimmed) each time, and each of its pages faults in anew: numpy's arrays
# of a chunk's signatures (archive.minhash_many) spent ~60% of their time so.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # malloc.h
_KEEP_FREED = 64 << 20  # bytes freed at the heap's top kept for reuse
_MAP_ABOVE = 32 << 20  # allocations mapped on their own (glibc's largest threshold)
Finish = Callable[[list], list]  # a chunk's results -> what is sent for them
# How far ahead of the consumer workers may run, and the ranges each holds (sent, not
# answered): while the consumer is busy elsewhere (the ingest's writer clusters and commits
# a batch in one go, ~0.2 s for a second's worth of pages) a worker goes on reading the
# ranges it holds and leaves its answers in its pipe. With two ranges and the pipe's
# default ~200 KiB (one answer of 32 pages) both workers stood idle through each such
# commit; with four, for most of it; twelve cost an ingest of 100k pages with clustering
# ~3% less time (alternated runs). Answers taken but not yet consumed are bounded in bytes
# too (_HELD_BYTES): a chunk of METS issues may hold hundreds of megabytes of text.
_LOOKAHEAD_CHUNKS = 12  # per worker
_RANGES = 12
_HELD_BYTES = 256 << 20
_PIPE_BYTES = 4 << 20


@dataclass(frozen=True)
class Failure:
    """What an item gave instead of a result: its worker died, or the function raised."""

    reason: str


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ranges: deque[tuple[int, int]]  # sent, not yet answered, oldest first


class _Pool(Generic[T, R]):
    def __init__(self, func: Callable[[T], R], items: Sequence[T], jobs: int, chunksize: int,
                 finish: Finish | None = None):
        self.func, self.items, self.jobs, self.finish = func, items, jobs, finish
        self.todo: deque[tuple[int, int]] = deque(
            (start, min(start + chunksize, len(items)))
            for start in range(0, len(items), chunksize))
        self.window = jobs * chunksize * _LOOKAHEAD_CHUNKS
        self.done: dict[int, R | Failure] = {}
        self.held: dict[int, int] = {}  # first item of a chunk in done -> its answer's bytes
        self.held_bytes = 0
        self.workers: list[_Worker] = []
        self.context = multiprocessing.get_context("fork")

    def results(self) -> Iterator[R | Failure]:
        next_out = 0
        try:
            while next_out < len(self.items):
                self._dispatch(next_out)
                self._collect(block=next_out not in self.done)
                while next_out in self.done:
                    self.held_bytes -= self.held.pop(next_out, 0)
                    yield self.done.pop(next_out)
                    next_out += 1
                    if next_out % 8 == 0:  # keep workers from waiting on a full pipe
                        self._collect(block=False)
                        self._dispatch(next_out)
        finally:
            self._shutdown()

    # --- parent side -------------------------------------------------------------------

    def _dispatch(self, next_out: int) -> None:
        """Give work to workers with room (_RANGES each), starting workers as needed, while
        what is answered but not consumed stays under _HELD_BYTES, and always the range
        the consumer waits for (a dead worker's, queued again: todo stays in order)."""
        while self.todo and self.todo[0][0] < next_out + self.window \
                and (self.held_bytes < _HELD_BYTES or self.todo[0][0] <= next_out):
            worker = self._least_busy()
            if worker is None:
                return
            span = self.todo.popleft()
            try:
                worker.conn.send(span)
            except OSError:  # it died already; _collect sees the death and re-queues
                pass
            worker.ranges.append(span)

    def _least_busy(self) -> _Worker | None:
        """A new worker while every one has work, else the one with least (None if full)."""
        if len(self.workers) < self.jobs and all(w.ranges for w in self.workers):
            return self._start()
        worker = min(self.workers, key=lambda w: len(w.ranges))
        return worker if len(worker.ranges) < _RANGES else None

    def _collect(self, block: bool) -> None:
        """Take the answers that are ready (waiting for one if block), and handle deaths."""
        if not self.workers:
            return
        waitables = {w.conn: w for w in self.workers}
        waitables.update({w.process.sentinel: w for w in self.workers})
        for ready in wait(list(waitables), timeout=None if block else 0):
            worker = waitables[ready]
            if worker not in self.workers:
                continue  # both its pipe and its sentinel were ready
            if ready is worker.conn:
                try:
                    self._take(worker, worker.conn.recv_bytes())
                    continue
                except (EOFError, OSError):
                    pass
            self._lost(worker)

    def _take(self, worker: _Worker, answer: bytes) -> None:
        start, results = pickle.loads(answer)
        span = worker.ranges.popleft()
        assert span[0] == start, "answers come back in the order they were asked"
        self.done.update(enumerate(results, start))
        if results:  # counted until its first item is consumed (a rough bound is enough)
            self.held[start] = len(answer)
            self.held_bytes += len(answer)

    def _lost(self, worker: _Worker) -> None:
        """A worker died: keep what it answered, run the rest again (its last range one
        item at a time); an item a worker dies on alone is a Failure. So every item is
        answered, and a dying item costs at most two workers."""
        with contextlib.suppress(EOFError, OSError):
            while worker.conn.poll():
                self._take(worker, worker.conn.recv_bytes())
        worker.process.join()
        worker.conn.close()
        self.workers.remove(worker)
        if worker.ranges:
            # A worker answers its ranges in order: it died in the oldest one it had not
            # answered; the ones after it never started and go back to the queue as they are.
            (start, stop), *untouched = worker.ranges
            again = list(untouched)
            if stop - start == 1:  # it died on this item alone
                self.done[start] = Failure(_death(worker.process.exitcode))
            else:
                again[:0] = [(i, i + 1) for i in range(start, stop)]
            self.todo.extendleft(reversed(again))

    def _start(self) -> _Worker:
        parent_end, child_end = self.context.Pipe()
        # The child closes every parent-side end it inherits, so that when the parent dies
        # each worker's pipe reports end-of-file instead of waiting on a sibling's copy.
        inherited = [w.conn for w in self.workers] + [parent_end]
        process = self.context.Process(target=_serve, daemon=True, name="newsarchive-worker",
                                       args=(self.func, self.items, child_end, inherited,
                                             os.getpid(), self.finish))
        _widen(child_end)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end, deque())
        self.workers.append(worker)
        return worker

    def _shutdown(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.exitcode is None:  # stuck in a long item: not worth waiting
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers.clear()


def _widen(conn: Connection) -> None:
    """Let the worker's end of its pipe (a socket pair) hold _PIPE_BYTES of answers
    unread (the kernel may allow less)."""
    with contextlib.suppress(OSError, ValueError):
        end = socket.socket(fileno=os.dup(conn.fileno()))
        try:
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _PIPE_BYTES)
        finally:
            end.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"its worker process was killed by {signal.Signals(-exitcode).name}"
    return f"its worker process died (exit code {exitcode})"


# --- worker side ---------------------------------------------------------------------------


def _serve(func: Callable, items: Sequence, conn: Connection, inherited: list[Connection],
           parent: int, finish: Finish | None = None) -> None:
    """Answer index ranges with results until told to stop or the parent goes away."""
    for other in inherited:
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    with contextlib.suppress(Exception):  # Linux: SIGKILL this worker when the parent dies
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    keep_freed_memory()
    while True:
        try:
            span = conn.recv()
        except (EOFError, OSError):
            return
        if span is None:
            return
        start, stop = span
        results = []
        for index in range(start, stop):
            try:
                results.append(func(items[index]))
            except Exception as error:  # the function's bug, not a reason to lose the worker
                results.append(Failure(f"{type(error).__name__}: {error}"))
        if finish is not None:
            results = finish(results)
        try:
            conn.send((start, results))
        except (EOFError, OSError):
            return
        except Exception as error:  # a result that cannot be pickled
            conn.send((start, [Failure(f"result not transferable ({error})")] * len(results)))


def keep_freed_memory() -> None:
    """Let this process reuse the memory it frees (glibc; elsewhere nothing). Every worker
    does so; a benchmark of work done in workers calls it to measure what they see."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, _MAP_ABOVE)
        libc.mallopt(_M_TRIM_THRESHOLD, _KEEP_FREED)


def ordered_map(func: Callable[[T], R], items: Sequence[T], jobs: int,
                chunksize: int, finish: Finish | None = None) -> Iterator[R | Failure]:
    """func over items in `jobs` forked processes, yielded in order; a Failure for an item
    whose worker died on it alone (or whose func raised). jobs=1 still uses one worker.
    finish: run in the worker over each chunk's results (Failures among them) before they
    are sent, one result for each, in order: work that is cheaper done for many at once.
    It must not raise."""
    if not items:
        return iter(())
    return _Pool(func, items, max(1, jobs), max(1, chunksize), finish).results()
