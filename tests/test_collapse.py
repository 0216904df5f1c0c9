"""Stories printed more than once, collapsed into one result line, on every engine: each
story once by its best match (relevance) or its first printing in a date order, exact
story and printing totals, pages that are stable slices of the collapsed list, every
printing on request, one story's printings as a filter, and facet counts of printings.

Parametrised by engine like tests/test_engine.py (tests/engine_params.py); the corpora
carry clusters as the store gives them (index_helpers.clustered_articles,
generated_clustered)."""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter

import pytest
from engine_params import ENGINES, PARAMS, make_engine, needs_server, startable
from index_helpers import (
    BY_KEY,
    CORPUS,
    GENERATED_MARKER,
    REPRINT_STORIES,
    REPRINTS,
    clustered_articles,
    generated_clustered,
)

from archive.model import Article
from index import engines
from index.engine import PageOutOfRange, SearchRequest, SearchResults

SPECS = {spec.key: spec for spec in (*CORPUS, *REPRINTS)}
KEY_OF = {spec.id: spec.key for spec in SPECS.values()}
POWER = REPRINT_STORIES["power"]
WATER = REPRINT_STORIES["water"]


def corpus() -> list[Article]:
    """The hand-made corpus and the reprints, with their clusters."""
    return [spec.article() for spec in CORPUS] + clustered_articles()


@pytest.fixture(scope="module", params=PARAMS, ids=ENGINES)
def engine(request, tmp_path_factory):
    needs_server(request, request.param)
    built = make_engine(request.param, tmp_path_factory.mktemp(request.param), corpus())
    yield built
    built.close()


@pytest.fixture(params=PARAMS, ids=ENGINES)
def engine_factory(request, tmp_path):
    needs_server(request, request.param)
    made = []

    def make(items):
        engine = make_engine(request.param, tmp_path / f"index{len(made)}", list(items))
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()


def search(engine, q: str = "", **kw) -> SearchResults:
    return engine.search(SearchRequest(q=q, **{"page_size": 100, **kw}))


def keys(results: SearchResults) -> list[str]:
    return [KEY_OF[hit.id] for hit in results.hits]


def founder(story: tuple[str, ...]) -> str:
    return min(story, key=lambda k: (SPECS[k].date, SPECS[k].id))


def firsts(hits) -> list:
    """Each story's first hit of an ordered list of every printing."""
    seen, kept = set(), []
    for hit in hits:
        if hit.story not in seen:
            seen.add(hit.story)
            kept.append(hit)
    return kept


def every(engine, q: str = "", **kw) -> list:
    """Every printing a search finds, in its order (pages of 100)."""
    hits, page = [], 1
    while True:
        found = engine.search(SearchRequest(q=q, page=page, page_size=100, collapse=False,
                                            snippets=False, **kw))
        hits.extend(found.hits)
        if page >= found.page_count:
            return hits
        page += 1


# --- the hand-made corpus ------------------------------------------------------------------

def test_each_story_once_with_both_totals(engine):
    results = search(engine, "power")
    printed = [k for k in keys(search(engine, "power", collapse=False))]
    assert set(POWER) <= set(printed) and "water-at" in printed  # "its power" in the text
    assert results.total == len(printed)
    assert results.stories == len(printed) - len(POWER) + 1
    assert results.listed == results.stories == len(results.hits)
    found = keys(results)
    assert len([k for k in found if k in POWER]) == 1  # the story of four printings, once
    assert "water-at" in found


@pytest.mark.parametrize("sort, chosen", [
    ("newest", "power-gulf"),  # its newest printing
    ("oldest", None),  # its first printing: the founder
])
def test_a_date_order_shows_the_first_printing_in_that_order(engine, sort, chosen):
    found = [k for k in keys(search(engine, "power", sort=sort)) if k in POWER]
    assert found == [chosen or founder(POWER)]


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest", "ocr"])
@pytest.mark.parametrize("q", ["power", "", "kuwait", "plant OR rain", '"power station"',
                               "harb* OR power"])
