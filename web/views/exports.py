"""A search's whole result set as a download: CSV and JSON Lines records, RIS and BibTeX
citations (/search.csv, .jsonl, .ris, .bib), streamed a batch at a time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from itertools import islice

from flask import Response, current_app

from archive.model import Article
from index.engine import MAX_PAGE_SIZE, SearchRequest
from web import citations_export, urls
from web.errors import error_response
from web.records import CSV_FIELDS, article_record, csv_row
from web.resources import library

EXPORT_BATCH = 500


def export(req: SearchRequest, fmt: str, total: int) -> Response:
    """Every article of the search (`total` of them: stories when collapsed, else
    printings), streamed a batch at a time, as CSV, JSON Lines, RIS or BibTeX."""
    lib = library()
    limit = current_app.config["EXPORT_LIMIT"]
    if total > limit:
        noun = "stories" if req.collapse else "articles"
        return error_response(400, f"This search finds {total:,} {noun}; an export holds at "
                                   f"most {limit:,}. Narrow it (e.g. by year) and export the "
                                   "parts.")
    root = urls.site_root()  # the generator runs after the request context

    def articles() -> Iterator[Article]:
        hit_stream = lib.hits(req, batch=MAX_PAGE_SIZE * 5)
        while hits := list(islice(hit_stream, EXPORT_BATCH)):
            found = {a.id: a for a in lib.articles([h.id for h in hits])}
            for hit in hits:
                if hit.id in found:  # gone from the store since the index was built
                    yield found[hit.id]

    def records() -> Iterator[dict]:
        for article in articles():
            record = article_record(article)
            yield {**record, "url": root + record["url"]}

    if fmt in ("ris", "bib"):  # citations of every result, for a reference manager
        write = citations_export.WRITERS["." + fmt]
        today, site = dt.date.today(), current_app.config["SITE_NAME"]
        joiner = "" if fmt == "ris" else "\n"
        response = Response((write(a, root + urls.permalink(a), today, site) + joiner
                             for a in articles()),
                            mimetype=citations_export.FORMATS["." + fmt])
        response.headers["Content-Disposition"] = f'attachment; filename="search.{fmt}"'
        return response

    def as_csv() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_FIELDS)
        for record in records():
            writer.writerow(csv_row(record))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    def as_jsonl() -> Iterator[str]:
        for record in records():
            yield json.dumps(record, ensure_ascii=False) + "\n"

    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    response = Response(as_csv() if fmt == "csv" else as_jsonl(), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="search.{fmt}"'
    return response
