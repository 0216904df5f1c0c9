"""The build's Whoosh writers (index.whoosh.writer) make the index Whoosh's own writers
make: every term of every field with the same documents, weights and statistics (and,
outside the spelling fields, whose values nothing reads, the same values)."""

from __future__ import annotations

import pytest
from index_helpers import generated_articles
from whoosh import index
from whoosh.filedb.filestore import FileStorage

from index.whoosh.codec import WritingCodec
from index.whoosh.schema import schema, to_document
from index.whoosh.writer import MpWriter, SegmentWriter


def _postings(path) -> dict:
    """(field, term) -> (doc frequency, total weight, [(doc, weight, value)]), documents
    named by their id (processes number them in whichever order they take them)."""
    ix = FileStorage(str(path), supports_mmap=False).open_index()
    found = {}
    with ix.reader() as reader:
        ids = {n: reader.stored_fields(n)["id"] for n in range(reader.doc_count_all())}
        for field, text in reader.all_terms():
            matcher = reader.postings(field, text)
            rows = []
            while matcher.is_active():
                doc = "spelling" if field.startswith("spell_") else ids[matcher.id()]
                value = None if field.startswith("spell_") else matcher.value()
                rows.append((doc, matcher.weight(), value))
                matcher.next()
            found[field, text] = (reader.doc_frequency(field, text),
                                  reader.frequency(field, text), sorted(rows))
        documents = sorted((reader.stored_fields(n)["id"], reader.doc_field_length(n, "body"),
                            reader.stored_fields(n)) for n in range(reader.doc_count_all()))
    ix.close()
    return {"postings": found, "documents": documents}


@pytest.fixture(scope="module")
def docs():
    items = generated_articles(260, seed=11)
    return [to_document(a) for a in items]


def _build(path, docs, make):
    path.mkdir()
    ix = index.create_in(str(path), schema())
    with make(ix) as writer:
        for doc in docs:
            writer.add_document(**doc)
    ix.close()
    return _postings(path)


def test_segment_writer_writes_what_whoosh_writes(tmp_path, docs):
    ours = _build(tmp_path / "ours", docs,
                  lambda ix: SegmentWriter(ix, limitmb=1, codec=WritingCodec()))
    theirs = _build(tmp_path / "theirs", docs, lambda ix: ix.writer(limitmb=1))
    assert ours == theirs
    spelled = [key for key in ours["postings"] if key[0] == "spell_body"]
    assert spelled and max(ours["postings"][k][0] for k in spelled) > 50


def test_multiprocess_writer_writes_what_whoosh_writes(tmp_path, docs):
    ours = _build(tmp_path / "ours", docs,
                  lambda ix: MpWriter(ix, procs=2, batchsize=40, multisegment=True,
                                      codec=WritingCodec()))
    theirs = _build(tmp_path / "theirs", docs, lambda ix: ix.writer(limitmb=1))
    assert ours == theirs


def test_merging_segments_keeps_spelling_counts(tmp_path, docs):
    """An update merging an older segment into the new one adds their counts."""
    def two_commits(make):
        path = tmp_path / make.__name__
        path.mkdir()
        ix = index.create_in(str(path), schema())
        for part in (docs[:100], docs[100:]):
            with make(ix) as writer:
                for doc in part:
                    writer.add_document(**doc)
                writer.mergetype = None
        ix = FileStorage(str(path)).open_index()
        with make(ix) as writer:
            writer.optimize = True  # one segment: the older ones merged in
        ix.close()
        return _postings(path)

    def ours(ix):
        return SegmentWriter(ix, codec=WritingCodec())

    def theirs(ix):
        return ix.writer()

    assert two_commits(ours) == two_commits(theirs)
