"""Hostile HTTP (issue 14, item 7): the checks every answer to a hostile request must pass
(no 5xx, no active markup, strict XML, JSON that parses, no live formula cell, citations
whose fields stay fields, no forged host, no file outside web/static, errors with a message)
and the figures of a run. One set of checks for the CI part (Flask test client,
tests/test_hostile_http.py) and the full part (`python -m bench reliability --parts
hostile-http`, over HTTP against `newsarchive serve`). The archive is made by
bench.hostile_archive, the requests by bench.hostile_probes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

FORGED = "forged-host.example"  # sent as Host / X-Forwarded-Host; must appear nowhere
SLOW_SECONDS = 2.0  # issue 14: no request holds a worker for more than ~2 s
STATUSES = {200, 206, 301, 302, 303, 304, 307, 308, 400, 404, 405, 410, 412, 413, 414, 416,
            431}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")  # a negative number is not a formula
_RIS_LINE = re.compile(r"[A-Z][A-Z0-9]  - ")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                   "background", "srcdoc", "content"}
_ACTIVE_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
# Text of files no answer may serve (traversal out of web/static)
_SECRETS = (b"root:x:0:0", b"[build-system]", b"[project]", b"def create_app(")
STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


# --- requests and answers -------------------------------------------------------------------

@dataclass(frozen=True)
class Probe:
    """One hostile request: what it tries (kind), the path with its query string as sent
    (percent-encoded), and its headers."""

    kind: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    status: int  # 0: no answer (connection closed, timeout)
    headers: tuple[tuple[str, str], ...]
    body: bytes
    seconds: float
    error: str = ""

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    @property
    def mimetype(self) -> str:
        return self.header("Content-Type").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Violation:
    kind: str  # 5xx, status, message, xss, markup, csp, xml, json, csv, formula, citation,
    #            forged-host, redirect, traversal, type, no-answer
    path: str
    detail: str


# --- the checks -----------------------------------------------------------------------------

class Checker:
    """Every check an answer must pass; `canonical`: the site's configured address (the
    only host an absolute Location may name)."""

    def __init__(self, canonical: str) -> None:
        self.host = urlsplit(canonical).netloc.lower()
        self.static = {hashlib.sha256(p.read_bytes()).digest()
                       for p in STATIC.rglob("*") if p.is_file()}

    def check(self, probe: Probe, answer: Answer) -> list[Violation]:
        found: list[tuple[str, str]] = []
        if answer.status == 0:
            return [Violation("no-answer", probe.path, answer.error[:200])]
        if answer.status >= 500:
            found.append(("5xx", f"{answer.status}: {_text(answer.body)[:200]}"))
        elif answer.status not in STATUSES:
            found.append(("status", str(answer.status)))
        if answer.status >= 400 and len(_visible(answer)) < 10:
            found.append(("message", f"{answer.status} without a message"))
        if answer.status == 200 and answer.mimetype == "text/html":
            policy = answer.header("Content-Security-Policy")
            if not policy or "unsafe-inline" in policy or "unsafe-eval" in policy:
                found.append(("csp", f"a page with the policy {policy[:80]!r}"))
        found += self._host(answer)
        found += self._traversal(probe, answer)
        found += _by_type(probe, answer)
        return [Violation(kind, probe.path, detail) for kind, detail in found]

    def _host(self, answer: Answer) -> list[tuple[str, str]]:
        found = []
        forged = FORGED.encode()
        if forged in answer.body.lower():
            found.append(("forged-host", "in the body"))
        for name, value in answer.headers:
            if FORGED in value.lower():
                found.append(("forged-host", f"in {name}"))
        location = urlsplit(answer.header("Location"))
        if location.netloc and location.netloc.lower() != self.host:
            found.append(("redirect", f"Location to {location.netloc}"))
        elif location.path.startswith(("//", "/\\")):
            found.append(("redirect", f"Location to a network path {location.path[:60]}"))
        return found

    def _traversal(self, probe: Probe, answer: Answer) -> list[tuple[str, str]]:
        found = [("traversal", f"served {secret.decode()!r}") for secret in _SECRETS
                 if secret in answer.body]
        if answer.status == 200 and urlsplit(probe.path).path.startswith("/static/") and \
                hashlib.sha256(answer.body).digest() not in self.static:
            found.append(("traversal", "a file that is not in web/static"))
        return found


def _by_type(probe: Probe, answer: Answer) -> list[tuple[str, str]]:
    """The checks of the answer's format (HTML, XML, JSON, CSV, RIS, BibTeX)."""
    mimetype, body = answer.mimetype, answer.body
    suffix = Path(urlsplit(probe.path).path).suffix
    if answer.status == 200 and suffix in (".json", ".jsonl", ".csv", ".atom", ".txt",
                                           ".ris", ".bib", ".xml") and mimetype == "text/html":
        return [("type", f"a {suffix} answer served as text/html")]
    if mimetype == "text/html":
        return html_problems(_text(body))
    if "xml" in mimetype:
        return xml_problems(body)
    if mimetype == "application/json":
        return _json(body)
    if mimetype == "application/x-ndjson":
        return [p for line in body.splitlines() if line.strip() for p in _json(line)]
    if mimetype == "text/csv":
        return csv_problems(body)
    if suffix == ".ris" and answer.status == 200:
        return ris_problems(_text(body))
    if suffix == ".bib" and answer.status == 200:
        return bibtex_problems(_text(body))
    return []


