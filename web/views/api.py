"""Machine-facing documents: the OpenSearch description, sitemaps of article pages, and
robots.txt (searches are not for crawlers; articles are)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from flask import Blueprint, Response, abort, current_app, render_template
from markupsafe import escape

from web import urls
from web.formatting import xml_safe
from web.resources import library

bp = Blueprint("api", __name__)

SITEMAP_SIZE = 50_000  # the sitemaps.org limit of URLs per file
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@bp.get(urls.OPENSEARCH)
def opensearch():
    """Lets browsers add the archive as a search engine; the templates use the very
    arguments the search page reads (urls.OPENSEARCH_PARAMS)."""
    body = render_template("opensearch.xml", templates=[
        ("text/html", urls.opensearch_template()),
        ("application/atom+xml", urls.opensearch_template("atom")),
        ("application/json", urls.opensearch_template("json"))],
        self_url=urls.absolute(urls.OPENSEARCH), home_url=urls.absolute(urls.HOME),
        site=current_app.config["SITE_NAME"])
    return Response(body, mimetype="application/opensearchdescription+xml")


@bp.get(urls.SITEMAP)
def sitemap():
    """Every article permalink; an index of numbered sitemaps past 50,000 articles."""
    count = library().count()
    if count > SITEMAP_SIZE:
        parts = [urls.absolute(urls.sitemap(n)) for n in range(1, -(-count // SITEMAP_SIZE) + 1)]
        return _xml(_sitemap_index(parts))
    return _xml(_urlset(0, SITEMAP_SIZE, urls.absolute(urls.HOME)))


@bp.get(urls.SITEMAP_PART)
def sitemap_part(part: int):
    count = library().count()
    if not 1 <= part <= -(-count // SITEMAP_SIZE):
        abort(404)
    return _xml(_urlset((part - 1) * SITEMAP_SIZE, SITEMAP_SIZE))


def _xml(body: Iterator[str]) -> Response:
    return Response(body, mimetype="application/xml")


def _loc(url: str) -> str:
    """A URL as sitemap text: escaped, and only characters XML may carry."""
    return str(escape(xml_safe(url)))


def _sitemap_index(parts: list[str]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_SITEMAP_NS}">\n'
    for url in parts:
        yield f"<sitemap><loc>{_loc(url)}</loc></sitemap>\n"
    yield "</sitemapindex>\n"


def _urlset(start: int, size: int, home: str | None = None) -> Iterator[str]:
    lib = library()
    root = urls.site_root()  # read now: the body is streamed after the request context

    def body() -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_SITEMAP_NS}">\n'
        if home:
            yield f"<url><loc>{_loc(home)}</loc></url>\n"
        for article in islice(lib.articles(), start, start + size):
            yield f"<url><loc>{_loc(urls.as_uri(root + urls.permalink(article)))}</loc></url>\n"
        yield "</urlset>\n"

    return body()


@bp.get(urls.ROBOTS)
def robots():
    text = (f"User-agent: *\nDisallow: {urls.SEARCH}\nDisallow: {urls.SETTINGS}\n\n"
            f"Sitemap: {urls.absolute(urls.SITEMAP)}\n")
    return Response(text, mimetype="text/plain")
