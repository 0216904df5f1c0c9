"""The hostile requests of bench.hostile_http: markup in content (every page type that shows
an article) and in every reflected argument, forged Host headers, path traversal, oversized
and repeated arguments, absurd numbers, characters XML forbids. `full=False` is the CI
sample (a few hundred per engine), `full=True` the bench set (several thousand). Sent
through a Flask test client (via_client) or to a real server, byte for byte (via_http)."""

from __future__ import annotations

import http.client
import json
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from bench.hostile_archive import FORMULAS, MARKER, PAYLOADS
from bench.hostile_http import FORGED, Answer, Probe
from bench.http import in_threads

FORMATS = ("", ".json", ".atom", ".csv", ".jsonl", ".ris", ".bib")
ARTICLE_TWINS = ("", ".json", ".txt", ".ris", ".bib")
# Every argument a page reads, and the pages that read it (a filter value, a date, a
# control; `cited` is a search's citation, `_hit` an article's rank in a search)
ARGUMENTS = ("q", "publication", "year", "month", "kind", "ocr", "place", "agency", "section",
             "page", "language", "country", "cluster", "from", "to", "on_month", "on_day",
             "_sort", "_collapse", "_page", "_size", "_facet_limit", "cited", "_hit")
NUMERIC = ("_page", "_size", "_facet_limit", "_hit", "on_month", "on_day", "year", "month",
           "page", "ocr", "from", "to", "cited")
NUMBERS = ("0", "-1", "-0", "+1", "1.5", "1e309", "NaN", "inf", "0x10", "1_000", " 7",
           "\u0663", "\uff11", "2147483648", "9223372036854775808", "-9223372036854775809",
           "99999999999999999999", "9" * 400, "1" * 5000, "0000-00-00", "99999-12-31",
           "2019-13-45", "0001-01-01", "9999-12-31", "999999999999999:999999999999:9999-12-31",
           "-1:-1:2019-01-01", "1:1:0000-00-00")
# Bytes no XML document may carry, as a client sends them (percent-encoded): controls,
# non-characters, an encoded surrogate, an overlong NUL, a lone continuation byte
INVALID = ("%1B", "%00", "%EF%BF%BE", "%EF%BF%BF", "%ED%A0%80", "%F4%8F%BF%BF", "%C0%80",
           "%FF", "%0B%0C", "%C2%85%7F")
TRAVERSALS = (
    "/..%2f..%2fetc/passwd", "/..%2F..%2F..%2Fetc%2Fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
    "/static/../pyproject.toml", "/static/..%2fpyproject.toml", "/static/..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/..%252f..%252fpyproject.toml", "/static/%252e%252e/pyproject.toml",
    "/static/....//....//pyproject.toml", "/static/..%5c..%5cpyproject.toml",
    "/static/..\\..\\pyproject.toml", "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/pyproject.toml",
    "/static/..%c0%af..%c0%afpyproject.toml", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
    "/static/" + "../" * 12 + "etc/passwd", "/static/..;/pyproject.toml",
    "/static/style.css%00.txt", "/static/style.css/../../__init__.py",
    "/static/../__init__.py", "/static/..%2f__init__.py", "/reading.css/..%2f..%2fpyproject.toml",
    "/arab-times/..%2f..%2f..%2fetc%2fpasswd", "/search.json/..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/.%2e/.%2e/pyproject.toml",
    "//etc/passwd", "/static/~/.bashrc", "/static/.git/config", "/static/%00",
)
HEADER_NUMBERS = (
    ("If-Modified-Since", "Fri, 31 Dec 99999 23:59:59 GMT"), ("If-Modified-Since", "0"),
    ("If-Modified-Since", "Mon, 01 Jan 0001 00:00:00 GMT"), ("If-Modified-Since", "-1"),
    ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"), ("If-None-Match", "*"),
    ("If-None-Match", ", ".join(f'"{n}"' for n in range(2_000))), ("If-Match", '"x"'),
    ("Range", "bytes=0-99999999999999999999"), ("Range", "bytes=-0"),
    ("Range", "bytes=99999999999999999999-"), ("Range", ",".join(["bytes=0-1"] * 500)),
    ("If-Range", "Fri, 31 Dec 99999 23:59:59 GMT"), ("Accept-Encoding", "x;q=" + "9" * 400),
)
HOST_HEADERS = ((("Host", FORGED),), (("X-Forwarded-Host", FORGED),),
                (("Forwarded", f"host={FORGED};proto=https"),),
                (("Host", f"{FORGED}:8443"), ("X-Forwarded-Proto", "https")),
                (("X-Host", FORGED), ("X-Forwarded-Server", FORGED)))


