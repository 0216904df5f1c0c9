"""Paragraphs inside a block of the OCR, told by the printed lines' geometry
(archive.segmentation.paragraphs), and the METS reader's articles cut by them: an OCR
block often holds a whole column of a story, which a reader wants in paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.layout import Box
from archive.segmentation.paragraphs import starts
from tests.test_merged_columns import METS
from tests.test_mets import read_issue

UNIT = 20.0  # the line height


def _column(edges: list[tuple[float, float]], pitch: float = 24.0) -> list[Box]:
    return [Box(left, n * pitch, right, n * pitch + UNIT) for n, (left, right) in
            enumerate(edges)]


FULL = (0.0, 300.0)


def test_an_indented_line_after_a_short_one_opens_a_paragraph() -> None:
    edges = [FULL] * 4 + [(0.0, 150.0), (20.0, 300.0)] + [FULL] * 4
    assert starts(_column(edges), UNIT) == [5]


def test_an_indented_line_after_a_sentence_opens_a_paragraph_however_full_that_was() -> None:
    """Justified type fills a paragraph's last line to within an em as often as not: with
    the lines' texts, a sentence ended before an indent is sign enough."""
    edges = [FULL] * 4 + [(0.0, 290.0), (20.0, 300.0)] + [FULL] * 4
    texts = ["and so on"] * 4 + ["the end of it.", "A new paragraph"] + ["and so on"] * 4
    assert starts(_column(edges), UNIT) == []
    assert starts(_column(edges), UNIT, texts) == [5]
    texts[4] = "a sentence that goes"  # an indent alone (a drop cap's lines) opens nothing
    assert starts(_column(edges), UNIT, texts) == []


def test_a_short_line_then_one_flush_left_opens_nothing() -> None:
    """Without an indent a short line may be a paragraph's end or a ragged line: the
    indent is the sign."""
    edges = [FULL] * 4 + [(0.0, 150.0), FULL] + [FULL] * 4
    assert starts(_column(edges), UNIT) == []


def test_an_indented_line_that_is_short_itself_opens_nothing() -> None:
    """An indented short line under a short line is no first line of a paragraph (it is a
    centred line, or a signature set right)."""
    edges = [FULL] * 4 + [(0.0, 150.0), (20.0, 120.0)] + [FULL] * 4
    assert starts(_column(edges), UNIT) == []


@pytest.mark.parametrize("heading", [1, 2])
def test_a_centred_crosshead_is_a_paragraph_of_its_own(heading: int) -> None:
    edges = [FULL] * 4 + [(80.0, 220.0)] * heading + [FULL] * 4
    assert starts(_column(edges), UNIT) == [4, 4 + heading]


def test_a_name_set_apart_in_a_sentence_is_no_crosshead() -> None:
    """French racing columns centre a horse's name in the middle of a sentence ("doit
    revenir cette année à / SAINT-PAIR-DU-MONT / ou à Olifant"): with the lines' texts,
    a crosshead follows a finished sentence and is followed by no lower-case start."""
    edges = [FULL] * 4 + [(80.0, 220.0)] + [FULL] * 4
    texts = ["and so on"] * 3 + ["revenir cette année à", "SAINT-PAIR-DU-MONT",
                                 "ou à Olifant, son adversaire."] + ["and so on"] * 3
    assert starts(_column(edges), UNIT, texts) == []
    texts[3] = "the end of it."
    assert starts(_column(edges), UNIT, texts) == []  # a lower-case line goes on under it
    texts[5] = "Olifant is his adversary."
    assert starts(_column(edges), UNIT, texts) == [4, 5]


def test_an_inverted_pyramid_deck_is_no_crosshead() -> None:
    """A deck whose lines are each centred and shorter than the one above has no text
    under it in the block: no line of it is a crosshead."""
    edges = [FULL, (10.0, 290.0), (40.0, 260.0), (70.0, 230.0), (100.0, 200.0)]
    assert starts(_column(edges), UNIT) == []


