"""The site in a real headless Chromium (Debian's, driven by Playwright) against the real
server (`newsarchive serve` in a subprocess): search, facets, the histogram, an article and
its permalink, history; axe-core finds no serious problems; screenshots for people to look at.
The navigation runs with JavaScript switched off: the site must work without it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from commands import newsarchive
from conftest import ROOT
from index_helpers import CORPUS, REPRINTS, build_data_dir, write_corpus
from scanned_helpers import build_scanned_archive, permalink_of

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules/axe-core/axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = (1280, 390)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian chromium is not installed at /usr/bin/chromium "
                              "(run `bash scripts/setup --test`)"),
]
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(archive_dir: Path) -> Iterator[str]:
    """`newsarchive serve` on a free port over the test archive; yields its base URL."""
    yield from _serve(archive_dir)


@pytest.fixture(scope="module")
def scanned_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same over a scanned issue (items of every kind, OCR scores, several pages)."""
    yield from _serve(build_scanned_archive(tmp_path_factory.mktemp("scanned")))


@pytest.fixture(scope="module")
def reprint_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same over stories printed more than once (two papers, several days)."""
    base = tmp_path_factory.mktemp("reprints")
    write_corpus(base / "pages", CORPUS)
    write_corpus(base / "pages", REPRINTS)
    build_data_dir(base / "data", [base / "pages"])
    yield from _serve(base / "data")


def _serve(data_dir: Path) -> Iterator[str]:
    port = _free_port()
    argv = newsarchive() + ["--data-dir", str(data_dir), "serve",
                            "--host", "127.0.0.1", "--port", str(port)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSARCHIVE_")}
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env)
    try:
        line = process.stdout.readline()  # the server announces its URL when it is ready
        match = re.search(r"http://\S+/", line)
        assert match, f"serve printed {line!r}"
        url = match.group()
        assert url == f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server never accepted a connection"
                time.sleep(0.05)
        yield url.rstrip("/")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A page with JavaScript off (as a reader without it would see the site)."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280,
                                                                        "height": 900})
    yield context.new_page()
    context.close()


def shoot(browser, url: str, name: str) -> None:
    """Full-page screenshots at the desktop and the phone width, into test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      device_scale_factor=1, java_script_enabled=False)
        tab = context.new_page()
        tab.goto(url)
        tab.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        context.close()


def test_search_facet_histogram_article_reload_back(page, server, browser):
    page.goto(f"{server}/")
    page.get_by_label("Search the archive").fill("oil")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\?q=oil$"))
    results = page.locator(".result")
    total = results.count()
    assert total >= 5
    assert page.locator(".result-title mark").first.inner_text().lower() == "oil"

    # a facet value narrows the search; its chip widens it again
    page.locator("#facet-place a", has_text="Vienna").click()
    page.wait_for_url(re.compile(r"place=Vienna"))
    assert results.count() == 1
    assert page.locator(".chip").inner_text().startswith("Dateline place: Vienna")
    page.locator(".chip").click()
    page.wait_for_url(re.compile(r"/search\?q=oil$"))
    assert results.count() == total

    # a histogram bar narrows to its year and shows the months
    page.goto(f"{server}/search")
    page.get_by_role("link", name="2017: 6 articles").click()
    page.wait_for_url(re.compile(r"year=2017"))
    assert page.locator(".histogram figcaption").inner_text().startswith("Articles per month, 2017")
    page.get_by_role("link", name=re.compile(r"^November 2017: \d+ articles")).click()
    page.wait_for_url(re.compile(r"month=2017-11"))
    assert results.count() > 0
    assert all("Nov 2017" in t for t in page.locator(".result .meta time").all_inner_texts())

    # open an article from a search, reload its permalink, go back to the results
    page.goto(f"{server}/search?q=bombers")
    search_url = page.url
    page.locator(".result-title a").first.click()
    page.wait_for_url(re.compile(r"/arab-times/2017-11-04/russian-bombers-strike-\w+\?"))
    assert page.locator("h1").inner_text() == "Russian bombers strike"
    assert page.locator(".article mark").count() > 0
    article_url = page.url
    permalink = page.locator(".cite .permalink a").get_attribute("href")
    page.reload()
    assert page.url == article_url
    assert page.locator("h1").inner_text() == "Russian bombers strike"
    page.goto(server + permalink)
    assert page.locator(".article mark").count() == 0  # the permalink carries no search
    page.go_back()
    assert page.url == article_url
    page.go_back()
    assert page.url == search_url
    assert page.locator(".result").count() >= 1


