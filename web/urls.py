"""The one module that knows URL shapes: route rules, permalinks, browse pages, and the
search state written as query arguments (the parsing side is web/state.py)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from urllib.parse import quote_plus, urlencode, urlsplit

from werkzeug.routing import BaseConverter, ValidationError
from werkzeug.urls import iri_to_uri

from archive.model import Article
from archive.slugs import slugify
from index.engine import DEFAULT_PAGE_SIZE, FACETS, SearchRequest
from index.query import Phrase
from index.unparse import unparse
from web.config import CANONICAL_URL, DEFAULT_CANONICAL_URL

UNDATED = "undated"

# --- search arguments ----------------------------------------------------------------
# Filters are plain names (one per facet, repeatable); controls start with "_" so they can
# never clash with a facet (the newspaper "page" facet vs the result page: `_page`).
Q = "q"
FROM, TO = "from", "to"  # issue dates, YYYY-MM-DD (YYYY and YYYY-MM also read)
ON_MONTH, ON_DAY = "on_month", "on_day"  # "on this day": month and day in any year
SORT, PAGE, SIZE, FACET_LIMIT = "_sort", "_page", "_size", "_facet_limit"
HIT = "_hit"  # on an article page: the rank of the article in the search it came from
# A cited search: the archive version (the store change its index was built up to), the
# result count and the day it was cited, "412:1199:2026-12-02" (web.cited reads it)
CITED = "cited"
# One story's printings (a cluster id), and whether a story is listed once (the default,
# `_collapse=1`) or every printing of it (`_collapse=0`).
CLUSTER, COLLAPSE = "cluster", "_collapse"
FILTERS = FACETS
SINGLE_CHOICE = ("ocr",)  # facets whose values replace each other (web.facets)
SEARCH_ARGS = (Q, *FILTERS, CLUSTER, FROM, TO, ON_MONTH, ON_DAY, SORT, COLLAPSE, PAGE, SIZE,
               FACET_LIMIT, CITED)
DEFAULT_FACET_LIMIT = SearchRequest().facet_limit
MORE_FACETS = 100  # values per facet after "more"
# OpenSearch template parameters -> the argument each fills (tested against the parser)
OPENSEARCH_PARAMS = ((Q, "searchTerms"), (PAGE, "startPage?"), (SIZE, "count?"))

# --- route rules (views register these; nothing else spells a path) ----------------------
HOME = "/"
HOME_JSON = "/index.json"
SEARCH = "/search"
# ris and bib: the whole result set as citations (web.citations_export)
SEARCH_FORMATS = ("json", "atom", "csv", "jsonl", "ris", "bib")
SEARCH_TWIN = "/search.<any(json, atom, csv, jsonl, ris, bib):fmt>"
HELP = "/help"
# Reading settings (text size, line width): a page whose form sets a cookie, and the small
# stylesheet that applies it (the pages themselves stay the same for every reader)
SETTINGS = "/settings"
READING_CSS = "/reading.css"
TEXT, WIDTH, BACK = "text", "width", "back"
TRENDS = "/trends"  # share of articles per year matching each of several searches
TRENDS_TWIN = "/trends.<any(json, csv):fmt>"
PLACES, AGENCIES = "/places/", "/agencies/"
OPENSEARCH, SITEMAP, ROBOTS = "/opensearch.xml", "/sitemap.xml", "/robots.txt"
SITEMAP_PART = "/sitemap-<int:part>.xml"
PUBLICATION_RULE = "/<slug:pub>/"
PUBLICATION_JSON_RULE = "/<slug:pub>.json"
YEAR_RULE = "/<slug:pub>/<year:year>/"
YEAR_JSON_RULE = "/<slug:pub>/<year:year>.json"
ISSUE_RULE = "/<slug:pub>/<day:day>/"
ISSUE_JSON_RULE = "/<slug:pub>/<day:day>.json"
ARTICLE_RULE = "/<slug:pub>/<datepart:datepart>/<leaf>"
ARTICLE_SUFFIXES = (".json", ".txt", ".ris", ".bib")  # .ris, .bib: citations


class SlugConverter(BaseConverter):
    """A publication slug: no slash, no dot (so `.json` can follow it)."""

    regex = r"[^/.]+"


class YearConverter(BaseConverter):
    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class DayConverter(BaseConverter):
    """An issue date, yyyy-mm-dd; an impossible date is no route (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError() from None

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()


class DatePartConverter(BaseConverter):
    """The date segment of a permalink: yyyy-mm-dd or `undated`."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}|" + UNDATED


CONVERTERS = {"slug": SlugConverter, "year": YearConverter, "day": DayConverter,
              "datepart": DatePartConverter}


# --- permalinks and browse pages ---------------------------------------------------------

def date_part(date: dt.date | None) -> str:
    return date.isoformat() if date else UNDATED


def article_path(publication_slug: str, date: dt.date | None, headline: str,
                 article_id: str, suffix: str = "") -> str:
    """/<publication>/<yyyy-mm-dd | undated>/<headline-slug>-<id>[.json|.txt]"""
    return f"/{publication_slug}/{date_part(date)}/{slugify(headline)}-{article_id}{suffix}"


def permalink(article: Article, suffix: str = "") -> str:
    return article_path(article.publication_slug, article.date, article.headline, article.id,
                        suffix)


def split_leaf(leaf: str) -> tuple[str, str]:
    """The article id and format suffix of a permalink's last segment
    ("russian-bombers-strike-0591daa31e62.json" -> ("0591daa31e62", ".json"))."""
    suffix = next((s for s in ARTICLE_SUFFIXES if leaf.endswith(s)), "")
    stem = leaf[: len(leaf) - len(suffix)]
    return stem.rpartition("-")[2], suffix


def publication_path(slug: str, fmt: str = "") -> str:
    return f"/{slug}.json" if fmt == "json" else f"/{slug}/"


def year_path(slug: str, year: int, fmt: str = "") -> str:
    return f"/{slug}/{year:04d}" + (".json" if fmt == "json" else "/")


def issue_path(slug: str, date: dt.date, fmt: str = "") -> str:
    return f"/{slug}/{date.isoformat()}" + (".json" if fmt == "json" else "/")


def home(fmt: str = "") -> str:
    return HOME_JSON if fmt == "json" else HOME


def places(fmt: str = "") -> str:
    return "/places.json" if fmt == "json" else PLACES


def agencies(fmt: str = "") -> str:
    return "/agencies.json" if fmt == "json" else AGENCIES


def values_page(facet: str, fmt: str = "", order: str = "") -> str:
    """The page listing every value of a facet (places, agencies), by count or by name."""
    path = places(fmt) if facet == "place" else agencies(fmt)
    return path + (f"?{urlencode({SORT: order})}" if order else "")


def help_page(anchor: str = "") -> str:
    return HELP + (f"#{anchor}" if anchor else "")


def as_uri(url: str) -> str:
    """An IRI (Arabic slugs) as an ASCII URI, for Location and Link headers."""
    return iri_to_uri(url)


def sitemap(part: int | None = None) -> str:
    return SITEMAP if part is None else f"/sitemap-{part}.xml"


def opensearch_template(fmt: str = "") -> str:
    """The OpenSearch URL template of a search format, e.g. /search?q={searchTerms}&..."""
    args = "&".join(f"{arg}={{{param}}}" for arg, param in OPENSEARCH_PARAMS)
    return absolute(SEARCH + (f".{fmt}" if fmt else "")) + "?" + args


def static(filename: str) -> str:
    return f"/static/{filename}"


def settings(back: str = "", **choices: str) -> str:
    """/settings[?text=large&width=narrow&back=/path]: the reading settings page, or (with
    choices) the address that saves them and returns to `back`."""
    args = [(name, value) for name, value in choices.items() if value]
    if back:
        args.append((BACK, back))
    return SETTINGS + (f"?{urlencode(args)}" if args else "")


def match(number: int) -> str:
    """The anchor of the n-th match of the search words on an article page (from 1)."""
    return f"match-{number}"


FIRST_MATCH = match(1)


# --- absolute URLs: from the configured canonical address, never from the Host header ----

@functools.lru_cache(maxsize=8)
def canonical_root(value: object) -> str:
    """The configured canonical address as the root every absolute URL starts with
    ('https://archive.example.org', no trailing slash); ValueError says what is wrong."""
    text = str(value or DEFAULT_CANONICAL_URL).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{CANONICAL_URL} must be an http:// or https:// address with a "
                         f"host, e.g. https://archive.example.org (got {text!r})")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{CANONICAL_URL} takes no query, fragment or user (got {text!r})")
    try:
        parts.port  # noqa: B018  # an impossible port raises here, not in every request
    except ValueError as error:
        raise ValueError(f"{CANONICAL_URL}: {error} (got {text!r})") from None
    return iri_to_uri(f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}")


def site_root(config: Mapping[str, object] | None = None) -> str:
    """The canonical root of the app being served (or of `config`)."""
    if config is None:
        from flask import current_app

        config = current_app.config
    return canonical_root(config.get(CANONICAL_URL))


def absolute(path: str) -> str:
    """An absolute URL for a path of this site (feeds, JSON, citations, sitemaps)."""
    return site_root() + path


def absolute_link() -> Callable[[str], str]:
    """`absolute` with the root read once, for pages of hundreds of links (a JSON search
    lists every month of the histogram), and for bodies streamed after the request."""
    root = site_root()
    return lambda path: root + path


def absolute_location(location: str) -> str:
    """A redirect's Location without the request's Host: one Werkzeug built from it (a
    trailing-slash redirect) is moved onto the canonical address (the site never
    redirects elsewhere); a relative one, which names no host, stays as the view wrote
    it (the client resolves it against the address it asked)."""
    parts = urlsplit(location)
    if not parts.netloc:
        return location
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "") \
        + (f"#{parts.fragment}" if parts.fragment else "")
    return as_uri(absolute(path))


_WORDS = re.compile(r"\w+")
HEADLINE_SEARCH_WORDS = 12  # a phrase of the first words finds a headline; more adds nothing


def headline_search(headline: str) -> str:
    """A search for a headline's words as a phrase in headlines (the link a removed
    article's page offers); the plain search page when it has no words."""
    words = tuple(_WORDS.findall(headline.lower()))[:HEADLINE_SEARCH_WORDS]
    return search_for(q=unparse(Phrase(words, field="headline"))) if words else SEARCH


# --- search state as query arguments -------------------------------------------------

def search_args(request: SearchRequest, page: bool = True) -> list[tuple[str, str]]:
    """The arguments that reproduce a request; defaults are left out (short, stable URLs)."""
    args: list[tuple[str, str]] = []
    if request.q:
        args.append((Q, request.q))
    chosen = dict(request.filters)
    args += [(name, value) for name in FILTERS for value in chosen.get(name, ())]
    if request.cluster:
        args.append((CLUSTER, request.cluster))
    if request.date_from:
        args.append((FROM, request.date_from.isoformat()))
    if request.date_to:
        args.append((TO, request.date_to.isoformat()))
    if request.month_day:
        args += [(ON_MONTH, str(request.month_day[0])), (ON_DAY, str(request.month_day[1]))]
    if request.sort != "relevance":
        args.append((SORT, request.sort))
    if not request.collapse:
        args.append((COLLAPSE, "0"))
    if page and request.page != 1:
        args.append((PAGE, str(request.page)))
    if request.page_size != DEFAULT_PAGE_SIZE:
        args.append((SIZE, str(request.page_size)))
    if request.facet_limit != DEFAULT_FACET_LIMIT:
        args.append((FACET_LIMIT, str(request.facet_limit)))
    return args


def search(request: SearchRequest | None = None, fmt: str = "", anchor: str = "") -> str:
    """/search[.fmt]?<state>[#anchor]"""
    args = search_args(request) if request else []
    path = SEARCH + (f".{fmt}" if fmt else "")
    return path + (f"?{urlencode(args)}" if args else "") + (f"#{anchor}" if anchor else "")


def trends(queries: Iterable[str], request: SearchRequest | None = None,
           fmt: str = "") -> str:
    """/trends[.fmt]?q=a&q=b&<filters and dates of request>: each query's share of the
    articles, period by period, among those the filters keep."""
    base = [(k, v) for k, v in search_args(request, page=False)
            if k not in (Q, SORT, SIZE, FACET_LIMIT, COLLAPSE)] if request else []
    args = [(Q, q) for q in queries] + base
    path = TRENDS + (f".{fmt}" if fmt else "")
    return path + (f"?{urlencode(args)}" if args else "")


def search_for(**changes: object) -> str:
    """A fresh search, e.g. search_for(q="oil") or search_for(filters=(("place", ("X",)),))."""
    return search(replace(SearchRequest(), **changes))


def replace_arg(path: str, args: Iterable[tuple[str, str]], name: str, value: str) -> str:
    """The same address with every `name` argument set to `value` (the others as given)."""
    return f"{path}?{urlencode([(k, value if k == name else v) for k, v in args])}"


def story(cluster_id: str, fmt: str = "") -> str:
    """Every printing of one story, first printing first."""
    return search(SearchRequest(cluster=cluster_id, collapse=False, sort="oldest"), fmt)


def in_search(path: str, request: SearchRequest, rank: int, anchor: str = "") -> str:
    """An article path carrying the search it was found by (highlighting, prev/next);
    `anchor` e.g. FIRST_MATCH, so that the page opens at the first highlighted word."""
    args = [*search_args(request, page=False), (HIT, str(rank))]
    return f"{path}?{urlencode(args)}" + (f"#{anchor}" if anchor else "")


def cited_search(request: SearchRequest, cited: str) -> str:
    """The permanent link of a search as cited: its first page, and `cited` (the archive
    version, count and day, as web.cited writes them)."""
    args = [*search_args(replace(request, page=1)), (CITED, cited)]
    return f"{SEARCH}?{urlencode(args, safe=':')}"  # 412:1199:2026-12-02 stays legible


def with_filters(request: SearchRequest, facet: str, values: tuple[str, ...]) -> SearchRequest:
    """The request with one facet's selection replaced, back on page 1."""
    chosen = dict(request.filters)
    chosen[facet] = values
    filters = tuple((name, chosen[name]) for name in FILTERS if chosen.get(name))
    return replace(request, filters=filters, page=1)


def chooser(request: SearchRequest, facet: str, fmt: str = "") -> Callable[[str], str]:
    """For a facet of one choice (a minimum OCR level): value -> the search with that value
    instead of the facet's selection, or without it when it is selected (adding a second
    minimum with OR would only mean the lower one)."""
    chosen = request.selected(facet)

    def url(value: str) -> str:
        values = tuple(v for v in chosen if v != value) if value in chosen else (value,)
        return search(with_filters(request, facet, values), fmt)

    return url


def toggle(request: SearchRequest, facet: str, value: str, fmt: str = "") -> str:
    """The search with one facet value switched on (added, OR) or off."""
    return toggler(request, facet, fmt)(value)


# Facet values recur on every result page (places, agencies, months): encode each once.
_quoted = functools.lru_cache(maxsize=65_536)(quote_plus)


def toggler(request: SearchRequest, facet: str, fmt: str = "") -> Callable[[str], str]:
    """`toggle` for many values of one facet: the arguments around the facet's own are
    encoded once (a page lists every month of the histogram; encoding the whole search
    for each of them was most of the time of a search request)."""
    chosen = request.selected(facet)
    args = search_args(with_filters(request, facet, ()))
    before = {Q, *FILTERS[: FILTERS.index(facet)]}
    split = next((i for i, (name, _) in enumerate(args) if name not in before), len(args))
    head, tail = urlencode(args[:split]), urlencode(args[split:])
    path = SEARCH + (f".{fmt}" if fmt else "")
    key = quote_plus(facet) + "="
    encoded = {v: key + _quoted(v) for v in chosen}  # as urlencode writes them

    def url(value: str) -> str:
        own = ([e for v, e in encoded.items() if v != value] if value in encoded
               else [*encoded.values(), key + _quoted(value)])
        query = "&".join(part for part in (head, *own, tail) if part)
        return path + (f"?{query}" if query else "")

    return url
