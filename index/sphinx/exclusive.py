"""A readers-writer lock: searches share it, an update to the live generation holds it
alone. Sphinx answers a search's statements one after another (the hits and their total,
then each facet's counts); an update landing between two of them would give a total and
facet counts of two different indexes. Within one engine, searches therefore wait for an
update to finish, and an update for the searches under way (and no new one starts while
it waits, so a stream of searches cannot hold it off)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SharedLock:
    def __init__(self) -> None:
        self._state = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0  # updates waiting for the searches under way

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._state:
            self._state.wait_for(lambda: not self._writing and not self._waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._state:
                self._readers -= 1
                self._state.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._state:
            self._waiting += 1
            self._state.wait_for(lambda: not self._writing and not self._readers)
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._state:
                self._writing = False
                self._state.notify_all()
