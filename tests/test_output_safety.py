"""Output that is always well-formed and never the server's: XML answers without the
characters XML 1.0 forbids, JSON that parses, CSV cells no spreadsheet runs as formulas (web
and CLI exports), no server file paths, and absolute URLs from the canonical address only,
whatever Host header a request sends."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import seed_page
from lxml import etree

from web import create_app, urls
from web.cli import main
from web.formatting import xml_safe
from web.records import FORMULA_STARTS, csv_cell
from web.resources import close_library

HYPERLINK = '=HYPERLINK("http://attacker.example/x","Click")'
ODD_HEADLINE = "Oil prices rise \ufffe again"  # U+FFFE survives ingest; XML cannot carry it
PAGES = {
    "2019-08-01/page_01.txt": seed_page(
        HYPERLINK,
        "KUWAIT CITY, July 31: +cmd|' /C calc'!A0 was found in a spreadsheet sent to the "
        "ministry on Wednesday.",
        "-2+3 is what the attachment computed, officials said.",
        "@SUM(1+1)*cmd|' /C calc'!A0 was the second formula."),
    "2019-08-01/page_02.txt": seed_page(
        ODD_HEADLINE, "KUWAIT CITY, July 31: Oil prices rose on Wednesday as the market "
                      "steadied and traders bought."),
    "2019-08-02/page_01.txt": seed_page(
        "Harbour works begin", "KUWAIT CITY, Aug 1: Work on the new harbour began on "
                               "Thursday, the ports authority said."),
}
# Queries as a hostile client sends them (already percent-encoded): control characters,
# non-characters, an encoded lone surrogate, formula starts.
HOSTILE_QUERIES = ("q=oil%1B", "q=%EF%BF%BE", "q=oil%00", "q=%ED%A0%80", "q=oil%EF%BF%BF",
                   "q=%40SUM(1%2B1)", "q=%3DHYPERLINK(1)", "q=-oil", "q=%2Boil", "q=oil%0D",
                   "q=%09oil", "q=oil%7F%C2%85")


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    for name, text in PAGES.items():
        path = base / "pages" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--data-dir", str(base / "data"), "rebuild",
                                       str(base / "pages")])
    assert result.exit_code == 0, result.output
    return base / "data"


@pytest.fixture(scope="module")
def app(hostile_dir) -> Iterator:
    application = create_app({"TESTING": True, "DATA_DIR": str(hostile_dir)})
    yield application
    close_library(application)


@pytest.fixture
def client(app):
    return app.test_client()


def xml(response) -> etree._Element:
    """The document as a strict XML parser reads it (raises on one forbidden character)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return etree.fromstring(response.get_data())


def strict_json(text: str):
    """json.loads that also refuses NaN and Infinity (not JSON)."""
    def refuse(name: str):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def assert_no_formula_cells(table: list[list[str]]) -> None:
    live = [cell for row in table for cell in row if cell.startswith(FORMULA_STARTS)]
    assert not live, live


def permalink_of(client, q: str) -> str:
    item = client.get("/search.json", query_string={"q": q}).get_json()["items"][0]
    return urlsplit(item["url"]).path


# --- XML --------------------------------------------------------------------------------

def test_xml_safe_drops_exactly_what_xml_forbids():
    assert xml_safe("a\x00b\x1bc\x08d\ufffee\uffff\ud800f\udfff") == "abcdef"
    kept = "tab\tLF\nCR\r é \u0085\x7f \ue000 \ufffd \U0001f600 \U0010ffff"
    assert xml_safe(kept) == kept


def test_every_xml_template_goes_through_the_one_filter():
    templates = sorted((Path(urls.__file__).parent / "templates").glob("*.xml"))
    assert templates
    for template in templates:
        assert "{% filter xml_safe %}" in template.read_text(encoding="utf-8"), template.name


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_atom_feed_parses_for_hostile_queries(client, query):
    feed = xml(client.get(f"/search.atom?{query}"))
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"


