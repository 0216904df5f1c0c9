"""The page OCR text reader (archive.formats.ocr_text): golden pages of invented text (one
without blank lines, Chronicling America style, one with blank lines between blocks),
furniture, the page number, sniffing page OCR from article text, and (slow) a sample of
real Chronicling America front pages ingested end to end."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from archive.articles import finish
from archive.formats import Input, ocr_text
from archive.formats.ocr_lines import clean
from archive.formats.sniff import sniff
from archive.ingest import ingest
from archive.model import PageMeta, RawUnit, ReadOptions, Rejected
from archive.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "ocr_text"
PAGES = ("chronam_page", "blocks_page", "one_article")
# Text that only page furniture holds on the fixture pages.
FURNITURE = ("VOL.", "PRICE ONE CENT", "THE WEATHER", "Continued on", "514", "-----", "■",
             "j^pyPi", "MILLBROOK EVENING SENTINEL", "COUNTY CHRONICLE", "1855.")


def _read(name: str, data: bytes | None = None) -> RawUnit:
    path = FIXTURES / f"{name}.txt"
    return ocr_text.read(Input(path.name, path.read_bytes() if data is None else data),
                         ReadOptions())


def _finished(name: str):
    unit = _read(name)
    return unit, finish(unit, f"{name}.txt", "0" * 64, PageMeta(), ReadOptions()).articles


def _as_golden(unit) -> dict:
    printed = unit.printed
    return {
        "printed": {"publication": printed.publication,
                    "date": printed.date.isoformat() if printed.date else None,
                    "page": printed.page},
        "stripped": [[s.kind, s.text] for s in unit.stripped],
        "items": [{"headline": i.headline, "subtitle": i.subtitle, "kind": i.kind,
                   "page": i.page, "blocks": [list(b) for b in i.blocks]}
                  for i in unit.items],
    }


# --- golden pages --------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
def test_page_matches_golden(name):
    golden = json.loads((FIXTURES / f"{name}.golden.json").read_text("utf-8"))
    assert _as_golden(_read(name)) == golden


def test_page_without_blank_lines_is_cut_at_headlines():
    unit = _read("chronam_page")
    assert [(i.headline, i.kind) for i in unit.items] == [
        ("COUNCIL VOTES NEW WATER MAINS", "article"),
        ("BARN BURNS NEAR CEDAR HILL FARM", "article"),  # bled "B " removed
        ("GREAT JANUARY SALE AT BRADLEY'S STORE", "advertisement"),
        ("Pastor Accepts Call.", "article"),  # a one-line headline under a rule
        ("NOTICE TO CONTRACTORS.", "notice"),
    ]
    council = unit.items[0]
    # The deck is one headline; the crosshead stays inside its story as a paragraph.
    assert council.subtitle == "Contract for Pipe Let to Akron Firm After Long Debate on Cost."
    assert ("Work Begins Monday.",) in council.blocks
    assert council.blocks[-1][-1] == "if the weather holds."


def test_page_with_blank_lines_keeps_run_in_heads_in_their_story():
    unit = _read("blocks_page")
    assert [(i.headline, i.byline) for i in unit.items] == [
        ("LOCAL INTELLIGENCE.", None), ("THE CORN MARKET.", None),
        ("TO BE SOLD BY AUCTION,", "Mr. JAMES HOLT")]
    local = unit.items[0]
    assert local.blocks[1][0].startswith("ACCIDENT AT THE MILL.—On Wednesday")
    assert [i.kind for i in unit.items] == ["article", "article", "advertisement"]


def test_a_page_of_one_article_gives_one_item():
    unit = _read("one_article")
    assert len(unit.items) == 1
    assert unit.items[0].headline == "FARMERS FORM A GRAIN ASSOCIATION"
    assert ("Elevator by Harvest.",) in unit.items[0].blocks  # a crosshead, not a story


def test_finished_articles_join_lines_and_read_datelines():
    _, articles = _finished("chronam_page")
    assert len(articles) == 5
    council, barn = articles[0], articles[1]
    assert (council.place, council.dateline.month, council.dateline.day) == ("Millbrook", 1, 14)
    assert barn.place == "Cedar Hill"
    body = " ".join(council.paragraphs)
    assert "after a debate that lasted" in body and "de- bate" not in body
    assert "partly covered by insurance." in barn.paragraphs[0]


def test_dateline_separator_with_a_period_is_removed():
    _, articles = _finished("chronam_page")
    assert articles[0].paragraphs[0].startswith("The city council last night")


@pytest.mark.parametrize("name", PAGES)
def test_no_item_holds_furniture(name):
    unit, articles = _finished(name)
    for article in articles:
        text = "\n".join([article.headline, article.subtitle or "", *article.paragraphs])
        for furniture in FURNITURE:
            assert furniture not in text, (article.headline, furniture)
    kinds = {s.kind for s in unit.stripped}
    assert "masthead" in kinds


def test_furniture_is_stripped_and_told_apart():
    stripped = _read("chronam_page").stripped
    assert ("jump", "(Continued on Page 6.)") in [(s.kind, s.text) for s in stripped]
    assert {"masthead", "jump", "number", "rule", "noise"} <= {s.kind for s in stripped}
    forecast = [s.text for s in stripped if s.kind == "masthead"]
    assert "Fair tonight; colder Sunday." in forecast  # the weather box's text


def test_masthead_reveals_publication_and_date():
    printed = _read("chronam_page").printed
    assert printed.publication == "The Millbrook Evening Sentinel"
    assert printed.date.isoformat() == "1916-01-15"
    # A weekday that disagrees with the date makes the date untrusted.
    page = "VOL. 3 MILLBROOK, OHIO, MONDAY, JANUARY 15, 1916\n" + _body(30)
    assert ocr_text.read(Input("p.txt", page.encode()), ReadOptions()).printed.date is None


@pytest.mark.parametrize("folio", ["VOU VI., No. 04.", "you vi., No, 10a.", "PRICE ONE OBNT",
                                   "SIX PAGES TODAY"])
def test_a_folio_line_the_ocr_garbled_is_still_the_masthead(folio: str):
    page = f"DAILY EDITION\n{folio}\n" + _body(30)
    unit = ocr_text.read(Input("p.txt", page.encode()), ReadOptions())
    assert [s.text for s in unit.stripped if s.kind == "masthead"] == ["DAILY EDITION", folio]
    assert [i.headline for i in unit.items] == ["ROADS NEED MONEY"]


def test_a_sentence_naming_a_price_is_no_masthead():
    page = _body(3) + "the price ten years ago was lower by half.\n" + _body(20).split(
        "\n", 2)[2]
    unit = ocr_text.read(Input("p.txt", page.encode()), ReadOptions())
    assert not [s for s in unit.stripped if s.kind == "masthead"]
    assert unit.items[0].headline == "ROADS NEED MONEY"


def _body(lines: int) -> str:
    """Invented running text of that many column lines under one headline."""
    words = ("the council met again on tuesday and heard the reports of the road "
             "committee which asked for more money to mend the bridges").split()
    out = ["ROADS NEED MONEY", "Committee Asks for More."]
    for n in range(lines):
        out.append(" ".join(words[(n * 3) % 12:(n * 3) % 12 + 6]))
    return "\n".join(out) + ".\n"


def test_byline_under_the_deck_is_the_byline():
    page = _body(12).replace("Committee Asks for More.\n",
                             "Committee Asks for More.\nBy John Smith.\n")
    [item] = ocr_text.read(Input("p.txt", page.encode()), ReadOptions()).items
    assert (item.headline, item.subtitle, item.byline) == (
        "ROADS NEED MONEY", "Committee Asks for More.", "John Smith")


# --- page numbers -------------------------------------------------------------------------

def test_stray_numbers_never_set_the_page():
    page = ("514\nROADS NEED MONEY\nCommittee Asks for More.\n— 12 —\n"
            "The road committee asked for 514 dollars to mend\nthe bridges, and page 7 of "
            "its report shows\nwhy the money is needed this year.\n236\n")
    unit = ocr_text.read(Input("page.txt", page.encode()), ReadOptions())
    assert unit.printed.page is None
    assert all(item.page is None for item in unit.items)
    assert [s.text for s in unit.stripped if s.kind == "number"] == ["514", "— 12 —", "236"]


def test_a_folio_on_the_first_lines_sets_the_page():
    page = "PAGE SIX\n" + _body(20)
    unit = ocr_text.read(Input("page.txt", page.encode()), ReadOptions())
    assert unit.printed.page == 6
    assert ("folio", "PAGE SIX") in [(s.kind, s.text) for s in unit.stripped]
    inside = _body(10) + "Page 3\n" + _body(10)  # mid-page: a line of text, no folio
    assert ocr_text.read(Input("p.txt", inside.encode()), ReadOptions()).printed.page is None


@pytest.mark.parametrize(("name", "page"), [
    ("dates/19160115/sn85054967-ed-1_seq-1.txt", 1),
    ("batch_x/sn83045396/1911-09-17/ed-1/seq-3/ocr.txt", 3),
    ("pages/seq-0.txt", None),
    ("pages/1916-01-15.txt", None),  # a date names the issue, not a page
    # other names number pages too (archive.formats.page_names)
    ("pages/subseq-4.txt", 4),
    ("pages/page12.txt", 12),
])
def test_chronicling_america_sequence_gives_the_page(name, page):
    unit = ocr_text.read(Input(name, _body(12).encode()), ReadOptions())
    assert {item.page for item in unit.items} == {page}


# --- lines ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "cleaned"), [
    ("H An Independent Paper", "An Independent Paper"),
    ("B The Last Mexican Outrage", "The Last Mexican Outrage"),
    ("A Man Was Hurt", "A Man Was Hurt"),
    ("I Think So", "I Think So"),
    ("W. N. Conrad, director;", "W. N. Conrad, director;"),
    ("  spaced   words  ", "spaced words"),
])
def test_column_bleed_is_cleaned(line, cleaned):
    assert clean(line) == cleaned


def test_soft_hyphen_at_a_line_end_keeps_the_word_whole():
    page = ("ROADS NEED MONEY\nCommittee Asks for More.\nThe committee rec\u00ad\nognized "
            "the need for\nmoney to mend the bridges\nbefore the spring rains.\n")
    unit = ocr_text.read(Input("p.txt", page.encode()), ReadOptions())
    lines = [line for block in unit.items[0].blocks for line in block]
    assert lines[:2] == ["The committee recognized", "the need for"]
    assert "\u00ad" not in unit.text
    # The rest of the word alone on its line: no blank line is left behind (it would part
    # the page into blocks).
    page = page.replace("the bridges\n", "the brid\u00ad\nges\n")
    unit = ocr_text.read(Input("p.txt", page.encode()), ReadOptions())
    assert "\n\n" not in unit.text
    lines = [line for block in unit.items[0].blocks for line in block]
    assert lines[2:] == ["money to mend the bridges", "before the spring rains."]


def test_a_page_of_noise_is_rejected():
    with pytest.raises(Rejected, match="no text"):
        _read("noise_only")
    with pytest.raises(Rejected, match="empty"):
        ocr_text.read(Input("p.txt", b"\n \n"), ReadOptions())


# --- sniffing -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
def test_page_ocr_is_sniffed_as_ocr_text(name):
    path = FIXTURES / f"{name}.txt"
    assert sniff(path.name, path.read_bytes()) == "ocr-text"


def test_article_text_stays_pressreader():
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    pages = sorted((ROOT / "tests" / "fixtures" / "pages").rglob("*.txt"))
    assert seeds and pages
    for path in [*seeds, *pages]:
        try:
            assert sniff(path.name, path.read_bytes()[:65536]) == "pressreader", path
        except Rejected:
            pass  # binary, empty: not text at all, as before
    # The seed layout hard-wrapped at a column's width is still article text: its footers.
    wrapped = "\n".join(["Arab Times", "", "Oil prices rise", "", "-", "",
                         *_body(20).splitlines(), "", "Newspapers in English", "",
                         "Newspapers from Kuwait"])
    assert sniff("page.txt", wrapped.encode()) == "pressreader"
    crawl = ("TEHRAN - " + "The minister said the plan would be carried out. " * 60).encode()
    assert sniff("page.txt", crawl) == "pressreader"


@pytest.mark.parametrize("name", ["sn83045211-ed-1_seq-1.txt", "seq-1/ocr.txt",
                                  "2010218519-ed-2_seq-4.txt.gz"])
def test_a_page_named_as_chronicling_america_names_its_ocr_is_page_text(name):
    """Two lines its OCR read say too little to tell a page from an article's text: the
    name does (the seed layout's files are named otherwise)."""
    assert sniff(name, b"Henry Smith, the new consul\nARRIVES AT THE PORT.\n") == "ocr-text"
    assert sniff("story.txt", b"Henry Smith, the new consul\nARRIVES AT THE PORT.\n") == \
        "pressreader"


def test_ocr_speck_is_not_json():
    for speck in ("{/iW", "[3Pfq THE DAILY TELEGRAM p^O ]"):
        page = speck + "\n" + _body(20)
        assert sniff("page.txt", page.encode()) == "ocr-text"
    # A footer's words inside a page of OCR are not the seed layout's footer.
    page = _body(10) + "Newspapers From Over Country In\n" + _body(10)
    assert sniff("page.txt", page.encode()) == "ocr-text"
    for data in (b'{"title": "x"}', b"[1, 2]", b'[\n  {"a": 1}\n]'):
        with pytest.raises(Rejected, match="JSON"):
            sniff("data.txt", data)


# --- ingest ---------------------------------------------------------------------------------

def test_ingested_page_takes_path_date_and_sequence_page(tmp_path):
    folder = tmp_path / "dates" / "19160115"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "chronam_page.txt", folder / "sn00000000-ed-1_seq-1.txt")
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [tmp_path / "dates"], ReadOptions())
        assert report.ingested == 1 and not report.rejected
        articles = sorted(store.articles(), key=lambda a: a.position)
        assert len(articles) == 5
        for article in articles:
            assert article.date.isoformat() == "1916-01-15" and article.date_source == "path"
            assert article.page == 1
            assert article.publication == "The Millbrook Evening Sentinel"
        [source] = store.sources()
        assert source.parser_version == ocr_text.READER.tag
    finally:
        store.close()


