"""METS issues as other libraries deliver them (the issues here are of our own writing).

BnF: manifest.xml (the files and pages) beside toc/T....xml (the articles, naming the ALTO
pages in ../ocr/), Dublin Core instead of MODS for the issue, the paper's name only in
its masthead, and MODS classifications saying which "articles" are advertisements.
RERO: advertisements as TYPE="Ad" divs beside the articles, each with a record of its own.
Kitodo, Goobi: files named by URL or by their path on the server, delivered beside the METS."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from archive.formats import Input, reader
from archive.formats.issue_files import REMOTE, member_path
from archive.ingest import ingest
from archive.model import ReadOptions
from archive.store import Store
from archive.units import plan

# (block ID, words) per block of the page, top to bottom
BLOCKS = [
    ("PAG_1_TB000001", "• LE MATIN CLAIR •"),
    ("PAG_1_TB000002", "Cinq centimes Numero 78"),
    ("PAG_1_TB000003", "LA CRUE DE LA SEINE"),
    ("PAG_1_TB000004", "Le niveau du fleuve a encore monte hier soir de vingt centimetres "
                       "et les quais sont fermes aux voitures jusqu'a nouvel ordre"),
    ("PAG_1_TB000005", "CHOCOLAT DU PORT le meilleur des desserts en vente partout"),
    ("PAG_1_TB000006", "Sans titre mais lu"),
]

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">
<fileSec>
<fileGrp USE="master"><file ID="master.1"><FLocat xlink:href="master/F0000001.jp2"/></file>
</fileGrp>
<fileGrp USE="ocr"><file ID="ocr.1" MIMETYPE="text/xml">
<FLocat LOCTYPE="URL" xlink:href="ocr/X0000001.xml"/></file></fileGrp>
<fileGrp USE="toc"><file ID="toc.1" MIMETYPE="text/xml">
<FLocat LOCTYPE="URL" xlink:href="toc/T0000001.xml"/></file></fileGrp>
</fileSec>
<structMap TYPE="physical"><div TYPE="document"><div TYPE="page" ORDER="1" ORDERLABEL="1">
<fptr FILEID="master.1"/><fptr FILEID="ocr.1"/></div></div></structMap>
</mets>"""

TOC = """<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:mods="http://www.loc.gov/mods/v3"
      xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink">
<dmdSec ID="DMD.1"><mdRef LOCTYPE="ARK" MDTYPE="DC" xlink:href="ark:/00000/example"/></dmdSec>
<dmdSec ID="DMD.2"><mdWrap MDTYPE="DC"><xmlData>
<dc:title>1910-11-16 (Annee 3, Numero 78)</dc:title><dc:date>1910-11-16</dc:date>
</xmlData></mdWrap></dmdSec>
<dmdSec ID="DMD.3"><mdWrap MDTYPE="MODS"><xmlData><mods:mods>
<mods:classification>freead</mods:classification></mods:mods></xmlData></mdWrap></dmdSec>
<dmdSec ID="DMD.4"><mdWrap MDTYPE="MODS"><xmlData><mods:mods>
<mods:titleInfo><mods:title>Sans Titre</mods:title></mods:titleInfo></mods:mods></xmlData>
</mdWrap></dmdSec>
<fileSec><fileGrp USE="ocr"><file ID="ocr.1" MIMETYPE="text/xml">
<FLocat LOCTYPE="URL" xlink:href="../ocr/X0000001.xml"/></file></fileGrp></fileSec>
<structMap TYPE="logical">
<div TYPE="NEWSPAPER" DMDID="DMD.1"><div TYPE="ISSUE" DMDID="DMD.2">
<div TYPE="TITLESECTION">
  <div TYPE="HEADLINE">{area1}</div>
  <div TYPE="TEXTBLOCK">{area2}</div>
</div>
<div TYPE="CONTENT">
  <div TYPE="ARTICLE" LABEL="La crue">
    <div TYPE="HEADING"><div TYPE="TITLE">{area3}</div></div>
    <div TYPE="BODY"><div TYPE="PARAGRAPH">{area4}</div></div>
  </div>
  <div TYPE="ARTICLE" DMDID="DMD.3">
    <div TYPE="BODY"><div TYPE="PARAGRAPH">{area5}</div></div>
  </div>
  <div TYPE="ILLUSTRATION"><div TYPE="IMAGE">{picture}</div></div>
  <div TYPE="ARTICLE" DMDID="DMD.4">
    <div TYPE="BODY"><div TYPE="PARAGRAPH">{area6}</div></div>
  </div>
</div>
</div></div>
</structMap>
</mets>"""

