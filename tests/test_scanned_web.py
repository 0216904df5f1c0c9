"""The site over scanned pages: kinds of item and OCR confidence as facets, filters, a sort,
on result lines and in every format; the article page's page note and "On the same page";
the issue page by page. Runs on both engines; a typed-text archive shows none of it."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import served
from scanned_helpers import (
    ISSUE,
    SLUG,
    build_scanned_archive,
    item_id,
    permalink_of,
    scanned_articles,
)

from archive.model import Article, Dateline, Outcome, ParsedFile
from archive.rows import file_rows
from archive.store import Store
from index.build import rebuild
from index.library import INDEX_NAME, STORE_NAME, Library
from web import create_app
from web.cli import main
from web.resources import close_library
from web.urls import permalink

ENGINES = ["whoosh", "tantivy"]
ATOM = "{http://www.w3.org/2005/Atom}"
ISSUE_PATH = f"/{SLUG}/{ISSUE.isoformat()}/"


@pytest.fixture(scope="module", params=ENGINES, ids=ENGINES)
def data_dir(request, tmp_path_factory) -> Path:
    return build_scanned_archive(tmp_path_factory.mktemp(f"scanned-{request.param}"),
                                 engine=request.param)


@pytest.fixture(scope="module")
def scanned(data_dir) -> Iterator:
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    yield app.test_client()
    close_library(app)


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def get_json(client, path: str, **args) -> dict:
    response = client.get(path, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def keys_of(items: list[dict]) -> list[str]:
    by_id = {item_id(k): k for k in ("bridge", "cocoa", "closure", "strike", "tramway",
                                     "tides", "piano", "cricket", "late")}
    return [by_id[i["id"]] for i in items]


# --- search: facets, filters, sort, result lines --------------------------------------

def test_json_items_and_facets_carry_kind_and_ocr(scanned):
    data = get_json(scanned, "/search.json")
    assert data["total"] == 9
    cocoa = next(i for i in data["items"] if i["id"] == item_id("cocoa"))
    assert (cocoa["kind"], cocoa["confidence"]) == ("advertisement", 0.74)
    late = next(i for i in data["items"] if i["id"] == item_id("late"))
    assert (late["kind"], late["confidence"]) == ("article", None)
    kind = data["facets"]["kind"]
    assert kind["label"] == "Item type"
    assert [(v["value"], v["label"], v["count"]) for v in kind["values"]] == [
        ("article", "Articles", 5), ("advertisement", "Advertisements", 2),
        ("notice", "Notices", 1), ("other", "Other", 1)]
    ocr = data["facets"]["ocr"]
    assert ocr["label"] == "OCR confidence"
    assert [(v["value"], v["label"], v["count"]) for v in ocr["values"]] == [
        ("90", "90% or better", 2), ("80", "80% or better", 4), ("70", "70% or better", 6),
        ("60", "60% or better", 7), ("50", "50% or better", 7)]


def test_kind_filter_keeps_ads_searchable(scanned):
    assert keys_of(get_json(scanned, "/search.json", q="grocer")["items"]) == ["cocoa"]
    ads = get_json(scanned, "/search.json", kind="advertisement", _sort="oldest")
    assert sorted(keys_of(ads["items"])) == ["cocoa", "piano"]
    assert ads["description"] == "all advertisements"
    chip = ads["filters"][0]
    assert chip["label"] == "Item type: Advertisements"
    assert get_json(scanned, "/search.json", q="grocer", kind="notice")["total"] == 0
    both = get_json(scanned, "/search.json", kind=["notice", "other"])
    assert sorted(keys_of(both["items"])) == ["closure", "tides"]


def test_ocr_minimum_filter_and_its_single_choice_links(scanned):
    data = get_json(scanned, "/search.json", ocr="80")
    assert sorted(keys_of(data["items"])) == ["bridge", "closure", "cricket", "tramway"]
    assert data["description"] == "all articles with OCR confidence 80% or better"
    assert data["filters"][0]["label"] == "OCR confidence: 80% or better"
    values = {v["value"]: v for v in data["facets"]["ocr"]["values"]}
    assert values["80"]["selected"] and values["80"]["count"] == 4
    # another level replaces the minimum (two minimums would only mean the lower one) ...
    assert values["90"]["toggle_url"].endswith("/search.json?ocr=90")
    # ... and the chosen one removes it
    assert values["80"]["toggle_url"].endswith("/search.json")
    assert get_json(scanned, "/search.json", ocr=["90", "70"])["total"] == 6  # OR: >= 70


@pytest.mark.parametrize("args, message", [
    ({"kind": "ads"}, "'ads' is not a valid kind: choose article, advertisement, notice, "
                      "other"),
    ({"ocr": "85"}, "'85' is not a valid ocr: choose a minimum per cent of 90, 80, 70, 60, 50"),
    ({"_sort": "quality"}, "Sort must be one of relevance, newest, oldest, ocr"),
])
def test_bad_kind_or_ocr_is_a_clear_400(scanned, args, message):
    response = scanned.get("/search", query_string=args)
    assert response.status_code == 400
    assert message in BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()


def test_best_ocr_first(scanned):
    data = get_json(scanned, "/search.json", _sort="ocr")
    assert keys_of(data["items"]) == ["cricket", "bridge", "tramway", "closure", "piano",
                                      "cocoa", "strike", "tides", "late"]
    page = soup(scanned.get("/search?q=bridge"))
    labels = [a.get_text() for a in page.select("nav[aria-label='Sort order'] a")]
    assert labels == ["Best match", "Newest first", "Oldest first", "Best OCR first"]
    chosen = soup(scanned.get("/search?_sort=ocr"))
    assert chosen.select_one("nav[aria-label='Sort order'] a[aria-current]").get_text() == \
        "Best OCR first"


def test_result_lines_show_kind_and_ocr_quietly(scanned):
    page = soup(scanned.get("/search", query_string={"q": "grocer OR bridge"}))
    lines = {r.select_one(".result-title").get_text(): r for r in page.select(".result")}
    cocoa = lines["Drink Hallam's Cocoa"].select_one(".meta")
    assert cocoa.select_one(".kind").get_text() == "Advertisement"
    assert cocoa.select_one(".ocr").get_text() == "OCR 74%"
    bridge = lines["Mayor opens the new river bridge"].select_one(".meta")
    assert bridge.select_one(".kind") is None and bridge.select_one(".ocr").get_text() == \
        "OCR 91%"
    late = lines["Late news"].select_one(".meta")
    assert late.select_one(".ocr") is None and "OCR" not in late.get_text()


def test_facet_panel_labels(scanned):
    page = soup(scanned.get("/search"))
    # ads and notices among them: the count is of results, not of articles
    assert page.select_one(".result-count strong").get_text() == "9 results"
    kinds = [v.get_text() for v in page.select("#facet-kind .value")]
    assert kinds == ["Articles", "Advertisements", "Notices", "Other"]
    assert page.select_one("#facet-kind h3").get_text() == "Item type"
    levels = [v.get_text() for v in page.select("#facet-ocr .value")]
    assert levels == ["90% or better", "80% or better", "70% or better", "60% or better",
                      "50% or better"]


def test_exports_feed_and_cli_carry_kind_confidence_and_pages(scanned, data_dir):
    rows = list(csv.DictReader(io.StringIO(
        scanned.get("/search.csv", query_string={"q": "tramway fares"}).get_data(
            as_text=True))))
    assert [(r["kind"], r["confidence"], r["pages"]) for r in rows] == [
        ("article", "0.88", "2; 3")]
    records = [json.loads(line) for line in scanned.get(
        "/search.jsonl", query_string={"kind": "advertisement"}).get_data(
        as_text=True).splitlines()]
    assert {(r["kind"], r["confidence"]) for r in records} == {
        ("advertisement", 0.74), ("advertisement", 0.79)}
    feed = ET.fromstring(scanned.get("/search.atom?q=grocer").get_data())
    terms = [(c.get("term"), c.get("label")) for c in feed.iter(f"{ATOM}category")]
    assert ("advertisement", "Item type: Advertisement") in terms
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "search", "grocer",
                                       "--json"])
    assert result.exit_code == 0, result.output
    item = json.loads(result.output)["items"][0]
    assert (item["kind"], item["confidence"]) == ("advertisement", 0.74)
    assert list(json.loads(result.output)["facets"])[3:5] == ["kind", "ocr"]
    human = CliRunner().invoke(main, ["--data-dir", str(data_dir), "search", "grocer",
                                      "--sort", "ocr"])
    assert human.exit_code == 0 and "[Advertisement, OCR 74%]" in human.output


# --- the article page --------------------------------------------------------------------

def test_article_page_shows_kind_pages_and_ocr(scanned):
    page = soup(scanned.get(permalink_of("tramway")))
    meta = page.select_one(".article-meta").get_text(" ", strip=True)
    assert "printed across pages 2–3" in meta
    assert "OCR confidence 88%" in meta
    assert "average score it gave the words" in meta
    assert page.select_one(".kind-eyebrow") is None  # an article says nothing
    bridge = soup(scanned.get(permalink_of("bridge"))).select_one(".article-meta")
    assert "page 1, continued on page 3" in bridge.get_text(" ", strip=True)
    ad = soup(scanned.get(permalink_of("cocoa")))
    assert ad.select_one(".kind-eyebrow").get_text() == "Advertisement"
    assert "“Drink Hallam's Cocoa.” Evening Courier, 14 Mar. 1921, p. 1." in ad.get_text()
    assert "pp. 2–3" in soup(scanned.get(permalink_of("tramway"))).select_one(
        ".citations").get_text()
    late = soup(scanned.get(permalink_of("late")))
    assert "OCR" not in late.select_one(".article-meta").get_text()


def test_on_the_same_page_in_reading_order_with_the_current_one_marked(scanned):
    page = soup(scanned.get(permalink_of("cocoa")))
    section = page.select_one("section.same-page")
    assert section.select_one("h2").get_text() == "On the same page"
    items = section.select(".page-items li")
    titles = [li.select_one(".title").get_text() for li in items]
    assert titles == ["Mayor opens the new river bridge", "Drink Hallam's Cocoa",
                      "Notice of road closure", "Harbour strike ends after talks"]
    current = [li for li in items if li.get("aria-current")]
    assert len(current) == 1 and current[0].select_one("a") is None
    assert current[0].select_one(".title").get_text() == "Drink Hallam's Cocoa"
    # the label is a word of its own for a screen reader, not glued to the title
    assert " ".join(current[0].get_text().split()) == \
        "Advertisement Drink Hallam's Cocoa (you are here)"
    assert [li.select_one(".kind").get_text() if li.select_one(".kind") else None
            for li in items] == [None, "Advertisement", "Notice", None]
    assert items[0].select_one(".item-meta").get_text() == "page 1, continued on page 3"
    links = [a["href"] for a in section.select(".page-items a")]
    assert links[0] == permalink_of("bridge")
    assert section.select_one(".note a")["href"] == ISSUE_PATH + "#page-1"
    assert scanned.get(ISSUE_PATH).status_code == 200


def test_same_page_lists_items_continued_onto_it_and_is_in_the_json_twin(scanned):
    data = get_json(scanned, permalink_of("cricket") + ".json")
    same = data["same_page"]
    assert same["page"] == 3
    assert [(i["id"], i["current"], i["note"]) for i in same["items"]] == [
        (item_id("bridge"), False, "continued from page 1"),
        (item_id("tramway"), False, "continued from page 2"),
        (item_id("cricket"), True, "")]
    assert same["issue_page_url"].endswith(ISSUE_PATH + "#page-3")
    assert (data["kind"], data["confidence"], data["pages"]) == ("article", 0.95, [])
    assert get_json(scanned, permalink_of("late") + ".json")["same_page"] is None  # no page
    text = scanned.get(permalink_of("cocoa") + ".txt").get_data(as_text=True)
    assert "Item type: Advertisement" in text and "OCR confidence: 74%" in text


def test_issue_navigation_speaks_of_items_when_the_issue_holds_ads(scanned):
    nav = soup(scanned.get(permalink_of("cocoa"))).select_one("nav.issue-nav")
    assert "Item 2 of 9" in nav.get_text()
    assert nav.select_one(".prev .dir").get_text() == "← Previous item"


# --- the issue page ------------------------------------------------------------------------

def test_issue_page_groups_items_by_page_with_kinds(scanned):
    page = soup(scanned.get(ISSUE_PATH))
    sections = page.select("section.issue-page")
    assert [s.select_one("h2").get_text() for s in sections] == [
        "Page 1", "Page 2", "Page 3", "Page unknown"]
    assert [s.select_one("h2")["id"] for s in sections] == [
        "page-1", "page-2", "page-3", "page-unknown"]
    first = sections[0].select(".contents li")
    assert [li.select_one(".kind").get_text() if li.select_one(".kind") else None
            for li in first] == [None, "Advertisement", "Notice", None]
    assert "OCR 74%" in first[1].select_one(".meta").get_text()
    assert "page 1, continued on page 3" in first[0].select_one(".meta").get_text()
    continued = sections[2].select_one(".continued")
    assert [a.get_text() for a in continued.select("a")] == [
        "Mayor opens the new river bridge", "Council debates the tramway fares"]
    lede = " ".join(page.select_one(".lede").get_text().split())
    assert lede == ("9 items in this issue, on 3 pages: 5 articles, 2 advertisements, "
                    "1 notice, 1 other item.")
    assert [a["href"] for a in page.select(".page-jump a")] == [
        "#page-1", "#page-2", "#page-3", "#page-unknown"]


def test_issue_json_has_page_and_kind(scanned):
    data = get_json(scanned, ISSUE_PATH.rstrip("/") + ".json")
    assert [p["page"] for p in data["pages"]] == [1, 2, 3, None]
    assert [(a["kind"], a["page"]) for a in data["pages"][1]["articles"]] == [
        ("article", 2), ("other", 2), ("advertisement", 2)]
    assert data["kinds"] == {"article": 5, "advertisement": 2, "notice": 1, "other": 1}
    assert [c["from_page"] for c in data["pages"][2]["continued"]] == [1, 2]


# --- the store query behind "On the same page" ------------------------------------------

def test_page_items_in_reading_order_and_undated_kept_to_their_unit(data_dir):
    library = Library(data_dir)
    try:
        ids = [a.id for a in library.page_items(SLUG, ISSUE, 3)]
        assert ids == [item_id("bridge"), item_id("tramway"), item_id("cricket")]
        assert [a.id for a in library.page_items(SLUG, ISSUE, 3, source="elsewhere")] == []
        assert library.page_items(SLUG, ISSUE, 9) == []
    finally:
        library.close()


# --- a typed-text archive shows none of it ---------------------------------------------

def test_typed_text_archive_shows_no_kinds_or_ocr(client):
    page = soup(client.get("/search?q=oil"))
    assert page.select_one(".result-count strong").get_text().endswith(" articles")
    assert page.select_one("#facet-kind") is None  # every item an article: no choice
    assert page.select_one("#facet-ocr") is None
    assert page.select(".result .ocr") == [] and page.select(".result .kind") == []
    labels = [a.get_text() for a in page.select("nav[aria-label='Sort order'] a")]
    assert "Best OCR first" not in labels
    data = client.get("/search.json?q=oil").get_json()
    assert {v["value"] for v in data["facets"]["kind"]["values"]} == {"article"}
    assert "ocr" not in data["facets"]  # a facet without values is left out


def test_help_documents_kinds_and_ocr(client):
    page = soup(client.get("/help"))
    section = page.select_one("#quality").find_next("ul").get_text(" ", strip=True)
    assert "ocr=80" in section and "_sort=ocr" in section
    assert page.select_one("a[href='/search?kind=advertisement']") is not None


def test_issue_lead_is_left_out_when_it_only_repeats_the_headline_or_is_debris():
    from web.views.browse import _lead

    article = next(a for a in scanned_articles() if a.kind == "notice")
    short = replace(article, headline="Notice of road closure",
                    paragraphs=("Notice of road closure.",))
    assert _lead(short) == ""
    assert _lead(article).startswith("Notice is hereby given")
    # the text after a repeated headline, or after a paragraph of OCR debris, leads
    assert _lead(replace(short, paragraphs=("Notice of road closure.", "The road is shut.")
                         )) == "The road is shut."
    debris = replace(short, paragraphs=("' ' - . 11, 1 11111n1P — - ' • '", "The road is shut."))
    assert _lead(debris) == "The road is shut."


# --- a page file that does not print its page number ----------------------------------

def test_items_of_an_unnumbered_page_file_list_each_other(tmp_path):
    """A plain OCR page without a page number still holds one page: each of its items
    lists the others, in reading order, said to come from the same page file."""
    pages = tmp_path / "pages"
    pages.mkdir()
    page_file = Path(__file__).parent / "fixtures" / "ocr_text" / "blocks_page.txt"
    (pages / "page.txt").write_bytes(page_file.read_bytes())
    with served(tmp_path / "data", pages) as client:
        hit = get_json(client, "/search.json", q="corn")["items"][0]
        assert hit["headline"] == "THE CORN MARKET." and hit["page"] is None
        path = hit["url"].removeprefix("http://localhost")
        same = get_json(client, path + ".json")["same_page"]
        assert same["page"] is None and same["issue_page_url"] is None
        assert [(i["headline"], i["current"]) for i in same["items"]] == [
            ("LOCAL INTELLIGENCE.", False), ("THE CORN MARKET.", True),
            ("TO BE SOLD BY AUCTION", False)]
        section = soup(client.get(path)).select_one("section.same-page")
        assert "same page file" in section.select_one(".note").get_text()
        assert [a.get_text() for a in section.select(".page-items a")] == [
            "LOCAL INTELLIGENCE.", "TO BE SOLD BY AUCTION"]


def test_the_article_page_labels_a_credit_alone_as_the_credit(tmp_path):
    """A wire credit with no place or date is shown as the credit, not as a dateline."""
    text = ("The senate met today and voted the money for the new bridge over the river, "
            "and the work will begin in the spring.",)
    made = [Article(id=f"credit{n:07d}", publication="The Courier", publication_slug="courier",
                    headline=headline, paragraphs=text, source="p.txt", dateline=dateline)
            for n, (headline, dateline) in enumerate([
                ("BRIDGE VOTED", Dateline(text="By Associated Press", agencies=("AP",))),
                ("ROAD VOTED", Dateline(text="WASHINGTON, Jan. 5", place="Washington",
                                        month=1, day=5, agencies=("AP",)))])]
    store = Store(Path(tmp_path) / STORE_NAME)
    try:
        store.save_parsed(file_rows(Outcome(path="p.txt", sha256="0" * 64, size=1,
                                            parsed=ParsedFile(articles=tuple(made)),
                                            parser="test/1")))
        rebuild(store, Path(tmp_path) / INDEX_NAME, full=True)
    finally:
        store.close()
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)})
    try:
        client = app.test_client()
        labels = []
        for article in made:
            page = client.get(permalink(article))
            assert page.status_code == 200
            meta = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one(
                "dl.article-meta")
            labels.append([dt.get_text() for dt in meta.select("dt")])
    finally:
        close_library(app)
    assert "Credit" in labels[0] and "Dateline" not in labels[0]
    assert "Dateline" in labels[1] and "Credit" not in labels[1]
