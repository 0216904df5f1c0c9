"""Title records (archive.titles): the catalogue's record of a title names the publication
of the pages whose file names carry its LCCN, as Chronicling America delivers them."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from archive.ingest import ingest
from archive.model import ReadOptions
from archive.store import Store
from archive.titles import catalogue_name, is_title_record, lccn_of

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
CHRONAM = CORPUS / "chronam-ocr" / "dchud__chronam-text"

# A front page of my own writing, as page OCR text prints it: no readable title.
PAGE = """VOL. XII. NO. 4 PRICE ONE CENT
MILLBROOK, WEDNESDAY, JANUARY 5, 1916.

COUNCIL VOTES NEW BRIDGE

The town council met on Monday evening and voted the money for the
new bridge over the river, the mayor in the chair and every member
present. The engineers will begin their survey as soon as the river
falls and the roads are fit to carry stone from the quarry.
"""
RECORD = {"lccn": "sn99123456", "name": "The Millbrook courier. [volume]",
          "place_of_publication": "Millbrook, Vt.",
          "issues": [{"date_issued": "1916-01-05"}]}


@pytest.mark.parametrize(("name", "shown"), [
    ("Evening public ledger.", "Evening Public Ledger"),
    ("French Broad hustler. volume", "French Broad Hustler"),
    ("St. Johnsbury Caledonian. [volume]", "St. Johnsbury Caledonian"),
    ("The weekly tribune and the Cape County herald.",
     "The Weekly Tribune and the Cape County Herald"),
    ("The Era-leader.", "The Era-Leader"),
    ("L'Abeille de la Nouvelle-Orléans.", "L'Abeille de la Nouvelle-Orléans"),
    ("The Volume", "The Volume"),
])
def test_a_catalogued_name_is_shown_as_a_reader_would_write_it(name, shown):
    assert catalogue_name(name) == shown


@pytest.mark.parametrize(("name", "lccn"), [
    ("sn83045211-ed-1_seq-1.txt", "sn83045211"), ("2004260419-ed-2_seq-4.txt", "2004260419"),
    ("sn8304521-ed-1.txt", None), ("0002647_18240217_0004.xml", None), ("page-1.txt", None),
    ("sn83045211.txt", "sn83045211"), ("sn83045211", None)])
def test_the_lccn_a_page_file_name_opens_with(name, lccn):
    assert lccn_of(name) == lccn


def test_only_an_lccn_named_json_in_a_titles_folder_is_a_title_record():
    assert is_title_record("/c/titles/sn83045211.json")
    assert not is_title_record("/c/titles/notes.json")
    assert not is_title_record("/c/dates/sn83045211.json")


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _ingest(tmp_path: Path, folder: Path) -> tuple[list, dict]:
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, [folder], ReadOptions())
        return list(store.articles()), {Path(r.path).name: r for r in store.sources()}
    finally:
        store.close()


def test_a_title_record_above_the_pages_names_their_publication(tmp_path):
    folder = tmp_path / "chronam"
    _write(folder, {"dates/19160105/sn99123456-ed-1_seq-1.txt": PAGE,
                    "dates/19160105/sn99000001-ed-1_seq-1.txt": PAGE,  # no record
                    "titles/sn99123456.json": json.dumps(RECORD)})
    articles, sources = _ingest(tmp_path, folder)
    by_page = {Path(a.source).name: a for a in articles}
    assert by_page["sn99123456-ed-1_seq-1.txt"].publication == "The Millbrook Courier"
    assert by_page["sn99123456-ed-1_seq-1.txt"].date.isoformat() == "1916-01-05"
    # without a record the LCCN names the title, and the article says why
    unnamed = by_page["sn99000001-ed-1_seq-1.txt"]
    assert unnamed.publication == "LCCN sn99000001"
    assert any("titles/sn99000001.json" in note for note in unnamed.notes)
    # the record is metadata, read with its pages: no source of its own
    assert set(sources) == {"sn99123456-ed-1_seq-1.txt", "sn99000001-ed-1_seq-1.txt"}


def test_in_chronicling_americas_own_layout_the_lccn_is_a_folder(tmp_path):
    folder = tmp_path / "batch"
    _write(folder, {"sn99123456/1916-01-05/ed-1/seq-1/ocr.txt": PAGE,
                    "19160105/ed-1/seq-1/ocr.txt": PAGE,  # a date folder names no title
                    "titles/sn99123456.json": json.dumps(RECORD)})
    articles, _ = _ingest(tmp_path, folder)
    by_title = {a.source.split("/batch/")[1].split("/")[0]: a.publication for a in articles}
    assert by_title == {"sn99123456": "The Millbrook Courier",
                        "19160105": "Unknown publication"}


def test_an_lccn_names_a_title_only_when_it_surely_is_one(tmp_path):
    folder = tmp_path / "pages"
    _write(folder, {
        # an NDNP batch: title, reel, issue folder (ten digits that are a date and an
        # edition, not an LCCN)
        "sn99123456/00280654139/1887030401/0001.txt": PAGE,
        "2010218519/1916-01-05/ed-1/seq-1/ocr.txt": PAGE,  # an LCCN of ten digits
        "misc/20170115-page1.txt": PAGE})  # a file named by its date names no title
    articles, _ = _ingest(tmp_path, folder)
    by_folder = {a.source.split("/pages/")[1].split("/")[0]: a.publication for a in articles}
    assert by_folder == {"sn99123456": "LCCN sn99123456", "2010218519": "LCCN 2010218519",
                         "misc": "Unknown publication"}


def test_a_manifest_naming_the_publication_is_stronger_than_the_record(tmp_path):
    folder = tmp_path / "chronam"
    _write(folder, {"dates/sn99123456-ed-1_seq-1.txt": PAGE,
                    "dates/manifest.json": json.dumps({"publication": "Millbrook Courier"}),
                    "titles/sn99123456.json": json.dumps(RECORD)})
    (article,), _ = _ingest(tmp_path, folder)
    assert article.publication == "Millbrook Courier"


@pytest.mark.parametrize(("record", "reason"), [
    ("{not json", "title record sn99123456.json is not valid JSON"),
    (json.dumps({"lccn": "sn99123456", "name": 12}), "names no title"),
    (json.dumps(["sn99123456"]), "names no title"),
    (json.dumps({"name": "The Millbrook\u0001 courier."}), "which is not text"),
])
def test_a_broken_title_record_rejects_its_pages_with_the_reason(tmp_path, record, reason):
    folder = tmp_path / "chronam"
    _write(folder, {"dates/sn99123456-ed-1_seq-1.txt": PAGE,
                    "dates/sn99000001-ed-1_seq-1.txt": PAGE,
                    "titles/sn99123456.json": record})
    articles, sources = _ingest(tmp_path, folder)
    assert sources["sn99123456-ed-1_seq-1.txt"].status == "rejected"
    assert reason in sources["sn99123456-ed-1_seq-1.txt"].reason
    assert sources["sn99000001-ed-1_seq-1.txt"].status == "ingested"  # the rest is read
    assert articles


@pytest.mark.slow
def test_chronicling_america_pages_take_their_titles_names(tmp_path):
    """Real front pages of 1916 with their titles' records, as the collection delivers
    them: every article is of its title, none of an unknown publication."""
    dates, titles = CHRONAM / "dates-1916-01.tar.gz", CHRONAM / "titles.tar.gz"
    if not dates.is_file() or not titles.is_file():
        pytest.skip("the shared corpus is not on this machine")
    folder = tmp_path / "chronam"
    pages: list[str] = []
    with tarfile.open(dates, "r|gz") as tar:
        for member in tar:
            if member.isfile() and "/19160105/" in member.name and len(pages) < 30:
                _extract(tar, member, folder)
                pages.append(Path(member.name).name)
    wanted = {lccn_of(name) for name in pages}
    names = {}
    with tarfile.open(titles, "r|gz") as tar:
        for member in tar:
            lccn = Path(member.name).stem
            if member.isfile() and lccn in wanted:
                _extract(tar, member, folder)
                names[lccn] = json.loads((folder / member.name).read_text("utf-8"))["name"]
    assert wanted == set(names)
    articles, sources = _ingest(tmp_path, folder)
    assert set(sources) == set(pages)  # the records are no sources
    assert articles
    for article in articles:
        assert article.publication == catalogue_name(names[lccn_of(Path(article.source).name)])


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, folder: Path) -> None:
    if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse odd members
        tar.extract(member, folder, filter="data")
    else:
        tar.extract(member, folder)
