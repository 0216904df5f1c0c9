"""HTTP tests of the web app (Flask test client) over an archive built by the real CLI."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner
from conftest import PAYLOAD, ROOT, seed_page, served
from web_helpers import local, soup
from werkzeug.datastructures import MultiDict

from index.engine import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from index.query import FIELDS, MAX_QUERY_LENGTH
from web import create_app, urls
from web.cli import main
from web.resources import close_library, library
from web.state import parse_search

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BOMBERS = "/arab-times/2017-11-04/russian-bombers-strike-0591daa31e62"
REFINERY_TITLE = "Oil refinery reopens after maintenance"


def search_json(client, **args) -> dict:
    response = client.get("/search.json", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def first_article(client, q: str) -> str:
    """The permalink (path) of the best hit of a search."""
    return local(search_json(client, q=q)["items"][0]["url"])


# --- app and config -------------------------------------------------------------------


def test_config_order_defaults_env_then_test_config(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSARCHIVE_MAX_PAGE_SIZE", "7")
    monkeypatch.setenv("NEWSARCHIVE_SITE_NAME", "Env Archive")
    app = create_app({"SITE_NAME": "Test Archive", "DATA_DIR": tmp_path})
    assert app.config["MAX_PAGE_SIZE"] == 7  # env beats the defaults
    assert app.config["SITE_NAME"] == "Test Archive"  # test config beats env
    assert app.config["DATA_DIR"] == str(tmp_path)


def test_data_dir_defaults_to_the_instance_folder(monkeypatch):
    monkeypatch.delenv("NEWSARCHIVE_DATA_DIR", raising=False)
    app = create_app()
    assert app.config["DATA_DIR"] == app.instance_path
    from web.config import data_dir_default

    assert Path(app.instance_path) == data_dir_default()


def test_one_library_per_app_reused_and_closed(app):
    with app.app_context():
        first = library()
        assert library() is first
    client = app.test_client()
    client.get("/")
    client.get("/")
    with app.app_context():
        assert library() is first


# --- search page ------------------------------------------------------------------------


def test_search_page_shows_results_with_highlights_and_metadata(client):
    response = client.get("/search?q=oil")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("label[for=q]") is not None
    assert page.select_one("#q")["value"] == "oil"
    assert "articles matching “oil”" in page.select_one(".result-count").get_text()
    results = page.select(".result")
    assert results
    titles = [r.select_one(".result-title").get_text() for r in results]
    assert REFINERY_TITLE in titles
    refinery = results[titles.index(REFINERY_TITLE)]
    assert refinery.select_one(".result-title mark").get_text().lower() == "oil"
    assert refinery.select_one(".snippet mark") is not None
    meta = refinery.select_one(".meta").get_text(" ")
    assert "1 Jul 2019" in meta and "Ahmadi" in meta and "KUNA" in meta
    assert "Matched in" in refinery.select_one(".matched").get_text()
    link = refinery.select_one(".result-title a")["href"]
    assert "q=oil" in link and f"{urls.HIT}=" in link


def test_search_headers_noindex_csp(client):
    for path in ("/search?q=oil", "/search.json?q=oil", "/search.atom", "/search.csv"):
        response = client.get(path)
        assert response.headers["X-Robots-Tag"] == "noindex", path
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert "script-src" not in response.headers["Content-Security-Policy"]
    home = client.get("/")
    assert "X-Robots-Tag" not in home.headers
    assert home.headers["X-Content-Type-Options"] == "nosniff"


def test_empty_search_lists_everything(client, app):
    data = search_json(client)
    with app.app_context():
        assert data["total"] == library().count()
    assert data["description"] == "all articles"


def test_search_json_shape(client):
    response = client.get("/search.json?q=oil&_size=2")
    data = response.get_json()
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    for key in ("total", "page", "page_size", "description", "items", "facets", "next",
                "prev", "suggestion", "stories", "printings", "collapse",
                "each_story_url", "every_printing_url"):
        assert key in data
    assert data["collapse"] is True and data["total"] == data["stories"] <= data["printings"]
    assert {"cluster_id", "cluster_size", "cluster_matches", "story"} <= set(data["items"][0])
    assert data["page"] == 1 and data["page_size"] == 2 and data["total"] > 2
    assert data["prev"] is None
    assert data["next"].startswith("http://localhost/search.json?")
    assert response.headers["Link"] == f'<{data["next"]}>; rel="next"'
    item = data["items"][0]
    assert item["url"].startswith("http://localhost/arab-times/")
    assert client.get(local(item["url"])).status_code == 200
    place = data["facets"]["place"]["values"][0]
    assert set(place) >= {"value", "count", "selected", "toggle_url"}
    assert place["toggle_url"].startswith("http://localhost/search.json?")
    second = client.get(local(data["next"]))
    assert second.get_json()["page"] == 2
    assert 'rel="prev"' in second.headers["Link"]


def test_facet_toggle_urls_add_and_remove(client):
    data = search_json(client, q="oil")
    value = next(v for v in data["facets"]["place"]["values"] if v["value"] == "Vienna")
    narrowed = client.get(local(value["toggle_url"])).get_json()
    assert narrowed["total"] == value["count"] == 1
    selected = next(v for v in narrowed["facets"]["place"]["values"] if v["value"] == "Vienna")
    assert selected["selected"] is True
    assert narrowed["filters"][0]["label"] == "Dateline place: Vienna"
    widened = client.get(local(selected["toggle_url"])).get_json()
    assert widened["total"] == data["total"]
    assert client.get(local(narrowed["filters"][0]["remove_url"])).get_json()["total"] \
        == data["total"]


def test_facet_values_of_one_facet_combine_with_or(client):
    both = search_json(client, place=["Vienna", "Ahmadi"])
    assert both["total"] == 2
    assert {c["value"] for c in both["filters"]} == {"Vienna", "Ahmadi"}


def test_facet_more_link_uses_facet_limit(client):
    data = search_json(client, **{urls.FACET_LIMIT: 2})
    place = data["facets"]["place"]
    assert len(place["values"]) == 2 and place["total_values"] > 2
    assert f"{urls.FACET_LIMIT}={urls.MORE_FACETS}" in place["more_url"]
    more = client.get(local(place["more_url"])).get_json()["facets"]["place"]
    assert len(more["values"]) == place["total_values"]
    html = soup(client.get(f"/search?{urls.FACET_LIMIT}=2"))
    assert html.select_one("#facet-place a.more") is not None


def test_month_facet_lists_the_months_of_the_chosen_years(client):
    everything = search_json(client)
    years = [v["value"] for v in everything["facets"]["year"]["values"]]
    assert len(years) >= 2 and "month" not in everything["facets"]  # no year: no months
    year = years[0]
    months = search_json(client, year=year)["facets"]["month"]
    assert months["values"] and {v["value"][:4] for v in months["values"]} == {year}
    assert sum(v["count"] for v in months["values"]) == \
        everything["facets"]["year"]["values"][0]["count"]
    assert months["total_values"] == len(months["values"])
    # a month chosen without its year is still listed, selected, with its way out
    other = next(v["value"] for v in search_json(client, year=years[1])["facets"]["month"][
        "values"])
    chosen = search_json(client, month=other)["facets"]["month"]["values"]
    assert [(v["value"], v["selected"]) for v in chosen] == [(other, True)]
    assert search_json(client, year=year, month=other)["facets"]["month"]["values"][0][
        "value"] == other  # selected first, then the chosen year's months


def test_histogram_years_drill_into_months(client):
    page = soup(client.get("/search"))
    bars = page.select("svg.chart a")
    labels = [a.title.get_text() for a in bars]
    assert "2017: 6 articles" in labels
    year_link = next(a["href"] for a in bars if a.title.get_text().startswith("2017:"))
    assert "year=2017" in year_link
    months_page = soup(client.get(year_link))
    month_bars = months_page.select("svg.chart a")
    assert [a.title.get_text() for a in month_bars] == ["November 2017: 6 articles"]
    assert months_page.select_one(".histogram figcaption a").get_text() == "All years"
    month = client.get(month_bars[0]["href"])
    data = client.get(month.request.full_path.replace("/search?", "/search.json?", 1))
    assert {i["date"][:7] for i in data.get_json()["items"]} == {"2017-11"}
    assert "2017-11" in month_bars[0]["href"]


def test_date_range_and_on_this_day_filters(client):
    ranged = search_json(client, **{urls.FROM: "2016-01-01", urls.TO: "2017"})
    assert ranged["total"] > 0
    assert all("2016-01-01" <= i["date"] <= "2017-12-31" for i in ranged["items"])
    assert [c["label"] for c in ranged["filters"]] == ["From 1 January 2016",
                                                       "To 31 December 2017"]
    on = search_json(client, **{urls.ON_MONTH: "11", urls.ON_DAY: "4"})
    assert {i["date"] for i in on["items"]} == {"2016-11-04", "2017-11-04", "2018-11-04"}
    assert on["filters"][0]["label"] == "On 4 November (any year)"
    assert "on 4 November in any year" in on["description"]


def test_sort_orders_by_date(client):
    newest = [i["date"] for i in search_json(client, q="oil", _sort="newest")["items"]]
    oldest = [i["date"] for i in search_json(client, q="oil", _sort="oldest")["items"]]
    dated_new = [d for d in newest if d]
    assert dated_new == sorted(dated_new, reverse=True)
    assert [d for d in oldest if d] == sorted(d for d in oldest if d)


def test_pagination_links_and_past_the_end(client):
    page = soup(client.get("/search?_size=2"))
    nav = page.select_one("nav.pagination")
    assert nav.select_one("[aria-current=page]").get_text(strip=True).endswith("1")
    assert "_page=2" in nav.select_one("a[rel=next]")["href"]
    total = search_json(client, _size=2)["total"]
    last = -(-total // 2)
    assert client.get(f"/search?_size=2&_page={last}").status_code == 200
    past = client.get(f"/search?_size=2&_page={last + 1}")
    assert past.status_code == 404
    assert "no such page" in soup(past).get_text()
    assert client.get(f"/search.json?_size=2&_page={last + 1}").status_code == 404


def test_page_size_choices_and_sort_links(client):
    page = soup(client.get("/search?q=oil"))
    sizes = [a.get_text() for a in page.select("nav[aria-label='Results per page'] a")]
    assert sizes == ["10", "20", "50", "100"]
    current = page.select_one("nav[aria-label='Sort order'] a[aria-current]")
    assert current.get_text() == "Best match"


@pytest.mark.parametrize("args, labels, current", [
    ("", ["Newest first", "Oldest first"], "Newest first"),
    ("place=Vienna", ["Newest first", "Oldest first"], "Newest first"),
    ("_sort=oldest", ["Newest first", "Oldest first"], "Oldest first"),
    ("q=oil&_sort=newest", ["Best match", "Newest first", "Oldest first"], "Newest first"),
])
def test_a_listing_without_words_offers_only_date_orders(client, args, labels, current):
    page = soup(client.get(f"/search?{args}"))
    nav = page.select_one("nav[aria-label='Sort order']")
    assert [a.get_text() for a in nav.select("a")] == labels
    assert nav.select_one("a[aria-current]").get_text() == current


def test_did_you_mean_is_a_link(client):
    page = soup(client.get("/search?q=refinary"))
    link = page.select_one(".suggestion a")
    assert link.get_text() == "refinery"
    assert client.get(link["href"]).status_code == 200
    assert search_json(client, q="refinary")["suggestion_url"].endswith("q=refinery")


@pytest.mark.parametrize("args, message", [
    ({"q": "oil AND"}, "needs a search term on both sides"),
    ({"q": "foo:bar"}, "Unknown field"),
    ({"q": "x" * (MAX_QUERY_LENGTH + 1)}, "too long"),
    ({urls.SIZE: str(MAX_PAGE_SIZE + 1)}, "page size must be between"),
    ({urls.SIZE: "0"}, "page size must be between"),
    ({urls.PAGE: "0"}, "page must be between"),
    ({urls.PAGE: "abc"}, "whole number"),
    ({urls.PAGE: "100000"}, "page must be between"),
    ({urls.SORT: "random"}, "Sort must be one of"),
    ({urls.FROM: "2017-02-30"}, "not a valid"),
    ({urls.FROM: "2018", urls.TO: "2017"}, "ends"),
    ({urls.ON_MONTH: "2"}, "needs both a month and a day"),
    ({urls.ON_MONTH: "2", urls.ON_DAY: "30"}, "not a day of the year"),
    ({"year": "17"}, "not a valid year"),
])
def test_bad_requests_are_400_with_the_message_on_the_page(client, args, message):
    response = client.get("/search", query_string=args)
    assert response.status_code == 400
    alert = soup(response).select_one("#search-errors")
    assert message in alert.get_text()
    as_json = client.get("/search.json", query_string=args)
    assert as_json.status_code == 400
    assert message in as_json.get_json()["error"]


def test_bad_query_keeps_the_query_in_the_box_and_marks_the_spot(client):
    page = soup(client.get("/search?q=oil+AND&place=Moscow"))
    assert page.select_one("#q")["value"] == "oil AND"
    assert page.select_one("#q")["aria-invalid"] == "true"
    assert page.select_one(".error-at mark").get_text() == "AND"
    assert ("place", "Moscow") in [(i["name"], i["value"])
                                   for i in page.select("input[type=hidden]")]


def test_form_keeps_filters_and_controls_as_hidden_fields(client):
    page = soup(client.get("/search?q=oil&place=Vienna&_sort=newest&_size=10&from=2015"))
    hidden = [(i["name"], i["value"]) for i in page.select("form input[type=hidden]")]
    assert hidden == [("place", "Vienna"), ("_sort", "newest"), ("_size", "10")]
    assert page.select_one("#from")["value"] == "2015-01-01"
    assert page.select_one("details.refine").has_attr("open")


def test_state_round_trip_through_urls():
    args = MultiDict([("q", "oil"), ("place", "Vienna"), ("place", "Moscow"),
                      ("year", "2015"), (urls.FROM, "2015-01-02"), (urls.TO, "2016-03"),
                      (urls.ON_MONTH, "3"), (urls.ON_DAY, "9"), (urls.SORT, "oldest"),
                      (urls.PAGE, "2"), (urls.SIZE, "5"), (urls.FACET_LIMIT, "0"),
                      (urls.CLUSTER, "0591daa31e62"), (urls.COLLAPSE, "0")])
    request, errors = parse_search(args)
    assert not errors
    assert (request.cluster, request.collapse) == ("0591daa31e62", False)
    again, errors = parse_search(MultiDict(urls.search_args(request)))
    assert not errors and again == request
    assert parse_search(MultiDict())[0].collapse is True  # each story once by default
    assert urls.COLLAPSE not in dict(urls.search_args(parse_search(MultiDict())[0]))
    assert request.date_to.isoformat() == "2016-03-31"
    assert request.filters == (("year", ("2015",)), ("place", ("Vienna", "Moscow")))


# --- escaping ----------------------------------------------------------------------------


def test_script_payload_in_article_text_is_escaped_everywhere(client):
    needle = "<script>alert"
    path = first_article(client, "officials warn messages")
    for url in ("/search?q=officials+warn", path, path + "?q=script+alert",
                "/arab-times/2019-07-01/", "/search.atom?q=officials"):
        body = client.get(url).get_data(as_text=True)
        assert needle not in body, url
        assert "<img src=x" not in body, url
        assert "onerror=alert(2)" not in body or "&lt;img" in body, url
    page = soup(client.get(path))
    assert PAYLOAD in page.select_one("h1").get_text()
    assert client.get(path + ".json").get_json()["headline"].count(PAYLOAD) == 1
    assert PAYLOAD in client.get(path + ".txt").get_data(as_text=True)


def test_script_payload_in_the_query_is_escaped(client):
    for q in (PAYLOAD, f"oil {PAYLOAD}", '"><script>alert(1)</script>', "oil AND <b>"):
        for path in ("/search", BOMBERS):
            response = client.get(path, query_string={"q": q})
            body = response.get_data(as_text=True)
            assert "<script>alert" not in body and "<b>" not in body, (q, path)
    assert "<script>" not in client.get("/search.atom", query_string={"q": PAYLOAD}).get_data(
        as_text=True)


# --- article pages ---------------------------------------------------------------------------


def test_article_page(client):
    response = client.get(BOMBERS)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1").get_text() == "Russian bombers strike"
    assert page.select_one("link[rel=canonical]")["href"] == "http://localhost" + BOMBERS
    alternates = {link["type"]: link["href"] for link in page.select("link[rel=alternate]")}
    assert alternates == {"application/json": BOMBERS + ".json", "text/plain": BOMBERS + ".txt"}
    meta = page.select_one(".article-meta").get_text(" ")
    assert "Saturday, 4 November 2017" in meta and "Moscow" in meta and "Agencies" in meta
    assert len(page.select(".article .body p")) > 5
    assert page.select_one(".article .body mark") is None  # no ?q=, no highlighting
    assert page.select_one("a[href='/arab-times/2017-11-04/']") is not None  # the issue
    assert page.select_one(".context") is None


def test_article_cite_block(client):
    page = soup(client.get(BOMBERS))
    cite = page.select_one(".cite")
    assert cite.select_one(".permalink a").get_text() == "http://localhost" + BOMBERS
    styles = {d.select_one("dt").get_text(): d.select_one("dd") for d in cite.select(
        ".citations div")}
    assert set(styles) == {"APA", "MLA", "Chicago"}
    assert styles["APA"].get_text().startswith("Russian bombers strike. (2017, November 4).")
    assert styles["APA"].select_one("i").get_text() == "Arab Times"
    assert "“Russian bombers strike.” Arab Times, 4 Nov. 2017." in styles["MLA"].get_text()
    assert "Accessed" in styles["MLA"].get_text() and "Accessed" in styles["Chicago"].get_text()


def test_article_highlights_the_search_terms(client):
    page = soup(client.get(BOMBERS + "?q=bomber+Syria"))
    marks = {m.get_text() for m in page.select(".article mark")}
    assert {"bombers", "Syria"} <= marks  # stemmed "bomber" marks "bombers"
    assert page.select_one(".highlight-note a")["href"] == BOMBERS
    assert page.select_one("link[rel=canonical]")["href"] == "http://localhost" + BOMBERS


def test_article_twins(client):
    data = client.get(BOMBERS + ".json")
    assert data.status_code == 200 and data.headers["Access-Control-Allow-Origin"] == "*"
    record = data.get_json()
    assert record["id"] == "0591daa31e62" and record["url"] == "http://localhost" + BOMBERS
    assert record["links"]["issue"] == "http://localhost/arab-times/2017-11-04/"
    assert record["agencies"] == ["Agencies"] and record["place"] == "Moscow"
    text = client.get(BOMBERS + ".txt")
    assert text.mimetype == "text/plain"
    body = text.get_data(as_text=True)
    assert body.startswith("Russian bombers strike\n")
    assert body.rstrip().endswith("http://localhost" + BOMBERS)


@pytest.mark.parametrize("path", [
    "/arab-times/2017-11-04/old-headline-0591daa31e62",
    "/arab-times/2017-11-04/0591daa31e62",
    "/arab-times/undated/russian-bombers-strike-0591daa31e62",
    "/other-paper/2017-11-05/russian-bombers-strike-0591daa31e62",
])
def test_non_canonical_article_paths_redirect_permanently(client, path):
    response = client.get(path + "?q=bombers&_hit=2")
    assert response.status_code == 301
    assert response.headers["Location"] == BOMBERS + "?q=bombers&_hit=2"
    twin = client.get(path + ".json")
    assert twin.status_code == 301 and twin.headers["Location"] == BOMBERS + ".json"


def test_arabic_permalink_redirects_to_an_ascii_location(client):
    data = search_json(client, language="Arabic")
    url = data["items"][0]["url"]
    path = local(url)
    assert client.get(path).status_code == 200
    article_id = path.rsplit("-", 1)[1]
    moved = client.get(path.rsplit("/", 1)[0] + "/" + article_id)
    assert moved.status_code == 301
    location = moved.headers["Location"]
    assert location.isascii() and location.endswith(article_id)
    assert client.get(location).status_code == 200


@pytest.mark.parametrize("path", [
    "/arab-times/2017-11-04/russian-bombers-strike-000000000000",
    "/arab-times/2017-11-04/-",
    "/arab-times/2017-13-45/russian-bombers-strike-0591daa31e62x",
])
def test_unknown_article_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert soup(response).select_one("h1").get_text() == "Not found"
    assert client.get(path + ".json").get_json()["status"] == 404


def test_previous_and_next_result_of_the_search(client):
    results = search_json(client, q="oil", _sort="oldest")
    second = results["items"][1]
    assert second["context_url"].startswith("http://localhost/")
    page = soup(client.get(local(second["context_url"])))
    context = page.select_one("nav.context")
    assert f"Result 2 of {results['total']}" in context.get_text()
    prev = context.select_one("a[rel=prev]")
    assert results["items"][0]["headline"] in prev.get_text()
    following = context.select_one("a[rel=next]")
    assert results["items"][2]["headline"] in following.get_text()
    back = context.select_one("p a")["href"]
    assert back.startswith("/search?") and "_sort=oldest" in back and back.endswith("#hit-2")
    # the next link carries the search on: from it, "previous" leads back here
    onwards = soup(client.get(following["href"]))
    assert second["headline"] in onwards.select_one("nav.context a[rel=prev]").get_text()
    assert onwards.select_one(".article mark") is not None


def test_first_and_last_result_have_one_neighbour(client):
    results = search_json(client, q="refinery")
    assert results["total"] == 1
    page = soup(client.get(local(results["items"][0]["context_url"])))
    context = page.select_one("nav.context")
    assert "Result 1 of 1" in context.get_text()
    assert context.select_one("a[rel=prev]") is None and context.select_one("a[rel=next]") is None


def test_previous_and_next_article_of_the_issue(client):
    issue = client.get("/arab-times/2019-07-01.json").get_json()
    first, second = [a for p in issue["pages"] for a in p["articles"]]
    page = soup(client.get(local(first["url"])))
    nav = page.select_one("nav.issue-nav")
    assert "Article 1 of 2" in nav.get_text()
    assert nav.select_one(".next a")["href"] == local(second["url"])
    assert nav.select_one(".prev a") is None
    assert client.get(local(second["url"]) + ".json").get_json()["links"]["previous_in_issue"] \
        == first["url"]


def test_undated_article_has_no_issue_links(client):
    data = search_json(client, place="Berlin")
    path = local(data["items"][0]["url"])
    assert "/undated/" in path
    page = soup(client.get(path))
    assert page.select_one("nav.issue-nav") is None
    assert client.get(path + ".json").get_json()["links"]["issue"] is None


# --- browse pages -----------------------------------------------------------------------------


def test_home_page(client):
    page = soup(client.get("/"))
    assert "Search" in page.select_one(".lede").get_text()
    years = [a.title.get_text().split(":")[0] for a in page.select("svg.chart a")]
    assert years == ["2015", "2016", "2017", "2018", "2019"]
    assert page.select_one("a[href='/arab-times/']") is not None
    data = client.get("/index.json").get_json()
    assert data["articles"] == data["dated"] + data["undated"]
    assert data["publications"][0]["name"] == "Arab Times"
    assert data["places"]["values"][0]["url"].startswith("http://localhost/search?place=")


def test_publication_year_and_issue_pages(client):
    publication = client.get("/arab-times/")
    assert publication.status_code == 200
    years = client.get("/arab-times.json").get_json()["years"]
    assert [y["year"] for y in years] == [2015, 2016, 2017, 2018, 2019]
    year = soup(client.get("/arab-times/2017/"))
    issue_links = [a["href"] for a in year.select(".calendar td.issue a")]
    assert "/arab-times/2017-11-04/" in issue_links
    assert year.select_one("a[rel=prev]")["href"] == "/arab-times/2016/"
    data = client.get("/arab-times/2017.json").get_json()
    assert {i["date"] for i in data["issues"]} >= {"2017-11-04", "2017-11-05"}
    issue = soup(client.get("/arab-times/2017-11-05/"))
    headlines = [a.get_text() for a in issue.select(".contents .headline")]
    assert "Port traffic rises at Shuwaikh" in headlines
    assert issue.select_one("a[rel=prev]")["href"] == "/arab-times/2017-11-04/"
    assert issue.select_one("a[rel=next]")["href"] == "/arab-times/2017-11-06/"


@pytest.mark.parametrize("path", ["/no-such-paper/", "/arab-times/1990/",
                                  "/arab-times/2017-11-20/", "/arab-times/2017-02-30/",
                                  "/arab-times/undated/", "/nowhere", "/no-such-paper.json"])
def test_browse_404s(client, path):
    assert client.get(path, follow_redirects=True).status_code == 404


def test_places_and_agencies(client):
    places = soup(client.get("/places/"))
    names = [s.get_text() for s in places.select(".value-list .value")]
    assert names[0] == "Kuwait City" and "Vienna" in names
    by_name = [s.get_text() for s in soup(client.get("/places/?_sort=name")).select(
        ".value-list .value")]
    assert by_name == sorted(by_name, key=str.casefold)
    agencies = client.get("/agencies.json").get_json()
    reuters = next(v for v in agencies["values"] if v["value"] == "Reuters")
    assert client.get(local(reuters["url"]) .replace("/search?", "/search.json?")).get_json()[
        "total"] == reuters["count"]
    assert client.get("/places/?_sort=nonsense").status_code == 400


def test_places_list_a_names_ocr_readings_under_it(tmp_path):
    """'KUWAJT CITY' (the OCR's reading of one page) is listed under Kuwait City, whose
    link searches every reading; a reading links to its own articles."""
    pages = tmp_path / "pages"
    for day, place in enumerate(["KUWAIT CITY"] * 3 + ["KUWAJT CITY", "VIENNA"], start=1):
        page = pages / f"2016-03-{day:02d}" / "page_01.txt"
        page.parent.mkdir(parents=True)
        page.write_text(seed_page(f"Report number {day} from the city",
                                  f"{place}, March {day}: The council met on the {day}th "
                                  "and agreed the budget after a long debate."),
                        encoding="utf-8")
    with served(tmp_path / "data", pages) as client:
        values = client.get("/places.json").get_json()["values"]
        assert [(v["value"], v["count"]) for v in values] == [("Kuwait City", 4), ("Vienna", 1)]
        kuwait = values[0]
        assert [(r["value"], r["count"]) for r in kuwait["readings"]] == [("Kuwajt City", 1)]
        search = local(kuwait["url"]).replace("/search?", "/search.json?")
        assert client.get(search).get_json()["total"] == 4
        alone = local(kuwait["readings"][0]["url"]).replace("/search?", "/search.json?")
        assert client.get(alone).get_json()["total"] == 1
        page = soup(client.get("/places/"))
        assert page.select_one(".value-list .readings").get_text(" ", strip=True) == \
            "also read as Kuwajt City"
        assert page.select_one(".lede").get_text().startswith(
            "2 names (3 as the OCR read them): where")
        # the search page's facet counts the reading with its name, and chooses both
        shown = client.get("/search.json?q=council").get_json()["facets"]["place"]["values"]
        assert [(v["value"], v["count"], v["readings"]) for v in shown] == [
            ("Kuwait City", 4, ["Kuwajt City"]), ("Vienna", 1, [])]
        narrowed = client.get(local(shown[0]["toggle_url"])).get_json()
        assert narrowed["total"] == 4 and narrowed["facets"]["place"]["values"][0]["selected"]
        back = client.get(local(narrowed["facets"]["place"]["values"][0]["toggle_url"]))
        assert back.get_json()["total"] == 5
        # and so does the home page's list of top places
        home = client.get("/index.json").get_json()["places"]["values"]
        assert [(v["value"], v["count"], v["readings"]) for v in home] == [
            ("Kuwait City", 4, ["Kuwajt City"]), ("Vienna", 1, [])]


def test_help_page_lists_every_field_and_argument(client):
    page = soup(client.get("/help"))
    text = page.get_text()
    for field in FIELDS:
        assert f"{field}:" in text
    for arg in urls.SEARCH_ARGS:
        assert arg in text
    example = page.select_one(".examples a")["href"]
    assert client.get(example).status_code == 200


# --- feeds, exports, crawlers ------------------------------------------------------------------


def test_atom_feed(client):
    response = client.get("/search.atom?q=oil")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == search_json(client, q="oil")["total"]
    published = [e.findtext(f"{ATOM}published") for e in entries]
    dated = [d for d in published if d]
    assert dated == sorted(dated, reverse=True)  # newest first by default
    assert dated[0].startswith("2019-07-01")
    assert all(e.findtext(f"{ATOM}updated") for e in entries)
    summary = entries[0].find(f"{ATOM}summary")
    assert summary.get("type") == "html" and "<mark" in summary.text
    assert feed.findtext(f"{ATOM}id").startswith("http://localhost/search.atom")


def test_opensearch_template_matches_what_the_parser_reads(client):
    description = ET.fromstring(client.get("/opensearch.xml").data)
    templates = {u.get("type"): u.get("template") for u in description.findall(f"{OPENSEARCH}Url")}
    assert {"text/html", "application/json", "application/atom+xml"} <= set(templates)
    values = {"searchTerms": "oil", "startPage?": "2", "count?": "1"}
    for mime, template in templates.items():
        if mime == "application/opensearchdescription+xml":
            continue
        query = urlsplit(template).query
        pairs = [(name, re.fullmatch(r"\{(.+)\}", value).group(1))
                 for name, value in parse_qsl(query)]
        assert all(name in urls.SEARCH_ARGS for name, _ in pairs), pairs
        assert {p for _, p in pairs} <= set(values)  # only parameters we know how to fill
        filled = MultiDict([(name, values[param]) for name, param in pairs])
        request, errors = parse_search(filled)
        assert not errors
        assert (request.q, request.page, request.page_size) == ("oil", 2, 1)
        url = template
        for param, value in values.items():
            url = url.replace("{" + param + "}", value)
        assert client.get(local(url)).status_code == 200
    # optional parameters left empty fall back to the defaults
    request, errors = parse_search(MultiDict([(urls.Q, "oil"), (urls.PAGE, ""),
                                              (urls.SIZE, "")]))
    assert not errors and request.page == 1 and request.page_size == DEFAULT_PAGE_SIZE
    assert soup(client.get("/")).select_one("link[rel=search]")["href"] == "/opensearch.xml"


def test_csv_export_streams_the_whole_result_set(client):
    total = search_json(client, q="oil")["total"]
    response = client.get("/search.csv?q=oil&_size=1&_page=2")
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="search.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == total  # every result, whatever the page
    assert all(row["url"].startswith("http://localhost/") for row in rows)
    assert REFINERY_TITLE in {row["headline"] for row in rows}


def test_jsonl_export(client):
    response = client.get("/search.jsonl?place=Kuwait+City")
    assert response.mimetype == "application/x-ndjson"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    records = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert len(records) == search_json(client, place="Kuwait City")["total"]
    assert all(r["place"] == "Kuwait City" and r["paragraphs"] for r in records)


def test_export_limit(archive_dir):
    small = create_app({"TESTING": True, "DATA_DIR": str(archive_dir), "EXPORT_LIMIT": 1})
    try:
        response = small.test_client().get("/search.csv?q=oil")
        assert response.status_code == 400
        assert "export holds at most 1" in soup(response).get_text()
    finally:
        close_library(small)


def test_sitemap_and_robots(client, app):
    response = client.get("/sitemap.xml")
    urlset = ET.fromstring(response.data)
    locs = [u.findtext(f"{SITEMAP}loc") for u in urlset.findall(f"{SITEMAP}url")]
    with app.app_context():
        assert len(locs) == library().count() + 1  # every article and the home page
    assert "http://localhost" + BOMBERS in locs
    assert all(loc.isascii() for loc in locs)
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /search" in robots and "Sitemap: http://localhost/sitemap.xml" in robots


# --- errors -------------------------------------------------------------------------------------


def test_no_archive_yet_is_503_saying_to_rebuild(empty_app):
    client = empty_app.test_client()
    for path in ("/", "/search?q=oil", BOMBERS, "/places/"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "newsarchive rebuild" in soup(response).get_text()
    response = client.get("/search.json?q=oil")
    assert response.status_code == 503 and "newsarchive rebuild" in response.get_json()["error"]
    assert not (Path(empty_app.config["DATA_DIR"])).exists()  # nothing created by looking


def test_store_without_index_is_503_for_search_but_articles_work(tmp_path):
    data_dir = tmp_path / "data"
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "ingest",
                                       str(ROOT / "seeds")])
    assert result.exit_code == 0, result.output
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    try:
        client = app.test_client()
        response = client.get("/search?q=bombers")
        assert response.status_code == 503
        assert "newsarchive rebuild" in response.get_data(as_text=True)
        assert client.get(BOMBERS).status_code == 200  # the store alone serves articles
        assert client.get(BOMBERS + "?q=x&_hit=1").status_code == 200  # no search context
    finally:
        close_library(app)


def test_unknown_route_and_method(client):
    response = client.get("/no/such/thing/here")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers
    assert client.post("/search").status_code == 405


# --- markup and accessibility basics (the browser test runs axe) -------------------------------


@pytest.mark.parametrize("path", ["/", "/search?q=oil", "/search?q=oil+AND", BOMBERS, "/help",
                                  "/places/", "/arab-times/", "/arab-times/2017/",
                                  "/arab-times/2017-11-05/", "/nowhere"])
def test_pages_have_one_h1_labelled_fields_and_a_skip_link(client, path):
    page = soup(client.get(path, follow_redirects=True))
    assert len(page.select("h1")) == 1, path
    assert page.select_one("a.skip-link")["href"] == "#main"
    assert page.select_one("main#main") is not None
    for field in page.select("input:not([type=hidden]), select"):
        assert page.select_one(f"label[for='{field['id']}']") is not None, (path, field)
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids)), path
    assert page.html["lang"] == "en"
