"""/trends?q=oil&q=gas: terms over time as a page (an SVG chart and its data table) and as
CSV and JSON twins. The routes are registered on the search blueprint (web.views.search):
the same arguments, the same parser, the same counts."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from flask import Response, current_app, request

from index.analysis import check_searchable
from index.query import QueryError
from web import urls
from web.errors import error_response
from web.records import csv_cell
from web.resources import library
from web.state import Limits, parse_search
from web.trends import MAX_QUERIES, layout, percent, trends
from web.views import html_page, json_twin, relative

EXAMPLES = (("oil", "gas"), ("election", "parliament"), ("harbour", "airport"))


def _queries() -> tuple[list[str], list[str]]:
    """The searches asked for (blank ones dropped, each once) and what is wrong with them."""
    limit = current_app.config["MAX_QUERY_LENGTH"]
    queries = list(dict.fromkeys(q.strip() for q in request.args.getlist(urls.Q) if q.strip()))
    errors = []
    if len(queries) > MAX_QUERIES:
        errors.append(f"Compare at most {MAX_QUERIES} searches at once, not {len(queries)}")
        queries = queries[:MAX_QUERIES]
    for q in queries:
        if len(q) > limit:
            errors.append(f"The search “{q[:40]}…” is too long ({len(q)} characters, at most "
                          f"{limit})")
            continue
        try:
            check_searchable(q)
        except QueryError as error:
            errors.append(f"In “{q}”: {error.message}")
    return queries, errors


def page():
    """The trends page: a form of several searches, the chart and the table."""
    return _answer("")


def twin(fmt: str):
    """/trends.json and /trends.csv: the same data."""
    return _answer(fmt)


def _answer(fmt: str):
    # Filters and dates come through the search page's own parser; the queries (several
    # `q`) are checked one by one by the query parser every search goes through.
    req, errors = parse_search(request.args, Limits.from_config(current_app.config))
    req = replace(req, q="")
    queries, query_errors = _queries()
    errors += query_errors
    if errors:
        if fmt:
            return error_response(400, "; ".join(errors))
        return _page(queries, req, None, errors, 400)
    if not queries:
        if fmt:
            return error_response(400, f"Name at least one search: {urls.TRENDS}.{fmt}?q=oil"
                                       "&q=gas")
        return _page(queries, req, None, [], 200)
    link = urls.absolute_link() if fmt else relative
    data = trends(queries, req, library().search, link, "json" if fmt == "json" else "")
    if fmt == "json":
        return json_twin({"queries": queries, **data,
                          "csv_url": urls.absolute(urls.trends(queries, req, "csv")),
                          "html_url": urls.absolute(urls.trends(queries, req))})
    if fmt == "csv":
        return _csv(data)
    return _page(queries, req, data, [], 200)


def _csv(data: dict) -> Response:
    """One row per period: its articles, then each search's count and share."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    head = [data["unit"], "articles"]
    for line in data["series"]:
        head += [f"{line['q']} (articles)", f"{line['q']} (share)"]
    writer.writerow([csv_cell(cell) for cell in head])  # a query may start like a formula
    for i, period in enumerate(data["periods"]):
        row = [period["value"], period["total"]]
        for line in data["series"]:
            point = line["points"][i]
            share = "" if point["share"] is None else f"{point['share']:.6f}"
            row += [point["count"], share]
        writer.writerow(row)
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="trends.csv"'
    return response


def _page(queries: list[str], req, data: dict | None, errors: list[str], status: int):
    # the searches given, one empty field to add another, and at least two fields
    fields = queries + [""] * max(2 - len(queries), 1 if len(queries) < MAX_QUERIES else 0)
    alternates = []
    if data:
        alternates = [
            ("application/json", urls.trends(queries, req, "json"), "This chart as JSON"),
            ("text/csv", urls.trends(queries, req, "csv"), "This chart as CSV")]
    hidden = [(k, v) for k, v in urls.search_args(req, page=False)
              if k not in (urls.Q, urls.SORT, urls.SIZE, urls.FACET_LIMIT, urls.COLLAPSE)]
    return html_page(
        "trends.html", data or {}, alternates, status=status, errors=errors,
        queries=queries, fields=fields[:MAX_QUERIES], hidden=hidden,
        max_queries=MAX_QUERIES, chart=layout(data) if data else None, percent=percent,
        examples=[(pair, urls.trends(pair)) for pair in EXAMPLES],
        csv_url=urls.trends(queries, req, "csv") if data else None,
        json_url=urls.trends(queries, req, "json") if data else None)