AREA = '<fptr><area FILEID="ocr.1" BEGIN="{}" BETYPE="IDREF"/></fptr>'


def alto_page() -> str:
    blocks = []
    for number, (block_id, text) in enumerate(BLOCKS):
        top = 100 + 200 * number
        strings = "".join(
            f'<String ID="{block_id}_{i}" HPOS="{100 + 60 * i}" VPOS="{top}" WIDTH="50" '
            f'HEIGHT="40" CONTENT="{word}" WC="0.9"/>' for i, word in enumerate(text.split()))
        blocks.append(f'<TextBlock ID="{block_id}" HPOS="100" VPOS="{top}" WIDTH="2000" '
                      f'HEIGHT="60"><TextLine HPOS="100" VPOS="{top}" WIDTH="2000" '
                      f'HEIGHT="40">{strings}</TextLine></TextBlock>')
    picture = '<Illustration ID="PAG_1_IL000001" HPOS="100" VPOS="1400" WIDTH="900" HEIGHT="900"/>'
    return ('<?xml version="1.0" encoding="UTF-8"?><alto xmlns="http://www.loc.gov/standards/'
            'alto/ns-v3#"><Layout><Page ID="PAG_1" HEIGHT="3000" WIDTH="2200" '
            f'PHYSICAL_IMG_NR="1"><PrintSpace>{"".join(blocks)}{picture}</PrintSpace></Page>'
            '</Layout></alto>')


def write_issue(root: Path) -> Path:
    """The issue folder: manifest.xml, toc/T0000001.xml, ocr/X0000001.xml."""
    issue = root / "4600000"
    (issue / "toc").mkdir(parents=True)
    (issue / "ocr").mkdir()
    (issue / "manifest.xml").write_text(MANIFEST)
    areas = {f"area{n}": AREA.format(block_id) for n, (block_id, _) in enumerate(BLOCKS, 1)}
    (issue / "toc" / "T0000001.xml").write_text(
        TOC.format(picture=AREA.format("PAG_1_IL000001"), **areas))
    (issue / "ocr" / "X0000001.xml").write_text(alto_page())
    return issue


def test_a_page_in_a_folder_beside_the_issue_file_is_read(tmp_path: Path) -> None:
    issue = write_issue(tmp_path)
    toc = str(issue / "toc" / "T0000001.xml")
    assert member_path(toc, "../ocr/X0000001.xml") == (str(issue / "ocr" / "X0000001.xml"),
                                                       None)
    # the folder above is not the issue's: neither its files nor what lies beyond it
    (issue / "secret.xml").write_text("<alto/>")
    for href in ("../secret.xml", "../../4600000/secret.xml", "../ocr/../secret.xml"):
        assert member_path(toc, href) == (None, "outside the issue's folder")


def test_a_link_in_the_folder_beside_may_not_lead_out(tmp_path: Path) -> None:
    issue = write_issue(tmp_path)
    (tmp_path / "secret.xml").write_text("<alto/>")
    (issue / "ocr" / "X0000002.xml").symlink_to(tmp_path / "secret.xml")
    assert member_path(str(issue / "toc" / "T0000001.xml"), "../ocr/X0000002.xml") == (
        None, "outside the issue's folder")


def test_the_issue_file_with_the_articles_reads_the_pages_once(tmp_path: Path) -> None:
    issue = write_issue(tmp_path)
    found = plan([str(issue / "manifest.xml"), str(issue / "ocr" / "X0000001.xml"),
                  str(issue / "toc" / "T0000001.xml")])
    toc = str(issue / "toc" / "T0000001.xml")
    assert list(found.members) == [toc]  # the manifest is no unit of its own
    assert found.claimed == {str(issue / "ocr" / "X0000001.xml"): toc,
                             str(issue / "manifest.xml"): toc}
    assert [m.href for m in found.members[toc]] == ["../ocr/X0000001.xml", "../manifest.xml"]


def test_a_page_only_the_plain_issue_file_names_is_read_by_it(tmp_path: Path) -> None:
    """The manifest names a page the toc does not (a page without articles): that page is
    read from the manifest, by its layout; the page both name, once, by the toc."""
    issue = write_issue(tmp_path / "pages")
    (issue / "ocr" / "X0000002.xml").write_text(
        alto_page().replace("PAG_1", "PAG_2").replace("CHOCOLAT", "BISCUIT"))
    (issue / "manifest.xml").write_text(MANIFEST.replace('<fileGrp USE="toc">', (
        '<fileGrp USE="ocr"><file ID="ocr.2" MIMETYPE="text/xml"><FLocat LOCTYPE="URL" '
        'xlink:href="ocr/X0000002.xml"/></file></fileGrp><fileGrp USE="toc">')))
    store = Store(tmp_path / "store.sqlite3")
    assert ingest(store, [tmp_path / "pages"], jobs=1).rejected == {}
    words = " ".join(" ".join(a.paragraphs) for a in store.articles())
    assert words.count("CHOCOLAT") == 1 and words.count("BISCUIT") == 1
    notes = {Path(s.path).name: s.reason for s in store.sources()}
    assert notes["manifest.xml"] == ("page 1 (X0000001.xml): read with toc/T0000001.xml, "
                                     "which records its articles")


