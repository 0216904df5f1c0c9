"""The page a scanned page's file name gives (archive.formats.page_names): the sequence
numbers digitisation programmes name page files by, and names that only look alike."""

from __future__ import annotations

import pytest

from archive.formats.page_names import page_in_name


@pytest.mark.parametrize(("name", "page"), [
    ("batch/sn00000001/1916010701/ed-1/seq-3/ocr.txt", 3),  # Chronicling America
    ("dates/19160107/sn00000001-ed-1_seq-12.txt", 12),
    ("0000001/1824/0217/0000001_18240217_0003.xml.gz", 3),  # British Library
    ("issue_1858-12-07_01/text/1858-12-07_01-00004.xml", 4),  # impresso / BnL
    ("scans/chronicle-2.hocr", 2),  # a Tesseract run over an issue's scans
    ("0003.xml", 3), ("12.hocr", 12), ("page-12.hocr", 12), ("p012.txt", 12),
    ("scan 7.hocr", 7),
])
def test_sequence_numbers(name: str, page: int) -> None:
    assert page_in_name(name) == page


@pytest.mark.parametrize("name", [
    "1858-12-07.xml", "18581207.xml", "1858_12_07.hocr",  # an issue's date
    "0004927.txt", "2017.txt",  # a running count, a year
    "0000001_18240217.xml", "issue.hocr", "vol12-no4.hocr",
    "seq-0/ocr.txt", "p0.txt", "scans/page-1200.hocr",  # no page 0, nor past 999
])
def test_names_that_give_no_page(name: str) -> None:
    assert page_in_name(name) is None
