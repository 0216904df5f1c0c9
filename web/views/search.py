"""The search page and its twins: JSON, Atom, and whole-result CSV / JSONL exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from itertools import islice

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request

from archive.model import KINDS
from index.engine import FACETS, MAX_PAGE_SIZE, SORTS, PageOutOfRange, SearchRequest, SearchResults
from index.quality import OCR_LEVELS
from index.query import FIELD_ALIASES, FIELDS, MatchAll, QueryError, effective_sort, parse
from web import urls
from web.errors import error_response
from web.formatting import MONTHS
from web.histogram import layout
from web.records import CSV_FIELDS, article_record, csv_row
from web.resources import library
from web.search_page import OTHERS_SHOWN, search_data
from web.state import Limits, parse_search
from web.views import html_page, json_twin, relative

bp = Blueprint("search", __name__)

PAGE_SIZES = (10, 20, 50, 100)
SORT_LABELS = {"relevance": "Best match", "newest": "Newest first", "oldest": "Oldest first",
               "ocr": "Best OCR first"}
EXPORT_BATCH = 500
# Year and month are the histogram; the sidebar lists the other facets.
SIDEBAR_FACETS = tuple(f for f in FACETS if f not in ("year", "month"))


def _limits() -> Limits:
    return Limits.from_config(current_app.config)


def _search(req: SearchRequest) -> SearchResults:
    try:
        return library().search(req)
    except PageOutOfRange:
        abort(404, description="There is no such page of results: the search has fewer "
                               "pages. Go back to the first page.")


@bp.get(urls.SEARCH)
def search():
    """The search page: form, description, histogram, results, facets, pagination."""
    req, errors = parse_search(request.args, _limits())
    if errors:
        return _page(req, None, errors=errors, status=400)
    if moved := _story_moved(req):
        return moved
    try:
        results = _search(req)
    except QueryError as error:
        return _page(req, None, query_error=error, status=400)
    return _page(req, results)


def _story_moved(req: SearchRequest) -> Response | None:
    """A redirect when `cluster=` names a printing that is not its story's key (a later
    printing's id, or a story whose first printing changed): the same search with it."""
    if not req.cluster:
        return None
    found = library().article(req.cluster)
    if found is None or not found.cluster_id or found.cluster_id == req.cluster:
        return None
    return redirect(urls.as_uri(urls.replace_arg(request.path, request.args.items(multi=True),
                                                 urls.CLUSTER, found.cluster_id)), 302)


def _page_data(results: SearchResults, link, fmt: str = "") -> dict:
    """search_data with what the store adds: the other printings of the page's stories
    and the headline of the story a search is limited to."""
    lib = library()
    shared = [h.cluster_id for h in results.hits if h.cluster_id and h.cluster_size > 1]
    stories = lib.stories(shared, limit=OTHERS_SHOWN + 1) if shared else {}
    title = None
    if results.request.cluster:
        first = lib.article(results.request.cluster)
        title = first.headline if first else None
    return search_data(results, link, fmt, stories, title)


def _sort_links(req: SearchRequest, first: SearchRequest, listing: bool,
                scored: bool) -> list[tuple[str, str, bool]]:
    """(label, url, current) of each order; a listing without words has no "best match"
    (the engine lists it newest first), and results of which none has an OCR confidence
    (typed text) no "best OCR first"."""
    sort = effective_sort(req) if listing else req.sort
    return [(SORT_LABELS[s], urls.search(replace(first, sort=s)), s == sort)
            for s in SORTS if not (listing and s == "relevance")
            and (s != "ocr" or scored or sort == "ocr")]


def _sidebar(results: SearchResults | None) -> tuple[str, ...]:
    """The facets the sidebar lists: not the dates (the histogram shows them), nor the item
    types when every result is an article (typed text: no choice to make)."""
    kinds = next((f.values for f in results.facets if f.name == "kind"), ()) if results else ()
    plain = len(kinds) == 1 and kinds[0].value == "article" and not kinds[0].selected
    return tuple(f for f in SIDEBAR_FACETS if not (plain and f == "kind"))


