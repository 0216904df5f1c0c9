"""`python -m bench peer`: the archive against what a data journalist would set up instead,
the same articles in SQLite FTS5 (porter) published with Datasette. Our site
(`newsarchive serve`) on each engine asked and Datasette in two setups (as it comes, and at
its best: `_nosuggest=1` and the file opened immutable) run side by side and answer the
same queries over HTTP in one interleaved run (bench.peer_measure); writes JSON and a
markdown table beside it (bench.peer_report)."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import click

from archive.store import Store
from bench import peer_sqlite
from bench.buildproc import build
from bench.corpus import generate
from bench.http import serving
from bench.measure import du_mib, machine
from bench.peer_measure import System, agreement
from bench.peer_measure import run as run_interleaved
from bench.peer_report import PEER, PEER_BEST, best_peer, markdown
from bench.queries import Query, make_queries
from bench.workspace import work_folder
from index.library import STORE_NAME

KINDS = ("common", "rare", "and", "phrase", "date", "facets")  # snippets: Datasette has none
AGREE = {"hits_agree_5": 0.05, "hits_agree_2": 0.02}  # the 5%, bench run's 2%

Say = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    engines: tuple[str, ...]
    out: Path | None = None  # None: bench/results/peer-<pages>.json
    articles: int | None = None  # pages to generate
    corpus: Path | None = None  # pages written by `bench corpus`
    data_dir: Path | None = None  # an archive built by `newsarchive rebuild`: its store
    work: Path | None = None  # kept when given; else a temporary folder, removed
    queries_per_kind: int = 20
    passes: int = 3
    clients: int = 4
    server_threads: int = 8
    server_workers: int | None = None
    jobs: int | None = None
    seed: int = 1977


def label(pages: int) -> str:
    """10000 -> "10k", 1000000 -> "1m": the name of a results file."""
    for size, suffix in ((1_000_000, "m"), (1000, "k")):
        if pages >= size and pages % size == 0:
            return f"{pages // size}{suffix}"
    return str(pages)


def run(options: Options, say: Say = print) -> tuple[dict, Path]:
    """Measure; write the JSON and its .md twin; return the data and the JSON's path."""
    why = peer_sqlite.available()
    if why:
        raise click.ClickException(why)
    with work_folder(options.work, "peer") as work:
        data = _run(options, work, say)
    out = options.out or Path("bench/results") / f"peer-{label(data['pages'])}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(data))
    return data, out


def _store(options: Options, work: Path, say: Say, notes: list[str]) -> tuple[Path, int]:
    """The store to compare on and its page count: an archive's, or pages ingested now."""
    from bench.run import _ingest  # the bench's one ingest step, notes included

    if options.data_dir:
        store_path = options.data_dir / STORE_NAME
        if not store_path.is_file():
            raise click.ClickException(f"no article store in {options.data_dir}: run "
                                       "`newsarchive rebuild` there first")
        store = Store(store_path)
        try:
            pages = len(store.source_paths())
        finally:
            store.close()
        return store_path, pages
    pages_dir = options.corpus
    if pages_dir is None:
        pages_dir = work / "pages"
        generate(pages_dir, options.articles or 0, options.seed)
    store_path = work / "store" / STORE_NAME
    rate, count = _ingest(pages_dir, store_path, options.jobs, notes)
    say(f"ingest: {rate:,.0f} pages/s, {count} articles")
    return store_path, sum(1 for p in pages_dir.rglob("*") if p.is_file())


