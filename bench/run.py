"""`python -m bench run`: every engine on the same corpus in one run. Ingest once, then per
engine a full build in a child process, the query set in-process, the same queries over
HTTP against the real site, and (for tantivy) raw tantivy-py on the same queries. Writes
the JSON and a markdown table beside it; an engine that fails is recorded, not fatal."""

from __future__ import annotations

import inspect
import json
import math
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.ingest import ingest
from archive.store import Store
from bench import baselines, raw_tantivy
from bench.buildproc import build
from bench.corpus import generate
from bench.http import HttpResult, Server, run_clients, serving
from bench.measure import du_mib, machine, p50_p95, time_calls, tree_rss_mib
from bench.queries import KINDS, Query, make_queries
from bench.report import BASELINE, markdown
from bench.workspace import work_folder
from index.build import current_snapshot
from index.library import INDEX_NAME, STORE_NAME

AGREE_WITHIN = 0.02  # hit totals "agree" within 2%, as in reference/engines.md
CLUSTER_NODES = 2  # an engine that needs a server gets this many nodes, each shard mirrored
KILLED_NODE = 1  # the node whose searchd the node-failure measurement kills

Say = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    engines: tuple[str, ...]
    out: Path
    articles: int | None = None  # pages to generate (or None with `corpus`)
    corpus: Path | None = None  # reuse these pages instead of generating
    work: Path | None = None  # kept when given; else a temporary folder, removed
    queries_per_kind: int = 30
    passes: int = 3
    skip_http: bool = False
    clients: int = 4
    server_threads: int = 8
    server_workers: int | None = None  # serve's --workers; None: its default (CPUs, <= 4)
    jobs: int | None = None  # ingest workers, if ingest() takes `jobs=`
    seed: int = 1977


def run(options: Options, say: Say = print) -> dict:
    """Measure every engine; write options.out (JSON) and its .md twin; return the data."""
    with work_folder(options.work, "bench") as work:
        data = _run(options, work, say)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(data, indent=2) + "\n")
    options.out.with_suffix(".md").write_text(markdown(data))
    return data


def _run(options: Options, work: Path, say: Say) -> dict:
    notes: list[str] = []
    pages = options.corpus
    if pages is None:
        if not options.articles:
            raise ValueError("give --articles N (pages to generate) or --corpus DIR")
        pages = work / "pages"
        started = time.perf_counter()
        generate(pages, options.articles, options.seed)
        say(f"corpus: {options.articles} pages in {time.perf_counter() - started:.1f} s")
    page_count = sum(1 for p in pages.rglob("*") if p.is_file())
    store_path = work / "store" / STORE_NAME
    ingest_rate, store_articles = _ingest(pages, store_path, options.jobs, notes)
    say(f"ingest: {ingest_rate:,.0f} pages/s, {store_articles} articles")
    store = Store(store_path)
    try:
        queries = make_queries(store.articles(), options.queries_per_kind, options.seed)
    finally:
        store.close()
    notes += _method_notes(options)
    engines: dict[str, dict] = {}
    for name in options.engines:
        entry: dict = {"ingest_pages_per_s": ingest_rate}
        engines[name] = entry
        _engine(name, entry, work / "engines" / name, store_path, queries, options, say,
                notes)
    compare_hits(engines)
    return {"articles": page_count if options.corpus else options.articles, "pages": page_count,
            "store_articles": store_articles, "machine": machine(),
            "options": {"engines": list(options.engines),
                        "queries_per_kind": options.queries_per_kind,
                        "passes": options.passes, "clients": options.clients,
                        "server_threads": options.server_threads,
                        "server_workers": server_workers(options), "seed": options.seed,
                        "skip_http": options.skip_http},
            "queries": [q.record() for q in queries], "engines": engines, "notes": notes}


def _ingest(pages: Path, store_path: Path, jobs: int | None,
            notes: list[str]) -> tuple[float, int]:
    """Ingest once: it does not depend on the engine, so every engine reports this rate."""
    extra = {}
    if "jobs" in inspect.signature(ingest).parameters:  # parallel ingest is on its way
        extra["jobs"] = jobs or os.cpu_count() or 1
    store_path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):  # a fresh store (a reused --work folder has one):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)  # else nothing is ingested
    store = Store(store_path)
    try:
        started = time.perf_counter()
        report = ingest(store, [pages], **extra)
        seconds = time.perf_counter() - started
        count = store.count()
    finally:
        store.close()  # checkpoints the WAL: the file alone is then the whole store
    notes.append(f"ingest measured once ({report.seen} pages, {seconds:.2f} s"
                 + (f", jobs={extra['jobs']}" if extra else ", one process")
                 + ") and reported for every engine: ingest does not depend on the engine")
    return round(report.seen / seconds, 1), count


