"""python -m bench profile SCENARIO: where the time goes, as flame graphs.

Each scenario runs in a process of its own under py-spy (a sampling profiler: the program
runs at nearly full speed; with --native, time inside tantivy, SQLite or lxml shows by
function), and leaves in --out: NAME.folded (the sampled stacks), NAME.svg (a flame
graph, bench.flame) and NAME.md (the most sampled functions, overall and under the
scenario's own entry point).

- search: the bench run's queries (bench.queries, per kind) sent round after round to the
  site in-process (Flask's test client: every facet, the histogram, 10 snippets) for
  --seconds, over an archive built by `newsarchive rebuild` (--data);
- build: a full index build of the first --articles articles of that archive's store;
- ingest: `archive.ingest.ingest` of --pages into a fresh store with --jobs workers
  (their stacks too);
- alto: the shared corpus's ALTO pages read alone and as METS issues, round after round.

py-spy comes with `pip install -e '.[bench]'`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import click

from bench import flame
from bench.queries import KINDS, make_queries

RATE = 200  # samples a second
FOCUS = {  # the frames each summary also looks under
    "search": ["search (index/library.py)", "search_twin (web/views/search.py)"],
    "build": ["build (index/tantivy/engine.py)", "build (index/whoosh/engine.py)"],
    "ingest": ["_serve (archive/pool.py)", "write (archive/batches.py)"],
    "alto": ["read (archive/formats/mets.py)", "segment (archive/segmentation/__init__.py)"],
}


# --- what runs under the profiler (python -m bench.profile SCENARIO JSON) -------------
# (each imports what it runs: the driving process loads none of it)

def _search(data: str, paths: list[str], seconds: float) -> str:
    from web import create_app
    client = create_app({"DATA_DIR": data}).test_client()
    for path in paths:  # warm: caches, memory maps
        client.get(path)
    done, started, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        for path in paths:
            if client.get(path).status_code != 200:
                raise RuntimeError(f"{path} failed")
            done += 1
    return f"{done} requests, {(time.process_time() - cpu) / max(1, done) * 1000:.2f} ms CPU each"


def _build(data: str, engine: str, articles: int, folder: str) -> str:
    from archive.store import Store
    from index.engines import make_engine
    from index.library import STORE_NAME
    store = Store(Path(data) / STORE_NAME)
    started = time.perf_counter()
    stats = make_engine(engine, folder).build(islice(store.articles(), articles))
    seconds = time.perf_counter() - started
    return f"{stats.indexed} articles in {seconds:.1f} s ({stats.indexed / seconds:,.0f}/s)"


def _ingest(pages: str, jobs: int, folder: str) -> str:
    from archive.ingest import ingest
    from archive.model import ReadOptions
    from archive.store import Store
    store = Store(Path(folder) / "store.sqlite3")
    started = time.perf_counter()
    report = ingest(store, [pages], ReadOptions(), jobs=jobs)
    seconds = time.perf_counter() - started
    return f"{report.seen} files in {seconds:.1f} s ({report.seen / seconds:,.0f}/s)"


def _alto(corpus: str, rounds: int) -> str:
    from bench.alto_speed import find_inputs, issue_stages, page_stages
    root = Path(corpus)
    pages, issues = find_inputs(root)
    alone = page_stages(pages, root / "alto", rounds)
    issue = issue_stages(issues, root / "alto", rounds)
    return f"CPU ms a page: alone {alone['total']}, in METS issues {issue['total']}"


TARGETS: dict[str, Callable[..., str]] = {
    "search": _search, "build": _build, "ingest": _ingest, "alto": _alto}


# --- the command -----------------------------------------------------------------------

def record(name: str, arguments: dict, out: Path, children: bool = False,
           native: bool = False) -> str:
    """Run one target under py-spy; its own report line."""
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or \
        shutil.which("py-spy")
    if py_spy is None:
        raise click.ClickException("py-spy is not installed: pip install -e '.[bench]'")
    out.mkdir(parents=True, exist_ok=True)
    folded = out / f"{name}.folded"
    command = [py_spy, "record", *(["--native"] if native else []), "--rate", str(RATE),
               "--format", "raw", "--output", str(folded),
               *(["--subprocesses"] if children else []), "--",
               sys.executable, "-m", "bench.profile", name, json.dumps(arguments)]
    finished = subprocess.run(command, capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parents[1])
    said = [line for line in finished.stdout.splitlines() if line.startswith("result: ")]
    # Done when the target finished and the stacks were written, whatever py-spy's exit
    # status: it may fail after writing them, waiting for a process already reaped
    # ("No child process (os error 10)", py-spy issue 759).
    if not said or not folded.exists() or not folded.stat().st_size:
        raise click.ClickException(f"profiling {name} failed:\n{finished.stderr[-2000:]}")
    return said[-1][len("result: "):]


def report(name: str, out: Path, result: str, title: str) -> Path:
    """The flame graph and the summary of one recorded scenario."""
    folded = out / f"{name}.folded"
    root = flame.read_folded(folded.read_text(encoding="utf-8").splitlines())
    (out / f"{name}.svg").write_text(flame.svg(root, f"{title}: {result}"), encoding="utf-8")
    startup = root.skipped / max(1, root.samples + root.skipped)
    lines = [f"# Profile: {title}", "", f"{result}; {root.samples:,} samples at {RATE}/s "
             f"(flame graph: [{name}.svg]({name}.svg)); start-up (imports, "
             f"{100 * startup:.1f}% of the samples) left out.", ""]
    for under in [None, *FOCUS[name]]:
        rows = flame.summary(root, under, top=40)
        if not rows:
            continue
        lines += [f"## {'every stack' if under is None else 'under ' + under}", "",
                  "| % of samples | function |", "|---|---|"]
        lines += [f"| {share:.1f} | `{frame[:160]}` |" for share, frame in rows]
        lines.append("")
    target = out / f"{name}.md"
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def _query_paths(data: Path, kinds: list[str], per_kind: int) -> list[str]:
    """The search URLs (JSON twins, as the bench's HTTP clients ask) of the bench
    queries of these kinds, drawn from the archive's store."""
    from archive.store import Store
    from index.library import STORE_NAME
    from web import urls
    store = Store(data / STORE_NAME)
    try:
        queries = make_queries(store.articles(), per_kind)
    finally:
        store.close()
    return [urls.search(q.request, "json") for q in queries if q.kind in kinds]


@click.command()
@click.argument("scenario", type=click.Choice(sorted(TARGETS)))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for SCENARIO.folded, .svg and .md.")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="search, build: an archive's data folder (store and index).")
@click.option("--kinds", default="common,and,date", show_default=True,
              help="search: query kinds (bench.queries.KINDS).")
@click.option("--queries-per-kind", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--seconds", type=click.FloatRange(min=1), default=30, show_default=True,
              help="search: how long to send queries.")
@click.option("--engine", default="tantivy", show_default=True, help="build: the engine.")
@click.option("--articles", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="build: articles indexed.")
@click.option("--pages", type=click.Path(exists=True, path_type=Path),
              help="ingest: the files to ingest.")
@click.option("--jobs", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus",
              show_default=True, help="alto: the shared corpus.")
@click.option("--rounds", type=click.IntRange(min=1), default=5, show_default=True,
              help="alto: readings of every page.")
@click.option("--native", is_flag=True,
              help="Sample native frames too (inside tantivy, SQLite, lxml). Unwinding C "
                   "code without its symbols can credit a native frame to the wrong "
                   "caller: read a native profile's Python shares against one without.")
def profile(scenario: str, out: Path, data: Path | None, kinds: str, queries_per_kind: int,
            seconds: float, engine: str, articles: int, pages: Path | None, jobs: int,
            corpus: Path, rounds: int, native: bool) -> None:
    """Profile one SCENARIO (search, build, ingest, alto) with py-spy: a flame graph and
    the most sampled functions in --out."""
    if scenario in ("search", "build") and data is None:
        raise click.UsageError(f"{scenario} needs --data (a folder `newsarchive rebuild` made)")
    if scenario == "ingest" and pages is None:
        raise click.UsageError("ingest needs --pages")
    with tempfile.TemporaryDirectory(prefix="profile-") as scratch:
        if scenario == "search":
            chosen = [k.strip() for k in kinds.split(",") if k.strip()]
            if not chosen or set(chosen) - set(KINDS):
                raise click.UsageError(f"--kinds: choose among {', '.join(KINDS)}")
            paths = _query_paths(data, chosen, queries_per_kind)
            if not paths:
                raise click.ClickException(f"the archive in {data} gave no {kinds} queries")
            arguments: dict = {"data": str(data), "seconds": seconds, "paths": paths}
            title = f"search ({', '.join(chosen)}) over {data}"
        elif scenario == "build":
            arguments = {"data": str(data), "engine": engine, "articles": articles,
                         "folder": str(Path(scratch) / "index")}
            title = f"{engine} build of {articles:,} articles of {data}"
        elif scenario == "ingest":
            arguments = {"pages": str(pages), "jobs": jobs, "folder": scratch}
            title = f"ingest of {pages} with {jobs} jobs"
        else:
            arguments = {"corpus": str(corpus), "rounds": rounds}
            title = f"ALTO pages of {corpus / 'alto'}, alone and in METS issues"
        result = record(scenario, arguments, out, children=scenario == "ingest",
                        native=native)
    click.echo(f"{scenario}: {result}")
    click.echo(f"wrote {report(scenario, out, result, title)}")


if __name__ == "__main__":  # a target, run by record() under the profiler
    name, given = sys.argv[1], json.loads(sys.argv[2])
    print(f"result: {TARGETS[name](**given)}", flush=True)
    os._exit(0)  # no slow teardown of big caches in the profile
