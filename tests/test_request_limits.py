"""A cost budget for every request (issue 14): hostile parameters answer 400 with a message
before any search; a deep page is refused before an engine allocates it; wildcard and fuzzy
terms expand to a capped number of words, and the result says which were capped; a search
past its time limit answers with what it found, marked partial. On both engines.

Only statuses, messages, counts and notes are asserted, never wall-clock time: the timings
live in the report of the change that added this file."""

from __future__ import annotations

import string
from dataclasses import replace

import pytest
from index_helpers import (
    CORPUS,
    Spec,
    build_data_dir,
    generated_articles,
    snippet_texts,
    write_corpus,
)
from werkzeug.datastructures import MultiDict

from archive.model import Article
from index import engines, expansion
from index import query as q
from index.engine import (
    MAX_RESULT_WINDOW,
    PARTIAL_NOTE,
    Capped,
    PageOutOfRange,
    ResultWindowExceeded,
    SearchRequest,
)
from index.results import Bounds
from web import create_app
from web.records import hit_path
from web.resources import close_library, library
from web.state import Limits, parse_search

ENGINES = ["whoosh", "tantivy"]
FREQUENT, RARE = 500, 100  # words starting "zorb" in two articles each / in one each
AZ = " OR ".join(f"{letter}*" for letter in string.ascii_lowercase)
TWO_LETTERS = " OR ".join([f"{a}{b}*" for a in "bcdfghlmnprst" for b in "aeiou"][:49]
                          + ["zo*"])
E600 = "é" * 600


def zorb_articles() -> list[Article]:
    """50 articles holding 20 of the FREQUENT words each (each word in two of them), and 5
    holding 20 of the RARE words each (each in one): "zorb*" stands for 600 words, more
    than MAX_EXPANSIONS (500), and its 500 most frequent are exactly the FREQUENT ones."""
    base = generated_articles(55, seed=3)
    made = []
    for i, article in enumerate(base):
        if i < 50:
            words = [f"zorbf{(i * 10 + k) % FREQUENT:03d}" for k in range(20)]
        else:
            words = [f"zorbr{(i - 50) * 20 + k:03d}" for k in range(20)]
        made.append(replace(article, id=f"zorb{i:02d}",
                            paragraphs=(f"{article.paragraphs[0]} {' '.join(words)}",)))
    return made


@pytest.fixture(scope="module", params=ENGINES, ids=ENGINES)
def engine(request, tmp_path_factory):
    items = generated_articles(200) + zorb_articles()
    built = engines.make_engine(request.param, tmp_path_factory.mktemp(request.param),
                                snippet_texts(items))
    built.build(items)
    yield built
    built.close()


def search(engine, text: str, **changes):
    return engine.search(replace(SearchRequest(q=text, page_size=100), **changes))


# --- wildcard and fuzzy expansions: capped, and the result says so ----------------------

def test_a_wildcard_past_its_budget_searches_its_most_frequent_words(engine):
    found = search(engine, "zorb*")
    assert found.capped == (Capped("zorb*", expansion.MAX_EXPANSIONS),)
    assert "zorb*" in found.notices[0] and f"{expansion.MAX_EXPANSIONS:,}" in found.notices[0]
    ids = {h.id for h in found.hits}
    assert found.total == 50 and ids == {f"zorb{i:02d}" for i in range(50)}
    assert search(engine, "zorbr000").total == 1  # a rare word itself is still found


def test_a_wildcard_within_its_budget_is_not_capped(engine):
    found = search(engine, "zorbr*")  # the hundred rare words
    assert found.capped == () and found.notices == ()
    assert {h.id for h in found.hits} == {f"zorb{i:02d}" for i in range(50, 55)}


