"""Hostile HTTP on both engines (issue 14, item 7; the CI part of what `python -m bench
reliability --parts hostile-http` runs over HTTP): articles carrying markup, formulas and
characters XML forbids, asked by an attacker's requests through the Flask test client. Every
answer passes bench.hostile_http's checks: no 5xx, no active markup, XML/JSON that parse, no
live formula cell, no forged host, no file outside web/static, errors with a message."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup

from bench import hostile_http as checks
from bench.hostile_archive import FORMULAS, MARKER, PAYLOADS, build
from bench.hostile_http import FORGED, STATIC, Answer, Checker, Probe, summary
from bench.hostile_probes import discover, probes, via_client
from web import create_app
from web.resources import close_library

CANONICAL = "http://localhost"  # the app's default canonical address


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def site(request, tmp_path_factory):
    """(engine, test client, the hostile articles, every probe with its answer and
    violations) on an archive of the hostile pages built with each engine."""
    base = tmp_path_factory.mktemp(f"hostile-{request.param}")
    build(base / "data", request.param, base / "pages")
    app = create_app({"TESTING": True, "DATA_DIR": str(base / "data")})
    client = app.test_client()
    found = discover(lambda path: via_client(client, Probe("discover", path)))
    checker = Checker(CANONICAL)
    results = []
    for probe in probes(found, full=False):
        answer = via_client(client, probe)
        results.append((probe, answer, checker.check(probe, answer)))
    yield request.param, client, found, results
    close_library(app)


def soup(answer: Answer) -> BeautifulSoup:
    return BeautifulSoup(answer.body.decode(), "html.parser")


@pytest.mark.slow
def test_no_hostile_request_breaks_a_rule(site):
    engine, _, _, results = site
    figures = summary(results)
    assert figures["requests"] >= 300, figures
    assert figures["5xx"] == 0 and figures["violations"] == 0, (engine, figures["examples"])
    assert set(figures["probes"]) == {"content", "argument", "host", "traversal", "oversized",
                                      "numbers", "invalid"}
    # the content pages answered: the checks read real pages, not errors
    content = [a for p, a, _ in results if p.kind == "content"]
    assert sum(a.status == 200 for a in content) >= 0.9 * len(content)


@pytest.mark.slow
def test_the_hostile_content_is_on_the_pages_as_text(site):
    _, client, found, _ = site
    assert len(found.articles) == len(PAYLOADS) + len(FORMULAS) + 1
    page = soup(via_client(client, Probe("t", f"/search?q={MARKER}&_size=100")))
    text = page.get_text()
    assert all(payload in text for payload in PAYLOADS)  # shown, as text
    assert not page.find_all(attrs={"data-pwn": True}) and not page.find("iframe")
    places = soup(via_client(client, Probe("t", "/places/"))).get_text()
    assert sum(payload in places for payload in PAYLOADS) == len(PAYLOADS)
    exported = via_client(client, Probe("t", f"/search.csv?q={MARKER}")).body.decode()
    cells = {cell for row in csv.reader(io.StringIO(exported)) for cell in row}
    assert "'" + FORMULAS[0] in cells and FORMULAS[0] not in cells


@pytest.mark.slow
def test_the_bugs_this_suite_found_stay_fixed(site):
    _, client, _, _ = site
    for path, message in (("/search?page=" + "9" * 400, "is not a valid page"),
                          ("/search.json?place=" + "x" * 201, "is not a valid place"),
                          ("/search?on_month=-9223372036854775809&on_day=1",
                           "is not a day of the year")):
        refused = via_client(client, Probe("t", path))
        assert refused.status == 400 and message in refused.body.decode(), path
    moved = via_client(client, Probe("t", "/places", (("Host", FORGED),)))
    assert moved.status == 308 and FORGED.encode() not in moved.body
    assert moved.header("Location") == CANONICAL + "/places/"
    assert f"{CANONICAL}/places/".encode() in moved.body
    trends = via_client(client, Probe("t", "/trends.csv?q=%3D1%2B1&q=oil"))
    assert trends.status in (200, 400) and not checks.csv_problems(trends.body)


# --- the checks catch what they are for ----------------------------------------------------

@pytest.mark.parametrize("page, kind", [
    ("<p>x</p><script>alert(1)</script>", "xss"),
    ('<img src=x onerror="alert(1)">', "xss"),
    ('<a href=" java\tscript:alert(1)">x</a>', "xss"),
    ('<iframe src="/x"></iframe>', "xss"),
    ('<meta http-equiv="refresh" content="0;url=/">', "xss"),
    ('<input value="" autofocus onfocus="alert(1)">', "xss"),
    ('<p data-pwn="2">x</p>', "markup"),
])
def test_html_check_finds_active_markup(page, kind):
    assert kind in {k for k, _ in checks.html_problems(f"<html><body>{page}</body></html>")}


def test_html_check_passes_escaped_markup_and_the_sites_own_script():
    page = ('<html><head><script src="/static/matches.js"></script></head><body><p>'
            '&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img onerror=x&gt;</p>'
            '<a href="/search?q=javascript%3Aalert">javascript:alert(1)</a></body></html>')
    assert checks.html_problems(page) == []


def test_xml_check_is_strict_and_reads_html_inside_a_feed():
    assert checks.xml_problems(b"<a>oil \x1b</a>")[0][0] == "xml"
    assert checks.xml_problems("<a>oil \ufffe</a>".encode())[0][0] == "xml"
    assert checks.xml_problems(b"<a>&lt;script&gt;</a>") == []  # text, type not html
    feed = b'<feed><summary type="html">&lt;script&gt;alert(1)&lt;/script&gt;</summary></feed>'
    assert checks.xml_problems(feed)[0][0] == "xss"


def test_csv_check_finds_live_formulas_only():
    assert checks.csv_problems(b"'=1+1,-5,2.5,a-b\r\n") == []
    found = checks.csv_problems(b'=1+1,+1+cmd,-2+3,@SUM(1),"\tx","\rx"\r\n')
    assert [k for k, _ in found] == ["formula"] * 6


def test_citation_checks_find_broken_fields():
    assert checks.ris_problems("TY  - NEWS\nTI  - Oil\nER  - \n") == []
    assert checks.ris_problems("TY  - NEWS\nTI  - Oil\nAU  - x\nbroken\nER  - \n")
    assert checks.bibtex_problems("@article{a,\n  title = {Oil {and} gas},\n}\n") == []
    assert checks.bibtex_problems("@article{a,\n  title = {Oil}},\n}\n")
    assert checks.bibtex_problems("@article{a,\n  title = {Oil\n}\n@x{")


def answer(status=200, body=b"<html><body><p>fine page</p></body></html>",
           headers=(("Content-Type", "text/html; charset=utf-8"),)) -> Answer:
    return Answer(status, tuple(headers), body, 0.01)


@pytest.mark.parametrize("path, given, kind", [
    ("/x", answer(500), "5xx"),
    ("/x", answer(400, b""), "message"),
    ("/x", answer(body=f"<p>http://{FORGED}/x</p>".encode()), "forged-host"),
    ("/x", answer(301, headers=(("Location", f"http://{FORGED}/"),)), "forged-host"),
    ("/x", answer(301, headers=(("Location", "https://attacker.example/"),)), "redirect"),
    ("/static/x", answer(body=b"[build-system]\nrequires = []"), "traversal"),
    ("/static/../x", answer(body=b"not a static file"), "traversal"),
    ("/search.json", answer(body=b"{oops", headers=(("Content-Type", "application/json"),)),
     "json"),
    ("/search.json", answer(), "type"),
    ("/x", answer(), "csp"),  # a page without a Content-Security-Policy
])
def test_checker_reports_each_kind(path, given, kind):
    found = Checker(CANONICAL).check(Probe("t", path), given)
    assert kind in {v.kind for v in found}, found


def test_checker_passes_a_good_redirect_and_a_static_file():
    checker = Checker(CANONICAL)
    assert checker.check(Probe("t", "/places"), answer(
        308, b"<p>Redirecting to http://localhost/places/</p>",
        (("Location", "http://localhost/places/"), ("Content-Type", "text/html")))) == []
    style = STATIC / "style.css"
    assert checker.check(Probe("t", "/static/" + style.name), answer(
        body=style.read_bytes(), headers=(("Content-Type", "text/css"),))) == []
