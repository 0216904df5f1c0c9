"""The date histogram: bars per year (or per month of the one selected year, or of the one
year every hit lies in), each a link that narrows the search to it; the same years in a few
wider spans for a phone; and the geometry of the server-rendered SVG (bars, axis labels, a
count scale)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import Any

from index.engine import SearchRequest, SearchResults
from web import urls
from web.facets import Link
from web.formatting import MONTHS

WIDTH, HEIGHT = 560, 150
TOP, BOTTOM = 18, 24  # room for count labels above the bars and axis labels below
SCALE = 44  # room on the left for the count scale, when the bars carry no counts
MAX_SLOT = 56  # a lone year should not become one huge slab
MAX_LABELS = 12
MAX_COUNTS = 16  # bars that can each carry their count; more get a scale instead
# Bars a 390 px phone shows as targets of 24 px or more (WCAG 2.5.8): more years than
# this are also drawn in spans of several years, which a phone shows instead.
PHONE_BARS = 12
SPAN_SIZES = (2, 5, 10, 20, 25, 50, 100)


def histogram(results: SearchResults, link: Link, fmt: str = "", noun: str = "article",
              base: SearchRequest | None = None) -> dict[str, Any]:
    """{unit, title, noun, bars: [{value, label, count, url, selected}], all_years_url,
    spans}; `noun` names what the bars count ("printing" where stories were printed more
    than once, so the chart does not read as a count of stories). The bars narrow `base`
    (default: the search counted), so a page that counts with a search of its own (the
    home page: one hit per page) links to an ordinary search. `spans` is the same years
    in at most PHONE_BARS wider bars, or None when the years fit."""
    heading = noun.capitalize() + "s"
    request = base or results.request

    def url(target: SearchRequest) -> str:
        return link(urls.search(target, fmt))

    counts = dict(results.histogram)
    years = request.selected("year")
    bars = []
    # months: of the one year chosen, or of the one year every hit lies in (the engine
    # counted months then: index.results.histogram)
    within = {value[:4] for value in counts if len(value) == 7} if not years else set()
    if len(years) == 1 or len(within) == 1:
        year = years[0] if years else within.pop()
        chosen = request.selected("month")
        for number, name in enumerate(MONTHS, 1):
            value = f"{year}-{number:02d}"
            count = counts.get(value, 0)
            selected = value in chosen
            target = urls.with_filters(request, "month", () if selected else (value,))
            bars.append({"value": value, "label": name[:3], "name": f"{name} {year}",
                         "count": count, "selected": selected,
                         "url": url(target) if count or selected else None})
        every_year = urls.with_filters(urls.with_filters(request, "year", ()), "month", ())
        return {"unit": "month", "title": f"{heading} per month, {year}", "bars": bars,
                "noun": noun, "all_years_url": url(every_year) if years else None,
                "spans": None}
    numbers = sorted(int(v) for v in counts if v.isdigit())
    span = range(numbers[0], numbers[-1] + 1) if numbers else range(0)
    # every year bar is the search without date facets plus its year: the arguments
    # around the year are encoded once (urls.toggler), not once per bar
    undated = urls.with_filters(urls.with_filters(request, "year", ()), "month", ())
    year_url = urls.toggler(undated, "year", fmt)
    for year_number in span:
        value = str(year_number)
        count = counts.get(value, 0)
        bars.append({"value": value, "label": value, "name": value, "count": count,
                     "selected": value in years, "url": link(year_url(value)) if count else None})
    all_url = url(urls.with_filters(request, "year", ())) if years else None
    return {"unit": "year", "title": f"{heading} per year", "bars": bars, "noun": noun,
            "all_years_url": all_url, "spans": spans(bars, undated, url, heading)}


def spans(bars: list[dict[str, Any]], undated: SearchRequest, url, heading: str
          ) -> dict[str, Any] | None:
    """The year bars grouped into the narrowest spans (2, 5, 10 ... years, aligned on
    round years) that make at most PHONE_BARS bars; each links to the search `undated`
    (without year and month filters) between the first and last day of its years. None
    when the years fit a phone as they are."""
    if len(bars) <= PHONE_BARS:
        return None
    first, last = int(bars[0]["value"]), int(bars[-1]["value"])
    size = next((s for s in SPAN_SIZES if last // s - first // s + 1 <= PHONE_BARS),
                SPAN_SIZES[-1])
    counts = {int(b["value"]): b["count"] for b in bars}
    grouped = []
    for start in range(first // size * size, last + 1, size):
        low, high = max(start, first), min(start + size - 1, last)
        count = sum(counts.get(y, 0) for y in range(low, high + 1))
        target = replace(undated, date_from=dt.date(low, 1, 1), date_to=dt.date(high, 12, 31))
        # the first year alone: a phone has room for four digits under each bar
        label = f"{start}s" if size == 10 else str(low)
        grouped.append({"value": f"{low}-{high}", "label": label, "name": f"{low}–{high}",
                        "count": count, "selected": False,
                        "url": url(target) if count else None})
    title = f"{heading} per decade" if size == 10 else f"{heading} per {size} years"
    return {"unit": "span", "size": size, "title": title, "bars": grouped}


def layout(data: dict[str, Any]) -> dict[str, Any]:
    """SVG geometry for the bars: positions, heights, which labels to print; a count
    scale (round counts with gridlines) when there are too many bars to print each
    count; `spans` the same for the phone's chart, if any."""
    bars = data["bars"]
    compact = layout(data["spans"]) if data.get("spans") else None
    if not bars:
        return {"width": WIDTH, "height": HEIGHT, "bars": [], "baseline": HEIGHT - BOTTOM,
                "ticks": [], "spans": compact}
    show_counts = len(bars) <= MAX_COUNTS
    left_edge = 0 if show_counts else SCALE
    room_x = WIDTH - left_edge
    slot = min(room_x / len(bars), MAX_SLOT)
    left = left_edge + (room_x - slot * len(bars)) / 2
    room = HEIGHT - TOP - BOTTOM
    peak = max(b["count"] for b in bars) or 1
    baseline = HEIGHT - BOTTOM
    ticks = [] if show_counts else [
        {"value": value, "y": round(baseline - value / peak * room, 1)}
        for value in _round_counts(peak)]
    every = -(-len(bars) // MAX_LABELS)  # print every n-th axis label
    shapes = []
    for i, bar in enumerate(bars):
        height = bar["count"] / peak * room
        if bar["count"]:
            height = max(height, 2.0)
        x = left + i * slot
        shapes.append({**bar, "x": round(x + slot * 0.1, 1), "width": round(slot * 0.8, 1),
                       "y": round(baseline - height, 1), "height": round(height, 1),
                       "hit_y": TOP, "hit_height": room,  # the whole column is clickable
                       "slot_x": round(x, 1), "slot_width": round(slot, 1),
                       "center": round(x + slot / 2, 1),
                       "show_label": i % every == 0 or bar["selected"],
                       "show_count": show_counts and bar["count"] > 0})
    return {"width": WIDTH, "height": HEIGHT, "bars": shapes, "baseline": baseline,
            "label_y": HEIGHT - 6, "ticks": ticks, "scale_x": left_edge - 6,
            "spans": compact}


def _round_counts(peak: int) -> list[int]:
    """Two or three round counts (1, 2 or 5 times a power of ten) up to the peak."""
    rough = max(peak / 3, 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(f * power for f in (1, 2, 5, 10) if f * power >= rough)
    return list(range(step, peak + 1, step))
