"""The PAGE XML reader (archive.formats.page_xml): an invented newspaper page in the 2019
schema (regions with words and with line text only, a running head, a rule), the same page
in the 2010 schema's Point coordinates, and bad input."""

from __future__ import annotations

import pytest

from archive.articles import finish
from archive.formats import Input, choose, reader
from archive.formats.page_xml import READER, parse_page
from archive.ingest import ingest
from archive.model import PageMeta, ReadOptions, Rejected
from archive.store import Store

NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"


def _box(left: int, top: int, right: int, bottom: int) -> str:
    return f'<Coords points="{left},{top} {right},{top} {right},{bottom} {left},{bottom}"/>'


def _line(n: str, top: int, text: str, left: int = 100, words: bool = False,
          conf: str = "0.9") -> str:
    right = left + 18 * len(text)
    inner = ""
    if words:
        x = left
        for k, word in enumerate(text.split()):
            inner += (f'<Word id="{n}w{k}">{_box(x, top, x + 18 * len(word), top + 30)}'
                      f'<TextEquiv conf="{conf}"><Unicode>{word}</Unicode></TextEquiv></Word>')
            x += 18 * (len(word) + 1)
    return (f'<TextLine id="{n}">{_box(left, top, right, top + 30)}{inner}'
            f'<TextEquiv><Unicode>{text}</Unicode></TextEquiv></TextLine>')


BODY = ["The harbour board met on Tuesday and", "agreed to dredge the north channel",
        "before the spring tides, at a cost the", "chairman called modest for the work."]
OTHER = ["A new bakery opened in Mill Street on", "Saturday morning, and sold out of its",
         "bread by noon, its owner said gladly."]


def page_document() -> bytes:
    regions = [
        f'<TextRegion id="head" type="header">{_box(100, 40, 1500, 80)}'
        f'{_line("h1", 45, "THE HARBOUR GAZETTE, MARCH 14, 1901.")}</TextRegion>',
        f'<SeparatorRegion id="rule">{_box(100, 95, 1500, 99)}</SeparatorRegion>',
        f'<TextRegion id="t1" type="heading">{_box(100, 120, 800, 170)}'
        f'{_line("t1l", 125, "DREDGING THE CHANNEL", words=True)}</TextRegion>',
        f'<TextRegion id="p1" type="paragraph">{_box(100, 190, 800, 380)}'
        + "".join(_line(f"p1l{k}", 190 + 45 * k, t, words=True) for k, t in enumerate(BODY))
        + "</TextRegion>",
        f'<TextRegion id="t2" type="heading">{_box(100, 420, 800, 470)}'
        f'{_line("t2l", 425, "A NEW BAKERY")}</TextRegion>',
        f'<TextRegion id="p2" type="paragraph">{_box(100, 490, 800, 640)}'
        + "".join(_line(f"p2l{k}", 490 + 45 * k, t) for k, t in enumerate(OTHER))
        + "</TextRegion>"]
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="{NS}"><Metadata>'
            f'<Creator>hand</Creator></Metadata><Page imageFilename="gazette-0003.tif" '
            f'imageWidth="1600" imageHeight="2400" primaryLanguage="English">'
            + "".join(regions) + "</Page></PcGts>").encode()


def read(data: bytes, name: str = "gazette-0003.xml"):
    unit = reader("page-xml").read(Input(name, data), ReadOptions())
    return unit, finish(unit, name, "0" * 64, PageMeta(), ReadOptions()).articles


def test_sniffed_as_page_xml() -> None:
    assert choose("gazette-0003.xml", page_document()).name == "page-xml"


def test_layout_of_the_page() -> None:
    page = parse_page(page_document())
    assert [b.id for b in page.blocks] == ["head", "t1", "p1", "t2", "p2"]
    assert [b.role for b in page.blocks] == ["margin", None, None, None, None]
    assert (page.width, page.height, len(page.rules)) == (1600, 2400, 1)
    body = page.blocks[2]
    assert [w.text for w in body.lines[0].words] == BODY[0].split()
    assert body.lines[0].words[0].confidence == 0.9
    # a line known only as text: its words get boxes cut from the line's, left to right
    bakery = page.blocks[4].lines[0].words
    assert [w.text for w in bakery] == OTHER[0].split()
    assert all(a.box.right < b.box.left for a, b in zip(bakery, bakery[1:], strict=False))
    assert bakery[0].box.left == 100 and bakery[-1].box.right == pytest.approx(
        100 + 18 * len(OTHER[0]))


