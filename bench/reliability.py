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
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click

from archive import faults
from archive.store import Store
from index.build import current_snapshot
from index.engine import SearchRequest
from index.library import INDEX_NAME, STORE_NAME, Library

ENGINES = ("whoosh", "tantivy")
MARKER = "quokkaline"  # in every generated article: a query that finds them all
WORDS = ("minister council budget oil prices market bank police court school hospital water "
         "power harbour airport football election army border talks summit cabinet report "
         "growth company workers traffic bridge housing weather festival museum science "
         "energy refinery trade aid").split()
# Where each fault point is met: an ingest (then an incremental update) or a full build.
PARTS = ("kills", "clients", "malformed", "hostile-http")
REPORT_KEYS = {"kills": "kill_matrix", "clients": "clients", "malformed": "malformed",
               "hostile-http": "hostile_http"}
FULL_POINTS = ("index:mid-build", "index:snapshot-complete-before-swap",
               "index:after-swap-before-cleanup", "index:before-forget-retired")


def write_pages(root: Path, count: int, seed: int, start: int = 0) -> list[Path]:
    """`count` seed-layout pages with dated paths and sidecars (deterministic)."""
    rng = random.Random(seed)
    paths = []
    for number in range(start, start + count):
        day = f"{rng.randint(2009, 2019)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        body = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 40))).capitalize()
                + "." for _ in range(rng.randint(2, 5))]
        text = "\n\n".join(["Arab Times", f"{rng.choice(WORDS).capitalize()} story {number}",
                            "-", f"KUWAIT CITY, Jan 5, (KUNA): {body[0]}", *body[1:],
                            f"The {MARKER} item{number} closes it.", "Newspapers in English"])
        path = root / day / f"p{number}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        path.with_name(path.name + ".json").write_text(json.dumps({"page": rng.randint(1, 40)}))
        paths.append(path)
    return paths


@dataclass(frozen=True)
class Archive:
    """A built archive kept pristine, and a live copy at a fixed path that each case starts
    from (the store names sources by absolute path, so copies must sit where it was built)."""

    work: Path
    engine: str
    pages: int

    @property
    def live(self) -> Path:
        return self.work / "live"

    @property
    def data(self) -> Path:
        return self.live / "data"

    @property
    def sources(self) -> Path:
        return self.live / "pages"

    def restore(self) -> Archive:
        """The live copy as first built (pages and data)."""
        shutil.rmtree(self.live, ignore_errors=True)
        shutil.copytree(self.work / "pristine", self.live, symlinks=True)
        return self


def prepare(work: Path, engine: str, pages: int = 80) -> Archive:
    """Write `pages` pages and build their archive with `engine` (once; restore() copies)."""
    from archive.ingest import ingest
    from index.build import rebuild

    archive = Archive(work, engine, pages)
    live = archive.live
    shutil.rmtree(live, ignore_errors=True)
    write_pages(archive.sources / "a", pages, seed=7)
    store = Store(archive.data / STORE_NAME)
    try:
        ingest(store, [archive.sources])
        rebuild(store, archive.data / INDEX_NAME, engine=engine)
    finally:
        store.close()
    shutil.rmtree(work / "pristine", ignore_errors=True)
    shutil.copytree(live, work / "pristine", symlinks=True)
    return archive


