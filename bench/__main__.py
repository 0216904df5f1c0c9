"""python -m bench corpus --articles N --out DIR
python -m bench run --articles N --engines whoosh-stock,whoosh,tantivy --out FILE.json
    (whoosh-stock: the benchmark's own baseline, bench/stock_whoosh.py)
python -m bench segmentation [--out FILE.json]
python -m bench reliability [--out FILE.json]
python -m bench peer --articles N [--engines whoosh,tantivy] [--out FILE.json]
python -m bench alto-speed [--jobs 2] [--out FILE.json]
python -m bench profile search|build|ingest|alto --out DIR [--data DIR] [--pages DIR]"""

from __future__ import annotations

import time
from pathlib import Path

import click

from bench.alto_speed import alto_speed
from bench.corpus import generate
from bench.peer import peer
from bench.profile import profile
from bench.reliability import reliability


@click.group()
def main() -> None:
    """Benchmark tools for the newspaper archive."""


@main.command()
@click.option("--articles", type=click.IntRange(min=1), required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--seed", type=int, default=1977, show_default=True)
def corpus(articles: int, out: Path, seed: int) -> None:
    """Write N deterministic seed-layout pages (dated paths 1977-2025) under OUT."""
    started = time.perf_counter()
    count = generate(out, articles, seed)
    click.echo(f"wrote {count} pages under {out} in {time.perf_counter() - started:.1f} s")


@main.command()
@click.option("--articles", type=click.IntRange(min=1),
              help="Pages to generate (not needed with --corpus).")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Reuse pages written by `bench corpus` instead of generating them.")
@click.option("--engines", default="whoosh-stock,whoosh,tantivy", show_default=True,
              help="Comma-separated engine names: registered engines (index.engines) and "
                   "the benchmark's own baselines (bench.baselines: whoosh-stock).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="JSON results; a markdown table is written beside it (.md).")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the store, indexes and server logs here (default: a temporary "
                   "folder, removed afterwards).")
@click.option("--queries-per-kind", type=click.IntRange(min=1), default=30, show_default=True)
@click.option("--passes", type=click.IntRange(min=1), default=3, show_default=True,
              help="Measured passes after one warm-up pass.")
@click.option("--skip-http", is_flag=True, help="No HTTP measurements (quicker).")
@click.option("--clients", type=click.IntRange(min=1), default=4, show_default=True,
              help="Concurrent HTTP clients.")
@click.option("--server-threads", type=click.IntRange(min=1), default=8, show_default=True,
              help="Threads of each server worker process.")
@click.option("--server-workers", type=click.IntRange(min=1),
              help="Server worker processes [default: one per CPU core, at most 4, as "
                   "`newsarchive serve`].")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Ingest worker processes, when ingest supports them [default: CPUs].")
@click.option("--seed", type=int, default=1977, show_default=True)
def run(articles: int | None, corpus: Path | None, engines: str, out: Path, work: Path | None,
        queries_per_kind: int, passes: int, skip_http: bool, clients: int,
        server_threads: int, server_workers: int | None, jobs: int | None,
        seed: int) -> None:
    """Ingest, build, query (in-process and over HTTP) every engine on one corpus."""
    from bench.run import Options
    from bench.run import run as run_bench

    if not articles and not corpus:
        raise click.UsageError("give --articles N or --corpus DIR")
    names = tuple(dict.fromkeys(n.strip() for n in engines.split(",") if n.strip()))
    if not names:
        raise click.UsageError("--engines names no engine")
    options = Options(engines=names, out=out, articles=articles, corpus=corpus, work=work,
                      queries_per_kind=queries_per_kind, passes=passes, skip_http=skip_http,
                      clients=clients, server_threads=server_threads,
                      server_workers=server_workers, jobs=jobs, seed=seed)
    run_bench(options, say=lambda line: click.echo(line, err=True))
    click.echo(out.with_suffix(".md").read_text())


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("bench/results/segmentation.json"), show_default=True,
              help="JSON results; a markdown table is written beside it (.md).")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The shared corpus [default: ../shared/corpus beside the repository].")
@click.option("--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="Ingest worker processes.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the runs' inputs and stores here (default: a temporary folder).")
@click.option("--runs", help="Only these ingest runs, comma-separated (mets, alto-alone, "
                             "text, hocr) [default: all].")
@click.option("--issue", "issues", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Measure this METS issue file (with its ALTO pages) instead of the "
                   "corpus's collections: your own library's issues (repeatable).")
def segmentation(out: Path, corpus: Path | None, jobs: int, work: Path | None,
                 runs: str | None, issues: tuple[Path, ...]) -> None:
    """How well the ingester splits scanned pages into articles, against ground truth."""
    from bench.segmentation import CORPUS
    from bench.segmentation import run as run_segmentation

    try:
        run_segmentation(out, corpus or CORPUS, jobs, work,
                         say=lambda line: click.echo(line, err=True),
                         runs=runs.split(",") if runs else None, issue_files=issues)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--runs") from error
    click.echo(out.with_suffix(".md").read_text(encoding="utf-8"))


@main.command()
@click.option("--articles", type=click.IntRange(min=100), default=20000, show_default=True,
              help="Printings to generate (stories with copies, near misses, briefs).")
@click.option("--ingest-pages", type=click.IntRange(min=1),
              help="Also ingest this many generated pages with and without clustering.")
@click.option("--pages", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Pages written by `bench corpus` for the ingest comparison.")
@click.option("--jobs", type=click.IntRange(min=1), help="Ingest worker processes.")
@click.option("--repeat", type=click.IntRange(min=1), default=2, show_default=True,
              help="Ingest runs of each kind (the fastest counts).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON results; a markdown table is written beside it (.md).")
@click.option("--cache-mib", type=click.IntRange(min=1),
              help="SQLite page cache of the stores measured [default: the ingest "
                   "writer's, archive.ingest.WRITER_CACHE_MIB = 64].")
@click.option("--index-engine", help="Also time a full index build of the ingest "
              "comparison's pages on this engine, with and without clustering.")
@click.option("--seed", type=int, default=1977, show_default=True)
def clustering(articles: int, ingest_pages: int | None, pages: Path | None, jobs: int | None,
               repeat: int, out: Path | None, cache_mib: int | None, index_engine: str | None,
               seed: int) -> None:
    """Clustering of reprints: pairwise precision/recall on planted copies, and its cost."""
    import json

    from bench.clustering import markdown
    from bench.clustering import run as run_clustering

    data = run_clustering(articles, seed, pages, ingest_pages, jobs, repeat,
                          say=lambda line: click.echo(line, err=True), cache_mib=cache_mib,
                          index_engine=index_engine)
    table = markdown(data)
    if out:
        out.write_text(json.dumps(data, indent=2) + "\n")
        out.with_suffix(".md").write_text(table)
    click.echo(table)


main.add_command(reliability)  # defined beside the suite it runs
main.add_command(peer)  # defined beside the comparison it runs
main.add_command(alto_speed)  # defined beside the measures it takes
main.add_command(profile)  # defined beside the scenarios it runs

if __name__ == "__main__":
    main()
