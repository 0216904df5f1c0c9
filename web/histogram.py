"""The date histogram: bars per year (or per month of the one selected year), each a link that
narrows the search to it, and the geometry of the server-rendered SVG."""

from __future__ import annotations

from typing import Any

from index.engine import SearchResults
from web import urls
from web.facets import Link
from web.formatting import MONTHS

WIDTH, HEIGHT = 560, 150
TOP, BOTTOM = 18, 24  # room for count labels above the bars and axis labels below
MAX_SLOT = 56  # a lone year should not become one huge slab
MAX_LABELS = 12


def histogram(results: SearchResults, link: Link, fmt: str = "",
              noun: str = "article") -> dict[str, Any]:
    """{unit, title, noun, bars: [{value, label, count, url, selected}], all_years_url};
    `noun` names what the bars count ("printing" where stories were printed more than
    once, so the chart does not read as a count of stories)."""
    heading = noun.capitalize() + "s"
    request = results.request
    counts = dict(results.histogram)
    years = request.selected("year")
    bars = []
    if len(years) == 1:
        year = years[0]
        chosen = request.selected("month")
        for number, name in enumerate(MONTHS, 1):
            value = f"{year}-{number:02d}"
            count = counts.get(value, 0)
            selected = value in chosen
            target = urls.with_filters(request, "month", () if selected else (value,))
            bars.append({"value": value, "label": name[:3], "name": f"{name} {year}",
                         "count": count, "selected": selected,
                         "url": link(urls.search(target, fmt)) if count or selected else None})
        every_year = urls.with_filters(urls.with_filters(request, "year", ()), "month", ())
        return {"unit": "month", "title": f"{heading} per month, {year}", "bars": bars,
                "noun": noun, "all_years_url": link(urls.search(every_year, fmt))}
    numbers = sorted(int(v) for v in counts if v.isdigit())
    span = range(numbers[0], numbers[-1] + 1) if numbers else range(0)
    for year_number in span:
        value = str(year_number)
        count = counts.get(value, 0)
        target = urls.with_filters(urls.with_filters(request, "year", (value,)), "month", ())
        bars.append({"value": value, "label": value, "name": value, "count": count,
                     "selected": value in years,
                     "url": link(urls.search(target, fmt)) if count else None})
    all_url = None
    if years:
        all_url = link(urls.search(urls.with_filters(request, "year", ()), fmt))
    return {"unit": "year", "title": f"{heading} per year", "bars": bars, "noun": noun,
            "all_years_url": all_url}


def layout(data: dict[str, Any]) -> dict[str, Any]:
    """SVG geometry for the bars: positions, heights, which labels to print."""
    bars = data["bars"]
    if not bars:
        return {"width": WIDTH, "height": HEIGHT, "bars": [], "baseline": HEIGHT - BOTTOM}
    slot = min(WIDTH / len(bars), MAX_SLOT)
    left = (WIDTH - slot * len(bars)) / 2
    room = HEIGHT - TOP - BOTTOM
    peak = max(b["count"] for b in bars) or 1
    every = -(-len(bars) // MAX_LABELS)  # print every n-th axis label
    show_counts = len(bars) <= 16
    shapes = []
    for i, bar in enumerate(bars):
        height = bar["count"] / peak * room
        if bar["count"]:
            height = max(height, 2.0)
        x = left + i * slot
        shapes.append({**bar, "x": round(x + slot * 0.1, 1), "width": round(slot * 0.8, 1),
                       "y": round(HEIGHT - BOTTOM - height, 1), "height": round(height, 1),
                       "hit_y": TOP, "hit_height": room,  # the whole column is clickable
                       "slot_x": round(x, 1), "slot_width": round(slot, 1),
                       "center": round(x + slot / 2, 1),
                       "show_label": i % every == 0 or bar["selected"],
                       "show_count": show_counts and bar["count"] > 0})
    return {"width": WIDTH, "height": HEIGHT, "bars": shapes, "baseline": HEIGHT - BOTTOM,
            "label_y": HEIGHT - 6}
