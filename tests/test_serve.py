"""`newsarchive serve` as a real process: gunicorn's master and its worker processes on a
free port, concurrent requests answered by more than one worker, a rebuild picked up by
every worker, and Ctrl+C (SIGINT) or SIGTERM stopping them all.

Which worker answered is seen from outside, without a test-only header: a worker opens
the store and the index on its first request (never before, and never in the master), so
its open and mapped files under /proc show that it answered, and from which index files."""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from commands import newsarchive
from index_helpers import BY_KEY, CORPUS, Spec, build_data_dir, write_corpus

from bench.measure import children
from index.library import INDEX_NAME, STORE_NAME
from web.cli import main
from web.server import MAX_DEFAULT_WORKERS, default_workers
from web.urls import permalink

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

SERVING = re.compile(r"Serving (.+) on http://127\.0\.0\.1:(\d+)/ \(Ctrl\+C to stop\)\n")
BOMBERS = BY_KEY["bombers"]
NEW = Spec("new", CORPUS[0].date, "Desalination plant opens",
           ("A desalination plant opened in Doha, the ministry said.",),
           "KUWAIT CITY, Nov 4, (KUNA):", section="Local", page=7)
STOP_SECONDS = 5.0


@dataclass
class Served:
    process: subprocess.Popen
    url: str
    data: Path
    errors: Path  # the server's stderr

    def workers(self, count: int) -> list[int]:
        """The master's `count` worker processes, once all are running."""
        deadline = time.monotonic() + 5
        while len(found := children(self.process.pid)) < count:
            assert time.monotonic() < deadline, f"workers: {found}"
            time.sleep(0.05)
        assert len(found) == count, found
        return found


def _command() -> list[str]:
    return newsarchive()


@contextmanager
def serving(data: Path, *options: str) -> Iterator[Served]:
    """`newsarchive --data-dir DATA serve --port 0 OPTIONS`; killed if a test left it up."""
    errors = data.parent / f"serve-{data.name}.log"
    env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_DATA_DIR"}
    with open(errors, "w") as log:
        process = subprocess.Popen([*_command(), "--data-dir", str(data), "serve",
                                    "--host", "127.0.0.1", "--port", "0", *options],
                                   stdout=subprocess.PIPE, stderr=log, text=True, env=env)
    try:
        line = process.stdout.readline()  # printed once the socket listens (or EOF)
        match = SERVING.fullmatch(line)
        assert match, f"serve printed {line!r}; stderr: {errors.read_text()}"
        assert match[1] == str(data)
        yield Served(process, f"http://127.0.0.1:{match[2]}", data, errors)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


def stop(served: Served, sig: signal.Signals, workers: list[int]) -> None:
    """Send `sig` to the master: it and every worker are gone within STOP_SECONDS, the
    master exits 0 and prints nothing more."""
    started = time.monotonic()
    served.process.send_signal(sig)
    served.process.wait(timeout=STOP_SECONDS)
    assert served.process.returncode == 0
    while alive := [pid for pid in workers if _running(pid)]:  # none orphaned
        assert time.monotonic() - started < STOP_SECONDS, f"workers left: {alive}"
        time.sleep(0.05)
    assert served.process.stdout.read() == ""  # the one "Serving" line, nothing else
    assert "Traceback" not in served.errors.read_text()


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


def files_open(pid: int, folder: Path) -> set[str]:
    """Files under `folder` that a process has open or memory-mapped (SQLite, Whoosh's
    segment files, tantivy's mmaps)."""
    found = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            found.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except FileNotFoundError:  # closed meanwhile
            continue
    with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as maps:
        found.update(line.split(maxsplit=5)[5].strip() for line in maps
                     if len(line.split(maxsplit=5)) == 6)
    return {path for path in found if path.startswith(f"{folder}/")}


