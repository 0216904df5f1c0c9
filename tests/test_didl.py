"""KB (Delpher) DIDL issues: the files they name (found under KB's names beside the DIDL,
never fetched), articles from ALTO zoning or from article text, the issue record, and bad
input; an invented issue in KB's shape (tests/fixtures/mets/didl)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from archive.formats import Input, reader
from archive.formats.issue_files import REMOTE
from archive.formats.sniff import sniff
from archive.ingest import ingest, read_file
from archive.model import RawItem, RawUnit, ReadOptions, Rejected
from archive.store import Store
from archive.units import read_bytes, read_members

FIXTURES = Path(__file__).parent / "fixtures" / "mets" / "didl"
DIDL = "DDD_000000001_didl.xml"


def read_issue(path: Path) -> RawUnit:
    didl = reader("didl")
    data = read_bytes(str(path), didl.max_bytes)
    members, _ = read_members(didl, tuple(didl.members(str(path), data)))
    return didl.read(Input(str(path), data, members=members), ReadOptions())


def copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES, tmp_path / "issue"))


def test_sniffed_as_didl() -> None:
    assert sniff(DIDL, (FIXTURES / DIDL).read_bytes()) == "didl"


def test_members_are_found_under_kb_names() -> None:
    members = reader("didl").members(str(FIXTURES / DIDL), (FIXTURES / DIDL).read_bytes())
    assert [(m.href, Path(m.path).name, m.problem, m.page) for m in members] == [
        ("DDD_000000001_001_alto.xml", "DDD_000000001_001_alto.xml", None, 1),
        ("DDD_000000001_002_alto.xml", "DDD_000000001_002_alto.xml", None, 2),
        ("DDD_000000001_0003_articletext.xml", "DDD_000000001_0003_articletext.xml", None,
         None)]  # the page image is no text: not a member


def test_golden_issue() -> None:
    unit = read_issue(FIXTURES / DIDL)
    assert (unit.record.publication, unit.record.date, unit.record.language) == (
        "De Voorbeeldcourant", dt.date(1875, 3, 4), "Dutch")
    assert unit.problems == ()
    assert [replace(i, confidence=round(i.confidence, 4) if i.confidence else None)
            for i in unit.items] == [
        # zoning: its title block is its first line, so the printed headline
        RawItem(blocks=(("Men meldt uit Utrecht, dat de nieuwe",
                         "brug over de gracht gereed is."),),
                headline="BINNENLAND.", kind="article", page=1, confidence=0.8071),
        # "Advertentie" is KB's title of every advertisement: no headline
        RawItem(blocks=(("Te koop: een goed onderhouden", "tjalk. Adres bij den uitgever."),),
                kind="advertisement", page=2, confidence=0.6),
        # no zoning: read from its article text
        RawItem(blocks=(("Heden overleed, in den ouderdom van 70 jaren,",),
                        ("onze geliefde vader Jan de Vries.",)),
                headline="Familiebericht", kind="notice"),
        RawItem(blocks=(("De nieuwe brug, naar eene teekening.",),), headline="De nieuwe brug",
                kind="other", page=2, confidence=0.7),
        RawItem(blocks=(("Ongeplaatste regel over het weder.",),), kind="other", page=2,
                confidence=0.5, notes=("text the issue file places in no article",)),
    ]


def test_a_missing_page_and_article_text(tmp_path: Path) -> None:
    issue = copy(tmp_path)
    (issue / "DDD_000000001_002_alto.xml").unlink()
    (issue / "DDD_000000001_0003_articletext.xml").unlink()
    unit = read_issue(issue / DIDL)
    assert unit.problems == (
        "page 2 (DDD_000000001_002_alto.xml): missing",
        "article ddd:000000001:mpeg21:a0003 (DDD_000000001_0003_articletext.xml): missing")
    assert [i.headline for i in unit.items] == ["BINNENLAND."]


def test_a_broken_page(tmp_path: Path) -> None:
    issue = copy(tmp_path)
    page = issue / "DDD_000000001_001_alto.xml"
    page.write_bytes(page.read_bytes()[:600])
    unit = read_issue(issue / DIDL)
    assert re.match(r"page 1 \(DDD_000000001_001_alto\.xml\): malformed ALTO at line \d+",
                    unit.problems[0])
    assert [i.kind for i in unit.items] == ["advertisement", "notice", "other", "other"]


def test_resources_that_are_only_urls(tmp_path: Path) -> None:
    issue = copy(tmp_path)
    didl = issue / DIDL
    didl.write_text(didl.read_text().replace(
        'dc:identifier="ddd:000000001:mpeg21:p002:alto"', 'dc:identifier="page-two"').replace(
        'ref="http://resolver.kb.nl/resolve?urn=ddd:000000001:mpeg21:p002:alto"',
        'ref="https://example.org/page2.xml"'))
    members = reader("didl").members(str(didl), didl.read_bytes())
    assert ("https://example.org/page2.xml", None, REMOTE, 2) in [
        (m.href, m.path, m.problem, m.page) for m in members]
    unit = read_issue(didl)
    assert unit.problems == (f"page 2 (page2.xml): {REMOTE}",)
    assert [i.headline for i in unit.items] == ["BINNENLAND.", "Familiebericht"]


def test_zoning_naming_an_unknown_page(tmp_path: Path) -> None:
    issue = copy(tmp_path)
    didl = issue / DIDL
    didl.write_text(didl.read_text().replace(
        '<dcx:article-part pageid="ddd:000000001:mpeg21:p002">\n              <dcx:blocks>',
        '<dcx:article-part pageid="ddd:000000001:mpeg21:p009">\n              <dcx:blocks>'))
    unit = read_issue(didl)
    assert unit.problems == ("article ddd:000000001:mpeg21:a0002: zoning names pages the "
                             "DIDL does not hold: ddd:000000001:mpeg21:p009",)
    # its words are not lost: no article claims them, so they are an item of their own
    assert ("Te koop: een goed onderhouden", "tjalk. Adres bij den uitgever.") in [
        b for i in unit.items if i.kind == "other" for b in i.blocks]


def test_external_entity_is_refused(tmp_path: Path) -> None:
    issue = copy(tmp_path)
    didl = issue / DIDL
    didl.write_text(didl.read_text().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace(
        'pageid="ddd:000000001:mpeg21:p001"', 'pageid="&x;"'))
    outcome = read_file(didl, tmp_path, ReadOptions())
    assert outcome.parsed is None
    assert re.match(r"^malformed DIDL at line \d+: .*external entity", outcome.reason)


@pytest.mark.parametrize("text, reason", [
    ("<didl:DIDL xmlns:didl='urn:mpeg:mpeg21:2002:02-DIDL-NS'><didl:Item>",
     r"^malformed DIDL at line 1: "),
    ("<didl:DIDL xmlns:didl='urn:mpeg:mpeg21:2002:02-DIDL-NS'/>",
     "^no text: the DIDL issue names no article text or ALTO words"),
])
def test_bad_didl(tmp_path: Path, text: str, reason: str) -> None:
    (tmp_path / "x_didl.xml").write_text(text)
    outcome = read_file(tmp_path / "x_didl.xml", tmp_path, ReadOptions())
    assert outcome.parsed is None and re.match(reason, outcome.reason), outcome.reason


def test_not_a_didl_root() -> None:
    with pytest.raises(Rejected, match="not DIDL"):
        reader("didl").read(Input("x.xml", b"<Item/>"), ReadOptions())


def test_ingest_reads_the_issue_as_one_unit(tmp_path: Path) -> None:
    issue = copy(tmp_path)
    store = Store(tmp_path / "store.db")
    report = ingest(store, [issue], ReadOptions(), jobs=1)
    assert (report.seen, report.members, report.new, report.rejected) == (1, 3, 1, {})
    assert store.source_paths() == [str(issue / DIDL)]
    articles = list(store.articles())
    assert sorted((a.kind, a.headline) for a in articles) == [
        ("advertisement", "Te koop: een goed onderhouden tjalk."),
        ("article", "BINNENLAND."), ("notice", "Familiebericht"),
        ("other", "De nieuwe brug"), ("other", "Ongeplaatste regel over het weder.")]
    assert {(a.publication, a.date, a.language) for a in articles} == {
        ("De Voorbeeldcourant", dt.date(1875, 3, 4), "Dutch")}


def test_a_delpher_didl_as_delivered(tmp_path: Path) -> None:
    """As KB delivers them: an xsi:schemaLocation whose prefix is never declared (well-formed
    XML, a namespace fault only), and page Items that hold their own records, inline and in
    a technical metadata file: the same members, the same articles, no problem."""
    issue = copy(tmp_path)
    text = (issue / DIDL).read_text(encoding="utf-8")
    text = text.replace('<didl:DIDL xmlns:didl', '<didl:DIDL xsi:schemaLocation="urn:mpeg:'
                        'mpeg21:2002:02-DIDL-NS didl.xsd" xmlns:didl', 1)
    record = ('<didl:Component dc:identifier="ddd:000000001:mpeg21:p001:metadata">'
              '<didl:Resource mimeType="text/xml"><srw_dc:dcx><dcx:recordIdentifier>'
              'ddd:000000001:mpeg21:p001</dcx:recordIdentifier></srw_dc:dcx></didl:Resource>'
              '</didl:Component><didl:Component dc:identifier="ddd:000000001:mpeg21:p001:'
              'metadata/technical"><didl:Resource mimeType="text/xml" ref="DDD_000000001_'
              '001_techmeta.xml"/></didl:Component>')
    page = '<didl:Item dc:identifier="ddd:000000001:mpeg21:p001">'
    text = text.replace(page, page + record, 1)
    (issue / DIDL).write_text(text, encoding="utf-8")
    members = reader("didl").members(str(issue / DIDL), text.encode())
    assert [m.href for m in members] == ["DDD_000000001_001_alto.xml",
                                         "DDD_000000001_002_alto.xml",
                                         "DDD_000000001_0003_articletext.xml"]
    unit = read_issue(issue / DIDL)
    assert unit.problems == ()
    assert unit.items == read_issue(FIXTURES / DIDL).items
