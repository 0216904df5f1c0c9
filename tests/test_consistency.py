"""The serving index and the articles it refers to belong together: an ingest that changes
or removes articles before the next rebuild leaves every hit of the serving index opening
the article as it was indexed; after the rebuild a changed id leads to its successor and a
removed one is "gone" (never a bare unknown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.ingest import ingest
from archive.model import ReadOptions
from index.build import rebuild
from index.engine import SearchRequest
from index.library import INDEX_NAME, STORE_NAME, Library

BODY = ("The council approved the harbour plan on Sunday after a long debate about the cost "
        "of the new container berths.")


def page(headline: str, body: str = BODY) -> str:
    return (f"Arab Times\n\n{headline}\n\n-\n\nKUWAIT CITY, Nov 5, (KUNA): {body}\n\n"
            "Newspapers in English\n\nNewspapers from Kuwait\n")


@pytest.fixture
def archive_dir(tmp_path):
    """(data dir, pages dir, library) with two pages ingested and indexed."""
    pages = tmp_path / "pages" / "2017-11-06"
    pages.mkdir(parents=True)
    (pages / "harbour.txt").write_text(page("Harbour plan approved"), encoding="utf-8")
    (pages / "museum.txt").write_text(page("Museum reopens", "The national museum reopened "
                                           "its doors to visitors on Sunday."),
                                      encoding="utf-8")
    data = tmp_path / "data"
    library = Library(data)
    ingest(library.store, [pages.parent], ReadOptions(), jobs=1)
    rebuild(library.store, data / INDEX_NAME)
    yield data, pages, library
    library.close()


def hit_ids(library: Library, q: str) -> list[str]:
    return [hit.id for hit in library.search(SearchRequest(q=q)).hits]


def test_a_changed_article_opens_as_indexed_until_the_rebuild(archive_dir):
    data, pages, library = archive_dir
    (old_id,) = hit_ids(library, "harbour")
    (pages / "harbour.txt").write_text(page("Harbour plan approved",
                                            BODY.replace("long", "lengthy")), encoding="utf-8")
    ingest(library.store, [pages.parent], ReadOptions(), jobs=1)
    assert library.store.article(old_id) is None  # the store moved on ...
    served = library.article(old_id)  # ... but the serving index's hit still opens
    assert served is not None and "long debate" in served.body
    assert hit_ids(library, "harbour") == [old_id]
    rebuild(library.store, data / INDEX_NAME)
    (new_id,) = hit_ids(library, "harbour")
    assert new_id != old_id
    assert library.article(old_id) is None
    assert library.successor(old_id).id == new_id  # the old permalink redirects


def test_a_removed_article_opens_until_the_rebuild_then_is_gone(archive_dir):
    data, pages, library = archive_dir
    (museum,) = hit_ids(library, "museum")
    (pages / "museum.txt").unlink()
    ingest(library.store, [pages.parent], ReadOptions(), jobs=1)
    assert library.article(museum).headline == "Museum reopens"
    rebuild(library.store, data / INDEX_NAME)
    assert hit_ids(library, "museum") == []
    assert library.article(museum) is None and library.successor(museum) is None
    assert library.gone(museum).headline == "Museum reopens"  # for a 410 with its headline


def test_a_rebuild_forgets_versions_nothing_refers_to(archive_dir):
    data, pages, library = archive_dir
    (pages / "harbour.txt").write_text(page("Harbour plan approved",
                                            BODY.replace("cost", "price")), encoding="utf-8")
    ingest(library.store, [pages.parent], ReadOptions(), jobs=1)
    retired = library.store.db.execute("SELECT count(*) FROM retired").fetchone()[0]
    assert retired == 1
    rebuild(library.store, data / INDEX_NAME)
    assert library.store.db.execute("SELECT count(*) FROM retired").fetchone()[0] == 0


def test_every_hit_of_the_serving_index_opens_after_an_ingest(tmp_path):
    from index_helpers import generate_pages

    pages = tmp_path / "pages"
    generate_pages(pages, 60)
    data = tmp_path / "data"
    library = Library(data)
    try:
        ingest(library.store, [pages], ReadOptions(), jobs=1)
        rebuild(library.store, data / INDEX_NAME)
        files = sorted(Path(pages).rglob("*.txt"))
        for number, path in enumerate(files):  # change a third, remove a third
            if number % 3 == 0:
                path.write_text(path.read_text("utf-8").replace("the", "a"), encoding="utf-8")
            elif number % 3 == 1:
                path.unlink()
        ingest(library.store, [pages], ReadOptions(), jobs=1)
        hits = library.search(SearchRequest(q="zephyrquartz", page_size=100)).hits
        assert len(hits) >= 50
        for hit in hits:
            article = library.article(hit.id)
            assert article is not None and article.headline == hit.headline
    finally:
        library.close()
    assert (data / STORE_NAME).exists()