def test_two_issue_files_that_both_record_articles_are_both_read(tmp_path: Path) -> None:
    issue = write_issue(tmp_path)
    twin = issue / "toc" / "T0000002.xml"
    twin.write_text((issue / "toc" / "T0000001.xml").read_text())
    found = plan([str(issue / "toc" / "T0000001.xml"), str(twin)])
    assert len(found.members) == 2  # nothing says which one to trust: neither is dropped


def test_the_record_comes_from_dublin_core_and_the_masthead(tmp_path: Path) -> None:
    issue = write_issue(tmp_path)
    toc = issue / "toc" / "T0000001.xml"
    page = issue / "ocr" / "X0000001.xml"
    unit = reader("mets").read(Input(str(toc), toc.read_bytes(),
                                     members={"../ocr/X0000001.xml": page.read_bytes()}),
                               ReadOptions())
    assert unit.record.publication == "Le Matin Clair"  # the TITLESECTION's HEADLINE
    assert unit.record.date == dt.date(1910, 11, 16)  # dc:date, not the dc:title's label
    assert unit.problems == ()  # the illustration's picture is known: it holds no word
    assert [(i.kind, i.headline) for i in unit.items] == [
        ("article", "LA CRUE DE LA SEINE"),
        ("advertisement", None),  # an ARTICLE div whose record classes it "freead"
        ("article", None)]  # "Sans Titre" is the catalogue saying it has no title


def test_ingest_keeps_every_word_once_and_accounts_for_every_file(tmp_path: Path) -> None:
    issue = write_issue(tmp_path / "pages")
    store = Store(tmp_path / "store.sqlite3")
    report = ingest(store, [tmp_path / "pages"], jobs=1)
    assert (report.seen, report.members, report.rejected) == (1, 2, {})
    toc = str(issue / "toc" / "T0000001.xml")
    assert store.source_paths() == [toc]
    assert sorted(row[1] for row in store.unit_files(toc)[toc]) == [
        str(issue / "manifest.xml"), str(issue / "ocr" / "X0000001.xml")]
    articles = list(store.articles())
    assert sorted(a.kind for a in articles) == ["advertisement", "article", "article"]
    assert {(a.publication, a.date) for a in articles} == {("Le Matin Clair",
                                                            dt.date(1910, 11, 16))}
    words = " ".join(" ".join(a.paragraphs) for a in articles)
    assert words.count("fleuve") == 1 and words.count("CHOCOLAT") == 1
    # the manifest is a part of the issue: changing it reads the issue again
    (issue / "manifest.xml").write_text(MANIFEST.replace("master/", "images/"))
    assert ingest(store, [tmp_path / "pages"], jobs=1).changed == 1


RERO = """<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:MODS="http://www.loc.gov/mods/v3"
      xmlns:xlink="http://www.w3.org/1999/xlink">
<dmdSec ID="MODSMD_ISSUE1"><mdWrap MDTYPE="MODS"><xmlData><MODS:mods><MODS:originInfo>
<MODS:dateIssued>1946-09-02</MODS:dateIssued></MODS:originInfo></MODS:mods></xmlData></mdWrap>
</dmdSec>
<dmdSec ID="MODSMD_AD1"><mdWrap MDTYPE="MODS"><xmlData><MODS:mods><MODS:language>
<MODS:languageTerm>fre</MODS:languageTerm></MODS:language></MODS:mods></xmlData></mdWrap>
</dmdSec>
<dmdSec ID="MODSMD_NOTE1"><mdWrap MDTYPE="MODS"><xmlData><MODS:mods><MODS:language>
<MODS:languageTerm>fre</MODS:languageTerm></MODS:language></MODS:mods></xmlData></mdWrap>
</dmdSec>
<fileSec><fileGrp ID="ALTOGRP"><file ID="ALTO0001" MIMETYPE="text/xml">
<FLocat LOCTYPE="URL" xlink:href="ALTO/00001.xml"/></file></fileGrp></fileSec>
<structMap TYPE="LOGICAL"><div TYPE="Newspaper"><div TYPE="ISSUE" DMDID="MODSMD_ISSUE1">
<div TYPE="CONTENT">
  <div TYPE="Article"><div TYPE="HEADING"><div TYPE="TITLE">{area3}</div></div>
    <div TYPE="BODY"><div TYPE="BODY_CONTENT"><div TYPE="PARAGRAPH"><div TYPE="TEXT">{area4}
    </div></div></div></div></div>
  <div TYPE="Ad" DMDID="MODSMD_AD1" LABEL="UNKNOWN"><div TYPE="BODY"><div TYPE="BODY_CONTENT">
    <div TYPE="PARAGRAPH"><div TYPE="TEXT">{area5}</div></div></div></div></div>
  <div TYPE="Notice_Board" DMDID="MODSMD_NOTE1"><div TYPE="BODY"><div TYPE="PARAGRAPH">
    {area6}</div></div></div>
</div></div></div></structMap>
</mets>"""


