"""METS of OCR-D workspaces: every OCR run of a page named (several ALTO groups, PAGE XML
of each processing step), the pages read once each; pages with PAGE XML and no ALTO read
from the PAGE file that holds their text, found by layout segmentation, with the issue's
MODS record."""

from __future__ import annotations

from pathlib import Path

from archive.formats import Input, reader
from archive.ingest import ingest
from archive.model import ReadOptions
from archive.store import Store
from tests.test_mets import FIXTURES, read_issue
from tests.test_page_xml import NS, page_document, tagged_document

OCRD_METS = """<?xml version="1.0" encoding="UTF-8"?>
<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">
  <mets:fileSec>
    <mets:fileGrp USE="OCR-D-IMG">
      <mets:file ID="IMG_1" MIMETYPE="image/tiff"><mets:FLocat xlink:href="img/1.tif"/></mets:file>
      <mets:file ID="IMG_2" MIMETYPE="image/tiff"><mets:FLocat xlink:href="img/2.tif"/></mets:file>
    </mets:fileGrp>
    <mets:fileGrp USE="OCR-D-GT-SEG-PAGE">
      <mets:file ID="PAGE_1" MIMETYPE="application/vnd.prima.page+xml">
        <mets:FLocat xlink:href="page/1.xml"/></mets:file>
      <mets:file ID="PAGE_2" MIMETYPE="application/vnd.prima.page+xml">
        <mets:FLocat xlink:href="page/2.xml"/></mets:file>
    </mets:fileGrp>
    <mets:fileGrp USE="OCR-D-OCR-ALTO">
      <mets:file ID="ALTO_1" MIMETYPE="application/alto+xml">
        <mets:FLocat xlink:href="alto/1.xml"/></mets:file>
      <mets:file ID="ALTO_2" MIMETYPE="application/alto+xml">
        <mets:FLocat xlink:href="alto/2.xml"/></mets:file>
    </mets:fileGrp>
    <mets:fileGrp USE="OCR-D-OCR-TESS-ALTO">
      <mets:file ID="TESS_1" MIMETYPE="application/alto+xml">
        <mets:FLocat xlink:href="tess/1.xml"/></mets:file>
      <mets:file ID="TESS_2" MIMETYPE="application/alto+xml">
        <mets:FLocat xlink:href="tess/2.xml"/></mets:file>
    </mets:fileGrp>
  </mets:fileSec>
  <mets:structMap TYPE="PHYSICAL">
    <mets:div TYPE="physSequence">
      <mets:div TYPE="page" ID="PHYS_0017">
        <mets:fptr FILEID="IMG_1"/><mets:fptr FILEID="PAGE_1"/><mets:fptr FILEID="ALTO_1"/>
        <mets:fptr FILEID="TESS_1"/></mets:div>
      <mets:div TYPE="page" ID="PHYS_0020">
        <mets:fptr FILEID="IMG_2"/><mets:fptr FILEID="PAGE_2"/><mets:fptr FILEID="ALTO_2"/>
        <mets:fptr FILEID="TESS_2"/></mets:div>
    </mets:div>
  </mets:structMap>
</mets:mets>
"""
PAGE_XML = ('<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="http://schema.'
            'primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Page/></PcGts>\n')


def test_an_ocrd_workspace_reads_one_alto_file_of_each_page(tmp_path: Path) -> None:
    """A METS of OCR-D names every OCR run of a page (several ALTO groups) and PAGE XML
    beside them, and numbers no page: each page's text is read once, from its first ALTO
    file; the PAGE files are not taken for ALTO, and belong to the issue; the pages are
    numbered in their order."""
    issue = tmp_path / "workspace"
    for number in (1, 2):
        page = (FIXTURES / "harbour" / "text" / f"harbour-0000{number}.xml").read_bytes()
        for folder in ("alto", "tess"):
            (issue / folder).mkdir(parents=True, exist_ok=True)
            (issue / folder / f"{number}.xml").write_bytes(page)
        (issue / "page").mkdir(exist_ok=True)
        (issue / "page" / f"{number}.xml").write_text(PAGE_XML, encoding="utf-8")
    (issue / "mets.xml").write_text(OCRD_METS, encoding="utf-8")
    members = reader("mets").members(str(issue / "mets.xml"), OCRD_METS.encode())
    assert [(m.href, m.page) for m in members] == [
        ("alto/1.xml", 1), ("alto/2.xml", 2), ("tess/1.xml", 1), ("tess/2.xml", 2),
        ("page/1.xml", 1), ("page/2.xml", 2)]
    unit = read_issue(issue / "mets.xml")
    assert unit.problems == () and {item.page for item in unit.items} == {1, 2}
    words = [w for item in unit.items for block in item.blocks for line in block
             for w in line.split()]
    alone = [w for n in (1, 2) for item in reader("alto").read(Input(
        f"{n}.xml", (issue / "alto" / f"{n}.xml").read_bytes()), ReadOptions()).items
        for block in item.blocks for line in block for w in line.split()]
    assert sorted(words) == sorted(alone)  # each page once
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [issue], ReadOptions(), jobs=1)
        # the issue holds its four ALTO files and its PAGE files (none read again alone:
        # a page with ALTO is read from its ALTO)
        assert (report.members, report.new, report.rejected) == (6, 1, {})
    finally:
        store.close()


