"""Olive Software's newspaper XML (archive.formats.olive): an invented issue of our own
writing in the shapes Olive exports (TOC.xml naming the entity and page files under
Document/<page>/), read as one unit; an entity file alone; bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from archive.formats import Input, reader
from archive.formats.sniff import sniff
from archive.ingest import ingest
from archive.model import ReadOptions, Rejected
from archive.store import Store
from archive.units import read_members


def _words(line: str, y: int, opened: bool = False) -> str:
    """A line (L) of words (W); "word|" glues the next word on (NS="y"), and "{a-|b=ab}"
    (last on its line) is a word hyphenated across the line end: its parts (Q, q, the
    second opening the next line) and then the whole (QW). opened: the line was opened
    by such a word's second part."""
    out = [] if opened else [f'<L BOX="10 {y} 300 {y + 20}"/>']
    for n, token in enumerate(line.split()):
        box = f'BOX="{10 + 30 * n} {y} {35 + 30 * n} {y + 20}"'
        if token.startswith("{"):
            first, whole = token.strip("{}").split("=")
            head, tail = first.split("|")
            out.append(f'<Q {box} QID="{n}">{head.rstrip("-")}</Q><Q {box} LH="y" QID="{n}">-'
                       f'</Q><L BOX="10 {y + 24} 300 {y + 44}"/><q {box} QID="{n}">{tail}</q>'
                       f'<QW QID="{n}">{whole}</QW>')
            continue
        glue = ' NS="y"' if token.endswith("|") else ""
        out.append(f'<W {box} STYLE_REF="1"{glue}>{token.rstrip("|")}</W>')
    return "".join(out)


def _zone(lines: list[str], paragraph_starts: tuple[int, ...] = (0,)) -> str:
    body = []
    for n, line in enumerate(lines):
        words = _words(line, 100 + 50 * n, opened=n > 0 and lines[n - 1].endswith("}"))
        if n in paragraph_starts:
            words = words.replace("/>", ' P="S"/>', 1)
        body.append(words)
    return f'<Primitive BOX="10 100 300 900" ID="x" SEQ_NO="0">{"".join(body)}</Primitive>'


def _entity(entity_id: str, kind: str, page: int, parts: dict[str, str],
            more: str = "") -> str:
    inner = "".join(f"<{tag}>{zones}</{tag}>" for tag, zones in parts.items())
    return (f'<?xml version="1.0" encoding="windows-1252" standalone="no"?>\n'
            f'<XMD-entity ENTITY_TYPE="{kind}" PAGE_NO="{page}" ID="{entity_id}" '
            f'LANGUAGE="French"{more}><Meta NAME="x" PUBLICATION="GDH" SECTION="Nouvelles" '
            f'ISSUE_DATE="14/03/1901"/><Link SOURCE="x.pdf"/><DataFiles/>{inner}'
            f'</XMD-entity>')


TOC = """<?xml version="1.0" encoding="windows-1252" standalone="no"?>
<Xmd_toc PUBLICATION="GDH" ISSUE_DATE="14/03/1901" LANGUAGE="French">
 <Head_np><Meta PAGES_NUMBER="2"/></Head_np>
 <Body_np>
  <Section NAME="Front page">
   <Page PAGE_NO="1" ID="Pg001" HREF="/1/Pg001">
    <Entity ENTITY_TYPE="Article" PAGE_NO="1" NAME="LE PORT" ID="Ar00100" HREF="/1/Ar00100"
            CONTINUATION_TO="Ar00200"/>
    <Entity ENTITY_TYPE="Ad" PAGE_NO="1" NAME="Untitled Ad" ID="Ad00101" HREF="/1/Ad00101"/>
   </Page>
  </Section>
  <Section NAME="Nouvelles">
   <Page PAGE_NO="2" ID="Pg002" HREF="/2/Pg002">
    <Entity ENTITY_TYPE="Article" PAGE_NO="2" NAME="Untitled Article" ID="Ar00200"
            HREF="/2/Ar00200" CONTINUATION_FROM="Ar00100"/>
    <Entity ENTITY_TYPE="Article" PAGE_NO="2" NAME="LE MARCHE" ID="Ar00201" HREF="/2/Ar00201"/>
   </Page>
  </Section>
 </Body_np>
</Xmd_toc>
"""