def get(url: str) -> tuple[int, bytes]:
    """One GET on a fresh connection (so the kernel hands it to either worker)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def until_each_worker(served: Served, workers: list[int], answered, check_all) -> int:
    """Concurrent requests in rounds until `answered(worker)` holds for every worker;
    `check_all` checks every answer. Returns how many requests that took."""
    requests = 0
    deadline = time.monotonic() + 8
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        while not all(answered(pid) for pid in workers):
            assert time.monotonic() < deadline, \
                f"not every worker answered in {requests} requests: " \
                f"{ {pid: answered(pid) for pid in workers} }"
            for answer in pool.map(check_all, range(12)):
                assert answer is None, answer
            requests += 12
    return requests


@pytest.fixture
def data(tmp_path: Path) -> Path:
    write_corpus(tmp_path / "pages")
    build_data_dir(tmp_path / "data", [tmp_path / "pages"])
    return (tmp_path / "data").resolve()


def test_serve_command_help():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--workers", "--threads"):
        assert option in result.output


def test_default_workers_are_the_cpus_at_most_four():
    cpus = len(os.sched_getaffinity(0))
    assert default_workers() == max(1, min(cpus, MAX_DEFAULT_WORKERS)) <= 4


def test_two_workers_answer_concurrent_requests_and_ctrl_c_stops_all(data):
    article = permalink(BOMBERS.article())
    store = str(data / STORE_NAME)

    def check(i: int) -> str | None:
        if i % 3 == 2:
            status, body = get(served.url + article + ".json")
            record = json.loads(body) if status == 200 else {}
            return None if record.get("id") == BOMBERS.id else f"{article}: {status} {body!r}"
        status, body = get(served.url + "/search.json?q=bombers+Syria")
        found = json.loads(body) if status == 200 else {}
        if found.get("total") != 1 or found["items"][0]["id"] != BOMBERS.id:
            return f"search: {status} {body[:300]!r}"
        return None

    with serving(data, "--workers", "2", "--threads", "2") as served:
        workers = served.workers(2)
        # the master opens neither the store nor the index; a worker does on a request
        assert not files_open(served.process.pid, data)
        until_each_worker(served, workers, lambda pid: store in files_open(pid, data), check)
        assert not files_open(served.process.pid, data)
        assert children(served.process.pid) == workers  # no worker died and was replaced
        stop(served, signal.SIGINT, workers)


def test_sigterm_stops_all_despite_an_idle_keep_alive_connection(data):
    import http.client

    with serving(data, "--workers", "2") as served:
        workers = served.workers(2)
        connection = http.client.HTTPConnection("127.0.0.1", int(served.url.rsplit(":", 1)[1]))
        connection.request("GET", "/search.json?q=oil")
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["total"] == 1
        try:
            stop(served, signal.SIGTERM, workers)  # graceful, yet it does not wait on it
        finally:
            connection.close()


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_a_rebuild_while_serving_reaches_both_workers(data, full):
    index = data / INDEX_NAME
    new_query = "/search.json?q=desalination"

    def old_answer(i: int) -> str | None:
        status, body = get(served.url + new_query)
        return None if status == 200 and json.loads(body)["total"] == 0 else body.decode()

    def new_answer(i: int) -> str | None:
        status, body = get(served.url + (new_query if i % 2 else "/search.json?q=bombers"))
        found = json.loads(body) if status == 200 else {}
        wanted = NEW.id if i % 2 else BOMBERS.id
        if [hit["id"] for hit in found.get("items", ())] != [wanted]:
            return f"{status} {body[:300]!r}"
        return None

    with serving(data, "--workers", "2", "--threads", "2") as served:
        workers = served.workers(2)
        until_each_worker(served, workers, lambda pid: bool(files_open(pid, index)),
                          old_answer)
        before = {str(p) for p in index.rglob("*")}
        NEW.write(data.parent / "pages")
        done = subprocess.run([*_command(), "--data-dir", str(data), "rebuild",
                               str(data.parent / "pages"), *(["--full"] if full else [])],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert ("full build" if full else "incremental update") in done.stdout
        # A worker holding an index file the rebuild wrote has reopened the index (only a
        # request does that); every answer, from whichever worker, has the new article.
        until_each_worker(served, workers,
                          lambda pid: bool(files_open(pid, index) - before), new_answer)
        stop(served, signal.SIGINT, workers)


def test_no_index_yet_warns_and_searches_answer_503(tmp_path):
    data = (tmp_path / "empty").resolve()
    with serving(data, "--workers", "1") as served:
        workers = served.workers(1)
        status, body = get(served.url + "/search.json?q=oil")
        assert status == 503 and "newsarchive rebuild" in json.loads(body)["error"]
        stop(served, signal.SIGINT, workers)
    assert "Note: no search index in" in served.errors.read_text()
    assert not data.exists()  # serving an empty folder creates nothing