@dataclass(frozen=True)
class Site:
    """What the probes need to know of the archive: its hostile articles' permalinks."""

    articles: tuple[str, ...]
    ids: tuple[str, ...]

    @property
    def issues(self) -> tuple[str, ...]:
        """/<publication>/<day>/ of every article, each once."""
        return tuple(dict.fromkeys(p.rsplit("/", 1)[0] + "/" for p in self.articles))


def discover(get: Callable[[str], Answer]) -> Site:
    """The hostile articles, found by a search for the MARKER every one of them holds."""
    answer = get(f"/search.json?q={MARKER}&_size=100&_collapse=0")
    if answer.status != 200:
        raise RuntimeError(f"the search for the hostile articles answered {answer.status}")
    paths = [urlsplit(item["url"]).path for item in json.loads(answer.body)["items"]]
    if not paths:
        raise RuntimeError("the archive holds no hostile article")
    return Site(tuple(paths), tuple(p.rsplit("-", 1)[1] for p in paths))


def probes(site: Site, full: bool) -> list[Probe]:
    """Every hostile request, in a fixed order (deterministic)."""
    return [*content(site, full), *arguments(site, full), *hosts(site, full), *traversal(),
            *oversized(site), *numbers(site, full), *invalid(site, full)]


def _q(text: str) -> str:
    return quote(text, safe="")


def content(site: Site, full: bool) -> list[Probe]:
    """Every page type showing the hostile articles (markup, formulas, odd characters)."""
    articles = site.articles if full else site.articles[::3]
    paths = [a + twin for a in articles for twin in ARTICLE_TWINS]
    paths += [f"{a}?q={MARKER}&_hit=1" for a in articles]
    paths += [f"{a}?q={_q('alert OR script OR pwn2 OR cmd')}" for a in articles]
    for issue in site.issues:
        publication, year = issue.rsplit("/", 2)[0], issue.rsplit("/", 2)[1][:4]
        paths += [issue, issue[:-1] + ".json", publication + "/", publication + ".json",
                  f"{publication}/{year}/", f"{publication}/{year}.json"]
    paths += ["/", "/index.json", "/places/", "/places.json", "/places/?_sort=name",
              "/agencies/", "/agencies.json", "/help", "/settings", "/sitemap.xml",
              "/sitemap-1.xml", "/opensearch.xml", "/robots.txt", "/reading.css"]
    words = (MARKER, "harbour", "script", "alert", "pwn2", "onerror", "javascript",
             "HYPERLINK", "cmd", "calc", "prices", "gazette")
    paths += [f"/search{fmt}?q={word}" for word in (words if full else words[:4])
              for fmt in FORMATS]
    values = PAYLOADS if full else PAYLOADS[:3]
    paths += [f"/search{fmt}?{facet}={_q(value)}" for value in values
              for facet in ("place", "section", "publication") for fmt in FORMATS[:4]]
    paths += [f"/trends{fmt}?q={MARKER}&q=harbour&q={_q(FORMULAS[0])}"
              for fmt in ("", ".json", ".csv")]
    paths += [f"/search?cluster={i}&_collapse=0" for i in site.ids[:3]]
    return [Probe("content", path) for path in paths]