# --- the real corpus (slow) -----------------------------------------------------------------

CHRONAM = (ROOT.parent / "shared" / "corpus" / "chronam-ocr" / "dchud__chronam-text"
           / "dates-1916-07.tar.gz")
_MASTHEAD_LINE = re.compile(r"\bVOL(?:UME)?\.?\s*[\dIVXL]+[,.]?\s+NO\.?\s*\d+", re.IGNORECASE)
MIN_ITEMS_PER_PAGE = 8  # measured: about 20 on front pages of 1916


@pytest.mark.slow
def test_chronam_sample_end_to_end(tmp_path):
    from test_corpus import assert_accounted, extract_sample

    files = extract_sample(CHRONAM, tmp_path / "chronam", one_in=11, limit=200)
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [tmp_path / "chronam"], ReadOptions())
        assert_accounted(store, report, files)
        sources = store.sources()
        read = [s for s in sources if s.status == "ingested"]
        assert {s.parser_version for s in read} == {ocr_text.READER.tag}
        # Only pages without text are turned away.
        for source in sources:
            if source.status == "rejected":
                assert Path(source.path).stat().st_size < 2000, source.reason
        articles = list(store.articles())
        assert len(articles) >= MIN_ITEMS_PER_PAGE * len(read)
        for article in articles:
            assert article.date_source == "path" and article.date.year == 1916
            assert article.page == 1  # seq-1 in every path
            for text in (article.headline, *article.paragraphs):
                assert not _MASTHEAD_LINE.search(text), (article.source, text[:80])
    finally:
        store.close()


