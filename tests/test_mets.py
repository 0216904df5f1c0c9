"""METS issues: the ALTO pages they name (and refuse to name), the items their logical
structure makes (BnL-style divs with areas, BL-style structLinks to page areas), the words
no article claims, broken pages and bad input, and whole issues through the ingester."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

import archive.formats.mets as mets_module
from archive.formats import Input, reader
from archive.formats.alto import read_alto
from archive.formats.issue_files import OUTSIDE, REMOTE, member_path
from archive.headlines import CHOSEN
from archive.ingest import ingest, read_file
from archive.model import RawItem, RawUnit, ReadOptions, Rejected, Stripped
from archive.problem_list import summary
from archive.store import Store
from archive.units import read_bytes, read_members

FIXTURES = Path(__file__).parent / "fixtures" / "mets"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "alto"


def read_issue(path: Path) -> RawUnit:
    """What the METS reader makes of an issue file and the pages beside it."""
    mets = reader("mets")
    data = read_bytes(str(path), mets.max_bytes)
    members, _ = read_members(mets, tuple(mets.members(str(path), data)))
    return mets.read(Input(str(path), data, members=members), ReadOptions())


def rounded(items: tuple[RawItem, ...]) -> list[RawItem]:
    return [replace(i, confidence=round(i.confidence, 4) if i.confidence is not None else None)
            for i in items]


def copy(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / name, tmp_path / name))


# --- the pages a METS names --------------------------------------------------------------

def test_members_are_the_alto_pages_beside_the_mets() -> None:
    mets = FIXTURES / "harbour" / "harbour-mets.xml"
    members = reader("mets").members(str(mets), mets.read_bytes())
    assert [(m.href, m.path, m.problem, m.page) for m in members] == [
        ("file://./text/harbour-00001.xml", str(FIXTURES / "harbour/text/harbour-00001.xml"),
         None, 1),
        ("file://./text/harbour-00002.xml", str(FIXTURES / "harbour/text/harbour-00002.xml"),
         None, 2)]


@pytest.mark.parametrize("href", ["/etc/passwd", "../secret.xml", "text/../../secret.xml",
                                  "file:///etc/passwd", "file://host/page.xml",
                                  "http://example.org/page.xml", "C:\\pages\\page.xml",
                                  "file://./../secret.xml", "", "."])
def test_hrefs_outside_the_folder_are_refused(tmp_path: Path, href: str) -> None:
    (tmp_path / "issue").mkdir()
    (tmp_path / "secret.xml").write_text("<alto/>")
    # (a URL or an absolute path: looked for in the folder by its name, never where it
    # points, and said so)
    remote = href.startswith(("/", "C:", "file:///", "file://host", "http"))
    assert member_path(str(tmp_path / "issue" / "mets.xml"), href) == (
        None, REMOTE if remote else OUTSIDE)


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "issue").mkdir()
    (tmp_path / "secret.xml").write_text("<alto/>")
    (tmp_path / "issue" / "page.xml").symlink_to(tmp_path / "secret.xml")
    assert member_path(str(tmp_path / "issue" / "mets.xml"), "page.xml") == (
        None, "outside the issue's folder")


def test_missing_and_gzipped_pages(tmp_path: Path) -> None:
    (tmp_path / "a b.xml.gz").write_bytes(gzip.compress(b"<alto/>"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "p.xml").write_text("<alto/>")
    unit = str(tmp_path / "mets.xml")
    assert member_path(unit, "gone.xml") == (None, "missing")
    assert member_path(unit, "a%20b.xml") == (str(tmp_path / "a b.xml.gz"), None)
    assert member_path(unit, "./sub/../sub/p.xml") == (str(tmp_path / "sub" / "p.xml"), None)
    assert member_path(unit, "sub\\p.xml") == (str(tmp_path / "sub" / "p.xml"), None)


# --- golden issues ------------------------------------------------------------------------

def test_bnl_style_issue() -> None:
    """Logical ARTICLE > HEADING / BODY > PARAGRAPH divs naming ALTO blocks (BnL)."""
    unit = read_issue(FIXTURES / "harbour" / "harbour-mets.xml")
    assert unit.record.publication == "The Harbour Gazette"
    assert (unit.record.date, unit.record.language) == (dt.date(1901, 3, 14), "English")
    assert unit.problems == ()
    assert rounded(unit.items) == [
        RawItem(blocks=(("The new lighthouse on the north", "pier was opened yesterday by the"),
                        # a PARAGRAPH of two blocks in two columns, hyphenated between them
                        ("mayor, who praised the engineers", "and the builders.")),
                headline="NEW LIGHTHOUSE OPENED.", byline="J. Smith", kind="article", page=1,
                section="Local News", confidence=0.9),
        RawItem(blocks=(("Prices at the fish market rose",
                         "sharply as the fleet stayed in harbour"),  # "har-" / "bour" p. 2
                        ("during the storm.",)),
                headline="FISH MARKET PRICES.", kind="article", page=1, pages=(1, 2),
                section="Local News", confidence=0.8),
        RawItem(blocks=(("FINE ROPE AND TACKLE",), ("Sold at Dock Street",)),
                kind="advertisement", page=1, section="Advertisements", confidence=0.5),
        RawItem(blocks=(("Printed lines the issue file forgot", "about the weather today."),),
                kind="other", page=1, confidence=0.6,
                notes=("text the issue file places in no article",)),
        RawItem(blocks=(("DIED. On the 12th inst., Mary Brown,", "aged 80 years."),),
                kind="notice", page=2, confidence=1.0),
        RawItem(blocks=(("The new lighthouse at dusk.",),), kind="other", page=2,
                confidence=0.7),
        # no heading part: the MODS title is the block's first line, which becomes it
        RawItem(blocks=(("The steamer Albatross arrived from Leith.",),),
                headline="SHIPPING NEWS.", kind="article", page=2, confidence=0.6),
    ]
    assert unit.stripped == (
        Stripped("masthead", "THE HARBOUR GAZETTE"),
        Stripped("masthead", "No. 12. Thursday, 14 March 1901."),
        Stripped("section-heading", "LOCAL NEWS."),
        Stripped("printer", "Printed by A. Printer, Quay Lane."),
        Stripped("page-number", "1"))


def test_bl_style_issue() -> None:
    """Empty logical divs tied by the structLink to page areas of ALTO word runs (BL)."""
    unit = read_issue(FIXTURES / "courier" / "courier_mets.xml")
    assert unit.record.publication == "The County Courier"  # not the host's title
    assert unit.record.date == dt.date(1850, 7, 6)
    assert unit.record.language == "English"  # the issue says none; its articles do
    assert rounded(unit.items) == [
        RawItem(blocks=(("A violent storm struck the coast",
                         "on Monday night, and many fishing"),
                        ("boats were damaged in the harbour.",)),
                headline="A STORM AT SEA.", kind="article", page=1, pages=(1, 2),
                confidence=0.8783, language="English"),  # the article's own MODS says so
        # no Headline area: the MODS title, which is not printed
        RawItem(blocks=(("The vicar thanks all who gave", "to the new organ fund."),),
                headline="THE ORGAN FUND.", kind="article", page=2, confidence=0.5,
                language="English"),
        # one ADVERT div links every advertisement area: each is an advertisement
        RawItem(blocks=(("LOST, a brown dog. Reward offered.",),), kind="advertisement",
                page=1, confidence=0.6),
        RawItem(blocks=(("TEA, COFFEE and SUGAR at low prices.",),), kind="advertisement",
                page=1, confidence=0.7),
    ]
    # the unplaced block atop the first page is its masthead
    assert unit.stripped == (Stripped("masthead", "THE COUNTY COURIER"),)
    assert unit.problems == ("article art0003: no such ALTO element: word009999 on page 2 "
                             "(courier_0002.xml)",)


def _words_out(unit: RawUnit) -> int:
    """The words a unit holds; a headline made of an item's first words (or the label of
    one with none readable) is no printed heading: its words are the text's."""
    return (sum(len(line.split()) for i in unit.items for b in i.blocks for line in b)
            + sum(len((t or "").split()) for i in unit.items
                  for t in (i.subtitle, i.byline) + (
                      () if CHOSEN.intersection(i.notes) else (i.headline,)))
            + sum(len(s.text.split()) for s in unit.stripped))