@pytest.mark.parametrize("text, capped", [(AZ, "z*"), (TWO_LETTERS, "zo*")])
def test_many_ored_wildcards_share_the_query_budget(engine, text, capped):
    """26 prefixes ORed (52-68 s on Whoosh before) and 50 two-letter prefixes (20 s): each
    gets its share of MAX_QUERY_WORDS, and the search goes on."""
    budget = expansion.expansion_budget(q.parse(text)).words
    assert budget == expansion.MAX_QUERY_WORDS // len(text.split(" OR "))
    found = search(engine, text)
    assert Capped(capped, budget) in found.capped
    assert all(c.searched == budget for c in found.capped)
    assert found.total > 0 and not found.partial
    if len(found.capped) > 1:  # one line for them all, naming the first five
        assert found.notices == (
            f"{', '.join(c.term for c in found.capped[:5])}"
            + (f" and {len(found.capped) - 5} more" if len(found.capped) > 5 else "")
            + " match more words than one search can use: only the "
            f"{budget} most frequent of each were searched",)


def test_the_capped_terms_of_a_query_are_one_notice(engine):
    text = " OR ".join([f"zorbf{digit}*" for digit in range(5)] + ["zorbr*"])  # 100 words each
    budget = expansion.expansion_budget(q.parse(text)).words
    assert budget < 100
    found = search(engine, text)
    assert [c.term for c in found.capped] == text.split(" OR ")
    assert found.notices == ("zorbf0*, zorbf1*, zorbf2*, zorbf3*, zorbf4* and 1 more match "
                             "more words than one search can use: only the "
                             f"{budget} most frequent of each were searched",)