def test_an_old_slug_redirects_in_the_browser(page, server):
    page.goto(f"{server}/arab-times/2017-11-04/a-headline-that-changed-0591daa31e62?q=syria")
    assert page.url == f"{server}/arab-times/2017-11-04/russian-bombers-strike-0591daa31e62?q=syria"
    assert page.locator(".article .body mark").first.inner_text() == "Syria"


def test_keyboard_skip_link_and_visible_focus(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{server}/search?q=oil")
    tab.keyboard.press("Tab")
    focused = tab.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert tab.locator(".skip-link").bounding_box()["y"] >= 0  # moved into view when focused
    outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    tab.keyboard.press("Enter")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.id") == "q"  # the first control in main
    context.close()


PAGES = {
    "home": "/",
    "search": "/search?q=oil",
    "search-year": "/search?year=2017&place=Kuwait+City",
    "search-error": "/search?q=oil+AND",
    "article": "/arab-times/2017-11-04/russian-bombers-strike-0591daa31e62?q=bombers",
    "issue": "/arab-times/2019-07-01/",
    "year": "/arab-times/2017/",
    "places": "/places/",
    "help": "/help",
    "not-found": "/arab-times/2017-11-04/nothing-000000000000",
}


def audit(browser, url: str, width: int) -> tuple[list, int]:
    """axe's serious and critical violations on a page at a width, and how wide the page
    is there. axe is injected by the test, so this context lets scripts run despite the
    CSP."""
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.goto(url)
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    context.close()
    return serious, scroll_width


def check_everywhere(browser, url: str, name: str) -> None:
    """At every width: nothing serious for axe, nothing wider than the screen; then
    screenshots at both widths for people to look at."""
    for width in WIDTHS:
        serious, scroll_width = audit(browser, url, width)
        assert not serious, (width, serious)
        assert scroll_width <= width, width
    shoot(browser, url, name)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `bash scripts/setup --test`")
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violations(browser, server, name):
    serious, _ = audit(browser, server + PAGES[name], 1280)
    assert not serious, serious


@pytest.mark.parametrize("name", ["home", "search", "search-year", "article", "issue", "year"])
def test_screenshots(browser, server, name):
    shoot(browser, server + PAGES[name], name)
    for width in WIDTHS:
        assert (ARTIFACTS / f"{name}-{width}.png").stat().st_size > 10_000


@pytest.mark.parametrize("name", ["home", "search", "article", "year", "help"])
def test_nothing_overflows_a_phone_screen(browser, server, name):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(server + PAGES[name])
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_no_console_errors_or_csp_violations(browser, server):
    context = browser.new_context()
    tab = context.new_page()
    messages: list[str] = []
    tab.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    for path in ("/", "/search?q=oil", PAGES["article"], "/help"):
        tab.goto(server + path)
    context.close()
    assert not messages, messages


SCANNED_PAGES = {
    "scanned-ad": permalink_of("cocoa"),
    "scanned-article": permalink_of("tramway") + "?q=tramway",
    "scanned-issue": "/evening-courier/1921-03-14/",
    "scanned-search": "/search?q=bridge+OR+grocer+OR+tramway",
}


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `bash scripts/setup --test`")
@pytest.mark.parametrize("name", list(SCANNED_PAGES))
def test_scanned_pages_are_accessible_and_fit_a_phone(browser, scanned_server, name):
    """Kinds, OCR scores, the page note and "On the same page": axe finds nothing serious,
    nothing overflows a phone, and screenshots at both widths for people to look at."""
    check_everywhere(browser, scanned_server + SCANNED_PAGES[name], name)


def test_same_page_list_leads_to_the_other_items(page, scanned_server):
    page.goto(scanned_server + permalink_of("cocoa"))
    listed = page.locator(".same-page .page-items li")
    assert listed.count() == 4
    assert page.locator(".same-page [aria-current]").inner_text() == \
        "ADVERTISEMENT Drink Hallam's Cocoa (you are here)"  # uppercase by CSS
    page.locator(".same-page a", has_text="Notice of road closure").click()
    page.wait_for_url(re.compile(r"/notice-of-road-closure-\w+$"))
    assert page.locator(".kind-eyebrow").inner_text() == "NOTICE"  # uppercase by CSS
    assert page.locator(".same-page [aria-current] .title").inner_text() == \
        "Notice of road closure"
    page.locator(".same-page .note a").click()
    page.wait_for_url(re.compile(r"/1921-03-14/#page-1$"))
    assert page.locator("#page-1").inner_text() == "PAGE 1"


# --- stories printed more than once --------------------------------------------------------

REPRINT_SPECS = {spec.key: spec for spec in REPRINTS}


def reprint_path(key: str) -> str:
    from web.urls import permalink  # the web layer only for the tests that serve it

    return permalink(REPRINT_SPECS[key].article())


REPRINT_PAGES = {
    "reprints-search": "/search?q=power+OR+plant+OR+rain",
    "reprints-every": "/search?q=power+OR+plant+OR+rain&_collapse=0",
    "reprints-story": None,  # the first result's "All 4 printings" (found by the test)
    "reprints-article": reprint_path("power-reuters"),
    "reprints-issue": "/arab-times/2017-11-07/",
}


def _story_url(tab, server: str) -> str:
    tab.goto(server + REPRINT_PAGES["reprints-search"])
    return server + tab.locator(".also .story-link").first.get_attribute("href")


def test_the_toggle_lists_every_printing_and_each_story_once(page, reprint_server):
    page.goto(reprint_server + "/search?q=power")
    results = page.locator(".result")
    assert results.count() == 2
    assert page.locator(".result-count").inner_text().startswith("2 stories (5 printings)")
    toggle = page.get_by_role("navigation", name="Stories printed more than once")
    assert toggle.locator("[aria-current]").inner_text() == "Each story once"
    toggle.get_by_role("link", name="Every printing").click()
    page.wait_for_url(re.compile(r"_collapse=0"))
    assert results.count() == 5
    assert page.locator(".result-count").inner_text().startswith("5 printings (2 stories)")
    assert toggle.locator("[aria-current]").inner_text() == "Every printing"
    toggle.get_by_role("link", name="Each story once").click()
    page.wait_for_url(re.compile(r"/search\?q=power$"))
    assert results.count() == 2

    # a story's printings, and back to the whole list through its chip
    page.get_by_role("link", name="All 4 printings").click()
    page.wait_for_url(re.compile(r"cluster=\w+"))
    assert results.count() == 4
    assert page.locator(".chip").inner_text().startswith("Printings of “Power station deal")
    assert page.locator(".result .also").count() == 0
    with page.expect_navigation():
        page.locator(".chip").click()
    assert "cluster=" not in page.url and results.count() > 4


def test_a_printing_leads_to_the_same_story_elsewhere(page, reprint_server):
    page.goto(reprint_server + reprint_path("power-reuters"))
    listed = page.locator(".same-story .story-printings li")
    assert listed.count() == 3
    assert page.locator(".same-story .differs").count() == 2  # two other headlines
    assert page.locator(".article-meta").inner_text().count("One of 4 printings") == 1
    page.locator(".same-story a", has_text="Japan to build Kuwait power plant").click()
    page.wait_for_url(re.compile(r"/kuwait-times/2017-11-06/japan-to-build-kuwait-power-"
                                 r"plant-\w+$"))
    assert page.locator("h1").inner_text() == "Japan to build Kuwait power plant"
    titles = page.locator(".same-story .story-printings .title").all_inner_texts()
    assert "Japan to build Kuwait power plant" not in titles and len(titles) == 3
    page.locator(".same-story .note a").click()
    page.wait_for_url(re.compile(r"cluster=\w+"))
    assert page.locator(".result").count() == 4


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `bash scripts/setup --test`")
@pytest.mark.parametrize("name", list(REPRINT_PAGES))
def test_reprint_pages_are_accessible_and_fit_a_phone(browser, reprint_server, name):
    """The collapsed list, every printing, one story's printings, the article page's list
    and the issue's marks: axe finds nothing serious, nothing overflows a phone, and
    screenshots at both widths for people to look at."""
    if REPRINT_PAGES[name] is None:
        context = browser.new_context()
        url = _story_url(context.new_page(), reprint_server)
        context.close()
    else:
        url = reprint_server + REPRINT_PAGES[name]
    check_everywhere(browser, url, name)


# --- the reader's experience (issue 15) -------------------------------------------------

def _seed_page(headline: str, dateline: str, text: str) -> str:
    return "\n\n".join(["Arab Times", headline, "-", f"{dateline} {text}",
                        "Newspapers in English", "Newspapers from Kuwait"]) + "\n"


@pytest.fixture(scope="module")
def years_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An archive spanning 49 years (1970-2018), two dateline places."""
    base = tmp_path_factory.mktemp("years")
    for year in range(1970, 2019):
        place = "KUWAIT CITY" if year % 2 else "LONDON"
        for n in range(1 + year % 3):
            path = base / "pages" / f"{year}-03-{n + 10}" / "page_01.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_seed_page(f"Oil market report {year} {n}", f"{place}, Mar 9:",
                                       f"Oil prices moved in {year}, traders said ({n})."),
                            encoding="utf-8")
    build_data_dir(base / "data", [base / "pages"])
    yield from _serve(base / "data")


def _inside(tab, selector: str) -> bool:
    return tab.evaluate(f"!!document.activeElement.closest({selector!r})")


def test_keyboard_reaches_the_filters_at_once_and_stays_there(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{server}/search?q=oil")
    tab.keyboard.press("Tab")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Skip to the filters"
    assert tab.locator(".skip-to-filters[href='#filters']").bounding_box()["y"] >= 0  # shown
    tab.keyboard.press("Enter")
    tab.wait_for_function("document.querySelector(':target')?.id === 'filters'")
    tab.keyboard.press("Tab")
    assert _inside(tab, "#filters")  # 3 presses and Enter, not ~96
    while not _inside(tab, "#facet-place"):
        tab.keyboard.press("Tab")
    chosen = tab.evaluate("document.activeElement.querySelector('.value').textContent")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "place=" in tab.url and tab.url.endswith("#facet-place")
    # once the browser has gone to the fragment (it then also moves where Tab starts)
    tab.wait_for_function("document.querySelector(':target')?.id === 'facet-place'")
    tab.keyboard.press("Tab")  # the next Tab goes on from the facet, not from the top
    assert _inside(tab, "#facet-place")
    assert tab.evaluate("document.activeElement.querySelector('.value').textContent") == chosen
    context.close()


def test_a_phone_gets_tappable_spans_and_filters_near_the_top(browser, years_server):
    phone = browser.new_context(viewport={"width": 390, "height": 844},
                                java_script_enabled=False)
    tab = phone.new_page()
    tab.goto(f"{years_server}/search?q=oil")
    assert not tab.locator("svg.full-chart").is_visible()
    targets = tab.locator("svg.span-chart a .target")
    assert 4 <= targets.count() <= 12
    for i in range(targets.count()):
        box = targets.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    # a span narrows to its years, which a phone then shows bar by bar
    with tab.expect_navigation():
        targets.first.click()
    assert "from=1970-01-01" in tab.url and "to=1974-12-31" in tab.url
    assert tab.locator("svg.full-chart a").count() == 5
    assert tab.locator("svg.full-chart a .target").first.bounding_box()["width"] >= 24
    # the filters: one tap away, near the top, and still there after choosing one
    tab.goto(f"{years_server}/search?q=oil")
    tab.get_by_role("link", name=re.compile("^Filter the results")).click()
    assert tab.locator("#filters").bounding_box()["y"] < 900
    with tab.expect_navigation():
        tab.locator("#facet-place a", has_text="London").click()
    assert tab.evaluate("document.querySelector('#filters').getBoundingClientRect().top "
                        "+ window.scrollY") < 900
    assert tab.locator("#facet-place a.selected .value").inner_text().endswith("London")
    tab.locator(".back-to-results a").click()
    assert tab.locator("#results").bounding_box()["y"] < tab.locator("#filters").bounding_box()["y"]
    phone.close()


def test_a_wide_screen_draws_every_year_with_a_count_scale(browser, years_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{years_server}/search?q=oil")
    assert tab.locator("svg.full-chart a").count() == 49
    assert not tab.locator("svg.span-chart").is_visible()
    assert tab.locator("svg.full-chart text.scale").count() >= 2  # the count axis
    assert tab.locator("svg.full-chart text.label").first.text_content() == "1970"
    context.close()


READER_PAGES = {
    "reader-facets": "/search?q=oil&place=Kuwait+City",
    "reader-past-end": "/search?q=oil&_page=99",
    "reader-stopwords": "/search?q=of+the",
    "reader-filters-open": "/search?q=oil#filters",
    "reader-trends": "/trends?q=oil&q=bombers&q=refinery",
    "reader-trends-empty": "/trends",
    "reader-home": "/",
}


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `bash scripts/setup --test`")
@pytest.mark.parametrize("name", [*READER_PAGES, "reader-years"])
def test_reader_pages_are_accessible_and_fit_a_phone(browser, server, years_server, name):
    url = (years_server + "/search?q=oil" if name == "reader-years"
           else server + READER_PAGES[name])
    check_everywhere(browser, url, name)


def test_a_trend_point_opens_that_years_results(page, server):
    page.goto(f"{server}/trends?q=oil&q=bombers")
    point = page.locator("svg.trend-lines a").first
    label = point.locator("title").text_content()  # "oil, 2015: 50% (1 of 2 articles)"
    year, count = re.match(r"oil, (\d{4}): .* \((\d+) of", label).groups()
    with page.expect_navigation():
        point.click()
    assert "q=oil" in page.url and f"year={year}" in page.url
    assert page.locator(".result").count() == int(count)


# --- research tools (issue 15): from match to match, reading settings, cited searches ------

ARTICLE = "/arab-times/2017-11-04/russian-bombers-strike-0591daa31e62"


def _target(tab) -> str | None:
    return tab.evaluate("document.querySelector(':target')?.id ?? null")


def _in_view(tab, selector: str, height: int) -> bool:
    box = tab.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_a_search_opens_its_article_at_the_first_match_and_n_p_move_on(browser, server):
    """Scripts on, under the site's own Content-Security-Policy (not bypassed): the keys
    work only if the policy lets the script file run."""
    context = browser.new_context(viewport={"width": 1280, "height": 600})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.goto(f"{server}/search?q=euphrates")
    with tab.expect_navigation():
        tab.locator(".result-title a").first.click()
    assert tab.url.endswith("#match-1")
    tab.wait_for_function("document.querySelector(':target')?.id === 'match-1'")
    assert tab.evaluate("window.scrollY") > 300  # the first match is far down the article
    assert _in_view(tab, "#match-1", 600)
    bar = tab.locator("#match-1 + .match-nav")
    assert bar.is_visible() and bar.locator(".match-count").inner_text() == "Match 1 of 2"
    assert tab.locator(".match-keys").is_visible()  # shown by the script: it ran
    tab.keyboard.press("n")
    tab.wait_for_function("document.querySelector(':target')?.id === 'match-2'")
    assert tab.evaluate("document.activeElement.id") == "match-2"  # read out, keys go on
    assert _in_view(tab, "#match-2", 600)
    assert not bar.is_visible() and tab.locator("#match-2 + .match-nav").is_visible()
    tab.keyboard.press("n")  # past the last: stays there
    assert _target(tab) == "match-2"
    tab.keyboard.press("p")
    tab.wait_for_function("document.querySelector(':target')?.id === 'match-1'")
    tab.keyboard.press("Control+n")  # a browser's shortcut, not ours
    assert _target(tab) == "match-1"
    tab.go_back()  # the keys add no history entries: Back leaves the article
    tab.wait_for_url(re.compile(r"/search\?q=euphrates$"))
    context.close()
    assert not problems, problems


def test_without_scripts_the_links_go_from_match_to_match(page, server):
    page.goto(f"{server}{ARTICLE}?q=kamal")
    assert not page.locator(".match-nav").first.is_visible()  # no match chosen yet
    assert not page.locator(".match-keys").is_visible()  # no script: no keys offered
    page.locator(".highlight-note a.first-match").click()
    page.wait_for_function("document.querySelector(':target')?.id === 'match-1'")
    page.locator("#match-1 + .match-nav .match-next").click()
    page.wait_for_function("document.querySelector(':target')?.id === 'match-2'")
    assert _in_view(page, "#match-2", 900)
    page.locator("#match-2 + .match-nav .match-prev").click()
    page.wait_for_function("document.querySelector(':target')?.id === 'match-1'")


def test_reading_settings_persist_and_print_stays_plain(page, server):
    body = ".article .body"
    page.goto(f"{server}{ARTICLE}")
    before = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{body}'))"
                           ".fontSize)")
    page.get_by_role("link", name="Text size and line width").click()
    page.get_by_label("Larger", exact=True).check()
    page.get_by_label("Narrow", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and go back").click()
    assert page.url == f"{server}{ARTICLE}"
    size = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{body}'))"
                         ".fontSize)")
    width = page.locator(".article").bounding_box()["width"]
    assert size >= before * 1.4 and width <= 32 * 16
    page.goto(f"{server}/arab-times/2019-07-01/")  # another page, still the same settings
    with page.expect_navigation():  # its load event: the reading stylesheet has arrived
        page.locator(".contents .headline").first.click()
    assert page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{body}'))"
                         ".fontSize)") == size
    page.emulate_media(media="print")  # printed: the article and its citation, plainly
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".article-tools").is_visible()
    assert not page.locator(".issue-nav").is_visible()
    assert page.locator(".cite .citations").is_visible()
    assert page.evaluate(f"getComputedStyle(document.querySelector('{body}')).fontSize") \
        == "15.3333px"  # 11.5pt: the print sheet's, whatever the screen setting
    page.emulate_media(media="screen")
    page.goto(f"{server}/settings?text=standard&width=standard")  # back to the defaults
    assert page.locator("#text-standard").is_checked()


RESEARCH_PAGES = {
    "research-article-match": f"{ARTICLE}?q=kamal#match-2",
    "research-settings": "/settings",
    "research-cited": "/search?q=oil&cited=1:1:2026-01-02",
}


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `bash scripts/setup --test`")
@pytest.mark.parametrize("name", list(RESEARCH_PAGES))
def test_research_pages_are_accessible_and_fit_a_phone(browser, server, name):
    url = server + RESEARCH_PAGES[name]
    check_everywhere(browser, url, name)
