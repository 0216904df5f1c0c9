"""Engine tests over a small hand-made corpus of Article objects: every query syntax element,
analysis (stemming, folding, Arabic), facets, sorting, paging, snippets, suggestions.

Parametrised by engine: every test runs on every engine of index/engines.py's registry
(Whoosh, tantivy and Sphinx): an engine joins by its registry line. An engine that needs
servers gets them from the session fixture `<name>_cluster` (tests/conftest.py: Sphinx's
is skipped without searchd)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from engine_params import ENGINES, PARAMS, make_engine, needs_server, startable
from index_helpers import CORPUS as TYPED
from index_helpers import (
    GENERATED_MARKER,
    expected_counts,
    facet_value,
    generated_articles,
)

from archive.model import Article
from index import engines
from index.engine import FACETS, PageOutOfRange, SearchRequest, SearchResults
from index.query import QueryError

# The hand-made corpus as scanned pages would give it: kinds, and OCR confidences on the
# level boundaries (0.8, 0.9) and between them; the rest typed text without a confidence.
SCANNED = {"bombers": ("article", 0.93), "council": ("article", 0.87),
           "ocr": ("article", 0.62), "police": ("notice", 0.81),
           "cafe": ("advertisement", 0.74), "oil": ("article", 0.955),
           "script": ("other", 0.455), "beirut": ("article", 0.8),
           "rain": ("advertisement", 0.9), "hospital": ("notice", None)}
CORPUS = tuple(dataclasses.replace(s, kind=SCANNED[s.key][0], confidence=SCANNED[s.key][1])
               if s.key in SCANNED else s for s in TYPED)
BY_KEY = {spec.key: spec for spec in CORPUS}
ALL = {spec.key for spec in CORPUS}
KEY_OF = {spec.id: spec.key for spec in CORPUS}
MARK = re.compile(r"<mark[^>]*>(.*?)</mark>")


def articles() -> list[Article]:
    return [spec.article() for spec in CORPUS]


@pytest.fixture(params=PARAMS, ids=ENGINES)
def engine_factory(request, tmp_path):
    """make(articles) -> a fresh engine of the parametrised kind, closed after the test."""
    needs_server(request, request.param)
    made = []

    def make(items):
        engine = make_engine(request.param, tmp_path / f"index{len(made)}", list(items))
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()


@pytest.fixture(scope="module", params=PARAMS, ids=ENGINES)
def engine(request, tmp_path_factory):
    """One engine over the whole corpus, shared by the read-only tests of this module."""
    needs_server(request, request.param)
    built = make_engine(request.param, tmp_path_factory.mktemp(request.param), articles())
    yield built
    built.close()


def search(engine, q: str = "", **kw) -> SearchResults:
    return engine.search(SearchRequest(q=q, **{"page_size": 100, **kw}))


def keys(results: SearchResults) -> set[str]:
    return {KEY_OF[hit.id] for hit in results.hits}


def found(engine, q: str, **kw) -> set[str]:
    results = search(engine, q, **kw)
    assert results.total == len(results.hits), "page_size 100 holds every hit"
    return keys(results)


def in_dates(start: dt.date, end: dt.date) -> set[str]:
    return {s.key for s in CORPUS if start <= s.date <= end}


# --- every syntax element of the parser --------------------------------------------------

@pytest.mark.parametrize("q, expected", [
    ("bombers", {"bombers"}),
    ("bombers strike", {"bombers"}),  # words are ANDed
    ("bombers AND strike", {"bombers"}),
    ("bombers harbour", set()),
    ("bombers OR harbour", {"bombers", "harbour"}),
    ("ministry", {"bombers", "script"}),
    ("ministry NOT hackers", {"bombers"}),
    ("ministry -hackers", {"bombers"}),
    ("ministry AND NOT hackers", {"bombers"}),
    ("-ministry", ALL - {"bombers", "script"}),
    ("NOT NOT ministry", {"bombers", "script"}),
    ("+ministry", {"bombers", "script"}),
    ('"crude prices"', {"oil"}),
    ('"prices crude"', set()),
    ('“crude prices”', {"oil"}),  # typographic quotes
    ('"oil prices"', set()),
    ('"oil prices"~1', set()),
    ('"oil prices"~5', {"oil"}),  # proximity
    ("harb*", {"harbour"}),
    ("HARB*", {"harbour"}),
    ("h?rbour", {"harbour"}),
    ("*bour", {"harbour"}),
    ("polise~1", {"ocr", "police"}),  # fuzzy: the OCR typo and the right spelling
    ("police~1", {"ocr", "police"}),
    ("polise~", {"ocr", "police"}),
    ("polise~2", {"ocr", "police"}),
    ("police", {"police"}),
    ("polise", {"ocr"}),
    ("(bombers OR harbour) AND ships", {"harbour"}),
    ("(oil OR harbour) crude", {"oil"}),
    ("ministry (-hackers OR string)", {"bombers", "script"}),
    ("(ministry OR budget) -(hackers OR cut)", {"bombers"}),
    ("headline:bombers", {"bombers"}),
    ("headline:crews", set()),
    ("body:crews", {"bombers"}),
    ("body:(crews OR capacity)", {"bombers", "harbour"}),
    ('headline:"bombers strike"', {"bombers"}),
    ("title:bombers", {"bombers"}),  # alias
    ("byline:jarallah", {"editorial"}),
    ("byline:Al-Jarallah", {"editorial"}),
    ("byline:smith", set()),
    ("place:moscow", {"bombers"}),
    ('place:"kuwait city"', {"council", "ocr", "police", "harbour", "script"}),
    ("place:kuwait -agency:kuna", set()),
    ("agency:reuters", {"oil"}),
    ("agency:AP", {"summit"}),
    ("agency:afp", {"summit"}),
    ("agency:kuna", {"council", "ocr", "police", "harbour", "script"}),
    ("agency:kuna budget", {"council"}),
    ("date:2017-11-05", {"council", "ocr", "editorial"}),
    ("date:2018", {"beirut"}),
    ("date:2016", {"harbour"}),
    ("bombers date:2018", set()),
    ("date:2017 -date:2017-11", in_dates(dt.date(2017, 1, 1), dt.date(2017, 10, 31))),
    ("date:[2017-11-06 TO *]", in_dates(dt.date(2017, 11, 6), dt.date(2099, 1, 1))),
    ("date:[* TO 2016-12-31]", {"harbour"}),
    ("date:>=2018", {"beirut"}),
    ("date:<2017", {"harbour"}),
    ("date:2017-11 OR date:2016", in_dates(dt.date(2017, 11, 1), dt.date(2017, 11, 30))
     | {"harbour"}),
])
def test_syntax(engine, q, expected):
    assert found(engine, q) == expected


@pytest.mark.parametrize("q, start, end", [
    ("date:2017", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
    ("date:2017-11", dt.date(2017, 11, 1), dt.date(2017, 11, 30)),
    ("date:[2017-01-01 TO 2017-06-30]", dt.date(2017, 1, 1), dt.date(2017, 6, 30)),
    ("date:[2016 TO 2017]", dt.date(2016, 1, 1), dt.date(2017, 12, 31)),
])
def test_date_field(engine, q, start, end):
    expected = in_dates(start, end)
    assert expected and expected != ALL
    assert found(engine, q) == expected
    assert found(engine, q + " police") == expected & {"police"}


def test_date_query_is_not_a_highlighted_match(engine):
    hit = search(engine, "date:2018").hits[0]
    assert hit.matched_in == ()
    assert "<mark" not in hit.headline_html + hit.snippet_html


def test_phrase_across_a_stopword(engine):
    assert found(engine, '"president of the council"') == {"council"}
    assert found(engine, '"president of council"') == {"council"}
    assert found(engine, '"council of the president"') == set()
    assert found(engine, '"budget would be cut"') == {"council"}


def test_query_of_only_stopwords_does_not_fail(engine):
    assert search(engine, '"of the"').total >= 0
    assert search(engine, "the").total >= 0


# --- analysis: stemming, folding, Arabic --------------------------------------------------

@pytest.mark.parametrize("q", ["bomber", "bombers", "Bombers", "BOMBER", "bomber's"])
def test_stemming_and_case(engine, q):
    assert found(engine, q) == {"bombers"}


@pytest.mark.parametrize("q", ["cafe", "café", "CAFE", "CAFÉ", "cafe\u0301", "headline:cafe"])
def test_accent_folding(engine, q):
    assert found(engine, q) == {"cafe"}


@pytest.mark.parametrize("q", ["Russia's", "Russia’s", "russia‘s", "Russia`s", "russias"])
def test_apostrophe_folding(engine, q):
    assert found(engine, q) == {"bombers", "summit"}


@pytest.mark.parametrize("q, key", [
    # query without harakat, text with them (and with tanween, shadda, tatweel)
    ("امطار", "rain"), ("أمطار", "rain"), ("هطلت", "rain"), ("وحذرت", "rain"),
    ("الارصاد", "rain"), ("المدرسة", "rain"), ("غزيرة", "rain"),
    # query with harakat, text without
    ("مُسْتَشْفَى", "hospital"), ("جَدِيد", "hospital"), ("أَحْمَد", "hospital"),
    # query with harakat, text with them
    ("هَطَلَتْ", "rain"), ("أمطارٌ", "rain"),
    # alef forms, taa marbuta, alef maksura, tatweel in the query
    ("احمد", "hospital"), ("إحمد", "hospital"), ("آحمد", "hospital"),
    ("مستشفي", "hospital"), ("مستشفى", "hospital"),
    ("المدرسه", "rain"), ("المـدرسة", "rain"), ("الصحه", "hospital"),
    ("headline:افتتاح", "hospital"), ('"خطة التنمية"', "hospital"),
])
def test_arabic_normalisation(engine, q, key):
    assert found(engine, q) == {key}


def test_arabic_words_are_not_split_at_diacritics(engine):
    # Whoosh's default tokenizer splits "هَطَلَتْ" into letters; one token finds one article
    assert found(engine, '"هطلت أمطار"') == {"rain"}
    assert found(engine, "هط") == set()


def test_chinese_words_are_found_inside_unspaced_text(engine_factory):
    """Chinese prints no spaces between words: every character is a term, and a word of
    several characters is searched as their phrase (index.analysis), in every engine."""
    harbour = dataclasses.replace(
        BY_KEY["cafe"].article(), id="zh1harbour", headline="港務局擴建碼頭",
        paragraphs=("港務局昨日宣佈，將於本年內擴建碼頭，以應付日益增加之船隻。",))
    council = dataclasses.replace(
        BY_KEY["cafe"].article(), id="zh2council", headline="市議會通過預算",
        paragraphs=("市議會昨晚開會，通過明年度預算案，碼字頭條無關。",))
    engine = engine_factory([harbour, council, BY_KEY["bombers"].article()])
    assert found_ids(engine, "碼頭") == {"zh1harbour"}  # not 碼 ... 頭 apart
    assert found_ids(engine, "頭碼") == set()
    assert found_ids(engine, "預算") == {"zh2council"}
    assert found_ids(engine, "港務局 船隻") == {"zh1harbour"}
    assert found_ids(engine, "headline:市議會") == {"zh2council"}
    hit = search(engine, "碼頭", snippets=True).hits[0]
    assert MARK.findall(hit.snippet_html) == ["碼頭"]  # one mark a word, not a character
    assert MARK.findall(hit.headline_html) == ["碼頭"]


def found_ids(engine, q: str) -> set[str]:
    return {hit.id for hit in search(engine, q).hits}


# --- fields in results -------------------------------------------------------------------

def test_hit_fields(engine):
    hit = search(engine, "summit").hits[0]
    spec = BY_KEY["summit"]
    assert hit.id == spec.id
    assert hit.headline == spec.headline
    assert hit.date == spec.date
    assert hit.place == "Hanoi"
    assert hit.agencies == ("AFP", "AP")
    assert (hit.publication, hit.publication_slug) == ("Arab Times", "arab-times")
    assert (hit.section, hit.page) == ("World", 13)
    assert search(engine, "byline:jarallah").hits[0].byline == "Ahmed Al-Jarallah"
    assert search(engine, "subsidies").hits[0].byline == "Ahmed Al-Jarallah"


@pytest.mark.parametrize("q, matched", [
    ("bombers", ("body", "headline")),
    ("crews", ("body",)),
    ("place:moscow", ("place",)),
    ("agency:reuters", ("agency",)),
    ("byline:jarallah", ("byline",)),
])
def test_matched_in(engine, q, matched):
    assert search(engine, q).hits[0].matched_in == matched


# --- facets ------------------------------------------------------------------------------

def facet_counts(results: SearchResults) -> dict[str, dict[str, int]]:
    return {f.name: {v.value: v.count for v in f.values} for f in results.facets}


def matching(q_keys: set[str], filters: dict[str, tuple[str, ...]]):
    return [s for s in CORPUS if s.key in q_keys
            and all(set(facet_value(s, f)) & set(v) for f, v in filters.items())]


FILTER_CASES = [
    ("", {}),
    ("", {"agency": ("KUNA", "AP"), "year": ("2017",)}),
    ("", {"section": ("Local", "World")}),
    ("", {"section": ("Local", "World"), "month": ("2017-11",)}),
    ("", {"language": ("Arabic",)}),
    ("", {"publication": ("Al-Rai", "Arab Times"), "page": ("1", "12")}),
    ("", {"place": ("Kuwait City",), "page": ("2", "3", "4"), "year": ("2017", "2016")}),
    ("", {"country": ("Kuwait",), "agency": ("Agencies", "dpa")}),
    ("ministry OR session OR kuwait", {}),
    ("ministry OR session OR kuwait", {"section": ("World",)}),
    ("-ministry", {"agency": ("KUNA",), "month": ("2017-11", "2016-12")}),
    ('"crude prices" OR harbour OR "bombers strike"', {}),  # phrases: Whoosh's one pass
    ('"crude prices" OR harbour OR "bombers strike"', {"section": ("World",)}),
    ("date:2017-11 kuwait", {"year": ("2017",)}),
    ("", {"kind": ("advertisement", "notice")}),
    ("", {"kind": ("article",), "ocr": ("80",)}),
    ("", {"ocr": ("90", "70"), "section": ("Local", "World")}),
    ("kuwait OR coffee", {"kind": ("advertisement",), "language": ("English",)}),
]


@pytest.mark.parametrize("q, filters", FILTER_CASES)
def test_facet_counts_reflect_every_other_filter(engine, q, filters):
    request_filters = tuple((f, v) for f, v in filters.items())
    results = search(engine, q, filters=request_filters, facet_limit=0)
    q_keys = found(engine, q)
    assert results.total == len(matching(q_keys, filters))
    assert keys(results) == {s.key for s in matching(q_keys, filters)}
    counts = facet_counts(results)
    assert list(counts) == list(FACETS)
    specs = [s for s in CORPUS if s.key in q_keys]
    for facet in FACETS:
        expected = expected_counts(specs, facet, filters)
        for value in filters.get(facet, ()):
            expected.setdefault(value, 0)  # a selected value always shows
        assert counts[facet] == expected, facet
    for facet in results.facets:
        for value in facet.values:
            assert value.selected == (value.value in filters.get(facet.name, ()))


@pytest.mark.parametrize("facet", FACETS)
def test_each_facet_filters(engine, facet):
    values = expected_counts(CORPUS, facet, {})
    value, count = max(values.items(), key=lambda kv: (kv[1], kv[0]))
    other = min(values.items(), key=lambda kv: (kv[1], kv[0]))[0]
    results = search(engine, filters=((facet, (value,)),), facet_limit=0)
    assert results.total == count
    assert {KEY_OF[h.id] for h in results.hits} == {
        s.key for s in CORPUS if value in facet_value(s, facet)}
    # the facet's own counts ignore its own filter, so the alternatives still show
    assert facet_counts(results)[facet] == values
    if other != value:
        both = search(engine, filters=((facet, (value, other)),))
        assert both.total == count + values[other] - len(
            [s for s in CORPUS if {value, other} <= set(facet_value(s, facet))])


def test_exact_counts_of_the_whole_corpus(engine):
    counts = facet_counts(search(engine, facet_limit=0))
    assert counts["language"] == {"English": 11, "Arabic": 2}
    assert counts["publication"] == {"Arab Times": 11, "Al-Rai": 2}
    assert counts["country"] == {"Kuwait": 13}
    assert counts["year"] == {"2016": 1, "2017": 11, "2018": 1}
    assert counts["month"]["2017-11"] == 8
    assert counts["agency"] == {"KUNA": 5, "Agencies": 1, "Reuters": 1, "AFP": 1, "AP": 1,
                                "dpa": 1}
    assert counts["section"] == {"Local": 5, "World": 3, "Business": 1, "Lifestyle": 1,
                                 "Opinion": 1, "محليات": 2}
    assert counts["place"]["Kuwait City"] == 5
    assert counts["page"]["12"] == 2


def test_facet_limit_keeps_selected_values(engine):
    results = search(engine, facet_limit=2, filters=(("section", ("Lifestyle",)),))
    section = next(f for f in results.facets if f.name == "section")
    assert [v.value for v in section.values][:2] == ["Local", "World"]
    assert "Lifestyle" in [v.value for v in section.values]
    assert section.total_values == 6


def test_date_filters_of_the_request(engine):
    assert found(engine, "", date_from=dt.date(2017, 11, 6)) == in_dates(
        dt.date(2017, 11, 6), dt.date(2099, 1, 1))
    assert found(engine, "", date_from=dt.date(2017, 1, 1), date_to=dt.date(2017, 6, 30)) \
        == {"script", "cafe", "police"}
    assert found(engine, "", month_day=(11, 5)) == {"council", "ocr", "editorial"}


# --- sorting and paging ------------------------------------------------------------------

def test_empty_query_lists_everything_newest_first(engine):
    results = search(engine)
    assert results.total == len(CORPUS)
    dates = [h.date for h in results.hits]
    assert dates == sorted(dates, reverse=True)
    assert KEY_OF[results.hits[0].id] == "beirut"
    assert results.description == "all articles"


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts(engine, sort):
    results = search(engine, "ministry OR kuwait OR harbour OR session OR polise", sort=sort)
    dates = [h.date for h in results.hits]
    assert len(dates) == 7 and len(set(dates)) == 5
    assert dates == sorted(dates, reverse=(sort == "newest"))


def test_relevance_sort(engine):
    results = search(engine, "budget OR harbour OR bombers OR ministry", sort="relevance")
    scores = [h.score for h in results.hits]
    assert len(scores) == 4
    assert scores == sorted(scores, reverse=True)
    # a headline match (boosted) ranks above a body-only match
    assert [KEY_OF[h.id] for h in search(engine, "ministry").hits] == ["script", "bombers"]


def test_paging(engine):
    seen = []
    for page in (1, 2, 3):
        results = search(engine, page=page, page_size=5)
        assert results.total == len(CORPUS)
        assert results.page_count == 3
        seen += [h.id for h in results.hits]
    assert len(seen) == len(set(seen)) == len(CORPUS)
    assert [len(search(engine, page=p, page_size=5).hits) for p in (1, 2, 3)] == [5, 5, 3]
    everything = [h.id for h in search(engine, page_size=20).hits]
    assert seen == everything  # pages are slices of one order


def test_page_past_the_end_is_an_error(engine):
    with pytest.raises(PageOutOfRange):
        search(engine, page=4, page_size=5)
    with pytest.raises(PageOutOfRange):
        search(engine, "bombers", page=2, page_size=5)


def test_page_one_of_an_empty_result_is_fine(engine):
    results = search(engine, "nosuchwordanywhere", page=1)
    assert (results.total, results.hits, results.page_count) == (0, (), 1)
    with pytest.raises(PageOutOfRange):
        search(engine, "nosuchwordanywhere", page=2)


# --- snippets and highlighting -----------------------------------------------------------

def test_stemmed_form_is_highlighted(engine):
    hit = search(engine, "bomber").hits[0]
    assert MARK.findall(hit.headline_html) == ["bombers"]
    assert "bombers" in MARK.findall(hit.snippet_html)
    assert "bomber" in MARK.findall(hit.snippet_html)  # "The bomber crews"


@pytest.mark.parametrize("q, marked", [
    ("cafe", "Café"),
    ("Russia's", "Russia’s"),
    ("امطار", "أمطارٌ"),
    ("harb*", "harbour"),
    ("polise~1", "polise"),
    ('"crude prices"', "prices"),
])
def test_folded_and_expanded_matches_are_highlighted(engine, q, marked):
    html = " ".join(h.headline_html + " " + h.snippet_html for h in search(engine, q).hits)
    assert marked in MARK.findall(html)


def test_snippet_without_a_body_match_is_the_lead(engine):
    hit = search(engine, "place:moscow").hits[0]
    assert "<mark" not in hit.snippet_html
    assert hit.snippet_html.startswith("Russian long-range bombers")


@pytest.mark.parametrize("q", ["script", "alert", "hackers", "", "<script>"])
def test_html_is_escaped(engine, q):
    hits = [h for h in search(engine, q).hits if KEY_OF[h.id] == "script"]
    assert hits
    hit = hits[0]
    for html in (hit.headline_html, hit.snippet_html):
        without_marks = re.sub(r"</?mark[^>]*>", "", html)
        assert "<" not in without_marks and ">" not in without_marks
        assert "&lt;" in html
    assert hit.headline == "Hackers <script> attack ministry site"


def test_no_snippets_when_not_asked(engine):
    assert search(engine, "bombers", snippets=False).hits[0].snippet_html == ""


# --- did you mean ------------------------------------------------------------------------

def test_suggestion_is_an_ocr_variant_from_the_archive(engine):
    results = search(engine, "goverment")
    assert results.total == 0
    assert results.suggestion == "govemment"  # as the OCR printed it: it finds the article
    assert found(engine, results.suggestion) == {"ocr"}
    assert engine.suggest("goverment") == "govemment"


def test_suggestion_keeps_fields_and_other_words(engine):
    assert search(engine, "bombrs strike").suggestion == "bombers strike"
    assert search(engine, "headline:harbur").suggestion == "headline:harbour"


@pytest.mark.parametrize("q", ["bombers", "", "harb*", "nosuchwordanywhere", "headline:("])
def test_no_suggestion(engine, q):
    assert engine.suggest(q) is None


# --- errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["headline:(", "oil AND", "AND", "OR gas", '"oil prices',
                               "foo:bar", "polise~3", "date:2017-13", "date:[2018 TO 2017]",
                               "(oil", "oil)", "-", "*"])
def test_malformed_query_is_a_query_error(engine, q):
    with pytest.raises(QueryError) as error:
        search(engine, q)
    assert error.value.message


# --- updating ----------------------------------------------------------------------------

def test_update_and_delete(engine_factory):
    engine = engine_factory(articles())
    assert engine.count() == len(CORPUS)
    assert engine.ids() == {s.id for s in CORPUS}
    changed = dataclasses.replace(BY_KEY["harbour"].article(),
                                  paragraphs=("The harbour will now host cruise liners.",))
    stats = engine.update([changed])
    assert stats.indexed == 1
    assert engine.count() == len(CORPUS)
    assert found(engine, "liners") == {"harbour"}
    assert found(engine, "container") == set()
    after_update = facet_counts(search(engine, facet_limit=0))
    for facet in ("place", "section", "year"):  # the replaced version is counted once
        assert after_update[facet] == expected_counts(CORPUS, facet, {})
    stats = engine.delete([BY_KEY["bombers"].id, "no-such-id"])
    assert stats.deleted == 1
    assert found(engine, "bombers") == set()
    assert engine.count() == len(CORPUS) - 1
    assert BY_KEY["bombers"].id not in engine.ids()
    counts = facet_counts(search(engine, facet_limit=0))
    assert "Agencies" not in counts["agency"]


def test_empty_index(engine_factory):
    engine = engine_factory([])
    for _ in range(2):  # the second search must not trip over the first searcher
        results = search(engine)
        assert (results.total, results.hits) == (0, ())
        assert all(f.values == () for f in results.facets)
    assert search(engine, "bombers", sort="oldest").total == 0
    assert engine.count() == 0
    assert engine.ids() == set()
    engine.update(articles()[:1])
    assert search(engine).total == 1


def test_undated_article(engine_factory):
    undated = dataclasses.replace(BY_KEY["cafe"].article(), id="undated1", date=None)
    engine = engine_factory([undated, BY_KEY["bombers"].article()])
    results = search(engine, sort="newest")
    assert results.total == 2
    assert {h.date for h in results.hits} == {None, BY_KEY["bombers"].date}
    assert facet_counts(search(engine, facet_limit=0))["year"] == {"2017": 1}


def test_a_facet_with_one_value_everywhere_counts_every_hit_until_that_changes(engine_factory):
    """One publication and no sections at all (one paper's archive): the counts are still
    exact for every search and filter, and follow an update that breaks the pattern."""
    items = [dataclasses.replace(a, publication="Arab Times", publication_slug="arab-times",
                                 section=None, language="English") for a in articles()]
    engine = engine_factory(items)
    for q, filters in [("", ()), ("kuwait", ()), ("nothingsuchword", ()),
                       ("", (("place", ("Kuwait City",)),)),
                       ("", (("publication", ("Arab Times",)),))]:
        results = search(engine, q, filters=filters, facet_limit=0)
        counts = facet_counts(results)
        assert counts["publication"] == ({"Arab Times": results.total} if results.total
                                         else {})
        assert counts["language"] == ({"English": results.total} if results.total else {})
        assert counts["section"] == {}
    engine.update([dataclasses.replace(items[0], publication="Kuwait Times",
                                       publication_slug="kuwait-times", section="Local")])
    counts = facet_counts(search(engine, facet_limit=0))
    assert counts["publication"] == {"Arab Times": len(items) - 1, "Kuwait Times": 1}
    assert counts["section"] == {"Local": 1}
    assert counts["language"] == {"English": len(items)}


def test_searches_in_threads_while_the_index_changes(engine_factory):
    """Replaced and deleted articles vanish for a long-lived engine too, and searches
    running in other threads never trip over a searcher being replaced."""
    engine = engine_factory(articles())
    errors: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                results = search(engine, "", page_size=3)
                assert results.total == sum(v.count for f in results.facets
                                            if f.name == "language" for v in f.values)
                totals.append(results.total)
            except BaseException as error:  # noqa: BLE001 - any error fails the test
                errors.append(error)
                return

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        base = BY_KEY["harbour"].article()
        for n in range(5):
            engine.update([dataclasses.replace(base, paragraphs=(f"Version {n} of it.",))])
            assert found(engine, f"version {n}") == {"harbour"}
            assert engine.count() == len(CORPUS)
        engine.update([], deleted=[BY_KEY["cafe"].id])
        assert engine.count() == len(CORPUS) - 1
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors, errors
    assert set(totals) <= {len(CORPUS), len(CORPUS) - 1}
    assert found(engine, "cafe") == set()


@pytest.mark.parametrize("page_size", [1, 2, 3, 100])
@pytest.mark.parametrize("q, filters", [
    ("ministry", (("section", ("Local",)),)),
    ("ministry OR harbour OR budget", (("agency", ("KUNA",)),)),
    ("ministry OR session OR harbour", (("section", ("World",)),)),
])
def test_filtered_totals_with_small_pages(engine, q, filters, page_size):
    """The total counts the filtered hits whatever the page size (Whoosh's block-quality
    shortcut once counted the unfiltered ones)."""
    everything = search(engine, q, filters=filters, page_size=100)
    results = search(engine, q, filters=filters, page_size=page_size)
    assert results.total == everything.total == len(everything.hits)
    assert len(results.hits) == min(page_size, everything.total)
    last = search(engine, q, filters=filters, page_size=page_size,
                  page=results.page_count)
    assert len(last.hits) == everything.total - (results.page_count - 1) * page_size


def test_concurrent_searches_get_the_same_answers(engine_factory):
    """Threads sharing one engine (a threaded web server) get exactly what one thread gets."""
    engine = engine_factory(generated_articles(600))
    requests = [SearchRequest(q=q, page_size=10) for q in (
        "police", "oil prices", '"crown prince"', "harb*", "minister -court",
        "date:2012 market", "", "agency:reuters bank")]
    requests.append(SearchRequest(filters=(("section", ("Local", "Sports")),)))
    expected = [engine.search(r) for r in requests]
    errors: list[BaseException] = []
    wrong: list[str] = []

    def work(offset: int):
        try:
            for i in range(80):
                request = requests[(i + offset) % len(requests)]
                got = engine.search(request)
                want = expected[requests.index(request)]
                if (got.total, got.hits, got.facets) != (want.total, want.hits, want.facets):
                    wrong.append(request.q)
        except BaseException as error:  # noqa: BLE001 - any error fails the test
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert not wrong, wrong


# --- stable orders, snippet ellipses, wildcards on printed words, spelling --------------

@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts_put_undated_last_and_break_ties_by_id(engine_factory, sort):
    base = BY_KEY["cafe"].article()
    day = base.date
    same_day = [dataclasses.replace(base, id=f"{n}same") for n in (3, 1, 2)]
    undated = [dataclasses.replace(base, id=f"{n}undated", date=None) for n in (2, 1)]
    older = dataclasses.replace(base, id="0older", date=day - dt.timedelta(days=400))
    engine = engine_factory([*undated, *same_day, older])
    order = [h.id for h in search(engine, sort=sort).hits]
    dated = ["1same", "2same", "3same"]
    dated = dated + ["0older"] if sort == "newest" else ["0older", *dated]
    assert order == dated + ["1undated", "2undated"]
    # the same order page by page
    paged = [h.id for p in (1, 2, 3) for h in search(engine, sort=sort, page=p,
                                                        page_size=2).hits]
    assert paged == order


def test_snippet_marks_where_the_text_was_cut(engine_factory):
    words = [f"filler{n}" for n in range(120)]
    long = dataclasses.replace(
        BY_KEY["cafe"].article(),
        paragraphs=(" ".join(words[:60]) + " the espresso machine broke " +
                    " ".join(words[60:]),))
    engine = engine_factory([long])
    snippet = search(engine, "espresso").hits[0].snippet_html
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert MARK.findall(snippet) == ["espresso"]
    lead = search(engine, "cafe").hits[0].snippet_html  # a headline-only match: the lead
    assert lead.startswith("filler0") and lead.endswith(" …")


@pytest.mark.parametrize("q", ["bomb?rs", "bombers*", "b*mbers", "headline:bomb?rs"])
def test_wildcards_match_the_printed_words(engine, q):
    assert found(engine, q) == {"bombers"}


def test_wildcard_that_matches_no_printed_word(engine):
    assert found(engine, "bomb?r?x") == set()


def test_suggestion_prefers_the_same_first_letter(engine):
    assert search(engine, "oill").suggestion == "oil"


def test_no_facets_when_not_asked(engine):
    results = search(engine, "kuwait", facets=False)
    assert results.total == len(found(engine, "kuwait")) > 0
    assert (results.facets, results.histogram) == ((), ())


@pytest.fixture(scope="module", params=PARAMS, ids=ENGINES)
def generated_engine(request, tmp_path_factory):
    needs_server(request, request.param)
    built = make_engine(request.param, tmp_path_factory.mktemp("gen" + request.param),
                        generated_articles(1500))
    yield built
    built.close()


@pytest.mark.parametrize("page_size", [1, 10, 100])
@pytest.mark.parametrize("kw", [
    {"date_from": dt.date(2011, 1, 1), "date_to": dt.date(2013, 12, 31)},  # whole years
    {"date_from": dt.date(2011, 1, 5), "date_to": dt.date(2013, 12, 31)},
    {"month_day": (3, 1)},
    {"filters": (("section", ("Local", "World")),), "date_from": dt.date(2014, 1, 1)},
])
def test_totals_under_date_filters_do_not_depend_on_the_page_size(generated_engine, kw,
                                                                   page_size):
    """Whoosh's collector once counted 10, 17 or 540 hits for one search depending on the
    page size; the total must agree with the (independently computed) facet counts."""
    for q in (GENERATED_MARKER, "police", "minister OR budget"):
        results = generated_engine.search(SearchRequest(q=q, page_size=page_size, **kw))
        years = {v.value: v.count for f in results.facets if f.name == "year" for v in f.values}
        assert results.total == sum(years.values())
        assert len(results.hits) == min(page_size, results.total)


# --- kinds of item and OCR quality -------------------------------------------------------

def test_kind_and_ocr_counts_of_the_whole_corpus(engine):
    results = search(engine, facet_limit=1)  # short facets are never cut
    facets = {f.name: [(v.value, v.count) for v in f.values] for f in results.facets}
    assert facets["kind"] == [("article", 8), ("advertisement", 2), ("notice", 2),
                              ("other", 1)]
    # levels reached, best first: 0.9 is 90% and 0.8 is 80%; 0.455 reaches none
    assert facets["ocr"] == [("90", 3), ("80", 6), ("70", 7), ("60", 8), ("50", 8)]


def test_ads_stay_searchable_and_a_kind_filter_narrows(engine):
    assert found(engine, "coffee") == {"cafe"}  # an advertisement, found by default
    assert found(engine, "", filters=(("kind", ("advertisement",)),)) == {"cafe", "rain"}
    assert found(engine, "coffee", filters=(("kind", ("article",)),)) == set()
    results = search(engine, "", filters=(("kind", ("notice", "other")),))
    assert keys(results) == {"police", "hospital", "script"}
    assert results.description == "all notices and other items"


@pytest.mark.parametrize("levels, expected", [
    (("90",), {"bombers", "oil", "rain"}),
    (("80",), {"bombers", "council", "police", "oil", "beirut", "rain"}),
    (("90", "70"), {"bombers", "council", "police", "oil", "beirut", "rain", "cafe"}),
    (("50",), {"bombers", "council", "police", "oil", "beirut", "rain", "cafe", "ocr"}),
])
def test_ocr_level_is_a_minimum(engine, levels, expected):
    results = search(engine, filters=(("ocr", levels),))
    assert keys(results) == expected
    assert results.total == len(expected)
    minimum = min(levels, key=int)
    assert results.description == f"all articles with OCR confidence {minimum}% or better"


def test_hits_carry_kind_and_confidence(engine):
    ad = search(engine, "coffee").hits[0]
    assert (ad.kind, ad.confidence) == ("advertisement", 0.74)
    typed = search(engine, "harbour").hits[0]
    assert (typed.kind, typed.confidence) == ("article", None)


BEST_OCR_FIRST = ["oil", "bombers", "rain", "council", "police", "beirut", "cafe", "ocr",
                  "script"]


def test_best_ocr_first(engine):
    results = search(engine, sort="ocr")
    order = [KEY_OF[h.id] for h in results.hits]
    unscored = sorted((s for s in CORPUS if s.confidence is None), key=lambda s: s.id)
    assert order == BEST_OCR_FIRST + [s.key for s in unscored]
    paged = [KEY_OF[h.id] for p in (1, 2, 3) for h in search(engine, sort="ocr", page=p,
                                                             page_size=5).hits]
    assert paged == order
    narrowed = search(engine, "ministry OR session OR polise OR coffee OR oil", sort="ocr")
    confidences = [h.confidence for h in narrowed.hits if h.confidence is not None]
    assert confidences == sorted(confidences, reverse=True) and len(confidences) >= 3


def test_best_ocr_first_breaks_ties_by_id_and_puts_unscored_last(engine_factory):
    base = BY_KEY["cafe"].article()
    same = [dataclasses.replace(base, id=f"{n}same", confidence=0.5) for n in (3, 1, 2)]
    unscored = [dataclasses.replace(base, id=f"{n}none", confidence=None) for n in (2, 1)]
    best = dataclasses.replace(base, id="9best", confidence=1.0)
    worst = dataclasses.replace(base, id="0worst", confidence=0.0)
    engine = engine_factory([*unscored, *same, worst, best])
    order = [h.id for h in search(engine, sort="ocr").hits]
    assert order == ["9best", "1same", "2same", "3same", "0worst", "1none", "2none"]
    assert order == [h.id for p in (1, 2, 3, 4) for h in search(
        engine, sort="ocr", page=p, page_size=2).hits]
    assert order == [h.id for h in search(engine, "coffee", sort="ocr").hits]


def test_both_engines_agree_on_kinds_and_quality(request, tmp_path):
    """The same requests over the same articles: equal totals, facet counts and (for the
    sorts that define one order) the same hits in the same order."""
    # hex ids, as real ones: the order keys break ties by their first ten hex digits
    items = articles() + [dataclasses.replace(
        a, id=hashlib.sha1(a.id.encode()).hexdigest()[:12],
        kind=("article", "advertisement", "notice", "other")[n % 4],
        confidence=None if n % 5 == 0 else (n * 37 % 101) / 100)
        for n, a in enumerate(generated_articles(300, seed=11))]
    built = [make_engine(kind, tmp_path / kind, items) for kind in startable(request)]
    try:
        for q, kw in [("", {}), ("", {"sort": "ocr"}), (GENERATED_MARKER, {"sort": "ocr"}),
                      ("", {"filters": (("kind", ("advertisement",)),)}),
                      ("police OR budget", {"filters": (("ocr", ("70",)),), "sort": "ocr"}),
                      ("", {"filters": (("kind", ("notice", "other")), ("ocr", ("90",)))}),
                      ("minister", {"filters": (("ocr", ("50",)),), "sort": "oldest"})]:
            answers = [search(engine, q, facet_limit=0, **kw) for engine in built]
            whoosh, *others = answers
            for other in others:
                assert whoosh.total == other.total > 0, (q, kw)
                assert facet_counts(whoosh) == facet_counts(other), (q, kw)
                if kw.get("sort") in ("ocr", "oldest"):
                    assert [h.id for h in whoosh.hits] == [h.id for h in other.hits]
    finally:
        for engine in built:
            engine.close()


# --- the seam: the registry and what each engine loads ---------------------------------

def test_registry_makes_each_engine_by_name(tmp_path):
    """Every registered name makes an engine of that name; an unknown one is refused."""
    for name in engines.ENGINES:
        assert engines.engine_class(name).__name__.endswith("Engine")
    assert "whoosh-stock" not in engines.REGISTRY  # the benchmark's baseline lives in bench/
    with pytest.raises(ValueError, match="unknown search engine"):
        engines.make_engine("lucene", tmp_path / "x")


def test_shared_modules_and_other_engines_do_not_load_whoosh():
    """Only the Whoosh engine loads Whoosh: the registry, the shared pipeline, analysis,
    results and the tantivy engine do not (a tantivy or Sphinx process never needs it)."""
    code = ("import sys; import index.engines, index.pipeline, index.analysis, "
            "index.results, index.highlight, index.build, index.tantivy.engine; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'whoosh'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("text", [
    "The U.S. oil ministers’ meeting in Kuwait, May 4 (KUNA): bombers of the 1990s",
    "Café ﬁnance Straße İstanbul الْكِتَاب مدرسة ى ـ to be or not to be", "O'Brien rock`n`roll"])
def test_whoosh_analyzers_give_the_terms_of_index_analysis(text):
    """The Whoosh index's analyzers (index.whoosh.analysis) and index.analysis, which the
    other engines and every query use, give the same terms and offsets."""
    from index.analysis import analyse, words
    from index.whoosh.analysis import ANALYZER, PLAIN

    assert [t.text for t in ANALYZER(text, mode="query")] == analyse(text)
    assert [(t.text, t.startchar, t.endchar) for t in PLAIN(text, chars=True, mode="index")] \
        == list(words(text))


def test_an_untitled_label_is_shown_not_searched(engine_factory):
    """An item that printed no headline shows the label "[untitled]"; the label is ours,
    not the paper's, so searching "untitled" does not find it."""
    from archive.headlines import UNTITLED

    untitled = dataclasses.replace(articles()[0], headline=UNTITLED)
    engine = engine_factory([untitled, *articles()[1:]])
    assert search(engine, "untitled").total == 0
    assert search(engine, "headline:untitled").total == 0
    shown = [hit.headline for hit in search(engine).hits if hit.id == untitled.id]
    assert shown == [UNTITLED]


def test_suggestion_first_letter_edits_and_how_far(engine):
    # one edit at the first letter: a letter put before it, replaced, or deleted
    assert engine.suggest("xharbour") == "harbour"
    assert engine.suggest("jarbour") == "harbour"
    assert engine.suggest("arbour") == "harbour"
    # two edits keeping the first letter; two with another first letter are too far
    assert engine.suggest("hrbourr") == "harbour"
    assert engine.suggest("jrbourr") is None