def test_advertisements_and_described_divs_beside_the_articles_are_items(tmp_path: Path
                                                                          ) -> None:
    issue = tmp_path / "19460902_01"
    (issue / "ALTO").mkdir(parents=True)
    (issue / "ALTO" / "00001.xml").write_text(alto_page().replace("ocr.1", "ALTO0001"))
    areas = {f"area{n}": AREA.replace("ocr.1", "ALTO0001").format(block_id)
             for n, (block_id, _) in enumerate(BLOCKS, 1)}
    (issue / "19460902_01-METS.xml").write_text(RERO.format(**areas))
    store = Store(tmp_path / "store.sqlite3")
    assert ingest(store, [issue], jobs=1).rejected == {}
    found = sorted((a.kind, a.paragraphs[0][:20]) for a in store.articles()
                   if a.paragraphs)
    # each its own item: the ad is no paragraph of an article, nor are the two one text
    assert ("advertisement", "CHOCOLAT DU PORT le ") in found
    assert ("article", "Le niveau du fleuve ") in found
    assert any(text.startswith("Sans titre mais lu") for _, text in found)
    assert len(found) == 3


@pytest.mark.parametrize("href", [
    "https://digital.example.org/data/kitodo/Zeitung_1900/ocr/X0000001.xml",
    "file:///srv/production/4600000/ocr/X0000001.xml", "/srv/production/ocr/X0000001.xml"])
def test_a_file_named_by_url_or_server_path_is_found_beside_the_issue_file(
        tmp_path: Path, href: str) -> None:
    issue = write_issue(tmp_path)
    manifest = str(issue / "manifest.xml")
    assert member_path(manifest, href) == (str(issue / "ocr" / "X0000001.xml"), None)


@pytest.mark.parametrize("href", ["file:///etc/passwd", "https://example.org/secret.xml",
                                  "/tmp/../etc/hosts"])
def test_a_url_is_never_followed_where_it_points(tmp_path: Path, href: str) -> None:
    issue = write_issue(tmp_path)
    (tmp_path / "secret.xml").write_text("<alto/>")  # beside the issue folder, not in it
    assert member_path(str(issue / "manifest.xml"), href) == (None, REMOTE)


def test_an_issue_file_naming_its_pages_by_url_is_read_whole(tmp_path: Path) -> None:
    issue = write_issue(tmp_path / "pages")
    toc = issue / "toc" / "T0000001.xml"
    toc.write_text(toc.read_text().replace(
        "../ocr/X0000001.xml", "https://gallica.example.org/ark:/12148/bpt6k/ocr/X0000001.xml"))
    store = Store(tmp_path / "store.sqlite3")
    assert ingest(store, [tmp_path / "pages"], jobs=1).rejected == {}
    assert sorted(a.kind for a in store.articles()) == ["advertisement", "article", "article"]


