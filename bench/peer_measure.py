"""One interleaved run over HTTP: per query kind, every system answers the same queries,
pass after pass in turn (the order rotating), so a machine whose load changes during the
run slows every system alike; per system and kind: latency, requests/s, the server's CPU
per request, and each query's hit total."""

from __future__ import annotations

import http.client
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bench.http import HttpResult, Server, _pass
from bench.measure import children, p50_p95
from bench.queries import Query

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class System:
    """A running server and how to ask it a query and read the hit total it answers."""

    name: str
    server: Server
    path: Callable[[Query], str]
    total: Callable[[dict], int]
    totals: list[int | None] = field(default_factory=list)  # per query, from the warm-up
    results: dict[str, dict] = field(default_factory=dict)  # per kind


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children (a gunicorn master and
    its workers), from /proc; threads are counted in their process."""
    total = 0
    for one in (pid, *children(pid)):
        try:
            with open(f"/proc/{one}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:  # gone meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / _TICK


def run(systems: Sequence[System], queries: Sequence[Query], kinds: Sequence[str],
        clients: int, passes: int, say: Callable[[str], None] = print) -> None:
    """Fill every system's `totals` and `results[kind]` (http_ms p50/p95, rps,
    cpu_ms_per_request, requests, errors)."""
    for system in systems:
        system.totals = [None] * len(queries)
    for kind in kinds:
        chosen = [i for i, q in enumerate(queries) if q.kind == kind]
        picked = [queries[i] for i in chosen]
        paths = {s.name: [s.path(q) for q in picked] for s in systems}
        for system in systems:  # warm-up: one request per query, which reads its total
            for i, total in zip(chosen, _totals(system, paths[system.name]), strict=True):
                system.totals[i] = total
        measured = {s.name: HttpResult([[] for _ in picked], [None] * len(picked),
                                       [None] * len(picked)) for s in systems}
        cpu = dict.fromkeys(measured, 0.0)
        for turn in range(passes):
            shift = turn % len(systems)  # nobody always runs right after the same system
            for system in [*systems[shift:], *systems[:shift]]:
                result = measured[system.name]
                began_cpu = tree_cpu_seconds(system.server.process.pid)
                began = time.perf_counter()
                _pass(system.server, paths[system.name], clients, result, warm=False)
                result.seconds += time.perf_counter() - began
                cpu[system.name] += tree_cpu_seconds(system.server.process.pid) - began_cpu
        for system in systems:
            result = measured[system.name]
            result.requests = sum(len(ms) for ms in result.ms)
            system.results[kind] = _summary(result, cpu[system.name], picked)
        say(f"{kind}: " + ", ".join(
            f"{s.name} p50 {s.results[kind].get('p50', 'n/a')} ms" for s in systems))


def _summary(result: HttpResult, cpu_seconds: float, picked: Sequence[Query]) -> dict:
    samples = [ms for per_query in result.ms for ms in per_query]
    summary: dict = {"requests": result.requests, "seconds": round(result.seconds, 3),
                     "rps": round(result.rps, 1),
                     "cpu_ms_per_request": (round(cpu_seconds * 1000 / result.requests, 2)
                                            if result.requests else None)}
    if samples:
        summary.update(p50_p95(samples))
    failed = {q.text: e for q, e in zip(picked, result.errors, strict=True) if e}
    if failed:
        summary["errors"] = dict(list(failed.items())[:10])
    return summary


def _totals(system: System, paths: Sequence[str]) -> list[int | None]:
    """One request per path on one keep-alive connection; the total each answer gives
    (None for a failed request: it never agrees with anything)."""
    server = system.server
    connection = http.client.HTTPConnection(server.host, server.port, timeout=300)
    found: list[int | None] = []
    try:
        for path in paths:
            try:
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                body = response.read()
                found.append(system.total(json.loads(body)) if response.status == 200
                             else None)
            except (OSError, http.client.HTTPException, ValueError, KeyError):
                connection.close()  # reconnects on the next request
                found.append(None)
    finally:
        connection.close()
    return found


def agreement(ours: Sequence[int | None], theirs: Sequence[int | None],
              queries: Sequence[Query], kinds: Sequence[str], within: float) -> dict:
    """Per kind: on how many queries two systems' hit totals agree within `within` (a
    share of the larger; both zero agree; a failed query never does)."""
    def agree(a: int | None, b: int | None) -> bool:
        return a is not None and b is not None and abs(a - b) <= within * max(a, b)

    kinds_out = {}
    for kind in kinds:
        pairs = [(a, b) for a, b, q in zip(ours, theirs, queries, strict=True)
                 if q.kind == kind]
        kinds_out[kind] = {"agree": sum(agree(a, b) for a, b in pairs), "of": len(pairs)}
    return kinds_out
