"""Unit tests of the pieces behind the pages: the article highlighter, citations, the search
state in URLs, the histogram and the pagination window."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.model import Article
from index.engine import FACETS, Facet, FacetValue, SearchRequest, SearchResults
from index.highlight import highlight_html
from index.results import histogram as results_histogram
from web import urls
from web.cite import citations
from web.histogram import histogram, layout
from web.paging import pagination


@pytest.mark.parametrize("text, query, expected", [
    ("Russian bombers struck", "bomber", "Russian <mark>bombers</mark> struck"),
    ("The Café reopened", "cafe", "The <mark>Café</mark> reopened"),
    ("Russia’s army", "russia's", "<mark>Russia’s</mark> army"),
    ("harbour and harbor", "harb*", "<mark>harbour</mark> and <mark>harbor</mark>"),
    ("harbour and harbor", "h?rbour", "<mark>harbour</mark> and harbor"),
    ("police polise palace", "polise~", "<mark>police</mark> <mark>polise</mark> palace"),
    ("oil prices rose", '"oil prices"', "<mark>oil</mark> <mark>prices</mark> rose"),
    ("oil not gas", "oil -gas", "<mark>oil</mark> not gas"),
    ("the oil", "the", "the oil"),  # stopwords are not searched, so not marked
    ("x <b>y</b> & z", "y", "x &lt;b&gt;<mark>y</mark>&lt;/b&gt; &amp; z"),
    ("<script>oil</script>", "oil AND", "&lt;script&gt;oil&lt;/script&gt;"),  # bad query
    ("dated 2017", "date:2017", "dated 2017"),
    ("ministry", "headline:ministry", "<mark>ministry</mark>"),
])
def test_highlight_html(text, query, expected):
    assert highlight_html(text, query) == expected


def test_highlight_uses_the_index_stemmer_both_ways():
    assert highlight_html("The bombing and the bombers", "bombs") == \
        "The <mark>bombing</mark> and the bombers"  # "bombs" and "bombing" stem to "bomb"


def _article(**changes) -> Article:
    fields = {"id": "abc", "publication": "Arab Times", "publication_slug": "arab-times",
              "headline": "Oil climbs", "paragraphs": ("Text.",), "source": "x.txt"}
    return Article(**{**fields, **changes})


def test_citations_with_and_without_date_and_byline():
    accessed = dt.date(2026, 1, 2)
    full = {c.style: c for c in citations(
        _article(date=dt.date(2017, 11, 4), page=3, byline="John Smith",
                 headline="Why <now>?"), "http://x/a", accessed, "Archive")}
    assert full["APA"].text == ("John Smith. (2017, November 4). Why <now>? Arab Times, p. 3. "
                                "http://x/a")
    assert "Why &lt;now&gt;?" in full["APA"].html and "<i>Arab Times</i>" in full["APA"].html
    assert full["MLA"].text == ("John Smith. “Why <now>?” Arab Times, 4 Nov. 2017, p. 3. "
                                "Archive, http://x/a. Accessed 2 Jan. 2026.")
    assert full["Chicago"].text == ("John Smith. “Why <now>?” Arab Times, November 4, 2017. "
                                    "Accessed January 2, 2026. http://x/a.")
    bare = {c.style: c.text for c in citations(_article(), "http://x/a", accessed, "Archive")}
    assert bare["APA"] == "Oil climbs. (n.d.). Arab Times. http://x/a"
    assert bare["MLA"].startswith("“Oil climbs.” Arab Times. Archive,")


@pytest.mark.parametrize("byline", ["From our own Correspondent", "By a Staff Reporter",
                                    "From our Paris Correspondent", "From the London Times",
                                    "De notre correspondant", "Von unserem Korrespondenten"])
def test_a_byline_that_names_no_one_is_no_author_in_a_citation(byline: str) -> None:
    from web.citations_export import bibtex, ris

    article = _article(date=dt.date(1887, 3, 7), byline=byline)
    apa = {c.style: c.text for c in citations(article, "http://x/a", dt.date(2026, 1, 2),
                                              "Archive")}["APA"]
    assert apa.startswith("Oil climbs. (1887, March 7).")
    assert "AU  -" not in ris(article, "http://x/a", dt.date(2026, 1, 2), "Archive")
    assert "author" not in bibtex(article, "http://x/a", dt.date(2026, 1, 2), "Archive")
    # a name stays the author
    named = _article(date=dt.date(1887, 3, 7), byline="John Smith")
    assert "AU  - John Smith" in ris(named, "http://x/a", dt.date(2026, 1, 2), "Archive")


def test_search_args_leave_defaults_out_and_in_search_drops_the_page():
    assert urls.search(SearchRequest()) == "/search"
    request = SearchRequest(q="oil & gas", filters=(("place", ("Kuwait City",)),), page=3)
    assert urls.search(request) == "/search?q=oil+%26+gas&place=Kuwait+City&_page=3"
    assert urls.search(request, "json").startswith("/search.json?")
    assert urls.in_search("/a/b/c-1", request, 41) == \
        "/a/b/c-1?q=oil+%26+gas&place=Kuwait+City&_hit=41"
    assert urls.toggle(request, "place", "Kuwait City") == "/search?q=oil+%26+gas"


@settings(max_examples=200, deadline=None)
@given(q=st.text(max_size=12),
       chosen=st.dictionaries(st.sampled_from(FACETS), st.lists(st.sampled_from(
           ["Kuwait", "a&b", "2001", "é ü", "x=y"]), max_size=3, unique=True), max_size=4),
       facet=st.sampled_from(FACETS), value=st.sampled_from(["Kuwait", "a&b", "2001", "new"]),
       sort=st.sampled_from(["relevance", "newest"]), page=st.integers(1, 3),
       fmt=st.sampled_from(["", "json"]))
def test_toggler_equals_encoding_the_toggled_search(q, chosen, facet, value, sort, page, fmt):
    """The fast toggle URLs (arguments around the facet encoded once) are exactly the URL of
    the search with that value switched, page reset to 1."""
    filters = tuple((name, tuple(values)) for name, values in chosen.items() if values)
    request = SearchRequest(q=q, filters=filters, sort=sort, page=page,
                            date_from=dt.date(1990, 1, 1))
    old = request.selected(facet)
    values = tuple(v for v in old if v != value) if value in old else (*old, value)
    expected = urls.search(urls.with_filters(request, facet, values), fmt)
    assert urls.toggler(request, facet, fmt)(value) == expected


@pytest.mark.parametrize("leaf, expected", [
    ("russian-bombers-strike-0591daa31e62", ("0591daa31e62", "")),
    ("russian-bombers-strike-0591daa31e62.json", ("0591daa31e62", ".json")),
    ("0591daa31e62.txt", ("0591daa31e62", ".txt")),
    ("المجلس-يقر-5e45a945cc3a", ("5e45a945cc3a", "")),
])
def test_split_leaf(leaf, expected):
    assert urls.split_leaf(leaf) == expected


def _results(request: SearchRequest, histogram_counts, total=10) -> SearchResults:
    years = Facet("year", tuple(FacetValue(v, c) for v, c in histogram_counts if len(v) == 4),
                  total_values=0)
    return SearchResults(request=request, total=total, hits=(), facets=(years,),
                         histogram=tuple(histogram_counts))


def test_histogram_fills_missing_years_and_drills_into_months():
    data = histogram(_results(SearchRequest(), [("2015", 3), ("2018", 1)]), lambda p: p)
    assert [(b["value"], b["count"]) for b in data["bars"]] == [
        ("2015", 3), ("2016", 0), ("2017", 0), ("2018", 1)]
    assert data["bars"][1]["url"] is None  # an empty year is no link
    assert data["bars"][0]["url"] == "/search?year=2015"
    request = SearchRequest(filters=(("year", ("2015",)), ("month", ("2015-03",))))
    months = histogram(_results(request, [("2015-03", 3)]), lambda p: p)
    assert months["unit"] == "month" and len(months["bars"]) == 12
    march = months["bars"][2]
    assert march["selected"] and march["url"] == "/search?year=2015"  # click again: off
    assert months["all_years_url"] == "/search"
    shapes = layout(months)["bars"]
    assert shapes[2]["height"] > 0 and shapes[0]["height"] == 0
    assert all(0 <= s["x"] <= 560 for s in shapes)


def test_hits_of_one_year_are_shown_by_month_without_choosing_it():
    """A bar of one year says nothing: the engine counted its months
    (index.results.histogram) and the chart shows them, with no 'All years' to undo."""
    year = Facet("year", (FacetValue("1916", 7),), total_values=1)
    month = Facet("month", (FacetValue("1916-01", 3), FacetValue("1916-07", 4)),
                  total_values=2)
    counts = results_histogram((year, month), SearchRequest())
    assert counts == (("1916-01", 3), ("1916-07", 4))
    data = histogram(SearchResults(request=SearchRequest(), total=7, hits=(),
                                   facets=(year,), histogram=counts), lambda p: p)
    assert (data["unit"], data["title"], data["all_years_url"]) == (
        "month", "Articles per month, 1916", None)
    assert [b["count"] for b in data["bars"]][:7] == [3, 0, 0, 0, 0, 0, 4]
    assert data["bars"][6]["url"] == "/search?month=1916-07"
    # two years, or one chosen among several: as before
    two = Facet("year", (FacetValue("1915", 1), FacetValue("1916", 7)), total_values=2)
    assert results_histogram((two, month), SearchRequest()) == (("1915", 1), ("1916", 7))


def test_pagination_window():
    request = SearchRequest(page=10, page_size=10)
    paging = pagination(SearchResults(request=request, total=200, hits=()), lambda p: p)
    numbers = [p["number"] for p in paging["pages"]]
    assert numbers == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert (paging["first"], paging["last"]) == (91, 100)
    assert paging["prev_url"] == "/search?_page=9&_size=10"
    assert paging["next_url"] == "/search?_page=11&_size=10"
    single = pagination(SearchResults(request=SearchRequest(), total=3, hits=()), lambda p: p)
    assert single["pages"] == [] and single["next_url"] is None
