"""What a first-time reader trips over (issue 15), over HTTP: links that carry a page's own
plumbing, facets that say what choosing a value does, a page past the end that keeps the
query, a histogram a phone can use, phrase highlighting, queries of stop-words only."""

from __future__ import annotations

import datetime as dt
import io
import socket
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from conftest import ROOT, seed_page, served
from web_helpers import args_of, soup

from archive.model import Article
from index.engine import Facet, FacetValue, SearchRequest, SearchResults
from index.highlight import highlight_html
from web import urls
from web.citations_export import bibtex, ris
from web.cli import main
from web.facets import facets
from web.histogram import histogram, layout
from web.home import on_this_day
from web.progress import progress
from web.resources import library

PHONE_BARS = 12  # bars a 390 px phone shows as 24 px targets (358 px of chart)


def _results(request: SearchRequest, facet_list=(), histogram_counts=(), total=10):
    return SearchResults(request=request, total=total, hits=(), facets=tuple(facet_list),
                         histogram=tuple(histogram_counts))


# --- 1. the home page's years, page sizes, "show all" / "show fewer" ---------------------

def test_home_year_bars_open_an_ordinary_search(client):
    page = soup(client.get("/"))
    links = [a["href"] for a in page.select("svg.chart a")]
    assert links
    for link in links:
        assert set(args_of(link)) == {"year"}, link  # no _size=1, no _facet_limit=8
    opened = client.get(links[0])
    assert opened.status_code == 200
    assert len(soup(opened).select(".result")) > 1


def test_a_page_size_typed_into_the_address_is_marked_current(client):
    page = soup(client.get("/search?_size=7"))
    current = page.select('nav[aria-label="Results per page"] [aria-current]')
    assert [a.get_text(strip=True) for a in current] == ["7"]
    offered = [a.get_text(strip=True) for a in page.select('nav[aria-label="Results per page"] a')]
    assert offered == ["7", "10", "20", "50", "100"]


def _place_facet(values: int, limit: int, selected: tuple[str, ...] = ()):
    request = SearchRequest(facet_limit=limit,
                            filters=(("place", selected),) if selected else ())
    shown = [FacetValue(f"P{i:02d}", 50 - i, f"P{i:02d}" in selected)
             for i in range(values)][: limit or None]
    facet = Facet("place", tuple(shown), total_values=values)
    return facets(_results(request, [facet]), lambda p: p)["place"]


@pytest.mark.parametrize("limit", [2, 8, 10, 100, 0])
def test_show_fewer_never_shows_more(limit):
    place = _place_facet(25, limit)
    if place["fewer_url"]:
        written = args_of(place["fewer_url"]).get(urls.FACET_LIMIT)
        fewer = int(written[0]) if written else urls.DEFAULT_FACET_LIMIT
        assert limit == 0 or fewer < limit
        assert len(place["values"]) > fewer
    if limit and limit <= urls.DEFAULT_FACET_LIMIT:
        assert place["fewer_url"] is None  # already as short as the default, or shorter


# --- 3. a page past the end --------------------------------------------------------------