# --- a workspace of PAGE XML alone --------------------------------------------------------

def _page_mets(groups: list[str], pages: int = 2) -> str:
    """A METS naming, for each page, a PAGE file in each group (in processing order),
    with the issue's MODS record."""
    files = "".join(
        f'<mets:fileGrp USE="{group}">' + "".join(
            f'<mets:file ID="{group}_{n}" MIMETYPE="application/vnd.prima.page+xml">'
            f'<mets:FLocat LOCTYPE="OTHER" OTHERLOCTYPE="FILE" '
            f'xlink:href="{group}/{group}_{n:04d}.xml"/></mets:file>'
            for n in range(1, pages + 1)) + "</mets:fileGrp>" for group in groups)
    divs = "".join(
        f'<mets:div TYPE="page" ID="PHYS_{n}" ORDER="{n}">'
        + "".join(f'<mets:fptr FILEID="{group}_{n}"/>' for group in groups) + "</mets:div>"
        for n in range(1, pages + 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<mets:mets xmlns:mets='
            '"http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'xmlns:mods="http://www.loc.gov/mods/v3"><mets:dmdSec ID="DMD1"><mets:mdWrap '
            'MDTYPE="MODS"><mets:xmlData><mods:mods><mods:titleInfo><mods:title>The Harbour '
            'Gazette</mods:title></mods:titleInfo><mods:originInfo><mods:dateIssued>'
            '1901-03-14</mods:dateIssued></mods:originInfo></mods:mods></mets:xmlData>'
            f'</mets:mdWrap></mets:dmdSec><mets:fileSec>{files}</mets:fileSec>'
            '<mets:structMap TYPE="PHYSICAL"><mets:div TYPE="physSequence">'
            f'{divs}</mets:div></mets:structMap></mets:mets>')


SEGMENTED = (f'<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="{NS}"><Page '
             'imageWidth="1600" imageHeight="2400"><TextRegion id="r1"><Coords points="100,'
             '100 800,100 800,400 100,400"/></TextRegion></Page></PcGts>').encode()


def _workspace(tmp_path: Path, pages: dict[int, bytes | None]) -> Path:
    """A workspace of two groups: segmentation (regions, no text), then OCR."""
    issue = tmp_path / "ws"
    for group in ("OCR-D-SEG", "OCR-D-OCR"):
        (issue / group).mkdir(parents=True)
    for n, data in pages.items():
        (issue / "OCR-D-SEG" / f"OCR-D-SEG_{n:04d}.xml").write_bytes(SEGMENTED)
        if data is not None:
            (issue / "OCR-D-OCR" / f"OCR-D-OCR_{n:04d}.xml").write_bytes(data)
    (issue / "mets.xml").write_text(_page_mets(["OCR-D-SEG", "OCR-D-OCR"], len(pages)),
                                    encoding="utf-8")
    return issue


def _words(items) -> list[str]:
    return sorted(w for item in items for text in (item.headline or "", *(
        line for block in item.blocks for line in block)) for w in text.split())


def test_a_workspace_of_page_xml_is_read_as_one_issue(tmp_path: Path) -> None:
    issue = _workspace(tmp_path, {1: page_document(), 2: page_document()})
    mets = reader("mets")
    members = mets.members(str(issue / "mets.xml"), (issue / "mets.xml").read_bytes())
    assert [(m.href.split("/")[0], m.page) for m in members] == [
        ("OCR-D-SEG", 1), ("OCR-D-SEG", 2), ("OCR-D-OCR", 1), ("OCR-D-OCR", 2)]
    unit = read_issue(issue / "mets.xml")
    assert unit.problems == ()
    assert (unit.record.publication, str(unit.record.date)) == ("The Harbour Gazette",
                                                                "1901-03-14")
    assert [item.page for item in unit.items] == [1, 1, 2, 2]
    alone = reader("page-xml").read(Input("p.xml", page_document()), ReadOptions()).items
    assert _words(unit.items) == sorted(_words(alone) * 2)  # each page once, from the
    #                                                         file that holds its text
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [issue], ReadOptions(), jobs=1)
        assert (report.members, report.new, report.rejected) == (4, 1, {})
        articles = list(store.articles())
        assert {a.date.isoformat() for a in articles} == {"1901-03-14"}
        assert "DREDGING THE CHANNEL" in {a.headline for a in articles}
    finally:
        store.close()


