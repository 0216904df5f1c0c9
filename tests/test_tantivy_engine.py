"""What only the tantivy engine needs checking, beyond the shared suite of test_engine.py:
relevance ties (tantivy quantises field lengths, so equal scores are common) are put in id
order, and every page of a search is a slice of one order however the ties fall."""

from __future__ import annotations

import random

import pytest
from index_helpers import generated_articles

from index.engine import SearchRequest
from index.tantivy.engine import TIE_CAP, TantivyEngine


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    built = TantivyEngine(tmp_path_factory.mktemp("tantivy"))
    articles = generated_articles(900)  # bodies of equal length: many equal scores
    random.Random(3).shuffle(articles)  # index order is not id order
    built.build(articles)
    yield built
    built.close()


def pages(engine, q: str, size: int) -> list:
    hits, page = [], 1
    while True:
        results = engine.search(SearchRequest(q=q, page=page, page_size=size, facets=False,
                                              snippets=False))
        hits += results.hits
        if page >= results.page_count:
            return hits
        page += 1


@pytest.mark.parametrize("q", ["police", "police OR court", "oil prices", "harb*",
                               "minister -court", "polise~1"])
def test_pages_are_slices_of_one_order(engine, q):
    whole = pages(engine, q, 100)
    assert len(whole) == len({h.id for h in whole}) > TIE_CAP  # deep enough to matter
    for size in (7, 45):
        assert [h.id for h in pages(engine, q, size)] == [h.id for h in whole], size


def test_short_runs_of_equal_scores_are_in_id_order(engine):
    hits = pages(engine, "police court", 50)
    runs: dict[float, list[str]] = {}
    for hit in hits:
        runs.setdefault(hit.score, []).append(hit.id)
    assert len(runs) > 1
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for ids in runs.values():
        if len(ids) <= TIE_CAP:
            assert ids == sorted(ids)