def _count_noun(results: SearchResults | None) -> str:
    """'article' while every result is one, else the neutral 'result' (a count of ads and
    notices is not a count of articles)."""
    kinds = next((f.values for f in results.facets if f.name == "kind"), ()) if results else ()
    return "result" if any(v.value != "article" and v.count for v in kinds) else "article"


def _has_ocr(results: SearchResults | None) -> bool:
    """Whether any result has an OCR confidence (the `ocr` facet counts only those)."""
    return bool(results) and any(f.values for f in results.facets if f.name == "ocr")


def _page(req: SearchRequest, results: SearchResults | None, errors: list[str] = (),
          query_error: QueryError | None = None, status: int = 200):
    data = _page_data(results, relative) if results else {"q": req.q, "total": None}
    messages = list(errors) + ([query_error.message] if query_error else [])
    error_at = None
    if query_error and query_error.position is not None and req.q:
        pos = min(query_error.position, len(req.q))
        end = pos + max(1, len(req.q[pos:].split(" ", 1)[0]))
        error_at = (req.q[:pos], req.q[pos:end], req.q[end:])
    alternates = [("application/json", urls.search(req, "json"), "This search as JSON"),
                  ("application/atom+xml", urls.search(req, "atom"), "This search as a feed")]
    first = replace(req, page=1)
    return html_page(
        "search.html", data, alternates, status=status, errors=messages, error_at=error_at,
        form=_form(req), months=MONTHS, sidebar_facets=_sidebar(results),
        count_noun=_count_noun(results),
        story_noun=("story", "stories") if _count_noun(results) == "article"
        else ("result", "results"),
        cluster_view=bool(req.cluster),
        svg=layout(data["histogram"]) if results else None,
        sort_links=_sort_links(req, first, listing=results is not None
                               and isinstance(parse(req.q), MatchAll),
                               scored=_has_ocr(results)),
        size_links=[(n, urls.search(replace(first, page_size=n)), n == req.page_size)
                    for n in PAGE_SIZES if n <= current_app.config["MAX_PAGE_SIZE"]],
        csv_url=urls.search(first, "csv"), jsonl_url=urls.search(first, "jsonl"),
        atom_url=urls.search(replace(first, sort="newest"), "atom"),
        json_url=urls.search(req, "json"))


def _form(req: SearchRequest) -> dict:
    """What the search form shows; filters, sort and size ride along as hidden fields."""
    riding = (*urls.FILTERS, urls.SORT, urls.SIZE, urls.FACET_LIMIT)
    month, day = req.month_day or (None, None)
    return {"q": req.q or request.args.get(urls.Q, "")[: current_app.config["MAX_QUERY_LENGTH"]],
            "hidden": [(k, v) for k, v in urls.search_args(req) if k in riding],
            "date_from": req.date_from.isoformat() if req.date_from else "",
            "date_to": req.date_to.isoformat() if req.date_to else "",
            "on_month": month, "on_day": day,
            "dates_open": bool(req.date_from or req.date_to or req.month_day
                               or request.args.get(urls.FROM) or request.args.get(urls.TO)
                               or request.args.get(urls.ON_MONTH)
                               or request.args.get(urls.ON_DAY))}


@bp.get(urls.SEARCH_TWIN)
def search_twin(fmt: str):
    """/search.json, .atom, .csv, .jsonl: the same arguments, another format."""
    req, errors = parse_search(request.args, _limits())
    if fmt == "atom" and urls.SORT not in request.args:
        req = replace(req, sort="newest")  # a feed is read as "what is new"
    if errors:
        return error_response(400, "; ".join(errors))
    if moved := _story_moved(req):
        return moved
    if fmt in ("csv", "jsonl"):
        return _export(req, fmt)
    try:
        results = _search(req)
    except QueryError as error:
        return error_response(400, error.message)
    data = _page_data(results, urls.absolute_link(), "json" if fmt == "json" else "")
    if fmt == "json":
        data.pop("pagination")
        return json_twin(data, links=[("next", data["next"]), ("prev", data["prev"])])
    lib = library()
    updated = max((i["date"] for i in data["items"] if i["date"]), default=None)
    feed = render_template(
        "feed.xml", **data, feed_url=urls.absolute(urls.search(req, "atom")),
        html_url=urls.absolute(urls.search(req)),
        updated=f"{updated}T00:00:00Z" if updated else _atom_time(lib.built_at()),
        fallback_updated=_atom_time(lib.built_at()),
        kind_scheme=urls.absolute(urls.help_page("quality")),
        story_scheme=urls.absolute(urls.help_page("reprints")))
    return Response(feed, mimetype="application/atom+xml")


