"""Facets and active filters as the page shows them: each value with its count, whether it is
selected and the URL that toggles it; each active filter as a chip with a remove URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from archive import name_variants
from index.engine import Facet, SearchRequest, SearchResults
from web import urls
from web.formatting import FACET_LABELS, long_date, value_label

Link = Callable[[str], str]  # path -> URL (relative for HTML, absolute for JSON)
# facets of names, whose OCR readings (and spellings: "A LA CHAMBRE", "A la Chambre") are
# listed under them
NAMED = ("place", "agency", "section")
GROUPED_MAX = 1000  # values of one facet grouped at most (the most a request may ask for)


def facets(results: SearchResults, link: Link, fmt: str = "") -> dict[str, dict[str, Any]]:
    """name -> {label, combine, choice, values: [{value, label, count, selected, adds,
    toggle_url}], more_url, fewer_url, all_url}; the URLs are of format `fmt` (the JSON
    twin links to JSON). Selected values come first. `combine` says what choosing another
    value does: "or" adds its articles (a count beside it is how many it adds, `adds`),
    "replace" swaps it for the selection. `choice` is False for a facet whose one value
    every result has: choosing it would change nothing. Months are listed within the
    chosen years only (_offered)."""
    request = results.request
    shown: dict[str, dict[str, Any]] = {}
    for facet in (_offered(f, request) for f in results.facets):
        if not facet.values:
            continue
        single = facet.name in urls.SINGLE_CHOICE
        toggle = (urls.chooser if single else urls.toggler)(request, facet.name, fmt)
        anchor = f"facet-{facet.name}"
        chosen = any(v.selected for v in facet.values)
        values = _named(facet, request, link, fmt, chosen) if facet.name in NAMED else None
        if values is None:
            values = [{"value": v.value, "label": value_label(facet.name, v.value),
                       "count": v.count, "selected": v.selected,
                       "adds": chosen and not single and not v.selected,
                       "toggle_url": link(toggle(v.value))}  # stable: selected first
                      for v in sorted(facet.values, key=lambda v: not v.selected)]
        more_url = fewer_url = all_url = None
        limit = request.facet_limit
        if len(facet.values) < facet.total_values:
            if limit and limit < urls.MORE_FACETS:
                wider = replace(request, facet_limit=urls.MORE_FACETS)
                more_url = link(urls.search(wider, fmt, anchor="" if fmt else anchor))
            elif facet.name in ("place", "agency"):
                all_url = link(urls.values_page(facet.name, fmt))
        # "fewer" only from a longer list than the default one, never to a longer one
        if (limit == 0 or limit > urls.DEFAULT_FACET_LIMIT) \
                and len(facet.values) > urls.DEFAULT_FACET_LIMIT:
            narrower = replace(request, facet_limit=urls.DEFAULT_FACET_LIMIT)
            fewer_url = link(urls.search(narrower, fmt, anchor="" if fmt else anchor))
        lone = facet.values[0] if len(facet.values) == 1 else None
        shown[facet.name] = {"label": FACET_LABELS.get(facet.name, facet.name.title()),
                             "total_values": facet.total_values, "values": values,
                             "combine": "replace" if single else "or",
                             "choice": not (lone and not lone.selected
                                            and lone.count >= results.total),
                             "more_url": more_url, "fewer_url": fewer_url,
                             "all_url": all_url}
    return shown


def _named(facet: Facet, request: SearchRequest, link: Link, fmt: str,
           chosen: bool) -> list[dict[str, Any]] | None:
    """The values of a facet of names with the OCR readings among them under their name
    (archive.name_variants, as the Places page lists them: "Tokio" with "Toklo"): a name
    counts its readings' articles, and choosing it chooses its readings. None when no
    value shown is another's reading (the values as they are), or when the facet lists
    more than GROUPED_MAX values (every value of a large archive: grouping tens of
    thousands of readings takes seconds, the Places page's work)."""
    if len(facet.values) > GROUPED_MAX:
        return None
    named = name_variants.group((v.value, v.count) for v in facet.values)
    if all(not n.variants for n in named):
        return None
    selected = {v.value for v in facet.values if v.selected}
    selection = request.selected(facet.name)
    values = []
    for n in named:
        on = bool(selected.intersection(n.readings))
        picked = tuple(v for v in selection if v not in n.readings) if on \
            else (*selection, *n.readings)
        values.append({"value": n.value, "label": value_label(facet.name, n.value),
                       "count": n.count, "selected": on, "adds": chosen and not on,
                       "toggle_url": link(urls.search(
                           urls.with_filters(request, facet.name, picked), fmt)),
                       "readings": list(n.readings[1:])})
    return sorted(values, key=lambda v: not v["selected"])


def _offered(facet: Facet, request: SearchRequest) -> Facet:
    """The facet as offered: the months are those of the chosen years (and any chosen
    month), as the chart shows them. Every month of a long archive (600 of them over 50
    years, each with its link) was most of a search's answer and of the time it took;
    a reader counts by month within a year, as on the chart."""
    if facet.name != "month":
        return facet
    years = set(request.selected("year"))
    values = tuple(v for v in facet.values if v.selected or v.value[:4] in years)
    return replace(facet, values=values, total_values=len(values))


def chips(request: SearchRequest, link: Link, fmt: str = "",
          story: str | None = None) -> list[dict[str, str]]:
    """Every active filter with the URL of the same search without it; `story` names the
    story whose printings the search is limited to (its first printing's headline)."""
    found = []
    if request.cluster:
        title = f"“{story}”" if story else "one story"
        found.append({"facet": "cluster", "value": request.cluster,
                      "label": f"Printings of {title}",
                      "remove_url": link(urls.search(replace(
                          request, cluster=None, page=1, collapse=True), fmt))})
    for name, values in request.filters:
        for value in values:
            found.append({"facet": name, "value": value,
                          "label": f"{FACET_LABELS.get(name, name)}: {value_label(name, value)}",
                          "remove_url": link(urls.toggle(request, name, value, fmt))})
    def without(**change: object) -> str:
        return link(urls.search(replace(request, page=1, **change), fmt))

    if request.date_from:
        found.append({"facet": "from", "value": request.date_from.isoformat(),
                      "label": f"From {long_date(request.date_from)}",
                      "remove_url": without(date_from=None)})
    if request.date_to:
        found.append({"facet": "to", "value": request.date_to.isoformat(),
                      "label": f"To {long_date(request.date_to)}",
                      "remove_url": without(date_to=None)})
    if request.month_day:
        month, day = request.month_day
        label = long_date(f"2000-{month:02d}-{day:02d}").removesuffix(" 2000")
        found.append({"facet": "on", "value": f"{month:02d}-{day:02d}",
                      "label": f"On {label} (any year)", "remove_url": without(month_day=None)})
    return found


def clear_filters(request: SearchRequest) -> SearchRequest:
    """The same words, sort and page size, without any filter."""
    return replace(request, filters=(), date_from=None, date_to=None, month_day=None,
                   cluster=None, page=1)
