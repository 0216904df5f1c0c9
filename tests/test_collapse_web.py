"""The site over stories printed more than once, on both engines: results list each story
once with its other printings and both totals, a toggle shows every printing, a story's
printings are a search of their own, facets say they count printings; JSON, Atom, CSV and
JSONL carry the story; the article page lists the same story elsewhere, the issue page
marks reprints; an incremental rebuild follows a story that loses a printing."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from index_helpers import CORPUS, REPRINT_STORIES, REPRINTS, build_data_dir, write_corpus
from web_helpers import local

from web import create_app, urls
from web.cli import main
from web.resources import close_library

ENGINES = ["whoosh", "tantivy"]
ATOM = "{http://www.w3.org/2005/Atom}"
SPECS = {spec.key: spec for spec in (*CORPUS, *REPRINTS)}
POWER = REPRINT_STORIES["power"]
FOUNDER = min((SPECS[k] for k in POWER), key=lambda s: (s.date, s.id))


def path_of(key: str) -> str:
    spec = SPECS[key]
    return urls.permalink(spec.article())


def write_pages(root: Path) -> Path:
    write_corpus(root, CORPUS)
    write_corpus(root, REPRINTS)
    return root


@pytest.fixture(scope="module", params=ENGINES, ids=ENGINES)
def data_dir(request, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp(f"reprints-{request.param}")
    build_data_dir(base / "data", [write_pages(base / "pages")], engine=request.param)
    return base / "data"


@pytest.fixture(scope="module")
def client(data_dir) -> Iterator:
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    yield app.test_client()
    close_library(app)


def page(client, path: str, **args) -> BeautifulSoup:
    response = client.get(path, query_string=args or None)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def get_json(client, path: str, **args) -> dict:
    response = client.get(path, query_string=args or None)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()



def text(node) -> str:
    return " ".join(node.get_text().split())


# --- the result list ------------------------------------------------------------------

def test_a_story_is_listed_once_with_its_other_printings(client):
    html = page(client, "/search", q="power")
    assert text(html.select_one(".result-count")).startswith("2 stories (5 printings):")
    results = html.select(".result")
    assert len(results) == 2
    power = next(r for r in results if "Also printed 3 times" in text(r))
    listed = [a["href"] for a in power.select(".also .printings a")]
    shown = local(power.select_one(".result-title a")["href"]).split("?")[0]
    assert sorted([*listed, shown]) == sorted(path_of(k) for k in POWER)
    assert "Kuwait Times, 6 Nov 2017 (AFP)" in text(power.select_one(".also"))
    assert text(power.select_one(".also-all")) == "All 4 printings · all match this search"
    for href in listed:  # every other printing opens
        assert client.get(href).status_code == 200


def test_the_toggle_shows_every_printing_and_back(client):
    html = page(client, "/search", q="power")
    toggle = html.select_one('nav[aria-label="Stories printed more than once"]')
    current = toggle.select_one('[aria-current="true"]')
    assert text(current) == "Each story once"
    every = toggle.find("a", string="Every printing")["href"]
    assert parse_qs(urlsplit(every).query)[urls.COLLAPSE] == ["0"]
    expanded = page(client, every)
    assert text(expanded.select_one(".result-count")).startswith("5 printings (2 stories):")
    assert len(expanded.select(".result")) == 5
    assert all(text(p).startswith("One of ") for p in expanded.select("p.also"))
    back = expanded.select_one('nav[aria-label="Stories printed more than once"]').find(
        "a", string="Each story once")["href"]
    assert len(page(client, back).select(".result")) == 2


def test_a_list_without_reprints_says_articles_and_offers_no_toggle(client):
    html = page(client, "/search", q="bombers")
    assert text(html.select_one(".result-count")).startswith("1 article:")
    assert html.select_one('nav[aria-label="Stories printed more than once"]') is None
    assert html.select_one(".facet-note") is None


def test_facets_say_they_count_printings(client):
    html = page(client, "/search", q="power")
    assert "Counts are of printings" in text(html.select_one(".facet-note"))
    counts = {text(a.select_one(".value")): int(text(a.select_one(".count")))
              for a in html.select("#facet-publication a")}
    assert counts == {"Arab Times": 3, "Kuwait Times": 1, "Gulf News": 1}


def test_every_printing_of_one_story(client):
    html = page(client, "/search", q="power")
    link = html.select_one(".also .story-link")["href"]
    assert parse_qs(urlsplit(link).query)[urls.CLUSTER] == [FOUNDER.id]
    story = page(client, link)
    headlines = [text(a) for a in story.select(".result-title a")]
    assert headlines == [SPECS[k].headline for k in sorted(
        POWER, key=lambda k: (SPECS[k].date, SPECS[k].id))]
    chip = story.select_one(".chip")
    assert text(chip).startswith(f"Printings of “{FOUNDER.headline}”")
    assert "printings of one story" in text(story.select_one(".result-count"))
    assert story.select(".also") == []  # every line is the story: no "also printed"
    widened = page(client, chip["href"])
    assert len(widened.select(".result")) > 4


def test_a_later_printing_s_id_leads_to_its_story(client):
    later = SPECS["power-gulf"].id
    for path in ("/search", "/search.json"):
        response = client.get(path, query_string={urls.CLUSTER: later, urls.COLLAPSE: "0"})
        assert response.status_code == 302
        target = parse_qs(urlsplit(response.headers["Location"]).query)
        assert target[urls.CLUSTER] == [FOUNDER.id] and target[urls.COLLAPSE] == ["0"]


@pytest.mark.parametrize("args, message", [
    ({urls.COLLAPSE: "maybe"}, "_collapse must be 1"),
    ({urls.CLUSTER: "no such/story"}, "is not a story"),
])
def test_bad_collapse_arguments_are_400(client, args, message):
    response = client.get("/search", query_string=args)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_search_json_carries_both_totals_and_the_story(client):
    data = get_json(client, "/search.json", q="power", _size=1)
    assert (data["total"], data["stories"], data["printings"]) == (2, 2, 5)
    assert data["collapse"] is True and data["page_count"] == 2
    first = get_json(client, "/search.json", q="power", _size=1, _sort="oldest")["items"][0]
    assert first["id"] == FOUNDER.id
    assert (first["cluster_id"], first["cluster_size"], first["cluster_matches"]) == \
        (FOUNDER.id, 4, 4)
    story = first["story"]
    assert story["printings"] == 4 and story["more"] == 0 and len(story["others"]) == 3
    assert {o["id"] for o in story["others"]} == {SPECS[k].id for k in POWER} - {FOUNDER.id}
    every = get_json(client, local(story["url"]))
    assert (every["total"], every["stories"], every["collapse"]) == (4, 1, False)
    expanded = get_json(client, local(data["every_printing_url"]))
    assert (expanded["total"], expanded["page_count"]) == (5, 5)
    alone = get_json(client, "/search.json", q="bombers")["items"][0]
    assert (alone["cluster_id"], alone["cluster_size"], alone["story"]) == (None, 1, None)


def test_atom_entries_carry_the_story(client):
    feed = ET.fromstring(client.get("/search.atom", query_string={"q": "power"}).data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    tagged = [e for e in entries if any(c.get("term") == FOUNDER.id
                                        for c in e.findall(f"{ATOM}category"))]
    assert len(tagged) == 1
    category = next(c for c in tagged[0].findall(f"{ATOM}category")
                    if c.get("term") == FOUNDER.id)
    assert category.get("label") == "One of 4 printings of this story"
    assert category.get("scheme").endswith("/help#reprints")
    related = tagged[0].find(f"{ATOM}link[@rel='related']")
    assert f"{urls.CLUSTER}={FOUNDER.id}" in related.get("href")


@pytest.mark.parametrize("collapse, rows", [("1", 2), ("0", 5)])
def test_exports_carry_the_story_and_follow_the_toggle(client, collapse, rows):
    response = client.get("/search.csv", query_string={"q": "power", urls.COLLAPSE: collapse})
    records = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(records) == rows
    power = [r for r in records if r["cluster_id"] == FOUNDER.id]
    assert power and all(r["cluster_size"] == "4" for r in power)
    lines = client.get("/search.jsonl", query_string={"q": "power", urls.COLLAPSE: collapse})
    items = [json.loads(line) for line in lines.get_data(as_text=True).splitlines()]
    assert [i["id"] for i in items] == [r["id"] for r in records]
    assert {(i["cluster_id"], i["cluster_size"]) for i in items} >= {(FOUNDER.id, 4)}


def test_collapsed_export_is_the_collapsed_list(client):
    listed = get_json(client, "/search.json", _size=100)["items"]
    response = client.get("/search.csv")
    records = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["id"] for r in records] == [i["id"] for i in listed]


def test_previous_and_next_result_walk_the_collapsed_list(client):
    data = get_json(client, "/search.json", q="power OR kuwait", _sort="oldest")
    second = data["items"][1]
    html = page(client, local(second["context_url"]))
    context = text(html.select_one(".context"))
    assert f"Result 2 of {data['total']}" in context
    assert html.select_one(".context .next .title").get_text() == data["items"][2]["headline"]


# --- the article page ------------------------------------------------------------------

def test_article_page_lists_the_same_story_elsewhere(client):
    html = page(client, path_of("power-reuters"))
    section = html.select_one(".same-story")
    assert text(section.select_one("h2")) == "The same story elsewhere in the archive"
    items = section.select(".story-printings li")
    others = sorted((k for k in POWER if k != "power-reuters"),
                    key=lambda k: (SPECS[k].date, SPECS[k].id))
    assert [i.select_one("a")["href"] for i in items] == [path_of(k) for k in others]
    differs = {i.select_one("a").get_text() for i in items if i.select_one(".differs")}
    assert differs == {"Japan to build Kuwait power plant",
                       "Kuwait, Japan agree on power plant"}  # the same headline: no mark
    first = items[0]
    assert "first printing" in text(first) and "6 November 2017" in text(first)
    assert "Kuwait Times" in text(items[1]) and "AFP" in text(items[1])
    assert "Printed 4 times, first on 6 November 2017 in" in text(section.select_one(".note"))
    assert "One of 4 printings" in text(html.select_one(".article-meta"))


def test_article_json_twin_has_the_same_story(client):
    data = get_json(client, path_of("power-gulf") + ".json")
    assert (data["cluster_id"], data["cluster_size"]) == (FOUNDER.id, 4)
    story = data["same_story"]
    assert story["printings"] == 4 and story["is_first"] is False
    assert [i["id"] for i in story["items"]][0] == FOUNDER.id
    assert all(i["url"].startswith("http://") for i in story["items"])
    assert all(i["headline_differs"] for i in story["items"])
    kuna = get_json(client, path_of("power-kuna") + ".json")["same_story"]
    assert kuna["is_first"] is True
    assert [i["id"] for i in kuna["items"] if not i["headline_differs"]] == \
        [SPECS["power-reuters"].id]  # "Power station deal signed" both
    assert get_json(client, path_of("bombers") + ".json")["same_story"] is None
    assert page(client, path_of("bombers")).select_one(".same-story") is None


# --- the issue page ----------------------------------------------------------------------

def test_issue_lists_every_item_and_marks_reprints(client):
    html = page(client, "/arab-times/2017-11-07/")
    items = {text(li.select_one(".headline")): li for li in html.select(".contents li")}
    assert set(items) == {"Rain floods streets, schools close early",
                          "Power station deal signed"}  # the reprint stands in its issue
    mark = text(items["Power station deal signed"].select_one(".also-printed"))
    assert mark == ("Also printed on 6 Nov 2017, on 6 Nov 2017 in Kuwait Times and on "
                    "8 Nov 2017 in Gulf News")
    assert items["Rain floods streets, schools close early"].select_one(".also-printed") is None
    data = get_json(client, "/arab-times/2017-11-07.json")
    power = next(a for p in data["pages"] for a in p["articles"] if a["cluster_id"])
    assert power["also_printed"]["printings"] == 4
    assert len(power["also_printed"]["others"]) == 3


def test_help_explains_reprints(client):
    html = page(client, "/help")
    assert "each story once" in text(html.select_one("#reprints").find_next("ul")).lower()


# --- the command line and a rebuild ------------------------------------------------------

def test_cli_search_counts_stories_and_lists_every_printing_on_request(data_dir):
    runner = CliRunner()
    result = runner.invoke(main, ["--data-dir", str(data_dir), "search", "power"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 stories (5 printings):")
    assert "one of 4 printings of this story (4 match)" in result.output
    every = runner.invoke(main, ["--data-dir", str(data_dir), "search", "power",
                                 "--all-printings", "--json"])
    data = json.loads(every.output)
    assert (data["total"], data["stories"], data["collapse"]) == (5, 2, False)


def test_a_story_that_loses_a_printing_is_reindexed(tmp_path):
    pages = write_pages(tmp_path / "pages")
    data = tmp_path / "data"
    build_data_dir(data, [pages])
    app = create_app({"TESTING": True, "DATA_DIR": str(data)})
    try:
        client = app.test_client()
        assert get_json(client, "/search.json", q="japan")["stories"] == 1
        for key in ("power-gulf", "power-afp"):
            (pages / SPECS[key].date.isoformat() / f"{key}.txt").unlink()
        result = build_data_dir(data, [pages])
        assert not result.stats.full  # incremental: the store logged the members changed
        found = get_json(client, "/search.json", q="japan", _collapse="0")
        assert (found["total"], found["stories"]) == (2, 1)
        assert {(i["cluster_size"], i["cluster_matches"]) for i in found["items"]} == {(2, 2)}
        assert len(found["items"][0]["story"]["others"]) == 1
    finally:
        close_library(app)