def test_collapsed_list_is_every_printing_less_later_printings(engine, q, sort):
    collapsed = search(engine, q, sort=sort)
    expected = firsts(every(engine, q, sort=sort))
    assert [h.id for h in collapsed.hits] == [h.id for h in expected]
    assert collapsed.stories == len(expected)


def test_relevance_picks_the_best_scoring_printing(engine):
    printings = [h for h in search(engine, "power plant", collapse=False).hits
                 if KEY_OF[h.id] in POWER]
    best = max(printings, key=lambda h: h.score)
    (chosen,) = [h for h in search(engine, "power plant").hits if KEY_OF[h.id] in POWER]
    assert chosen.id == best.id and chosen.score == best.score


def test_every_printing_when_asked(engine):
    results = search(engine, "power", collapse=False)
    assert results.listed == results.total == len(results.hits)
    assert set(POWER) <= set(keys(results))
    assert results.stories < results.total


def test_hits_carry_their_story(engine):
    for hit in search(engine, "", collapse=False).hits:
        key = KEY_OF[hit.id]
        if key in POWER:
            assert (hit.cluster_id, hit.cluster_size) == (SPECS[founder(POWER)].id, 4)
            assert hit.cluster_matches == 4
        elif key in WATER:
            assert (hit.cluster_id, hit.cluster_size) == (SPECS[founder(WATER)].id, 2)
        else:
            assert (hit.cluster_id, hit.cluster_size, hit.cluster_matches) == (None, 1, 1)
            assert hit.story == hit.id


def test_matched_printings_per_story_follow_filters(engine):
    results = search(engine, "power", filters=(("publication", ("Arab Times",)),))
    (power,) = [h for h in results.hits if KEY_OF[h.id] in POWER]
    assert power.cluster_matches == 2  # the Arab Times printed it twice
    assert power.cluster_size == 4


def test_one_story_s_printings(engine):
    cluster = SPECS[founder(POWER)].id
    results = search(engine, cluster=cluster, collapse=False, sort="oldest")
    assert keys(results) == sorted(POWER, key=lambda k: (SPECS[k].date, SPECS[k].id))
    assert (results.total, results.stories) == (4, 1)
    publications = {v.value: v.count for f in results.facets if f.name == "publication"
                    for v in f.values}
    assert publications == {"Arab Times": 2, "Kuwait Times": 1, "Gulf News": 1}
    assert "printings of one story" in results.description
    # with words, and a story printed once is a story of one
    assert keys(search(engine, "japan", cluster=cluster, collapse=False)) != []
    alone = BY_KEY["bombers"].id
    assert keys(search(engine, cluster=alone)) == ["bombers"]
    assert search(engine, cluster="nosuchstory").total == 0


def test_facet_counts_are_printings(engine):
    collapsed, every_printing = search(engine, "kuwait"), search(engine, "kuwait",
                                                                 collapse=False)
    assert collapsed.facets == every_printing.facets
    assert collapsed.histogram == every_printing.histogram
    counts = Counter(h.publication for h in every_printing.hits)
    shown = {v.value: v.count for f in collapsed.facets if f.name == "publication"
             for v in f.values}
    assert shown == dict(counts)
    assert sum(shown.values()) == collapsed.total > collapsed.stories


@pytest.mark.parametrize("sort", ["relevance", "newest"])
@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_pages_are_slices_of_the_collapsed_list(engine, sort, size):
    whole = [h.id for h in search(engine, "kuwait OR power", sort=sort).hits]
    pages, page = [], 1
    while True:
        results = search(engine, "kuwait OR power", sort=sort, page=page, page_size=size)
        assert results.page_count == math.ceil(len(whole) / size)
        pages.extend(h.id for h in results.hits)
        if page == results.page_count:
            break
        page += 1
    assert pages == whole
    with pytest.raises(PageOutOfRange):
        search(engine, "kuwait OR power", sort=sort, page=page + 1, page_size=size)