def test_a_skewed_column_is_read_against_its_own_edges() -> None:
    """A scan at a slant moves a tall column's edges by many indents from top to bottom:
    each line is measured against the lines about it, so the drift opens nothing, and an
    indent still does."""
    drift = [(3.0 * n, 300.0 + 3.0 * n) for n in range(40)]
    assert starts(_column(drift), UNIT) == []
    indented = list(drift)
    indented[19] = (indented[19][0], indented[19][1] - 150)  # a short line, then
    indented[20] = (indented[20][0] + 20, indented[20][1])  # an indented one
    assert starts(_column(indented), UNIT) == [20]


def test_too_few_lines_or_no_height_open_nothing() -> None:
    assert starts(_column([FULL, (20.0, 300.0)]), UNIT) == []
    assert starts(_column([FULL] * 3 + [(0, 100), (20, 300)]), 0.0) == []


# --- the METS reader -----------------------------------------------------------------

# Two paragraphs and a crosshead in one block: (text, left, right) per printed line.
LINES = [("The harbour board met on Monday", 20, 300),
         ("and heard the engineer report on", 0, 300),
         ("the state of the north pier wall.", 0, 160),
         ("Repairs will begin in the spring", 20, 300),
         ("when the weather allows the work.", 0, 300),
         ("THE NEW DREDGER.", 90, 210),
         ("A dredger was ordered from the yard", 0, 300),
         ("at Leith and is to arrive in June.", 0, 300)]


def _alto(lines: list[tuple[str, int, int]]) -> str:
    out = []
    for n, (text, left, right) in enumerate(lines):
        top, x, strings = 100 + 24 * n, left, []
        words = text.split()
        step = (right - left) / len(words)
        for k, word in enumerate(words):
            strings.append(f'<String ID="S{n}_{k}" CONTENT="{word}" HPOS="{x:.0f}" '
                           f'VPOS="{top}" WIDTH="{step - 6:.0f}" HEIGHT="20" WC="0.9"/>')
            x += step
        out.append(f'<TextLine ID="L{n}" HPOS="{left}" VPOS="{top}" WIDTH="{right - left}" '
                   f'HEIGHT="20">{"".join(strings)}</TextLine>')
    return ('<?xml version="1.0"?><alto><Layout><Page ID="P1" WIDTH="400" HEIGHT="500" '
            'PHYSICAL_IMG_NR="1"><PrintSpace><TextBlock ID="TB1" HPOS="0" VPOS="100" '
            f'WIDTH="300" HEIGHT="200">{"".join(out)}</TextBlock></PrintSpace></Page>'
            '</Layout></alto>')


def _mets(paragraph: bool) -> str:
    """test_merged_columns' issue file, its article placed on TB1: as a block, or as a
    METS PARAGRAPH."""
    area = '<fptr><area BEGIN="TB1" BETYPE="IDREF" FILEID="ALTO1"/></fptr>'
    placed = ('<div TYPE="PARAGRAPH"><fptr><area BEGIN="TB3" BETYPE="IDREF" FILEID="ALTO1"/>'
              '</fptr>\n      </div>')
    assert placed in METS
    return METS.replace(placed, f'<div TYPE="PARAGRAPH">{area}</div>' if paragraph else area)


@pytest.mark.parametrize("paragraph", [False, True], ids=["block", "mets-paragraph"])
def test_an_article_on_one_block_comes_in_its_paragraphs(tmp_path: Path,
                                                         paragraph: bool) -> None:
    """The paragraphs open where the indents and the crosshead show, also when the METS
    calls the whole block one PARAGRAPH (some producers label every block so)."""
    (tmp_path / "page-1.xml").write_text(_alto(LINES), encoding="utf-8")
    (tmp_path / "mets.xml").write_text(_mets(paragraph), encoding="utf-8")
    [article] = read_issue(tmp_path / "mets.xml").items
    texts = [line for line, _, _ in LINES]
    assert article.blocks == (tuple(texts[0:3]), tuple(texts[3:5]), (texts[5],),
                              tuple(texts[6:8]))


