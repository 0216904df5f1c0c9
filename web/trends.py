"""Terms over time: for each of a few searches, the share of the archive's articles that match
it, year by year (or month by month within one year), normalised by how many articles each
period holds. Counts come from the same search and histogram every search page uses, so a
point means exactly what its link (that period's results) shows."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from index.describe import describe_request
from index.engine import SearchRequest, SearchResults
from web import urls
from web.facets import Link
from web.formatting import MONTHS

MAX_QUERIES = 6  # lines on one chart a reader can still tell apart
# One mark and one dash pattern per line, so lines differ by more than their colour.
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "bar")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 14, 36
MAX_LABELS = 12
FEW = 30  # a period with fewer articles than this gives a rough share (drawn hollow)

Search = Callable[[SearchRequest], SearchResults]


def counting(request: SearchRequest, q: str) -> SearchRequest:
    """The request whose histogram counts `q` under the request's filters: no hits needed,
    nor any facet but the dates."""
    return replace(request, q=q, page=1, page_size=1, snippets=False, facet_limit=1,
                   sort="relevance", collapse=False, cluster=None)


def trends(queries: Sequence[str], request: SearchRequest, search: Search,
           link: Link, fmt: str = "") -> dict[str, Any]:
    """{unit, base, periods: [{value, label, name, total, url}], series: [{q, description,
    total, url, points: [{period, name, count, total, share, url}]}]}: `request` holds the
    filters and dates every count is made under (the base, e.g. one agency), `search` the
    library's search; a point's url opens that period's results for its query."""
    base_results = search(counting(request, ""))
    periods = _periods(base_results)
    unit = "month" if len(request.selected("year")) == 1 else "year"
    totals = dict(base_results.histogram)

    def narrowed(q: str, period: str) -> SearchRequest:
        chosen = replace(request, q=q, page=1)
        if unit == "month":
            return urls.with_filters(chosen, "month", (period,))
        return urls.with_filters(urls.with_filters(chosen, "year", (period,)), "month", ())

    series = []
    for q in queries:
        found = search(counting(request, q))
        counts = dict(found.histogram)
        points = []
        for period in periods:
            count, total = counts.get(period["value"], 0), totals.get(period["value"], 0)
            points.append({"period": period["value"], "name": period["name"],
                           "count": count, "total": total, "few": 0 < total < FEW,
                           "share": count / total if total else None,
                           "url": link(urls.search(narrowed(q, period["value"]), fmt))
                           if count else None})
        series.append({"q": q, "description": found.description, "total": found.total,
                       "url": link(urls.search(replace(request, q=q, page=1), fmt)),
                       "points": points})
    for period in periods:
        period["total"] = totals.get(period["value"], 0)
        period["few"] = 0 < period["total"] < FEW
        period["url"] = link(urls.search(narrowed("", period["value"]), fmt))
    return {"unit": unit, "base": describe_request(counting(request, "")),
            "base_total": base_results.total, "few": FEW, "periods": periods,
            "series": series}


def _periods(results: SearchResults) -> list[dict[str, Any]]:
    """Every year from the first to the last the archive (under the filters) holds (or
    the years chosen), or the twelve months of the one selected year."""
    counts = dict(results.histogram)
    years = results.request.selected("year")
    if len(years) == 1:
        return [{"value": f"{years[0]}-{n:02d}", "label": name[:3],
                 "name": f"{name} {years[0]}"} for n, name in enumerate(MONTHS, 1)]
    # several chosen years: those (a year's own count ignores the year filter)
    numbers = sorted(int(v) for v in (years or counts) if v.isdigit())
    if not numbers:
        return []
    return [{"value": str(y), "label": str(y), "name": str(y)}
            for y in range(numbers[0], numbers[-1] + 1)]


def percent(share: float | None) -> str:
    """A share as the chart and table print it: '12%', '3.4%', '0.05%', '–' for none."""
    if share is None:
        return "–"
    value = share * 100
    if value == 0 or value >= 10:
        return f"{value:.0f}%"
    digits = max(1, -math.floor(math.log10(value)) + 1)
    return f"{value:.{digits}f}%"


def layout(data: dict[str, Any]) -> dict[str, Any]:
    """SVG geometry: x per period, y per share, a round scale, one path per series and a
    mark per point (the link to that period's results)."""
    periods, series = data["periods"], data["series"]
    shares = [p["share"] for s in series for p in s["points"] if p["share"] is not None]
    peak = max(shares, default=0) or 0.01
    scale = _scale(peak)
    top_value = scale[-1] if scale else peak
    room_x, room_y = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = room_x / max(1, len(periods) - 1) if len(periods) > 1 else 0
    xs = [round(LEFT + (i * step if len(periods) > 1 else room_x / 2), 1)
          for i in range(len(periods))]

    def y(share: float) -> float:
        return round(TOP + room_y - share / top_value * room_y, 1)

    every = -(-len(periods) // MAX_LABELS) or 1
    lines = []
    for number, line in enumerate(series):
        points, runs, run = [], [], []
        for x, point in zip(xs, line["points"], strict=True):
            if point["share"] is None:  # a period without articles: a gap in the line
                runs.append(run)
                run = []
                continue
            at = {**point, "x": x, "y": y(point["share"]), "label": percent(point["share"])}
            points.append(at)
            run.append(f"{x},{at['y']}")
        runs.append(run)
        lines.append({"number": number, "q": line["q"], "marker": MARKERS[number],
                      "dash": DASHES[number], "points": points,
                      "paths": [" ".join(r) for r in runs if len(r) > 1]})
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "baseline": TOP + room_y, "label_y": HEIGHT - 6,
            "ticks": [{"value": percent(v), "y": y(v)} for v in scale],
            "periods": [{**p, "x": x, "show_label": i % every == 0}
                        for i, (p, x) in enumerate(zip(periods, xs, strict=True))],
            "lines": lines}


def _scale(peak: float) -> list[float]:
    """Three to five round shares (1, 2 or 5 times a power of ten) from 0 past the peak."""
    rough = peak / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(f * power for f in (1, 2, 5, 10) if f * power >= rough)
    count = math.ceil(peak / step - 1e-9)
    return [round(step * i, 12) for i in range(0, count + 1)]
