"""The same queries over HTTP: the real site (`newsarchive serve`: gunicorn, a master and
its worker processes) in a child process on a free port, asked for /search.json by a few
concurrent keep-alive clients."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import tree_rss_mib
from bench.queries import Query

_LISTENING = re.compile(r"on http://(\S+?):(\d+)/")
STARTUP_SECONDS = 60.0


@dataclass
class Server:
    """A running `newsarchive serve` child (the gunicorn master; its workers answer)."""

    process: subprocess.Popen
    host: str
    port: int

    def rss_mib(self) -> float:
        """Resident memory of the master and its workers together."""
        return tree_rss_mib(self.process.pid)

    def peak_rss_mib(self) -> float:
        """The sum of each process's peak (they need not peak at the same time)."""
        return tree_rss_mib(self.process.pid, peak=True)


@contextmanager
def serving(data_dir: Path, engine: str, log: Path, threads: int = 8,
            workers: int | None = None, env: dict[str, str] | None = None
            ) -> Iterator[Server]:
    """`newsarchive --data-dir DATA_DIR serve --port 0` until the block ends: `workers`
    processes (default: serve's own, one per CPU core up to 4) of `threads` threads each.

    NEWSARCHIVE_ENGINE names the engine for a server that reads it (the snapshot records
    which engine built it as well); `env` adds variables (NEWSARCHIVE_SPHINX: a cluster)."""
    env = {**os.environ, "NEWSARCHIVE_ENGINE": engine, **(env or {})}
    env.pop("NEWSARCHIVE_DATA_DIR", None)  # --data-dir is explicit anyway; no surprises
    command = [sys.executable, "-c", "from web.cli import main; main()", "--data-dir",
               str(data_dir), "serve", "--host", "127.0.0.1", "--port", "0",
               "--threads", str(threads)] + (["--workers", str(workers)] if workers else [])
    with open(log, "w") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, env=env,
                                   text=True)
    lines: queue.Queue[str] = queue.Queue()
    # Read stdout in a thread: the startup line has to be awaited with a timeout, and the
    # thread ends by itself at end of output once the server has exited.
    reader = threading.Thread(target=_read_lines, args=(process, lines), daemon=True)
    reader.start()
    try:
        host, port = _wait_listening(lines, log)
        yield Server(process, host, port)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # Ctrl+C: the master stops its workers
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(timeout=5)
        if process.stdout is not None and not reader.is_alive():
            process.stdout.close()


def _read_lines(process: subprocess.Popen, lines: queue.Queue[str]) -> None:
    for line in process.stdout:  # type: ignore[union-attr]
        lines.put(line)
    lines.put("")  # end of output: the server exited


def _wait_listening(lines: queue.Queue[str], log: Path) -> tuple[str, int]:
    """The address the server printed once its socket listened (it picked the port)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        if match := _LISTENING.search(line):
            return match.group(1), int(match.group(2))
        if not line:
            break
    tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
    raise RuntimeError(f"the server did not start: {tail[0]}")


@dataclass
class HttpResult:
    ms: list[list[float]]  # per query: milliseconds of each measured request
    totals: list[int | None]  # per query: the total hits the warm-up answer gave
    errors: list[str | None]
    warm_ms: list[float | None] = field(default_factory=list)  # per query: its warm-up
    partial: list[bool] = field(default_factory=list)  # per query: warm-up said "partial"
    seconds: float = 0.0  # wall time of the measured passes
    requests: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_clients(server: Server, queries: Sequence[Query], clients: int, passes: int
                ) -> HttpResult:
    """One warm-up pass (which also reads the hit totals), then `passes` measured passes,
    every pass spread over `clients` threads each with its own keep-alive connection."""
    from web import urls  # the URL the site itself links to for this request

    paths = [urls.search(q.request, "json") for q in queries]
    result = HttpResult([[] for _ in queries], [None] * len(queries), [None] * len(queries),
                        [None] * len(queries), [False] * len(queries))
    _pass(server, paths, clients, result, warm=True)
    started = time.perf_counter()
    for _ in range(passes):
        _pass(server, paths, clients, result, warm=False)
    result.seconds = time.perf_counter() - started
    result.requests = sum(len(m) for m in result.ms)
    return result


def _pass(server: Server, paths: list[str], clients: int, result: HttpResult,
          warm: bool) -> None:
    work: queue.Queue[int] = queue.Queue()
    for i in range(len(paths)):
        work.put(i)
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=120)
        try:
            while True:
                try:
                    i = work.get_nowait()
                except queue.Empty:
                    return
                started = time.perf_counter()
                try:
                    status, body = _get(connection, paths[i])
                except (OSError, http.client.HTTPException) as error:
                    connection.close()  # reconnect on the next request
                    status, body = 0, f"{type(error).__name__}: {error}".encode()
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status != 200:
                        result.errors[i] = f"HTTP {status}: {body[:200].decode(errors='replace')}"
                    elif warm:
                        # parsed only when warming up: JSON decoding in the measured
                        # passes would take CPU from the server on a small machine
                        answer = json.loads(body)
                        result.totals[i] = answer["total"]
                        result.partial[i] = bool(answer.get("partial"))
                        result.warm_ms[i] = elapsed
                    else:
                        result.ms[i].append(elapsed)
        finally:
            connection.close()

    in_threads(client, clients)


def in_threads(client: Callable[[], None], clients: int) -> None:
    """Run `client` in `clients` threads at once (at least one) until all are done."""
    threads = [threading.Thread(target=client) for _ in range(max(1, clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Accept": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()