def write_issue(folder: Path) -> Path:
    """The invented issue: a front-page article continued on page 2, an advertisement,
    a second article, and the two page files."""
    files = {
        "1/Ar00100.xml": _entity("Ar00100", "Article", 1, {
            "HedLine_hl1": _zone(["LE NOUVEAU PORT"]),
            "HedLine_hl2": _zone(["Les travaux commencent"]),
            "Content": _zone(["Le conseil a décidé hier| , après un",
                              "long débat, de {cons-|truire=construire}",
                              "le nouveau quai.", "Les travaux dureront deux ans."],
                             paragraph_starts=(0, 3))}),
        "1/Ad00101.xml": _entity("Ad00101", "Ad", 1, {
            "Content": _zone(["CHOCOLAT FIN", "en vente partout, 2 fr."])}),
        "1/Pg001.xml": '<?xml version="1.0"?><XMD-PAGE><Meta PAGE_NO="1"/></XMD-PAGE>',
        "2/Ar00200.xml": _entity("Ar00200", "Article", 2, {
            "Continuation-Content": _zone(["Le quai aura cent mètres de long."])},
            ' CONTINUATION_FROM="Ar00100"'),
        "2/Ar00201.xml": _entity("Ar00201", "Article", 2, {
            "HedLine_hl1": _zone(["LE MARCHÉ"]),
            "Content": _zone(["Le blé se vend bien cette semaine."])}),
        "2/Pg002.xml": '<?xml version="1.0"?><XMD-PAGE><Meta PAGE_NO="2"/></XMD-PAGE>',
    }
    for name, text in files.items():
        path = folder / "Document" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("cp1252"))
    (folder / "Document" / "styleGallery.txt").write_text(
        '001="Times-Roman",10.000,(0,0,0)\n002="Times-Bold",15.000,(0,0,0)\n'
        '003="Helvetica",7.000,(0,0,0)\n', encoding="ascii")
    toc = folder / "TOC.xml"
    toc.write_bytes(TOC.encode("cp1252"))
    return toc


def _read(toc: Path):
    data = toc.read_bytes()
    olive = reader(sniff(str(toc), data))
    members = tuple(olive.members(str(toc), data))
    found, _ = read_members(olive, members)
    return olive, members, olive.read(Input(str(toc), data, members=found), ReadOptions())


def test_files_are_told_by_their_root() -> None:
    assert sniff("TOC.xml", TOC.encode("cp1252")) == "olive"
    assert sniff("Ar00100.xml", _entity("Ar00100", "Article", 1, {}).encode()) == \
        "olive-entity"
    with pytest.raises(Rejected, match="an Olive page's zoning"):
        sniff("Pg001.xml", b'<?xml version="1.0"?><XMD-PAGE><Meta/></XMD-PAGE>')
    with pytest.raises(Rejected, match="a list of settings"):
        sniff("styleGallery.txt", b'001="Times-Roman",10.000,(0,0,0)\n'
                                  b'002="Times-Bold",15.000,(0,0,0)\n003="Arial",7.0\n')


