"""Whoosh's bitset counting (index.whoosh.facets) against Whoosh's own matchers: the
documents a query matches, read from the postings a block at a time and combined as
bitsets, must be exactly those Whoosh's docs_for_query() walks to, on an index of several
segments with replaced and deleted articles."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from index_helpers import BY_KEY, articles, generated_articles, snippet_texts

from index import engines
from index import query as q
from index.engine import SearchRequest
from index.whoosh.facets import facet_bits
from index.whoosh.query import filters, to_whoosh

QUERIES = [
    "bombers", "kuwait", "ministry AND kuwait", "kuwait OR oil OR harbour", "-ministry",
    "NOT NOT ministry", "ministry -hackers", "(ministry OR budget) -(hackers OR cut)",
    '"crude prices"', '"oil prices"~5', "harb*", "h?rbour", "polise~1", "headline:bombers",
    "body:(crews OR capacity)", 'place:"kuwait city"', "agency:kuna budget", "date:2017",
    "date:2017 -date:2017-11", "kuwait date:[2017-11-06 TO *]", "the", "nosuchwordatall",
    "liners OR container", "ministry OR -ministry", "date:2017-11-05", "date:[* TO 2016-12-31]",
    "date:>=2018", "kuwait date:2017-11",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    items = articles()
    built = engines.make_engine("whoosh", tmp_path_factory.mktemp("whoosh"),
                                snippet_texts(items))
    built.build(items[: len(items) // 2])
    built.update(items[len(items) // 2:])  # a second segment
    changed = dataclasses.replace(BY_KEY["harbour"].article(),
                                  paragraphs=("The harbour will now host cruise liners.",))
    built.update([changed], deleted=[BY_KEY["bombers"].id])  # a third, and deletions
    yield built
    built.close()


FILTERS = [
    SearchRequest(filters=(("place", ("Kuwait City",)),)),
    SearchRequest(filters=(("agency", ("KUNA", "AP")), ("year", ("2017",)))),
    SearchRequest(date_from=dt.date(2017, 1, 1), date_to=dt.date(2017, 12, 31)),
    SearchRequest(date_from=dt.date(2016, 3, 2), date_to=dt.date(2017, 11, 5)),
    SearchRequest(date_to=dt.date(2016, 12, 31)),
    SearchRequest(month_day=(11, 5), filters=(("section", ("Local", "World")),)),
    SearchRequest(filters=(("publication", ("No Such Paper",)),)),
]


@pytest.mark.parametrize("request_", FILTERS)
def test_filter_bitsets_match_whoosh_matchers(engine, request_):
    """The request's filters (facet values, whole years, partial ranges, on this day)."""
    with engine.reading() as searcher:
        bits = facet_bits(searcher)
        active = filters(request_)
        expected = bits.bits(searcher.docs_for_query(active)) & bits.live
        assert bits.matching(searcher, active) == expected


@pytest.mark.parametrize("text", QUERIES)
def test_bitsets_match_whoosh_matchers(engine, text):
    with engine.reading() as searcher:
        assert len(searcher.leaf_searchers()) > 1  # the offsets are exercised
        bits = facet_bits(searcher)
        wquery = to_whoosh(q.parse(text), engine._terms_of)
        expected = bits.bits(searcher.docs_for_query(wquery)) & bits.live
        assert bits.matching(searcher, wquery) == expected
        for leaf, offset in searcher.leaf_searchers():  # block reader vs all_ids()
            reader = leaf.reader()
            for field in ("body", "headline"):
                for word in ("kuwait", "harbour", "liner", "minist"):
                    if (field, word) in reader:
                        slow = set(reader.postings(field, word).all_ids())
                        fast = bits.term(searcher, field, word) >> offset
                        local = {n for n in range(reader.doc_count_all()) if fast >> n & 1}
                        assert local == slow


@pytest.fixture(scope="module")
def bigger(tmp_path_factory):
    """Enough articles for Whoosh's top-N collector to prune (it does after 10 hits)."""
    items = generated_articles(600)
    built = engines.make_engine("whoosh", tmp_path_factory.mktemp("bigger"), lambda ids: {})
    built.build(items[:400])
    built.update(items[400:])
    yield built
    built.close()


@pytest.mark.parametrize("text", ['"oil prices" OR court', "harb* OR polise~1",
                                  "oil OR minist*", "pol?ce OR bank~1", "-\"oil prices\""])
@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_totals_and_counts_of_queries_only_whoosh_can_answer(bigger, text, sort):
    """Phrases, wildcards and fuzzy words are counted in the search's own pass over the
    matches: every match, not just those that could still reach the top 10."""
    results = bigger.search(SearchRequest(q=text, sort=sort, page_size=10, facet_limit=0))
    with bigger.reading() as searcher:
        bits = facet_bits(searcher)
        wquery = to_whoosh(q.parse(text), bigger._terms_of)
        assert not bits.readable(wquery)
        expected = bits.bits(searcher.docs_for_query(wquery)) & bits.live
    assert results.total == expected.bit_count() > 10
    years = {v.value: v.count for f in results.facets if f.name == "year" for v in f.values}
    assert sum(years.values()) == results.total  # every generated article is dated
