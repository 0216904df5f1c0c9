"""ALTO pages into layout: every dialect (NDNP 1.x in the CCS namespace, BL 1.4 without a
namespace, loc.gov v2/v3/v4), hyphenation, confidences, fonts, rules, IDs; bad input; the
reader of an ALTO page met without its METS."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from archive.formats import Input, reader
from archive.formats.alto import MAX_BYTES, parse_alto, read_alto
from archive.formats.word_lines import unwrapped
from archive.layout import line_texts
from archive.model import ReadOptions, Rejected

FIXTURES = Path(__file__).parent / "fixtures" / "mets"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
NDNP = CORPUS / "chronam-ocr" / "LibraryOfCongress__chronam" / "core" / "test-data" / "ocr.xml.gz"


def _words(page):
    return [w for block in page.blocks for line in block.lines for w in line.words]


def _alto(namespace: str | None, body: str, head: str = "") -> bytes:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (f'<?xml version="1.0"?>{head}<alto{xmlns}><Layout><Page ID="P1" WIDTH="100" '
            f'HEIGHT="200">{body}</Page></Layout></alto>').encode()


def test_ndnp_page_in_the_ccs_namespace() -> None:
    alto = read_alto((FIXTURES / "alto" / "ndnp-page.xml").read_bytes())
    page = alto.page
    assert (page.number, page.width, page.height, page.confidence) == (3, 19000, 26000, None)
    assert page.ordered  # ALTO's element order is the page's reading order
    assert [b.role for b in page.blocks] == ["margin", None, None, "caption"]
    running_head, headline, body, caption = page.blocks
    assert line_texts(running_head.lines) == ["THE EVENING STAR, MONDAY, MAY 4, 1903."]
    # every line has a TextStyle size, so sizes are points: the headline's words say 20
    assert [line.font_size for line in headline.lines + body.lines] == [20, 8, 8, 8, 8]
    assert line_texts(body.lines) == ["The old bridge over the Harbor", "fell at noon.",
                                      "Nobody was hurt-", "ing today."]
    har, bor = body.lines[0].words[-1], body.lines[1].words[0]
    assert (har.text, har.hyphen_part, har.hyphen_whole) == ("Har-", 1, "Harbor")
    assert (bor.text, bor.hyphen_part, bor.hyphen_whole) == ("bor", 2, None)
    words = {w.text: w for w in _words(page)}
    assert words["old"].confidence == pytest.approx(1 - 3 / 9)  # CC "0 0 9": 0 is sure
    assert words["at"].confidence == pytest.approx(1 - 0.5 / 9)  # CC "0101"
    assert body.lines[0].words[4].confidence == 1.0  # "the": WC 1.4 is held to 1
    assert words["fell"].confidence is None  # WC "x" and no CC
    assert words["BRIDGE"].confidence == 0.95
    assert words["hurt-"].hyphen_part == 0  # a HYP without SUBS_TYPE: the hyphen stays
    assert "   " not in words  # a String of blanks is no word
    # the thin GraphicalElement is a rule; the picture inside the ComposedBlock is not
    assert [(r.left, r.top, r.right, r.bottom) for r in page.rules] == [(6800, 1500, 6820,
                                                                         21500)]


def test_ids_lead_to_words() -> None:
    alto = read_alto((FIXTURES / "alto" / "ndnp-page.xml").read_bytes())
    body = alto.page.blocks[2]
    first, last = alto.span(body.id)
    assert [alto.word(i).text for i in range(first, last)][:3] == ["The", "old", "bridge"]
    assert alto.locate(body.lines[1].words[0].id) == (2, 1, 0)
    assert alto.span(body.lines[0].words[1].id, body.lines[0].words[3].id) == (first + 1,
                                                                                first + 4)
    assert alto.span("P3") == (0, len(alto.places))  # the Page's own ID
    assert alto.span("nonexistent") is None
    assert alto.blocks[2] == (first, last)
    start, end = alto.spans["P3_ST00024"]  # the String of blanks: known, but holds no word
    assert start == end and alto.locate("P3_ST00024") is None


def test_bl_page_without_namespace_uses_line_heights() -> None:
    alto = read_alto((FIXTURES / "courier" / "courier_0001.xml").read_bytes())
    page = alto.page
    assert (page.number, page.confidence) == (1, 0.85)
    # FONTSIZE="0" says nothing: every line gets its height instead, in pixels
    assert [line.font_size for b in page.blocks for line in b.lines] == [295, 35, 35, 35, 35,
                                                                          35]
    first, end = alto.span("word000004", "word000007")
    assert " ".join(alto.word(i).text for i in range(first, end)) == "A STORM AT SEA."
    assert page.blocks[1].id == "pa0001001"


def test_v3_margins_and_composed_blocks() -> None:
    page = parse_alto((FIXTURES / "harbour" / "text" / "harbour-00001.xml").read_bytes())
    roles = {b.id: b.role for b in page.blocks}
    assert roles["P1_TB00014"] == "margin"  # the folio in the BottomMargin
    assert roles["P1_TB00011"] == roles["P1_TB00012"] == "advertisement"  # ComposedBlock TYPE
    assert roles["P1_TB00005"] is None
    assert page.confidence == 0.871
    assert {line.font_size for b in page.blocks for line in b.lines} == {24, 10, 14}


@pytest.mark.parametrize("namespace", [None, "http://schema.ccs-gmbh.com/ALTO",
                                       "http://www.loc.gov/standards/alto/ns-v2#",
                                       "http://www.loc.gov/standards/alto/ns-v3#",
                                       "http://www.loc.gov/standards/alto/ns-v4#"])
def test_every_dialect_reads_the_same(namespace: str | None) -> None:
    body = ('<PrintSpace><ComposedBlock ID="C1"><TextBlock ID="B1"><TextLine ID="L1">'
            '<String ID="S1" CONTENT="Hello" WC="0.5"/><SP/><String ID="S2" CONTENT="wor" '
            'SUBS_TYPE="HypPart1" SUBS_CONTENT="world"/><HYP CONTENT="¬"/></TextLine>'
            '<TextLine><String CONTENT="ld" SUBS_TYPE="HypPart2" SUBS_CONTENT="world"/>'
            '</TextLine></TextBlock></ComposedBlock></PrintSpace>')
    alto = read_alto(_alto(namespace, body))
    assert line_texts(alto.page.blocks[0].lines) == ["Hello world"]
    assert alto.span("C1") == (0, 3)
    assert _words(alto.page)[0].confidence == 0.5


def test_a_page_without_words() -> None:
    alto = read_alto(_alto(None, "<PrintSpace/>"))
    assert alto.page.blocks == () and alto.places == ()


@pytest.mark.parametrize("data, reason", [
    (b"<alto><Layout><Page>", "malformed ALTO at line 1"),  # truncated
    (b"<alto><Layout></Page></alto>", "malformed ALTO at line 1"),
    (b"", "malformed ALTO"),
    (b"<mets/>", "not ALTO: the root element is <mets>"),
])
def test_bad_xml_is_rejected(data: bytes, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        read_alto(data)


def test_entity_bomb_is_stopped() -> None:
    entities = '<!ENTITY e0 "lol">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    data = _alto(None, '<PrintSpace><TextBlock><TextLine><String CONTENT="&e9;"/></TextLine>'
                 '</TextBlock></PrintSpace>', f"<!DOCTYPE alto [{entities}]>")
    with pytest.raises(Rejected, match="malformed ALTO at line 1: .*amplification"):
        read_alto(data)


def test_external_entities_are_never_read() -> None:
    head = '<!DOCTYPE alto [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    in_attribute = _alto(None, '<PrintSpace><TextBlock><TextLine><String CONTENT="&xxe;"/>'
                         '</TextLine></TextBlock></PrintSpace>', head)
    with pytest.raises(Rejected, match="malformed ALTO .*external entity"):
        read_alto(in_attribute)
    in_text = _alto(None, '<PrintSpace><TextBlock><TextLine><String CONTENT="safe"/>&xxe;'
                    '</TextLine></TextBlock></PrintSpace>', head)
    with pytest.raises(Rejected, match=r"^ALTO declares its own entities \(xxe\)"):
        read_alto(in_text)


def test_internal_entities_are_rejected_not_expanded() -> None:
    """libxml2 would expand an internal entity inside an attribute (where ALTO keeps its
    words) and drop it from element text: neither is the page as printed."""
    head = '<!DOCTYPE alto [<!ENTITY who "Smith"><!ENTITY e2 "x"><!ENTITY e3 "y">' \
           '<!ENTITY e4 "z">]>'
    page = _alto(None, '<PrintSpace><TextBlock><TextLine><String CONTENT="&who;"/>'
                 '</TextLine></TextBlock></PrintSpace>', head)
    with pytest.raises(Rejected, match=r"declares its own entities \(who, e2, e3, \.\.\.\)"
                                       r" in its DOCTYPE"):
        read_alto(page)
    # a DOCTYPE without entity declarations (as XHTML hOCR carries) is read as before
    plain = _alto(None, '<PrintSpace><TextBlock><TextLine><String CONTENT="Smith"/>'
                  '</TextLine></TextBlock></PrintSpace>', '<!DOCTYPE alto [<!ELEMENT alto ANY>]>')
    assert [w.text for w in _words(read_alto(plain).page)] == ["Smith"]


# --- the reader of an ALTO page without its METS ----------------------------------------

def test_reader_segments_the_page_by_its_layout() -> None:
    alto = reader("alto")
    assert (alto.name, alto.version, alto.max_bytes, alto.members) == ("alto", "23", MAX_BYTES,
                                                                        None)
    unit = alto.read(Input("p.xml", (FIXTURES / "alto" / "ndnp-page.xml").read_bytes()),
                     ReadOptions())
    assert unit.items and all(item.page == 3 for item in unit.items)
    words = [w for item in unit.items for block in item.blocks for line in block
             for w in line.split()] + [w for s in unit.stripped for w in s.text.split()]
    assert words and not any("<" in w for w in words)


def _unplaced_alto(stories: list[tuple[str, str]]) -> bytes:
    """An ALTO v3 page of headline and body blocks whose words have no positions (ALTO
    makes them optional), six words a line."""
    def strings(text: str) -> str:
        return "<SP/>".join(f'<String CONTENT="{w}" WC="0.9"/>' for w in text.split())
    blocks = []
    for n, (head, body) in enumerate(stories):
        words = body.split()
        lines = "".join(f"<TextLine>{strings(' '.join(words[i:i + 6]))}</TextLine>"
                        for i in range(0, len(words), 6))
        blocks.append(f'<TextBlock ID="h{n}"><TextLine>{strings(head)}</TextLine></TextBlock>'
                      f'<TextBlock ID="t{n}">{lines}</TextBlock>')
    return ('<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout>'
            '<Page ID="p" PHYSICAL_IMG_NR="2"><PrintSpace>' + "".join(blocks)
            + "</PrintSpace></Page></Layout></alto>").encode()


def test_a_page_whose_words_have_no_positions_is_segmented_by_its_text() -> None:
    """Without positions there is no layout to measure: the page is read as page OCR
    text (blocks parted by blank lines), not made one article."""
    data = _unplaced_alto([
        ("CITY COUNCIL MEETS", "The city council met last evening and approved the plans "
         "for the new bridge over the river, which will cost less than was feared."),
        ("FIRE ON MAIN STREET", "A fire broke out early this morning in the hardware store "
         "on Main street and destroyed the building before the firemen could save it.")])
    unit = reader("alto").read(Input("p.xml", data), ReadOptions())
    assert [item.headline for item in unit.items] == ["CITY COUNCIL MEETS",
                                                     "FIRE ON MAIN STREET"]
    assert all(item.page == 2 and item.notes[-1].startswith("the page gives its words no "
                                                            "positions") for item in unit.items)
    assert " ".join(unit.items[1].blocks[0]).endswith("before the firemen could save it.")


def test_reader_rejects_a_page_without_words() -> None:
    with pytest.raises(Rejected, match="^no text: the ALTO page holds no words"):
        reader("alto").read(Input("p.xml", _alto(None, "<PrintSpace/>")), ReadOptions())


@pytest.mark.slow
def test_ndnp_page_of_the_corpus(tmp_path: Path) -> None:
    """The Chronicling America ALTO page (NDNP, inch1200): every word and hyphen read."""
    if not NDNP.exists():
        pytest.skip("shared corpus absent")
    alto = read_alto(gzip.decompress(NDNP.read_bytes()))
    words = _words(alto.page)
    assert len(words) == 5122  # every String of the page holds a word
    assert sum(w.hyphen_part == 1 for w in words) == 98
    assert sum(1 for w in words if w.hyphen_part == 1 and w.hyphen_whole) == 98
    assert all(0 <= w.confidence <= 1 for w in words)
    texts = [t for b in alto.page.blocks for t in line_texts(b.lines)]
    assert any("Harbor" in t for t in texts)
    segment = pytest.importorskip("archive.segmentation").segment
    if not segment(alto.page)[0]:
        pytest.skip("archive.segmentation finds no items yet")
    unit = reader("alto").read(Input("ocr.xml", gzip.decompress(NDNP.read_bytes())),
                               ReadOptions())
    assert unit.items and all("<String" not in line for item in unit.items
                              for block in item.blocks for line in block)


def test_infinite_coordinates_leave_a_word_without_a_box() -> None:
    """1e309 reads as infinity: such a box is no box (a word or block with it is still
    read), so geometry never meets an infinite width, and the page is read, not failed."""
    body = ('<PrintSpace><TextBlock ID="B1" HPOS="1" VPOS="1" WIDTH="1e309" HEIGHT="20">'
            '<TextLine HPOS="1" VPOS="1" WIDTH="90" HEIGHT="10">'
            '<String CONTENT="Endless" HPOS="1" VPOS="1" WIDTH="1e309" HEIGHT="10"/>'
            '<SP/><String CONTENT="column" HPOS="50" VPOS="1" WIDTH="30" HEIGHT="10"/>'
            '</TextLine></TextBlock></PrintSpace>')
    page = parse_alto(_alto(None, body))
    words = {w.text: w for w in _words(page)}
    assert words["Endless"].box is None and words["column"].box is not None
    assert page.blocks[0].box is None
    unit = reader("alto").read(Input("p.xml", _alto(None, body)), ReadOptions())
    assert "Endless column" in " ".join(line for item in unit.items for block in item.blocks
                                        for line in block)


def test_utf8_declared_latin1_and_mojibake_are_repaired():
    """A page whose bytes are UTF-8 under a declaration of ISO-8859-1 is read as UTF-8;
    text a parser decoded gets decode()'s repairs (here mojibake written into a UTF-8
    page: "fidÃ¨le"); an honest ISO-8859-1 page is read as declared."""
    from archive.articles import finish
    from archive.model import PageMeta

    def page(words: str, declared: str) -> bytes:
        strings = "".join(f'<String CONTENT="{w}" HPOS="{10 * n}" VPOS="10" WIDTH="9" '
                          f'HEIGHT="9"/>' for n, w in enumerate(words.split()))
        return (f'<?xml version="1.0" encoding="{declared}"?>\n<alto><Layout><Page ID="P1">'
                f'<PrintSpace><TextBlock ID="B1"><TextLine>{strings}</TextLine></TextBlock>'
                '</PrintSpace></Page></Layout></alto>')

    def text(data: bytes) -> str:
        unit = reader("alto").read(Input("p.xml", data), ReadOptions())
        return " ".join(finish(unit, "p.xml", "0" * 64, PageMeta(), ReadOptions())
                        .articles[0].paragraphs)

    words = "SUPPLÉMENT LITTÉRAIRE une femme fidèle"
    assert text(page(words, "ISO-8859-1").encode("utf-8")) == words
    assert text(page(words, "ISO-8859-1").encode("latin-1")) == words
    mojibake = words.encode("utf-8").decode("latin-1")
    assert text(page(mojibake, "UTF-8").encode("utf-8")) == words


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-16-le"])
def test_a_page_in_utf16_is_read_as_alto_not_as_text(tmp_path: Path, codec: str) -> None:
    """UTF-16 (with its byte-order mark, or told by the zero bytes of "<?xml") is XML all
    the same: the ALTO reader reads it, and finds what it finds in the UTF-8 page."""
    from archive.ingest import ingest
    from archive.store import Store

    page = (FIXTURES / "alto" / "ndnp-page.xml").read_text(encoding="utf-8")
    (tmp_path / "utf8").mkdir()
    (tmp_path / "wide").mkdir()
    (tmp_path / "utf8" / "p.xml").write_text(page, encoding="utf-8")
    wide = page.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    assert wide != page
    (tmp_path / "wide" / "p.xml").write_bytes(wide.encode(codec))
    found = {}
    for name in ("utf8", "wide"):
        store = Store(tmp_path / f"{name}.sqlite3")
        assert ingest(store, [tmp_path / name], jobs=1).rejected == {}
        found[name] = [(a.headline, a.paragraphs) for a in store.articles()]
    assert found["wide"] == found["utf8"] and found["utf8"]


@pytest.mark.parametrize(("namespace", "number"), [
    ("http://schema.ccs-gmbh.com/ALTO", None),  # NDNP: a frame of the reel, not a page
    (None, 529), ("http://www.loc.gov/standards/alto/ns-v3#", 529)])
def test_physical_img_nr_counts_pages_except_on_a_reel(namespace, number) -> None:
    data = _alto(namespace, "<PrintSpace/>").replace(b'ID="P1"', b'ID="P1" PHYSICAL_IMG_NR="529"')
    assert read_alto(data, layout=True).page.number == read_alto(data).number == number
    printed = data.replace(b'PHYSICAL_IMG_NR="529"', b'PHYSICAL_IMG_NR="529" PRINTED_IMG_NR="3"')
    assert read_alto(printed).number == 3


def test_a_textline_holding_a_blocks_every_row_is_read_as_rows() -> None:
    """A converter may write a whole block's words into one TextLine (its box as tall as the
    block): the words' boxes say where each row starts again at the left."""
    rows = [["FIRE", "AT", "THE", "MILL."], ["The", "mill", "burnt", "down"],
            ["on", "Tuesday", "night."]]
    strings = "".join(
        f'<String CONTENT="{word}" HPOS="{10 + 60 * col}" VPOS="{20 + 40 * row}" WIDTH="50" '
        f'HEIGHT="30"/>' for row, words in enumerate(rows) for col, word in enumerate(words))
    tall = _alto(None, f'<PrintSpace><TextBlock><TextLine HPOS="10" VPOS="20" WIDTH="240" '
                       f'HEIGHT="110">{strings}</TextLine></TextBlock></PrintSpace>')
    (block,) = unwrapped(parse_alto(tall)).blocks
    assert [[w.text for w in line.words] for line in block.lines] == rows
    assert [line.box.top for line in block.lines] == [20, 60, 100]
    # the layout itself keeps the source's lines (an issue's readers index them)
    assert len(parse_alto(tall).blocks[0].lines) == 1
    # a line of one row keeps its own box, however tall
    single = tall.replace(b'VPOS="60"', b'VPOS="20"').replace(b'VPOS="100"', b'VPOS="20"')
    (block,) = unwrapped(parse_alto(single)).blocks
    assert len(block.lines) == 1 and block.lines[0].box.height == 110
    # the reader of a page alone reads the rows
    unit = reader("alto").read(Input("p.xml", tall), ReadOptions())
    assert [line for item in unit.items for block in item.blocks for line in block][:1] == [
        "FIRE AT THE MILL."]