def _atom_time(iso: str | None) -> str:
    when = dt.datetime.fromisoformat(iso) if iso else dt.datetime.now(dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _export(req: SearchRequest, fmt: str) -> Response:
    """Every article of the search, streamed a batch at a time."""
    lib = library()
    try:
        total = lib.search(replace(req, page=1, page_size=1, snippets=False,
                                   facet_limit=1)).listed
    except QueryError as error:
        return error_response(400, error.message)
    limit = current_app.config["EXPORT_LIMIT"]
    if total > limit:
        noun = "stories" if req.collapse else "articles"
        return error_response(400, f"This search finds {total:,} {noun}; an export holds at "
                                   f"most {limit:,}. Narrow it (e.g. by year) and export the "
                                   "parts.")
    root = request.host_url.rstrip("/")  # the generator runs after the request context

    def records() -> Iterator[dict]:
        hit_stream = lib.hits(req, batch=MAX_PAGE_SIZE * 5)
        while hits := list(islice(hit_stream, EXPORT_BATCH)):
            found = {a.id: a for a in lib.articles([h.id for h in hits])}
            for hit in hits:
                if hit.id in found:  # gone from the store since the index was built
                    record = article_record(found[hit.id])
                    yield {**record, "url": root + record["url"]}

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


@bp.get(urls.HELP)
def help_page():
    """The query syntax and the URL arguments, with examples that are links."""
    examples = [
        ("oil prices", "both words, anywhere in the headline or text"),
        ("oil OR gas", "either word"),
        ('"oil prices"', "the exact phrase"),
        ('"oil prices"~5', "both words within 5 words of each other"),
        ("oil -sport", "oil, but not sport (NOT sport also works)"),
        ("(oil OR gas) prices", "group with brackets"),
        ("harb*", "words starting with harb: harbour, harbor …"),
        ("h?rbour", "? stands for one letter"),
        ("polise~", "words like polise (one letter different); polise~2 for two"),
        ("headline:bombers", "only in headlines"),
        ("place:moscow", "datelined Moscow"),
        ("agency:reuters", "from Reuters"),
        ("byline:smith", "written by Smith"),
        ("date:2017-11", "dated November 2017"),
        ("date:[2017-01-01 TO 2017-06-30]", "dated in the first half of 2017"),
        ("date:>=2018", "dated 2018 or later"),
    ]
    data = {"examples": [{"q": q, "meaning": m, "url": urls.search_for(q=q)}
                         for q, m in examples],
            "fields": FIELDS, "aliases": sorted(FIELD_ALIASES.items()),
            "filters": urls.FILTERS, "max_query_length": current_app.config["MAX_QUERY_LENGTH"],
            "max_page_size": current_app.config["MAX_PAGE_SIZE"],
            "args": {"q": urls.Q, "from": urls.FROM, "to": urls.TO, "on_month": urls.ON_MONTH,
                     "on_day": urls.ON_DAY, "sort": urls.SORT, "page": urls.PAGE,
                     "size": urls.SIZE, "facet_limit": urls.FACET_LIMIT,
                     "cluster": urls.CLUSTER, "collapse": urls.COLLAPSE},
            "sorts": SORTS, "kinds": KINDS, "ocr_levels": OCR_LEVELS,
            "kind_example_url": urls.search_for(filters=(("kind", ("advertisement",)),))}
    return html_page("help.html", data)
