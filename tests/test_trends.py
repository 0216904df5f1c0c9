"""Terms over time (/trends): each search's share of the articles, period by period, from the
very counts the search page shows; the chart, its table and the CSV and JSON twins agree."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pytest
from web_helpers import args_of, soup

from web.trends import _scale, percent


def printings(client, **args) -> int:
    """What the search page counts (every printing: the chart counts articles)."""
    return client.get("/search.json", query_string=args).get_json()["printings"]


@pytest.mark.parametrize("share, shown", [(None, "–"), (0, "0%"), (0.5, "50%"),
                                          (0.123, "12%"), (0.0345, "3.5%"),
                                          (0.000512, "0.051%")])
def test_percent(share, shown):
    assert percent(share) == shown


@pytest.mark.parametrize("peak, ticks", [(0.62, [0, 0.2, 0.4, 0.6, 0.8]),
                                         (0.031, [0, 0.01, 0.02, 0.03, 0.04]),
                                         (1.0, [0, 0.5, 1.0])])
def test_scale_is_round_and_reaches_the_peak(peak, ticks):
    assert _scale(peak) == pytest.approx(ticks)


def test_shares_are_the_search_pages_counts_divided_by_the_years(client):
    data = client.get("/trends.json?q=oil&q=bombers").get_json()
    assert data["queries"] == ["oil", "bombers"] and data["unit"] == "year"
    years = [p["value"] for p in data["periods"]]
    assert years == [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    for period in data["periods"]:
        assert period["total"] == printings(client, year=period["value"])
    oil = data["series"][0]
    assert oil["total"] == printings(client, q="oil")
    for point in oil["points"]:
        count = printings(client, q="oil", year=point["period"])
        assert point["count"] == count
        total = point["total"]
        assert point["share"] == (count / total if total else None)
        if count:  # a point opens that year's results
            assert args_of(point["url"]) == {"q": ["oil"], "year": [point["period"]]}
        else:
            assert point["url"] is None
    assert sum(p["count"] for p in oil["points"]) <= oil["total"]  # undated ones aside


def test_the_page_draws_every_point_as_a_link_and_tabulates_it(client):
    response = client.get("/trends?q=oil&q=bombers")
    assert response.status_code == 200
    page = soup(response)
    svg = page.select_one("svg.trend-lines")
    assert svg["role"] == "group" and svg["aria-labelledby"] == "trends-title"
    data = client.get("/trends.json?q=oil&q=bombers").get_json()
    linked = [p for s in data["series"] for p in s["points"] if p["url"]]
    links = svg.select("a")
    assert len(links) == len(linked)
    first = links[0]
    assert first.title.get_text().startswith("oil, ") and "% (" in first.title.get_text()
    assert client.get(first["href"]).status_code == 200
    table = page.select_one("table.trends-table")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == \
        ["Year", "Articles", "oil", "bombers"]
    assert len(table.select("tbody tr")) == len(data["periods"])
    assert [i["value"] for i in page.select("input[name=q]") if i.get("value")] == \
        ["oil", "bombers"]


def test_the_csv_twin_holds_the_table(client):
    response = client.get("/trends.csv?q=oil&q=bombers")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["year", "articles", "oil (articles)", "oil (share)",
                       "bombers (articles)", "bombers (share)"]
    data = client.get("/trends.json?q=oil&q=bombers").get_json()
    assert len(rows) == 1 + len(data["periods"])
    for row, period, point in zip(rows[1:], data["periods"], data["series"][0]["points"],
                                  strict=True):
        assert row[0] == period["value"] and int(row[1]) == period["total"]
        assert int(row[2]) == point["count"]


def test_filters_narrow_the_base_and_one_year_gives_months(client):
    vienna = client.get("/trends.json?q=oil&place=Vienna").get_json()
    assert "datelined Vienna" in vienna["base"]
    assert vienna["base_total"] == printings(client, place="Vienna")
    months = client.get("/trends.json?q=oil&year=2017").get_json()
    assert months["unit"] == "month"
    assert [p["value"] for p in months["periods"]][:2] == ["2017-01", "2017-02"]
    november = next(p for p in months["series"][0]["points"] if p["period"] == "2017-11")
    assert november["count"] == printings(client, q="oil", month="2017-11", year="2017")


def test_queries_that_cannot_be_counted_are_named(client):
    response = client.get("/trends?q=oil&q=of+the")
    assert response.status_code == 400
    assert "In “of the”: “of” and “the” are too common" in \
        soup(response).select_one(".alert").get_text()
    assert client.get("/trends.json?q=oil+AND").status_code == 400
    many = client.get("/trends", query_string={"q": [f"w{n}" for n in range(7)]})
    assert many.status_code == 400 and "at most 6" in many.get_data(as_text=True)


def test_without_a_search_the_page_offers_examples(client):
    page = soup(client.get("/trends"))
    examples = [a["href"] for a in page.select(".trends-examples a")]
    assert examples and all(args_of(e)["q"] for e in examples)
    assert client.get("/trends.json").status_code == 400


def test_a_search_links_to_its_trend(client):
    page = soup(client.get("/search?q=oil&place=Vienna"))
    link = page.select_one(".trends-link a")["href"]
    assert urlsplit(link).path == "/trends"
    assert args_of(link) == {"q": ["oil"], "place": ["Vienna"]}


@pytest.mark.parametrize(("q", "label"), [("oil", "“oil” over time"),
                                          ('"oil prices"', '"oil prices" over time')])
def test_the_link_to_a_trend_quotes_the_search_once(client, q, label):
    page = soup(client.get("/search", query_string={"q": q}))
    assert page.select_one(".trends-link a").get_text() == label