def test_a_doctype_naming_a_dtd_on_the_web_is_read_without_fetching_it() -> None:
    """An external DTD a DOCTYPE names (XHTML's, a vendor's) is never loaded, and the
    document is read all the same (libxml2 failed it when IDs were not collected)."""
    page = _alto(None, '<PrintSpace><TextBlock><TextLine><String CONTENT="Smith"/>'
                 '</TextLine></TextBlock></PrintSpace>',
                 '<!DOCTYPE alto PUBLIC "-//Example//DTD ALTO//EN" '
                 '"http://example.invalid/alto.dtd">')
    assert [w.text for w in _words(read_alto(page).page)] == ["Smith"]


def _even_page(words: int, confidence: str) -> bytes:
    """A page of one block of `words` words, each with the WC `confidence`, but the last
    with 0.7 when `confidence` is "varied"."""
    wc = ["0.9"] * words if confidence == "varied" else [confidence] * words
    if confidence == "varied":
        wc[-1] = "0.7"
    strings = "<SP/>".join(f'<String ID="s{n}" CONTENT="word{n}" HPOS="{n % 10 * 9}" '
                           f'VPOS="{n // 10 * 12}" WIDTH="8" HEIGHT="10" WC="{c}"/>'
                           for n, c in enumerate(wc))
    return _alto(None, f'<TextBlock ID="b1"><TextLine ID="l1">{strings}</TextLine></TextBlock>')


@pytest.mark.parametrize(("words", "confidence", "read"), [
    (60, "0.5", set()),  # one value on every word: a placeholder (RERO's), no confidence
    (60, "1", set()),
    (60, "varied", {0.9, 0.7}),  # an OCR engine's own
    (20, "0.5", {0.5}),  # too few words to tell a placeholder
])
def test_one_wc_on_every_word_of_a_page_is_a_placeholder_not_a_confidence(
        words: int, confidence: str, read: set) -> None:
    data = _even_page(words, confidence)
    assert {c for c in read_alto(data).confidences if c is not None} == read
    assert {w.confidence for w in _words(parse_alto(data)) if w.confidence is not None} == read
