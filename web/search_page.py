"""The data of a search page, one dict for the HTML page, its JSON twin and the Atom feed
(Datasette's rule: the template only renders what the JSON also says)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from markupsafe import Markup

from index.engine import Hit, SearchResults
from web import urls
from web.facets import Link, chips, clear_filters, facets
from web.histogram import histogram
from web.paging import pagination
from web.records import hit_path


def item(hit: Hit, results: SearchResults, rank: int, link: Link) -> dict[str, Any]:
    """One result: what the list shows, the permalink, and the link carrying the search."""
    path = hit_path(hit)
    return {
        "rank": rank, "id": hit.id, "headline": hit.headline,
        # The engine escapes the text and adds only <mark>: safe to render as HTML.
        "headline_html": Markup(hit.headline_html), "snippet": Markup(hit.snippet_html),
        "date": hit.date.isoformat() if hit.date else None,
        "publication": hit.publication, "publication_slug": hit.publication_slug,
        "place": hit.place, "agencies": list(hit.agencies), "byline": hit.byline,
        "section": hit.section, "page": hit.page, "matched_in": list(hit.matched_in),
        "kind": hit.kind, "confidence": hit.confidence,
        "url": link(path), "context_url": link(urls.in_search(path, results.request, rank)),
    }


def search_data(results: SearchResults, link: Link, fmt: str = "") -> dict[str, Any]:
    """Everything a search page shows; `fmt` picks the format of next/prev links."""
    request = results.request
    start = (request.page - 1) * request.page_size
    paging = pagination(results, link, fmt)
    suggestion_url = None
    if results.suggestion:
        suggestion_url = link(urls.search(replace(request, q=results.suggestion, page=1),
                                          fmt=fmt))
    active = chips(request, link, fmt)
    return {
        "q": request.q,
        "total": results.total,
        "page": request.page,
        "page_size": request.page_size,
        "page_count": results.page_count,
        "sort": request.sort,
        "description": results.description,
        "suggestion": results.suggestion,
        "suggestion_url": suggestion_url,
        "items": [item(hit, results, start + i + 1, link)
                  for i, hit in enumerate(results.hits)],
        "facets": facets(results, link, fmt),
        "filters": active,
        "clear_filters_url": (link(urls.search(clear_filters(request), fmt=fmt))
                              if active else None),
        "histogram": histogram(results, link, fmt),
        "next": paging["next_url"],
        "prev": paging["prev_url"],
        "pagination": paging,
    }
