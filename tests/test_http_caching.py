"""HTTP caching and the addresses of removed articles: permalinks, their twins and feeds send
ETag and Last-Modified and answer conditional requests with 304; Cache-Control fits (articles
an hour, searches a minute, errors never stored); an article a rebuild removed answers 410
Gone with a search for its headline, a changed one 301 to its successor, an unknown id 404."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import seed_page

from web import create_app
from web.caching import ARTICLE_CACHE, NO_STORE, SHORT_CACHE
from web.cli import main
from web.resources import close_library

BODY = ("The council approved the harbour plan on Sunday after a long debate about the cost "
        "of the new container berths and the dredging of the channel.")
MUSEUM = ("Museum reopens", "KUWAIT CITY, Nov 5: The national museum reopened its doors to "
                            "visitors on Sunday after two years of restoration work.")
HARBOUR = ("Harbour plan approved", f"KUWAIT CITY, Nov 5: {BODY}")
BRIDGE = ("Bridge opens to traffic", "KUWAIT CITY, Nov 5: The new bridge opened to traffic "
                                     "on Sunday, cutting the drive to the islands by an hour.")
STADIUM = ("Stadium roof repaired", "KUWAIT CITY, Nov 5: Workers finished repairing the "
                                    "stadium roof on Sunday ahead of the football season.")


def write(pages: Path, name: str, story: tuple[str, str], change: str = "") -> None:
    path = pages / "2017-11-06" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    headline, text = story
    path.write_text(seed_page(headline, text.replace("Sunday", change or "Sunday")),
                    encoding="utf-8")


def rebuild(data: Path, pages: Path) -> None:
    result = CliRunner().invoke(main, ["--data-dir", str(data), "rebuild", str(pages)])
    assert result.exit_code == 0, result.output


def ids(client, q: str) -> list[str]:
    return [i["id"] for i in client.get("/search.json", query_string={"q": q}).get_json()["items"]]


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Iterator[dict]:
    """An archive rebuilt three times: first four articles; then the museum removed and the
    bridge and stadium pages read again (new ids, successors); then the stadium removed.
    Yields the app and the ids each article had."""
    base = tmp_path_factory.mktemp("history")
    pages, data = base / "pages", base / "data"
    for name, story in (("museum.txt", MUSEUM), ("harbour.txt", HARBOUR),
                        ("bridge.txt", BRIDGE), ("stadium.txt", STADIUM)):
        write(pages, name, story)
    rebuild(data, pages)
    application = create_app({"TESTING": True, "DATA_DIR": str(data)})
    client = application.test_client()
    first = {q: ids(client, q)[0] for q in ("museum", "harbour", "bridge", "stadium")}
    first_paths = {q: urlsplit(client.get("/search.json", query_string={"q": q})
                               .get_json()["items"][0]["url"]).path for q in first}
    (pages / "2017-11-06" / "museum.txt").unlink()
    write(pages, "bridge.txt", BRIDGE, change="Saturday")
    write(pages, "stadium.txt", STADIUM, change="Saturday")
    rebuild(data, pages)
    second = {q: ids(client, q)[0] for q in ("harbour", "bridge", "stadium")}
    (pages / "2017-11-06" / "stadium.txt").unlink()
    rebuild(data, pages)
    yield {"app": application, "first": first, "paths": first_paths, "second": second}
    close_library(application)


@pytest.fixture
def client(history):
    return history["app"].test_client()


def article_path(client, q: str) -> str:
    item = client.get("/search.json", query_string={"q": q}).get_json()["items"][0]
    return urlsplit(item["url"]).path


# --- validators and 304 -----------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["", ".json", ".txt"])
def test_permalink_and_twins_answer_conditional_requests(client, suffix):
    path = article_path(client, "harbour") + suffix
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == ARTICLE_CACHE
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == ARTICLE_CACHE
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    stale = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.get_data() == first.get_data()
    head = client.head(path, headers={"If-None-Match": etag})
    assert head.status_code == 304


def test_each_twin_and_highlighting_has_its_own_etag(client):
    path = article_path(client, "harbour")
    tags = {client.get(p).headers["ETag"] for p in
            (path, path + ".json", path + ".txt", path + "?q=harbour")}
    assert len(tags) == 4


def test_feed_and_search_pages_are_validated_and_short_lived(client):
    for path in ("/search.atom?q=harbour", "/search.json?q=harbour", "/search?q=harbour"):
        first = client.get(path)
        assert first.status_code == 200 and first.headers["Cache-Control"] == SHORT_CACHE
        assert first.headers["Last-Modified"]
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b"", path
        since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        assert since.status_code == 304, path


def test_an_etag_changes_when_the_archive_does(tmp_path):
    pages, data = tmp_path / "pages", tmp_path / "data"
    write(pages, "harbour.txt", HARBOUR)
    rebuild(data, pages)
    application = create_app({"TESTING": True, "DATA_DIR": str(data)})
    try:
        client = application.test_client()
        path = article_path(client, "harbour")
        before = {p: client.get(p).headers["ETag"] for p in (path, "/search.atom")}
        write(pages, "bridge.txt", BRIDGE)  # a new article in the same issue: a neighbour
        rebuild(data, pages)
        for page, etag in before.items():
            response = client.get(page, headers={"If-None-Match": etag})
            assert response.status_code == 200 and response.headers["ETag"] != etag, page
    finally:
        close_library(application)


def test_errors_are_never_stored(client, history, empty_app):
    assert client.get("/arab-times/2017-11-06/nothing-000000000000").headers[
        "Cache-Control"] == NO_STORE
    assert client.get("/search?q=(oil").headers["Cache-Control"] == NO_STORE
    assert client.get(history["paths"]["museum"]).headers["Cache-Control"] == NO_STORE
    unready = empty_app.test_client().get("/search?q=oil")
    assert unready.status_code == 503 and unready.headers["Cache-Control"] == NO_STORE
    assert "ETag" not in unready.headers


# --- removed and changed articles ---------------------------------------------------------

def test_a_removed_article_is_gone_with_a_search_for_its_headline(client, history):
    path = history["paths"]["museum"]
    response = client.get(path)
    assert response.status_code == 410
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "removed" in page.h1.get_text()
    assert "Museum reopens" in page.select_one(".lede").get_text()
    link = next(a for a in page.select("a") if "headline" in a.get_text())
    target = urlsplit(link["href"])
    assert target.path == "/search"
    assert parse_qs(target.query)["q"] == ['headline:"museum reopens"']
    assert client.get(link["href"]).status_code == 200


def test_a_removed_articles_json_twin_is_gone_as_json(client, history):
    response = client.get(history["paths"]["museum"] + ".json")
    assert response.status_code == 410 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == 410 and body["headline"] == "Museum reopens"
    assert body["id"] == history["first"]["museum"]
    assert body["search_url"].startswith("http://localhost/search?q=")


def test_any_spelling_of_a_removed_articles_address_is_gone(client, history):
    museum = history["first"]["museum"]
    assert client.get(f"/arab-times/undated/whatever-{museum}").status_code == 410


def test_a_changed_article_moves_permanently_to_its_successor(client, history):
    old, new = history["first"]["bridge"], history["second"]["bridge"]
    assert old != new
    moved = client.get(history["paths"]["bridge"] + ".json")
    assert moved.status_code == 301 and moved.headers["Cache-Control"] == ARTICLE_CACHE
    assert moved.headers["Location"].endswith(f"-{new}.json")
    assert client.get(moved.headers["Location"]).status_code == 200


def test_a_former_id_whose_successor_was_removed_is_gone(client, history):
    assert history["first"]["stadium"] != history["second"]["stadium"]
    response = client.get(history["paths"]["stadium"])
    assert response.status_code == 410
    assert "Stadium roof repaired" in response.get_data(as_text=True)


def test_an_id_never_seen_is_not_found(client):
    response = client.get("/arab-times/2017-11-06/museum-reopens-0123456789ab")
    assert response.status_code == 404
    assert client.get("/arab-times/2017-11-06/x-0123456789ab.json").get_json()["status"] == 404