def _words_in(issue: Path) -> int:
    """The ALTO words of an issue's pages, a hyphenated pair counted once."""
    total = 0
    for page in issue.glob("*.xml*"):
        data = page.read_bytes()
        data = gzip.decompress(data) if page.suffix == ".gz" else data
        if b"<alto" not in data[:2000]:
            continue
        alto = read_alto(data)
        total += len(alto.places) - sum(alto.word(i).hyphen_part == 2
                                        for i in range(len(alto.places)))
    return total


@pytest.mark.parametrize("name", ["harbour", "courier"])
def test_every_word_comes_out_once(name: str) -> None:
    """Each printed word is in an item or in the furniture, and only once (the MODS title
    of "THE ORGAN FUND." is no printed word)."""
    issue = FIXTURES / name
    unit = read_issue(next(issue.glob("*mets.xml")))
    pages = issue / "text" if name == "harbour" else issue
    assert _words_out(unit) - (3 if name == "courier" else 0) == _words_in(pages)


# --- broken pages and bad input ------------------------------------------------------------

def test_a_broken_page_leaves_the_others(tmp_path: Path) -> None:
    issue = copy("courier", tmp_path)
    page = issue / "courier_0002.xml"
    page.write_bytes(page.read_bytes()[:900])  # truncated
    unit = read_issue(issue / "courier_mets.xml")
    assert len(unit.problems) == 1
    assert re.match(r"page 2 \(courier_0002\.xml\): malformed ALTO at line \d+: ",
                    unit.problems[0])
    storm = unit.items[0]
    assert storm.headline == "A STORM AT SEA." and storm.pages == () and storm.page == 1
    assert storm.notes == ("parts on pages that could not be read are missing: page 2 "
                           "(courier_0002.xml)",)
    assert [i.kind for i in unit.items] == ["article", "advertisement", "advertisement"]


