"""The phrase position store (index.whoosh.positions): written by the writing codec for
every segment, it answers phrases (and terms) exactly as Whoosh's own matchers do, and an
index without it (built before it existed) answers the same from Whoosh's postings."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest
from index_helpers import generated_articles
from whoosh.formats import Positions

from index import engines
from index import query as q
from index.engine import SearchRequest
from index.whoosh import positions
from index.whoosh.query import to_whoosh
from index.whoosh.ranking import rank, score

PHRASES = ['"oil prices"', '"oil prices"~3', '"harbour port ships"~2', '"police court"',
           '"court judge trial"', '"oil oil"', '"minister government"~5',
           'headline:"oil prices"', '"prices oil"', '"bank police" police',
           # terms: their documents and weights are read from the stores too
           "oil", "harbour ships", "oil OR court", "headline:budget"]


def test_positions_decode_as_whoosh_encodes():
    fmt = Positions()
    lists = [[0], [3, 4, 90], [1, 70000], [5, 5 + 2**20]]
    ends, flat = positions.flatten(positions.decode_all([fmt.encode(p) for p in lists]))
    assert ends.tolist() == [1, 4, 6, 8]
    assert flat.tolist() == [p for poslist in lists for p in poslist]
    assert positions.decode_all([]) == []


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An index of three segments with deletions, every term stored (MIN_DOCS 1), and a
    copy of it without its position stores (an index built before they existed)."""
    folder = tmp_path_factory.mktemp("positions")
    items = generated_articles(600)
    patch = pytest.MonkeyPatch()
    patch.setattr(positions, "MIN_DOCS", 1)
    try:
        engine = engines.make_engine("whoosh", folder / "with", lambda ids: {})
        engine.build(items[:300])
        engine.update(items[300:450])
        changed = [dataclasses.replace(a, headline=a.headline + " oil prices")
                   for a in items[:40]]
        engine.update(changed + items[450:], deleted=[a.id for a in items[100:130]])
        engine.close()
    finally:
        patch.undo()
    shutil.copytree(folder / "with", folder / "without")
    for path in (folder / "without").glob("*" + positions.EXTENSION):
        path.unlink()
    yield folder
    for name in ("with", "without"):
        engines.make_engine("whoosh", folder / name, lambda ids: {}).close()


def _engine(folder: Path, name: str):
    return engines.make_engine("whoosh", folder / name, lambda ids: {})


def test_every_segment_has_its_store(built):
    engine = _engine(built, "with")
    with engine.reading() as searcher:
        stores = positions.stores(searcher).segments
        assert len(stores) > 1 and all(s is not None for s in stores)
        term = stores[0].get("body", b"oil")
        assert term is not None and len(term.docs) == len(term.weights) == len(term.ends)
        assert np.all(np.diff(term.docs) > 0) and int(term.ends[-1]) == len(term.positions)
    engine.close()
    assert not list((built / "without").glob("*" + positions.EXTENSION))


def _whoosh(searcher, wquery, limit):
    results = searcher.search(wquery, limit=limit, terms=True, optimize=False)
    return list(results.top_n), [set(results[i].matched_terms())
                                 for i in range(len(results.top_n))]


@pytest.mark.parametrize("text", PHRASES)
@pytest.mark.parametrize("name", ["with", "without"])
def test_phrases_rank_as_whoosh_with_and_without_stores(built, name, text):
    engine = _engine(built, name)
    with engine.reading() as searcher:
        wquery = to_whoosh(q.parse(text), engine._terms_of, searcher)
        scored = score(searcher, wquery)
        assert scored is not None
        expected, terms = _whoosh(searcher, wquery, 1000)
        ranked = rank(scored, None, 1000, None)
        assert ranked.top_n == expected, text
        assert [set(ranked[i].matched_terms()) for i in range(len(expected))] == terms
    engine.close()


def test_search_answers_the_same_with_and_without_stores(built):
    answers = {}
    for name in ("with", "without"):
        engine = _engine(built, name)
        answers[name] = [engine.search(SearchRequest(q=text, page_size=10))
                         for text in PHRASES]
        engine.close()
    for a, b in zip(answers["with"], answers["without"], strict=True):
        assert (a.total, [h.id for h in a.hits]) == (b.total, [h.id for h in b.hits])
    assert any(a.total for a in answers["with"])