def test_atom_feed_parses_with_a_non_character_in_a_headline(client):
    feed = xml(client.get("/search.atom?q=oil"))
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    # ingest drops the noncharacter (archive.text); hostile queries test the feed's filter
    assert "Oil prices rise again" in titles


def test_opensearch_and_sitemap_parse_with_hostile_site_name(hostile_dir):
    application = create_app({"TESTING": True, "DATA_DIR": str(hostile_dir),
                              "SITE_NAME": "Archive\x1b \ufffe<&>"})
    try:
        client = application.test_client()
        description = xml(client.get("/opensearch.xml"))
        short = description.findtext("{http://a9.com/-/spec/opensearch/1.1/}ShortName")
        assert short == "Archive <&>"
        locs = [e.text for e in xml(client.get("/sitemap.xml")).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        assert len(locs) == 1 + len(PAGES)
    finally:
        close_library(application)


# --- JSON -------------------------------------------------------------------------------

@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_json_answers_parse_for_hostile_queries(client, query):
    for path in ("/search.json", "/search.jsonl"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400)
        for line in response.get_data(as_text=True).splitlines():
            strict_json(line)


def test_article_json_and_errors_parse(client):
    path = permalink_of(client, "harbour")
    assert strict_json(client.get(path + ".json").get_data(as_text=True))["id"]
    missing = client.get("/arab-times/2019-08-01/nothing-000000000000.json")
    assert missing.status_code == 404 and strict_json(missing.get_data(as_text=True))


# --- CSV: formula cells neutralised (OWASP) ---------------------------------------------

def test_csv_cell_prefixes_formula_starts_only():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(start + "1+1") == "'" + start + "1+1"
    assert csv_cell("Oil = gold") == "Oil = gold"
    assert csv_cell(-3) == -3 and csv_cell(0.5) == 0.5 and csv_cell(None) is None


@pytest.mark.parametrize("q", ["", "formula", "@SUM(1+1)", "=HYPERLINK", "-oil"])
def test_web_csv_export_has_no_live_formula(client, q):
    response = client.get("/search.csv", query_string={"q": q})
    assert response.status_code in (200, 400)
    table = rows(response.get_data(as_text=True))
    assert_no_formula_cells(table)
    if q in ("", "formula"):  # the hostile article is exported, its cells shown as text
        cells = {cell for row in table for cell in row}
        assert "'" + HYPERLINK in cells
        assert any(cell.startswith("'+cmd|") for cell in cells)


def test_cli_csv_export_has_no_live_formula(hostile_dir):
    result = CliRunner().invoke(main, ["--data-dir", str(hostile_dir), "export", "--format",
                                       "csv"])
    assert result.exit_code == 0, result.output
    table = rows(result.output)
    assert len(table) == 1 + len(PAGES)
    assert_no_formula_cells(table)
    assert "'" + HYPERLINK in {cell for row in table for cell in row}


# --- no server file paths in public answers ---------------------------------------------

def test_public_answers_name_the_source_file_not_its_path(client, hostile_dir):
    record = client.get(permalink_of(client, "harbour") + ".json").get_json()
    assert record["source"] == "page_01.txt"
    exported = [json.loads(line) for line in
                client.get("/search.jsonl").get_data(as_text=True).splitlines()]
    table = rows(client.get("/search.csv").get_data(as_text=True))
    sources = {r["source"] for r in exported} | {row[table[0].index("source")]
                                                 for row in table[1:]}
    assert sources == {"page_01.txt", "page_02.txt"}
    body = client.get("/search.jsonl").get_data(as_text=True)
    assert str(hostile_dir.parent) not in body


def test_cli_export_keeps_the_full_path_for_the_operator(hostile_dir):
    result = CliRunner().invoke(main, ["--data-dir", str(hostile_dir), "export"])
    sources = {json.loads(line)["source"] for line in result.output.splitlines()}
    assert all(Path(s).is_absolute() and Path(s).is_file() for s in sources)


# --- absolute URLs from the canonical address, never from Host --------------------------

EVIL = {"Host": "evil.example"}


PAGES_WITH_URLS = ("", ".json", ".txt", "/search.atom?q=oil", "/search.json?q=oil",
                   "/opensearch.xml", "/sitemap.xml", "/robots.txt", "/index.json",
                   "/arab-times.json", "/arab-times/2019-08-01.json")


@pytest.mark.parametrize("path", PAGES_WITH_URLS)
def test_forged_host_appears_nowhere(client, path):
    if not path.startswith("/"):  # an article twin
        path = permalink_of(client, "harbour") + path
    response = client.get(path, headers=EVIL)
    assert response.status_code == 200, path
    text = response.get_data(as_text=True) + str(response.headers)
    assert "evil.example" not in text
    assert "http://localhost/" in text  # the default canonical address


@pytest.mark.parametrize("path", ["/search.jsonl", "/search.csv"])
def test_forged_host_appears_in_no_export(client, path):
    text = client.get(path, headers=EVIL).get_data(as_text=True)
    assert "evil.example" not in text and "http://localhost/" in text


def test_citations_use_the_canonical_address(hostile_dir):
    application = create_app({"TESTING": True, "DATA_DIR": str(hostile_dir),
                              "CANONICAL_URL": "https://archive.example.org/"})
    try:
        client = application.test_client()
        path = permalink_of(client, "harbour")
        page = BeautifulSoup(client.get(path, headers=EVIL).get_data(as_text=True),
                             "html.parser")
        cited = page.get_text()
        assert f"https://archive.example.org{path}" in cited and "evil.example" not in cited
        assert page.select_one("link[rel=canonical]")["href"] == \
            f"https://archive.example.org{path}"
        feed = xml(client.get("/search.atom?q=harbour", headers=EVIL))
        ids = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}id")]
        assert ids and all(i.startswith("https://archive.example.org/") for i in ids)
    finally:
        close_library(application)


