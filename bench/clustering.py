"""Clustering benchmark: a generated corpus with planted copies and near misses
(bench.reprints); pairwise precision and recall of archive.clusters, and what clustering
costs (signatures, the store's tables, and a real ingest with and without it).

    python -m bench clustering --articles N [--ingest-pages M | --pages DIR] [--out F.json]
"""

from __future__ import annotations

import gc
import os
import sqlite3
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from archive import minhash
from archive import rows as rows_module
from archive.clusters import Clusters, Item, create
from archive.ingest import CHUNK_FILES, WRITER_CACHE_MIB
from archive.minhash_many import signatures
from archive.pool import ordered_map
from archive.store import Store
from bench.reprints import Doc, corpus

BATCH = 500  # items per add() and per transaction, as an ingest batch
SIGN_BATCH = CHUNK_FILES  # articles signed together: a worker's chunk of one-article pages
DAY = 300  # articles of a day of pages (an issue of a daily: ~40 pages of ~8 items)
Say = Callable[[str], None]


def quality(docs: list[Doc], near: list[tuple[int, int, str]],
            found: dict[str, str | None]) -> dict:
    """Pairwise precision and recall of found clusters (article id -> cluster id, None:
    not clustered) against the stories, over the clusterable articles; how each kind of
    copy fared, and how many near misses were wrongly joined."""
    together: Counter = Counter()  # (cluster, story) -> articles
    clusters: Counter = Counter()
    stories: Counter = Counter()
    for doc in docs:
        cluster = found.get(doc.article_id)
        if cluster is None:
            continue
        together[cluster, doc.story] += 1
        clusters[cluster] += 1
        stories[doc.story] += 1
    right = sum(n * (n - 1) // 2 for n in together.values())
    said = sum(n * (n - 1) // 2 for n in clusters.values())
    true = sum(n * (n - 1) // 2 for n in stories.values())
    first: dict[int, str] = {}
    in_clusters: dict[int, set[str]] = defaultdict(set)
    recall_by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc in docs:
        cluster = found.get(doc.article_id)
        if cluster is not None:
            in_clusters[doc.story].add(cluster)
        if doc.story not in first:
            first[doc.story] = doc.article_id
        elif cluster is not None:
            joined = cluster == found.get(first[doc.story])
            for change in doc.variant.split("+"):
                recall_by[change][0] += joined
                recall_by[change][1] += 1
    wrong: Counter = Counter()
    for a, b, why in near:
        wrong[why, bool(in_clusters[a] & in_clusters[b])] += 1
    short = [d for d in docs if found.get(d.article_id) is None]
    return {"precision": round(right / said, 4) if said else 1.0,
            "recall": round(right / true, 4) if true else 1.0,
            "pairs_true": true, "pairs_found": said, "pairs_right": right,
            "not_clustered": len(short),
            "not_clustered_not_brief": sum(d.kind != "brief" for d in short),
            "copy_recall_by_change": {k: f"{v[0]}/{v[1]}" for k, v in
                                      sorted(recall_by.items(), key=lambda kv: -kv[1][1])},
            "near_misses_joined": {why: f"{wrong[why, True]}/{wrong[why, True] + wrong[why, False]}"
                                   for why in sorted({w for _, _, w in near})}}


def run_clusters(docs: list[Doc], path: Path, say: Say, cache_mib: int | None = None
                 ) -> tuple[dict, dict[str, str | None]]:
    """Signatures and add() over the corpus (date order, BATCH per transaction, the
    store's pragmas, cache_mib of page cache if given): timings."""
    sigs, signing = _sign(docs)
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                   *([f"cache_size=-{cache_mib * 1024}"] if cache_mib else [])):
        db.execute(f"PRAGMA {pragma}")
    create(db)
    clusters = Clusters(db)
    order = sorted(range(len(docs)), key=lambda i: (docs[i].date, docs[i].article_id))
    items = [Item(docs[i].article_id, sigs[i], docs[i].date) for i in order]
    quarters, day_ms, spent, cpu = [], [], 0.0, 0.0
    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        began, cpu_began = time.perf_counter(), time.process_time()
        db.execute("BEGIN IMMEDIATE")
        clusters.add(batch, new=True)  # as the ingest's writer adds new articles
        db.execute("COMMIT")
        spent += time.perf_counter() - began
        cpu += time.process_time() - cpu_began
        end = start + len(batch)
        if (start // BATCH + 1) % max(1, len(items) // BATCH // 4) == 0 \
                and end + DAY <= len(items):
            # The next day's pages, added (then taken out again: they come in their
            # batch): the cost of a day must not grow with the archive.
            day = items[end:end + DAY]
            began = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            clusters.add(day, new=True)
            db.execute("COMMIT")
            day_ms.append(round((time.perf_counter() - began) * 1000, 1))
            db.execute("BEGIN IMMEDIATE")
            clusters.remove(i.article_id for i in day)
            db.execute("COMMIT")
            quarters.append(round(spent / end * 1e6, 1))
            say(f"  clustered {end:,}: {quarters[-1]} us/article so far; the next "
                f"{DAY} articles added in {day_ms[-1]} ms")
    infos = clusters.infos([d.article_id for d in docs])
    found = {k: (v.cluster_id if v.status == "clustered" else None) for k, v in infos.items()}
    edges = db.execute("SELECT count(*) FROM cluster_edges").fetchone()[0]
    db.close()
    n = len(docs)
    return {"articles": n, "signature_us": round(signing / n * 1e6, 1),
            "add_us": round(spent / n * 1e6, 1), "add_cpu_us": round(cpu / n * 1e6, 1),
            "add_us_running_mean_by_quarter": quarters,
            "day_articles": DAY, "day_ms_by_quarter": day_ms,
            "seconds_per_1000": round((signing + spent) / n * 1000, 3),
            "edges": edges, "store_mib": round(path.stat().st_size / 2**20, 1)}, found


def _sign(docs: list[Doc]) -> tuple[list[bytes | None], float]:
    """Signatures of the corpus as an ingest worker makes them (SIGN_BATCH at a time, in a
    forked worker process of archive.pool: its allocator set as theirs), and the CPU
    seconds the signing took there."""
    chunks = [docs[start:start + SIGN_BATCH] for start in range(0, len(docs), SIGN_BATCH)]
    found = list(ordered_map(_sign_chunk, chunks, jobs=1, chunksize=len(chunks)))
    return [sig for sigs, _ in found for sig in sigs], sum(spent for _, spent in found)


def _sign_chunk(chunk: list[Doc]) -> tuple[list[bytes | None], float]:
    counts = [minhash.words(d.paragraphs) for d in chunk]  # a reader's word_count
    started = time.process_time()
    sigs = signatures([d.paragraphs for d in chunk], counts)
    return sigs, time.process_time() - started


def datasketch_cost(docs: list[Doc], sample: int = 300) -> dict:
    """What the same shingles cost through datasketch's MinHash (128 permutations)."""
    try:
        from datasketch import MinHash
    except ImportError:
        return {"error": "datasketch is not installed"}
    texts = [minhash.fold(" ".join(d.paragraphs)) for d in docs[:sample]]
    grams = [[t[i:i + 8] for i in range(len(t) - 7)] for t in texts]
    started = time.perf_counter()
    for shingles in grams:
        sketch = MinHash(num_perm=minhash.SLOTS)
        sketch.update_batch(shingles)
    return {"minhash_us": round((time.perf_counter() - started) / len(grams) * 1e6, 1)}


def _store(cache_mib: int | None) -> type[Store]:
    """The store with cache_mib of SQLite page cache."""

    class Measured(Store):
        def __init__(self, path: str | Path):
            super().__init__(path)
            if cache_mib:
                self.db.execute(f"PRAGMA cache_size=-{cache_mib * 1024}")

    return Measured


@contextmanager
def _clustering_off() -> Iterator[None]:
    """The integrated ingest with its clustering taken out: no signatures in the reading
    workers (they fork after this), nothing clustered in the writer."""
    sign, recluster, backlog = (rows_module.signatures, vars(Store)["_recluster"],
                                Store.cluster_backlog)
    rows_module.signatures = lambda articles: [(a.id, None, None) for a in articles]
    Store._recluster = staticmethod(lambda db, gone, kept, signatures, new=False: None)  # type: ignore
    Store.cluster_backlog = lambda self, batch=500: 0  # type: ignore[method-assign]
    try:
        yield
    finally:
        rows_module.signatures, Store._recluster, Store.cluster_backlog = (
            sign, recluster, backlog)


def ingest_cost(pages: Path, jobs: int | None, repeat: int, say: Say,
                cache_mib: int | None = None) -> dict:
    """bench.ingest_speed's measure of the real ingest, with its clustering and with it
    taken out, alternated; the fastest run of each."""
    from bench import ingest_speed

    runs: dict[str, list[dict]] = {"without": [], "with": []}
    for number in range(repeat):
        for name in runs:
            plain_store = ingest_speed.Store
            ingest_speed.Store = _store(cache_mib)  # type: ignore[misc]
            try:
                with _clustering_off() if name == "without" else nullcontext():
                    result = ingest_speed.measure_ingest(pages, jobs=jobs)
            finally:
                ingest_speed.Store = plain_store
            runs[name].append(result)
            say(f"  ingest {name} clustering (run {number + 1}): {result}")
    best = {name: min(found, key=lambda r: r["seconds"]) for name, found in runs.items()}
    slower = best["with"]["seconds"] / best["without"]["seconds"] - 1
    # CPU (writer + workers) varies less than wall time on a shared machine: its ratio too,
    # from the least of each kind's runs
    cpu = {name: min(r["writer_cpu_us_per_page"] + r["workers_cpu_us_per_page"]
                     for r in found) for name, found in runs.items()}
    # each pair (run alternately, so under much the same load): the spread says how far
    # the fastest-against-fastest figure can be trusted
    pairs = sorted(round(100 * (w["seconds"] / o["seconds"] - 1), 1)
                   for w, o in zip(runs["with"], runs["without"], strict=True))
    return {"without": best["without"], "with": best["with"],
            "slower_percent": round(100 * slower, 1),
            "pairs_slower_percent": pairs,
            "pairs_median_percent": round(statistics.median(pairs), 1),
            "cpu_more_percent": round(100 * (cpu["with"] / cpu["without"] - 1), 1),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def index_cost(pages: Path, engine: str, jobs: int | None, repeat: int, say: Say) -> dict:
    """Full index builds of the same pages ingested with and without clustering, alternated
    (the fastest of each kind counts, as for ingest_cost): what clustering adds to indexing
    (each article's story key, reprints to collapse)."""
    from archive.ingest import ingest
    from index.build import rebuild

    seconds: dict[str, list[float]] = {"without": [], "with": []}
    with tempfile.TemporaryDirectory(prefix="bench-clustering-index-") as scratch:
        stores: dict[str, Store] = {}
        try:
            for name in seconds:
                folder = Path(scratch) / name
                folder.mkdir()
                stores[name] = Store(folder / "articles.sqlite3")
                with _clustering_off() if name == "without" else nullcontext():
                    ingest(stores[name], [pages], jobs=jobs)
            for number in range(repeat):
                for name, store in stores.items():
                    started = time.perf_counter()
                    rebuild(store, Path(scratch) / name / "index", full=True, engine=engine)
                    seconds[name].append(round(time.perf_counter() - started, 3))
                    say(f"  {engine} full build, ingested {name} clustering "
                        f"(run {number + 1}): {seconds[name][-1]} s")
        finally:
            for store in stores.values():
                store.close()
    best = {name: min(found) for name, found in seconds.items()}
    return {"engine": engine, "without_s": best["without"], "with_s": best["with"],
            "slower_percent": round(100 * (best["with"] / best["without"] - 1), 1),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def run(articles: int, seed: int = 1977, pages: Path | None = None,
        ingest_pages: int | None = None, jobs: int | None = None, repeat: int = 2,
        say: Say = print, cache_mib: int | None = None,
        index_engine: str | None = None) -> dict:
    """The whole benchmark: quality and cost on `articles` generated printings, and the
    ingest comparison on `pages` (or `ingest_pages` generated by bench.corpus); cache_mib:
    SQLite page cache for both (None: the ingest writer's, archive.ingest.WRITER_CACHE_MIB;
    an ingest never runs with less); index_engine: also time a full build of `pages` on
    that engine with and without clustering."""
    cache_mib = cache_mib or WRITER_CACHE_MIB
    with tempfile.TemporaryDirectory(prefix="bench-clustering-") as scratch:
        compared = None
        if ingest_pages and not pages:
            from bench.corpus import generate

            say(f"generating {ingest_pages:,} pages for the ingest comparison ...")
            pages = Path(scratch) / "pages"
            generate(pages, ingest_pages, seed)
        indexed = None
        if pages:  # first, while this process holds no corpus its workers would inherit
            compared = ingest_cost(pages, jobs, repeat, say, cache_mib)
            if index_engine:
                indexed = index_cost(pages, index_engine, jobs, repeat, say)
        say(f"generating {articles:,} printings ...")
        docs, near = corpus(articles, seed)
        gc.freeze()  # the corpus is no garbage: the collector need not walk it during add()
        try:
            cost, found = run_clusters(docs, Path(scratch) / "clusters.sqlite3", say,
                                       cache_mib)
        finally:
            gc.unfreeze()
        data: dict = {"articles": len(docs), "seed": seed, "cache_mib": cache_mib,
                      "min_words": minhash.MIN_WORDS,
                      "bands": f"{minhash.BODY_BANDS} of the body + {minhash.LEAD_BANDS} of "
                               f"the lead, {minhash.BAND_ROWS} slots each",
                      "quality": quality(docs, near, found),
                      "cost": cost, "datasketch": datasketch_cost(docs)}
        if compared:
            data["ingest"] = compared
        if indexed:
            data["index"] = indexed
    return data


def markdown(data: dict) -> str:
    """The results as a table."""
    q, c, d = data["quality"], data["cost"], data["datasketch"]
    cache = f"{data['cache_mib']} MiB" if data.get("cache_mib") else "SQLite's default 2 MiB"
    rows = [("articles (printings); SQLite page cache", f"{data['articles']:,}; {cache}"),
            ("LSH bands", data.get("bands", "?")),
            ("pairwise precision", f"{q['precision']:.4f} ({q['pairs_right']:,} of "
                                   f"{q['pairs_found']:,} pairs found)"),
            ("pairwise recall", f"{q['recall']:.4f} ({q['pairs_right']:,} of "
                                f"{q['pairs_true']:,} true pairs)"),
            ("copies joined to their first printing, by change",
             ", ".join(f"{k} {v}" for k, v in q["copy_recall_by_change"].items())),
            ("near misses wrongly joined (stories)",
             ", ".join(f"{k} {v}" for k, v in q["near_misses_joined"].items())),
            (f"not clustered (fewer than {data['min_words']} words)",
             f"{q['not_clustered']:,} ({q['not_clustered_not_brief']:,} not planted briefs)"),
            (f"signature, CPU us/article (signed {SIGN_BATCH} at a time in a worker)",
             f"{c['signature_us']}"),
            ("datasketch MinHash of the same shingles, us/article",
             str(d.get("minhash_us", d.get("error")))),
            ("add() to the store's tables, us/article", f"{c['add_us']} (CPU {c['add_cpu_us']}"
                                                        f"; running mean as it grew "
                                                        f"{c['add_us_running_mean_by_quarter']})"),
            (f"the next day ({c['day_articles']} articles) added as the archive grew, ms",
             ", ".join(map(str, c["day_ms_by_quarter"]))),
            ("clustering, seconds per 1,000 articles", f"{c['seconds_per_1000']}"),
            ("edges; clustering tables", f"{c['edges']:,}; {c['store_mib']} MiB")]
    if "ingest" in data:
        without, with_ = data["ingest"]["without"], data["ingest"]["with"]
        per_page = 1e6 / without["pages_per_s"]
        rows += [("ingest without clustering", _ingest(without)),
                 ("ingest with clustering", _ingest(with_)),
                 ("ingest slower with clustering (target <= 20%)",
                  f"{data['ingest']['slower_percent']}% wall; CPU (writer + workers) "
                  f"{data['ingest'].get('cpu_more_percent', '?')}% more; each pair "
                  f"{data['ingest'].get('pairs_slower_percent', '?')}% (median "
                  f"{data['ingest'].get('pairs_median_percent', '?')}%); load average at "
                  f"the end {data['ingest'].get('load_average', '?')}"),
                 ("clustering cost per article / ingest wall per page",
                  f"{c['signature_us'] + c['add_us']:.0f} / {per_page:.0f} us = "
                  f"{100 * (c['signature_us'] + c['add_us']) / per_page:.0f}% if run serially")]
    if "index" in data:
        index = data["index"]
        rows.append((f"{index['engine']} full build slower with clustering (target <= 20%)",
                     f"{index['slower_percent']}%: {index['with_s']} s against "
                     f"{index['without_s']} s; load average at the end "
                     f"{index['load_average']}"))
        if "ingest" in data:  # what an operator waits for: ingest, then the index build
            without = data["ingest"]["without"]["seconds"] + index["without_s"]
            with_ = data["ingest"]["with"]["seconds"] + index["with_s"]
            rows.append((f"ingest + {index['engine']} full build slower with clustering",
                         f"{100 * (with_ / without - 1):.1f}%: {with_:.1f} s against "
                         f"{without:.1f} s"))
    return "\n".join(["| measure | value |", "|---|---|"]
                     + [f"| {k} | {v} |" for k, v in rows]) + "\n"


def _ingest(result: dict) -> str:
    return (f"{result['pages']:,} pages in {result['seconds']} s: {result['pages_per_s']:,} "
            f"pages/s, {result['jobs']} jobs; CPU us/page: writer "
            f"{result['writer_cpu_us_per_page']}, workers {result['workers_cpu_us_per_page']}")
