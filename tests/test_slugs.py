"""Slugs (archive.slugs): letters NFKD leaves whole are spelled out in addresses, article
ids keep the slug they were made from, and a store from before (schema 4) moves its
publications to the new slugs with their old addresses redirecting."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import seed_page, served

from archive.articles import article_id
from archive.slugs import id_slug, slugify
from archive.store import Store


@pytest.mark.parametrize(("name", "slug", "old"), [
    ("Straßburger Post", "strassburger-post", "straburger-post"),
    ("L'Œuvre", "loeuvre", "luvre"),
    ("Þjóðólfur", "thjodolfur", "joolfur"),
    ("Gazeta Łódzka", "gazeta-lodzka", "gazeta-odzka"),
    ("Fædrelandsvennen", "faedrelandsvennen", "fdrelandsvennen"),
    ("Le Petit Journal", "le-petit-journal", "le-petit-journal"),
    ("Müller & Söhne", "muller-sohne", "muller-sohne"),
    ("الرأي العام", "الرأي-العام", "الرأي-العام")])
def test_addresses_spell_letters_out_and_ids_keep_their_slug(name: str, slug: str,
                                                             old: str) -> None:
    assert slugify(name) == slug
    assert id_slug(name) == old


def _old_store(data: Path, publication: str, old_slug: str) -> None:
    """Make the store in data/ look as schema 4 left it: the publication under the slug
    it had then, and no table of former slugs."""
    db = sqlite3.connect(data / "articles.sqlite3")
    db.execute("UPDATE articles SET publication_slug = ? WHERE publication = ?",
               (old_slug, publication))
    db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    db.execute("DROP TABLE former_slugs")
    db.commit()
    db.close()


def test_a_store_from_before_moves_its_publications_and_redirects_their_old_addresses(
        tmp_path: Path) -> None:
    pages = tmp_path / "pages" / "1912-03-12"
    pages.mkdir(parents=True)
    (pages / "page_01.txt").write_text(seed_page(
        "Hafen erweitert", "Der Rat hat gestern beschlossen, den Hafen zu erweitern, und die "
        "Arbeiten beginnen im Frühjahr.", publication="Straßburger Post"), encoding="utf-8")
    data = tmp_path / "data"
    with served(data, tmp_path / "pages") as client:
        [item] = client.get("/search.json?q=hafen").get_json()["items"]
        assert "/strassburger-post/1912-03-12/" in item["url"]
    store = Store(data / "articles.sqlite3")
    [article] = list(store.articles())
    store.close()
    # the id is made from the slug ids always had
    assert article.id == article_id("straburger-post", article.date, article.page,
                                    article.source_sha256, article.headline,
                                    "".join(article.paragraphs).encode())
    _old_store(data, "Straßburger Post", "straburger-post")
    store = Store(data / "articles.sqlite3")  # (opening it migrates it)
    try:
        assert [a.publication_slug for a in store.articles()] == ["strassburger-post"]
        assert store.slug_successor("straburger-post") == "strassburger-post"
        queued = store.db.execute("SELECT article_id FROM changes WHERE op = 'upsert' "
                                  "ORDER BY seq DESC LIMIT 1").fetchone()[0]
        assert queued == article.id  # the index is brought up to date by the next rebuild
    finally:
        store.close()
    with served(data, tmp_path / "pages") as client:
        for old, new in (("/straburger-post/", "/strassburger-post/"),
                         ("/straburger-post.json", "/strassburger-post.json"),
                         ("/straburger-post/1912/", "/strassburger-post/1912/"),
                         ("/straburger-post/1912-03-12/?x=1",
                          "/strassburger-post/1912-03-12/?x=1")):
            answer = client.get(old)
            assert answer.status_code == 301 and answer.location.endswith(new), old
            assert client.get(new).status_code == 200
        assert client.get("/no-such-paper/").status_code == 404
