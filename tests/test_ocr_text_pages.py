"""A file of page OCR text that holds several pages parted by form feeds (pdftotext's
output of a whole issue): each page is read as a page of its own, numbered by its place or
by the folio it prints, and what the first page's masthead prints dates them all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from archive.formats import Input, reader
from archive.ingest import ingest
from archive.model import ReadOptions, Rejected
from archive.store import Store

FIRST = """THE HARBOUR GAZETTE
VOL. 3 NO. 12 MONDAY, MARCH 4, 1912 PRICE ONE CENT
NEW HARBOUR WALL APPROVED
Council Votes the Funds at Last
The council met on Monday evening and
agreed that the new harbour wall should
be built before the winter storms come,
at a cost the town can bear without
raising a new tax on the fishermen.
"""

SECOND = """FERRY SERVICE RESUMES
Boats Run Again After the Storm
The ferry to the island ran again on
Sunday morning after a week in which
no boat could leave the harbour, and
the first passengers were the doctor
and two families going home.
"""

FOLIO = "PAGE 6\n"


def _read(text: str):
    return reader("ocr-text").read(Input("issue.txt", text.encode()), ReadOptions())


def test_each_page_of_a_file_is_a_page_of_its_own() -> None:
    unit = _read(FIRST + "\f" + SECOND)
    assert [(i.headline, i.page) for i in unit.items] == [
        ("NEW HARBOUR WALL APPROVED", 1), ("FERRY SERVICE RESUMES", 2)]
    assert unit.printed.date == dt.date(1912, 3, 4) and unit.printed.page is None
    # a page that prints its folio is that page, whatever its place in the file
    unit = _read(FIRST + "\f" + FOLIO + SECOND)
    assert [i.page for i in unit.items] == [1, 6]


def test_a_page_with_nothing_to_read_is_named_and_the_others_kept() -> None:
    unit = _read(FIRST + "\f" + "- - -\n\f" + SECOND)
    assert [i.page for i in unit.items] == [1, 3]
    assert unit.problems and unit.problems[0].startswith("page 2: ")
    with pytest.raises(Rejected):
        _read("- - -\n\f* * *\n")


def test_an_issue_of_pages_is_ingested_with_its_date_on_every_page(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "gazette.txt").write_text(FIRST + "\f" + SECOND)
    store = Store(tmp_path / "store.sqlite3")
    assert ingest(store, [tmp_path / "pages"], jobs=1).rejected == {}
    assert sorted((a.page, a.date) for a in store.articles()) == [
        (1, dt.date(1912, 3, 4)), (2, dt.date(1912, 3, 4))]