# --- verse and briefs ----------------------------------------------------------------------

_NAMES = ("Hale", "Dunmore", "Pryce", "Ashby", "Corran", "Whitlow", "Benning", "Tulley")


def _stanzas_page(verse: bool) -> str:
    """Invented page text with blank lines between blocks: a heading over 25 blocks of 4
    lines, either stanzas (every line opens with a capital) or local briefs (running
    prose, its lines going on in lower case)."""
    out = ["THE HARBOUR LIGHTS." if verse else "ABOUT THE TOWN.", ""]
    for n in range(25):
        name = _NAMES[n % len(_NAMES)]
        if verse:
            out += [f"When evening falls on {name} shore,", "The lamps are lit along the quay,",
                    f"And sailors count the {n + 2} bells once more",
                    "Before they turn toward the sea."]
        else:
            out += [f"Mr. {name} of Dover spent the week with",
                    "relatives in the county and returned home",
                    f"on the evening train after {n + 2} pleasant days",
                    "among his many friends there."]
        out.append("")
    return "\n".join(out)


def test_a_poem_in_stanzas_stays_one_item_where_briefs_are_parted():
    meta, options = PageMeta(), ReadOptions()
    poem = ocr_text.read_text(_stanzas_page(True), "poem.txt", meta, options)
    assert [i.headline for i in poem.items] == ["THE HARBOUR LIGHTS."]
    assert sum(len(b) for b in poem.items[0].blocks) == 100
    briefs = ocr_text.read_text(_stanzas_page(False), "briefs.txt", meta, options)
    assert len(briefs.items) == 25
    assert briefs.items[0].headline == "ABOUT THE TOWN."


