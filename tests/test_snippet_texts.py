"""What search snippets are cut from: the store's snippet_texts, an article's paragraphs
joined by spaces, read by id (the engines ask it for a result page's articles)."""

from __future__ import annotations

from index_helpers import write_corpus

from archive.ingest import ingest
from archive.store import Store


def test_snippet_texts_are_the_paragraphs_of_the_ids_asked(tmp_path):
    write_corpus(tmp_path / "pages")
    store = Store(tmp_path / "articles.sqlite3")
    ingest(store, [tmp_path / "pages"], jobs=1)
    stored = list(store.articles())
    assert len(stored) > 3
    asked = [stored[0].id, "no-such-id", stored[2].id]
    texts = store.snippet_texts(asked)
    assert texts == {a.id: " ".join(a.paragraphs) for a in (stored[0], stored[2])}
    many = [a.id for a in stored] * 300  # more ids than one query binds
    assert store.snippet_texts(many) == {a.id: " ".join(a.paragraphs) for a in stored}
    store.close()