def test_a_cluster_change_is_seen_after_an_update(engine_factory):
    items = corpus()
    engine = engine_factory(items)
    assert search(engine, "power").stories == search(engine, "power").total - 3
    # the Gulf News printing leaves the story (an edit): the store re-logs every member
    gulf = SPECS["power-gulf"].id
    changed = [dataclasses.replace(a, cluster_size=3) if KEY_OF[a.id] in POWER
               else a for a in items if a.id != gulf]
    changed.append(dataclasses.replace(next(a for a in items if a.id == gulf),
                                       cluster_id=None, cluster_size=1))
    engine.update([a for a in changed if KEY_OF[a.id] in POWER])
    results = search(engine, "power")
    assert results.stories == results.total - 2
    assert gulf in {h.id for h in results.hits}


# --- a generated corpus with clusters ------------------------------------------------------

@pytest.fixture(scope="module", params=PARAMS, ids=ENGINES)
def generated(request, tmp_path_factory):
    needs_server(request, request.param)
    items = generated_clustered(1500, share=0.3)
    built = make_engine(request.param, tmp_path_factory.mktemp(f"gen-{request.param}"),
                        items)
    yield built, items
    built.close()


QUERIES = ["", GENERATED_MARKER, "oil", "oil prices", '"crude barrels"', "police OR court",
           "harbour -ships", "elect*"]


def brute(items: list[Article], hits) -> int:
    """Distinct stories among hits, from the articles themselves."""
    story = {a.id: a.cluster_id or a.id for a in items}
    return len({story[h.id] for h in hits})


@pytest.mark.parametrize("q", QUERIES)
def test_story_counts_are_exact(generated, q):
    engine, items = generated
    for filters in ((), (("agency", ("Reuters", "AFP")),), (("section", ("World",)),)):
        printings = every(engine, q, filters=filters)
        results = engine.search(SearchRequest(q=q, filters=filters, page_size=5))
        assert results.total == len(printings)
        assert results.stories == brute(items, printings)


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("q", ["oil", "", "police OR court"])
def test_deep_pages_of_the_collapsed_list(generated, q, sort):
    engine, _ = generated
    expected = [h.id for h in firsts(every(engine, q, sort=sort))]
    for page, size in ((1, 10), (4, 10), (7, 13), (20, 20)):
        start = (page - 1) * size
        if start >= len(expected):
            continue
        results = engine.search(SearchRequest(q=q, sort=sort, page=page, page_size=size))
        assert [h.id for h in results.hits] == expected[start:start + size]


def test_every_engine_agrees(request, tmp_path):
    """Every engine that runs here gives the same totals, story counts and pages as the
    first (Whoosh) in the date orders, where ties have one fixed order."""
    items = generated_clustered(600, share=0.4, seed=5)
    built = [make_engine(kind, tmp_path / kind, items) for kind in startable(request)]
    try:
        rng = random.Random(3)
        for q in QUERIES:
            for sort in ("newest", "oldest"):
                page = rng.randint(1, 3)
                answers = []
                for engine in built:
                    try:
                        results = engine.search(SearchRequest(q=q, sort=sort, page=page,
                                                              page_size=10))
                    except PageOutOfRange:
                        answers.append(None)
                        continue
                    answers.append((results.total, results.stories,
                                    [(h.id, h.cluster_matches) for h in results.hits]))
                assert all(a == answers[0] for a in answers[1:]), (q, sort, page)
    finally:
        for engine in built:
            engine.close()


def test_a_crowded_top_is_walked_past(engine_factory):
    """A story printed many times that fills the top of the list (a notice printed
    daily) takes a longer walk, not a wrong page."""
    items = generated_clustered(200, share=0.0, seed=9)
    notice = items[0]
    copies = [dataclasses.replace(notice, id=f"da{n:010x}", date=notice.date.replace(
        year=2019), cluster_id=f"da{0:010x}", cluster_size=120) for n in range(120)]
    engine = engine_factory(items + copies)
    results = engine.search(SearchRequest(sort="newest", page=2, page_size=10))
    expected = firsts(every(engine, sort="newest"))
    assert [h.id for h in results.hits] == [h.id for h in expected[10:20]]
    assert results.stories == 201 and results.total == 320