def test_an_issue_is_read_with_its_entities(tmp_path: Path) -> None:
    olive, members, unit = _read(write_issue(tmp_path))
    assert olive.tag == "olive/4"
    assert [m.href for m in members] == [
        "Document/1/Ar00100.xml", "Document/1/Ad00101.xml", "Document/2/Ar00200.xml",
        "Document/2/Ar00201.xml", "Document/1/Pg001.xml", "Document/2/Pg002.xml"]
    assert (unit.record.publication, unit.record.date, unit.record.language) == (
        "GDH", dt.date(1901, 3, 14), "French")
    assert unit.problems == ()
    port, ad, market = unit.items
    assert (port.headline, port.subtitle, port.kind, port.page, port.pages, port.section) \
        == ("LE NOUVEAU PORT", "Les travaux commencent", "article", 1, (1, 2), "Front page")
    # paragraphs where a line says one opens; a glued word; a word hyphenated across the
    # line end read whole once; the continuation on page 2 goes on the same item
    assert port.blocks == (
        ("Le conseil a décidé hier, après un", "long débat, de", "construire le nouveau quai."),
        ("Les travaux dureront deux ans.",), ("Le quai aura cent mètres de long.",))
    assert (ad.kind, ad.headline, ad.blocks) == (
        "advertisement", None, (("CHOCOLAT FIN", "en vente partout, 2 fr."),))
    assert (market.headline, market.page, market.section) == ("LE MARCHÉ", 2, "Nouvelles")


def test_ingest_reads_the_issue_once_and_accounts_for_every_file(tmp_path: Path) -> None:
    write_issue(tmp_path / "issue")
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, [tmp_path / "issue"], ReadOptions(), jobs=1)
        records = {Path(r.path).name: r for r in store.sources()}
        assert records["TOC.xml"].status == "ingested"
        assert records["TOC.xml"].parser_version == "olive/4"
        assert records["styleGallery.txt"].status == "rejected"
        # the entity and page files are read as parts of the issue, not on their own
        assert not {"Ar00100.xml", "Pg001.xml"} & set(records)
        parts = {Path(p).name for _, p, _, _, _ in store.unit_files()[str(tmp_path / "issue"
                                                                          / "TOC.xml")]}
        assert {"Ar00100.xml", "Ar00200.xml", "Ad00101.xml", "Pg002.xml"} <= parts
        articles = sorted(store.articles(), key=lambda a: a.position)
        assert [(a.headline, a.publication, a.date) for a in articles][0] == (
            "LE NOUVEAU PORT", "GDH", dt.date(1901, 3, 14))
        assert len(articles) == 3
    finally:
        store.close()


def test_a_missing_or_broken_entity_is_named_and_the_rest_is_read(tmp_path: Path) -> None:
    toc = write_issue(tmp_path)
    (tmp_path / "Document" / "2" / "Ar00201.xml").unlink()
    (tmp_path / "Document" / "1" / "Ad00101.xml").write_bytes(b"<XMD-entity><Content>")
    _, _, unit = _read(toc)
    assert [item.headline for item in unit.items] == ["LE NOUVEAU PORT"]
    assert unit.problems[0].startswith("Ad00101 (Document/1/Ad00101.xml): malformed Olive")
    assert unit.problems[1] == "Ar00201 (Document/2/Ar00201.xml): missing"


def test_an_issue_without_its_entities_is_rejected_with_why(tmp_path: Path) -> None:
    (tmp_path / "TOC.xml").write_bytes(TOC.encode("cp1252"))
    with pytest.raises(Rejected, match=r"^Ar00100 \(Document/1/Ar00100.xml\) to Ar00201 "
                       r"\(Document/2/Ar00201.xml\), 4 in all: missing$"):
        _read(tmp_path / "TOC.xml")


def test_an_entity_alone_is_one_item(tmp_path: Path) -> None:
    write_issue(tmp_path)
    path = tmp_path / "Document" / "2" / "Ar00201.xml"
    data = path.read_bytes()
    unit = reader(sniff(str(path), data)).read(Input(str(path), data), ReadOptions())
    [item] = unit.items
    assert (item.headline, item.page, item.blocks) == (
        "LE MARCHÉ", 2, (("Le blé se vend bien cette semaine.",),))
    assert (unit.record.publication, unit.record.date) == ("GDH", dt.date(1901, 3, 14))