def test_a_missing_page(tmp_path: Path) -> None:
    issue = copy("courier", tmp_path)
    (issue / "courier_0002.xml").unlink()
    unit = read_issue(issue / "courier_mets.xml")
    assert unit.problems[0] == "page 2 (courier_0002.xml): missing"
    assert len(unit.items) == 3


def test_a_gzipped_page_is_read(tmp_path: Path) -> None:
    issue = copy("courier", tmp_path)
    page = issue / "courier_0002.xml"
    (issue / "courier_0002.xml.gz").write_bytes(gzip.compress(page.read_bytes()))
    page.unlink()
    unit = read_issue(issue / "courier_mets.xml")
    assert unit.items[0].pages == (1, 2)


def test_no_page_at_all(tmp_path: Path) -> None:
    issue = copy("courier", tmp_path)
    for page in issue.glob("courier_000*.xml"):
        page.unlink()
    with pytest.raises(Rejected, match=r"^page 1 \(courier_0001.xml\): missing; page 2 "):
        read_issue(issue / "courier_mets.xml")


def test_pages_missing_for_one_reason_are_counted_under_it_not_listed(tmp_path: Path) -> None:
    """An issue whose many pages are all away (URLs to a server: never fetched) is refused
    with one line naming the first and last and counting them."""
    pages = 40
    files = "".join(f'<file ID="ALTO{n}" MIMETYPE="text/xml"><FLocat LOCTYPE="URL" '
                    f'xlink:href="http://example.org/ocr/{n:08d}.xml"/></file>'
                    for n in range(1, pages + 1))
    divs = "".join(f'<div TYPE="page" ORDER="{n}"><fptr FILEID="ALTO{n}"/></div>'
                   for n in range(1, pages + 1))
    (tmp_path / "m.xml").write_text(
        '<mets xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<fileSec><fileGrp USE="FULLTEXT">{files}</fileGrp></fileSec>'
        f'<structMap TYPE="PHYSICAL"><div TYPE="issue">{divs}</div></structMap></mets>')
    with pytest.raises(Rejected) as refused:
        read_issue(tmp_path / "m.xml")
    assert str(refused.value) == (f"page 1 (00000001.xml) to page 40 (00000040.xml), 40 in all: "
                                  f"{REMOTE}")
    # two reasons: each page where its own is said, the many counted
    assert summary(["page 1 (a.xml): missing", "page 2 (b.xml): x", "page 3 (c.xml): x",
                    "page 4 (d.xml): x", "2 items name no page"]) == (
        "page 1 (a.xml): missing; page 2 (b.xml) to page 4 (d.xml), 3 in all: x; "
        "2 items name no page")


