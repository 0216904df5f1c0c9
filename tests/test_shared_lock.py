"""index.sphinx.exclusive.SharedLock: searches share it, an update holds it alone, and a
waiting update holds off new searches. (Each "cannot happen yet" is checked after a short
wait: a slow machine can only make it hold more surely; each "happens" waits long.)"""

from __future__ import annotations

import threading

from index.sphinx.exclusive import SharedLock

LONG = 30.0  # seconds: what must happen does
SHORT = 0.05  # what must not happen yet has had the time to


def _in_thread(lock_context, entered: threading.Event, leave: threading.Event
               ) -> threading.Thread:
    def run() -> None:
        with lock_context():
            entered.set()
            leave.wait(LONG)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_searches_share_and_an_update_waits_for_them() -> None:
    lock = SharedLock()
    first, second, leave = threading.Event(), threading.Event(), threading.Event()
    readers = [_in_thread(lock.shared, first, leave), _in_thread(lock.shared, second, leave)]
    assert first.wait(LONG) and second.wait(LONG)  # two searches at once
    updating, done = threading.Event(), threading.Event()
    writer = _in_thread(lock.exclusive, updating, done)
    assert not updating.wait(SHORT)  # the update waits for the searches under way
    late, late_leave = threading.Event(), threading.Event()
    latecomer = _in_thread(lock.shared, late, late_leave)
    assert not late.wait(SHORT)  # and no new search starts while it waits
    leave.set()
    assert updating.wait(LONG)
    assert not late.wait(SHORT)  # the search waits for the update
    done.set()
    assert late.wait(LONG)
    late_leave.set()
    for thread in [*readers, writer, latecomer]:
        thread.join(LONG)
        assert not thread.is_alive()


def test_updates_exclude_each_other() -> None:
    lock = SharedLock()
    first, leave = threading.Event(), threading.Event()
    writer = _in_thread(lock.exclusive, first, leave)
    assert first.wait(LONG)
    second, second_leave = threading.Event(), threading.Event()
    other = _in_thread(lock.exclusive, second, second_leave)
    assert not second.wait(SHORT)
    leave.set()
    assert second.wait(LONG)
    second_leave.set()
    for thread in (writer, other):
        thread.join(LONG)
        assert not thread.is_alive()
