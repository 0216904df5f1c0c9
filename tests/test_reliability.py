"""The CI part of the reliability suite (issue 14, item 7; the whole of it is
`python -m bench reliability`, the same code): `newsarchive rebuild SOURCES` killed with
SIGKILL at named fault points (archive.faults) on both engines leaves an index serving whose
every hit opens, and a rerun gives exactly what an uninterrupted run gives, losing nothing;
clients searching during a rebuild and swap see no 5xx and no dangling hit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from archive import faults
from bench.kill_runs import kill_case, prepare, reference_run
from bench.reliability import clients

ROOT = Path(__file__).resolve().parents[1]


# --- the fault points themselves ---------------------------------------------------------------

def reach_in_a_child(fault: str | None, code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != faults.ENV}
    if fault is not None:
        env[faults.ENV] = fault
    return subprocess.run([sys.executable, "-c", f"from archive.faults import reach\n{code}"],
                          env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_a_named_fault_point_kills_the_process_there():
    code = "print('one', flush=True)\nreach('ingest:end')\nprint('two', flush=True)"
    killed = reach_in_a_child("ingest:end", code)
    assert killed.returncode == -9 and killed.stdout == "one\n"
    other = reach_in_a_child("index:mid-build", code)  # another point: runs on
    assert other.returncode == 0 and other.stdout == "one\ntwo\n"
    unset = reach_in_a_child(None, code)
    assert unset.returncode == 0 and unset.stdout == "one\ntwo\n"


def test_a_fault_point_can_fire_at_its_nth_visit():
    code = "for n in range(5):\n    print(n, flush=True)\n    reach('ingest:after-batch')"
    killed = reach_in_a_child("ingest:after-batch@3", code)
    assert killed.returncode == -9 and killed.stdout.split() == ["0", "1", "2"]


def test_a_misspelt_call_site_fails_loudly_when_faults_are_on(monkeypatch):
    monkeypatch.setenv(faults.ENV, "ingest:end")
    with pytest.raises(ValueError, match="unknown fault point"):
        faults.reach("ingest:the-end")


def test_every_named_point_has_a_call_site():
    sources = "".join(path.read_text(encoding="utf-8") for folder in ("archive", "index")
                      for path in (ROOT / folder).rglob("*.py") if path.name != "faults.py")
    called = set(re.findall(r'(?:reach|passing)\([^"]*"([a-z]+:[a-z-]+)"', sources))
    assert called == set(faults.POINTS)


# --- kill -9 at a named point, on both engines --------------------------------------------------

@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    """Per engine: a built archive of 40 pages, its state, and the state an uninterrupted
    `rebuild` of the same changes gives (the reference every rerun must equal)."""
    made = {}

    def archive(engine: str):
        if engine not in made:
            built = prepare(tmp_path_factory.mktemp(engine), engine, pages=40)
            before, reference, _ = reference_run(built)
            assert reference.lost == 0 and reference.dangling == 0
            assert len(reference.store) != len(before.store)  # the changes change something
            made[engine] = built, before, reference
        return made[engine]
    return archive


# Before the swap the old index serves; after it, the new one (both complete).
SERVES = {"ingest:before-commit": "old", "ingest:after-batch": "old",
          "index:mid-build": "old", "index:snapshot-complete-before-swap": "old",
          "index:after-swap-before-cleanup": "new", "index:incremental-before-meta": "new"}
CASES = [("whoosh", "ingest:after-batch"), ("whoosh", "index:snapshot-complete-before-swap"),
         ("whoosh", "index:incremental-before-meta"), ("tantivy", "ingest:before-commit"),
         ("tantivy", "index:mid-build"), ("tantivy", "index:after-swap-before-cleanup")]


@pytest.mark.slow
@pytest.mark.parametrize("engine, point", CASES)
def test_a_rebuild_killed_at_a_fault_point_serves_and_reruns_exactly(archives, engine, point):
    archive, before, reference = archives(engine)
    case = kill_case(archive, before, reference, point=point)
    assert case["killed"], case  # the point was reached
    assert case["serving"] == SERVES[point], case
    assert case["dangling"] == 0, case  # every hit of the index that serves opens
    assert case["rerun_exit"] == 0 and case["exact"], case
    assert case["lost"] == 0 and case["orphans"] == 0, case


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_clients_during_a_rebuild_and_swap_see_no_error_and_no_dangling_hit(archives,
                                                                            engine):
    archive, _, _ = archives(engine)
    run = clients(archive, threads=2)
    assert run["rebuild_exit"] == 0 and run["searches"] >= 3, run
    assert run["5xx"] == 0 and run["client_errors"] == 0, run
    assert run["dangling"] == 0 and 404 not in run["statuses"], run
    assert run["lost"] == 0, run