def test_articles_of_the_page() -> None:
    unit, articles = read(page_document())
    assert [(a.headline, a.page, a.language) for a in articles] == [
        ("DREDGING THE CHANNEL", 3, "English"), ("A NEW BAKERY", 3, "English")]
    assert articles[0].paragraphs == (" ".join(BODY),)
    assert articles[1].paragraphs == (" ".join(OTHER),)
    assert articles[0].confidence == pytest.approx(0.9) and articles[1].confidence is None
    # the running head is furniture: its date is what the page printed
    assert unit.printed.date is not None and unit.printed.date.isoformat() == "1901-03-14"
    assert not any("GAZETTE" in " ".join(a.paragraphs) for a in articles)


def test_the_2010_schema_with_point_children_reads_the_same() -> None:
    import re

    def points(match: re.Match) -> str:
        pairs = [p.split(",") for p in match[1].split()]
        return "<Coords>" + "".join(f'<Point x="{x}" y="{y}"/>' for x, y in pairs) + "</Coords>"

    new = page_document().decode()
    old = re.sub(r'<Coords points="([^"]*)"/>', points, new).replace(
        "2019-07-15", "2010-03-19")
    assert parse_page(old.encode()) == parse_page(new.encode())


@pytest.mark.parametrize(("data", "reason"), [
    (b'<PcGts xmlns="x"><Page><TextRegion id="r"><TextLine id="l"><Coords points="0,0 9,9"/>'
     b"</TextLine></TextRegion></Page></PcGts>", "no text"),  # a layout without text
    (b'<PcGts xmlns="x"><Metadata/></PcGts>', "no text: the PAGE document holds no Page"),
    (b'<PcGts xmlns="x"><Page>', "malformed PAGE XML"),
])
def test_bad_page_xml_is_rejected(data: bytes, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        read(data)


def test_a_page_of_furniture_only_says_what_it_was_taken_for() -> None:
    """Two short lines at the top of a tall page are folio lines: the rejection says how
    many words were taken for which furniture, not that the file holds no words."""
    data = (f'<PcGts xmlns="{NS}"><Page imageWidth="1000" imageHeight="3000">'
            f'<TextRegion id="r">{_box(10, 10, 500, 100)}'
            + _line("l1", 10, "Page 4") + _line("l2", 50, "Monday edition")
            + "</TextRegion></Page></PcGts>").encode()
    with pytest.raises(Rejected) as caught:
        read(data)
    message = str(caught.value)
    assert message.startswith("no article text: the 4 word(s) the file holds were all taken "
                              "for page furniture (")
    assert '"Page 4' in message


def test_regions_with_text_and_no_lines_are_read_by_the_shape_of_their_text() -> None:
    """A PAGE file whose regions give their text whole (layout ground truth, some
    exports), without TextLines: not 'no text', but read as page OCR text, a blank line
    between regions."""
    def region(number: int, kind: str, text: str) -> str:
        top = 100 + 300 * number
        return (f'<TextRegion id="r{number}" type="{kind}"><Coords points="100,{top} '
                f'1900,{top} 1900,{top + 250} 100,{top + 250}"/><TextEquiv><Unicode>'
                f"{text}</Unicode></TextEquiv></TextRegion>")
    body = ("The council met last evening and approved the plans\nfor the new bridge "
            "over the river, which will cost\nless than was feared by the ratepayers.")
    data = ('<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">'
            '<Page imageFilename="p.jpg" imageWidth="2000" imageHeight="3000">'
            + region(0, "heading", "Bridge Plans Approved") + region(1, "paragraph", body)
            + region(2, "heading", "FIRE ON MAIN STREET")
            + region(3, "paragraph", body.replace("council", "fire brigade"))
            + "</Page></PcGts>").encode()
    unit = READER.read(Input("page.xml", data), ReadOptions())
    assert [item.headline for item in unit.items] == ["Bridge Plans Approved",
                                                     "FIRE ON MAIN STREET"]
    assert unit.items[0].blocks == (tuple(body.split("\n")),)
    assert all("no lines" in item.notes[-1] for item in unit.items)


def test_ingested_with_its_reader(tmp_path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "gazette-0003.xml").write_bytes(page_document())
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [folder], ReadOptions(), jobs=1)
        assert report.ingested == 1 and not report.rejected
        assert {s.parser_version for s in store.sources()} == {READER.tag}
        assert len(list(store.articles())) == 2
    finally:
        store.close()


def _tagged(n: str, top: int, text: str, article: str | None) -> str:
    """A line tagged with its article as Transkribus' article separation writes it."""
    line = _line(n, top, text)
    if article is None:
        return line
    return line.replace(f'<TextLine id="{n}">', f'<TextLine id="{n}" custom="readingOrder '
                        f'{{index:0;}} structure {{id:{article}; type:article;}}">')


