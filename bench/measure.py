"""Small measuring tools for the engine benchmark: percentiles, timing a set of calls over
several passes, resident memory from /proc, disk usage, and a description of the machine."""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

MIB = 1024 * 1024


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` (0..1) percentile with linear interpolation between ranks (numpy's
    default), so small samples still give a p95 between the two largest values."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def p50_p95(values: Sequence[float]) -> dict[str, float]:
    """{"p50", "p95"} rounded to what the noise allows (3 significant decimals in ms)."""
    return {"p50": round(percentile(values, 0.5), 3), "p95": round(percentile(values, 0.95), 3)}


def time_calls(calls: Sequence[Callable[[], int | None]], passes: int
               ) -> tuple[list[float], list[int | None], list[str | None]]:
    """Run every call once to warm up (its result is kept: a hit count), then `passes`
    measured times; returns per call the median of its measured milliseconds (the method
    of reference/engines.md), the warm-up results, and an error message (or None).

    A call that raises is recorded with its error and not timed again, so one query an
    engine cannot answer does not stop the run."""
    results: list[int | None] = []
    errors: list[str | None] = []
    for call in calls:
        try:
            results.append(call())
            errors.append(None)
        except Exception as error:  # recorded in the report instead of ending the run
            results.append(None)
            errors.append(f"{type(error).__name__}: {error}")
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(passes):
        for i, call in enumerate(calls):
            if errors[i] is not None:
                continue
            started = time.perf_counter()
            try:
                call()
            except Exception as error:  # failed after a good warm-up: keep what was timed
                errors[i] = f"{type(error).__name__}: {error}"
                continue
            samples[i].append((time.perf_counter() - started) * 1000)
    medians = [statistics.median(s) if s else float("nan") for s in samples]
    return medians, results, errors


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS / VmHWM (peak) / ... of a process from /proc, in KiB (Linux only: psutil is
    not a dependency)."""
    values: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key.startswith("Vm") and rest.strip().endswith("kB"):
                values[key] = int(rest.split()[0])
    return values


def rss_mib(pid: int | str = "self", peak: bool = False) -> float:
    """Resident memory of a process now (or its peak, VmHWM), in MiB."""
    return round(proc_status(pid)["VmHWM" if peak else "VmRSS"] / 1024, 1)


def children(pid: int) -> list[int]:
    """The live child processes of `pid`, from /proc (e.g. a gunicorn master's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rpartition(")")[2].split()  # the name may hold spaces
        except OSError:  # gone meanwhile
            continue
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def tree_rss_mib(pid: int, peak: bool = False) -> float:
    """rss_mib() summed over a process and its children (pages they share counted in
    each); a child gone meanwhile counts nothing."""
    total = rss_mib(pid, peak)
    for child in children(pid):
        try:
            total += rss_mib(child, peak)
        except (OSError, KeyError):
            continue
    return round(total, 1)


def peak_rss_mib() -> tuple[float, float]:
    """(this process's peak RSS, the largest peak among its waited-for children) in MiB.
    ru_maxrss is in KiB on Linux; the children figure covers Whoosh's writer processes."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(own / 1024, 1), round(children / 1024, 1)


def du_mib(path: Path) -> float:
    """Disk usage of a folder like `du`: allocated blocks, each hard link counted once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            info = os.lstat(os.path.join(folder, name))
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_blocks * 512
    return round(total / MIB, 2)


def machine() -> dict[str, object]:
    """What the numbers were measured on: they only compare within one machine."""
    memory = None
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            memory = round(int(info.readline().split()[1]) / MIB, 1)  # MemTotal, KiB -> GiB
    except (OSError, ValueError, IndexError):
        pass
    versions = {}
    for package in ("whoosh-reloaded", "tantivy", "gunicorn", "flask"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return {"cpu_count": os.cpu_count(), "memory_gib": memory,
            "python": sys.version.split()[0], "platform": platform.platform(),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "packages": versions}
