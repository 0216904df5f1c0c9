"""What only the tantivy engine needs checking, beyond the shared suite of test_engine.py:
relevance ties (tantivy quantises field lengths, so equal scores are common) are put in id
order, and every page of a search is a slice of one order however the ties fall; the
shortcuts of its counting and filtering (agency sets, dates as years and months) give
what the plain columns give."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest
import tantivy
from index_helpers import generated_articles

from index.engine import SearchRequest
from index.tantivy.engine import TIE_CAP, TantivyEngine
from index.tantivy.query import _days, date_range
from index.tantivy.schema import register


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


def _agency_counts(engine, q: str = "", filters: tuple = ()) -> dict[str, int]:
    results = engine.search(SearchRequest(q=q, filters=filters, facet_limit=0,
                                          snippets=False))
    return {v.value: v.count for f in results.facets if f.name == "agency"
            for v in f.values}


def _expected_agencies(q_ids: set[str], articles) -> dict[str, int]:
    counts: dict[str, int] = {}
    for article in articles:
        if article.id in q_ids:
            for agency in set(article.agencies):
                counts[agency] = counts.get(agency, 0) + 1
    return counts


@pytest.fixture(scope="module")
def wire_engine(tmp_path_factory):
    """Articles credited to one, two or three agencies (and none), some twice over."""
    rng = random.Random(11)
    names = ("AP", "AFP", "Reuters", "KUNA", "dpa")
    articles = []
    for i, article in enumerate(generated_articles(90)):  # a page holds them all
        agencies = tuple(rng.sample(names, rng.randint(0, 3)))
        if agencies and i % 7 == 0:
            agencies += agencies[:1]  # a credit printed twice counts once
        articles.append(replace(article, dateline=replace(article.dateline, agencies=agencies)))
    built = TantivyEngine(tmp_path_factory.mktemp("wires"))
    built.build(articles)
    yield built, articles
    built.close()


@pytest.mark.parametrize("q", ["", "police", "minister -court"])
def test_agency_counts_from_the_agency_sets_are_exact(wire_engine, monkeypatch, q):
    """Agencies are counted from one column of each item's agency set (schema.AGENCY_SET);
    the counts are those of the items, as the several-valued column and an index built
    before the set column (which the engine falls back to) give them, and as the
    several-valued column gives them when there are more sets than buckets."""
    engine, articles = wire_engine
    ids = {h.id for h in engine.search(SearchRequest(q=q, page_size=100, facets=False,
                                                     snippets=False)).hits}
    total = engine.search(SearchRequest(q=q, facets=False, snippets=False)).total
    assert len(ids) == total  # the whole result is on the page
    expected = _expected_agencies(ids, articles)
    assert len(expected) == 5
    assert _agency_counts(engine, q) == expected
    filtered = _agency_counts(engine, q, (("agency", ("AP",)),))
    assert filtered == expected  # a facet's counts ignore its own filter
    assert len({frozenset(a.agencies) for a in articles if a.agencies}) > 5
    monkeypatch.setattr("index.tantivy.facet_counts.FACET_BUCKETS", 5)  # the agencies, not the sets
    assert _agency_counts(engine, q) == expected
    monkeypatch.undo()
    # an index built before the set column existed
    monkeypatch.setattr(engine._facets, "_fields_of", lambda stamp: frozenset())
    assert _agency_counts(engine, q) == expected


def test_date_ranges_match_the_days_they_span(engine, tmp_path):
    """A closed range is matched by its whole years and months as terms and by the days of
    the months cut at its ends (index.tantivy.query.date_range): the same items as the day
    column's range, ends included, across month, year and leap-day boundaries."""
    index = tantivy.Index.open(str(engine.path))
    register(index)
    searcher = index.searcher()
    rng = random.Random(5)
    d = dt.date
    cases = [(d(2010, 1, 1), d(2017, 12, 31)), (d(2012, 2, 29), d(2012, 2, 29)),
             (d(2011, 12, 31), d(2012, 1, 1)), (d(2012, 2, 1), d(2012, 2, 29)),
             (d(2013, 3, 15), d(2015, 10, 14)), (d(2014, 1, 1), d(2014, 6, 30)),
             (d(2015, 7, 1), d(2016, 12, 31)), (d(2016, 5, 9), d(2016, 5, 20))]
    for _ in range(40):
        start = d(2009, 6, 1) + dt.timedelta(days=rng.randrange(9 * 365))
        cases.append((start, start + dt.timedelta(days=rng.randrange(1500))))
    counted = []
    for start, end in cases:
        found = searcher.search(date_range(index.schema, start, end), 1, count=True)
        expected = searcher.search(_days(index.schema, start, end), 1, count=True)
        assert found.count == expected.count, (start, end)
        assert {s for s, _ in found.hits} <= {1.0}  # scores 1, as a range does
        counted.append(found.count)
    assert counted[0] == searcher.num_docs and 0 < min(counted[4:6]) and max(counted) > 100


def test_items_without_a_value_count_nowhere(tmp_path):
    """Every item has a value in every counted column (schema.NO_VALUE where it has none,
    which tantivy counts faster than a column with gaps): counts are the items' own, the
    mark of no value is never a facet value, and a filter for it finds nothing."""
    rng = random.Random(21)
    articles = []
    for article in generated_articles(60):
        if rng.random() < 0.5:
            article = replace(article, dateline=None, page=None, section=None)
        if rng.random() < 0.3:
            article = replace(article, date=None)
        articles.append(article)
    built = TantivyEngine(tmp_path / "index")
    built.build(articles)
    results = built.search(SearchRequest(q="", page_size=100, facet_limit=0, snippets=False))
    counts = {f.name: {v.value: v.count for v in f.values} for f in results.facets}
    for facet, value_of in (("place", lambda a: a.place), ("section", lambda a: a.section),
                            ("page", lambda a: None if a.page is None else str(a.page)),
                            ("year", lambda a: a.date and str(a.date.year))):
        expected: dict[str, int] = {}
        for article in articles:
            if value_of(article):
                expected[value_of(article)] = expected.get(value_of(article), 0) + 1
        assert counts[facet] == expected, facet
        assert 0 < sum(expected.values()) < len(articles)  # a column with gaps
    assert _agency_counts(built) == _expected_agencies({a.id for a in articles}, articles)
    for facet in ("place", "agency", "section", "page", "year"):
        empty = SearchRequest(q="", filters=((facet, ("",)),), facets=False, snippets=False)
        assert built.search(empty).total == 0, facet
    built.close()
