"""HTTP caching: validators (ETag, Last-Modified) answered with 304 by Werkzeug's own
conditional support, and a Cache-Control that fits each answer (articles long, searches
short, errors never stored)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path

from flask import Response, current_app, request

from archive.model import Article
from archive.store import StoreError
from index.engine import IndexMissing
from index.library import Library
from web import urls
from web.records import article_record
from web.resources import library

ARTICLE_MAX_AGE = 3600  # a permalink's page changes only when the archive is rebuilt
SHORT_MAX_AGE = 60  # searches, feeds, browse pages: new pages arrive with every rebuild
ARTICLE_CACHE = f"public, max-age={ARTICLE_MAX_AGE}"
SHORT_CACHE = f"public, max-age={SHORT_MAX_AGE}"
NO_STORE = "no-store"  # an error may be gone on the next try (503) or be a typo (404)
_PACKAGES = ("archive", "index", "web")  # the code a page is made by
_SOURCES = {".py", ".html", ".xml"}


@functools.cache
def code_version() -> str:
    """A digest of the code and templates that render pages, so that validators change
    when a deployment does (an ETag that outlives a template change serves the old page
    to every revalidating cache). Read once per process."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in _SOURCES and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def archive_version(lib: Library) -> str:
    """Which state of the archive a page shows: the serving index build and the store's
    last change (an ingest before the rebuild already changes an issue's neighbours)."""
    snapshot = lib.snapshot()
    return f"{snapshot.path.name if snapshot else '-'}/{lib.built_at() or '-'}/" \
           f"{lib.last_change()}"


def built_at(lib: Library) -> dt.datetime | None:
    """When the serving index was built: the Last-Modified of what it answers."""
    when = lib.built_at()
    if not when:
        return None
    parsed = dt.datetime.fromisoformat(when)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def article_validators(lib: Library, article: Article,
                       dated_today: bool) -> tuple[str, dt.datetime | None]:
    """(ETag, Last-Modified) of an article answer: its content, the archive state, the
    address asked (twin, ?q= highlighting, _hit context), the site's settings and code.
    `dated_today` for a page that prints today's date (the citations' "accessed")."""
    today = dt.date.today()
    record = json.dumps(article_record(article, source_path=True), sort_keys=True,
                        ensure_ascii=False, default=str)
    basis = "\x1f".join((code_version(), current_app.config["SITE_NAME"], urls.site_root(),
                         archive_version(lib), request.full_path, record,
                         today.isoformat() if dated_today else ""))
    etag = hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    modified = built_at(lib)
    if dated_today:  # the page changed at midnight (local, as the citation's date is)
        midnight = dt.datetime.combine(today, dt.time()).astimezone()
        modified = max(modified, midnight) if modified else midnight
    return etag, modified


def _validate(response: Response, etag: str, modified: dt.datetime | None,
              cache: str) -> Response:
    response.set_etag(etag)
    if modified is not None:
        response.last_modified = modified
    response.headers["Cache-Control"] = cache
    return response


def not_modified(etag: str, modified: dt.datetime | None,
                 cache: str = ARTICLE_CACHE) -> Response | None:
    """The 304 answer when the request's If-None-Match / If-Modified-Since still hold,
    before the page is made; None when it must be sent."""
    probe = _validate(Response(), etag, modified, cache).make_conditional(request)
    return probe if probe.status_code == 304 else None


def validated(response: Response, etag: str, modified: dt.datetime | None,
              cache: str = ARTICLE_CACHE) -> Response:
    """A made answer with its validators and Cache-Control."""
    return _validate(response, etag, modified, cache)


def _is_search(path: str) -> bool:
    return path == urls.SEARCH or path.startswith(urls.SEARCH + ".")


def _search_built_at() -> dt.datetime | None:
    try:
        return built_at(library())
    except (IndexMissing, StoreError):  # a search answered all the same (a 400 page)
        return None


def cache_headers(response: Response) -> Response:
    """Every answer's Cache-Control (unless its view set one), and for a complete 200
    answer without validators an ETag of its body, Last-Modified of a search (the index
    build) and a 304 when the client's copy is current (Werkzeug's make_conditional)."""
    if request.endpoint == "static":  # send_file sets its own validators
        return response
    status = response.status_code
    if status >= 400:
        response.headers["Cache-Control"] = NO_STORE  # whatever a view set for success
        return response
    if "Cache-Control" not in response.headers:
        permanent = status in (301, 308)
        response.headers["Cache-Control"] = ARTICLE_CACHE if permanent else SHORT_CACHE
    if status != 200 or request.method not in ("GET", "HEAD") or response.is_streamed \
            or "ETag" in response.headers:
        return response
    response.add_etag()
    if _is_search(request.path) and response.last_modified is None:
        response.last_modified = _search_built_at()
    return response.make_conditional(request)