def test_pages_without_text(tmp_path: Path) -> None:
    issue = copy("courier", tmp_path)
    for page in issue.glob("courier_000*.xml"):
        page.write_text('<alto><Layout><Page ID="P1"><PrintSpace/></Page></Layout></alto>')
    with pytest.raises(Rejected, match="^no text: none of the issue's 2 ALTO pages"):
        read_issue(issue / "courier_mets.xml")


def test_a_mets_naming_no_alto(tmp_path: Path) -> None:
    (tmp_path / "m.xml").write_text('<mets xmlns="http://www.loc.gov/METS/"><fileSec/></mets>')
    with pytest.raises(Rejected, match="METS without page text: .*no ALTO .*and no PAGE XML"):
        read_issue(tmp_path / "m.xml")


def test_pages_outside_the_folder_are_not_read(tmp_path: Path) -> None:
    issue = copy("courier", tmp_path)
    mets = issue / "courier_mets.xml"
    shutil.copy(issue / "courier_0002.xml", tmp_path / "outside.xml")
    mets.write_text(mets.read_text().replace('xlink:href="courier_0002.xml"',
                                             'xlink:href="../outside.xml"'))
    unit = read_issue(mets)
    assert unit.problems[0] == "page 2 (outside.xml): outside the issue's folder"
    assert all(2 not in (i.page, *i.pages) for i in unit.items)


BOMB = ('<!DOCTYPE mets [<!ENTITY e0 "lol">' + "".join(
    f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)) + "]>")


@pytest.mark.parametrize("change, reason", [
    (lambda t: t[:2000], r"^malformed METS at line \d+: "),
    (lambda t: t.replace("</mets:fileSec>", ""), r"^malformed METS at line \d+: "),
    (lambda t: t.replace('<?xml version="1.0" encoding="UTF-8"?>',
                         '<?xml version="1.0"?>' + BOMB).replace("A STORM AT SEA.", "&e9;"),
     "^malformed METS at line .*amplification"),
    (lambda t: t.replace('<?xml version="1.0" encoding="UTF-8"?>',
                         '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM '
                         '"file:///etc/passwd">]>').replace('TYPE="ARTICLE" DMDID="modsarticle1"',
                                                          'TYPE="&x;" DMDID="modsarticle1"'),
     "^malformed METS at line .*external entity"),
])
def test_bad_mets_is_rejected_through_ingest(tmp_path: Path, change, reason: str) -> None:
    issue = copy("courier", tmp_path)
    mets = issue / "courier_mets.xml"
    mets.write_text(change(mets.read_text()))
    outcome = read_file(mets, tmp_path, ReadOptions())
    assert outcome.parsed is None and re.match(reason, outcome.reason), outcome.reason


def test_external_entity_in_text_is_refused_unread(tmp_path: Path) -> None:
    issue = copy("courier", tmp_path)
    mets = issue / "courier_mets.xml"
    mets.write_text(mets.read_text().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace(
        "<mods:title>THE ORGAN FUND.</mods:title>", "<mods:title>&x;</mods:title>"))
    outcome = read_file(mets, tmp_path, ReadOptions())
    assert outcome.parsed is None
    assert outcome.reason.startswith("METS declares its own entities (x) in its DOCTYPE")


def test_a_mets_over_the_limit(tmp_path: Path) -> None:
    issue = copy("courier", tmp_path)
    outcome = read_file(issue / "courier_mets.xml", tmp_path, ReadOptions(), max_bytes=1000)
    assert outcome.reason.startswith("too large: ") and outcome.parsed is None


def test_a_page_over_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    issue = copy("courier", tmp_path)
    monkeypatch.setattr(mets_module, "READER", replace(mets_module.READER,
                                                       member_max_bytes=3000))
    monkeypatch.setattr("archive.formats._loaded", {})
    outcome = read_file(issue / "courier_mets.xml", tmp_path, ReadOptions())
    assert outcome.reason.startswith("page 1 (courier_0001.xml): too large: ")
    # --max-bytes raises the limit for the pages as for the issue file
    raised = read_file(issue / "courier_mets.xml", tmp_path, ReadOptions(),
                       max_bytes=10 * 1024 * 1024)
    assert raised.parsed is not None and "too large" not in (raised.reason or "")