def test_a_page_past_the_end_keeps_the_query_and_links_to_the_last_page(client):
    data = client.get("/search.json?q=oil&_size=2").get_json()
    last = -(-data["total"] // 2)
    response = client.get("/search?q=oil&_size=2&_page=999")
    assert response.status_code == 404
    page = soup(response)
    assert page.select_one("#q")["value"] == "oil"  # the query is not lost
    alert = page.select_one(".alert")
    assert f"It has {last} pages" in alert.get_text(" ", strip=True)
    targets = {a.get_text(" ", strip=True): a["href"] for a in alert.select("a")}
    last_url = targets[f"the last page ({last})"]
    assert args_of(last_url) == {"q": ["oil"], "_size": ["2"], "_page": [str(last)]}
    assert client.get(last_url).status_code == 200
    assert args_of(targets["the first page"]) == {"q": ["oil"], "_size": ["2"]}


def test_a_page_past_the_end_of_the_json_twin_names_the_last_page(client):
    response = client.get("/search.json?q=oil&_size=2&_page=999")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert "page 999 is past the end" in error and "_page=" in error


# --- 6. facets say what choosing does ----------------------------------------------------

def test_a_selected_value_comes_first_and_the_others_say_they_add(client):
    page = soup(client.get("/search?place=Vienna"))
    facet = page.select_one("#facet-place")
    first = facet.select_one("li a")
    assert first.select_one(".value").get_text(strip=True) == "Vienna"
    assert "selected" in first["class"]
    assert "either" in facet.select_one(".facet-or").get_text().lower()
    others = facet.select("ul:not(.chosen) li a .count")
    assert others and all(c.get_text(strip=True).startswith("+") for c in others)
    assert "adds" in others[0].get_text()  # said to a screen reader too


def test_a_facet_of_one_value_every_result_has_is_not_listed(client):
    data = client.get("/search.json?q=oil").get_json()
    assert data["facets"]["language"]["choice"] is False  # every result is in English
    page = soup(client.get("/search?q=oil"))
    assert page.select_one("#facet-language") is None
    assert page.select_one("#facet-place") is not None


def test_facet_links_and_histogram_bars_come_back_to_where_they_were(client):
    page = soup(client.get("/search?q=oil"))
    for link in page.select("#facet-place li a"):
        assert link["href"].endswith("#facet-place")
    for link in page.select("svg.chart a"):
        assert link["href"].endswith("#histogram")
    assert page.select_one(".skip-to-filters[href='#filters']") is not None
    data = client.get("/search.json?q=oil").get_json()  # the JSON twin has no fragments
    assert "#" not in data["facets"]["place"]["values"][0]["toggle_url"]


# --- 9. the histogram on a phone, and its scale ------------------------------------------

def test_many_years_are_also_drawn_in_spans_a_phone_can_tap():
    counts = [(str(year), year % 7 + 1) for year in range(1970, 2019)]  # 49 years
    data = histogram(_results(SearchRequest(q="oil"), histogram_counts=counts), lambda p: p)
    spans = data["spans"]
    assert spans is not None and len(spans["bars"]) <= PHONE_BARS
    assert spans["size"] == 5 and spans["bars"][0]["name"] == "1970–1974"
    assert sum(b["count"] for b in spans["bars"]) == sum(c for _, c in counts)
    first = args_of(spans["bars"][0]["url"])
    assert first == {"q": ["oil"], "from": ["1970-01-01"], "to": ["1974-12-31"]}
    geometry = layout(data)
    assert geometry["spans"]["bars"] and geometry["ticks"]  # a count scale for 49 bars
    assert all(b["slot_width"] * 358 / 560 >= 24 for b in geometry["spans"]["bars"])


def test_few_years_need_no_spans_and_carry_their_counts():
    counts = [("2015", 3), ("2016", 5)]
    data = histogram(_results(SearchRequest(), histogram_counts=counts), lambda p: p)
    assert data["spans"] is None
    geometry = layout(data)
    assert geometry["ticks"] == [] and all(b["show_count"] for b in geometry["bars"])


def test_the_scale_counts_round_numbers_up_to_the_peak():
    counts = [(str(year), 10 + year % 400) for year in range(1980, 2010)]
    geometry = layout(histogram(_results(SearchRequest(), histogram_counts=counts),
                                lambda p: p))
    values = [t["value"] for t in geometry["ticks"]]
    assert values == [200, 400]  # peak 409: two or three round steps, not nine
    assert all(0 < t["y"] < geometry["baseline"] for t in geometry["ticks"])


# --- 4. a phrase is highlighted where it is, not word by word ----------------------------

@pytest.mark.parametrize("text, query, expected", [
    ("Oil prices rose; the price of oil-based goods fell", '"oil prices"',
     "<mark>Oil</mark> <mark>prices</mark> rose; the price of oil-based goods fell"),
    ("The President of the Council met the council president", '"president of the council"',
     "The <mark>President</mark> of the <mark>Council</mark> met the council president"),
    # one more word between them: "now" ("is" and "the" are stopwords, not counted)
    ("oil is now the price", '"oil prices"~1', "<mark>oil</mark> is now the <mark>price</mark>"),
    ("oil is now the price", '"oil prices"', "oil is now the price"),
    ("prices of oil, oil prices", 'oil "oil prices"',  # oil on its own: every oil
     "prices of <mark>oil</mark>, <mark>oil</mark> <mark>prices</mark>"),
    ("gas and oil-prices", '"oil prices" OR gas',
     "<mark>gas</mark> and <mark>oil</mark>-<mark>prices</mark>"),
    ("the oil", '"the oil"', "the <mark>oil</mark>"),  # a phrase of one word after stopwords
])
def test_a_phrase_is_marked_only_where_it_stands(text, query, expected):
    assert highlight_html(text, query) == expected


def test_the_article_page_marks_the_phrase_not_its_words_elsewhere(client):
    data = client.get("/search.json", query_string={"q": '"oil refinery"'}).get_json()
    hit = next(i for i in data["items"] if i["headline"] == "Oil refinery reopens after "
                                                          "maintenance")
    page = soup(client.get(urlsplit(hit["url"]).path, query_string={"q": '"oil refinery"'}))
    body = page.select_one(".article .body").decode_contents()
    assert "<mark>oil</mark> <mark>refinery</mark>" in body
    assert "the oil company" in body  # not a lone <mark>oil</mark>


def test_a_snippet_marks_the_phrase_not_its_words_elsewhere(client):
    data = client.get("/search.json", query_string={"q": '"oil refinery"'}).get_json()
    hit = next(i for i in data["items"] if i["headline"] == "Oil refinery reopens after "
                                                          "maintenance")
    assert ">oil</mark> <mark" in hit["snippet"]
    assert "the oil company" in hit["snippet"]


# --- 5. stop-words: never a silent "matches everything"; say which words were dropped ---

@pytest.mark.parametrize("query", ["of the", "the", "-the", '"of the"', "the OR a"])
def test_a_query_of_stopwords_only_is_refused_with_the_reason(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 400
    page = soup(response)
    assert "too common to search for" in page.select_one(".alert").get_text()
    assert page.select(".result") == []
    assert page.select_one("#q")["value"] == query
    twin = client.get("/search.json", query_string={"q": query})
    assert twin.status_code == 400 and "too common" in twin.get_json()["error"]
    assert client.get("/search.csv", query_string={"q": query}).status_code == 400


def test_the_refusal_names_the_words(client):
    error = client.get("/search.json", query_string={"q": "of the"}).get_json()["error"]
    assert error.startswith("“of” and “the” are too common to search for")


@pytest.mark.parametrize("query", ["oil -the", "oil the", '"president of the council"',
                                   "date:2017 the", "place:the"])
def test_a_query_with_something_left_to_search_runs(client, query):
    assert client.get("/search.json", query_string={"q": query}).status_code == 200


def test_a_phrase_that_comes_down_to_one_word_says_which_were_dropped(client):
    data = client.get("/search.json", query_string={"q": '"to be or not to be"'}).get_json()
    assert data["description"].endswith(
        "(“to”, “be” and “or” are too common to search for and left out)")
    data = client.get("/search.json", query_string={"q": '"the oil"'}).get_json()
    assert data["description"].endswith("(“the” is too common to search for and left out)")


def test_the_command_line_refuses_stopwords_only(archive_dir):
    result = CliRunner().invoke(main, ["--data-dir", str(archive_dir), "search", "of", "the"])
    assert result.exit_code == 2
    assert "too common to search for" in result.output


# --- 10. the command line --------------------------------------------------------------

def test_data_dir_works_after_the_command_too(tmp_path):
    data = tmp_path / "data"
    result = CliRunner().invoke(main, ["rebuild", "--data-dir", str(data),
                                       str(ROOT / "tests/fixtures/pages/london_reuters.txt")])
    assert result.exit_code == 0, result.output
    assert (data / "articles.sqlite3").is_file()
    searched = CliRunner().invoke(main, ["search", "--data-dir", str(data), "--json", "oil"])
    assert searched.exit_code == 0, searched.output
    # after the command wins over before it (the nearer one)
    other = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "x"), "search",
                                      "--data-dir", str(data), "oil"])
    assert other.exit_code == 0, other.output