def _run(options: Options, work: Path, say: Say) -> dict:
    notes: list[str] = []
    load_before = os.getloadavg()[0]
    store_path, pages = _store(options, work, say, notes)
    store = Store(store_path)
    try:
        articles = store.count()
        queries = [q for q in make_queries(store.articles(), options.queries_per_kind,
                                           options.seed) if q.kind in KINDS]
    finally:
        store.close()
    systems: dict[str, dict] = {}
    data_dirs = {}
    for name in options.engines:  # a full build per engine, as `newsarchive rebuild`
        data_dir = data_dirs[name] = work / "engines" / name
        data_dir.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{data_dir / STORE_NAME}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(store_path, data_dir / STORE_NAME)
        built = build(data_dir, name)
        systems[name] = {"build_seconds": built["seconds"],
                         "disk_mib": du_mib(Path(built["snapshot"]))}
        say(f"{name}: built {built['indexed']} articles in {built['seconds']:.1f} s")
    db_path = work / "peer" / f"{peer_sqlite.DATABASE}.db"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    exported = peer_sqlite.export(store_path, db_path)
    say(f"datasette: exported {exported['rows']} rows in {exported['seconds']:.1f} s")
    for name in (PEER, PEER_BEST):
        systems[name] = {"build_seconds": exported["seconds"], "disk_mib": exported["db_mib"]}
    workers = options.server_workers or _default_workers()
    with ExitStack() as running:
        measured = []
        for name in options.engines:
            server = running.enter_context(serving(
                data_dirs[name], name, work / f"{name}-server.log", options.server_threads,
                workers))
            measured.append(System(name, server, _our_path, _our_total))
        for name, best in ((PEER, False), (PEER_BEST, True)):
            server = running.enter_context(peer_sqlite.serving(
                db_path, immutable=best, log=work / f"{name}.log"))
            measured.append(System(name, server, lambda q, b=best: peer_sqlite.path(q, b),
                                   peer_sqlite.total))
        run_interleaved(measured, queries, KINDS, options.clients, options.passes, say)
        for system in measured:
            systems[system.name].update(rss_mib=system.server.rss_mib(),
                                        peak_rss_mib=system.server.peak_rss_mib())
    for system in measured:
        _finish(systems[system.name], system, queries)
    reference = next(s for s in measured if s.name == PEER).totals
    for system in measured:
        if system.name != PEER:
            for key, within in AGREE.items():
                systems[system.name][key] = agreement(system.totals, reference, queries,
                                                      KINDS, within)
    notes += _notes(options, workers)
    return {"pages": pages, "articles": articles, "kinds": list(KINDS),
            "machine": {**machine(), "peer": peer_sqlite.versions()},
            "load_average": {"before": load_before, "after": os.getloadavg()[0]},
            "options": {"engines": list(options.engines),
                        "queries_per_kind": options.queries_per_kind,
                        "passes": options.passes, "clients": options.clients,
                        "server_threads": options.server_threads, "server_workers": workers,
                        "seed": options.seed},
            "queries": [{**q.record(), "datasette": peer_sqlite.path(q, True)}
                        for q in queries],
            "systems": systems, "peer_best": best_peer(systems, list(KINDS)),
            "notes": notes}


def _our_path(query: Query) -> str:
    from web import urls  # the URL the site itself links to, as bench run asks it

    return urls.search(query.request, "json")


def _our_total(answer: dict) -> int:
    return answer["printings"]  # every printing, as Datasette counts rows (not stories)


def _default_workers() -> int:
    from web.server import default_workers

    return default_workers()


def _finish(entry: dict, system: System, queries: list[Query]) -> None:
    """Per-kind figures, totals over every kind, and the hit totals per query."""
    entry["kinds"] = system.results
    requests = sum(k["requests"] for k in system.results.values())
    seconds = sum(k["seconds"] for k in system.results.values())
    cpu = sum((k["cpu_ms_per_request"] or 0) * k["requests"] for k in system.results.values())
    entry.update(requests=requests, rps=round(requests / seconds, 1) if seconds else None,
                 cpu_ms_per_request=round(cpu / requests, 2) if requests else None,
                 hits={kind: [t for t, q in zip(system.totals, queries, strict=True)
                              if q.kind == kind] for kind in KINDS})


