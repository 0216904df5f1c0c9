"""Every fixture page through the real CLI: what each one must yield, or why it is rejected."""

from __future__ import annotations

import gzip
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from web.cli import main

PAGES = Path(__file__).parent / "fixtures" / "pages"

ARAB_TIMES = {
    "publication": "Arab Times", "country": "Kuwait", "language": "English",
    "date": None, "date_source": None, "place": None, "agencies": [], "byline": None,
    "byline_role": None, "subtitle": None, "page": None, "section": None,
}

# path under tests/fixtures/pages -> expected fields; "text" lists exact paragraphs that must
# be present, "paragraphs" the exact paragraph count.
EXPECTED: dict[str, dict] = {
    "2017-11-06/page_03.txt": {
        "headline": "New stadium opens in Jaber", "date": "2017-11-06", "date_source": "path",
        "place": "Kuwait City",
        "text": ["The new stadium in Jaber Al-Ahmad opened its gates to fans on Sunday."],
        "paragraphs": 2},
    "20171107-page3.txt": {
        "headline": "Ferry service to Failaka resumes", "date": "2017-11-07",
        "date_source": "path", "place": "Kuwait City", "paragraphs": 2},
    "_news_123456_Iran-s-exports-of-saffron-rise-sharply.txt": {
        "headline": "Iran’s exports of saffron rise sharply",
        "publication": "Unknown publication", "country": None, "language": None,
        "place": "Tehran",
        "text": ["Exports of saffron rose by a quarter in the past Iranian year, the customs "
                 "office said. The main buyers were Spain and the United Arab Emirates."],
        "paragraphs": 1},
    "ambiguous_year.txt": {
        "headline": "Museum reopens after repairs", "place": "Kuwait City", "paragraphs": 2},
    "arabic_utf8.txt": {
        "headline": "أمطار غزيرة في الكويت", "publication": "Al-Rai", "language": "Arabic",
        "text": ["وحذرت الأرصاد من السيول."], "paragraphs": 2},
    "beijing_xinhua.txt": {
        "headline": "China launches weather satellite", "place": "Beijing",
        "agencies": ["Xinhua"],
        "text": ["China launched a new weather satellite on Wednesday from the Jiuquan "
                 "centre."]},
    "beirut_country.txt": {
        "headline": "Prime minister resigns in televised speech", "place": "Beirut",
        "agencies": ["AP"], "dateline": "BEIRUT, Lebanon, Nov 4, (AP)",
        "text": ["The prime minister announced his resignation on Saturday in a speech "
                 "broadcast from abroad."]},
    "berlin_dpa.txt": {
        "headline": "German exports beat forecasts", "place": "Berlin", "agencies": ["dpa"],
        "dateline": "BERLIN, Nov 8 (dpa)",
        "text": ["German exports rose more than expected in September, data showed on "
                 "Wednesday."]},
    "column_break.txt": {
        "headline": "Floods cut roads in the north", "place": "Dubai", "agencies": ["AFP"],
        "text": ["Heavy rain flooded several roads in the northern emirates on Tuesday, and "
                 "police urged drivers to stay at home until the water receded.",
                 "Schools in two emirates were closed for the day."],
        "paragraphs": 2},
    "cp1252.txt": {
        "headline": "Café owners welcome new rules", "place": "Kuwait City",
        "encoding": "cp1252",
        "text": ["Café owners said the ministry’s new rules were “fair and overdue”, "
                 "according to a survey."]},
    "cp1256_arabic.txt": {
        "headline": "المجلس يقر الميزانية", "publication": "Al-Qabas", "language": "Arabic",
        "encoding": "cp1256",
        "text": ["وافق مجلس الأمة على الميزانية العامة للدولة بأغلبية كبيرة."]},
    "crosshead.txt": {
        "headline": "Budget debate continues", "place": "Kuwait City",
        "text": ["Spending cuts",
                 "The finance committee proposed trimming subsidies by a tenth."],
        "paragraphs": 3},
    "editorial.txt": {
        "headline": "The lessons of a long autumn", "byline": "Ahmed Al-Jarallah",
        "byline_role": "Editor-in-Chief",
        "text": ["Every autumn brings its reckoning, and this one has brought more than "
                 "most."],
        "paragraphs": 2},
    "furniture_everywhere.txt": {
        "headline": "Port traffic rises at Shuwaikh", "date": "2017-11-05",
        "date_source": "page", "page": 12, "place": "Kuwait City",
        "text": ["Container traffic through Shuwaikh port rose by a tenth in October, port "
                 "officials said.",
                 "The rise follows the opening of a new berth in the summer."],
        "paragraphs": 2},
    "gzipped.txt.gz": {
        "headline": "Gold prices steady in local market", "place": "Kuwait City"},
    "hanoi_two_agencies.txt": {
        "headline": "Leaders gather for Pacific summit", "place": "Hanoi",
        "agencies": ["AFP", "Reuters"], "dateline": "HANOI, Nov 5, (AFP, Reuters)"},
    "hyphenation.txt": {
        "headline": "Ministry recognizes volunteer teams", "place": "Kuwait City",
        "text": ["The ministry has recognized the work of forty volunteer teams that helped "
                 "clean the beaches this summer, officials said.",
                 "The Kuwait-based groups will receive certificates."],
        "paragraphs": 2},
    "kuwait_local.txt": {
        "headline": "Cabinet approves new housing plan", "byline": "Fatma Al-Sabah",
        "byline_role": "Arab Times Staff", "date": "2017-11-05", "date_source": "inferred",
        "place": "Kuwait City",
        "text": ["The plan, first proposed in 2015, will be carried out in three stages over "
                 "five years."],
        "paragraphs": 3},
    "london_reuters.txt": {
        "headline": "Oil climbs to two-year high", "place": "London", "agencies": ["Reuters"],
        "dateline": "LONDON, Nov 6 (Reuters)"},
    "manifest/no_masthead.txt": {
        "headline": "Airport expansion on schedule", "publication": "Kuwait Times",
        "place": "Kuwait City", "paragraphs": 2},
    "mojibake.txt": {
        "headline": "Minister’s visit postponed", "place": "Kuwait City",
        "text": ["The minister’s visit to the new hospital was postponed to next week, an "
                 "official said."]},
    "nfd_accents.txt": {
        "headline": "Orchestra performs Saint-Saëns in Salmiya", "place": "Kuwait City",
        "text": ["The visiting orchestra performed works by Saint-Saëns and Dvořák on Sunday "
                 "evening."]},
    "sidecar/page.txt": {
        "headline": "Desert camping season opens", "date": "2017-11-08",
        "date_source": "sidecar", "page": 3, "section": "Local", "place": "Kuwait City"},
    "subtitle.txt": {
        "headline": "New metro line approved",
        "subtitle": "Project to link Jahra with the capital by 2030", "place": "Kuwait City",
        "text": ["The government approved the first line of a metro network on Thursday."],
        "paragraphs": 2},
    "unknown_masthead.txt": {
        "headline": "Camel race draws record crowd", "publication": "Desert Daily Herald",
        "country": None, "language": None, "byline": "John Smith", "place": "Al-Jahra",
        "agencies": ["KUNA"]},
    "utf8_bom.txt": {
        "headline": "Bank raises deposit rates", "place": "Kuwait City", "encoding": "utf-8-sig"},
    "washington_ap.txt": {
        "headline": "Senate panel delays vote on budget", "place": "Washington",
        "agencies": ["AP"], "dateline": "WASHINGTON (AP)",
        "text": ["A Senate committee on Monday put off a vote on the spending bill until after "
                 "the holiday recess."]},
}

