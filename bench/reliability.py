"""python -m bench reliability --out bench/results/reliability.json

The reliability suite (issue 14): `newsarchive rebuild SOURCES` killed with SIGKILL at each
named fault point (archive.faults) and at random moments, on both engines: the index that
serves after the kill is the old one or the new complete one and every hit opens, a rerun
gives exactly the articles an uninterrupted run gives, and no article is lost. Clients search
and open their hits during a rebuild and swap (no 5xx, no dangling hit). A corpus of
malformed inputs (bench.malformed) is ingested: every file accounted for, none over its
time budget. Hostile HTTP (bench.hostile_http) on both engines over HTTP against `newsarchive
serve`: no 5xx, no active markup, well-formed output, no forged host, nothing outside
web/static. tests/test_reliability.py and tests/test_hostile_http.py run a few cases of this
same code in CI. `--parts hostile-http` (for example) reruns one part; the report keeps the
other parts' figures from the previous report.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import click

from archive import faults
from bench.kill_runs import (
    MARKER,
    Archive,
    change,
    kill_case,
    prepare,
    rebuild,
    reference_run,
    state,
)
from index.build import current_snapshot
from index.library import INDEX_NAME

ENGINES = ("whoosh", "tantivy")
PARTS = ("kills", "clients", "malformed", "hostile-http")
REPORT_KEYS = {"kills": "kill_matrix", "clients": "clients", "malformed": "malformed",
               "hostile-http": "hostile_http"}


# --- clients during a rebuild and swap --------------------------------------------------------

QUERIES = (MARKER, "oil prices", "police", "court OR bank", "harb*", "story", "minister~1")


def clients(archive: Archive, threads: int = 4, seed: int = 1) -> dict:
    """Clients search (Flask test client) and open every hit while `rebuild --full` ingests
    change() and swaps: answers by status, and hits that did not open although no swap came
    between the search and the fetch (dangling)."""
    from web import create_app
    from web.resources import close_library

    archive.restore()
    change(archive)
    app = create_app({"TESTING": True, "DATA_DIR": str(archive.data)})
    root = archive.data / INDEX_NAME
    statuses: dict[int, int] = {}
    dangling: list[str] = []
    errors: list[str] = []
    searches = [0]
    lock = threading.Lock()
    done = threading.Event()

    def count(status: int) -> None:
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    def client(number: int) -> None:
        rng = random.Random(seed * 100 + number)
        web = app.test_client()
        while not done.is_set():
            serving = current_snapshot(root)
            try:
                answer = web.get("/search.json", query_string={"q": rng.choice(QUERIES)})
                count(answer.status_code)
                if answer.status_code != 200:
                    continue
                with lock:
                    searches[0] += 1
                for item in answer.get_json()["items"]:
                    parts = urlsplit(item["url"])
                    status = web.get(parts.path).status_code
                    count(status)
                    if status != 200 and current_snapshot(root) == serving:
                        with lock:
                            dangling.append(f"{status} {parts.path}")
            except Exception as error:  # noqa: BLE001 - counted: a client must not fail
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    try:
        run = rebuild(archive, full=True)
        time.sleep(0.5)  # a few searches on the new snapshot too
    finally:
        done.set()
        for worker in workers:
            worker.join(timeout=60)
        close_library(app)
    after = state(archive)
    return {"engine": archive.engine, "threads": threads, "rebuild_exit": run.code,
            "rebuild_seconds": round(run.seconds, 2), "searches": searches[0],
            "requests": sum(statuses.values()), "statuses": dict(sorted(statuses.items())),
            "5xx": sum(n for s, n in statuses.items() if s >= 500),
            "dangling": len(dangling), "dangling_examples": dangling[:5],
            "client_errors": len(errors), "client_error_examples": errors[:5],
            "lost": after.lost}


# --- hostile HTTP ------------------------------------------------------------------------------

def hostile_http(work: Path, engines: tuple[str, ...], background: int, seed: int,
                 say) -> list[dict]:
    """Per engine: an archive of the hostile pages (bench.hostile_archive) and `background`
    ordinary ones, served by `newsarchive serve`, asked every probe of bench.hostile_probes
    over HTTP by 4 clients; the figures of bench.hostile_http.summary."""
    from bench.hostile_archive import build
    from bench.hostile_http import Checker, Probe, summary
    from bench.hostile_probes import discover, probes, via_http
    from bench.http import serving

    runs = []
    for engine in engines:
        folder = work / engine
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        build(folder / "data", engine, folder / "pages", background, seed)
        log = folder / "serve.log"
        with serving(folder / "data", engine, log) as server:
            def ask(path: str, server=server):
                return via_http(server.host, server.port, [Probe("discover", path)])[0][1]
            site = discover(ask)
            chosen = probes(site, full=True)
            started = time.perf_counter()
            answers = via_http(server.host, server.port, chosen, clients=4)
            seconds = time.perf_counter() - started
            canonical = os.environ.get("NEWSARCHIVE_CANONICAL_URL") or \
                f"http://{server.host}:{server.port}"
        checker = Checker(canonical)
        figures = summary((p, a, checker.check(p, a)) for p, a in answers)
        logged = log.read_text(errors="replace")
        runs.append({"engine": engine, "hostile_articles": len(site.articles),
                     "background_pages": background, "seconds": round(seconds, 1),
                     **figures, "server_log_tracebacks": logged.count("Traceback")})
        say(f"hostile HTTP on {engine}: {figures['requests']} requests, statuses "
            f"{figures['statuses']}, {figures['violations']} violations "
            f"{figures['violations_by_kind']}, slowest {figures['slowest_seconds']} s")
    return runs


# --- the whole suite --------------------------------------------------------------------------

def kill_matrix(work: Path, engines: tuple[str, ...], pages: int, random_kills: int,
                seed: int, say) -> dict:
    """Every named point once, and random kills, on each engine."""
    cases = []
    same: list[bool] = []  # a full build gives what an update gives
    rng = random.Random(seed)
    for engine in engines:
        archive = prepare(work / engine, engine, pages)
        before, reference, seconds = reference_run(archive)
        _, full_build, seconds_full = reference_run(archive, full=True)
        same.append(full_build.content() == reference.content())
        say(f"{engine}: {len(before.store)} -> {len(reference.store)} articles, "
            f"uninterrupted rebuild {seconds:.1f} s, with --full {seconds_full:.1f} s")
        for point in faults.POINTS:
            cases.append(kill_case(archive, before, reference, point=point))
            say(f"  {point}: {_brief(cases[-1])}")
        for number in range(random_kills):  # half of them during a full build
            full = number % 2 == 1
            delay = round(rng.uniform(0.05, 1.0) * (seconds_full if full else seconds), 2)
            cases.append(kill_case(archive, before, reference, kill_after=delay, full=full))
            say(f"  kill after {delay} s{' (--full)' if full else ''}: {_brief(cases[-1])}")
    named = [c for c in cases if c["point"]]
    return {"pages": pages, "cases": cases, "summary": {
        "runs": len(cases), "full_build_equals_update": all(same),
        "named_points": len(named),
        "named_points_killed": sum(c["killed"] for c in named),
        "random_kills_landed": sum(c["killed"] for c in cases if not c["point"]),
        "served_old": sum(c["serving"] == "old" for c in cases),
        "served_new": sum(c["serving"] == "new" for c in cases),
        "served_other": sum(c["serving"] == "other" for c in cases),
        "dangling_hits": sum(c["dangling"] for c in cases),
        "reruns_exact": sum(c["exact"] for c in cases),
        "lost_articles": sum(c["lost"] for c in cases),
        "orphan_processes": sum(c["orphans"] for c in cases)}}


def _keep_previous(report: dict, out: Path, wanted: set[str]) -> None:
    """The figures of the parts not run this time, from the previous report at `out`
    (marked with that report's date), so that one part can be rerun alone."""
    try:
        previous = json.loads(out.read_text())
    except (OSError, ValueError):
        return
    dates = previous.get("part_dates", {})
    for part in PARTS:
        if part not in wanted and REPORT_KEYS[part] in previous:
            report[REPORT_KEYS[part]] = previous[REPORT_KEYS[part]]
            report["part_dates"][part] = dates.get(part) or previous["machine"].get("date")


def _after(case: dict) -> str:
    return f"{case['kill_after']} s{' --full' if case.get('full') else ''}"


def _brief(case: dict) -> str:
    return (f"{'killed' if case['killed'] else 'finished'}, serving {case['serving']}, "
            f"{case['dangling']} dangling, rerun {'exact' if case['exact'] else 'DIFFERENT'}, "
            f"{case['lost']} lost")


def markdown(report: dict) -> str:
    """The report's figures as a table per part."""
    machine = ", ".join(f"{k}: {v}" for k, v in report["machine"].items())
    lines = ["# Reliability suite", "", f"`python -m bench reliability` on {machine}; "
             f"engines {', '.join(report['engines'])}; {report.get('seconds')} s.", ""]
    dates = report.get("part_dates", {})
    if len(set(dates.values())) > 1:  # some parts kept from an earlier run
        lines += ["Parts run on: " + ", ".join(f"{part} {date}" for part, date in
                                                dates.items()) + ".", ""]
    kills = report.get("kill_matrix")
    if kills:
        lines += ["## kill -9 during `rebuild SOURCES`", "", "| figure | value |", "|---|---|"]
        lines += [f"| {k.replace('_', ' ')} | {v} |" for k, v in kills["summary"].items()]
        lines += ["", "| engine | point / kill after | killed | serving | dangling | rerun "
                  "exact | lost |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {c['engine']} | {c['point'] or _after(c)} | "
                  f"{c['killed']} | {c['serving']} | {c['dangling']} | {c['exact']} | "
                  f"{c['lost']} |" for c in kills["cases"]]
    for run in report.get("clients", []):
        lines += ["", f"## clients during a rebuild and swap ({run['engine']})", "",
                  "| figure | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in run.items() if not k.endswith("examples")]
    for run in report.get("hostile_http", []):
        lines += ["", f"## hostile HTTP ({run['engine']})", "",
                  "Over HTTP against `newsarchive serve` (gunicorn): bench/hostile_http.py, "
                  "probes in bench/hostile_probes.py.", "", "| figure | value |", "|---|---|"]
        lines += [f"| {k.replace('_', ' ')} | {v} |" for k, v in run.items()
                  if k not in ("engine", "examples")]
        lines += [f"| example | {e['kind']}: `{e['path'][:80]}` {e['detail'][:80]} |"
                  for e in run["examples"][:5]]
    bad = report.get("malformed")
    if bad:
        lines += ["", "## malformed inputs", "", "| figure | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in bad["summary"].items()]
        lines += ["", "| kind | files | ingested | rejected | slowest s (wall) | most of its "
                  "budget (CPU) |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {kind} | {k['files']} | {k['ingested']} | {k['rejected']} | "
                  f"{k['slowest_seconds']} | {k['most_of_budget']:.0%} |"
                  for kind, k in bad["kinds"].items()]
    return "\n".join(lines) + "\n"


@click.command("reliability")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("bench/results/reliability.json"), show_default=True,
              help="JSON report; a markdown table is written beside it (.md).")
@click.option("--engines", default=",".join(ENGINES), show_default=True)
@click.option("--pages", type=click.IntRange(min=20), default=600, show_default=True,
              help="Pages of the archive killed and rebuilt.")
@click.option("--random-kills", type=click.IntRange(min=0), default=8, show_default=True,
              help="Kills at random moments, per engine (besides every named point).")
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True,
              help="Clients searching during a rebuild.")
@click.option("--malformed", "malformed_files", type=click.IntRange(min=0), default=300,
              show_default=True, help="Malformed input files (0: none).")
@click.option("--hostile-background", type=click.IntRange(min=0), default=300,
              show_default=True, help="Ordinary pages beside the hostile ones (hostile HTTP).")
@click.option("--parts", default=",".join(PARTS), show_default=True,
              help="Parts to run; the report keeps the figures of the others from the "
                   "previous report at --out.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the archives here (default: a temporary folder, removed after).")
@click.option("--seed", type=int, default=14, show_default=True)
def reliability(out: Path, engines: str, pages: int, random_kills: int, threads: int,
                malformed_files: int, hostile_background: int, parts: str, work: Path | None,
                seed: int) -> None:
    """kill -9 matrix over rebuild and ingest, clients during a swap, malformed inputs,
    hostile HTTP."""
    import tempfile

    from bench.malformed import run as run_malformed
    from bench.measure import machine

    names = tuple(e.strip() for e in engines.split(",") if e.strip())
    wanted = {p.strip() for p in parts.split(",") if p.strip()}
    if unknown := wanted - set(PARTS):
        raise click.UsageError(f"unknown part {', '.join(sorted(unknown))}: choose from "
                               f"{', '.join(PARTS)}")
    say = lambda line: click.echo(line, err=True)  # noqa: E731
    report: dict = {"machine": machine(), "engines": names}
    with contextlib.ExitStack() as stack:
        if work is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        started = time.perf_counter()
        if "kills" in wanted:
            report["kill_matrix"] = kill_matrix(work / "kills", names, pages, random_kills,
                                                seed, say)
        if "clients" in wanted:
            report["clients"] = []
            for engine in names:
                archive = prepare(work / "clients" / engine, engine, pages)
                report["clients"].append(clients(archive, threads, seed))
                say(f"clients on {engine}: {report['clients'][-1]}")
        if "malformed" in wanted and malformed_files:
            report["malformed"] = run_malformed(work / "malformed", malformed_files, seed, say)
        if "hostile-http" in wanted:
            report["hostile_http"] = hostile_http(work / "hostile", names, hostile_background,
                                                  seed, say)
        report["seconds"] = round(time.perf_counter() - started, 1)
    report["part_dates"] = {part: report["machine"].get("date") for part in PARTS
                            if part in wanted}
    _keep_previous(report, out, wanted)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    out.with_suffix(".md").write_text(markdown(report))
    click.echo(markdown(report))