def test_help_names_the_default_data_folder():
    result = CliRunner().invoke(main, ["--help"])
    assert "(dynamic)" not in result.output
    assert "instance folder" in result.output


@pytest.mark.parametrize("command", [["search", "oil"], ["export"], ["sources"]])
def test_a_mistyped_data_dir_is_an_error_not_a_new_archive(tmp_path, command):
    typo = tmp_path / "dta"
    result = CliRunner().invoke(main, ["--data-dir", str(typo), *command])
    assert result.exit_code == 1
    assert f"There is no archive in {typo}" in result.output
    assert not typo.exists()


def test_a_port_in_use_is_one_line_with_what_to_do():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"Port {port} is already in use" in result.output and "--port" in result.output
    assert "Traceback" not in result.output


# --- 8. progress that says what is going on ----------------------------------------------

def _rendered(bar) -> str:
    from rich.console import Console

    console = Console(file=io.StringIO(), force_terminal=False, width=200)
    console.print(bar.bar.make_tasks_table(bar.bar.tasks))
    return console.file.getvalue()


def test_a_bar_without_a_total_shows_a_count_not_a_question_mark():
    from rich.console import Console

    with progress("Ingesting", "files", console=Console(file=io.StringIO())) as bar:
        for n in range(3001):
            bar.file_done(f"p{n}.txt", "ingested")
        shown = _rendered(bar)
    assert "3,001 files" in shown and "?" not in shown
    assert "so far" in shown  # time taken, as no time left can be known


