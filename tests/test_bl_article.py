"""The British Library's article files (archive.formats.bl_article): an invented article
in the shape of the JISC 19th-century newspapers, its words' boxes read into lines and
paragraphs; its paper, date, page and kind; sniffed by content; bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from archive.articles import finish
from archive.formats import Input, choose, reader
from archive.model import PageMeta, ReadOptions, Rejected

LINE_HEIGHT = 40


def _line(text: str, row: int, indent: int = 0) -> str:
    """The words of one printed line, with their boxes."""
    out, x = [], 100 + indent
    top = 1000 + row * (LINE_HEIGHT + 8)
    for word in text.split():
        right = x + 20 * len(word)
        out.append(f'<articleWord coord="{x},{top},{right},{top + LINE_HEIGHT}">{word}'
                   f"</articleWord>")
        x = right + 20
    return "".join(out)


# Two paragraphs: the second opens with an indent after a finished sentence; a word is
# broken at the end of the first line.
LINES = [("The harbour board met on Tuesday and agreed to dre-", 0),
         ("dge the north channel before the spring tides set in", 0),
         ("this year, as the pilots had asked them to do.", 0),
         ("The chairman called the cost modest for the work", 60),
         ("and the board agreed to it without a division.", 0)]


def article(subject: str = "News", title: str = "THE HARBOUR WORKS") -> bytes:
    words = "".join(_line(text, row, indent) for row, (text, indent) in enumerate(LINES))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE BL_newspaper SYSTEM '
        '"BL_newspaper.dtd">\n<BL_newspaper xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<BL_article><title_metadata><title>The Harbour Gazette</title>"
        "<titleAbbreviation>HBGZ</titleAbbreviation><placeOfPublication>Harbourtown"
        "</placeOfPublication></title_metadata><issue_metadata><issueNumber>12</issueNumber>"
        "<printedDate>MONDAY, MARCH 07, 1870</printedDate><normalisedDate>1870.03.07"
        "</normalisedDate><qualityRating>Good</qualityRating></issue_metadata>"
        f"<article_metadata><dc_metadata><dc:Title>{title}</dc:Title>"
        f"<dc:Subject>{subject}</dc:Subject></dc_metadata></article_metadata>"
        "<image_metadata><pageImage><pageSequence>0003</pageSequence></pageImage>"
        "<articleImage><articleSequence>0003-012</articleSequence><articleText>"
        f"{words}</articleText></articleImage></image_metadata></BL_article></BL_newspaper>"
    ).encode()


def read(data: bytes):
    unit = reader("bl-article").read(Input("WO1_HBGZ_1870_03_07-0003-012.xml", data),
                                     ReadOptions())
    return unit, finish(unit, "x.xml", "0" * 64, PageMeta(), ReadOptions()).articles


def test_sniffed_by_content() -> None:
    assert choose("WO1_HBGZ_1870_03_07-0003-012.xml", article()).name == "bl-article"


def test_an_article_file() -> None:
    unit, (found,) = read(article())
    assert (unit.record.publication, unit.record.date) == ("The Harbour Gazette",
                                                           dt.date(1870, 3, 7))
    assert (found.headline, found.kind, found.page, found.section) == (
        "THE HARBOUR WORKS", "article", 3, "News")
    # two paragraphs, cut where the indent after a finished sentence is; the broken word
    # at the end of a line joined
    assert len(found.paragraphs) == 2
    assert found.paragraphs[0].startswith("The harbour board met on Tuesday and agreed to "
                                          "dredge the north channel")
    assert found.paragraphs[1].startswith("The chairman called the cost modest")


def test_the_catalogues_subject_gives_the_kind_and_no_title_is_no_headline() -> None:
    _, (ad,) = read(article(subject="Advertising", title="Untitled Article"))
    assert ad.kind == "advertisement"
    assert ad.headline != "Untitled Article" and ad.headline.startswith("The harbour board")


@pytest.mark.parametrize("data, reason", [
    (b"<BL_newspaper><BL_article><title_metadata><title>X</title>", "malformed"),
    (b"<BL_newspaper><BL_article><title_metadata><title>X</title></title_metadata>"
     b"</BL_article></BL_newspaper>", "no text"),
])
def test_bad_files_are_rejected_saying_why(data: bytes, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        reader("bl-article").read(Input("x.xml", data), ReadOptions())
