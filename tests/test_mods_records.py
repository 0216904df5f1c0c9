"""MODS records beside ALTO pages (a delivery without METS, as the Royal Danish Library's
newspaper batches are): the page's number and section from the record named as the page,
the issue's title and date from the folder's records; the records and the checksum files
beside them are rejected, saying what they are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from archive.ingest import ingest
from archive.model import ReadOptions
from archive.store import Store

ALTO = Path(__file__).parent / "fixtures" / "mets" / "alto" / "ndnp-page.xml"
MODS = '<mods:mods xmlns:mods="http://www.loc.gov/mods/v3">{}</mods:mods>'
PAGE_RECORD = MODS.format(
    '<mods:part><mods:detail type="sectionLabel"><mods:number>Section 2</mods:number>'
    '</mods:detail><mods:extent unit="pages"><mods:start>{page}</mods:start></mods:extent>'
    '</mods:part><mods:relatedItem type="host"><mods:titleInfo type="uniform">'
    '<mods:title>theweeklyherald</mods:title></mods:titleInfo></mods:relatedItem>')
ISSUE_RECORD = MODS.format(
    '<mods:titleInfo><mods:title>The Weekly Herald</mods:title></mods:titleInfo>'
    '<mods:titleInfo type="uniform"><mods:title>theweeklyherald</mods:title></mods:titleInfo>'
    '<mods:originInfo><mods:dateIssued encoding="iso8601">{date}</mods:dateIssued>'
    '</mods:originInfo>')


def _issue(folder: Path, pages: dict[str, str], date: str | None = "1795-06-15") -> Path:
    """An issue's folder: ALTO pages (name -> the page number its record gives), each with
    its MODS record and its checksum file, and the issue's record."""
    folder.mkdir(parents=True)
    for name, number in pages.items():
        shutil.copy(ALTO, folder / f"{name}.alto.xml")
        (folder / f"{name}.mods.xml").write_text(PAGE_RECORD.format(page=number))
        (folder / f"{name}.alto.xml.md5").write_text(
            f"d41d8cd98f00b204e9800998ecf8427e  ./{folder.name}/{name}.alto.xml\n")
    if date is not None:
        (folder / f"{folder.name}.edition.xml").write_text(ISSUE_RECORD.format(date=date))
    return folder


def _read(tmp_path: Path, *sources: Path) -> tuple[list, dict[str, tuple[str, str | None]]]:
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, list(sources), ReadOptions(), jobs=1)
        return list(store.articles()), {r.path: (r.status, r.reason) for r in store.sources()}
    finally:
        store.close()


def test_a_page_takes_its_number_and_section_and_its_issue_title_and_date(tmp_path):
    folder = _issue(tmp_path / "reel-14" / "herald-1795-06-15-01",
                    {"herald-1795-06-15-01-0010B": "13", "herald-1795-06-15-01-0011A": "14"})
    articles, sources = _read(tmp_path, folder)
    assert articles
    by_page = {a.source.rsplit("/", 1)[1]: a for a in articles}
    assert {(a.publication, a.date.isoformat(), a.section) for a in articles} == {
        ("The Weekly Herald", "1795-06-15", "Section 2")}
    assert by_page["herald-1795-06-15-01-0010B.alto.xml"].page == 13
    assert by_page["herald-1795-06-15-01-0011A.alto.xml"].page == 14
    reasons = {Path(p).name: reason for p, (status, reason) in sources.items()
               if status == "rejected"}
    assert "a MODS record" in reasons["herald-1795-06-15-01-0010B.mods.xml"]
    assert "a MODS record" in reasons["herald-1795-06-15-01.edition.xml"]
    assert "checksums" in reasons["herald-1795-06-15-01-0010B.alto.xml.md5"]
    assert {Path(p).name for p, (s, _) in sources.items() if s == "ingested"} == {
        "herald-1795-06-15-01-0010B.alto.xml", "herald-1795-06-15-01-0011A.alto.xml"}


def test_a_json_sidecar_is_stronger_and_bad_or_disagreeing_records_say_nothing(tmp_path):
    folder = _issue(tmp_path / "herald-1795-06-15-01", {"p-0001": "twelve", "p-0002": "3"})
    (folder / "p-0002.alto.xml.json").write_text(json.dumps({"page": 4,
                                                             "publication": "The Herald"}))
    # a second issue record with another date: the folder's records disagree on the date
    (folder / "other.edition.xml").write_text(ISSUE_RECORD.format(date="1795-06-16"))
    articles, _ = _read(tmp_path, folder)
    # "twelve" is no page number: that page keeps the number its file name gives; the other
    # takes its sidecar's; the records disagree on the date: it comes from the folder's name
    assert {(a.page, a.publication, a.date.isoformat()) for a in articles} == {
        (1, "The Weekly Herald", "1795-06-15"), (4, "The Herald", "1795-06-15")}
