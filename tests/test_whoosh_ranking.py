"""The Whoosh engine's numpy ranking (index.whoosh.ranking, index.whoosh.phrases) against
Whoosh's own matchers and collectors: the same documents, the same scores to the bit, the
same order (ties by document number) and the same matched terms, over several segments
with deleted documents, by relevance and by the sort columns."""

from __future__ import annotations

import dataclasses

import pytest
from index_helpers import generated_articles
from whoosh import query as wq

from index import engines
from index import query as q
from index.ordering import SORT_COLUMNS
from index.whoosh.query import to_whoosh
from index.whoosh.ranking import rank, score

QUERIES = ["oil", "harbour ships", "oil OR court", '"oil prices"', '"oil prices"~3',
           '"harbour port ships"~2', "minister -court", "headline:budget", "harb* OR polise~1",
           'police "court judge"', "", "oil AND (court OR bank)"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    items = generated_articles(700)
    built = engines.make_engine("whoosh", tmp_path_factory.mktemp("ranking"), lambda ids: {})
    built.build(items[:300])
    built.update(items[300:550])  # a second segment
    changed = [dataclasses.replace(a, headline=a.headline + " oil prices") for a in items[:40]]
    built.update(changed + items[550:], deleted=[a.id for a in items[100:130]])
    yield built
    built.close()


def _whoosh(searcher, wquery, limit, sort):
    """Whoosh's own ranking: (score or sort key, docnum) and matched terms per hit."""
    facet = None if sort == "relevance" else SORT_COLUMNS[sort]
    results = searcher.search(wquery, limit=limit, sortedby=facet, terms=True,
                              optimize=False)
    terms = [set(results[i].matched_terms()) for i in range(len(results.top_n))]
    return list(results.top_n), terms, len(set(searcher.docs_for_query(wquery)))


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("sort", ["relevance", "newest", "ocr"])
def test_numpy_ranking_is_whooshs(engine, text, sort):
    with engine.reading() as searcher:
        assert len(searcher.leaf_searchers()) > 1
        wquery = to_whoosh(q.parse(text), engine._terms_of, searcher)
        scored = score(searcher, wquery)
        if scored is None:  # the engine leaves it to Whoosh: nothing to compare
            assert not isinstance(wquery, wq.Term | wq.Phrase)
            return
        for limit in (1, 10, 1000):
            expected, terms, total = _whoosh(searcher, wquery, limit, sort)
            ranked = rank(scored, None, limit, SORT_COLUMNS.get(sort))
            assert ranked.top_n == expected, (text, limit)
            assert [set(ranked[i].matched_terms()) for i in range(len(expected))] == terms
            assert scored.matches().bit_count() == total


def test_phrases_and_terms_are_ranked_by_numpy(engine):
    """What the benchmark's kinds send is scored here, not left to Whoosh."""
    with engine.reading() as searcher:
        for text in ("oil", "oil court", '"oil prices"', '"harbour port ships"~2', ""):
            assert score(searcher, to_whoosh(q.parse(text), engine._terms_of, searcher))


def test_a_filter_keeps_whooshs_order(engine):
    with engine.reading() as searcher:
        wquery = to_whoosh(q.parse("oil OR court"), engine._terms_of, searcher)
        allowed = wq.TermRange("year", "2012", "2014")
        scored = score(searcher, wquery)
        docs = searcher.docs_for_query(wq.And([wquery, allowed]))
        bits = sum(1 << d for d in docs)
        expected = searcher.search(wquery, filter=allowed, limit=15, optimize=False).top_n
        assert rank(scored, bits, 15, None).top_n == list(expected)


@pytest.mark.parametrize("text", ["", "oil", '"oil prices"', "harbour ships"])
@pytest.mark.parametrize("filters", [(), (("agency", ("KUNA", "Reuters")),),
                                     (("year", ("2012",)), ("agency", ("AFP",)))])
def test_few_matches_are_counted_from_ordinals_as_from_bitsets(engine, monkeypatch, text,
                                                                filters):
    """Facet counts of few matches (document by document) equal the bitset counts, for
    facets of one value and of several (agency, ocr) per document."""
    import random

    from index.engine import SearchRequest
    from index.whoosh import facets

    request = SearchRequest(q=text, filters=filters)
    with engine.reading() as searcher:
        bits = facets.facet_bits(searcher)
        matches = bits.matching(searcher, to_whoosh(q.parse(text), engine._terms_of,
                                                    searcher))
        chosen = [d for d in range(bits.size) if matches >> d & 1]
        few = sum(1 << d for d in random.Random(3).sample(chosen, min(12, len(chosen))))
        for mask in (few, matches):
            monkeypatch.setattr(facets, "SMALL", 1)  # every count from ordinals
            by_ordinals = facets.facet_counts(searcher, mask, None, request)
            monkeypatch.setattr(facets, "SMALL", bits.size + 1)  # every count from bitsets
            by_bits = facets.facet_counts(searcher, mask, None, request)
            assert by_ordinals == by_bits
            assert [list(c) for c in by_ordinals.values()] == \
                [list(c) for c in by_bits.values()]  # the same order too
            assert mask is few or any(by_bits["agency"].values())  # something counted