# --- tantivy only: the fallbacks of its ordering and counting ---------------------------

def test_tantivy_counts_stories_past_its_bucket_limit(tmp_path, monkeypatch):
    from index.tantivy import order as tantivy_order

    items = generated_clustered(400, share=0.5, seed=2)
    engine = make_engine("tantivy", tmp_path / "t", items)
    again = engines.make_engine("tantivy", tmp_path / "t")  # its own remembered counts
    try:
        expected = engine.search(SearchRequest(page_size=100))
        monkeypatch.setattr(tantivy_order, "STORY_BUCKETS", 3)
        calls = []
        count = tantivy_order.Counter
        monkeypatch.setattr(tantivy_order, "Counter", lambda keys: calls.append(1) or
                            count(keys))
        results = again.search(SearchRequest(page_size=100))
        assert calls  # counted from the story keys
        assert (results.total, results.stories) == (expected.total, expected.stories)
        assert [(h.id, h.cluster_matches) for h in results.hits] == \
            [(h.id, h.cluster_matches) for h in expected.hits]
        assert results.stories == brute(items, every(engine))
    finally:
        engine.close()
        again.close()


@pytest.mark.parametrize("tie_cap", [3, 200])
def test_tantivy_equal_scores_collapse_in_id_order(tmp_path, monkeypatch, tie_cap):
    """Runs of equal scores (identical printings) are ordered by id on every page, long
    runs keep index order: the collapsed list is still every printing less the later
    ones, page by page."""
    from index.tantivy import engine as tantivy_engine
    from index.tantivy import order as tantivy_order

    monkeypatch.setattr(tantivy_order, "TIE_CAP", tie_cap)
    monkeypatch.setattr(tantivy_engine, "TIE_CAP", tie_cap)
    base = generated_clustered(1, seed=4)[0]
    rng = random.Random(8)
    items = []
    for number in rng.sample(range(1000), 40):
        cluster = f"c{number % 7:03d}" if number % 3 else None
        items.append(dataclasses.replace(base, id=f"{number:012x}", cluster_id=cluster,
                                         cluster_size=2 if cluster else 1))
    engine = make_engine("tantivy", tmp_path / "t", items)
    try:
        expected = [h.id for h in firsts(every(engine, GENERATED_MARKER))]
        got = []
        for page in range(1, 10):
            try:
                got += [h.id for h in engine.search(SearchRequest(
                    q=GENERATED_MARKER, page=page, page_size=4)).hits]
            except PageOutOfRange:
                break
        assert got == expected
    finally:
        engine.close()


@pytest.mark.parametrize("q, collapse, filters", [
    ("", True, ()), ("police", True, ()), ("police", False, ()),
    ("", True, (("section", ("Local",)),))])
def test_tantivy_first_search_counts_stories_in_the_facets_pass(tmp_path, q, collapse,
                                                                filters):
    """A first search (its story counts not remembered) counts its stories in the pass
    that counts its facets: the same totals, stories, printings per hit and facets as
    an engine that counted them in a pass of their own."""
    items = generated_clustered(300, share=0.5, seed=4)
    first = make_engine("tantivy", tmp_path / "t", items)
    other = engines.make_engine("tantivy", tmp_path / "t")
    request = SearchRequest(q=q, collapse=collapse, filters=filters, page_size=50)
    try:
        together = first.search(request)
        other.search(dataclasses.replace(request, facets=False))  # stories on their own
        apart = other.search(request)
        assert together.total > 0 and together.stories < together.total
        assert (together.total, together.stories) == (apart.total, apart.stories)
        assert [(h.id, h.cluster_matches) for h in together.hits] == \
            [(h.id, h.cluster_matches) for h in apart.hits]
        assert together.facets == apart.facets
    finally:
        first.close()
        other.close()
