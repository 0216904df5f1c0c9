"""The hOCR reader (archive.formats.hocr): a golden test on an invented page, the parts of
the format one by one (classes, title properties, rules read as text, several pages),
safe parsing (XHTML through archive.formats.xmlsafe, HTML without fetching anything), and
the shared hOCR pages ingested end to end."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from archive.formats import Input, reader
from archive.formats.hocr import READER, parse_hocr, properties
from archive.ingest import ingest
from archive.model import ReadOptions, Rejected
from archive.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hocr"
PAGE = FIXTURES / "valley-herald-2.hocr"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SHARED_HOCR = CORPUS / "hocr" / "OlivierBinette__TessTools" / "data-raw" / "hocr"


def read(data: bytes):
    return READER.read(Input("page.hocr", data), ReadOptions())


def as_golden(unit) -> dict:
    def item(i) -> dict:
        return {"headline": i.headline, "subtitle": i.subtitle, "kind": i.kind,
                "page": i.page, "language": i.language,
                "confidence": round(i.confidence, 4) if i.confidence is not None else None,
                "blocks": [list(b) for b in i.blocks]}
    printed = unit.printed
    return {"items": [item(i) for i in unit.items],
            "stripped": [[s.kind, s.text] for s in unit.stripped],
            "printed": {"date": printed.date.isoformat() if printed.date else None,
                        "page": printed.page, "language": printed.language,
                        "publication": printed.publication}}


def test_golden_page():
    expected = json.loads((FIXTURES / "valley-herald-2.expected.json").read_text("utf-8"))
    assert as_golden(read(PAGE.read_bytes())) == expected


def test_registered_under_its_name():
    assert reader("hocr") is READER
    assert (READER.name, READER.version, READER.max_bytes) == ("hocr", "20", 32 * 1024 * 1024)


def test_page_geometry_words_and_fonts():
    page, = parse_hocr(PAGE.read_bytes())
    assert (page.width, page.height, page.number) == (2000, 3000, 1)
    words = [w for b in page.blocks for line in b.lines for w in line.words]
    assert all(w.text.strip() for w in words)  # white-space "words" are not words
    assert {w.confidence for w in words} == {0.93, 0.6}  # x_wconf / 100
    title = next(b for b in page.blocks if b.lines[0].text == "THE VALLEY HERALD")
    assert title.role == "header" and title.lines[0].font_size == 40  # x_fsize
    assert title.language == "eng"
    body = next(b for b in page.blocks if b.lines[0].text.startswith("The new iron"))
    assert body.role is None and body.box is not None and len(body.lines) == 4
    # Two rules read as text: the cut-off rule across the page and the column rule.
    assert (100, 330, 1900, 340) in [(r.left, r.top, r.right, r.bottom) for r in page.rules]
    assert any(r.height > 20 * r.width for r in page.rules)


def test_title_properties():
    props = properties('image "/home/x/scan; 1.png"; bbox 1 2 30 40; x_wconf 96; ppageno 3')
    assert props["bbox"] == "1 2 30 40" and props["x_wconf"] == "96"
    assert props["ppageno"] == "3"


HTML_PAGE = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="ocr-system" content="some engine">
<title>scan</title></head><body>
<div class="ocr_page" title="bbox 0 0 1000 1000">
<div class="ocr_carea" title="bbox 10 10 900 200"><p class="ocr_par" lang="deu">
<span class="ocr_line" title="bbox 10 10 900 40"><span class="ocrx_word"
 title="bbox 10 10 200 40; x_wconf 80">Gestern</span> <span class="ocrx_word"
 title="bbox 220 10 400 40; x_wconf 90">Abend</span><br>
</span></p></div></div></body></html>"""


def test_html_hocr_that_is_not_xml_is_read_tolerantly():
    page, = parse_hocr(HTML_PAGE)
    assert [line.text for b in page.blocks for line in b.lines] == ["Gestern Abend"]
    unit = read(HTML_PAGE)
    assert unit.items[0].language == "German"
    assert unit.items[0].confidence == pytest.approx(0.85)