# --- through the ingester -----------------------------------------------------------------

def test_ingest_reads_the_issue_as_one_unit(tmp_path: Path) -> None:
    issue = copy("harbour", tmp_path)
    store = Store(tmp_path / "store.db")
    report = ingest(store, [tmp_path / "harbour"], ReadOptions(), jobs=1)
    assert (report.seen, report.members, report.new, report.rejected) == (1, 2, 1, {})
    assert store.source_paths() == [str(issue / "harbour-mets.xml")]  # pages are no sources
    articles = list(store.articles())
    assert len(articles) == 7
    first = next(a for a in articles if a.headline == "NEW LIGHTHOUSE OPENED.")
    assert (first.publication, first.date, first.date_source) == ("The Harbour Gazette",
                                                                  dt.date(1901, 3, 14),
                                                                  "metadata")
    assert (first.language, first.section, first.byline, first.page) == ("English",
                                                                         "Local News",
                                                                         "J. Smith", 1)
    assert first.paragraphs == ("The new lighthouse on the north pier was opened yesterday by "
                                "the mayor, who praised the engineers and the builders.",)
    fish = next(a for a in articles if a.headline == "FISH MARKET PRICES.")
    assert fish.pages == (1, 2) and fish.confidence == 0.8
    assert fish.paragraphs == ("Prices at the fish market rose sharply as the fleet stayed "
                               "in harbour during the storm.",)
    assert sorted(a.kind for a in articles) == ["advertisement", "article", "article",
                                                "article", "notice", "other", "other"]
    assert ingest(store, [tmp_path / "harbour"], ReadOptions(), jobs=1).unchanged == 1
    (issue / "text" / "harbour-00002.xml").unlink()  # a page going away reads it again
    again = ingest(store, [tmp_path / "harbour"], ReadOptions(), jobs=1)
    assert again.changed == 1
    assert {a.kind for a in store.articles()} == {"article", "advertisement", "other"}


# --- the shared corpus (slow) -----------------------------------------------------------

ISSUES = {
    "bl1832": "impresso__impresso-text-acquisition/text_preparation/data/sample_data/BL/"
              "BLIP_20190920_01/0002088/1832/1123",
    "bl1855": "impresso__impresso-text-acquisition/text_preparation/data/sample_data/BL/"
              "BLIP_20190929_04/0002244/1855/0922",
    "bnl1858": "impresso__impresso-text-acquisition/text_preparation/data/sample_data/"
               "Luxembourg/public_domain_006/2385348_newspaper_luxzeit1858_1858-12-07_01",
    "bl1824": "Living-with-machines__alto2txt/demo-files/0002647/1824/0217",
    "bl1874": "Living-with-machines__alto2txt/demo-files/bl-repo-files/"
              "BLNewspapers_TheSouthStaffordshireExaminer_0002599_1874/0502",
}
_MARKUP = re.compile(r"<(?:/?(?:String|TextLine|TextBlock|alto|mets|mods)\b|\?xml)|CONTENT=")


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory):
    if not CORPUS.exists():
        pytest.skip("shared corpus absent")
    root = tmp_path_factory.mktemp("corpus")
    for name, folder in ISSUES.items():
        shutil.copytree(CORPUS / folder, root / "issues" / name)
    store = Store(root / "store.db")
    report = ingest(store, [root / "issues"], ReadOptions(), jobs=1)
    return root / "issues", store, report


def _articles(store: Store, name: str):
    return [a for a in store.articles() if f"/issues/{name}/" in a.source]


def _logical(issue: Path, kind: str) -> int:
    mets = next(issue.glob("*mets.xml.gz"))
    root = etree.fromstring(gzip.decompress(mets.read_bytes()))
    return sum(1 for div in root.iter("{*}div") if div.get("TYPE") == kind)