def test_the_index_bar_says_it_is_writing_once_every_article_is_counted():
    from rich.console import Console

    with progress("Indexing", "articles", "writing the index to disk",
                       console=Console(file=io.StringIO())) as bar:
        bar.set_total(2986)
        bar.advance(2000)
        assert "writing" not in _rendered(bar)
        bar.advance(986)
        shown = _rendered(bar)
    assert "2,986/2,986 articles" in shown
    assert "Indexing: writing the index to disk" in shown


# --- citations for reference managers: RIS and BibTeX twins -----------------------------

BOMBERS = "/arab-times/2017-11-04/russian-bombers-strike-0591daa31e62"


def test_an_article_as_ris(client):
    response = client.get(BOMBERS + ".ris")
    assert response.status_code == 200
    assert response.mimetype == "application/x-research-info-systems"
    assert 'filename="arabtimes2017russian0591daa3.ris"' in \
        response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    lines = text.split("\r\n")
    assert lines[0] == "TY  - NEWS" and lines[-2] == "ER  - " and lines[-1] == ""
    fields = dict(line.split("  - ", 1) for line in lines[:-2])
    assert fields["TI"] == "Russian bombers strike"
    assert fields["T2"] == "Arab Times" and fields["DA"] == "2017/11/04"
    assert fields["UR"] == "http://localhost" + BOMBERS  # the canonical address
    assert fields["N1"] == "Dateline: Moscow; Agency: Agencies"


def test_an_article_as_bibtex(client):
    response = client.get(BOMBERS + ".bib")
    assert response.status_code == 200 and response.mimetype == "application/x-bibtex"
    text = response.get_data(as_text=True)
    assert text.startswith("@article{arabtimes2017russian0591daa3,\n")
    assert "  title = {{Russian bombers strike}},\n" in text
    assert "  date = {2017-11-04},\n" in text and "  month = nov,\n" in text
    assert f"  url = {{http://localhost{BOMBERS}}},\n" in text
    assert text.count("{") == text.count("}")


def test_the_article_page_and_its_json_link_to_the_citations(client):
    page = soup(client.get(BOMBERS))
    formats = page.select_one(".cite .formats")
    assert [a["href"] for a in formats.select("a[download]")] == [BOMBERS + ".ris",
                                                                  BOMBERS + ".bib"]
    links = client.get(BOMBERS + ".json").get_json()["links"]
    assert links["ris"] == "http://localhost" + BOMBERS + ".ris"


