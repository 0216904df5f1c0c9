"""Gale's issue XML (archive.formats.gale): an invented issue in the Times Digital Archive's
shape (articles under the issue, LTO_issue.dtd) and in GALENP's (articles inside pages),
read into items with their kinds, pages, authors, categories and confidence; sniffed by
content; bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from archive.articles import finish
from archive.formats import Input, choose, reader
from archive.ingest import ingest
from archive.model import PageMeta, ReadOptions, Rejected
from archive.store import Store


def _words(text: str, top: int, left: int = 100) -> str:
    """Words with boxes on one printed line."""
    out, x = [], left
    for word in text.split():
        out.append(f'<wd pos="{x},{top},{x + 20 * len(word)},{top + 30}">{word}</wd>')
        x += 20 * (len(word) + 1)
    return "".join(out)


def _para(*lines: str) -> str:
    return "<p>" + "".join(_words(line, 1000 + 40 * n) for n, line in enumerate(lines)) + "</p>"


LTO = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE issue SYSTEM "LTO_issue.dtd">\n'
       "<issue><id>0ABC-1887-MAR07</id><is>31234</is><da>Monday, March 07, 1887</da>"
       "<pf>18870307</pf><ip>12</ip>"
       "<article><id>0ABC-1887-MAR07-001-001</id><ocr relevant=\"yes\">87.5</ocr>"
       "<sc>A</sc><pa>5</pa><pc>2</pc><ti>THE HARBOUR WORKS</ti><ta>Progress of the Dredging</ta>"
       "<au>From our Correspondent</au><ct>News</ct>"
       '<pi pgref="5">0ABC-1887-MAR07-001-005</pi><pi pgref="6">0ABC-1887-MAR07-001-006</pi>'
       "<text><text.title>" + _para("THE HARBOUR WORKS") + "</text.title>"
       "<text.cr>" + _para("The board met on Tuesday and agreed to dre-",
                           "dge the north channel before the spring tides.")
       + _para("The chairman called the cost modest.") + "</text.cr></text></article>"
       "<article><id>0ABC-1887-MAR07-001-002</id><ocr relevant=\"no\">0</ocr><pa>12A</pa>"
       "<ct>Classified advertising</ct><text><text.cr>"
       + _para("TEAS AND COFFEES at Smith's, 4 Quay Street.") + "</text.cr></text></article>"
       "<article><id>0ABC-1887-MAR07-001-003</id><pa>1</pa>"
       "<ct>Births, deaths, marriages and obituaries</ct><text><text.cr>"
       + _para("On the 3rd inst., at Mill House, the wife of J. Brown, of a son.")
       + "</text.cr></text></article>"
       "<article><id>0ABC-1887-MAR07-001-004</id><pa>2</pa><text><text.cr/></text></article>"
       "<article><id>0ABC-1887-MAR07-001-005</id><pa>3</pa><ti>Portrait of the Late Mayor</ti>"
       "<ct>Picture gallery</ct></article>"
       "</issue>")

GALENP = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE issue SYSTEM "GALENP.dtd">\n'
          "<issue><metadatainfo><PSMID>0ABC-1990-0307</PSMID><jn>the harbour gazette.</jn>"
          "</metadatainfo><pf>19900307</pf><ip>2</ip>"
          '<page><pageid isPartOf="Main" pageType="body">0ABC-1990-0307-0003</pageid>'
          "<pa>3</pa><article><id>0ABC-1990-0307-0003-001</id><ti>Quay Repairs Begin</ti>"
          "<ct>News</ct><text><text.cr>"
          + _para("Work on the quay began on Monday, the council said.")
          + "</text.cr></text></article></page></issue>")


def read(data: str, name: str = "0ABC-1887-MAR07.xml"):
    unit = reader("gale").read(Input(name, data.encode("latin-1")), ReadOptions())
    return unit, finish(unit, name, "0" * 64, PageMeta(), ReadOptions()).articles


def test_sniffed_by_content() -> None:
    assert choose("0ABC-1887-MAR07.xml", LTO.encode("latin-1")).name == "gale"
    assert choose("x.xml", GALENP.encode()).name == "gale"
    # another <issue> (a journal's, in its own namespace) is no Gale issue
    with pytest.raises(Rejected, match="root is <issue>"):
        choose("x.xml", b'<?xml version="1.0"?><issue xmlns="http://pkp.sfu.ca"><id>1</id>')


def test_an_issue_of_the_times_digital_archive_shape() -> None:
    unit, articles = read(LTO)
    assert unit.record.date == dt.date(1887, 3, 7) and unit.record.publication is None
    assert [(a.kind, a.page) for a in articles] == [("article", 5), ("advertisement", 12),
                                                    ("notice", 1), ("article", 3)]
    story, ad, notice, picture = articles
    # a title alone is the item's text (and its headline, read from it)
    assert picture.paragraphs == ("Portrait of the Late Mayor",)
    assert story.headline == "THE HARBOUR WORKS" and story.subtitle == "Progress of the Dredging"
    assert story.byline == "From our Correspondent" and story.section == "News"
    assert story.pages == (5, 6) and story.confidence == pytest.approx(0.875)
    # the word broken at the end of a printed line is joined, as on any page
    assert story.paragraphs[0].startswith("The board met on Tuesday and agreed to dredge the")
    assert story.paragraphs[1] == "The chairman called the cost modest."
    assert ad.confidence is None  # the OCR confidence the file marks as not relevant
    assert "Quay Street" in " ".join(ad.paragraphs)
    assert notice.section == "Births, deaths, marriages and obituaries"


def test_an_issue_of_galenp_shape_names_its_paper() -> None:
    unit, articles = read(GALENP, "0ABC-1990-0307.xml")
    assert (unit.record.publication, unit.record.date) == ("The Harbour Gazette",
                                                           dt.date(1990, 3, 7))
    assert [(a.headline, a.page) for a in articles] == [("Quay Repairs Begin", 3)]


def test_an_ncco_issue_gives_its_date_in_da() -> None:
    ncco = GALENP.replace("<pf>19900307</pf>", "<da><searchableDateStart>18470102"
                          "</searchableDateStart><displayDate>January 2, 1847</displayDate></da>")
    unit, articles = read(ncco, "ncco.xml")
    assert unit.record.date == dt.date(1847, 1, 2) and len(articles) == 1


def test_ingested_with_the_operators_publication(tmp_path) -> None:
    folder = tmp_path / "tda" / "1887"
    folder.mkdir(parents=True)
    (folder / "0ABC-1887-MAR07.xml").write_bytes(LTO.encode("latin-1"))
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, [tmp_path / "tda"], ReadOptions(publication="The Harbour Times"), jobs=1)
        articles = list(store.articles())
        (source,) = store.sources()
    finally:
        store.close()
    assert source.status == "ingested" and source.parser_version == "gale/4"
    assert {(a.publication, a.date) for a in articles} == {("The Harbour Times",
                                                            dt.date(1887, 3, 7))}
    assert len(articles) == 4


@pytest.mark.parametrize("data, reason", [
    ("<issue><pf>18870307</pf><article><id>1</id>", "malformed"),
    ("<issue><pf>18870307</pf><article><id>1</id><text><text.cr/></text></article></issue>",
     "no text"),
])
def test_bad_issues_are_rejected_saying_why(data: str, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        reader("gale").read(Input("x.xml", data.encode()), ReadOptions())