def server_workers(options: Options) -> int:
    """The server's worker processes: as asked, else `newsarchive serve`'s default."""
    from web.server import default_workers

    return options.server_workers or default_workers()


def _method_notes(options: Options) -> list[str]:
    notes = [f"query_ms: in-process engine.search(), one query at a time, top 10 with the "
             f"exact total; per query the median of {options.passes} measured passes after "
             "1 warm-up pass, then p50/p95 over the queries of a kind",
             "build: full rebuild (index.build.rebuild full=True) in a child process; "
             "build_rss_mib is its peak RSS, build_workers_rss_mib the largest peak of the "
             "processes it started (Whoosh's writers)",
             "index_mib: disk usage of the snapshot folder",
             f"hits_agree: hit totals within {AGREE_WITHIN:.0%} of {BASELINE}'s "
             "(or the first engine's)"]
    if not options.skip_http:
        workers = server_workers(options)
        notes.append(f"http_ms: GET /search.json on `newsarchive serve` (gunicorn, "
                     f"{workers} worker{'s' if workers != 1 else ''} x "
                     f"{options.server_threads} threads), {options.clients} concurrent "
                     f"keep-alive clients, 1 warm-up pass then {options.passes} passes; "
                     "p50/p95 over every measured request of a kind; the site computes "
                     "facets and snippets for every request (page size 10); serve_rss_mib "
                     "is the server's RSS after the run, summed over the gunicorn master "
                     "and its workers (pages they share counted in each); "
                     "http_first_ms: the warm-up pass alone, each query's first request "
                     "(nothing of that search remembered yet: story counts, caches of "
                     "its words; the server's first requests also warm its process)")
    else:
        notes.append("--skip-http: no HTTP figures, no serving RSS")
    if any(baselines.is_baseline(name) for name in options.engines):
        notes.append(f"{', '.join(n for n in options.engines if baselines.is_baseline(n))}: "
                     "the benchmark's own baseline (bench/), built in a child process and "
                     "timed in-process; the site serves registered engines only, so it has "
                     "no HTTP figures")
    if any(_needs_server(name) for name in options.engines):
        notes.append(f"an engine that needs servers (sphinx) runs on a local cluster started "
                     f"for it: {CLUSTER_NODES} searchd nodes on loopback on this same machine, "
                     "every shard with a mirror on the other node; build, in-process queries "
                     "and the site all use it; cluster_mib is the disk usage of the nodes' "
                     "folders after the build (index_mib: its engine folder only), cluster_rss_mib "
                     "the searchd processes' RSS after the HTTP passes (not in serve_rss_mib)")
        if not options.skip_http:
            notes.append(f"node_failure: after the HTTP passes, node {KILLED_NODE}'s searchd is "
                         "killed (SIGKILL) under the same running site and the same HTTP "
                         "passes run again; p95_ratio = p95 after / p95 before; first_pass_ms "
                         "times the warm-up pass right after the kill (when the site notices "
                         "the dead node); hits_same compares each query's total with the "
                         "total before the kill; partial counts answers marked partial")
    return notes


def _engine(name: str, entry: dict, data_dir: Path, store_path: Path,
            queries: Sequence[Query], options: Options, say: Say, notes: list[str]) -> None:
    """Fill `entry` for one engine; a failure at any stage is recorded in it."""
    stage = "cluster"
    try:
        with _servers(name, data_dir.parent / f"{name}-cluster", entry, say) as cluster:
            stage = "build"
            _measure(name, entry, data_dir, store_path, queries, options, say, cluster)
    except _StageFailed as failed:  # one engine failing must not lose the others' numbers
        entry["error"] = failed.args[0]
        say(f"{name}: FAILED ({entry['error']})")
    except Exception as error:
        entry["error"] = f"{stage}: {type(error).__name__}: {error}"
        say(f"{name}: FAILED ({entry['error']})")
    if name == "tantivy":  # the floor for our tantivy engine, even if ours failed
        try:
            _raw(entry, store_path, data_dir / "raw-tantivy", queries, options.passes, notes)
        except Exception as error:
            entry["raw_tantivy_error"] = f"{type(error).__name__}: {error}"
            say(f"raw tantivy: FAILED ({entry['raw_tantivy_error']})")