def html_problems(text: str) -> list[tuple[str, str]]:
    """Markup that came in as text: a script, an active element, an on* attribute, a
    javascript: URL (xss), or an attribute only a payload carries (markup, inert)."""
    if not text.strip():
        return []
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        return [("html", f"does not parse: {error}")]
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction: inert
        tag = element.tag.lower()
        if tag == "script" and ((element.text or "").strip()
                                or not (element.get("src") or "").startswith("/static/")):
            found.append(("xss", f"<script> {(element.text or element.get('src'))!r:.60}"))
        if tag in _ACTIVE_ELEMENTS:
            found.append(("xss", f"<{tag}> element"))
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append(("xss", "<meta http-equiv=refresh>"))
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                found.append(("xss", f"<{tag} {name}=...>"))
            elif name == "data-pwn" or name == "autofocus":
                found.append(("markup", f"<{tag} {name}>"))
            elif name in _URL_ATTRIBUTES and _scheme(value) in ("javascript", "vbscript"):
                found.append(("xss", f"<{tag} {name}={value[:40]!r}>"))
            elif name == "style" and ("expression(" in value or "javascript:" in value):
                found.append(("xss", f"<{tag} style={value[:40]!r}>"))
    return found


def _scheme(url: str) -> str:
    """The scheme a browser reads in a URL attribute (it drops controls and whitespace)."""
    cleaned = "".join(c for c in url if c > " ").lower()
    return cleaned.partition(":")[0] if ":" in cleaned else ""


def xml_problems(body: bytes) -> list[tuple[str, str]]:
    """A strict XML parse (no recovery, no entities, no network); HTML carried inside (an
    Atom summary of type html) is checked as HTML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as error:
        return [("xml", str(error)[:200])]
    return [problem for element in root.iter() if isinstance(element.tag, str)
            and element.get("type") == "html" and element.text
            for problem in html_problems(f"<div>{element.text}</div>")]


def _json(body: bytes) -> list[tuple[str, str]]:
    try:
        json.loads(body)
    except ValueError as error:
        return [("json", str(error)[:200])]
    return []


def csv_problems(body: bytes) -> list[tuple[str, str]]:
    """Cells a spreadsheet would run as formulas; a CSV that is not UTF-8."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        return [("csv", str(error))]
    return [("formula", f"cell {cell[:60]!r}") for row in csv.reader(io.StringIO(text))
            for cell in row if cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell)]


def ris_problems(text: str) -> list[tuple[str, str]]:
    """Every RIS line is a tag line: a field that broke its line would start a new one."""
    return [("citation", f"RIS line {line[:60]!r}") for line in text.splitlines()
            if line.strip() and not _RIS_LINE.match(line)]


def bibtex_problems(text: str) -> list[tuple[str, str]]:
    """Entries start with @ and their braces balance (a brace in a title must not close
    the field)."""
    depth, found = 0, []
    for at, char in enumerate(text):
        if char == "\\":
            continue
        if char == "{" and text[at - 1:at] != "\\":
            depth += 1
        elif char == "}" and text[at - 1:at] != "\\":
            depth -= 1
            if depth < 0:
                found.append(("citation", f"BibTeX brace closes nothing at {at}"))
                depth = 0
        elif char == "@" and depth == 0 and text[at - 1:at] not in ("", "\n"):
            found.append(("citation", f"BibTeX '@' outside an entry at {at}"))
    if depth:
        found.append(("citation", f"BibTeX: {depth} brace(s) left open"))
    return found


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def _visible(answer: Answer) -> str:
    """The message a client reads in an error answer (markup and JSON keys aside)."""
    text = _text(answer.body)
    if answer.mimetype == "text/html" and text.strip():
        try:
            return " ".join(lxml.html.document_fromstring(text).text_content().split())
        except (etree.ParserError, ValueError):
            return text
    return text.strip()


# --- figures --------------------------------------------------------------------------------

def summary(results: Iterable[tuple[Probe, Answer, list[Violation]]]) -> dict:
    """Requests, statuses, violations by kind (with examples), the slowest request."""
    statuses: dict[int, int] = {}
    kinds: dict[str, int] = {}
    by_probe: dict[str, int] = {}
    violations: dict[str, int] = {}
    examples: list[dict] = []
    slowest = (0.0, "")
    slow = 0
    for probe, answer, found in results:
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
        by_probe[probe.kind] = by_probe.get(probe.kind, 0) + 1
        slowest = max(slowest, (answer.seconds, probe.path[:120]))
        slow += answer.seconds > SLOW_SECONDS
        for violation in found:
            violations[violation.kind] = violations.get(violation.kind, 0) + 1
            if sum(e["kind"] == violation.kind for e in examples) < 5:  # each kind shown
                examples.append({"kind": violation.kind, "path": violation.path[:200],
                                 "detail": violation.detail})
        kinds.setdefault("requests", 0)
        kinds["requests"] += 1
    return {"requests": kinds.get("requests", 0), "probes": dict(sorted(by_probe.items())),
            "statuses": dict(sorted(statuses.items())),
            "5xx": sum(n for s, n in statuses.items() if s >= 500),
            "violations": sum(violations.values()),
            "violations_by_kind": dict(sorted(violations.items())),
            "slowest_seconds": round(slowest[0], 3), "slowest_request": slowest[1],
            f"over_{SLOW_SECONDS:g}_seconds": slow,
            "examples": examples}
