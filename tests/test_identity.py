"""An article is one printed appearance: two printings are two articles, the same page
delivered twice is one, and an id that changes keeps answering (301 to its successor)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from archive.articles import article_id
from archive.ingest import ingest
from archive.model import RawItem, RawUnit, ReadOptions
from archive.store import Store
from web import create_app

BODY = ("The council approved the harbour plan on Sunday after a long debate about the cost "
        "of the new container berths.")


def page(headline: str, body: str = BODY, dateline: str = "KUWAIT CITY, Nov 5, (KUNA):") -> str:
    return (f"Arab Times\n\n{headline}\n\n-\n\n{dateline} {body}\n\nThe vote was 30 to 12."
            "\n\nNewspapers in English\n\nNewspapers from Kuwait\n")


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp_path: Path, root: Path) -> tuple[Store, object]:
    store = Store(tmp_path / "store.sqlite3")
    return store, ingest(store, [root], ReadOptions(), jobs=1)


def test_the_same_story_printed_on_two_days_is_two_articles(tmp_path):
    root = tmp_path / "pages"
    write(root, "2017-11-06/kuna.txt", page("Harbour plan approved"))
    write(root, "2017-11-06/afp.txt", page("Council backs harbour",
                                             dateline="KUWAIT CITY, Nov 5, (AFP):"))
    write(root, "2017-11-07/reuters.txt", page("Harbour berths get go-ahead",
                                                dateline="KUWAIT CITY, Nov 6, (Reuters):"))
    store, report = run(tmp_path, root)
    try:
        assert report.new == 3 and report.articles_added == 3 and store.count() == 3
        assert {r.articles for r in store.sources()} == {1}
        by_date = {a.date: a for a in store.articles()}
        assert dt.date(2017, 11, 7) in by_date
        assert [a.headline for a in store.issue("arab-times", dt.date(2017, 11, 7))] == \
            ["Harbour berths get go-ahead"]
    finally:
        store.close()


def test_the_same_page_delivered_twice_is_one_article_recorded_as_a_duplicate(tmp_path):
    root = tmp_path / "pages"
    write(root, "2017-11-06/a.txt", page("Harbour plan approved"))
    write(root, "copies/2017-11-06/a.txt", page("Harbour plan approved"))
    store, report = run(tmp_path, root)
    try:
        assert report.new == 2 and store.count() == 1
        assert store.db.execute("SELECT count(*) FROM duplicates").fetchone()[0] == 1
    finally:
        store.close()


def test_ids_do_not_depend_on_the_order_or_place_of_files(tmp_path):
    first = tmp_path / "one"
    write(first, "2017-11-06/x.txt", page("Harbour plan approved"))
    write(first, "2017-11-07/y.txt", page("Another day", body="A different story entirely."))
    second = tmp_path / "elsewhere" / "two"
    write(second, "2017-11-07/a.txt", page("Another day", body="A different story entirely."))
    write(second, "2017-11-06/b.txt", page("Harbour plan approved"))
    one = Store(tmp_path / "one.sqlite3")
    two = Store(tmp_path / "two.sqlite3")
    try:
        ingest(one, [first], ReadOptions(), jobs=1)
        ingest(two, [second], ReadOptions(), jobs=1)
        assert {a.id for a in one.articles()} == {a.id for a in two.articles()}
    finally:
        one.close()
        two.close()


def test_identical_items_of_one_page_get_ids_of_their_own():
    from archive.articles import finish
    from archive.model import PageMeta

    ad = RawItem(blocks=(("CASH PAID for old gold.",),), headline="WANTED", kind="advertisement",
                 page=4)
    story = RawItem(blocks=((BODY,),), headline="Harbour plan", page=4)
    meta = PageMeta(date=dt.date(1916, 1, 15), date_source="path")
    parsed = finish(RawUnit(items=(ad, story, ad)), "issue.xml", "abc", meta, ReadOptions())
    ids = [a.id for a in parsed.articles]
    assert len(ids) == len(set(ids)) == 3
    again = finish(RawUnit(items=(ad, story, ad)), "issue.xml", "abc", meta, ReadOptions())
    assert [a.id for a in again.articles] == ids  # the same reading, the same ids
    assert parsed.articles[0].kind == "advertisement"


def test_article_id_tells_printings_apart():
    same = article_id("p", dt.date(2017, 11, 6), 3, "u", "Head", "Body text")
    assert same == article_id("p", dt.date(2017, 11, 6), 3, "other unit", "Head", "Body  text!")
    assert same != article_id("p", dt.date(2017, 11, 7), 3, "u", "Head", "Body text")
    assert same != article_id("p", dt.date(2017, 11, 6), 4, "u", "Head", "Body text")
    assert same != article_id("p", dt.date(2017, 11, 6), 3, "u", "Other head", "Body text")
    assert same != article_id("q", dt.date(2017, 11, 6), 3, "u", "Head", "Body text")
    undated = article_id("p", None, None, "unit-a", "Head", "Body text")
    assert undated != article_id("p", None, None, "unit-b", "Head", "Body text")


@pytest.fixture
def changed_page(tmp_path):
    """A page ingested, then corrected (one word of its body), then ingested again:
    (data dir, the old id, the new id)."""
    data = tmp_path / "data"
    root = tmp_path / "pages"
    path = write(root, "2017-11-06/a.txt", page("Harbour plan approved"))
    store = Store(data / "articles.sqlite3")
    try:
        ingest(store, [root], ReadOptions(), jobs=1)
        (old,) = store.articles()
        path.write_text(page("Harbour plan approved", body=BODY.replace("long", "lengthy")),
                        encoding="utf-8")
        report = ingest(store, [root], ReadOptions(), jobs=1)
        assert report.changed == 1
        (new,) = store.articles()
        assert new.id != old.id
        assert store.successor(old.id) == new.id
    finally:
        store.close()
    return data, old.id, new.id


def test_a_former_id_redirects_to_its_successor(changed_page):
    data, old_id, new_id = changed_page
    client = create_app({"TESTING": True, "DATA_DIR": str(data)}).test_client()
    for suffix in ("", ".json"):
        response = client.get(f"/arab-times/2017-11-06/harbour-plan-approved-{old_id}{suffix}")
        assert response.status_code == 301
        assert response.headers["Location"].endswith(
            f"/arab-times/2017-11-06/harbour-plan-approved-{new_id}{suffix}")


def test_a_successor_that_changes_again_is_followed_from_the_first_id(changed_page, tmp_path):
    data, old_id, middle_id = changed_page
    store = Store(data / "articles.sqlite3")
    try:
        path = tmp_path / "pages" / "2017-11-06" / "a.txt"
        path.write_text(page("Harbour plan approved", body=BODY.replace("cost", "price")),
                        encoding="utf-8")
        ingest(store, [tmp_path / "pages"], ReadOptions(), jobs=1)
        (newest,) = store.articles()
        assert store.successor(old_id) == store.successor(middle_id) == newest.id
    finally:
        store.close()


def test_an_unrelated_replacement_is_no_successor(tmp_path):
    root = tmp_path / "pages"
    path = write(root, "2017-11-06/a.txt", page("Harbour plan approved"))
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, [root], ReadOptions(), jobs=1)
        (old,) = store.articles()
        path.write_text(page("Football", body="The national team won the cup final 2-0 in "
                             "front of a full stadium."), encoding="utf-8")
        ingest(store, [root], ReadOptions(), jobs=1)
        assert store.successor(old.id) is None
    finally:
        store.close()


def test_a_version_2_store_is_migrated_and_keeps_its_articles(tmp_path):
    path = tmp_path / "store.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '2');
        CREATE TABLE sources (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT
            NULL, status TEXT NOT NULL, reason TEXT, articles INTEGER NOT NULL DEFAULT 0,
            encoding TEXT, parser_version TEXT, ingested_at TEXT NOT NULL);
        CREATE TABLE articles (id TEXT PRIMARY KEY, source TEXT NOT NULL, position INTEGER
            NOT NULL, publication TEXT NOT NULL, publication_slug TEXT NOT NULL, country TEXT,
            language TEXT, date TEXT, date_source TEXT, page INTEGER, section TEXT, headline
            TEXT NOT NULL, subtitle TEXT, byline TEXT, byline_role TEXT, dateline TEXT, place
            TEXT, month INTEGER, day INTEGER, agencies TEXT NOT NULL, paragraphs TEXT NOT NULL,
            word_count INTEGER NOT NULL, source_sha256 TEXT NOT NULL, notes TEXT NOT NULL);
        INSERT INTO sources VALUES ('/p/a.txt', 'x', 1, 'ingested', NULL, 1, 'utf-8', '2', 't');
        INSERT INTO articles VALUES ('1fa084af51f9', '/p/a.txt', 0, 'Arab Times', 'arab-times',
            NULL, NULL, '2017-11-04', 'path', NULL, NULL, 'Head', NULL, NULL, NULL, NULL, NULL,
            NULL, NULL, '[]', '["Body"]', 1, 'x', '[]');
    """)
    db.commit()
    db.close()
    store = Store(path)
    try:
        (article,) = store.articles()
        assert article.id == "1fa084af51f9" and article.kind == "article"
        assert article.confidence is None and article.pages == ()
        assert store.source("/p/a.txt").parser_version == "2"  # read again by the next run
    finally:
        store.close()