def test_lines_without_boxes_stay_one_paragraph(tmp_path: Path) -> None:
    """ALTO makes positions optional: with none, nothing shows where a paragraph opens."""
    plain = _alto(LINES)
    for name in ("HPOS", "VPOS", "WIDTH", "HEIGHT"):
        plain = re.sub(rf' {name}="[^"]*"', "", plain)
    (tmp_path / "page-1.xml").write_text(plain, encoding="utf-8")
    (tmp_path / "mets.xml").write_text(_mets(False), encoding="utf-8")
    [article] = read_issue(tmp_path / "mets.xml").items
    assert article.blocks == (tuple(line for line, _, _ in LINES),)


# --- the article page -----------------------------------------------------------------

def test_the_article_page_shows_crossheads_and_the_headline_once(tmp_path: Path) -> None:
    """A crosshead in capitals is set as a heading of the text; a headline taken from the
    text's first line is not printed again above the text (the JSON keeps every
    paragraph as read)."""
    from conftest import served
    from web_helpers import soup

    issue = tmp_path / "pages" / "1901-03-14"
    issue.mkdir(parents=True)
    page = _alto([("HARBOUR BOARD.", 100, 200), *LINES]).replace(
        '<TextLine ID="L1"', '</TextBlock><TextBlock ID="TB2"><TextLine ID="L1"', 1)
    page = page.replace('<TextBlock ID="TB1" HPOS="0" VPOS="100" WIDTH="300" HEIGHT="200">'
                        , '<TextBlock ID="TB1">', 1)
    (issue / "page-1.xml").write_text(page, encoding="utf-8")
    (issue / "mets.xml").write_text(_mets(False).replace(
        '<area BEGIN="TB1" BETYPE="IDREF" FILEID="ALTO1"/>',
        '<area BEGIN="TB1" BETYPE="IDREF" FILEID="ALTO1"/></fptr><fptr>'
        '<area BEGIN="TB2" BETYPE="IDREF" FILEID="ALTO1"/>'), encoding="utf-8")
    with served(tmp_path / "data", tmp_path / "pages") as client:
        found = client.get("/search.json?q=dredger").get_json()
        [url] = [item["url"] for item in found["items"]]
        record = client.get(url.replace("http://localhost", "") + ".json").get_json()
        assert record["headline"] == "HARBOUR BOARD."
        assert record["paragraphs"][0] == "HARBOUR BOARD."  # as read
        page_html = soup(client.get(url.replace("http://localhost", "")))
    body = page_html.select_one(".article .body")
    assert [h.get_text() for h in body.select("h2.crosshead")] == ["THE NEW DREDGER."]
    assert [p.get_text() for p in body.select("p")][0].startswith("The harbour board met")
    assert page_html.select_one("h1").get_text(strip=True) == "HARBOUR BOARD."


def test_a_text_of_lines_in_capitals_is_set_as_printed(tmp_path: Path) -> None:
    """Many short paragraphs in capitals (a list of names) are no row of headings, and a
    last paragraph in capitals (a signature) heads nothing."""
    from conftest import seed_page, served
    from web_helpers import soup

    pages = tmp_path / "pages" / "2016-03-01"
    pages.mkdir(parents=True)
    (pages / "page_01.txt").write_text(seed_page(
        "Committee named", "The following members were named to the harbour committee "
        "at the meeting on Monday evening.", "JOHN SMITH, MERCHANT.", "MARY BROWN, TEACHER.",
        "PETER GREEN, PILOT."), encoding="utf-8")
    (pages / "page_02.txt").write_text(seed_page(
        "A letter on the harbour", "Sir, the harbour wall is in need of repair and the "
        "board has done nothing about it this year.", "A RATEPAYER."), encoding="utf-8")
    with served(tmp_path / "data", tmp_path / "pages") as client:
        for q in ("committee", "ratepayer"):
            [url] = [i["url"] for i in client.get(f"/search.json?q={q}").get_json()["items"]]
            body = soup(client.get(url.replace("http://localhost", ""))).select_one(
                ".article .body")
            assert body.select("h2") == [] and len(body.select("p")) >= 2