REJECTED: dict[str, str] = {
    "bad_sidecar/page.txt": "not valid JSON",
    "binary.dat": "binary data",
    "empty.txt": "empty file",
    "no_headline.txt": "no headline",
    "undecodable.txt": "undecodable",
    "whitespace_only.txt": "empty file",
}

FIELDS = ("headline", "publication", "country", "language", "date", "date_source", "place",
          "agencies", "byline", "byline_role", "subtitle", "page", "section", "dateline")
FURNITURE_TEXT = ("Newspapers in English", "Newspapers from", "PressReader", "ORIGINAL COPY",
                  "COPYRIGHT AND PROTECTED", "ARAB TIMES, SUNDAY", "Creative Commons", "MA/MA")


def cli(data: Path, *args: str) -> str:
    """Run the newsarchive command on a data folder; returns its output (exit 0 required)."""
    result = CliRunner().invoke(main, ["--data-dir", str(data), *args])
    assert result.exit_code == 0, result.output
    return result.output


def export(data: Path) -> dict[str, dict]:
    """Exported articles keyed by source path."""
    records = [json.loads(line) for line in cli(data, "export", "--format", "jsonl").splitlines()]
    return {r["source"]: r for r in records}


def sources(data: Path) -> dict[str, dict]:
    lines = cli(data, "sources", "--format", "jsonl").splitlines()
    return {row["path"]: row for row in map(json.loads, lines)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The fixture folder copied and ingested once: (pages folder, articles, sources)."""
    tmp = tmp_path_factory.mktemp("pages")
    pages = tmp / "pages"
    shutil.copytree(PAGES, pages)
    data = tmp / "data"
    output = cli(data, "ingest", str(pages))
    return pages.resolve(), export(data), sources(data), output


def test_every_fixture_has_an_expectation():
    listed = set(EXPECTED) | set(REJECTED)
    on_disk = {p.relative_to(PAGES).as_posix() for p in PAGES.rglob("*") if p.is_file()
               and p.name != "manifest.json" and not p.name.endswith(".txt.json")}
    assert listed == on_disk
    assert len(listed) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page(corpus, name):
    pages, articles, _, _ = corpus
    record = articles[str(pages / name)]
    expected = {**ARAB_TIMES, **EXPECTED[name]}
    for field in FIELDS:
        if field in expected:
            assert record[field] == expected[field], field
    for paragraph in expected.get("text", []):
        assert paragraph in record["paragraphs"]
    if "paragraphs" in expected:
        assert len(record["paragraphs"]) == expected["paragraphs"]
    assert record["word_count"] == sum(len(p.split()) for p in record["paragraphs"])
    for text in (record["headline"], *record["paragraphs"]):
        assert unicodedata.is_normalized("NFC", text)
        assert "\u00ad" not in text
        assert not any(f in text for f in FURNITURE_TEXT)
    assert all(p.strip() not in {"", "-", "***", "12", record["publication"]}
               for p in record["paragraphs"])


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected_page(corpus, name):
    pages, articles, found, output = corpus
    path = str(pages / name)
    assert path not in articles
    assert found[path]["status"] == "rejected"
    assert found[path]["articles"] == 0
    assert REJECTED[name] in found[path]["reason"]
    assert f"rejected: {path}: " in output


def test_sources_lists_every_page_and_no_metadata_file(corpus):
    pages, articles, found, _ = corpus
    assert set(found) == {str(pages / n) for n in [*EXPECTED, *REJECTED]}
    for name in EXPECTED:
        row = found[str(pages / name)]
        assert row["status"] == "ingested" and row["articles"] == 1 and row["reason"] is None
        assert len(row["sha256"]) == 64
        if "encoding" in EXPECTED[name]:
            assert row["encoding"] == EXPECTED[name]["encoding"]
    assert len(articles) == len(EXPECTED)


def test_year_inference_notes_say_why(corpus):
    pages, articles, _, _ = corpus
    assert any("ambiguous" in n for n in articles[str(pages / "ambiguous_year.txt")]["notes"])
    assert any("2017" in n for n in articles[str(pages / "kuwait_local.txt")]["notes"])


# --- command-line options -------------------------------------------------------------


def _copy(tmp_path: Path, *names: str) -> Path:
    pages = tmp_path / "pages"
    for name in names:
        source = PAGES / name
        target = pages / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    return pages


def test_date_option_fills_only_missing_dates(tmp_path):
    pages = _copy(tmp_path, "ambiguous_year.txt", "2017-11-06", "sidecar",
                  "furniture_everywhere.txt")
    cli(tmp_path / "data", "ingest", str(pages), "--date", "2017-11-05")
    articles = export(tmp_path / "data")
    got = {Path(k).relative_to(pages.resolve()).as_posix(): (r["date"], r["date_source"])
           for k, r in articles.items()}
    assert got == {
        "ambiguous_year.txt": ("2017-11-05", "option"),
        "2017-11-06/page_03.txt": ("2017-11-06", "path"),
        "sidecar/page.txt": ("2017-11-08", "sidecar"),
        "furniture_everywhere.txt": ("2017-11-05", "page"),
    }


def test_bad_date_option_is_a_usage_error(tmp_path):
    pages = _copy(tmp_path, "ambiguous_year.txt")
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "data"), "ingest",
                                       str(pages), "--date", "2017-02-30"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output


def test_publication_option_names_pages_without_masthead(tmp_path):
    pages = _copy(tmp_path, "_news_123456_Iran-s-exports-of-saffron-rise-sharply.txt",
                  "utf8_bom.txt", "manifest")
    cli(tmp_path / "data", "ingest", str(pages), "--publication", "Tehran Times")
    articles = {Path(k).name: r for k, r in export(tmp_path / "data").items()}
    tehran = articles["_news_123456_Iran-s-exports-of-saffron-rise-sharply.txt"]
    assert (tehran["publication"], tehran["country"], tehran["language"]) == (
        "Tehran Times", "Iran", "English")
    assert tehran["publication_slug"] == "tehran-times"
    assert articles["utf8_bom.txt"]["publication"] == "Arab Times"  # the masthead wins
    assert articles["no_masthead.txt"]["publication"] == "Kuwait Times"  # so does a manifest


@pytest.mark.parametrize(("years", "name", "date"), [
    (None, "kuwait_local.txt", "2017-11-05"),
    ("2018-2030", "kuwait_local.txt", None),  # 2017 is out of range: no guess
    ("2010-2020", "berlin_dpa.txt", "2017-11-08"),  # the one Wednesday Nov 8 in range
    ("2017", "hyphenation.txt", "2017-11-08"),  # a one-year range decides alone
    (None, "berlin_dpa.txt", None),  # 1978, 1989, ... 2023: ambiguous
])
def test_years_option_bounds_inference(tmp_path, years, name, date):
    pages = _copy(tmp_path, name)
    options = ["--years", years] if years else []
    cli(tmp_path / "data", "ingest", str(pages), *options)
    (record,) = export(tmp_path / "data").values()
    assert record["date"] == date
    assert record["date_source"] == ("inferred" if date else None)


@pytest.mark.parametrize("years", ["2020-2010", "nineteen", "1990-x"])
def test_bad_years_option_is_a_usage_error(tmp_path, years):
    pages = _copy(tmp_path, "kuwait_local.txt")
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "data"), "ingest",
                                       str(pages), "--years", years])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_absurdly_large_file_is_rejected(tmp_path):
    pages = _copy(tmp_path, "kuwait_local.txt")
    big = pages / "huge.txt"
    paragraph = "The quick brown fox jumps over the lazy dog on Sunday. " * 20 + "\n\n"
    with big.open("w", encoding="utf-8") as stream:
        stream.write("Arab Times\n\nA very long page\n\n-\n\n")
        while stream.tell() < 6 * 1024 * 1024:
            stream.write(paragraph)
    output = cli(tmp_path / "data", "ingest", str(pages))
    found = sources(tmp_path / "data")
    row = found[str(big.resolve())]
    assert row["status"] == "rejected" and "too large" in row["reason"]
    assert len(row["sha256"]) == 64  # the hash is known, so an unchanged giant is recognised
    assert "rejected: 1" in output and "new: 1" in output


def test_max_bytes_option(tmp_path):
    pages = _copy(tmp_path, "kuwait_local.txt", "washington_ap.txt")
    cli(tmp_path / "data", "ingest", str(pages), "--max-bytes", "300")
    found = {Path(k).name: r for k, r in sources(tmp_path / "data").items()}
    assert found["kuwait_local.txt"]["status"] == "rejected"
    assert "--max-bytes" in found["kuwait_local.txt"]["reason"]
    assert found["washington_ap.txt"]["status"] == "ingested"


def test_gzip_bomb_is_rejected(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    text = b"Arab Times\n\nHeadline\n\n-\n\n" + b"word " * 2_000_000
    (pages / "bomb.txt.gz").write_bytes(gzip.compress(text))
    cli(tmp_path / "data", "ingest", str(pages), "--max-bytes", str(1024 * 1024))
    (row,) = sources(tmp_path / "data").values()
    assert row["status"] == "rejected" and "decompressed" in row["reason"]


def test_broken_gzip_is_rejected(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "broken.txt.gz").write_bytes(gzip.compress(b"Arab Times\n\nHeadline\n")[:15])
    cli(tmp_path / "data", "ingest", str(pages))
    (row,) = sources(tmp_path / "data").values()
    assert row["status"] == "rejected" and "gzip" in row["reason"]


# --- generated pages: headline rules ------------------------------------------------------


def _ingest_texts(tmp_path: Path, files: dict[str, str], *options: str) -> dict[str, dict]:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, text in files.items():
        (pages / name).write_text(text, encoding="utf-8")
    cli(tmp_path / "data", "ingest", str(pages), *options)
    found = sources(tmp_path / "data")
    records = export(tmp_path / "data")
    return {Path(path).name: records.get(path, row) for path, row in found.items()}


def test_page_opening_with_a_sentence_takes_its_headline_from_the_file_name(tmp_path):
    lead = "Iran’s Foreign Minister said on Monday that talks would resume next week."
    got = _ingest_texts(tmp_path, {
        "_news_1_Talks-to-resume-next-week.txt": f"{lead}\n\nHe gave no details.\n",
        "_news_2_Quoted-lead.txt": "He called the deal “a grave mistake”.\n\nMore text.\n",
    }, "--publication", "Tehran Times")
    first = got["_news_1_Talks-to-resume-next-week.txt"]
    assert first["headline"] == "Talks to resume next week"
    assert first["paragraphs"] == [lead, "He gave no details."]  # the lead is not lost
    assert got["_news_2_Quoted-lead.txt"]["headline"] == "Quoted lead"


def test_a_file_of_a_word_or_two_is_rejected_for_its_lack_of_text(tmp_path):
    """A scan whose OCR read next to nothing ("DE RATON") is told so, not that its
    headline is missing."""
    got = _ingest_texts(tmp_path, {"p1.txt": "DE RATON\n"})
    assert got["p1.txt"]["status"] == "rejected"
    assert got["p1.txt"]["reason"] == "too little text for an article: 2 words in the whole file"


def test_a_page_of_text_with_no_headline_line_is_read_as_page_text(tmp_path):
    """A small page of another paper (its masthead and date, then its stories under
    headings in mixed case) opens with no headline line: read as page text, not lost."""
    page = ("Der Abendbote\nNr. 61. Dienstag, den 12. März 1912.\n\n"
            "Die Lage im Reichstag.\n\n"
            "Der Reichstag setzte gestern die Beratung des Etats fort. Der Abgeordnete\n"
            "sprach über die auswärtige Politik und forderte eine klare Haltung.\n\n"
            "Großfeuer in Hamburg.\n\n"
            "In der vergangenen Nacht brach in einem Speicher am Hafen ein Feuer aus,\n"
            "das erst nach mehreren Stunden gelöscht werden konnte.\n")
    cli(tmp_path / "data", "ingest", str(_written(tmp_path, "seite.txt", page)))
    records = [json.loads(line) for line in cli(tmp_path / "data", "export", "--format",
                                                "jsonl").splitlines()]
    assert sorted(r["headline"] for r in records) == ["Die Lage im Reichstag.",
                                                      "Großfeuer in Hamburg."]
    assert {(r["publication"], r["date"]) for r in records} == {("Der Abendbote",
                                                                 "1912-03-12")}


def _written(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_headline_in_the_headline_slot_is_one_however_it_reads(tmp_path):
    """Over the "-" slot a block is the headline, even one that reads as a dateline
    ("INTERVIEW: ..." as "KUWAIT CITY: ..."); 26 of 9,885 generated pages were lost so."""
    body = "The insurer said on Monday that it would merge its units in Europe. " * 3
    got = _ingest_texts(tmp_path, {"p1.txt": f"Arab Times\n\nINTERVIEW: Insurer Merges "
                                             f"European Units\n\n-\n\n{body}\n"})
    assert got["p1.txt"]["headline"] == "INTERVIEW: Insurer Merges European Units"


def test_page_opening_with_a_sentence_and_no_title_is_rejected(tmp_path):
    got = _ingest_texts(tmp_path, {"p1.txt": "The talks went well.\n\nMore text.\n"})
    assert got["p1.txt"]["status"] == "rejected" and "no headline" in got["p1.txt"]["reason"]


@pytest.mark.parametrize("headline", ["Iran, U.S. trade barbs", "Waiting for...",
                                      "Is the deal dead?", "Oil up 2%"])
def test_headlines_that_end_in_punctuation_are_kept(tmp_path, headline):
    got = _ingest_texts(tmp_path, {"p1.txt": f"{headline}\n\nThe talks went well.\n"})
    assert got["p1.txt"]["headline"] == headline


def test_sentence_headline_confirmed_by_the_dash_slot(tmp_path):
    got = _ingest_texts(tmp_path, {"p1.txt": "Arab Times\n\nWe will not forget.\n\n-\n\n"
                                             "The nation marked the day.\n"})
    assert got["p1.txt"]["headline"] == "We will not forget."


def test_footer_like_sentence_is_kept_as_text(tmp_path):
    got = _ingest_texts(tmp_path, {"p1.txt": "Arab Times\n\nReading habits\n\n-\n\n"
                                             "Newspapers in English are popular in Kuwait\n\n"
                                             "Newspapers from Kuwait\n"})
    record = got["p1.txt"]
    assert record["paragraphs"] == ["Newspapers in English are popular in Kuwait"]
    assert record["country"] == "Kuwait"


def test_date_only_running_head_names_no_publication(tmp_path):
    got = _ingest_texts(tmp_path, {"p1.txt": "SUNDAY, NOVEMBER 5, 2017\n\nFerry resumes\n\n-\n\n"
                                             "KUWAIT CITY, Nov 4: Boats ran again.\n"})
    record = got["p1.txt"]
    assert (record["date"], record["date_source"]) == ("2017-11-05", "page")
    assert record["publication"] == "Unknown publication"
    assert record["headline"] == "Ferry resumes"
