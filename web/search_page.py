"""The data of a search page, one dict for the HTML page, its JSON twin and the Atom feed
(Datasette's rule: the template only renders what the JSON also says)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from index.engine import Hit, SearchResults
from index.library import Story
from web import urls
from web.facets import Link, chips, clear_filters, facets
from web.histogram import histogram
from web.paging import pagination
from web.records import hit_path, printing_record

OTHERS_SHOWN = 4  # other printings named on a result line; the story's own list has all


def story_summary(hit: Hit, story: Story | None, link: Link, fmt: str = "",
                  shown: int = OTHERS_SHOWN) -> dict[str, Any] | None:
    """A result's story, when it was printed more than once: how many printings (in the
    archive, and among these results), the first few others, and the link to all."""
    if not hit.cluster_id or hit.cluster_size < 2:
        return None
    size = story.size if story else hit.cluster_size
    others = [printing_record(p, link) for p in story.others(hit.id, shown)] if story else []
    return {"cluster_id": hit.cluster_id, "printings": size,
            "matching": hit.cluster_matches, "others": others,
            "more": max(0, size - 1 - len(others)),
            "url": link(urls.story(hit.cluster_id, fmt))}


def item(hit: Hit, results: SearchResults, rank: int, link: Link,
         story: Story | None = None, fmt: str = "") -> dict[str, Any]:
    """One result: what the list shows, the permalink, the link carrying the search, and
    its story's other printings."""
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
        # the page opens at the first highlighted word (JSON links stay plain addresses)
        "url": link(path), "context_url": link(urls.in_search(
            path, results.request, rank,
            urls.FIRST_MATCH if results.request.q and fmt != "json" else "")),
        "cluster_id": hit.cluster_id, "cluster_size": hit.cluster_size,
        "cluster_matches": hit.cluster_matches,
        "story": story_summary(hit, story, link, fmt),
    }


def search_data(results: SearchResults, link: Link, fmt: str = "",
                stories: Mapping[str, Story] | None = None,
                story_title: str | None = None) -> dict[str, Any]:
    """Everything a search page shows; `fmt` picks the format of next/prev links.
    `stories` holds the printings of the page's stories (Library.stories), `story_title`
    the headline of the story a search is limited to."""
    request = results.request
    stories = stories or {}
    start = (request.page - 1) * request.page_size
    paging = pagination(results, link, fmt)
    suggestion_url = None
    if results.suggestion:
        suggestion_url = link(urls.search(replace(request, q=results.suggestion, page=1),
                                          fmt=fmt))
    active = chips(request, link, fmt, story_title)
    return {
        "q": request.q,
        # `total` is what the list pages through: stories when collapsed, else printings
        "total": results.listed,
        "stories": results.stories,
        "printings": results.total,
        "collapse": request.collapse,
        "each_story_url": link(urls.search(replace(request, collapse=True, page=1), fmt)),
        "every_printing_url": link(urls.search(replace(request, collapse=False, page=1),
                                               fmt)),
        "page": request.page,
        "page_size": request.page_size,
        "page_count": results.page_count,
        "sort": request.sort,
        "description": results.description,
        "suggestion": results.suggestion,
        "suggestion_url": suggestion_url,
        # what the search did not do as asked (capped expansions, stopped at its time limit)
        "notices": list(results.notices),
        "partial": results.partial,
        "items": [item(hit, results, start + i + 1, link, stories.get(hit.cluster_id or ""),
                       fmt) for i, hit in enumerate(results.hits)],
        "facets": facets(results, link, fmt),
        "filters": active,
        "clear_filters_url": (link(urls.search(clear_filters(request), fmt=fmt))
                              if active else None),
        "histogram": histogram(results, link, fmt,
                               "printing" if results.stories != results.total else "article"),
        "next": paging["next_url"],
        "prev": paging["prev_url"],
        "pagination": paging,
    }