def test_page_xml_in_a_group_the_mets_calls_alto_is_read_as_page_xml(tmp_path: Path) -> None:
    """A METS that files its PAGE XML as ALTO (USE "FULLTEXT", MIMETYPE alto+xml) is read
    by what the files hold."""
    issue = tmp_path / "ws"
    (issue / "FULLTEXT").mkdir(parents=True)
    for n in (1, 2):
        (issue / "FULLTEXT" / f"FULLTEXT_{n:04d}.xml").write_bytes(page_document())
    (issue / "mets.xml").write_text(_page_mets(["FULLTEXT"]).replace(
        "application/vnd.prima.page+xml", "application/alto+xml"), encoding="utf-8")
    unit = read_issue(issue / "mets.xml")
    assert unit.problems == ()
    assert [item.page for item in unit.items] == [1, 1, 2, 2]
    assert "DREDGING THE CHANNEL" in {item.headline for item in unit.items}


def test_a_page_whose_page_xml_is_broken_is_named_and_the_others_are_read(
        tmp_path: Path) -> None:
    issue = _workspace(tmp_path, {1: page_document(), 2: b"<PcGts><Page>", 3: None})
    unit = read_issue(issue / "mets.xml")
    assert {item.page for item in unit.items} == {1}
    assert len(unit.problems) == 2
    assert unit.problems[0].startswith("page 2: ") and "malformed PAGE XML" in unit.problems[0]
    assert unit.problems[1].startswith("page 3: ") and "missing" in unit.problems[1]


def test_a_page_whose_regions_hold_text_but_no_lines_is_read_by_its_text(
        tmp_path: Path) -> None:
    """An OCR step that wrote each region's text whole, without TextLines: the page is
    read by the shape of its text (as a PAGE file alone is), not named as a page of no
    text."""
    def region(number: int, text: str) -> str:
        top = 100 + 400 * number
        return (f'<TextRegion id="r{number}"><Coords points="100,{top} 1500,{top} '
                f'1500,{top + 300} 100,{top + 300}"/><TextEquiv><Unicode>{text}</Unicode>'
                "</TextEquiv></TextRegion>")
    body = ("The dredger began work in the channel on Monday and will clear\nthe bar "
            "before the spring tides, the harbour master said.")
    unlined = (f'<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="{NS}"><Page '
               f'imageWidth="1600" imageHeight="2400">{region(0, "DREDGING BEGINS")}'
               f"{region(1, body)}</Page></PcGts>").encode()
    unit = read_issue(_workspace(tmp_path, {1: page_document(), 2: unlined}) / "mets.xml")
    assert unit.problems == ()
    second = [item for item in unit.items if item.page == 2]
    assert [item.headline for item in second] == ["DREDGING BEGINS"]
    assert "no lines" in second[0].notes[-1]


def test_a_workspace_page_tagged_with_its_articles_is_read_by_the_tags(tmp_path: Path) -> None:
    """The PAGE reader's rule holds inside an issue too: a page whose lines name their
    articles (Transkribus' article separation) gives those articles."""
    issue = _workspace(tmp_path, {1: tagged_document()})
    unit = read_issue(issue / "mets.xml")
    alone = reader("page-xml").read(Input("p.xml", tagged_document()), ReadOptions()).items
    assert [(i.headline, i.blocks, i.kind) for i in unit.items] == [
        (i.headline, i.blocks, i.kind) for i in alone]
    assert [i.kind for i in unit.items] == ["article", "article", "other"]
    assert unit.items[0].headline == "DREDGING THE CHANNEL" and len(unit.items[0].blocks) == 2
