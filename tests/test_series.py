"""The page files of one issue read as one unit (archive.units.page_series,
archive.series): what one page prints of the issue reaches the others, every page is
accounted for, and permalinks of pages read alone before keep working."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from archive.formats.page_names import page_and_series
from archive.ingest import ingest
from archive.model import ReadOptions
from archive.store import Store
from archive.units import page_series

FIXTURE = Path(__file__).parent / "fixtures" / "hocr" / "valley-herald-2.hocr"
MARCH_6 = dt.date(1906, 3, 6)  # the date the fixture's masthead prints


def first_page() -> bytes:
    return FIXTURE.read_bytes()


def inner_page(**words: str) -> bytes:
    """The fixture without its masthead's dated line, some words changed (so that its
    articles are not the first page's)."""
    data = re.sub(rb"<div class='ocr_carea' id='block_1_2'.*?</div>", b"", FIXTURE.read_bytes(),
                  flags=re.S)
    for old, new in {"bridge": "ferry", "BRIDGE": "FERRY", **words}.items():
        data = data.replace(f">{old}<".encode(), f">{new}<".encode())
    return data


def run(folder: Path, store: Store):
    return ingest(store, [folder], ReadOptions(), jobs=1)


@pytest.mark.parametrize(("name", "expected"), [
    ("dchnp71001-3.hocr.gz", (3, "dchnp71001-#.hocr.gz")),
    ("/a/0002647_18240217_0003.xml", (3, "/a/0002647_18240217_#.xml")),
    ("/a/0002647_18240217_0012.xml", (12, "/a/0002647_18240217_#.xml")),
    ("/a/1858-12-07_01-00004.xml.gz", (4, "/a/1858-12-07_01-#.xml.gz")),
    ("/b/ed-1/seq-12/ocr.txt", (12, "/b/ed-1/seq-#/ocr.txt")),
    ("/c/sn78000395-ed-1_seq-1.txt", (1, "/c/sn78000395-ed-1_seq-#.txt")),
    ("/d/page-2.hocr", (2, "/d/page-#.hocr")),
    ("/e/1858-12-07.xml", None),  # a date, not a page
    ("/e/0012724.txt", None),  # a running count
    ("/e/report.txt", None),
])
def test_the_series_a_name_belongs_to(name, expected):
    assert page_and_series(name) == expected


def test_pages_of_one_issue_are_one_unit_sharing_its_date(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "herald-1.hocr").write_bytes(first_page())
    (folder / "herald-2.hocr").write_bytes(inner_page())
    (folder / "notes.hocr").write_bytes(inner_page(FERRY="MILL"))  # no page: read alone
    store = Store(tmp_path / "store.sqlite3")
    report = run(folder, store)
    assert (report.seen, report.members, report.new, report.rejected) == (2, 1, 2, {})
    head = str(folder / "herald-1.hocr")
    assert store.source_paths() == [head, str(folder / "notes.hocr")]
    assert [row[1] for row in store.unit_files()[head]] == [str(folder / "herald-2.hocr")]
    articles = [a for a in store.articles() if a.source == head]
    assert {a.page for a in articles} == {1, 2}
    # page 2 prints no date: the first page's masthead dates it
    assert {(a.page, a.date, a.date_source) for a in articles} == {
        (1, MARCH_6, "page"), (2, MARCH_6, "page")}
    assert "FERRY OPENED." in {a.headline for a in articles if a.page == 2}
    # the page that names no page number is read on its own, undated
    alone = [a for a in store.articles() if a.source.endswith("notes.hocr")]
    assert alone and {a.date for a in alone} == {None}

    assert run(folder, store).unchanged == 2
    (folder / "herald-2.hocr").write_bytes(inner_page(COUNCIL="BOARD"))  # a page changes
    again = run(folder, store)
    assert (again.changed, again.unchanged) == (1, 1)
    assert "BOARD MEETS." in {a.headline for a in store.articles() if a.page == 2}
    (folder / "herald-2.hocr").unlink()  # a page goes away
    assert run(folder, store).changed == 1
    assert {a.page for a in store.articles() if a.source == head} == {1}
    store.close()