def change(archive: Archive) -> dict[str, int]:
    """What arrives between two rebuilds: new pages, rewritten pages (their articles get
    new ids), pages gone (their articles go). The same every time; few enough that
    `rebuild` updates the index in place (index.build.FULL_REBUILD_SHARE)."""
    pages = sorted((archive.sources / "a").rglob("p*.txt"))
    added = write_pages(archive.sources / "b", max(4, archive.pages // 20), seed=8,
                        start=archive.pages)
    rewritten = pages[::25]
    for path in rewritten:
        text = path.read_text(encoding="utf-8").replace(
            "Newspapers in English", "A correction was printed the next day.\n\n"
                                     "Newspapers in English")
        path.write_text(text, encoding="utf-8")
    removed = pages[5::25]
    for path in removed:
        path.unlink()
        path.with_name(path.name + ".json").unlink()
    return {"added": len(added), "rewritten": len(rewritten), "removed": len(removed)}


def command() -> list[str]:
    """argv that runs `newsarchive` with this interpreter's installation."""
    beside = Path(sys.executable).parent / "newsarchive"
    return [str(beside)] if beside.exists() else [
        sys.executable, "-c", "from web.cli import main; main()"]


@dataclass(frozen=True)
class Run:
    code: int  # -9: killed
    seconds: float
    output: str
    orphans: int  # processes of its session still alive after it ended (then killed)


def rebuild(archive: Archive, full: bool = False, fault: str | None = None,
            kill_after: float | None = None, timeout: float = 600) -> Run:
    """`newsarchive rebuild [--full] SOURCES` in a session of its own; fault: the point
    that kills it; kill_after: SIGKILL it after that many seconds (if still running)."""
    env = {k: v for k, v in os.environ.items() if k != faults.ENV}
    if fault:
        env[faults.ENV] = fault
    argv = [*command(), "--data-dir", str(archive.data), "rebuild", "--engine", archive.engine,
            *(["--full"] if full else []), str(archive.sources)]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            text=True, start_new_session=True)
    try:
        if kill_after is not None:
            try:
                proc.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    seconds = time.perf_counter() - started
    orphans = _session(proc.pid)
    deadline = time.time() + 10  # workers die with their parent (prctl), not at once
    while orphans and time.time() < deadline:
        time.sleep(0.1)
        orphans = _session(proc.pid)
    if orphans:  # only ever the session this function started
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    return Run(proc.returncode, seconds, output, len(orphans))


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session sid."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(stat.parent.name))
    return found


@dataclass(frozen=True)
class State:
    """What an archive holds: the store's articles (id -> text), the index's ids, the
    sources' statuses, and the hits whose article does not open."""

    store: dict[str, tuple[str, tuple[str, ...]]]
    index: frozenset[str]
    sources: dict[str, str]
    dangling: int
    snapshot: str | None

    def content(self) -> tuple:
        """What must be the same after any two runs that did the same work."""
        return self.store, self.index, self.sources

    @property
    def lost(self) -> int:
        """Articles in the store that the index does not hold."""
        return len(set(self.store) - self.index)


def state(archive: Archive) -> State:
    """The archive's state, read as readers read it (Library)."""
    library = Library(archive.data)
    try:
        index = frozenset(hit.id for hit in library.hits(SearchRequest(
            q="", collapse=False, snippets=False, facets=False)))
        dangling = sum(library.article(i) is None for i in index)
        store = {a.id: (a.headline, a.paragraphs) for a in library.store.articles()}
        sources = {os.path.relpath(r.path, archive.sources): r.status
                   for r in library.store.sources()}
    finally:
        library.close()
    snapshot = current_snapshot(archive.data / INDEX_NAME)
    return State(store, index, sources, dangling, snapshot.name if snapshot else None)


def kill_case(archive: Archive, before: State, reference: State, point: str | None = None,
              kill_after: float | None = None, full: bool | None = None) -> dict:
    """One kill of a rebuild (full: with --full; None: as the point needs) that ingests
    `change()`, then a rerun; what each showed."""
    archive.restore()
    change(archive)
    full = point in FULL_POINTS if full is None else full
    killed = rebuild(archive, full=full, fault=point, kill_after=kill_after)
    during = state(archive)
    rerun = rebuild(archive, full=full)
    after = state(archive)
    serving = ("old" if during.index == before.index and during.snapshot == before.snapshot
               else "new" if during.index == reference.index else "other")
    return {"engine": archive.engine, "point": point, "kill_after": kill_after, "full": full,
            "killed": killed.code == -signal.SIGKILL, "exit": killed.code,
            "serving": serving, "dangling": during.dangling,
            "rerun_exit": rerun.code, "exact": after.content() == reference.content(),
            "lost": after.lost, "orphans": killed.orphans + rerun.orphans,
            "seconds": round(killed.seconds + rerun.seconds, 2)}


def reference_run(archive: Archive, full: bool = False) -> tuple[State, State, float]:
    """(state as built, state after an uninterrupted rebuild of change(), its seconds)."""
    before = state(archive.restore())
    change(archive)
    run = rebuild(archive, full=full)
    if run.code != 0:
        raise click.ClickException(f"the uninterrupted rebuild failed: {run.output[-400:]}")
    return before, state(archive), run.seconds


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
