"""The peer the archive is compared with: the same articles exported into SQLite with FTS5
(porter tokenizer) by sqlite-utils and published with Datasette, as a data journalist would
set it up; the export, the Datasette server and the URL that asks it one benchmark query."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from archive.store import Store
from bench.http import Server
from bench.measure import MIB
from bench.queries import Query

DATABASE = "peer"  # Datasette names a database after its file: /peer/articles.json
TABLE = "articles"
TEXT = ("headline", "body")  # what the FTS index holds: our engines' default fields
FACETS = ("publication", "place")  # plain columns, faceted on every request
ARRAY_FACETS = ("agency",)  # a JSON list per article (sqlite-utils stores lists so)
MORE_FACETS = ("section", "kind")  # added for the "facets" kind: every facetable field
COLUMNS = ("headline", "date", "publication", "place", "agency", "section", "kind")
# Datasette's defaults would cut its work short: a query over 1 s is interrupted (the count
# becomes null) and a facet over 200 ms silently dropped. Both systems must do the same
# work, so the limits are raised; facet values are 10, as our site shows.
SETTINGS = {"sql_time_limit_ms": 120_000, "facet_time_limit_ms": 120_000,
            "default_facet_size": 10}
_LISTENING = re.compile(r"Uvicorn running on http://(\S+?):(\d+)")
STARTUP_SECONDS = 60.0


def available() -> str | None:
    """None when sqlite-utils and Datasette can be used, else why not."""
    missing = [name for name in ("sqlite_utils", "datasette")
               if importlib.util.find_spec(name) is None]
    if missing:
        return (f"{' and '.join(missing)} not installed: "
                "`.venv/bin/pip install -e '.[bench]'`")
    return None


def versions() -> dict[str, str]:
    """The peer's package versions and SQLite's, for the report."""
    import sqlite3
    from importlib import metadata

    found = {"sqlite": sqlite3.sqlite_version}
    for package in ("datasette", "sqlite-utils"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def export(store_path: Path, db_path: Path) -> dict[str, float | int]:
    """Every article of the store as one row (headline, body, date, publication, place,
    agency, section, kind) with an FTS5 porter index on headline and body."""
    import sqlite_utils

    started = time.perf_counter()
    store = Store(store_path)
    db = sqlite_utils.Database(db_path, recreate=True)
    try:
        rows = ({"id": a.id, "headline": a.headline, "body": a.body,
                 "date": a.date.isoformat() if a.date else None,
                 "publication": a.publication, "place": a.place,
                 "agency": list(a.agencies), "section": a.section, "kind": a.kind}
                for a in store.articles())
        table = db[TABLE]
        # No primary key: Datasette then lists a search's matches in rowid order, which
        # SQLite reads straight from the FTS match set; with `id` as the key it sorted every
        # match by id (34 ms instead of 0.3 ms for a common word at 10k: the peer at its best).
        table.insert_all(rows, batch_size=1000, columns={
            "id": str, "headline": str, "body": str, "date": str, "publication": str,
            "place": str, "agency": str, "section": str, "kind": str})
        table.enable_fts(list(TEXT), tokenize="porter", create_triggers=False)
        table.create_index(["date"])  # the date-range queries
        table.optimize()  # FTS segments merged into one, as after a bulk load
        db.analyze()  # statistics for the query planner
        count = table.count
    finally:
        db.close()
        store.close()
    return {"rows": count, "seconds": round(time.perf_counter() - started, 3),
            "db_mib": round(db_path.stat().st_size / MIB, 2)}


def path(query: Query, best: bool) -> str:
    """The Datasette table page (JSON) that answers one benchmark query: full-text search,
    the date range, 10 rows without the body (our site sends snippets, not bodies) and
    facets; `best` turns off Datasette's suggested facets, which nobody asked for."""
    r = query.request
    args: list[tuple[str, str]] = [("_search", r.q), ("_size", str(r.page_size))]
    if r.date_from:
        args.append(("date__gte", r.date_from.isoformat()))
    if r.date_to:
        args.append(("date__lte", r.date_to.isoformat()))
    more = MORE_FACETS if query.kind == "facets" else ()
    args += [("_facet", name) for name in (*FACETS, *more)]
    args += [("_facet_array", name) for name in ARRAY_FACETS]
    args += [("_col", name) for name in COLUMNS]
    if best:
        args.append(("_nosuggest", "1"))
    return f"/{DATABASE}/{TABLE}.json?{urlencode(args)}"


def total(answer: dict) -> int:
    """The hit total of a Datasette table page."""
    return answer["filtered_table_rows_count"]


@contextmanager
def serving(db_path: Path, immutable: bool, log: Path) -> Iterator[Server]:
    """`datasette serve` on a free port until the block ends; `immutable` opens the file
    with -i (no locking, no change checks: the peer at its best)."""
    if db_path.stem != DATABASE:
        raise ValueError(f"the database file must be named {DATABASE}.db")
    settings = [arg for name, value in SETTINGS.items()
                for arg in ("--setting", name, str(value))]
    command = [sys.executable, "-m", "datasette", "serve", *(["-i"] if immutable else []),
               str(db_path), "--host", "127.0.0.1", "--port", "0", *settings]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATASETTE_")}
    with open(log, "w") as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors,
                                   env=env)
    try:
        host, port = _wait_listening(process, log)
        yield Server(process, host, port)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_listening(process: subprocess.Popen, log: Path) -> tuple[str, int]:
    """The address uvicorn logged once it listened (it picked the port)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if match := _LISTENING.search(text):
            return match.group(1), int(match.group(2))
        if process.poll() is not None:
            break
        time.sleep(0.2)
    tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
    raise RuntimeError(f"Datasette did not start: {tail[0]}")