def test_every_page_takes_the_date_most_pages_print(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    april = first_page().replace(b">MARCH<", b">APRIL<")
    (pages / "herald-1.hocr").write_bytes(first_page())
    (pages / "herald-2.hocr").write_bytes(april.replace(b">bridge<", b">ferry<"))
    (pages / "herald-3.hocr").write_bytes(inner_page(council="board"))
    (pages / "herald-4.hocr").write_bytes(first_page().replace(b">bridge<", b">mill<"))
    store = Store(tmp_path / "store.sqlite3")
    run(pages, store)
    # one page misread (or misprinted) April: the issue is March's, as three pages say
    assert {(a.page, a.date) for a in store.articles()} == {
        (page, MARCH_6) for page in (1, 2, 3, 4)}
    store.close()


def test_a_broken_page_is_named_and_the_others_kept(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "herald-1.hocr").write_bytes(first_page())
    (pages / "herald-2.hocr").write_bytes(inner_page())
    (pages / "herald-3.hocr").write_bytes(b"<html><body><div class='ocr_page' "
                                             b"title='bbox 0 0 10 10'></div></body></html>")
    store = Store(tmp_path / "store.sqlite3")
    report = run(pages, store)
    assert report.rejected == {} and report.members == 2
    record = next(iter(store.sources()))
    assert record.status == "ingested"
    assert "herald-3.hocr" in record.reason and "no text" in record.reason
    assert {a.page for a in store.articles()} == {1, 2}
    store.close()


def test_no_readable_page_rejects_the_unit_with_every_reason(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    empty = b"<html><body><div class='ocr_page' title='bbox 0 0 10 10'></div></body></html>"
    (pages / "herald-1.hocr").write_bytes(empty)
    (pages / "herald-2.hocr").write_bytes(empty)
    store = Store(tmp_path / "store.sqlite3")
    report = run(pages, store)
    (reason,) = report.rejected.values()
    assert "herald-1.hocr" in reason and "herald-2.hocr" in reason
    store.close()


def test_a_page_read_alone_before_keeps_its_permalinks(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "herald-2.hocr").write_bytes(inner_page())
    store = Store(tmp_path / "store.sqlite3")
    run(pages, store)
    before = {a.headline: a.id for a in store.articles()}
    assert "FERRY OPENED." in before and {a.date for a in store.articles()} == {None}

    (pages / "herald-1.hocr").write_bytes(first_page())  # the first page arrives
    report = run(pages, store)
    head, page = str(pages / "herald-1.hocr"), str(pages / "herald-2.hocr")
    assert report.moved == {page: head} and report.removed == []
    after = {a.headline: a for a in store.articles() if a.page == 2}
    ferry = after["FERRY OPENED."]
    assert ferry.date == MARCH_6 and ferry.id != before["FERRY OPENED."]
    assert store.successor(before["FERRY OPENED."]) == ferry.id
    store.close()


def test_what_makes_a_series(tmp_path):
    def write(name: str, data: bytes) -> str:
        (tmp_path / name).write_bytes(data)
        return str(tmp_path / name)

    one, two = write("a-1.hocr", first_page()), write("a-2.hocr", inner_page())
    write("b-1.hocr", first_page())
    text = write("b-2.hocr", b"PLAIN OCR TEXT OF A PAGE\nwith lines of words\n" * 20)
    c1, c01 = write("c-1.hocr", first_page()), write("c-01.hocr", inner_page())
    found = page_series([one, two, str(tmp_path / "b-1.hocr"), text, c1, c01])
    # b: another form beside the hOCR page; c: two files naming page 1
    assert list(found) == [one]
    (member,) = found[one]
    assert (member.href, member.path, member.page) == ("a-2.hocr", two, 2)


def test_an_issue_whose_mets_is_broken_is_read_as_a_page_series(tmp_path):
    import shutil

    issue = tmp_path / "harbour"
    shutil.copytree(FIXTURE.parents[1] / "mets" / "harbour", issue)
    mets = issue / "harbour-mets.xml"
    mets.write_bytes(mets.read_bytes()[:1500])  # cut short: not well-formed
    store = Store(tmp_path / "store.sqlite3")
    report = ingest(store, [issue], ReadOptions(), jobs=1)
    # the METS is rejected with its reason; its pages are still read, as one issue
    assert list(report.rejected) == [str(mets)]
    head = str(issue / "text" / "harbour-00001.xml")
    assert report.members == 1 and str(issue / "text" / "harbour-00002.xml") in [
        row[1] for row in store.unit_files()[head]]
    assert {a.page for a in store.articles()} == {1, 2}
    assert {a.source for a in store.articles()} == {head}
    store.close()