def tagged_document(articles: dict[str, str | None] | None = None) -> bytes:
    """A page whose first article goes on below the second (column by column, as only its
    tags can tell), with a running head and an untagged advertisement."""
    tag = (articles or {}).get

    def region(rid: str, top: int, lines: list[str], article: str | None, kind: str = ""
               ) -> str:
        kind_attr = f' type="{kind}"' if kind else ""
        return (f'<TextRegion id="{rid}"{kind_attr}>{_box(100, top, 800, top + 45 * len(lines))}'
                + "".join(_tagged(f"{rid}l{k}", top + 45 * k, text, tag(rid, article))
                          for k, text in enumerate(lines)) + "</TextRegion>")

    regions = [region("head", 40, ["THE HARBOUR GAZETTE, MARCH 14, 1901."], None, "header"),
               region("t1", 120, ["DREDGING THE CHANNEL"], "a1", "heading"),
               region("p1", 190, BODY[:2], "a1"),
               region("p2", 320, OTHER, "a2"),
               region("p3", 480, BODY[2:], "a1"),
               region("ad", 600, ["TEAS AND COFFEES at Smith's,", "4 Quay Street."], None)]
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="{NS}"><Page '
            f'imageFilename="gazette-0003.tif" imageWidth="1600" imageHeight="2400">'
            + "".join(regions) + "</Page></PcGts>").encode()


def test_a_page_tagged_with_its_articles_is_read_by_the_tags() -> None:
    unit, articles = read(tagged_document())
    assert [(a.kind, a.page) for a in articles] == [("article", 3), ("article", 3),
                                                     ("other", 3)]
    first, second, ad = articles
    assert first.headline == "DREDGING THE CHANNEL"
    assert " ".join(first.paragraphs) == " ".join(BODY)  # both of its parts, in order
    assert " ".join(second.paragraphs) == " ".join(OTHER)
    assert "Quay Street" in " ".join(ad.paragraphs)  # no article's, kept all the same
    assert unit.printed.date is not None and unit.printed.date.isoformat() == "1901-03-14"
    assert not any("GAZETTE" in " ".join(a.paragraphs) for a in articles)


def test_a_page_mostly_untagged_is_segmented_by_its_layout() -> None:
    # one region of five tagged: the tags are not the page's structure
    few = tagged_document({rid: None for rid in ("t1", "p1", "p2", "ad")})
    none = tagged_document({rid: None for rid in ("t1", "p1", "p2", "p3", "ad")})
    assert [a.paragraphs for a in read(few)[1]] == [a.paragraphs for a in read(none)[1]]
    # (and that is not what the tags give)
    assert [a.paragraphs for a in read(few)[1]] != [
        a.paragraphs for a in read(tagged_document())[1]]


def _with_order(order: str) -> bytes:
    """The page with a ReadingOrder element (PAGE 2019: it opens the Page)."""
    return page_document().replace(b'primaryLanguage="English">',
                                   b'primaryLanguage="English">' + order.encode(), 1)


def test_a_stated_reading_order_orders_the_regions() -> None:
    refs = "".join(f'<RegionRefIndexed index="{n}" regionRef="{ref}"/>'
                   for n, ref in enumerate(["t2", "p2", "t1", "p1"]))
    page = parse_page(_with_order(
        f'<ReadingOrder><OrderedGroup id="g">{refs}</OrderedGroup></ReadingOrder>'))
    # the regions it leaves out (the running head) follow in document order
    assert [b.id for b in page.blocks] == ["t2", "p2", "t1", "p1", "head"]
    assert page.ordered
    # indexes, not the members' document order, give the order; a nested group is
    # read in its place
    nested = parse_page(_with_order(
        '<ReadingOrder><OrderedGroup id="g"><RegionRefIndexed index="1" regionRef="t1"/>'
        '<OrderedGroupIndexed id="g2" index="0"><RegionRefIndexed index="1" regionRef="p2"/>'
        '<RegionRefIndexed index="0" regionRef="t2"/></OrderedGroupIndexed>'
        '<RegionRefIndexed index="2" regionRef="p1"/></OrderedGroup></ReadingOrder>'))
    assert [b.id for b in nested.blocks] == ["t2", "p2", "t1", "p1", "head"]


def test_no_stated_order_keeps_the_document_order() -> None:
    unordered = parse_page(_with_order(
        '<ReadingOrder><UnorderedGroup id="g"><RegionRef regionRef="p2"/>'
        '<RegionRef regionRef="t2"/></UnorderedGroup></ReadingOrder>'))
    for page in (parse_page(page_document()), unordered):
        assert [b.id for b in page.blocks] == ["head", "t1", "p1", "t2", "p2"]
        assert not page.ordered
