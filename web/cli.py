"""The `newsarchive` command: thin click commands over the archive, index and web layers."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from archive.dates import DEFAULT_YEARS, parse_date_option
from archive.ingest import ingest
from archive.model import IngestReport, ReadOptions
from archive.store import Store, StoreError
from index.analysis import check_searchable
from index.build import RebuildBusy, rebuild
from index.engine import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTS, SearchError, SearchRequest
from index.engines import DEFAULT_ENGINE, ENGINES, ENV
from index.library import Library
from index.query import QueryError
from web.cluster_cli import cluster
from web.config import data_dir_default, index_root, store_path
from web.formatting import kind_label, percent
from web.listen import cannot_listen
from web.progress import progress as _progress
from web.records import CSV_FIELDS, article_record, csv_row, hit_path, plain_text, results_record

DATA_DIR_HELP = "Where the article store and the index live [env NEWSARCHIVE_DATA_DIR]."
_EXPLICIT = "newsarchive.data_dir_given"  # ctx.meta: --data-dir was written after a command

# Archives larger than this are past what Whoosh serves within issue 17's targets (2 cores:
# HTTP p95 <= 250 ms, full rebuild <= 5 min). Measured at 99,384 articles
# (bench/results/100k.md): HTTP p95 327 ms (phrase) and 352 ms (and), full rebuild 367 s
# (about 300 s with the one-pass analysis of index/whoosh/fields.py); both grow about in
# proportion to the archive, so the targets hold to about 70,000 articles: 50,000 leaves
# room for a busier machine. tantivy served the same 100k at p95 <= 50 ms, built in 18 s.
WHOOSH_ADVISED_MAX = 50_000
WHOOSH_ADVISED_MAX_ENV = "NEWSARCHIVE_WHOOSH_ADVISED_MAX"  # tests set a small one


class _DataDirOption(click.Option):
    """--data-dir, whose --help names the folder it defaults to (not "(dynamic)")."""

    def get_help_extra(self, ctx: click.Context) -> dict:
        extra = dict(super().get_help_extra(ctx))
        extra["default"] = f"the app's instance folder, {data_dir_default()}"
        return extra


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", cls=_DataDirOption, type=click.Path(file_okay=False, path_type=Path),
              envvar="NEWSARCHIVE_DATA_DIR", default=data_dir_default, show_default=True,
              help=DATA_DIR_HELP + " Also accepted after the command.")
@click.pass_context
def main(ctx: click.Context, data_dir: Path) -> None:
    """Newspaper archive: ingest pages, build the index, search, serve the site."""
    ctx.obj = data_dir


def _data_dir_here(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.obj = value  # what @click.pass_obj hands the command
        ctx.meta[_EXPLICIT] = True


def data_dir_option(f):
    """--data-dir after the command too (`newsarchive rebuild --data-dir X pages/`): where
    a reader writes it should not matter."""
    return click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, expose_value=False, is_eager=True,
                        callback=_data_dir_here,
                        help=DATA_DIR_HELP + " [default: as given before the command]")(f)


def existing_archive(data_dir: Path) -> Path:
    """The data folder of a command that only reads it (search, export, sources): a
    mistyped folder is an error, not a new empty archive."""
    if not store_path(data_dir).is_file():
        raise click.ClickException(
            f"There is no archive in {data_dir} (no {store_path(data_dir).name}): check "
            "--data-dir (or NEWSARCHIVE_DATA_DIR), or make one with `newsarchive rebuild "
            "PAGES...`.")
    return data_dir


@contextmanager
def open_store(data_dir: Path) -> Iterator[Store]:
    """The store in the data folder; its errors become readable messages."""
    try:
        store = Store(store_path(data_dir))
    except (StoreError, OSError) as error:
        raise click.ClickException(str(error)) from error
    try:
        yield store
    finally:
        store.close()


def _years(value: str | None) -> tuple[int, int]:
    if not value:
        return DEFAULT_YEARS
    try:
        first, _, last = value.partition("-")
        years = (int(first), int(last or first))
    except ValueError as error:
        raise click.BadParameter("use YEAR or FIRST-LAST, e.g. 1977-2025") from error
    if years[0] > years[1]:
        raise click.BadParameter("the first year comes after the last")
    return years


def ingest_options(f):
    """Options shared by `ingest` and `rebuild`."""
    f = click.option("--max-bytes", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Reject files larger than this, the pages an issue file names "
                          "too [default: each form's own limit: 5 MB for a text page, 64 MB "
                          "for an XML page or issue file].")(f)
    f = click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Processes reading pages [default: one per CPU core; 1 reads "
                          "them in this process].")(f)
    f = click.option("--years", metavar="FIRST-LAST",
                     help=f"Range for inferring a missing year "
                          f"[default: {DEFAULT_YEARS[0]}-{DEFAULT_YEARS[1]}].")(f)
    f = click.option("--publication", help="Publication of pages that print no masthead.")(f)
    f = click.option("--date", "date_text", metavar="YYYY-MM-DD",
                     help="Issue date of pages whose sidecar and path give none.")(f)
    return f


def run_ingest(store: Store, sources: tuple[str, ...], date_text: str | None,
               publication: str | None, years: str | None, max_bytes: int | None,
               jobs: int | None = None) -> IngestReport:
    """Ingest with a progress bar on a terminal; returns the report."""
    try:
        date = parse_date_option(date_text) if date_text else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--date") from error
    options = ReadOptions(publication=publication, date=date, years=_years(years))
    try:
        with _progress("Ingesting", "files",
                       "finishing (files gone, stories printed more than once)") as bar:
            return ingest(store, sources, options, progress=bar and bar.file_done,
                          max_bytes=max_bytes, jobs=jobs, total=bar and bar.set_total)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error


def print_report(report: IngestReport) -> None:
    click.echo(f"Files seen: {report.seen}  new: {report.new}  changed: {report.changed}  "
               f"unchanged: {report.unchanged}  removed: {len(report.removed)}  "
               f"rejected: {len(report.rejected)}")
    if report.members:
        click.echo(f"Pages read as parts of an issue (its METS, or its first page): "
                   f"{report.members}")
    click.echo(f"Articles: {report.articles_added} added, {report.articles_removed} removed, "
               f"{report.articles_total} in the store  ({report.seconds:.2f} s)")
    for path in report.removed:
        click.echo(f"  removed (file gone): {path}")
    for path, unit in report.moved.items():
        click.echo(f"  now read as a part of {unit}: {path}")
    for path, reason in report.rejected.items():
        click.echo(f"  rejected: {path}: {reason}")


@main.command("ingest")
@data_dir_option
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@ingest_options
@click.pass_obj
def ingest_command(data_dir: Path, sources: tuple[str, ...], date_text: str | None,
                   publication: str | None, years: str | None, max_bytes: int | None,
                   jobs: int | None) -> None:
    """Read pages from files and folders into the article store (incremental).

    Unchanged files are skipped, changed files replace their articles, and files gone
    from a folder lose theirs. Rejected files are listed with the reason.
    """
    with open_store(data_dir) as store:
        print_report(run_ingest(store, sources, date_text, publication, years, max_bytes,
                                jobs))


@main.command()
@data_dir_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.pass_obj
def export(data_dir: Path, fmt: str) -> None:
    """Print every article, one JSON object per line or as CSV."""
    with open_store(existing_archive(data_dir)) as store:
        records = (article_record(a, source_path=True) for a in store.articles())
        if fmt == "jsonl":
            for record in records:
                click.echo(json.dumps(record, ensure_ascii=False))
            return
        writer = csv.writer(sys.stdout)
        writer.writerow(CSV_FIELDS)
        for record in records:
            writer.writerow(csv_row(record))


@main.command()
@data_dir_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="text",
              show_default=True)
@click.pass_obj
def sources(data_dir: Path, fmt: str) -> None:
    """List every source file with its status (ingested or rejected) and reason; the files
    an issue file (METS) read with it are listed under it."""
    with open_store(existing_archive(data_dir)) as store:
        members = store.unit_files()
        for record in store.sources():
            parts = [{"href": href, "path": path, "sha256": sha or None, "size": size,
                      "problem": problem} for href, path, sha, size, problem
                     in members.get(record.path, ())]
            row = {"path": record.path, "sha256": record.sha256, "status": record.status,
                   "reason": record.reason, "articles": record.articles,
                   "size": record.size, "encoding": record.encoding,
                   "reader": record.parser_version, "members": parts}
            if fmt == "jsonl":
                click.echo(json.dumps(row, ensure_ascii=False))
                continue
            click.echo(f"{record.status:9} {record.articles:4}  {record.path}"
                       + (f"  ({record.reason})" if record.reason else ""))
            for part in parts:
                state = f"not read: {part['problem']}" if part["problem"] else "read"
                where = part["path"] or _where_named(record.path, part["href"])
                click.echo(f"{'part':9} {'':4}    {where}  ({state})")


def _where_named(unit: str, href: str) -> str:
    """Where a part the unit names but the folder lacks would stand: its relative href
    beside the unit file (as the others are listed), a URL or absolute path as named."""
    if "://" in href or os.path.isabs(href):
        return href
    return os.path.normpath(os.path.join(os.path.dirname(unit), href))


@main.command("rebuild")
@data_dir_option
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--full", is_flag=True, help="Rebuild the whole index from scratch.")
@click.option("--engine", type=click.Choice(ENGINES), envvar=ENV, show_envvar=True,
              default=DEFAULT_ENGINE, show_default=True,
              help="Search engine to build with (another than the current index's means a "
                   "full build).")
@ingest_options
@click.pass_obj
def rebuild_command(data_dir: Path, sources: tuple[str, ...], full: bool, engine: str,
                    date_text: str | None, publication: str | None, years: str | None,
                    max_bytes: int | None, jobs: int | None) -> None:
    """Ingest SOURCES (if given), then bring the search index up to date.

    Only changed articles are re-indexed when few changed; otherwise (or with --full) a
    fresh index is built beside the old one and swapped in when complete, so the site
    keeps answering from the old index until then. One rebuild runs at a time.
    """
    with open_store(data_dir) as store:
        if sources:
            print_report(run_ingest(store, sources, date_text, publication, years,
                                    max_bytes, jobs))
        try:
            with _progress("Indexing", "articles",
                           "writing the index to disk (a full build takes a while)") as bar:
                result = rebuild(store, index_root(data_dir), full=full,
                                 progress=bar and bar.advance, total=bar and bar.set_total,
                                 engine=engine)
        except RebuildBusy as error:
            raise click.ClickException(str(error)) from error
    stats = result.stats
    kind = "full build" if stats.full else "incremental update"
    click.echo(f"Index: {kind}, {stats.indexed} articles indexed, {stats.deleted} removed, "
               f"{result.articles} in the index, {stats.seconds:.2f} s "
               f"({stats.per_second:,.0f} articles/s)")
    click.echo(f"Index folder: {result.snapshot} ({engine})")
    if advice := engine_advice(engine, result.articles):
        click.echo(advice)


def engine_advice(engine: str, articles: int) -> str | None:
    """One line for the operator when the archive has outgrown the Whoosh engine."""
    limit = int(os.environ.get(WHOOSH_ADVISED_MAX_ENV) or WHOOSH_ADVISED_MAX)
    if engine != "whoosh" or articles <= limit:
        return None
    return (f"Advice: {articles:,} articles is more than the Whoosh engine serves quickly "
            f"(up to about {limit:,}: searches within 250 ms, a full rebuild within 5 "
            "minutes); run `newsarchive rebuild --engine tantivy`, or use a Sphinx cluster "
            "(`newsarchive cluster`, --engine sphinx) for an archive beyond one machine.")


@main.command("search")
@data_dir_option
@click.argument("query", nargs=-1)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--page-size", type=click.IntRange(1, MAX_PAGE_SIZE), default=DEFAULT_PAGE_SIZE,
              show_default=True)
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--all-printings", is_flag=True,
              help="List every printing of a story (default: each story once, by its best "
                   "match).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_obj
def search_command(data_dir: Path, query: tuple[str, ...], page: int, page_size: int,
                   sort: str, all_printings: bool, as_json: bool) -> None:
    """Search the archive (see the query syntax on the site's help page)."""
    request = SearchRequest(q=" ".join(query), page=page, page_size=page_size, sort=sort,
                            snippets=True, collapse=not all_printings)
    library = Library(existing_archive(data_dir))
    try:
        check_searchable(request.q)
        results = library.search(request)
    except QueryError as error:
        click.echo(f"Error: bad query: {error}", err=True)
        sys.exit(2)
    except SearchError as error:
        raise click.ClickException(str(error)) from error
    finally:
        library.close()
    if as_json:
        click.echo(json.dumps(results_record(results), ensure_ascii=False, indent=2))
        return
    counted = f"{results.total} result(s)"
    if results.stories != results.total:
        counted = (f"{results.stories} stories ({results.total} printings)" if request.collapse
                   else f"{results.total} printings ({results.stories} stories)")
    click.echo(f"{counted}: {results.description}")
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}")
    for number, hit in enumerate(results.hits, start=(page - 1) * page_size + 1):
        date = hit.date.isoformat() if hit.date else "undated"
        where = ", ".join(x for x in (hit.place, "/".join(hit.agencies)) if x)
        quality = ", ".join(x for x in (kind_label(hit.kind) if hit.kind != "article" else "",
                                        f"OCR {percent(hit.confidence)}"
                                        if hit.confidence is not None else "") if x)
        click.echo(f"\n{number}. {hit.headline}\n   {hit.publication}, {date}"
                   + (f" — {where}" if where else "") + (f" [{quality}]" if quality else ""))
        click.echo(f"   {plain_text(hit.snippet_html)}")
        if hit.cluster_size > 1:
            click.echo(f"   one of {hit.cluster_size} printings of this story"
                       + (f" ({hit.cluster_matches} match)" if request.collapse else ""))
        click.echo(f"   {hit_path(hit)}")



@main.command()
@data_dir_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes, each with the index open [default: one per CPU "
                   "core, at most 4].")
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True,
              help="Requests each worker answers at once.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int | None, threads: int) -> None:
    """Serve the site with gunicorn (a production WSGI server) until Ctrl+C.

    Several worker processes answer at once (searching is CPU-bound); a rebuild is picked
    up by every worker without a restart. For development with reloading, `flask --app
    web run --debug` serves the same app.
    """
    from click.core import ParameterSource

    from web.server import run

    # An explicit --data-dir wins; otherwise the app's own order applies (instance
    # config.py, then NEWSARCHIVE_DATA_DIR, else the instance folder).
    explicit = ctx.meta.get(_EXPLICIT) or (ctx.parent is not None and ctx.parent.
                                           get_parameter_source("data_dir")
                                           == ParameterSource.COMMANDLINE)
    if (why := cannot_listen(host, port)) is not None:
        raise click.ClickException(why)
    run(ctx.obj if explicit else None, host, port, threads, workers, say=click.echo)


main.add_command(cluster)  # `newsarchive cluster start|status|stop|config`: Sphinx nodes