@pytest.mark.slow
def test_corpus_issues_are_read_whole(corpus_store) -> None:
    issues, store, report = corpus_store
    # the manifests (checksum lists) are rejected; every METS is read, its pages with it
    assert {Path(k).name for k in report.rejected} == {"0002088_18321123_manifest.txt",
                                                       "0002244_18550922_manifest.txt"}
    assert report.members == 28 and report.new == 5
    assert not any(p.endswith((".xml.gz", ".xml")) and "mets" not in p
                   for p in store.source_paths())
    for name in ISSUES:
        articles = _articles(store, name)
        assert articles, name
        for a in articles:
            assert 0 < a.confidence <= 1, (name, a.headline)
            assert not _MARKUP.search(a.headline + "\n" + a.body), (name, a.headline)
            assert a.date_source == "metadata"
        # every ARTICLE of the logical structure is an item (BnL also reads a section's
        # own text as one)
        made = sum(a.kind == "article" for a in articles)
        assert made >= _logical(issues / name, "ARTICLE"), name


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ISSUES))
def test_corpus_every_word_comes_out_once(name: str) -> None:
    """No word lost, none doubled: a few differ, as hyphenated pairs are also joined across
    blocks, overlines become sections and unprinted MODS titles headlines."""
    if not CORPUS.exists():
        pytest.skip("shared corpus absent")
    issue = CORPUS / ISSUES[name]
    unit = read_issue(next(issue.glob("*mets.xml.gz")))
    printed = _words_in(issue / "text" if name == "bnl1858" else issue)
    assert abs(_words_out(unit) - printed) <= max(5, printed // 1000)


@pytest.mark.slow
def test_corpus_bl_1832(corpus_store) -> None:
    issues, store, _ = corpus_store
    articles = _articles(store, "bl1832")
    assert {a.publication for a in articles} == {
        "The Liverpool Standard and General Commercial Advertiser"}
    assert {a.date for a in articles} == {dt.date(1832, 11, 23)}
    pages = {p for a in articles if a.kind == "article" for p in (a.pages or (a.page,))}
    assert pages == set(range(1, 9))
    assert sum(a.kind == "article" for a in articles) == _logical(issues / "bl1832", "ARTICLE")
    assert sum(a.kind == "advertisement" for a in articles) == 5
    headlines = {a.headline for a in articles}
    assert {"ROYAL AMPHITHEATRE.", "LORD SANDON.", "LATEST LONDON . NEWS.",
            "TO CORRESPONDENTS."} <= headlines
    # a heading of broken words ("TH : E WIIIGS AND;ili4;") opens the text, said once; the
    # headline is the text's first words after it
    whigs = next(a for a in articles if a.body.startswith("TH : E WIIIGS"))
    assert whigs.pages == (2, 3) and whigs.body.count("WIIIGS") == 1
    assert whigs.headline.startswith("As to the Whigs")
    assert "headline taken from the first words of the text" in whigs.notes
    assert all(a.language == "English" for a in articles)


@pytest.mark.slow
def test_corpus_bnl_1858(corpus_store) -> None:
    _, store, _ = corpus_store
    articles = _articles(store, "bnl1858")
    assert {a.publication for a in articles} == {"Luxemburger Zeitung – Journal de Luxembourg"}
    assert {a.date for a in articles} == {dt.date(1858, 12, 7)}
    assert sum(a.kind == "advertisement" for a in articles) == 5
    feuilleton = next(a for a in articles if a.headline == "Suez et Marseille.")
    assert (feuilleton.section, feuilleton.byline, feuilleton.pages) == ("FEUILLETON",
                                                                         "Barthélémy", (1, 2))
    cologne = next(a for a in articles if a.headline == "Kölnische Zeitung.")
    assert cologne.section == "Zeitungsnachrichten" and cologne.pages == (1, 2)


NDNP_METS = """<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:mods="http://www.loc.gov/mods/v3"
      xmlns:xlink="http://www.w3.org/1999/xlink"
      TYPE="urn:library-of-congress:ndnp:mets:newspaper:issue">
  <dmdSec ID="issueModsBib"><mdWrap MDTYPE="MODS"><xmlData><mods:mods>
    <mods:relatedItem type="host"><mods:titleInfo><mods:title>The Valley Herald</mods:title>
    </mods:titleInfo></mods:relatedItem>
    <mods:originInfo><mods:dateIssued encoding="iso8601">1916-01-07</mods:dateIssued>
    </mods:originInfo></mods:mods></xmlData></mdWrap></dmdSec>
  <fileSec><fileGrp><fileGrp ID="pageFileGrp1">
    <file ID="ocrFile1" USE="ocr"><FLocat LOCTYPE="OTHER" xlink:href="./0003.xml"/></file>
  </fileGrp></fileGrp></fileSec>
  <structMap><div TYPE="np:issue" DMDID="issueModsBib">
    <div TYPE="np:page" ORDER="3"><fptr FILEID="ocrFile1"/></div>
  </div></structMap>
</mets>
"""


def test_an_issue_without_article_structure_is_segmented_by_layout(tmp_path):
    """NDNP issues name their pages but no articles: each page is read by its layout."""
    issue = tmp_path / "1916010701"
    issue.mkdir()
    shutil.copy(FIXTURES / "alto" / "ndnp-page.xml", issue / "0003.xml")
    (issue / "1916010701.xml").write_text(NDNP_METS, encoding="utf-8")
    unit = read_issue(issue / "1916010701.xml")
    alone = reader("alto").read(Input("p.xml", (issue / "0003.xml").read_bytes()),
                                ReadOptions())
    assert [i.blocks for i in unit.items] == [i.blocks for i in alone.items]
    assert unit.items and all(item.page == 3 for item in unit.items)
    assert unit.record.date == dt.date(1916, 1, 7)
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [issue], ReadOptions(), jobs=1)
        assert report.seen == 1 and report.members == 1 and report.new == 1
        assert {a.date for a in store.articles()} == {dt.date(1916, 1, 7)}
        assert {a.date_source for a in store.articles()} == {"metadata"}
    finally:
        store.close()