def _report(place: str, day: int) -> list[str]:
    return [f"{place}, Dec. {day}.—The chamber met again today and heard",
            "the ministers explain the state of the treaty, which",
            "was read twice and sent to a committee of nine",
            "members, who will report on it within the week.", ""]


def test_with_blocks_dated_reports_stay_in_their_column_without_them_they_part():
    headed = "\n".join(["FROM OUR CORRESPONDENTS.", ""] + _report("Paris", 2)
                       + _report("Berlin", 3))
    unit = ocr_text.read_text(headed, "letters.txt", PageMeta(), ReadOptions())
    assert [i.headline for i in unit.items] == ["FROM OUR CORRESPONDENTS."]
    assert len(unit.items[0].blocks) == 2
    # With no headline of their own (a column going on from another page), the dated
    # blocks are still the dispatches of one column.
    headless = _report("Paris", 2) + _report("Berlin", 3)
    unit = ocr_text.read_text("\n".join(headless), "reports.txt", PageMeta(), ReadOptions())
    assert [len(i.blocks) for i in unit.items] == [2]
    # Without blank lines (Chronicling America), a dateline after a finished sentence is
    # all that shows where a dispatch begins.
    plain = "\n".join(line for line in headless if line)
    unit = ocr_text.read_text(plain, "reports.txt", PageMeta(), ReadOptions())
    assert [i.blocks[0][0].split(",")[0] for i in unit.items] == ["Paris", "Berlin"]


