"""The `newsarchive` command: thin click commands over the archive, index and web layers."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from archive.dates import DEFAULT_YEARS, parse_date_option
from archive.formats.pressreader import ReadOptions
from archive.ingest import MAX_BYTES, ingest
from archive.model import IngestReport
from archive.store import Store, StoreError
from web.config import data_dir_default, store_path
from web.records import article_record

EXPORT_FIELDS = ("id", "publication", "publication_slug", "country", "language", "date",
                 "date_source", "page", "section", "headline", "subtitle", "byline",
                 "byline_role", "dateline", "place", "agencies", "paragraphs", "word_count",
                 "source", "source_sha256", "notes", "url")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="NEWSARCHIVE_DATA_DIR", default=data_dir_default, show_default=True,
              help="Where the article store and the index live [env NEWSARCHIVE_DATA_DIR].")
@click.pass_context
def main(ctx: click.Context, data_dir: Path) -> None:
    """Newspaper archive: ingest pages, build the index, search, serve the site."""
    ctx.obj = data_dir


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
    f = click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES,
                     show_default=True, help="Reject files larger than this.")(f)
    f = click.option("--years", metavar="FIRST-LAST",
                     help=f"Range for inferring a missing year "
                          f"[default: {DEFAULT_YEARS[0]}-{DEFAULT_YEARS[1]}].")(f)
    f = click.option("--publication", help="Publication of pages that print no masthead.")(f)
    f = click.option("--date", "date_text", metavar="YYYY-MM-DD",
                     help="Issue date of pages whose sidecar and path give none.")(f)
    return f


def run_ingest(store: Store, sources: tuple[str, ...], date_text: str | None,
               publication: str | None, years: str | None, max_bytes: int) -> IngestReport:
    """Ingest with a progress bar on a terminal; returns the report."""
    try:
        date = parse_date_option(date_text) if date_text else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--date") from error
    options = ReadOptions(publication=publication, date=date, years=_years(years))
    try:
        with _progress("Ingesting") as progress:
            return ingest(store, sources, options, progress=progress, max_bytes=max_bytes)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error


@contextmanager
def _progress(label: str) -> Iterator:
    """A rich progress bar when stderr is a terminal; silence otherwise (logs, CI)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True)) as bar:
        task = bar.add_task(label, total=None)

        def advance(path: str, outcome: str) -> None:
            bar.update(task, advance=1, description=f"{label} ({outcome})")

        yield advance


def print_report(report: IngestReport) -> None:
    click.echo(f"Files seen: {report.seen}  new: {report.new}  changed: {report.changed}  "
               f"unchanged: {report.unchanged}  removed: {len(report.removed)}  "
               f"rejected: {len(report.rejected)}")
    click.echo(f"Articles: {report.articles_added} added, {report.articles_removed} removed, "
               f"{report.articles_total} in the store  ({report.seconds:.2f} s)")
    for path in report.removed:
        click.echo(f"  removed (file gone): {path}")
    for path, reason in report.rejected.items():
        click.echo(f"  rejected: {path}: {reason}")


@main.command("ingest")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@ingest_options
@click.pass_obj
def ingest_command(data_dir: Path, sources: tuple[str, ...], date_text: str | None,
                   publication: str | None, years: str | None, max_bytes: int) -> None:
    """Read pages from files and folders into the article store (incremental).

    Unchanged files are skipped, changed files replace their articles, and files gone
    from a folder lose theirs. Rejected files are listed with the reason.
    """
    with open_store(data_dir) as store:
        print_report(run_ingest(store, sources, date_text, publication, years, max_bytes))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.pass_obj
def export(data_dir: Path, fmt: str) -> None:
    """Print every article, one JSON object per line or as CSV."""
    with open_store(data_dir) as store:
        records = (article_record(a) for a in store.articles())
        if fmt == "jsonl":
            for record in records:
                click.echo(json.dumps(record, ensure_ascii=False))
            return
        writer = csv.DictWriter(sys.stdout, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for record in records:
            record["agencies"] = "; ".join(record["agencies"])
            record["paragraphs"] = "\n\n".join(record["paragraphs"])
            record["notes"] = "; ".join(record["notes"])
            writer.writerow(record)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="text",
              show_default=True)
@click.pass_obj
def sources(data_dir: Path, fmt: str) -> None:
    """List every source file with its status (ingested or rejected) and reason."""
    with open_store(data_dir) as store:
        for record in store.sources():
            row = {"path": record.path, "sha256": record.sha256, "status": record.status,
                   "reason": record.reason, "articles": record.articles,
                   "size": record.size, "encoding": record.encoding}
            if fmt == "jsonl":
                click.echo(json.dumps(row, ensure_ascii=False))
            else:
                click.echo(f"{record.status:9} {record.articles:4}  {record.path}"
                           + (f"  ({record.reason})" if record.reason else ""))