NDNP_BATCH_ISSUE = """<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:mods="http://www.loc.gov/mods/v3"
      xmlns:xlink="http://www.w3.org/1999/xlink" LABEL="The Valley Herald (Springfield, Ill.),
      1887-03-07" TYPE="urn:library-of-congress:ndnp:mets:newspaper:issue">
  <dmdSec ID="issueModsBib"><mdWrap MDTYPE="MODS"><xmlData><mods:mods>
    <mods:relatedItem type="host"><mods:identifier type="lccn">sn00000000</mods:identifier>
    </mods:relatedItem></mods:mods></xmlData></mdWrap></dmdSec>
  <dmdSec ID="pageModsBib1"><mdWrap MDTYPE="MODS"><xmlData><mods:mods><mods:part>
    <mods:extent unit="pages"><mods:start>5</mods:start></mods:extent></mods:part>
  </mods:mods></xmlData></mdWrap></dmdSec>
  <fileSec><fileGrp><fileGrp ID="pageFileGrp1">
    <file ID="ocrFile1" USE="ocr"><FLocat LOCTYPE="OTHER" xlink:href="./0040.xml"/></file>
  </fileGrp></fileGrp></fileSec>
  <structMap xmlns:np="urn:library-of-congress:ndnp:mets:newspaper">
    <div TYPE="np:issue" DMDID="issueModsBib">
      <div TYPE="np:page" DMDID="pageModsBib1"><fptr FILEID="ocrFile1"/></div>
  </div></structMap>
</mets>
"""
NDNP_REEL = NDNP_BATCH_ISSUE.replace("newspaper:issue", "microfilmReel").replace(
    "./0040.xml", "./0001.xml")