def arguments(site: Site, full: bool) -> list[Probe]:
    """Markup and formulas in every argument, on every page that reads it."""
    article = site.articles[0]
    pages = ("/search", "/search.json", "/search.atom", "/search.csv", "/trends", "/trends.csv",
             f"{article}?q=harbour&_hit=1&") if full else ("/search", f"{article}?_hit=1&")
    values = (*PAYLOADS, *FORMULAS) if full else (PAYLOADS[0], PAYLOADS[1], PAYLOADS[4])
    found = [Probe("argument", f"{page}{'' if page.endswith('&') else '?'}{name}={_q(value)}")
             for value in values for name in ARGUMENTS for page in pages]
    backs = [*values, "javascript:alert(1)", "//attacker.example/", "/\\attacker.example/",
             "%2F%2Fattacker.example", "/%0d%0aSet-Cookie:%20x=1", "/search?q=" + PAYLOADS[0],
             "http://attacker.example/"]
    for back in backs:
        found += [Probe("argument", f"/settings?back={_q(back)}"),
                  Probe("argument", f"/settings?text=large&back={_q(back)}")]
    for value in values:
        found += [Probe("argument", f"/settings?{name}={_q(value)}") for name in ("text", "width")]
        found += [Probe("argument", f"/places/?_sort={_q(value)}"),
                  Probe("argument", f"/trends?q={_q(value)}&q=oil")]
    return found


def hosts(site: Site, full: bool) -> list[Probe]:
    """Forged Host (and forwarding) headers on pages with absolute URLs and on redirects."""
    article = site.articles[0]
    moved = article.rsplit("/", 1)[0] + f"/another-slug-{site.ids[0]}"
    paths = ["/", "/search?q=oil", *(f"/search{fmt}?q=harbour" for fmt in FORMATS[1:]),
             *(article + twin for twin in ARTICLE_TWINS), moved, "/sitemap.xml",
             "/sitemap-1.xml", "/robots.txt", "/opensearch.xml", "/arab-times", "/places",
             "/settings?text=large&back=/search", "/trends.json?q=oil", "/index.json",
             "/no-such-page/x/y/z", "/search?_page=x", f"/search?cluster={site.ids[0]}"]
    headers = HOST_HEADERS if full else HOST_HEADERS[:2]
    return [Probe("host", path, h) for path in paths for h in headers]


def traversal() -> list[Probe]:
    return [Probe("traversal", path) for path in TRAVERSALS]


def oversized(site: Site) -> list[Probe]:
    """A query of 1 MB, 10,000 repeated or distinct filter values, 1,000 arguments, a long
    path and a long cookie."""
    article = site.articles[0]
    return [Probe("oversized", path, headers) for path, headers in (
        ("/search?q=" + "a" * 1_000_000, ()),
        ("/search.json?q=" + _q("oil OR ") * 20_000, ()),
        ("/search.atom?q=" + "%C3%A9" * 100_000, ()),
        (f"{article}?_hit=1&q=" + "b" * 1_000_000, ()),
        ("/search?" + "&".join(["place=Kuwait"] * 10_000), ()),
        ("/search.csv?" + "&".join(f"place=p{n}" for n in range(10_000)), ()),
        ("/search?" + "&".join(f"a{n}=1" for n in range(1_000)), ()),
        ("/search.json?" + "&".join(f"{ARGUMENTS[n % len(ARGUMENTS)]}=1" for n in range(1_000)),
         ()),
        ("/trends?" + "&".join(f"q=w{n}" for n in range(1_000)), ()),
        ("/search?" + "&".join(["year=2017"] * 10_000), ()),
        ("/search?section=" + "y" * 5_000 + "&place=" + "z" * 201, ()),
        (article + "x" * 100_000, ()),
        ("/search?q=oil", (("Cookie", "reading=" + "large." * 1_500),)),
        ("/settings", (("Cookie", "; ".join(f"c{n}=v" for n in range(1_000))),)),
    )]