def test_an_expansion_shares_its_budget_with_the_other_expanding_terms():
    assert expansion.expansion_budget(q.parse("oil")).words == expansion.MAX_EXPANSIONS
    assert expansion.expansion_budget(q.parse("harb* OR harb*")).words == expansion.MAX_EXPANSIONS
    assert expansion.expansion_budget(q.parse("a* b~2 -c*")).words == \
        min(expansion.MAX_EXPANSIONS, expansion.MAX_QUERY_WORDS // 3)
    assert expansion.expansion_budget(q.parse(TWO_LETTERS)).words >= 1


def test_fuzzy_terms_are_capped_alike(engine):
    found = search(engine, "zorbf100~2")  # ~250 zorb words within 2 edits of it
    assert found.capped == () and found.total > 20
    text = " OR ".join(f"zorbf{n:03d}~2" for n in range(0, 500, 12))  # 42 fuzzy terms
    budget = expansion.expansion_budget(q.parse(text)).words
    many = search(engine, text)
    assert many.capped and all(c.searched == budget for c in many.capped)
    assert 0 < many.total <= 50


def test_a_600_letter_word_finds_nothing_and_is_not_respelled(engine):
    """600 x "é" held a Whoosh worker for 45 s comparing it with every word for "did you
    mean"; as a fuzzy word it is compared with words of about its length only."""
    for text in (E600, E600 + "~2"):
        found = search(engine, text)
        assert (found.total, found.suggestion, found.capped) == (0, None, ())
    assert search(engine, "parliamentt").suggestion == "parliament"  # short words still are


def test_most_frequent_keeps_the_frequent_words_and_says_when_it_cut():
    assert expansion.most_frequent({"b": 1, "a": 1, "c": 5}, 2) == (["c", "a"], True)
    assert expansion.most_frequent({"b": 1}, 2) == (["b"], False)
    assert expansion.wildcard_regex("h?rb*") == "h.rb.*"
    assert expansion.wildcard_regex("a.b+") == "a\\.b\\+"
    assert expansion.literal_prefix("harb*our?") == "harb"


# --- the result window: no engine is asked for a page past it ----------------------------

@pytest.mark.parametrize("changes", [{"page": 10**9}, {"page": 10**9, "page_size": 1},
                                     {"page": MAX_RESULT_WINDOW + 1, "page_size": 1},
                                     {"page": 2, "page_size": MAX_RESULT_WINDOW},
                                     {"page": 0}, {"page_size": 0}, {"page_size": -1},
                                     {"facet_limit": -1}])
def test_a_page_past_the_result_window_is_refused_before_the_search(engine, changes):
    with pytest.raises(ResultWindowExceeded) as error:
        search(engine, "zorb*", **changes)
    assert "page" in str(error.value).lower()


def test_the_deepest_page_within_the_window_is_an_ordinary_page_past_the_end(engine):
    with pytest.raises(PageOutOfRange):
        search(engine, "zorb*", page=MAX_RESULT_WINDOW // 100, page_size=100)
    with pytest.raises(PageOutOfRange):
        search(engine, "oil", page=MAX_RESULT_WINDOW, page_size=1)


def test_page_count_stops_at_the_window(engine):
    found = search(engine, "", page_size=1)
    assert found.page_count == found.listed  # 261 pages: well within
    assert replace(found, total=10**7, stories=10**7).page_count == MAX_RESULT_WINDOW


# --- the time limit ------------------------------------------------------------------------

def test_whoosh_answers_what_it_found_in_time_marked_partial(engine):
    if engine.name != "whoosh":
        pytest.skip("tantivy cannot stop a search under way; the limits above keep it cheap")
    whole = search(engine, "zorb* OR oil")
    assert not whole.partial and PARTIAL_NOTE not in whole.notices
    stopped = search(engine, "zorb* OR oil", time_limit=0.0)
    assert stopped.partial and stopped.notices[-1] == PARTIAL_NOTE
    assert len(stopped.hits) <= len(whole.hits)
    assert search(engine, "oil", time_limit=0.0).partial


def test_bounds_stop_at_the_deadline_or_a_share_of_it_and_then_say_partial():
    free, spent, ample = Bounds(), Bounds(0.0), Bounds(3600.0)
    assert (free.left(), free.stop(), free.partial) == (None, False, False)
    assert spent.stop(0.5) and spent.partial and spent.left() <= 0
    assert not ample.stop() and not ample.stop(0.001) and not ample.partial
    assert 3599 < ample.left() <= 3600
    ample.capped[q.Wildcard("a*", "headline")] = 7
    assert ample.notes() == (Capped("headline:a*", 7),)


@pytest.mark.parametrize("filters", [(), (("section", ("World",)),)])
@pytest.mark.parametrize("text", ["oil", "zorb*", '"crude oil" OR harb*', ""])
def test_a_generous_time_limit_changes_nothing(engine, text, filters):
    """(Whoosh's TimeLimitCollector around a filtered search's collector dropped the
    filter: the limit sits inside it.)"""
    timed = search(engine, text, filters=filters, time_limit=60.0)
    free = search(engine, text, filters=filters)
    assert not timed.partial
    assert (timed.total, [h.id for h in timed.hits]) == (free.total, [h.id for h in free.hits])
    if filters:
        assert timed.total and {h.section for h in timed.hits} == {"World"}


# --- the web: every argument checked before any work ----------------------------------------

def zorb_specs() -> tuple[Spec, ...]:
    """The zorb articles as pages (the article page's _hit runs a real search)."""
    return tuple(Spec(a.id, a.date, a.headline, a.paragraphs, section="World", page=2)
                 for a in zorb_articles())


@pytest.fixture(scope="module", params=ENGINES, ids=ENGINES)
def client(request, tmp_path_factory):
    base = tmp_path_factory.mktemp(f"web-{request.param}")
    pages = write_corpus(base / "pages", CORPUS + zorb_specs())
    build_data_dir(base / "data", pages, full=True, engine=request.param)
    app = create_app({"TESTING": True, "DATA_DIR": str(base / "data")})
    yield app.test_client()
    close_library(app)


@pytest.mark.parametrize("args, message", [
    ({"q": "oil", "_page": str(10**9)}, "page must be between 1 and 1,000, not 1000000000"),
    ({"q": "oil", "_page": "9" * 5000}, "page must be between 1 and 1,000, not 99999"),
    ({"q": "oil", "_page": "1_000"}, "page must be a whole number"),
    ({"q": "oil", "_size": "-1"}, "page size must be between 1 and 100, not -1"),
    ({"q": "oil", "_facet_limit": "abc"}, "facet limit must be a whole number, not “abc”"),
    ({"q": "oil", "year": "99999999999999999999"}, "is not a valid year"),
    ({"q": "oil", "from": "99999-01-01"}, "is not a valid “from” date"),
    ({"q": "oil", "_sort": "random"}, "Sort must be one of"),
])
@pytest.mark.parametrize("fmt", ["", ".json"])
def test_hostile_arguments_are_a_400_with_a_message(client, args, message, fmt):
    response = client.get(f"/search{fmt}", query_string=args)
    assert response.status_code == 400
    text = response.get_json()["error"] if fmt else response.get_data(as_text=True)
    assert message in text


def test_a_configured_deeper_page_still_stops_at_the_result_window():
    limits = replace(Limits(), page=10**6)
    request, errors = parse_search(MultiDict({"q": "oil", "_page": "1001", "_size": "100"}),
                                   limits)
    assert errors == [f"Only the first {MAX_RESULT_WINDOW:,} results of a search can be "
                      "shown: page 1,001 of 100 per page lies past them. Narrow the search "
                      "or download it as CSV"]
    assert request.page == 1


@pytest.mark.parametrize("text", [AZ, TWO_LETTERS, E600, E600 + "~2", "zorb*"])
def test_hostile_queries_answer_with_a_bounded_result(client, text):
    response = client.get("/search.json", query_string={"q": text})
    assert response.status_code == 200
    data = response.get_json()
    assert data["total"] >= 0 and len(data["items"]) <= 20
    if text == E600:
        assert data["total"] == 0 and data["suggestion"] is None


def test_the_search_page_says_which_terms_were_capped(client):
    """On the page and in the JSON twin."""
    page = client.get("/search", query_string={"q": "zorb*"})
    assert page.status_code == 200
    with client.application.app_context():
        results = library().search(parse_search(MultiDict({"q": "zorb*"}))[0])
    assert results.capped == (Capped("zorb*", expansion.MAX_EXPANSIONS),)
    data = client.get("/search.json", query_string={"q": "zorb*"}).get_json()
    assert data["notices"] == list(results.notices) and data["partial"] is False
    assert results.notices[0] in page.get_data(as_text=True)


def permalink(client, text: str = "zorb*") -> str:
    with client.application.app_context():
        hits = library().search(SearchRequest(q=text)).hits
    return hit_path(hits[0])


@pytest.mark.parametrize("hit, message", [
    ("1000000000", f"result number must be between 1 and {MAX_RESULT_WINDOW:,}"),
    (str(MAX_RESULT_WINDOW + 1), f"not {MAX_RESULT_WINDOW + 1}"),
    ("0", "must be between 1"), ("-5", "must be between 1"), ("abc", "whole number"),
])
def test_a_hit_rank_no_search_can_show_is_a_400(client, hit, message):
    """_hit=1000000000 on a tantivy archive made a worker allocate 48 GB and abort."""
    response = client.get(permalink(client), query_string={"q": "zorb*", "_hit": hit})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_deep_or_shallow_hit_rank_within_the_window_opens_the_article(client):
    path = permalink(client)
    shallow = client.get(path, query_string={"q": "zorb*", "_hit": "1"})
    assert shallow.status_code == 200 and "Result 1 of 50:" in shallow.get_data(as_text=True)
    for rank in (str(MAX_RESULT_WINDOW), "5000"):  # past the end: the article, no context
        deep = client.get(path, query_string={"q": "zorb*", "_hit": rank})
        assert deep.status_code == 200
        assert 'class="context"' not in deep.get_data(as_text=True)


def test_the_search_time_limit_comes_from_the_configuration(tmp_path):
    assert parse_search(MultiDict({"q": "oil"}))[0].time_limit == 2.0
    config = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)}).config
    assert Limits.from_config(config).time_limit == 2.0
    assert Limits.from_config({**config, "SEARCH_TIME_LIMIT": 0.5}).time_limit == 0.5
    assert Limits.from_config({**config, "SEARCH_TIME_LIMIT": 0}).time_limit is None
    with pytest.raises(ValueError, match="SEARCH_TIME_LIMIT must be a number of seconds"):
        Limits.from_config({**config, "SEARCH_TIME_LIMIT": "soon"})