def test_citation_fields_cannot_break_out_of_their_format():
    article = Article(id="abc123", publication="Arab Times", publication_slug="arab-times",
                      headline="Profits up 50% & {rising}\nER  - \\end", paragraphs=("x",),
                      source="x.txt", byline="A_B ~ C", date=dt.date(2017, 1, 2))
    ris_text = ris(article, "http://x/a", dt.date(2026, 1, 1), "Site")
    assert [ln for ln in ris_text.split("\r\n") if ln.startswith("ER")] == ["ER  - "]
    assert "TI  - Profits up 50% & {rising} ER  - \\end\r\n" in ris_text
    bib = bibtex(article, "http://x/a", dt.date(2026, 1, 1), "Site")
    assert r"title = {{Profits up 50\% \& \{rising\} ER  - \textbackslash{}end}}" in bib
    assert r"author = {{A\_B \~{} C}}" in bib
    assert bib.count("{") - bib.count(r"\{") == bib.count("}") - bib.count(r"\}")


def test_a_search_as_citations_holds_every_result(client):
    total = client.get("/search.json?q=oil").get_json()["total"]
    ris_text = client.get("/search.ris?q=oil").get_data(as_text=True)
    assert ris_text.count("TY  - NEWS\r\n") == ris_text.count("ER  - \r\n") == total
    bib = client.get("/search.bib?q=oil")
    assert bib.mimetype == "application/x-bibtex"
    assert bib.get_data(as_text=True).count("@article{") == total
    assert client.get("/search.ris?q=of+the").status_code == 400
    page = soup(client.get("/search?q=oil"))
    assert page.select_one(".exports a[href^='/search.ris?q=oil']") is not None


# --- the home page: on this day, recent issues -------------------------------------------

def test_on_this_day_lists_earlier_years_newest_first(app):
    with app.app_context():
        found = on_this_day(library(), dt.date(2030, 11, 4), lambda p: p)
    assert found["day"] == "4 November"
    years = [group["year"] for group in found["years"]]
    assert years == sorted(years, reverse=True) and {2016, 2017, 2018} <= set(years)
    assert args_of(found["url"]) == {"on_month": ["11"], "on_day": ["4"], "_sort": ["oldest"]}
    client = app.test_client()
    listed = client.get(found["url"].replace("/search?", "/search.json?")).get_json()
    assert listed["total"] == found["total"]
    assert {i["date"][5:] for i in listed["items"]} == {"11-04"}
    with app.app_context():
        assert on_this_day(library(), dt.date(2032, 2, 29), lambda p: p) is None


def test_the_home_page_shows_today_and_the_latest_issues(client):
    data = client.get("/index.json").get_json()
    today = dt.date.today()
    if data["on_this_day"] is not None:
        assert data["on_this_day"]["month"] == today.month
        assert data["on_this_day"]["date"] == today.day
    issues = data["recent_issues"]
    assert issues and [i["date"] for i in issues] == sorted((i["date"] for i in issues),
                                                            reverse=True)
    latest = max(p["last"] for p in data["publications"] if p["last"])
    assert issues[0]["date"] == latest
    assert client.get(urlsplit(issues[0]["url"]).path).status_code == 200
    page = soup(client.get("/"))
    assert len(page.select(".recent-issues li")) == len(issues)
    assert page.select_one("a[href='/trends']") is not None


def test_an_archive_of_one_year_is_charted_by_month(tmp_path):
    """A bar of one year says nothing: an archive (or a search) whose every article lies
    in one year is charted by month, and the home page still gives its span in years."""
    pages = tmp_path / "pages"
    for day, headline in (("2016-02-14", "Harbour expansion approved"),
                          ("2016-02-20", "Harbour work begins"),
                          ("2016-11-04", "Parliament elections set for November")):
        path = pages / day / "page_01.txt"
        path.parent.mkdir(parents=True)
        path.write_text(seed_page(headline, "KUWAIT CITY: The cabinet met on Saturday and "
                                            "approved the plan, the ministry said."),
                        encoding="utf-8")
    with served(tmp_path / "data", pages) as client:
        data = client.get("/index.json").get_json()
        assert (data["first_year"], data["last_year"], data["years"]["unit"]) == (
            "2016", "2016", "month")
        counts = {b["value"]: b["count"] for b in data["years"]["bars"] if b["count"]}
        assert counts == {"2016-02": 2, "2016-11": 1}
        page = soup(client.get("/"))
        assert page.select_one("#years-title").get_text() == "By month"
        assert "2016." in page.select_one(".lede").get_text()
        found = client.get("/search.json?q=harbour").get_json()["histogram"]
        assert found["unit"] == "month" and found["all_years_url"] is None
