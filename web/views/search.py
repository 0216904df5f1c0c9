"""The search page and its twins: JSON, Atom, and whole-result CSV / JSONL exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from flask import Blueprint, Response, current_app, redirect, render_template, request

from archive.model import KINDS
from index.analysis import check_searchable
from index.engine import FACETS, SORTS, PageOutOfRange, SearchRequest, SearchResults
from index.quality import OCR_LEVELS
from index.query import FIELD_ALIASES, FIELDS, MatchAll, QueryError, effective_sort, parse
from web import cited, urls
from web.errors import error_response
from web.formatting import MONTHS
from web.histogram import layout
from web.resources import library
from web.search_page import OTHERS_SHOWN, search_data
from web.state import Limits, parse_search
from web.views import exports, html_page, json_twin, relative, trends

bp = Blueprint("search", __name__)
# Terms over time answer on this blueprint: the same arguments, parser and counts.
bp.add_url_rule(urls.TRENDS, "trends", trends.page)
bp.add_url_rule(urls.TRENDS_TWIN, "trends_twin", trends.twin)

PAGE_SIZES = (10, 20, 50, 100)
SORT_LABELS = {"relevance": "Best match", "newest": "Newest first", "oldest": "Oldest first",
               "ocr": "Best OCR first"}
# Year and month are the histogram; the sidebar lists the other facets.
SIDEBAR_FACETS = tuple(f for f in FACETS if f not in ("year", "month"))


def _limits() -> Limits:
    return Limits.from_config(current_app.config)


def _search(req: SearchRequest) -> SearchResults:
    """The results of a request; QueryError for a query of stopwords only (it would match
    every article), PageOutOfRange past the last page (see _past_end)."""
    check_searchable(req.q)
    return library().search(req)


def _past_end(req: SearchRequest, fmt: str = "") -> dict:
    """What a page past the last one says: how many pages the search has, and the links to
    its first and last (the reader keeps the query, and a way on)."""
    counted = library().search(replace(req, page=1, snippets=False, facet_limit=1))
    pages = counted.page_count
    return {"page": req.page, "pages": pages,
            "first_url": urls.search(replace(req, page=1), fmt),
            "last_url": urls.search(replace(req, page=pages), fmt),
            "message": f"There is no such page of results: page {req.page:,} is past the "
                       f"end of this search, which has {pages:,} "
                       f"page{'s' if pages != 1 else ''} of results."}


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
    except PageOutOfRange:
        return _page(req, None, status=404, past_end=_past_end(req))
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
    """search_data with what the store adds: the other printings of the page's stories,
    the headline of the story a search is limited to, and the search as cited (how to
    cite it now; what changed since, when the address carries a citation)."""
    lib = library()
    shared = [h.cluster_id for h in results.hits if h.cluster_id and h.cluster_size > 1]
    stories = lib.stories(shared, limit=OTHERS_SHOWN + 1) if shared else {}
    title = None
    if results.request.cluster:
        first = lib.article(results.request.cluster)
        title = first.headline if first else None
    data = search_data(results, link, fmt, stories, title)
    today = dt.date.today()  # local, as the article citations' "accessed"
    data["citation"] = cited.citation(lib, results, today, current_app.config["SITE_NAME"],
                                      link)
    data["cited"] = None
    if text := request.args.get(urls.CITED, ""):
        found, problem = cited.parse(text, today)
        if problem:
            data["notices"].append(problem)
        else:
            data["cited"] = cited.compare(lib, found, results, link,
                                          anchor="" if fmt else urls.FIRST_MATCH)
    return data


def _sort_links(req: SearchRequest, first: SearchRequest, listing: bool,
                scored: bool) -> list[tuple[str, str, bool]]:
    """(label, url, current) of each order; a listing without words has no "best match"
    (the engine lists it newest first), and results of which none has an OCR confidence
    (typed text) no "best OCR first"."""
    sort = effective_sort(req) if listing else req.sort
    return [(SORT_LABELS[s], urls.search(replace(first, sort=s)), s == sort)
            for s in SORTS if not (listing and s == "relevance")
            and (s != "ocr" or scored or sort == "ocr")]


def _sidebar(shown: dict) -> tuple[str, ...]:
    """The facets the sidebar lists: not the dates (the histogram shows them), nor a facet
    whose one value every result has (a single publication, typed text's item type: no
    choice to make)."""
    return tuple(f for f in SIDEBAR_FACETS if f in shown and shown[f]["choice"])


def _count_noun(results: SearchResults | None) -> str:
    """'article' while every result is one, else the neutral 'result' (a count of ads and
    notices is not a count of articles)."""
    kinds = next((f.values for f in results.facets if f.name == "kind"), ()) if results else ()
    return "result" if any(v.value != "article" and v.count for v in kinds) else "article"


def _has_ocr(results: SearchResults | None) -> bool:
    """Whether any result has an OCR confidence (the `ocr` facet counts only those)."""
    return bool(results) and any(f.values for f in results.facets if f.name == "ocr")


def _page(req: SearchRequest, results: SearchResults | None, errors: list[str] = (),
          query_error: QueryError | None = None, status: int = 200,
          past_end: dict | None = None):
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
        past_end=past_end,
        form=_form(req), months=MONTHS, sidebar_facets=_sidebar(data.get("facets", {})),
        count_noun=_count_noun(results),
        story_noun=("story", "stories") if _count_noun(results) == "article"
        else ("result", "results"),
        cluster_view=bool(req.cluster),
        svg=layout(data["histogram"]) if results else None,
        sort_links=_sort_links(req, first, listing=results is not None
                               and isinstance(parse(req.q), MatchAll),
                               scored=_has_ocr(results)),
        size_links=_size_links(req, first),
        csv_url=urls.search(first, "csv"), jsonl_url=urls.search(first, "jsonl"),
        ris_url=urls.search(first, "ris"), bib_url=urls.search(first, "bib"),
        trends_url=urls.trends([req.q], first) if req.q else None,
        atom_url=urls.search(replace(first, sort="newest"), "atom"),
        json_url=urls.search(req, "json"))


def _size_links(req: SearchRequest, first: SearchRequest) -> list[tuple[int, str, bool]]:
    """(size, url, current) of each page size offered; a size written into the address
    that is not among them is listed too, so the one in use is always marked."""
    sizes = {n for n in PAGE_SIZES if n <= current_app.config["MAX_PAGE_SIZE"]}
    return [(n, urls.search(replace(first, page_size=n)), n == req.page_size)
            for n in sorted(sizes | {req.page_size})]


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
    if fmt in ("csv", "jsonl", "ris", "bib"):
        try:  # the count first: a search too big to export is said before streaming
            count = _search(replace(req, page=1, page_size=1, snippets=False,
                                    facet_limit=1)).listed
        except QueryError as error:
            return error_response(400, error.message)
        return exports.export(req, fmt, count)
    try:
        results = _search(req)
    except QueryError as error:
        return error_response(400, error.message)
    except PageOutOfRange:
        end = _past_end(req, fmt)
        return error_response(404, f"{end['message']} The last one: "
                                   f"{urls.absolute(end['last_url'])}")
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
                     "cluster": urls.CLUSTER, "collapse": urls.COLLAPSE,
                     "cited": urls.CITED},
            "sorts": SORTS, "kinds": KINDS, "ocr_levels": OCR_LEVELS,
            "kind_example_url": urls.search_for(filters=(("kind", ("advertisement",)),))}
    return html_page("help.html", data)