class _StageFailed(Exception):
    """A measurement stage failed; the message is "stage: error"."""


def _needs_server(name: str) -> bool:
    try:
        from index.engines import REGISTRY
    except ImportError:
        return False
    registered = REGISTRY.get(name)
    return bool(registered and registered.server)


@contextmanager
def _servers(name: str, folder: Path, entry: dict, say: Say) -> Iterator[object | None]:
    """For an engine that answers from servers: a local cluster of CLUSTER_NODES nodes,
    each shard with a mirror on another node, in `folder` for the block (stopped after,
    whatever happens); None for an engine that needs none."""
    if not _needs_server(name):
        yield None
        return
    from index.sphinx import cluster as sphinx

    shutil.rmtree(folder, ignore_errors=True)  # a reused --work folder: a fresh cluster
    started = sphinx.start(folder, nodes=CLUSTER_NODES, replicas=2, generations=4)
    entry["cluster"] = {"nodes": CLUSTER_NODES, "replicas": 2,
                        "shards": started.layout.shards}
    say(f"{name}: cluster of {CLUSTER_NODES} nodes started in {folder}")
    try:
        yield started
    finally:
        sphinx.stop(started.folder)


def _cluster_env(cluster: object | None) -> dict[str, str]:
    """The environment that names the cluster to the build and the server."""
    if cluster is None:
        return {}
    from index.sphinx.generations import ENV

    return {ENV: cluster.spec}  # type: ignore[attr-defined]


