"""Research tools past the anchors (issue 15), over HTTP: citable searches that say later what
changed, an article page that goes from match to match, reading settings that persist, and
a print stylesheet."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, seed_page
from index_helpers import CORPUS, build_data_dir, write_corpus
from markupsafe import Markup
from web_helpers import local, soup

from index.build import current_snapshot, snapshot_meta
from index.highlight import highlighter
from web import create_app, matches, reading, urls
from web.cited import Cited, parse
from web.resources import close_library

BOMBERS = "/arab-times/2017-11-04/russian-bombers-strike-0591daa31e62"
STYLE = ROOT / "web/static/style.css"


def cited_arg(url: str) -> str:
    return parse_qs(urlsplit(url).query)[urls.CITED][0]


def serving_version(data_dir: Path) -> int:
    return int(snapshot_meta(current_snapshot(data_dir / "index"))["change_seq"])


# --- citable searches ---------------------------------------------------------------------

def test_a_search_offers_a_citation_of_version_count_and_day(client, archive_dir):
    page = soup(client.get("/search?q=oil&place=Kuwait+City"))
    box = page.select_one(".cite-search")
    link = box.select_one(".permalink a")["href"]
    total = client.get("/search.json?q=oil&place=Kuwait+City").get_json()["total"]
    version = serving_version(archive_dir)
    today = dt.date.today().isoformat()
    assert cited_arg(link) == f"{version}:{total}:{today}"
    assert "cited=" in link and "%3A" not in link  # 412:1199:2026-12-02 stays legible
    args = parse_qs(urlsplit(link).query)
    assert args["q"] == ["oil"] and args["place"] == ["Kuwait City"]  # the same search
    assert box.select_one(".permalink a").get_text().startswith("http://localhost/search?")
    reference = box.select_one(".reference").get_text(" ")
    assert f"{total} result" in reference and f"archive version {version}" in reference
    assert "http://localhost/search?q=oil" in reference
    # the JSON twin carries the same citation
    twin = client.get("/search.json?q=oil&place=Kuwait+City").get_json()["citation"]
    assert twin["cited"] == cited_arg(link) and twin["url"].startswith("http://localhost/")
    assert (twin["version"], twin["hits"], twin["date"]) == (version, total, today)


def test_a_citation_opened_again_says_nothing_changed(client, archive_dir):
    link = soup(client.get("/search?q=oil")).select_one(".cite-search .permalink a")["href"]
    opened = soup(client.get(link))
    note = opened.select_one(".cited")
    total = client.get("/search.json?q=oil").get_json()["total"]
    assert note.h2.get_text() == "As cited"
    assert f"the same {total} results now" in note.get_text()
    data = client.get(link.replace("/search?", "/search.json?")).get_json()["cited"]
    assert data["changed"] is False and data["hits_now"] == data["hits"] == total
    assert data["added"] is None


def test_the_same_archive_counted_differently_is_said(client, archive_dir):
    version = serving_version(archive_dir)
    total = client.get("/search.json?q=oil").get_json()["total"]
    note = soup(client.get(f"/search?q=oil&cited={version}:{total + 5}:2026-01-02"))
    text = note.select_one(".cited").get_text(" ")
    assert f"with {total + 5} results; {total} now" in text
    assert "same articles" in text and "counts this search differently" in text


def test_a_citation_newer_than_the_archive_or_unreadable(client, archive_dir):
    version = serving_version(archive_dir)
    newer = soup(client.get(f"/search?q=oil&cited={version + 1000}:3:2026-01-02"))
    assert "built again from the beginning" in newer.select_one(".cited").get_text()
    for bad in ("nonsense", "1:2", "1:2:2026-02-30", "1:2:2999-01-01", "-1:2:2026-01-01"):
        response = client.get("/search", query_string={"q": "oil", urls.CITED: bad})
        assert response.status_code == 200, bad  # the search is still shown
        page = soup(response)
        assert page.select_one(".cited") is None
        assert "cannot be read" in page.select_one(".notice").get_text(), bad
        assert page.select(".result")


def test_parse_reads_what_citation_writes():
    today = dt.date(2026, 12, 2)
    cited = Cited(412, 1199, today)
    assert str(cited) == "412:1199:2026-12-02"
    assert parse(str(cited), today) == (cited, None)
    assert parse(" 412:1199:2026-12-03 ", today)[0] == Cited(412, 1199, dt.date(2026, 12, 3))
    assert parse("412:1199:2026-12-04", today)[0] is None  # from the future


@pytest.fixture
def growing(tmp_path: Path):
    """An archive that gains two articles about oil after a search was cited: (app,
    function adding them)."""
    write_corpus(tmp_path / "pages", CORPUS)
    build_data_dir(tmp_path / "data", [tmp_path / "pages"])
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})

    def add() -> None:
        for day, headline in (("2019-03-02", "Oil tanker docks at Shuwaikh"),
                              ("2019-03-03", "Oil output rises again")):
            page = tmp_path / "more" / day / "page_01.txt"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(seed_page(headline, "KUWAIT CITY, Mar 1: The oil ministry said "
                                                "exports of crude oil had grown."))
        build_data_dir(tmp_path / "data", [tmp_path / "pages", tmp_path / "more"])

    yield app, add
    close_library(app)


def test_a_cited_search_opened_later_names_what_was_added(growing):
    app, add = growing
    client = app.test_client()
    before = client.get("/search.json?q=oil").get_json()
    link = local(before["citation"]["url"])
    add()
    page = soup(client.get(link))
    note = page.select_one(".cited")
    assert note.h2.get_text() == "The archive has changed since this search was cited"
    today = dt.date.today()
    assert before["total"] == 1  # CORPUS has one article about oil
    assert (f"Cited on {today.day} {today.strftime('%B')} {today.year} with 1 result, "
            "in version") in note.get_text()
    after = client.get("/search.json?q=oil").get_json()
    assert after["total"] == before["total"] + 2
    assert f"; {after['total']} now" in note.get_text()
    added = note.select(".cited-added li a")
    assert sorted(a.get_text() for a in added) == ["Oil output rises again",
                                                   "Oil tanker docks at Shuwaikh"]
    assert "2 results are new or updated since" in note.select_one("summary").get_text()
    for a in added:  # each opens in the search, at its first match
        assert "q=oil" in a["href"] and f"{urls.HIT}=" in a["href"]
        assert a["href"].endswith("#" + urls.FIRST_MATCH)
        rank = int(parse_qs(urlsplit(a["href"]).query)[urls.HIT][0])
        assert after["items"][rank - 1]["headline"] == a.get_text()
    data = client.get(link.replace("/search?", "/search.json?")).get_json()["cited"]
    assert data["changed"] is True and data["hits"] == before["total"]
    assert data["hits_now"] == after["total"] and data["added"]["count"] == 2
    assert data["version_now"] > data["version"]
    assert {i["headline"] for i in data["added"]["items"]} == {
        "Oil output rises again", "Oil tanker docks at Shuwaikh"}
    assert all("#" not in i["context_url"] for i in data["added"]["items"])
    # a search the new articles do not match: changed archive, nothing new among its results
    link = local(before["citation"]["url"]).replace("q=oil", "q=bombers")
    bombers = soup(client.get(re.sub(r"cited=\d+:\d+", f"cited={data['version']}:1", link)))
    assert "None of today's results was added" in bombers.select_one(".cited").get_text()


def test_help_explains_the_cited_argument(client):
    rows = soup(client.get("/help")).select(".args tr")
    assert any(r.code and r.code.get_text() == urls.CITED for r in rows)


# --- from match to match on an article page ----------------------------------------------

def test_matches_are_numbered_with_links_from_one_to_the_next(client):
    page = soup(client.get(BOMBERS + "?q=kamal"))
    marks = page.select("article .match[id]")
    assert len(marks) >= 4
    assert [m["id"] for m in marks] == [f"match-{n}" for n in range(1, len(marks) + 1)]
    for n, mark in enumerate(marks, start=1):
        assert [m.get_text().lower() for m in mark.select("mark")] == ["kamal"]
        nav = mark.find_next_sibling()
        assert "match-nav" in nav["class"]  # right after its match: `.match:target + ...`
        assert nav.select_one(".match-count").get_text() == f"Match {n} of {len(marks)}"
        prev, after = nav.select_one(".match-prev"), nav.select_one(".match-next")
        assert (prev["href"] if prev else None) == (f"#match-{n - 1}" if n > 1 else None)
        assert (after["href"] if after else None) == \
            (f"#match-{n + 1}" if n < len(marks) else None)
    note = page.select_one(".highlight-note")
    assert f"{len(marks)} matches in the text" in note.get_text()
    assert note.select_one("a.first-match")["href"] == "#match-1"
    assert note.select_one(".match-keys").has_attr("hidden")  # the script shows it


def test_words_of_a_phrase_next_to_each_other_are_one_match():
    mark = highlighter('"oil prices" OR tanker')
    parts, total = matches.number([Markup(mark("Oil prices & <b>tanker</b> rates")),
                                   Markup(mark("No match here")),
                                   Markup(mark("oil\nprices fell"))])
    assert total == 3
    assert str(parts[0]).startswith('<span class="match" id="match-1" tabindex="-1">'
                                    "<mark>Oil</mark> <mark>prices</mark></span>")
    assert '&amp; &lt;b&gt;<span class="match" id="match-2"' in str(parts[0])  # escaped
    assert str(parts[1]) == "No match here"
    assert '<span class="match" id="match-3" tabindex="-1"><mark>oil</mark>\n<mark>prices' \
        in str(parts[2])
    assert 'class="match-end">Last match' in str(parts[2])


def test_the_headline_keeps_its_marks_and_its_name(client):
    page = soup(client.get(BOMBERS + "?q=bombers"))
    headline = page.select_one("h1.headline")
    assert headline.get_text() == "Russian bombers strike"  # no links inside the heading
    assert [m.get_text() for m in headline.select("mark")] == ["bombers"]
    assert page.select_one(".article .body #match-1 mark").get_text() == "bombers"


def test_an_article_without_a_match_in_its_text_says_so(client):
    page = soup(client.get(BOMBERS + "?q=place:moscow"))  # matched in the dateline place
    assert page.select(".match") == []
    assert "the text has none of them" in page.select_one(".highlight-note").get_text()
    assert page.select("script") == []


def test_results_open_their_article_at_the_first_match(client):
    page = soup(client.get("/search?q=kamal"))
    link = page.select_one(".result-title a")["href"]
    assert link.endswith("#" + urls.FIRST_MATCH) and f"{urls.HIT}=1" in link
    listing = soup(client.get("/search"))  # no words: nothing to highlight, no anchor
    assert "#" not in listing.select_one(".result-title a")["href"]
    twin = client.get("/search.json?q=kamal").get_json()
    assert "#" not in twin["items"][0]["context_url"]  # JSON links stay plain addresses
    article = soup(client.get(local(twin["items"][0]["context_url"])))
    assert article.select_one("#match-1") is not None
    oil = soup(client.get(local(client.get("/search.json?q=oil").get_json()["items"][1]
                                ["context_url"])))
    for link in oil.select(".context .prev-next a"):  # from result to result, likewise
        assert link["href"].endswith("#" + urls.FIRST_MATCH)


def test_the_script_runs_only_from_a_file_and_only_where_it_is_used(client):
    response = client.get(BOMBERS + "?q=kamal")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "default-src 'none'" in policy
    scripts = soup(response).select("script")
    assert [s.get("src") for s in scripts] == [urls.static("matches.js")]
    assert all(not s.get_text().strip() for s in scripts)  # no inline script
    assert soup(client.get(BOMBERS)).select("script") == []  # nothing to jump between
    for path in ("/search?q=kamal", "/", "/settings"):
        assert "script-src" not in client.get(path).headers["Content-Security-Policy"], path
    with client.get(urls.static("matches.js")) as script:  # a file: closed when read
        assert script.status_code == 200 and "javascript" in script.mimetype
        text = script.get_data(as_text=True)
    assert 'event.key === "n"' in text and 'event.key === "p"' in text


# --- reading settings and print ----------------------------------------------------------

def test_settings_are_saved_in_a_cookie_and_lead_back(client):
    back = BOMBERS + "?q=kamal&_hit=1"
    response = client.get("/settings", query_string={"text": "large", "width": "narrow",
                                                     "back": back})
    assert response.status_code == 303
    assert response.headers["Location"] == back
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("reading=large.narrow;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    assert response.headers["Cache-Control"] == "no-store"
    css = client.get(urls.READING_CSS)
    assert css.mimetype == "text/css"
    assert css.headers["Vary"] == "Cookie" and "no-cache" in css.headers["Cache-Control"]
    text = css.get_data(as_text=True)
    assert text.count("@media screen") == 1  # the printed page keeps the print sheet's type
    assert ".article .body { font-size: 1.4rem" in text and "max-width: 32rem" in text
    form = soup(client.get("/settings"))  # the page shows the choice made
    assert form.select_one("input[name=text][checked]")["value"] == "large"
    assert form.select_one("input[name=width][checked]")["value"] == "narrow"
    # the defaults clear the cookie, and the sheet has no rules
    reset = client.get("/settings?text=standard&width=standard")
    assert reset.headers["Location"] == urls.SETTINGS
    assert "reading=;" in reset.headers["Set-Cookie"]
    assert "{" not in client.get(urls.READING_CSS).get_data(as_text=True)


def test_settings_go_back_only_to_this_site(client):
    for back in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "evil",
                 "/ok\r\nSet-Cookie: x=1"):
        response = client.get("/settings", query_string={"text": "large", "back": back})
        assert response.status_code == 303, back
        assert response.headers["Location"] == urls.SETTINGS, back
    assert client.get("/settings?text=huge").status_code == 400
    assert client.get("/settings?width=endless").status_code == 400


def test_a_cookie_this_version_does_not_know_reads_as_the_defaults():
    assert reading.from_cookie("huge.endless") == reading.Reading()
    assert reading.from_cookie(None).default
    assert reading.from_cookie("larger.wide") == reading.Reading("larger", "wide")
    assert reading.to_cookie(reading.Reading("larger", "wide")) == "larger.wide"


def test_an_article_page_is_the_same_for_every_reader(app):
    """The settings change only the stylesheet: the page (and what caches keep of it) is
    the same with any cookie, and links to the settings with its own address."""
    plain, chosen = app.test_client(), app.test_client()
    chosen.get("/settings?text=larger&width=wide")
    path = BOMBERS + "?q=kamal"
    a, b = plain.get(path), chosen.get(path)
    assert a.get_data() == b.get_data() and a.headers["ETag"] == b.headers["ETag"]
    page = soup(a)
    assert page.select_one(f'link[rel=stylesheet][href="{urls.READING_CSS}"]') is not None
    settings = page.select_one(".article-tools a")["href"]
    assert parse_qs(urlsplit(settings).query)["back"] == [path]
    assert "larger" in chosen.get(urls.READING_CSS).get_data(as_text=True)
    assert "Disallow: /settings" in plain.get("/robots.txt").get_data(as_text=True)


def _print_rules() -> str:
    css = STYLE.read_text()
    start = css.index("@media print {")
    depth, end = 0, start
    for end in range(start, len(css)):
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        if depth == 0 and css[end] == "}":
            break
    return css[start:end]


def test_the_print_sheet_keeps_the_text_and_citation_only():
    rules = _print_rules()
    hidden = rules[:rules.index("{ display: none !important; }")]
    for selector in (".site-nav", ".site-footer", ".breadcrumbs", ".facets", ".histogram",
                     ".search-form", ".pagination", ".match-nav", ".highlight-note",
                     ".article-tools", ".context", ".same-page", ".issue-nav"):
        assert selector in hidden, selector
    for kept in (".cite ", ".article .body", ".cite-search"):
        assert kept in rules and kept not in hidden, kept
    assert "mark { background: none" in rules
