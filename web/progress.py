"""Progress bars for the command line (rich, on stderr, only on a terminal): what the library
layers report as they go, with what they are doing once the counting is over."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


class Bar:
    """Callbacks from the library layers to a rich progress bar on stderr. Once the count
    reaches its total the work is not over (an index is written and merged, an ingest
    removes files and clusters): the bar then says what it is doing."""

    def __init__(self, bar, label: str, finishing: str):
        self.bar, self.label, self.finishing = bar, label, finishing
        self.task = bar.add_task(label, total=None)

    def file_done(self, path: str, outcome: str) -> None:
        self.bar.update(self.task, advance=1, description=f"{self.label} ({outcome})")
        self._check_done()

    def advance(self, count: int) -> None:
        self.bar.update(self.task, advance=count)
        self._check_done()

    def set_total(self, total: int) -> None:
        self.bar.update(self.task, total=total)
        self._check_done()

    def _check_done(self) -> None:
        task = self.bar.tasks[self.task]
        if task.total is not None and task.completed >= task.total:
            self.bar.update(self.task, description=f"{self.label}: {self.finishing}")


def _columns(unit: str) -> list:
    """What a bar shows: a spinner (it turns while the work goes on, even between counts),
    the bar, "n/total unit" or "n unit" while the total is unknown, and the time left or,
    without a total or once counted, the time taken so far."""
    from rich.progress import BarColumn, ProgressColumn, SpinnerColumn
    from rich.text import Text

    class Count(ProgressColumn):
        def render(self, task) -> Text:
            done = f"{int(task.completed):,}"
            total = f"/{int(task.total):,}" if task.total is not None else ""
            return Text(f"{done}{total} {unit}", style="progress.download")

    class Clock(ProgressColumn):
        def render(self, task) -> Text:
            counting = task.total is not None and task.completed < task.total
            left = task.time_remaining if counting else None
            if left is not None:
                return Text(f"about {_clock(left)} left", style="progress.remaining")
            return Text(f"{_clock(task.elapsed or 0)} so far", style="progress.elapsed")

    return [SpinnerColumn(), "[progress.description]{task.description}", BarColumn(),
            Count(), Clock()]


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{rest:02d}" if minutes >= 60 \
        else f"{minutes}:{rest:02d}"


@contextmanager
def progress(label: str, unit: str = "files", finishing: str = "finishing",
              console=None) -> Iterator[Bar | None]:
    """A progress bar when stderr is a terminal (or on `console`); silence otherwise
    (logs, CI)."""
    if console is None and not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(*_columns(unit), console=console or Console(stderr=True)) as bar:
        yield Bar(bar, label, finishing)