def _notes(options: Options, workers: int) -> list[str]:
    s = peer_sqlite
    return [
        f"one interleaved run: per kind, every system answers the kind's "
        f"{options.queries_per_kind} queries once (warm-up, reading hit totals), then "
        f"{options.passes} measured passes taken in turn (order rotating), each pass over "
        f"{options.clients} concurrent keep-alive clients; p50/p95 over every measured "
        "request of a kind; all servers run at once, idle while another is measured",
        f"newsarchive: GET /search.json as the site links it (`newsarchive serve`, gunicorn "
        f"{workers} workers x {options.server_threads} threads), which ranks by relevance, "
        "collapses reprints and computes every facet, the date histogram and snippets on "
        "every request (10 results); hit total = printings",
        f"Datasette: GET /{s.DATABASE}/{s.TABLE}.json?_search=... (FTS5 porter on "
        f"{' and '.join(s.TEXT)}, escaped search mode, so a quoted phrase stays a phrase), "
        f"10 rows without the body, listed in rowid order (a table search in Datasette 0.65 "
        f"is not ranked), facets {', '.join(s.FACETS)} and {', '.join(s.ARRAY_FACETS)} "
        f"(array) on every request, plus {', '.join(s.MORE_FACETS)} on the facets kind; "
        "dates as date__gte/date__lte; settings "
        + ", ".join(f"{k}={v}" for k, v in s.SETTINGS.items())
        + " (its defaults interrupt long counts and drop slow facets: the same work is asked "
        "of both); hit total = filtered_table_rows_count",
        f"{PEER}: the database file opened mutable, suggested facets on (Datasette's "
        f"defaults); {PEER_BEST}: opened immutable (-i) and _nosuggest=1; the best row takes "
        "the setup with the lower p95 per kind",
        "server CPU per request: user+system CPU of the server's processes (gunicorn master "
        "and workers; Datasette's one process) over the measured passes, divided by their "
        "requests; it does not count the other load on the machine, latency does",
        "RSS: after the run, summed over a server's processes; peak = sum of each "
        "process's peak",
        "build s: full index build per engine (a child process, as `newsarchive rebuild`); "
        "for Datasette the whole export (rows, FTS5 index, date index, optimize, analyze)",
        "hits agree: a query's hit total within 5% (and 2%) of Datasette's; differences "
        "come from the analysis (our Snowball stemming, stop words dropped inside phrases "
        "and apostrophes kept inside words, against FTS5's Porter on unicode61)",
    ]


@click.command("peer")
@click.option("--articles", type=click.IntRange(min=1), help="Pages to generate.")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Reuse pages written by `bench corpus`.")
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Compare on this archive's store (built by `newsarchive rebuild`); "
                   "every engine's index is built anew beside it.")
@click.option("--engines", default="whoosh,tantivy", show_default=True,
              help="Our engines, comma-separated.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON results; a markdown table is written beside it (.md) "
                   "[default: bench/results/peer-<pages>.json].")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the store, indexes, database and logs here (default: a temporary "
                   "folder, removed afterwards).")
@click.option("--queries-per-kind", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--passes", type=click.IntRange(min=1), default=3, show_default=True,
              help="Measured passes after one warm-up pass.")
@click.option("--clients", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--server-threads", type=click.IntRange(min=1), default=8, show_default=True)
@click.option("--server-workers", type=click.IntRange(min=1),
              help="Our server's worker processes [default: `newsarchive serve`'s].")
@click.option("--jobs", type=click.IntRange(min=1), help="Ingest worker processes.")
@click.option("--seed", type=int, default=1977, show_default=True)
def peer(articles: int | None, corpus: Path | None, data_dir: Path | None, engines: str,
         out: Path | None, work: Path | None, queries_per_kind: int, passes: int,
         clients: int, server_threads: int, server_workers: int | None, jobs: int | None,
         seed: int) -> None:
    """Our site against SQLite FTS5 + Datasette, side by side over HTTP."""
    if sum(x is not None for x in (articles, corpus, data_dir)) != 1:
        raise click.UsageError("give one of --articles N, --corpus DIR or --data-dir DIR")
    names = tuple(dict.fromkeys(n.strip() for n in engines.split(",") if n.strip()))
    if not names:
        raise click.UsageError("--engines names no engine")
    options = Options(engines=names, out=out, articles=articles, corpus=corpus,
                      data_dir=data_dir, work=work, queries_per_kind=queries_per_kind,
                      passes=passes, clients=clients, server_threads=server_threads,
                      server_workers=server_workers, jobs=jobs, seed=seed)
    started = time.perf_counter()
    _, written = run(options, say=lambda line: click.echo(line, err=True))
    click.echo(written.with_suffix(".md").read_text())
    click.echo(f"written {written} in {time.perf_counter() - started:.0f} s", err=True)