def test_hrefs_cannot_climb_out_of_the_issue(tmp_path: Path) -> None:
    toc = tmp_path / "TOC.xml"
    toc.write_bytes(TOC.replace('HREF="/2/Ar00201"', 'HREF="/../../etc/passwd"').encode())
    olive = reader("olive")
    hrefs = [m.href for m in olive.members(str(toc), toc.read_bytes())]
    assert all(".." not in href for href in hrefs) and len(hrefs) == 5


def test_the_paper_is_named_by_its_description_or_the_operator_not_by_a_code(
        tmp_path: Path) -> None:
    """Olive records a paper by its code ("GDH"): the TOC's description names it when it
    has one, else the name the operator gives (--publication); the code is the last
    resort."""
    toc = write_issue(tmp_path)
    data = toc.read_bytes()
    olive = reader("olive")
    members = tuple(olive.members(str(toc), data))
    found, _ = read_members(olive, members)
    named = ReadOptions(publication="Gazette de Harbourtown")
    assert olive.read(Input(str(toc), data, members=found), named).record.publication == \
        "Gazette de Harbourtown"
    described = data.replace(b'PUBLICATION="GDH"', b'PUBLICATION="GDH" '
                             b'PUBLICATION_DESCRIPTION="La Gazette du Havre"')
    assert olive.read(Input(str(toc), described, members=found), named
                      ).record.publication == "La Gazette du Havre"


def test_continuation_links_that_loop_lose_no_entity(tmp_path: Path) -> None:
    """Two entities each said to continue the other (a bad export): both are read."""
    toc = write_issue(tmp_path)
    toc.write_bytes(toc.read_bytes().replace(
        b'HREF="/2/Ar00201"/>', b'HREF="/2/Ar00201" CONTINUATION_TO="Ad00101"/>').replace(
        b'HREF="/1/Ad00101"/>', b'HREF="/1/Ad00101" CONTINUATION_TO="Ar00201"/>'))
    _, _, unit = _read(toc)
    texts = " ".join(line for item in unit.items for block in item.blocks for line in block)
    assert "CHOCOLAT FIN" in texts and "Le blé se vend bien" in texts
    assert "Le quai aura cent mètres" in texts


@pytest.mark.parametrize(("change", "reason"), [
    (lambda toc: b'<!DOCTYPE Xmd_toc [<!ENTITY e "x">]>' + toc.split(b"?>", 1)[1],
     "declares its own entities"),
    (lambda toc: toc[: len(toc) // 2], "malformed Olive TOC"),
    (lambda toc: b"\x00\x01\x02 not xml", "")])
def test_a_bad_toc_is_rejected_with_a_reason(tmp_path: Path, change, reason: str) -> None:
    toc = write_issue(tmp_path)
    toc.write_bytes(change(toc.read_bytes()))
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, [tmp_path], ReadOptions(), jobs=1)
        record = {Path(r.path).name: r for r in store.sources()}["TOC.xml"]
        assert record.status == "rejected" and reason in (record.reason or "")
        # its entity files, claimed by no readable TOC, are read on their own
        assert {Path(r.path).name for r in store.sources() if r.status == "ingested"} >= {
            "Ar00100.xml", "Ar00201.xml"}
    finally:
        store.close()


def test_a_bad_entity_file_is_named_and_its_issue_read(tmp_path: Path) -> None:
    toc = write_issue(tmp_path)
    bomb = (b'<?xml version="1.0"?><!DOCTYPE XMD-entity [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><XMD-entity ENTITY_TYPE="Article">'
            b'<Content><Primitive><W>&b;</W></Primitive></Content></XMD-entity>')
    (tmp_path / "Document" / "2" / "Ar00201.xml").write_bytes(bomb)
    _, _, unit = _read(toc)
    assert [item.headline for item in unit.items] == ["LE NOUVEAU PORT", None]
    assert unit.problems == ("Ar00201 (Document/2/Ar00201.xml): Olive entity declares its own "
                             "entities (a, b) in its DOCTYPE: entities are never expanded here;"
                             " remove the declarations",)
