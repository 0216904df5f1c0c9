"""The index over the real ingest path: pages with dated paths and sidecars go through the
store into the index, and the Library answers with the metadata the pages carry."""

from __future__ import annotations

import json

import pytest
from index_helpers import BY_KEY, CORPUS, build_data_dir, expected_counts, write_corpus

from archive.store import Store
from index.build import META
from index.engine import FACETS, IndexMissing, SearchRequest
from index.library import READ_CACHE_MIB, STORE_NAME, Library


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("library")
    write_corpus(root / "pages")
    result = build_data_dir(root / "data", [root / "pages"])
    assert result.articles == len(CORPUS)
    opened = Library(root / "data")
    yield opened
    opened.close()


def test_the_serving_connection_has_its_own_page_cache(library):
    cache = library.store.db.execute("PRAGMA cache_size").fetchone()[0]
    assert cache == -READ_CACHE_MIB * 1024  # negative: KiB
    plain = Store(library.data_dir / STORE_NAME)  # a writer's or a tool's: SQLite's own
    try:
        assert plain.db.execute("PRAGMA cache_size").fetchone()[0] != cache
    finally:
        plain.close()


def test_ingested_articles_are_the_specs(library):
    store = Store(library.data_dir / STORE_NAME)
    try:
        stored = {a.id: a for a in store.articles()}
    finally:
        store.close()
    assert set(stored) == {s.id for s in CORPUS}
    for spec in CORPUS:
        article = stored[spec.id]
        assert (article.date, article.date_source) == (spec.date, "path")
        assert (article.section, article.page) == (spec.section, spec.page)  # sidecar
        assert (article.language, article.country) == (spec.language, spec.country)
        assert article.place == spec.place and article.agencies == spec.agencies


def test_facets_from_pages_paths_and_sidecars(library):
    results = library.search(SearchRequest(facet_limit=0, page_size=100))
    assert results.total == len(CORPUS)
    counts = {f.name: {v.value: v.count for v in f.values} for f in results.facets}
    for facet in FACETS:
        assert counts[facet] == expected_counts(CORPUS, facet, {}), facet
    filtered = library.search(SearchRequest(
        filters=(("section", ("Local", "محليات")), ("year", ("2017",))), facet_limit=0))
    assert filtered.total == 6  # four Local (2017) articles and the two Arabic ones
    language = {v.value: v.count for f in filtered.facets if f.name == "language"
                for v in f.values}
    assert language == {"English": 4, "Arabic": 2}


def test_furniture_never_reaches_the_index(library):
    for q in ('"Newspapers in English"', "newspapers", '"Arab Times"'):
        assert library.search(SearchRequest(q=q)).total == 0, q


def test_snippets_come_from_the_store(library):
    hit = library.search(SearchRequest(q="polise~1 hawally")).hits[0]
    assert hit.id == BY_KEY["ocr"].id
    assert '<mark class="match term0">polise</mark>' in hit.snippet_html
    assert "Hawally" in hit.snippet_html


def test_arabic_through_ingest(library):
    for q in ("امطار", "أمطارٌ", "مستشفي", "المدرسه"):
        assert library.search(SearchRequest(q=q)).total == 1, q
    hit = library.search(SearchRequest(q="الكويت")).hits[0]
    assert hit.publication == "Al-Rai" and hit.publication_slug == "al-rai"
    assert "<mark" in hit.headline_html


def test_no_index_yet(tmp_path):
    library = Library(tmp_path)
    try:
        with pytest.raises(IndexMissing, match="rebuild"):
            library.search(SearchRequest(q="x"))
    finally:
        library.close()


def test_the_snapshot_record_is_read_again_when_an_update_rewrites_it(tmp_path):
    """The Library keeps the serving snapshot's record between requests, but an incremental
    update rewrites the record in place: the next ask must see the new change number."""
    write_corpus(tmp_path / "pages")
    build_data_dir(tmp_path / "data", [tmp_path / "pages"])
    opened = Library(tmp_path / "data")
    try:
        first = opened.snapshot()
        assert first is not None and opened.snapshot() is first  # kept, not parsed again
        record = json.loads((first.path / META).read_text())
        record["change_seq"] += 5
        (first.path / (META + ".tmp")).write_text(json.dumps(record))
        (first.path / (META + ".tmp")).replace(first.path / META)  # as index.build writes it
        assert opened.snapshot().change_seq == first.change_seq + 5
    finally:
        opened.close()