def _measure(name: str, entry: dict, data_dir: Path, store_path: Path,
             queries: Sequence[Query], options: Options, say: Say,
             cluster: object | None) -> None:
    """Build, then time queries in-process and over HTTP (and a node failure)."""
    stage = "build"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):  # left by an earlier run in a reused --work folder
            Path(f"{data_dir / STORE_NAME}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(store_path, data_dir / STORE_NAME)  # the server wants store + index
        built = baselines.build(data_dir, name) if baselines.is_baseline(name) \
            else build(data_dir, name, env=_cluster_env(cluster))
        entry.update(build_seconds=built["seconds"], indexed=built["indexed"],
                     build_articles_per_s=round(built["indexed"] / built["seconds"], 1),
                     build_rss_mib=built["rss_mib"],
                     build_workers_rss_mib=built["workers_rss_mib"],
                     index_mib=du_mib(Path(built["snapshot"])))
        if cluster is not None:  # the rows live in the nodes' folders, not the snapshot
            entry["cluster_mib"] = du_mib(cluster.folder)  # type: ignore[attr-defined]
        say(f"{name}: built {built['indexed']} articles in {built['seconds']:.1f} s")
        stage = "queries"
        totals = _queries(name, entry, data_dir, queries, options.passes)
        say(f"{name}: queries {_summary(entry['query_ms'])}")
        if not options.skip_http and not baselines.is_baseline(name):
            stage = "http"
            _http(name, entry, data_dir, queries, totals, options, cluster, say)
            say(f"{name}: http {_summary(entry['http_ms'])}, {entry['http_rps']} req/s")
            if "node_failure" in entry:
                say(f"{name}: node {KILLED_NODE} killed: http "
                    f"{_summary(entry['node_failure']['http_ms'])}")
    except Exception as error:
        raise _StageFailed(f"{stage}: {type(error).__name__}: {error}") from error


def _open(name: str, data_dir: Path, store: Store):
    """Engine `name` on the data folder's current snapshot (a baseline of the benchmark's
    own: on the folder bench.baselines built it in)."""
    if baselines.is_baseline(name):
        return baselines.engine_class(name)(baselines.index_path(data_dir, name))
    path = current_snapshot(data_dir / INDEX_NAME)
    if path is None:
        raise RuntimeError("the build left no current snapshot")
    try:
        from index.engines import make_engine  # type: ignore[import-not-found]
    except ImportError:  # before index/engines.py: the one engine open_engine() knows
        from index.build import open_engine

        if name != "whoosh":
            raise
        return open_engine(data_dir / INDEX_NAME, store)
    return make_engine(name, path, store.snippet_texts)


def _queries(name: str, entry: dict, data_dir: Path, queries: Sequence[Query],
             passes: int) -> list[int | None]:
    store = Store(data_dir / STORE_NAME)
    engine = _open(name, data_dir, store)
    try:
        calls = [lambda q=q: engine.search(q.request).total for q in queries]
        medians, totals, errors = time_calls(calls, passes)
    finally:
        close = getattr(engine, "close", None)
        if close:
            close()
        store.close()
    entry["query_ms"] = _by_kind(queries, medians)
    entry["hits"] = _hits(queries, totals)
    failed = {q.text: e for q, e in zip(queries, errors, strict=True) if e}
    if failed:
        entry["query_errors"] = failed
    return totals


def _http(name: str, entry: dict, data_dir: Path, queries: Sequence[Query],
          totals: list[int | None], options: Options, cluster: object | None = None,
          say: Say = print) -> None:
    with serving(data_dir, name, data_dir / "server.log", options.server_threads,
                 server_workers(options), env=_cluster_env(cluster)) as server:
        result = run_clients(server, queries, options.clients, options.passes)
        entry["serve_rss_mib"] = server.rss_mib()
        entry["serve_peak_rss_mib"] = server.peak_rss_mib()
        if cluster is not None:  # the same server, one node's searchd killed
            entry["cluster_rss_mib"] = round(sum(
                tree_rss_mib(pid) for pid in cluster.pids), 1)  # type: ignore[attr-defined]
            entry["node_failure"] = _node_failure(server, cluster, queries, result, options)
    entry["http_ms"] = _http_ms(queries, result.ms)
    # Each query's first request (the warm-up pass): what a search nobody made before
    # costs, with nothing of it remembered (the measured passes repeat every query).
    entry["http_first_ms"] = _http_ms(queries, _firsts(result))
    entry["http_rps"] = round(result.rps, 1)
    entry["http_requests"] = result.requests
    # The server must answer from the engine just measured: same totals as in-process.
    pairs = [(a, b) for a, b in zip(result.totals, totals, strict=True) if a is not None]
    entry["http_hits_same"] = {"same": sum(a == b for a, b in pairs), "of": len(queries)}
    failed = {q.text: e for q, e in zip(queries, result.errors, strict=True) if e}
    if failed:
        entry["http_errors"] = dict(list(failed.items())[:20])


def _http_ms(queries: Sequence[Query], ms: Sequence[Sequence[float]]) -> dict[str, dict]:
    """p50/p95 per kind over every request of the kind."""
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for query, times in zip(queries, ms, strict=True):
        samples[query.kind].extend(times)
    return {k: p50_p95(v) for k, v in samples.items() if v}


def _firsts(result: HttpResult) -> list[list[float]]:
    """Per query, the time of its warm-up request (none if it failed)."""
    return [[t] if t is not None else [] for t in result.warm_ms]


def _all_ms(ms: Sequence[Sequence[float]]) -> dict[str, float] | None:
    """p50/p95 over every request of every kind."""
    every = [t for times in ms for t in times]
    return p50_p95(every) if every else None


def _node_failure(server: Server, cluster: object, queries: Sequence[Query],
                  before: HttpResult, options: Options) -> dict:
    """Kill one node's searchd (as a crash: SIGKILL) under a serving site whose every
    shard has a copy on another node, then run the same HTTP passes again: latency after
    the failure against before, and whether the answers stayed complete (the same hit
    totals as before the kill, none marked partial). The first pass after the kill,
    where the servers notice the dead node, is timed on its own."""
    from index.sphinx import cluster as sphinx

    sphinx.kill(cluster, KILLED_NODE)  # type: ignore[arg-type]
    after = run_clients(server, queries, options.clients, options.passes)
    http_ms = _http_ms(queries, after.ms)
    was = _http_ms(queries, before.ms)
    first = _firsts(after)
    answered = [(a, b) for a, b in zip(after.totals, before.totals, strict=True)
                if b is not None]
    failed = {q.text: e for q, e in zip(queries, after.errors, strict=True) if e}
    node = cluster.layout.nodes[KILLED_NODE]  # type: ignore[attr-defined]
    was["all"], http_ms["all"] = _all_ms(before.ms), _all_ms(after.ms)
    return {"killed": f"node {KILLED_NODE} ({node.sql})", "http_ms_before": was,
            "http_ms": http_ms, "first_pass_ms": _http_ms(queries, first) | {
                "all": _all_ms(first)},
            "p95_ratio": {k: round(v["p95"] / was[k]["p95"], 2) for k, v in http_ms.items()
                          if v and (was.get(k) or {}).get("p95")},
            "http_rps": round(after.rps, 1),
            "hits_same": {"same": sum(a == b for a, b in answered), "of": len(answered)},
            "partial": sum(after.partial), "errors": dict(list(failed.items())[:20])}


def _raw(entry: dict, store_path: Path, folder: Path, queries: Sequence[Query], passes: int,
         notes: list[str]) -> None:
    """Raw tantivy-py on a plain index of the same store (our snapshot's schema is the
    engine's own business), timed exactly like our engine."""
    if not raw_tantivy.available():
        notes.append("tantivy is not importable: raw tantivy-py overhead check skipped")
        return
    store = Store(store_path)
    try:
        built = raw_tantivy.build(store.articles(), folder)
    finally:
        store.close()
    search = raw_tantivy.searcher(folder)
    medians, totals, _ = time_calls([lambda q=q: search(q) for q in queries], passes)
    entry["raw_tantivy_query_ms"] = _by_kind(queries, medians)
    entry["raw_tantivy_build_articles_per_s"] = round(built["indexed"] / built["seconds"], 1)
    entry["raw_tantivy_hits"] = _hits(queries, totals)
    ours = entry.get("query_ms", {})
    entry["over_raw_tantivy"] = {k: round(ours[k]["p50"] / v["p50"], 2)
                                 for k, v in entry["raw_tantivy_query_ms"].items()
                                 if k in ours and v["p50"] > 0}
    notes.append("raw_tantivy_query_ms: tantivy-py on a plain index of the same store "
                 "(en_stem, body stored, facets as fast fields), same queries and passes; "
                 "over_raw_tantivy = our tantivy p50 / raw p50")


def _by_kind(queries: Sequence[Query], values: Sequence[float]) -> dict[str, dict]:
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for query, value in zip(queries, values, strict=True):
        if not math.isnan(value):
            samples[query.kind].append(value)
    return {kind: p50_p95(v) for kind, v in samples.items() if v}


def _hits(queries: Sequence[Query], totals: Sequence[int | None]) -> dict[str, list]:
    hits: dict[str, list] = {kind: [] for kind in KINDS}
    for query, total in zip(queries, totals, strict=True):
        hits[query.kind].append(total)
    return hits


def agree(a: int | None, b: int | None) -> bool:
    """Two hit totals agree within 2% (both zero agree; a failed query never does)."""
    if a is None or b is None:
        return False
    return abs(a - b) <= AGREE_WITHIN * max(a, b)


def compare_hits(engines: dict[str, dict]) -> None:
    """Per engine and kind: how many queries' totals agree with the reference engine's
    (whoosh-stock when it ran, else the first engine that did)."""
    measured = [n for n, e in engines.items() if "hits" in e]
    if not measured:
        return
    reference = BASELINE if BASELINE in measured else measured[0]
    theirs = engines[reference]["hits"]
    for name in measured:
        if name != reference:
            engines[name]["hits_agree"] = _agreement(engines[name]["hits"], theirs, reference)
    # Our two engines share one analysis (index.analysis): where they agree with each
    # other but not with whoosh-stock, the difference is the analysis (Porter and
    # Whoosh's stop list against Snowball, folding and ours), not the tuning.
    if reference == BASELINE and {"whoosh", "tantivy"} <= set(measured):
        engines["whoosh"]["hits_agree_same_analysis"] = _agreement(
            engines["whoosh"]["hits"], engines["tantivy"]["hits"], "tantivy")
    raw = engines.get("tantivy", {}).get("raw_tantivy_hits")
    if raw:
        engines["tantivy"]["raw_tantivy_hits_agree"] = _agreement(raw, theirs, reference)


def _agreement(ours: dict[str, list], theirs: dict[str, list], reference: str) -> dict:
    return {"vs": reference, "kinds": {
        kind: {"agree": sum(agree(a, b) for a, b in zip(totals, theirs[kind], strict=True)),
               "of": len(totals)} for kind, totals in ours.items()}}


def _summary(ms: dict[str, dict]) -> str:
    return ", ".join(f"{k} {v['p50']:.1f}" for k, v in ms.items()) + " ms p50"