def numbers(site: Site, full: bool) -> list[Probe]:
    """Absurd values in every numeric argument, and in the numbers of paths."""
    article = site.articles[0]
    pages = ("/search", "/search.json", "/search.atom", "/search.csv", "/trends.csv",
             f"{article}?q=oil&") if full else ("/search.json", f"{article}?q=oil&")
    values = NUMBERS if full else tuple(NUMBERS[n] for n in (0, 1, 5, 6, 11, 14, 15, 17, 19, 24))
    found = [Probe("numbers", f"{page}{'' if page.endswith('&') else '?'}{name}={_q(value)}")
             for value in values for name in NUMERIC for page in pages]
    found += [Probe("numbers", f"/search?on_month={_q(v)}&on_day={_q(v)}") for v in values]
    publication = site.issues[0].rsplit("/", 2)[0]
    paths = [f"/sitemap-{n}.xml" for n in ("0", "2", "99999999999999999999", "9" * 400)]
    paths += [f"{publication}/{y}/" for y in ("0000", "9999", "0001")]
    paths += [f"{publication}/{d}{s}" for d in ("0000-01-01", "9999-12-31", "2019-02-30",
                                                "2019-99-99") for s in ("/", ".json")]
    paths += [f"{publication}/9999-12-31/x-{site.ids[0]}", f"{publication}/undated/x-0"]
    found += [Probe("numbers", path) for path in paths]
    # absurd dates, tags and ranges in the headers of conditional and partial requests
    for path in (article, article + ".json", "/search.atom?q=oil", "/static/style.css",
                 "/sitemap.xml")[:None if full else 2]:
        found += [Probe("numbers", path, (header,)) for header in HEADER_NUMBERS]
    return found


def invalid(site: Site, full: bool) -> list[Probe]:
    """Characters XML 1.0 forbids in queries and filter values, on every XML answer and
    the pages beside them."""
    pages = ("/search.atom", "/search", "/search.json", "/search.csv", "/search.ris",
             "/search.bib", "/trends.csv", site.articles[0]) if full \
        else ("/search.atom", "/search.json")
    found = [Probe("invalid", f"{page}?q=oil{char}") for char in INVALID for page in pages]
    found += [Probe("invalid", f"/search.atom?place=x{char}") for char in INVALID]
    found += [Probe("invalid", path) for path in ("/search.atom?q=prices", "/sitemap.xml",
                                                  "/sitemap-1.xml", "/opensearch.xml")]
    return found


# --- sending them ----------------------------------------------------------------------------

def via_client(client, probe: Probe) -> Answer:
    """The answer of a Flask test client (an exception the app let through, as a test app
    does, is the 500 a server would have sent)."""
    started = time.perf_counter()
    try:
        response = client.get(probe.path, headers=dict(probe.headers))
    except Exception as error:  # noqa: BLE001 - counted as the server error it is
        return Answer(500, (), f"{type(error).__name__}: {error}".encode(),
                      time.perf_counter() - started)
    body = response.get_data()
    return Answer(response.status_code, tuple(response.headers.items()), body,
                  time.perf_counter() - started)


def via_http(host: str, port: int, probes: list[Probe], clients: int = 4,
             timeout: float = 30.0) -> list[tuple[Probe, Answer]]:
    """The answers of a real server, asked by `clients` threads with keep-alive connections
    (a new one after a refusal closed it). The path goes out byte for byte as the probe
    has it, and its Host header names the server unless the probe forges one."""
    answers: list[Answer | None] = [None] * len(probes)
    work: queue.Queue[int] = queue.Queue()
    for number in range(len(probes)):
        work.put(number)

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        while True:
            try:
                number = work.get_nowait()
            except queue.Empty:
                break
            answers[number] = _ask(connection, probes[number], f"{host}:{port}")
            if answers[number].status == 0 or \
                    answers[number].header("Connection").lower() == "close":
                connection.close()  # http.client reconnects on the next request
        connection.close()

    in_threads(client, clients)
    return list(zip(probes, answers, strict=True))  # type: ignore[arg-type]


def _ask(connection: http.client.HTTPConnection, probe: Probe, host: str) -> Answer:
    started = time.perf_counter()
    headers = dict(probe.headers)
    try:
        connection.putrequest("GET", probe.path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", headers.pop("Host", host))
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        return Answer(0, (), b"", time.perf_counter() - started,
                      f"{type(error).__name__}: {error}")
    return Answer(response.status, tuple(response.getheaders()), body,
                  time.perf_counter() - started)
