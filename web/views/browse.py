"""Browsing: the home page, a publication's years, a year's calendar of issues, an issue's
contents, and the lists of places and agencies. Each page has a JSON twin."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from itertools import groupby
from typing import Any

from flask import Blueprint, abort, redirect, request

from archive import headlines, name_variants
from archive.model import KINDS, Article
from index.engine import SearchRequest
from index.library import Publication
from web import home as home_extras
from web import urls
from web.facets import Link
from web.formatting import MONTHS, short_date
from web.histogram import histogram, layout
from web.records import printing_record
from web.resources import library
from web.views import html_page, json_twin, relative

bp = Blueprint("browse", __name__)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOME_FACET_VALUES = 8
ALSO_PRINTED = 3  # other printings an issue names beside a reprinted item


def _twin(fmt: str, template: str, data: dict[str, Any], json_path: str, **extra):
    if fmt == "json":
        return json_twin(data)
    return html_page(template, data, [("application/json", json_path, "This page as JSON")],
                     **extra)


def _moved(pub: str):
    """A redirect (301) to the same page under the slug that replaced a former one (the
    publication's name is spelled out in it now: "straburger-post" is
    "strassburger-post"), or None."""
    new = library().slug_successor(pub)
    if new is None or new == pub:
        return None
    query = request.query_string.decode("ascii", "replace")
    path = f"/{new}{request.path[len(pub) + 1:]}" + (f"?{query}" if query else "")
    return redirect(urls.as_uri(path), 301)


def _publication(pub: Publication, link: Link) -> dict[str, Any]:
    return {"name": pub.name, "slug": pub.slug, "url": link(urls.publication_path(pub.slug)),
            "articles": pub.articles, "issues": pub.issues,
            "first": pub.first.isoformat() if pub.first else None,
            "last": pub.last.isoformat() if pub.last else None,
            "last_issue_url": link(urls.issue_path(pub.slug, pub.last)) if pub.last else None}


@bp.get(urls.HOME, defaults={"fmt": ""})
@bp.get(urls.HOME_JSON, defaults={"fmt": "json"})
def home(fmt: str):
    """Totals, the years (a histogram to click), publications, top places and agencies."""
    link = urls.absolute if fmt else relative
    lib = library()
    results = lib.search(SearchRequest(page_size=1, facet_limit=HOME_FACET_VALUES,
                                       snippets=False))
    by_name = {f.name: f for f in results.facets}
    years = histogram(results, link, base=SearchRequest())  # links: an ordinary search
    dated = sum(b["count"] for b in years["bars"])

    def top(facet: str) -> dict[str, Any]:
        found = by_name.get(facet)
        # a name's OCR readings among the values shown are counted with it (its link
        # searches them all), as on the Places page
        named = name_variants.group((v.value, v.count) for v in (found.values if found
                                                                  else ()))
        values = [{"value": n.value, "count": n.count,
                   "url": link(urls.search_for(filters=((facet, n.readings),))),
                   "readings": list(n.readings[1:])}
                  for n in named]
        return {"values": values, "total_values": found.total_values if found else 0,
                "all_url": link(urls.values_page(facet))}

    # (the bars are years, or the months of the one year every article lies in)
    printed = [b["value"][:4] for b in years["bars"] if b["count"]]
    data = {"articles": results.total, "dated": dated, "undated": results.total - dated,
            "first_year": printed[0] if printed else None,
            "last_year": printed[-1] if printed else None,
            "years": years, "search_url": link(urls.SEARCH),
            "publications": [_publication(p, link) for p in lib.publications()],
            "places": top("place"), "agencies": top("agency"),
            "on_this_day": home_extras.on_this_day(lib, dt.date.today(), link),
            "recent_issues": home_extras.recent_issues(lib, link)}
    return _twin(fmt, "home.html", data, urls.home("json"), svg=layout(years))


@bp.get(urls.PUBLICATION_RULE, defaults={"fmt": ""})
@bp.get(urls.PUBLICATION_JSON_RULE, defaults={"fmt": "json"})
def publication(pub: str, fmt: str):
    """A publication: its years, each a link to the calendar of its issues."""
    link = urls.absolute if fmt else relative
    lib = library()
    found = next((p for p in lib.publications() if p.slug == pub), None)
    if found is None:
        return _moved(pub) or abort(404, description="There is no publication at this address.")
    data = {**_publication(found, link), "undated": lib.undated(pub),
            "search_url": link(urls.search_for(filters=(("publication", (found.name,)),))),
            "years": [{"year": y, "issues": i, "articles": a,
                       "url": link(urls.year_path(pub, y))} for y, i, a in lib.years(pub)]}
    return _twin(fmt, "publication.html", data, urls.publication_path(pub, "json"))


@bp.get(urls.YEAR_RULE, defaults={"fmt": ""})
@bp.get(urls.YEAR_JSON_RULE, defaults={"fmt": "json"})
def year(pub: str, year: int, fmt: str):
    """A year of a publication as a calendar; days with an issue link to it."""
    link = urls.absolute if fmt else relative
    lib = library()
    issues = dict(lib.issue_dates(pub, year))
    if not issues:
        return _moved(pub) or abort(404, description=f"There are no issues from {year} at "
                                                     "this address.")
    name = next((p.name for p in lib.publications() if p.slug == pub), pub)
    years = [y for y, _, _ in lib.years(pub)]
    i = years.index(year)
    months = []
    for number in range(1, 13):
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(year, number):
            weeks.append([_day(day, number, issues, pub, link) for day in week])
        months.append({"month": number, "name": MONTHS[number - 1], "weeks": weeks,
                       "issues": sum(1 for d in issues if d.month == number)})
    data = {"publication": name, "publication_url": link(urls.publication_path(pub)),
            "year": year, "issues": [{"date": d.isoformat(), "articles": n,
                                      "url": link(urls.issue_path(pub, d))}
                                     for d, n in issues.items()],
            "prev_year_url": link(urls.year_path(pub, years[i - 1])) if i > 0 else None,
            "next_year_url": (link(urls.year_path(pub, years[i + 1]))
                              if i + 1 < len(years) else None),
            "prev_year": years[i - 1] if i > 0 else None,
            "next_year": years[i + 1] if i + 1 < len(years) else None}
    return _twin(fmt, "year.html", data, urls.year_path(pub, year, "json"), months=months,
                 weekdays=WEEKDAYS)


def _day(day: dt.date, month: int, issues: dict[dt.date, int], pub: str,
         link: Link) -> dict[str, Any] | None:
    if day.month != month:
        return None  # a day of the previous or next month: an empty cell
    count = issues.get(day, 0)
    return {"day": day.day, "date": day.isoformat(), "articles": count,
            "url": link(urls.issue_path(pub, day)) if count else None}


@bp.get(urls.ISSUE_RULE, defaults={"fmt": ""})
@bp.get(urls.ISSUE_JSON_RULE, defaults={"fmt": "json"})
def issue(pub: str, day: dt.date, fmt: str):
    """The contents of one issue, by page."""
    link = urls.absolute if fmt else relative
    lib = library()
    articles = lib.issue(pub, day)
    if not articles:
        return _moved(pub) or abort(404, description=f"There is no issue of {short_date(day)} "
                                                     "at this address.")
    before, after = lib.adjacent_issues(pub, day)
    stories = lib.stories({a.cluster_id for a in articles if a.cluster_id
                           and a.cluster_size > 1}, limit=ALSO_PRINTED + 1)
    pages = []
    # the store lists an issue by page, pages unknown last: one group per page
    for page, group in groupby(articles, key=lambda a: a.page):
        pages.append({"page": page, "anchor": f"page-{page if page else 'unknown'}",
                      "articles": [{
            "id": a.id, "headline": a.headline, "url": link(urls.permalink(a)),
            "kind": a.kind, "page": a.page, "pages": list(a.pages),
            "confidence": a.confidence,
            "place": a.place, "agencies": list(a.agencies), "byline": a.byline,
            "section": a.section, "words": a.word_count, "language": a.language,
            "lead": _lead(a), "cluster_id": a.cluster_id, "cluster_size": a.cluster_size,
            "also_printed": _also_printed(a, stories, link)} for a in group],
            # items begun on an earlier page and continued on this one (listed there)
            "continued": [{"id": a.id, "headline": a.headline, "url": link(urls.permalink(a)),
                           "from_page": a.page} for a in articles
                          if page and a.page and a.page < page and page in a.pages]})
    data = {"publication": articles[0].publication,
            "publication_url": link(urls.publication_path(pub)), "date": day.isoformat(),
            "year_url": link(urls.year_path(pub, day.year)), "articles": len(articles),
            "kinds": {k: n for k in KINDS if (n := sum(a.kind == k for a in articles))},
            "pages": pages,
            "prev_issue": before.isoformat() if before else None,
            "prev_issue_url": link(urls.issue_path(pub, before)) if before else None,
            "next_issue": after.isoformat() if after else None,
            "next_issue_url": link(urls.issue_path(pub, after)) if after else None}
    return _twin(fmt, "issue.html", data, urls.issue_path(pub, day, "json"))


def _also_printed(article: Article, stories: dict, link: Link) -> dict[str, Any] | None:
    """Where else a reprinted item was printed: the first few other printings and the
    link to all of them; None for an item printed once."""
    story = stories.get(article.cluster_id) if article.cluster_id else None
    others = story.others(article.id, ALSO_PRINTED) if story else ()
    if not others:
        return None
    return {"printings": story.size, "more": story.size - 1 - len(others),
            "others": [{**printing_record(p, link),
                        "same_publication": p.publication_slug == article.publication_slug}
                       for p in others],
            "url": link(urls.story(story.cluster_id))}


def _lead(article: Article, limit: int = 160) -> str:
    """The start of the first readable paragraph among the first few: not one that only
    repeats the headline (an item without one, a short ad or notice, is headlined by its
    first words), nor OCR debris ("' ' - . 11, 1 11111n1P"); '' when there is none."""
    for text in article.paragraphs[:LEAD_PARAGRAPHS]:
        if text.rstrip(" .…").casefold() == article.headline.rstrip(" .…").casefold() \
                or headlines.fault(" ".join(text.split()[:LEAD_WORDS]),
                                   rule=headlines.DEBRIS):
            continue
        if len(text) <= limit:
            return text
        return text[: text.rfind(" ", 0, limit) if " " in text[:limit] else limit] + " …"
    return ""


LEAD_PARAGRAPHS = 3  # a lead is looked for no further into the text
LEAD_WORDS = 12  # the words of a paragraph's opening that must read as words


@functools.lru_cache(maxsize=4)
def _named(counts: tuple[tuple[str, int], ...]) -> list[name_variants.Named]:
    """name_variants.group, once per index snapshot's values (tens of thousands of OCR
    readings take a second or two)."""
    return name_variants.group(counts)


@bp.get(urls.PLACES, defaults={"facet": "place", "fmt": ""})
@bp.get(urls.places("json"), defaults={"facet": "place", "fmt": "json"})
@bp.get(urls.AGENCIES, defaults={"facet": "agency", "fmt": ""})
@bp.get(urls.agencies("json"), defaults={"facet": "agency", "fmt": "json"})
def values(facet: str, fmt: str):
    """Every dateline place (or wire agency) with its article count, by count or by name."""
    link = urls.absolute if fmt else relative
    order = request.args.get(urls.SORT, "count")
    if order not in ("count", "name"):
        abort(400, description="Sort by count or by name")
    # A name's OCR readings ("Lpndon", "Iondon") are listed under it, and its link
    # searches them all (values of one facet combine with OR)
    named = _named(tuple((v.value, v.count) for v in library().facet(facet).values))
    key = ((lambda n: n.value.casefold()) if order == "name"
           else (lambda n: (-n.count, n.value.casefold())))
    items = [{"value": n.value, "count": n.count,
              "url": link(urls.search_for(filters=((facet, n.readings),))),
              "readings": [{"value": value, "count": count,
                            "url": link(urls.search_for(filters=((facet, (value,)),)))}
                           for value, count in n.variants]}
             for n in sorted(named, key=key)]
    title = "Dateline places" if facet == "place" else "Wire agencies"
    data = {"facet": facet, "title": title, "sort": order, "values": items,
            "readings": sum(1 + len(n.variants) for n in named)}
    json_path = urls.values_page(facet, "json", "" if order == "count" else order)
    return _twin(fmt, "values.html", data, json_path,
                 by_count_url=urls.values_page(facet),
                 by_name_url=urls.values_page(facet, order="name"))
