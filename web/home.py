"""What the home page adds to the totals: "On this day" (articles printed on today's month and
day in earlier years) and the most recent issues of every publication."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from index.engine import SearchRequest
from index.library import Library
from web import urls
from web.facets import Link
from web.formatting import long_date

ON_THIS_DAY = 6  # articles listed; the link beneath lists them all
RECENT_ISSUES = 6


def on_this_day(lib: Library, today: dt.date, link: Link) -> dict[str, Any] | None:
    """Articles printed on today's month and day in earlier years, newest first (a few,
    grouped by year), with the count and the search that lists them all; None when the
    archive holds none."""
    request = SearchRequest(month_day=(today.month, today.day), sort="newest",
                            page_size=ON_THIS_DAY, snippets=False, facet_limit=1)
    results = lib.search(request)
    hits = [h for h in results.hits if h.date and h.date.year < today.year]
    if not hits:
        return None
    years = [{"year": year, "articles": [{"headline": h.headline, "kind": h.kind,
                                          "publication": h.publication,
                                          "url": link(urls.article_path(
                                              h.publication_slug, h.date, h.headline, h.id))}
                                         for h in group]}
             for year, group in groupby(hits, key=lambda h: h.date.year)]
    day = long_date(today).rsplit(" ", 1)[0]  # "3 December"
    return {"day": day, "month": today.month, "date": today.day, "total": results.listed,
            "years": years,
            "url": link(urls.search(SearchRequest(month_day=(today.month, today.day),
                                                  sort="oldest")))}


def recent_issues(lib: Library, link: Link, count: int = RECENT_ISSUES) -> list[dict[str, Any]]:
    """The latest issues of all publications together, newest first: date, publication,
    how many articles, and the issue page."""
    found: list[tuple[dt.date, str, str, int]] = []
    for pub in lib.publications():
        if pub.last is None:
            continue
        for year in range(pub.last.year, pub.last.year - 2, -1):  # enough for `count`
            dates = lib.issue_dates(pub.slug, year)
            found += [(day, pub.name, pub.slug, n) for day, n in dates]
            if len(dates) >= count:
                break
    found.sort(key=lambda issue: (issue[0], issue[1]), reverse=True)
    return [{"date": day.isoformat(), "publication": name, "articles": n,
             "url": link(urls.issue_path(slug, day))} for day, name, slug, n in found[:count]]