def test_malformed_xhtml_is_rejected_not_guessed_at():
    data = PAGE.read_bytes()
    with pytest.raises(Rejected, match="malformed hOCR at line"):
        read(data[: len(data) // 2])


def test_nothing_is_fetched_or_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", "utf-8")
    entity = f'<!DOCTYPE html [<!ENTITY s SYSTEM "file://{secret}">]>'.encode()
    xhtml = PAGE.read_bytes().replace(
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
        b'    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">', entity).replace(
        b">BRIDGE<", b">&s;<")
    html = HTML_PAGE.replace(b"<!DOCTYPE html>", entity).replace(b">Abend<", b">&s;<")
    for data in (xhtml, html):
        try:
            pages = parse_hocr(data)
        except Rejected:
            continue
        text = " ".join(line.text for p in pages for b in p.blocks for line in b.lines)
        assert "TOPSECRET" not in text


def test_several_pages_number_their_items():
    one = PAGE.read_bytes()
    start = one.index(b"<div class='ocr_page'")
    end = one.rindex(b"</div>") + len(b"</div>")
    page = one[start:end]
    both = one[:end] + b"\n" + page.replace(b"ppageno 0", b"ppageno 1") + one[end:]
    pages = parse_hocr(both)
    assert [p.number for p in pages] == [1, 2]
    unit = read(both)
    assert len(unit.items) == 6
    # The folio "2" of the first page is what the page printed.
    assert {i.page for i in unit.items} == {2}


def _loose_lines_page(stories: list[tuple[str, str]], words_marked: bool = True) -> bytes:
    """hOCR as kraken and ocropy write it: lines straight under the page, no ocr_carea or
    ocr_par; headlines twice the body's height, left-aligned as the body. Without
    words_marked, each line holds its text with no ocrx_word (ocropy's hOCR)."""
    out, top = [], 100

    def line(text: str, height: int) -> str:
        nonlocal top
        words, left = [], 100
        for word in text.split():
            width = len(word) * height // 2
            words.append(f'<span class="ocrx_word" title="bbox {left} {top} {left + width} '
                         f'{top + height}; x_wconf 91">{word}</span>')
            left += width + height // 2
        made = f'<span class="ocr_line" title="bbox 100 {top} {left} {top + height}">' \
            + (" ".join(words) if words_marked else text) + "</span>"
        top += int(height * 1.4)
        return made

    for head, body in stories:
        out.append(line(head, 60))
        words = body.split()
        out += [line(" ".join(words[i:i + 7]), 30) for i in range(0, len(words), 7)]
        top += 40
    return ('<html><body><div class="ocr_page" title="bbox 0 0 2000 3000">'
            + "\n".join(out) + "</div></body></html>").encode()


def test_lines_straight_under_the_page_are_cut_at_headlines_in_larger_type():
    data = _loose_lines_page([
        ("CITY COUNCIL MEETS", "The city council met last evening and approved the plans "
         "for the new bridge over the river, which will cost less than was feared."),
        ("Fire on Main Street", "A fire broke out early this morning in the hardware store "
         "on Main street and destroyed the building before the firemen could save it.")])
    unit = READER.read(Input("p.hocr", data), ReadOptions())
    assert [item.headline for item in unit.items] == ["CITY COUNCIL MEETS",
                                                     "Fire on Main Street"]


def test_lines_without_marked_words_are_cut_at_headlines_too():
    """A line that holds its text with no ocrx_word is cut into words (boxes shared out
    by letters, as PAGE XML's line text is), so that the headline's type is measured."""
    stories = [("CITY COUNCIL MEETS", "The city council met last evening and approved the "
                "plans for the new bridge over the river, which will cost less than was "
                "feared."),
               ("Fire on Main Street", "A fire broke out early this morning in the hardware "
                "store on Main street and destroyed the building before the firemen could "
                "save it.")]
    page = parse_hocr(_loose_lines_page(stories, words_marked=False))[0]
    first = page.blocks[0].lines[0]
    assert [w.text for w in first.words] == ["CITY", "COUNCIL", "MEETS"]
    assert first.words[0].box.left == first.box.left
    assert first.words[-1].box.right == pytest.approx(first.box.right)
    unit = READER.read(Input("p.hocr", _loose_lines_page(stories, words_marked=False)),
                       ReadOptions())
    assert [item.headline for item in unit.items] == ["CITY COUNCIL MEETS",
                                                     "Fire on Main Street"]


def test_empty_page_is_rejected():
    empty = b"<html><body><div class='ocr_page' title='bbox 0 0 10 10'></div></body></html>"
    with pytest.raises(Rejected, match="no text"):
        read(empty)


def test_a_lone_page_takes_no_number_from_ppageno():
    unit = read(PAGE.read_bytes().replace(b"ppageno 0", b"ppageno 7").replace(
        b">2</span>", b">x</span>"))
    assert {i.page for i in unit.items} == {None}


def test_a_lone_page_takes_its_number_from_its_file_name():
    data = PAGE.read_bytes().replace(b">2</span>", b">x</span>")  # no folio printed
    unit = READER.read(Input("scans/valley-herald-1901-05.hocr", data), ReadOptions())
    assert {i.page for i in unit.items} == {5}
    dated = READER.read(Input("scans/valley-herald-1901-05-03.hocr", data), ReadOptions())
    assert {i.page for i in dated.items} == {None}  # a date, not a page


@pytest.mark.slow
def test_shared_hocr_pages_are_ingested_end_to_end(tmp_path):
    if not SHARED_HOCR.is_dir():
        pytest.skip("the shared corpus is not on this machine")
    source = tmp_path / "hocr"
    shutil.copytree(SHARED_HOCR, source)
    files = sorted(p.name for p in source.iterdir())
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [source], ReadOptions(), jobs=1)
        articles = list(store.articles())
        sources = {Path(r.path).name: r for r in store.sources()}
    finally:
        store.close()
    # the four pages of one issue ("dchnp71001-1.hocr" .. "-4") are one unit: its first
    # page's file, the others read with it
    assert report.seen == 1 and report.members == 3 and len(files) == 4
    assert report.accounted == report.seen and not report.rejected
    assert sorted(sources) == files[:1]
    head = sources[files[0]]
    assert head.status == "ingested" and head.parser_version == READER.tag
    assert sorted(Path(a.source).name for a in articles) == [files[0]] * len(articles)
    by_page = {page: [a for a in articles if a.page == page] for page in (1, 2, 3, 4)}
    assert all(len(found) >= 2 for found in by_page.values())
    headlines = {a.headline for a in articles}
    assert "HESPERIAN VS. COLUMBIAN." in headlines
    assert all(a.language == "English" for a in articles)
    # the date the first page's folio prints reaches every page of the issue
    assert {a.date.isoformat() if a.date else None for a in articles} == {"1905-12-19"}
    with gzip.open(SHARED_HOCR / "dchnp71001-1.hocr.gz") as stream:
        assert b"/home/" in stream.read(2000)  # the image path the reader ignores


def test_whole_xhtml_that_is_not_well_formed_is_read_as_html():
    """ocropy writes hOCR that says it is XHTML with unclosed <meta>s: whole (it ends with
    </html>), it is read as HTML; cut short, it is still rejected (above)."""
    data = PAGE.read_bytes().replace(b"<head>", b"<head><meta name='DC.creator' content='x'>",
                                     1)
    with pytest.raises(Rejected):
        parse_hocr(data[: len(data) // 2])
    assert [i.blocks for i in read(data).items] == [i.blocks for i in read(PAGE.read_bytes())
                                                    .items]


def test_text_straight_in_a_page_is_kept():
    data = (b"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page'>Page "
            b"one of the <b>minutes</b></div><div class='ocr_page'>Page two</div></body></html>")
    assert [i.blocks for i in read(data).items] == [(("Page one of the minutes",),),
                                                     (("Page two",),)]


@pytest.mark.parametrize(("confs", "expected"), [("0.9 0.8 1.0", 0.9), ("90 80 100", 0.9)])
def test_character_confidences_make_the_word_confidence(confs, expected):
    """kraken gives no x_wconf, only x_confs per character (0-1; Tesseract's are 0-100)."""
    data = (f"<html><body><div class='ocr_page' title='bbox 0 0 100 100'><span "
            f"class='ocr_line' title='bbox 0 0 90 10'><span class='ocrx_word' title='bbox 0 0 "
            f"20 10; x_confs {confs}'>The</span></span></div></body></html>").encode()
    assert read(data).items[0].confidence == pytest.approx(expected)