KITODO = """<?xml version="1.0" encoding="UTF-8"?>
<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:mods="http://www.loc.gov/mods/v3"
           xmlns:xlink="http://www.w3.org/1999/xlink">
<mets:dmdSec ID="DMDLOG_0000"><mets:mdWrap MDTYPE="MODS"><mets:xmlData><mods:mods>
<mods:titleInfo><mods:title>Abendblatt</mods:title></mods:titleInfo><mods:originInfo>
<mods:dateIssued keyDate="yes">1900-05-01</mods:dateIssued></mods:originInfo></mods:mods>
</mets:xmlData></mets:mdWrap></mets:dmdSec>
<mets:dmdSec ID="DMDLOG_0001"><mets:mdWrap MDTYPE="MODS"><mets:xmlData><mods:mods>
<mods:titleInfo><mods:title>Die Crue</mods:title></mods:titleInfo></mods:mods></mets:xmlData>
</mets:mdWrap></mets:dmdSec>
<mets:fileSec><mets:fileGrp USE="FULLTEXT">{files}</mets:fileGrp></mets:fileSec>
<mets:structMap TYPE="LOGICAL"><mets:div ID="LOG_0000" TYPE="issue" DMDID="DMDLOG_0000">
<mets:div ID="LOG_0001" TYPE="article" DMDID="DMDLOG_0001"/>
<mets:div ID="LOG_0002" TYPE="advertising"/>
</mets:div></mets:structMap>
<mets:structMap TYPE="PHYSICAL"><mets:div ID="PHYS_0000" TYPE="physSequence">{pages}
</mets:div></mets:structMap>
<mets:structLink>
<mets:smLink xlink:from="LOG_0000" xlink:to="PHYS_0001"/>
<mets:smLink xlink:from="LOG_0000" xlink:to="PHYS_0002"/>
<mets:smLink xlink:from="LOG_0001" xlink:to="PHYS_0001"/>
<mets:smLink xlink:from="LOG_0002" xlink:to="PHYS_0001"/>
<mets:smLink xlink:from="LOG_0002" xlink:to="PHYS_0002"/>
</mets:structLink>
</mets:mets>"""


def test_items_linked_to_whole_pages_they_share_leave_the_page_to_its_layout(
        tmp_path: Path) -> None:
    """Kitodo links each item to the pages it is on: the article and the advertisement
    both "hold" page 1, which neither can; page 1 is read by its layout, each word once,
    and page 2, which only the advertisement names, is the advertisement's."""
    issue = tmp_path / "issue"
    (issue / "alto").mkdir(parents=True)
    files, pages = [], []
    for n in (1, 2):
        (issue / "alto" / f"0000000{n}.xml").write_text(
            alto_page().replace("PAG_1", f"PAG_{n}").replace("CHOCOLAT", f"CHOCOLAT{n}"))
        files.append(f'<mets:file ID="F{n}" MIMETYPE="text/xml"><mets:FLocat LOCTYPE="URL" '
                     f'xlink:href="https://example.org/kitodo/alto/0000000{n}.xml"/></mets:file>')
        pages.append(f'<mets:div ID="PHYS_000{n}" ORDER="{n}" TYPE="page">'
                     f'<mets:fptr FILEID="F{n}"/></mets:div>')
    (issue / "mets.xml").write_text(KITODO.format(files="".join(files), pages="".join(pages)))
    store = Store(tmp_path / "store.sqlite3")
    report = ingest(store, [issue], jobs=1)
    assert report.rejected == {}
    articles = list(store.articles())
    words = " ".join(" ".join(a.paragraphs) for a in articles)
    assert words.count("CHOCOLAT1") == 1 and words.count("CHOCOLAT2") == 1
    assert [a.kind for a in articles if "CHOCOLAT2" in " ".join(a.paragraphs)] == [
        "advertisement"]
    source = store.sources()[0]
    assert "name only whole pages other items name too" in (source.reason or "")


def test_catalogue_labels_saying_there_is_no_title_are_no_headline() -> None:
    from archive.formats.issue import clean_title

    for label in ("Untitled Article", "[Untitled]", "Sans Titre", "untitled ad", "Untitled"):
        assert clean_title(label) is None, label
    assert clean_title("Untitled Thoughts on the Harbour") == "Untitled Thoughts on the Harbour"


def test_a_divs_label_is_its_title_when_its_record_gives_none() -> None:
    """METS's LABEL, as the DFG viewer's profile (Kitodo, Goobi) and others set it on an
    article's div: its title when no MODS names one; not a label naming only the div's
    kind, its number or that it has none ("Article 3", "UNKNOWN")."""
    from lxml import etree

    from archive.formats.mets_logical import _label_title

    def div(label: str, kind: str = "ARTICLE"):
        return etree.fromstring(f'<div TYPE="{kind}" LABEL="{label}"/>')

    assert _label_title(div("Die Feuersbrunst in der Mühlgasse.")) == \
        "Die Feuersbrunst in der Mühlgasse."
    for label in ("Article", "ARTICLE 4", "Page 3", "Seite 12", "Anzeige", "UNKNOWN", "12",
                  "Untitled Article", "Notice_Board", "Publicité 1 Page 4", "Beilage 2",
                  "Der Landbote begrüßt seine Leser und erz..."):
        assert _label_title(div(label, "Notice_Board")) is None, label
