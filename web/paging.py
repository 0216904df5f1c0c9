"""Pagination: previous/next and a short window of page numbers, each with its URL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from index.engine import SearchResults
from web import urls
from web.facets import Link

WINDOW = 2  # pages shown either side of the current one


def pagination(results: SearchResults, link: Link, fmt: str = "") -> dict[str, Any]:
    """{page, page_count, first, last (ranks shown), prev_url, next_url, pages: [...]}."""
    request = results.request
    count, current = results.page_count, request.page

    def url(number: int) -> str:
        return link(urls.search(replace(request, page=number), fmt=fmt))

    numbers = sorted({1, count, *range(max(1, current - WINDOW),
                                        min(count, current + WINDOW) + 1)})
    pages: list[dict[str, Any]] = []
    for number in numbers:
        if pages and number - pages[-1]["number"] > 1:
            pages.append({"number": None, "gap": True})  # an ellipsis
        pages.append({"number": number, "url": url(number), "current": number == current,
                      "gap": False})
    first = (current - 1) * request.page_size + 1 if results.listed else 0
    return {"page": current, "page_count": count, "first": first,
            "last": min(results.listed, current * request.page_size),
            "prev_url": url(current - 1) if current > 1 else None,
            "next_url": url(current + 1) if current < count else None,
            "pages": pages if count > 1 else []}