def test_with_blocks_a_dispatch_under_its_own_heading_in_any_case_is_an_item():
    """A heading in sentence case over a dateline (French and German papers set them so):
    in the dateline's block ("Le nouveau cabinet" / "Rome, 1er septembre.") or as the
    block before it, it heads its dispatch; the column's own dispatches stay together."""
    column = ["NOUVELLES DU JOUR", ""] + _report("Paris", 2) + _report("Berlin", 3)
    in_block = column + ["Le nouveau cabinet"] + _report("Rome", 4)
    unit = ocr_text.read_text("\n".join(in_block), "page.txt", PageMeta(), ReadOptions())
    assert [i.headline for i in unit.items] == ["NOUVELLES DU JOUR", "Le nouveau cabinet"]
    assert [len(i.blocks) for i in unit.items] == [2, 1]
    assert unit.items[1].blocks[0][0].startswith("Rome, Dec. 4.")
    spaced = column + ["Les plaidoyers « in extremis »", "au procès de Nuremberg ?", "",
                       "Nuremberg , 31 août .", *_report("x", 1)[1:]]
    unit = ocr_text.read_text("\n".join(spaced), "page.txt", PageMeta(), ReadOptions())
    assert unit.items[-1].headline == "Les plaidoyers « in extremis » au procès de Nuremberg ?"
    assert unit.items[-1].blocks[0][0] == "Nuremberg , 31 août ."
    # a paragraph of four lines before a dateline is text, not its heading
    text_before = column + ["The deputies then rose and went out", "into the square, where the",
                            "crowd had waited since the morning", "for the news.", ""] \
        + _report("Rome", 4)
    unit = ocr_text.read_text("\n".join(text_before), "page.txt", PageMeta(), ReadOptions())
    assert [i.headline for i in unit.items] == ["NOUVELLES DU JOUR"]


def test_with_blocks_a_lone_heading_over_a_deck_block_heads_the_text_under_both():
    """A short line in sentence case ("Un grand artiste fêté"), a block of its own, over
    a deck in capitals (a block of its own too) and the text: a headline and its deck."""
    page = _report("Paris", 2) + ["Un grand artiste fêté", "",
                                  "LE MAITRE RODIN DANS SON ATELIER", ""] + _report("Meudon", 3)
    unit = ocr_text.read_text("\n".join(page), "page.txt", PageMeta(), ReadOptions())
    assert [i.headline for i in unit.items] == [None, "Un grand artiste fêté"]
    assert unit.items[1].subtitle == "LE MAITRE RODIN DANS SON ATELIER"


def test_with_blocks_stanzas_after_prose_are_a_poem_of_their_own():
    prose = _report("Paris", 2)
    verse = _stanzas_page(True).split("\n")[2:17]  # three stanzas, no heading
    unit = ocr_text.read_text("\n".join(prose + verse), "page.txt", PageMeta(), ReadOptions())
    assert [len(i.blocks) for i in unit.items] == [1, 3]
    assert unit.items[1].blocks[0][0].startswith("When evening falls")
    quoted = prose[:3] + ["members, who sang these lines:", ""] + verse
    unit = ocr_text.read_text("\n".join(quoted), "page.txt", PageMeta(), ReadOptions())
    assert len(unit.items) == 1
