"""ABBYY FineReader XML: pages of our own writing in the shapes FineReader exports (a page
of blocks with characters and their confidences; a namespaced document of pages whose runs
keep only their text), read into layout pages and then into articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.formats import Input, reader
from archive.formats.abbyy import parse_abbyy
from archive.formats.sniff import sniff
from archive.ingest import ingest
from archive.model import ReadOptions, Rejected
from archive.store import Store

NAMESPACE = "http://www.abbyy.com/FineReader_xml/FineReader6-schema-v1.xml"
BODY = ("The council met on Monday evening and agreed that the new harbour wall should be "
        "built before the winter storms, at a cost the town can bear without a new tax")


def _chars(text: str, left: int, top: int, size: int, confidence: int) -> str:
    """charParams of a line of text: one per character, spaces included, each word's first
    marked wordStart; boxes a character wide."""
    out, x = [], left
    for n, char in enumerate(text):
        width = size // 2
        start = ' wordStart="true"' if char != " " and (n == 0 or text[n - 1] == " ") else ""
        out.append(f'<charParams l="{x}" t="{top}" r="{x + width}" b="{top + size}"'
                   f'{start} charConfidence="{confidence}">{char}</charParams>')
        x += width
    return "".join(out)


def _block(lines: list[str], left: int, top: int, size: float, bold: bool = False,
           confidence: int = 90, chars: bool = True) -> str:
    height = int(size * 4)
    out = []
    for n, text in enumerate(lines):
        y = top + n * height
        inner = _chars(text, left, y, height, confidence) if chars else text
        weight = ' bold="true"' if bold else ""
        out.append(f'<line baseline="{y + height}" l="{left}" t="{y}" '
                   f'r="{left + len(text) * height // 2}" b="{y + height}">'
                   f'<formatting lang="EnglishUnitedStates" ff="Times New Roman" fs="{size}"'
                   f'{weight}>{inner}</formatting></line>')
    bottom = top + len(lines) * height
    return (f'<block blockType="Text" l="{left}" t="{top}" r="{left + 2000}" b="{bottom}">'
            f'<region><rect l="{left}" t="{top}" r="{left + 2000}" b="{bottom}"/></region>'
            f'<text><par>{"".join(out)}</par></text></block>')


def _body(top: int, chars: bool = True) -> str:
    words = BODY.split()
    lines = [" ".join(words[i:i + 6]) for i in range(0, len(words), 6)]
    return _block(lines, 100, top, 9, chars=chars)


def page(chars: bool = True) -> str:
    """Two stories in one column under headlines set large, a rule, a picture."""
    return (
        '<page width="2400" height="3400" resolution="300" originalCoords="1">'
        + _block(["HARBOUR WALL APPROVED"], 100, 100, 24, bold=True, chars=chars)
        + _body(260, chars)
        + '<block blockType="Separator" l="2150" t="100" r="2160" b="3000"><region>'
          '<rect l="2150" t="100" r="2160" b="3000"/></region></block>'
        + '<block blockType="Picture" l="100" t="900" r="900" b="1500"><region>'
          '<rect l="100" t="900" r="900" b="1500"/></region></block>'
        + _block(["FERRY SERVICE RESUMES"], 100, 1600, 24, bold=True, chars=chars)
        + _body(1760, chars).replace("harbour wall", "ferry pier")
        + "</page>")


def test_a_page_of_characters_becomes_a_layout_page() -> None:
    [layout] = parse_abbyy(page().encode())
    assert (layout.width, layout.height, layout.number) == (2400, 3400, 1)
    texts = [" ".join(w.text for line in b.lines for w in line.words) for b in layout.blocks]
    assert texts[0] == "HARBOUR WALL APPROVED" and texts[1] == BODY
    head = layout.blocks[0].lines[0]
    assert head.font_size == 24 and head.words[0].confidence == pytest.approx(0.9)
    assert head.words[0].box is not None and head.words[0].box.left == 100
    assert len(layout.rules) == 1  # the separator; the picture holds no word


def test_the_reader_finds_the_stories_of_the_page() -> None:
    unit = reader("abbyy").read(Input("issue-3.xml", page().encode()), ReadOptions())
    assert [(i.headline, i.page) for i in unit.items] == [("HARBOUR WALL APPROVED", 3),
                                                          ("FERRY SERVICE RESUMES", 3)]
    assert " ".join(unit.items[1].blocks[0]).startswith("The council met")


def test_a_document_of_pages_whose_runs_keep_only_their_text() -> None:
    """The Internet Archive's form: a namespaced document; a font change inside a word
    (two runs, no space between) leaves the word whole."""
    inner = page(chars=False)
    split = inner.replace(">HARBOUR WALL APPROVED<", ">HARB</formatting><formatting "
                                                      'fs="24" bold="true">OUR WALL APPROVED<')
    data = (f'<?xml version="1.0" encoding="UTF-8"?><document xmlns="{NAMESPACE}" '
            f'version="1.0" pagesCount="2">{split}{inner}</document>').encode()
    pages = parse_abbyy(data)
    assert [p.number for p in pages] == [1, 2]
    assert [w.text for w in pages[0].blocks[0].lines[0].words] == ["HARBOUR", "WALL",
                                                                    "APPROVED"]
    unit = reader("abbyy").read(Input("book_abbyy.xml", data), ReadOptions())
    assert [(i.headline, i.page) for i in unit.items][:3] == [
        ("HARBOUR WALL APPROVED", 1), ("FERRY SERVICE RESUMES", 1),
        ("HARBOUR WALL APPROVED", 2)]


def test_abbyy_is_told_by_its_namespace_or_its_blocks() -> None:
    assert sniff("x.xml", f'<document xmlns="{NAMESPACE}">'.encode()) == "abbyy"
    assert sniff("x.xml", page().encode()[:4000]) == "abbyy"
    with pytest.raises(Rejected, match="root is <page>"):
        sniff("x.xml", b'<page number="1"><para>Not OCR</para></page>')
    # a blank page (BCUL's exports hold some), told by its scan resolution: read by the
    # ABBYY reader, which says it holds no words (not that it is no page at all)
    blank = b'<page width="1079" height="1943" resolution="300" originalCoords="1">\n</page>\n'
    assert sniff("x_page_147.xml", blank) == "abbyy"
    with pytest.raises(Rejected, match="no text: the ABBYY file holds no words"):
        reader("abbyy").read(Input("x_page_147.xml", blank), ReadOptions())


@pytest.mark.parametrize(("data", "reason"), [
    (page().encode()[:-200], "malformed ABBYY XML"),  # cut short
    (b'<!DOCTYPE page [<!ENTITY e "lol"><!ENTITY f "&e;&e;&e;">]>' + page(
        chars=False).encode().replace(b"HARBOUR WALL", b"&f;", 1), "declares its own entities"),
    (b'<!DOCTYPE page [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + page(
        chars=False).encode().replace(b"HARBOUR WALL", b"&x;", 1), "declares its own entities")])
def test_bad_xml_is_rejected_unexpanded_and_unfetched(data: bytes, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        reader("abbyy").read(Input("p.xml", data), ReadOptions())


def test_a_page_without_words_is_rejected() -> None:
    empty = (b'<page width="10" height="10"><block blockType="Picture" l="0" t="0" r="9" '
             b'b="9"/></page>')
    with pytest.raises(Rejected, match="no text: the ABBYY file holds no words"):
        reader("abbyy").read(Input("p.xml", empty), ReadOptions())


def test_an_abbyy_page_is_ingested(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "paper_0004.xml").write_text(page(), encoding="utf-8")
    store = Store(tmp_path / "store.sqlite3")
    report = ingest(store, [tmp_path / "pages"], jobs=1)
    assert report.rejected == {} and report.new == 1
    articles = sorted(store.articles(), key=lambda a: a.headline)
    assert [(a.headline, a.page, a.kind) for a in articles] == [
        ("FERRY SERVICE RESUMES", 4, "article"), ("HARBOUR WALL APPROVED", 4, "article")]
    assert all(a.confidence == pytest.approx(0.9) for a in articles)


def test_the_pages_of_one_issue_are_read_as_one_series(tmp_path: Path) -> None:
    """Page files named alike but for the page number make one unit: the first page's
    masthead dates the others (they print no date of their own)."""
    (tmp_path / "pages").mkdir()
    masthead = _block(["THE HARBOUR GAZETTE"], 100, 0, 12, bold=True) + _block(
        ["MONDAY, MARCH 4, 1912"], 100, 50, 9)  # above the first headline (top 100)
    first = page().replace("<block", masthead + "<block", 1)
    (tmp_path / "pages" / "gazette_0001.xml").write_text(first, encoding="utf-8")
    (tmp_path / "pages" / "gazette_0002.xml").write_text(page(), encoding="utf-8")
    store = Store(tmp_path / "store.sqlite3")
    report = ingest(store, [tmp_path / "pages"], jobs=1)
    assert (report.new, report.members, report.rejected) == (1, 1, {})
    assert {(a.page, str(a.date)) for a in store.articles()} >= {(1, "1912-03-04"),
                                                                 (2, "1912-03-04")}