def test_redirects_never_point_at_the_forged_host(client):
    # Werkzeug's trailing-slash redirect is built from the Host header: moved onto ours
    moved = client.get("/arab-times", headers=EVIL)
    assert moved.status_code in (301, 308)
    assert moved.headers["Location"] == "http://localhost/arab-times/"
    path = permalink_of(client, "harbour")
    article_id = path.rsplit("-", 1)[1]
    other = client.get(f"/arab-times/2019-08-02/{article_id}?q=harbour", headers=EVIL)
    assert other.status_code == 301 and "evil.example" not in other.headers["Location"]
    assert other.headers["Location"].endswith(path + "?q=harbour")


def test_canonical_url_from_the_environment(monkeypatch, hostile_dir):
    monkeypatch.setenv("NEWSARCHIVE_CANONICAL_URL", "https://env.example.org/archive")
    application = create_app({"TESTING": True, "DATA_DIR": str(hostile_dir)})
    try:
        robots = application.test_client().get("/robots.txt", headers=EVIL)
        assert "Sitemap: https://env.example.org/archive/sitemap.xml" in robots.get_data(
            as_text=True)
    finally:
        close_library(application)


@pytest.mark.parametrize("value", ["archive.example.org", "ftp://x.example", "https://", 8080,
                                   "https://x.example/?a=1", "https://x.example:99999"])
def test_a_bad_canonical_url_is_refused_with_its_name(value):
    with pytest.raises(ValueError, match="CANONICAL_URL"):
        urls.canonical_root(value)


def test_serve_without_a_canonical_url_uses_its_listening_address():
    from web.server import listening_address

    assert listening_address("127.0.0.1", 8080) == "http://127.0.0.1:8080"
    assert listening_address("0.0.0.0", 80) == "http://localhost:80"
    assert listening_address("::1", 8081) == "http://[::1]:8081"
    assert urls.canonical_root(None) == "http://localhost"