def test_an_ndnp_batch_is_read_as_its_issues(tmp_path):
    """An NDNP batch as the Library of Congress receives it: the batch manifest, a reel
    record whose pages are the film's target frames, issues whose METS name the paper
    only in their LABEL and number their pages in their pages' MODS (divs typed
    "np:page" in an untyped structMap)."""
    reel = tmp_path / "batch_x_ver01" / "data" / "sn00000000" / "00280654139"
    issue = reel / "1887030701"
    issue.mkdir(parents=True)
    shutil.copy(FIXTURES / "alto" / "ndnp-page.xml", issue / "0040.xml")
    shutil.copy(FIXTURES / "alto" / "ndnp-page.xml", reel / "0001.xml")  # a target frame
    (issue / "1887030701.xml").write_text(NDNP_BATCH_ISSUE.replace("\n      1887", " 1887"),
                                          encoding="utf-8")
    (reel / "00280654139.xml").write_text(NDNP_REEL.replace("\n      1887", " 1887"),
                                          encoding="utf-8")
    (tmp_path / "batch_x_ver01" / "data" / "batch.xml").write_text(
        '<?xml version="1.0"?><batch xmlns="http://www.loc.gov/ndnp" name="batch_x">'
        '<issue>./sn00000000/00280654139/1887030701/1887030701.xml</issue></batch>')
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, [tmp_path / "batch_x_ver01"], ReadOptions(), jobs=1)
        articles = list(store.articles())
        reasons = {Path(r.path).name: r.reason for r in store.sources()}
    finally:
        store.close()
    assert articles and {(a.publication, a.date, a.page) for a in articles} == {
        ("The Valley Herald", dt.date(1887, 3, 7), 5)}
    assert {Path(a.source).name for a in articles} == {"1887030701.xml"}  # no frame read
    assert "microfilm reel" in reasons["00280654139.xml"]
    assert "NDNP batch manifest" in reasons["batch.xml"]


def test_an_issue_read_with_max_bytes_is_unchanged_on_the_next_run(tmp_path: Path) -> None:
    issue = copy("harbour", tmp_path)
    store = Store(tmp_path / "store.db")
    limit = 10 * 1024 * 1024
    assert ingest(store, [issue], ReadOptions(), jobs=1, max_bytes=limit).new == 1
    again = ingest(store, [issue], ReadOptions(), jobs=1, max_bytes=limit)
    assert (again.unchanged, again.changed) == (1, 0)
    store.close()


def test_only_an_undeclared_namespace_prefix_is_forgiven() -> None:
    from archive.formats.xmlsafe import parse

    root = parse(b'<mets xsi:schemaLocation="a b"><file ID="f1"/></mets>', "METS")
    assert root[0].get("ID") == "f1"
    for broken in (b'<mets xsi:a="1"><file></mets>', b'<mets><x:file>t</mets>',
                   b'<mets xsi:a="1">&lost;</mets>'):
        with pytest.raises(Rejected, match="malformed METS"):
            parse(broken, "METS")


def test_an_unplaced_running_head_with_a_misread_year_is_furniture(tmp_path: Path) -> None:
    """A line no article places at the page's edge, printing the paper's day ("THE
    COUNTY PAPER, SATURDAY, MAY 2, 18f4."): a running head, not an item of its own (nor
    an item dated by a place called "The County Paper")."""
    from tests.test_merged_columns import METS, _block, _column

    body = _block("TB3", [[(t, 0)] for t in _column("a", 14)], 100, 340)
    foot = _block("TB9", [[("THE COUNTY PAPER, SATURDAY, MAY 2, 18f4.", 100)]], 860, 600)
    page = ('<?xml version="1.0"?><alto><Layout><Page ID="P1" WIDTH="760" HEIGHT="900">'
            f'<PrintSpace>{body}{foot}</PrintSpace></Page></Layout></alto>')
    (tmp_path / "page-1.xml").write_text(page, encoding="utf-8")
    (tmp_path / "mets.xml").write_text(METS, encoding="utf-8")
    unit = read_issue(tmp_path / "mets.xml")
    assert Stripped("running-head", "THE COUNTY PAPER, SATURDAY, MAY 2, 18f4.") in unit.stripped
    assert all("18f4" not in " ".join(map(" ".join, item.blocks)) for item in unit.items)


def test_sources_lists_a_missing_page_where_it_would_stand(tmp_path: Path) -> None:
    """`newsarchive sources` lists an issue's pages under it by path; one the METS names
    but the folder lacks is listed by where it would stand, not by the bare href."""
    from click.testing import CliRunner

    from web.cli import main
    issue = copy("courier", tmp_path)
    (issue / "courier_0002.xml").unlink()
    data = tmp_path / "data"
    runner = CliRunner()
    assert runner.invoke(main, ["--data-dir", str(data), "ingest", str(issue)]).exit_code == 0
    output = runner.invoke(main, ["--data-dir", str(data), "sources"]).output
    assert f"{issue / 'courier_0002.xml'}  (not read: missing)" in output
    assert f"{issue / 'courier_0001.xml'}  (read)" in output
