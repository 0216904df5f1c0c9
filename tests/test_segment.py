"""Layout segmentation (archive.segmentation) on small synthetic pages built here: columns,
headlines, bands, furniture (masthead, folio, jump lines, rules, noise), kinds, and pages
with missing boxes or fonts. Slow tests measure it against real ground truth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from archive.layout import Block, Box, Line, Page, Word
from archive.model import Stripped
from archive.segmentation import printed_meta, segment
from archive.segmentation.furniture import dated_head, folio_page, is_jump, printed_date
from archive.segmentation.gutters import gutters
from archive.segmentation.imprints import IMPRINT_WORDS

CHAR = 10  # width of a character of body type
HEIGHT = 20  # height of a body line
PITCH = 24  # from one body line to the next


def line(text: str, left: float, top: float, size: float = 10.0, char: float = CHAR,
         height: float = HEIGHT, confidence: float = 0.9) -> Line:
    """A line of words laid out from left to right at top."""
    words = []
    x = left
    for word in text.split():
        words.append(Word(word, Box(x, top, x + char * len(word), top + height), confidence))
        x += char * (len(word) + 1)
    return Line(tuple(words), Box(left, top, x - char, top + height), size)


def block(name: str, lines: list[Line], role: str | None = None) -> Block:
    box = lines[0].box
    for other in lines[1:]:
        box = box.union(other.box)
    return Block(name, tuple(lines), box, role)


def body(name: str, texts: list[str], left: float, top: float) -> Block:
    return block(name, [line(t, left, top + PITCH * i) for i, t in enumerate(texts)])


def heading(name: str, text: str, left: float, right: float, top: float,
            size: float = 10.0, char: float = CHAR) -> Block:
    """A heading centred between left and right."""
    width = char * len(text)
    start = left + (right - left - width) / 2
    height = HEIGHT * size / 10
    return block(name, [line(text, start, top, size, char, height)])


def text(width: int, n: int, seed: str) -> list[str]:
    """n lines of lower-case words, each filling about width characters."""
    words = [f"{seed}{i}" for i in range(200)]
    out, current = [], ""
    for word in words:
        if len(current) + len(word) + 1 > width:
            out.append(current)
            current = ""
            if len(out) == n:
                break
        current = f"{current} {word}".strip()
    return out


def words_of(item) -> str:
    return " ".join(line for b in item.blocks for line in b)


# --- columns and headlines --------------------------------------------------------------

def two_column_page() -> Page:
    """Columns at x 0-400 and 450-850, each with two headlines over their text."""
    blocks = []
    for col, left in enumerate((0, 450)):
        top = 0
        for n in range(2):
            name = f"c{col}h{n}"
            title = ["HARBOUR NEWS.", "MARKET REPORT.", "CHURCH NOTES.", "SHIPPING."][col * 2 + n]
            blocks.append(heading(name, title, left, left + 400, top))
            blocks.append(body(name + "b", text(40, 5, f"{name}w"), left, top + 40))
            top += 40 + 5 * PITCH + 30
    return Page(tuple(blocks), width=850, height=500)


def test_two_columns_two_headlines_each_give_four_items_in_reading_order():
    items, stripped = segment(two_column_page())
    assert [i.headline for i in items] == ["HARBOUR NEWS.", "MARKET REPORT.", "CHURCH NOTES.",
                                           "SHIPPING."]
    assert [words_of(i).split()[0] for i in items] == ["c0h0w0", "c0h1w0", "c1h0w0", "c1h1w0"]
    assert all(i.kind == "article" for i in items)
    assert stripped == []


def test_reading_order_does_not_follow_source_order():
    page = two_column_page()
    shuffled = Page(tuple(reversed(page.blocks)), page.width, page.height)
    assert [i.headline for i in segment(shuffled)[0]] == [i.headline for i in segment(page)[0]]


def test_full_width_headline_over_three_columns_heads_one_article_read_column_by_column():
    blocks = [heading("head", "GREAT FIRE IN THE CITY", 0, 1300, 0, size=30, char=30)]
    for col, left in enumerate((0, 450, 900)):
        blocks.append(body(f"col{col}", text(40, 8, f"k{col}w"), left, 100))
    items, _ = segment(Page(tuple(blocks), width=1300, height=400))
    assert len(items) == 1
    assert items[0].headline == "GREAT FIRE IN THE CITY"
    assert [b[0].split()[0] for b in items[0].blocks] == ["k0w0", "k1w0", "k2w0"]


def test_band_under_the_news_is_read_after_it():
    """A feuilleton band across three columns under three columns of news: the news is
    read first, column by column, then the band."""
    blocks = [heading("h1", "LATEST NEWS.", 0, 400, 0)]
    for col, left in enumerate((0, 450, 900)):
        blocks.append(body(f"news{col}", text(40, 6, f"n{col}w"), left, 40))
    blocks.append(heading("h2", "FEUILLETON.", 0, 400, 40 + 6 * PITCH + 60))
    for col, left in enumerate((0, 450, 900)):
        blocks.append(body(f"story{col}", text(40, 6, f"s{col}w"), left, 40 + 6 * PITCH + 100))
    items, _ = segment(Page(tuple(blocks), width=1300, height=600))
    assert [i.headline for i in items] == ["LATEST NEWS.", "FEUILLETON."]
    assert [b[0].split()[0] for b in items[0].blocks] == ["n0w0", "n1w0", "n2w0"]
    assert [b[0].split()[0] for b in items[1].blocks] == ["s0w0", "s1w0", "s2w0"]


def test_deck_under_a_headline_is_its_subtitle():
    blocks = [heading("h", "TOWN HALL BURNS", 0, 400, 0, size=16, char=16),
              heading("d", "Firemen Fought All Night", 0, 400, 40),
              body("b", text(40, 6, "t"), 0, 80)]
    items, _ = segment(Page(tuple(blocks), width=400, height=300))
    assert len(items) == 1
    assert (items[0].headline, items[0].subtitle) == ("TOWN HALL BURNS",
                                                      "Firemen Fought All Night")


def test_heading_inside_a_block_opens_an_article():
    lines = [line("PRIVATE LETTERS.", 120, 0)] + [
        line(t, 0, PITCH * (i + 1)) for i, t in enumerate(text(40, 4, "p"))]
    blocks = [body("before", text(40, 5, "a"), 0, -200), block("b", lines)]
    items, _ = segment(Page(tuple(blocks), width=400, height=400))
    assert [i.headline for i in items] == [None, "PRIVATE LETTERS."]



def test_text_under_a_division_across_the_columns_is_not_the_last_storys_tail():
    """A feuilleton continued from another page: three columns of verse under the news,
    parted from it by white across the page and without a headline of its own."""
    blocks = [heading("h1", "LATEST NEWS.", 0, 400, 0)]
    for col, left in enumerate((0, 450, 900)):
        blocks.append(body(f"news{col}", text(40, 6, f"n{col}w"), left, 40))
    for col, left in enumerate((0, 450, 900)):
        blocks.append(body(f"story{col}", text(40, 6, f"s{col}w"), left, 40 + 6 * PITCH + 80))
    items, _ = segment(Page(tuple(blocks), width=1300, height=600))
    assert [i.headline for i in items] == ["LATEST NEWS.", None]
    assert [b[0].split()[0] for b in items[1].blocks] == ["s0w0", "s1w0", "s2w0"]


def layered_page(second: str, opening: str, lines: int = 20,
                 headline: str = "THE WINTER SESSION") -> Page:
    """A large headline over a deck and its text (of `lines` lines, 9 or 10 words each),
    then a body-size heading (second) over a paragraph that opens with `opening`."""
    blocks = [heading("h", headline, 0, 400, 0, size=24, char=24),
              heading("d", "Members Return to the Capital", 0, 400, 52),
              body("b1", text(40, lines, "t"), 0, 90),
              heading("s", second, 0, 400, 90 + lines * PITCH + 10),
              body("b2", [opening] + text(40, 5, "u"), 0, 90 + (lines + 1) * PITCH + 20)]
    return Page(tuple(blocks), width=400, height=200 + (lines + 7) * PITCH)


def test_a_sub_heading_goes_on_with_its_article_and_a_dispatch_heading_does_not():
    items, _ = segment(layered_page("THE SPEAKERS.", "The first speaker rose to say that"))
    assert [i.headline for i in items] == ["THE WINTER SESSION"]
    assert "SPEAKERS." in words_of(items[0]).split()
    dispatch = layered_page("Our Paris Letter.", "Paris, Dec. 4.—The chamber met today and")
    assert [i.headline for i in segment(dispatch)[0]] == ["THE WINTER SESSION",
                                                          "Our Paris Letter."]


def test_a_heading_after_a_brief_heads_the_next_brief_unless_a_rubric_stands_over_them():
    """A crosshead breaks a long text; under a short one (a column of news in brief, each
    under its own heading in body type) a heading opens the next item. A rubric set large
    in mixed case ("Nos Echos") keeps its column's headed items as one article."""
    brief = layered_page("LA CRISE DANOISE", "The first speaker rose to say that", lines=5)
    assert [i.headline for i in segment(brief)[0]] == ["THE WINTER SESSION",
                                                       "LA CRISE DANOISE"]
    rubric = layered_page("LA CRISE DANOISE", "The first speaker rose to say that",
                          lines=5, headline="Our Echoes Today")
    assert [i.headline for i in segment(rubric)[0]] == ["Our Echoes Today"]


def test_after_a_heading_of_body_size_a_heading_like_it_heads_the_next_item():
    """On a page that sets headlines in layers, a heading of body size that heads an item
    of its own (here: over a dispatch) is followed by its peers, not by its sub-headings,
    however long its text ("A Saint-Denis." then "Bagarre sanglante.")."""
    page = layered_page("THE SPEAKERS.", "The first speaker rose to say that")
    top = 0
    blocks = list(page.blocks) + [
        heading("p", "AT SAINT-DENIS.", 450, 850, top),
        body("p1", ["Saint-Denis, April 1.—A meeting was held"] + text(40, 20, "v"),
             450, top + 40),
        heading("q", "A BLOODY BRAWL.", 450, 850, top + 40 + 21 * PITCH + 10),
        body("q1", ["A labourer named Charles was at work"] + text(40, 5, "w"), 450,
             top + 40 + 22 * PITCH + 20)]
    items, _ = segment(Page(tuple(blocks), width=850, height=page.height))
    assert [i.headline for i in items] == ["THE WINTER SESSION", "AT SAINT-DENIS.",
                                           "A BLOODY BRAWL."]


def test_briefs_after_a_long_text_cut_by_sub_headings_are_items_of_their_own():
    """Under a headline in capitals, a heading after a short text that follows a
    sub-heading, over a short text itself, heads a brief of its own; the crosshead after
    the long opening text stays a sub-heading."""
    lines = 20
    page = layered_page("THE SPEAKERS.", "The first speaker rose to say that", lines=lines)
    top = 90 + (lines + 1) * PITCH + 20 + 6 * PITCH + 10
    blocks = list(page.blocks) + [
        heading("r", "A GRAVE ACCIDENT.", 0, 400, top),
        body("r1", ["A boiler burst at the works on Friday"] + text(40, 4, "x"), 0,
             top + PITCH + 10)]
    items, _ = segment(Page(tuple(blocks), width=400, height=page.height + 10 * PITCH))
    assert [i.headline for i in items] == ["THE WINTER SESSION", "A GRAVE ACCIDENT."]
    assert "SPEAKERS." in words_of(items[0]).split()


def _continued_page(ordered: bool) -> Page:
    """Two columns: story A's headline and text at the top of the first, story B under it;
    A's text goes on at the top of the second column. The blocks come in A's order (as an
    OCR engine or a library's segmentation sets them down): A, its text, its tail, B."""
    def prose(seed: str) -> list[str]:  # words of uneven length: no gutter runs down them
        words = [seed + "x" * (i % 7) for i in range(60)]
        return [" ".join(words[n * 6:n * 6 + 6]) for n in range(8)]
    a_top, b_top = 0, 40 + 8 * PITCH + 30
    blocks = [heading("a", "THE FLOODS IN THE NORTH", 0, 400, a_top, size=15, char=15),
              body("a1", prose("a"), 0, a_top + 40),
              body("a2", prose("z"), 450, 0),
              heading("b", "A NEW BRIDGE OPENED", 0, 400, b_top, size=15, char=15),
              body("b1", prose("b"), 0, b_top + 40)]
    return Page(tuple(blocks), width=850, height=800, ordered=ordered)


def test_a_page_whose_source_gives_its_reading_order_is_read_in_it():
    items, _ = segment(_continued_page(ordered=True))
    assert [i.headline for i in items] == ["THE FLOODS IN THE NORTH", "A NEW BRIDGE OPENED"]
    assert "z" in words_of(items[0]).split()
    assert "z" not in words_of(items[1]).split()
    # without it the columns are read one after the other, down each
    items, _ = segment(_continued_page(ordered=False))
    assert "z" in words_of(items[-1]).split()


def test_a_headline_whose_first_line_fills_the_column_is_one_headline():
    lines = [line("GREAT STORM ALONG THE EASTERN", 0, 0),
             line("COAST.", 170, PITCH)] + [
        line(t, 0, PITCH * (i + 2)) for i, t in enumerate(text(40, 5, "g"))]
    blocks = [body("before", text(40, 5, "a"), 0, -200), block("b", lines)]
    items, _ = segment(Page(tuple(blocks), width=400, height=400))
    assert [i.headline for i in items] == [None, "GREAT STORM ALONG THE EASTERN COAST."]
    assert words_of(items[1]).split()[0] == "g0"


def test_columns_the_ocr_ran_together_are_read_one_after_the_other():
    """One block whose lines hold the words of two columns side by side (words of uneven
    lengths, as in print: the spaces between them line up in no column)."""
    def column(seed: str) -> list[str]:
        words = [seed + "x" * (1 + (7 * n) % 9) for n in range(120)]
        return [" ".join(words[n * 5:n * 5 + 5])[:34] for n in range(12)]
    left, right = column("l"), column("r")
    lines = [Line(line(a, 0, PITCH * i).words + line(b, 400, PITCH * i).words,
                  Box(0, PITCH * i, 740, PITCH * i + HEIGHT), 10.0)
             for i, (a, b) in enumerate(zip(left, right, strict=True))]
    items, _ = segment(Page((block("merged", lines),), width=740, height=300))
    read = " ".join(words_of(i) for i in items).split()
    assert read[:len(left[0].split())] == left[0].split()
    assert read.index(left[-1].split()[-1]) < read.index(right[0].split()[0])


def test_a_table_of_figures_has_no_gutters():
    """Aligned spaces between narrow columns of figures are a table's, not gutters."""
    rows = [line(f"Wheat{'x' * (n % 4)} {60 + n} {70 + n} {80 + n}", 0, PITCH * n)
            for n in range(12)]
    assert gutters(rows, HEIGHT) == []


def test_a_papers_imprint_is_kept_as_other():
    imprint = body("i", ["THE WEEKLY CHRONICLE is published every Tuesday",
                         "by the students. Subscription, one dollar per year.",
                         "Entered at the post office as second-class matter."], 0, 0)
    items, _ = segment(Page((imprint,), width=400, height=100))
    assert [i.kind for i in items] == ["other"]


def test_an_imprint_the_layout_cut_into_items_is_other_as_a_whole():
    """The imprint's terms, then its list of editors under a heading of its own: both
    parts are "other"; the story under them, though it names a subscription, stays an
    article, and so does a short item beyond the imprint that names none."""
    story = ["The subscription for the new field was raised"] + text(40, 30, "s")
    blocks = [body("terms", ["THE WEEKLY CHRONICLE is published every Tuesday",
                             "by the students. Subscription, one dollar per year."], 0, 0),
              heading("e", "EDITORS", 0, 400, 80),
              body("names", ["John Smith, Editor-in-Chief", "Paul Jones, Associate"], 0, 110),
              heading("h", "THE FOOTBALL SEASON.", 0, 400, 200),
              body("story", story, 0, 230),
              heading("n", "CAMPUS NOTES.", 0, 400, 230 + PITCH * 32),
              body("note", ["The library opens at nine."], 0, 260 + PITCH * 32)]
    items, _ = segment(Page(tuple(blocks), width=400, height=300 + PITCH * 34))
    assert [(i.headline, i.kind) for i in items] == [
        (None, "other"), ("EDITORS", "other"), ("THE FOOTBALL SEASON.", "article"),
        ("CAMPUS NOTES.", "article")]


def test_a_long_report_naming_subscriptions_is_no_imprint():
    """A union meeting's report (subscriptions, so much per annum) runs to hundreds of
    words: an article, where the same phrases in a short box are the imprint."""
    lines = ["The members agreed that the subscriptions be raised",
             "to ten shillings per annum, and the business manager",
             "read the accounts of the year."] + [
                 t for seed in "abc" for t in text(40, 60, seed)]
    assert sum(len(t.split()) for t in lines) > IMPRINT_WORDS
    items, _ = segment(Page((body("r", lines, 0, 0),), width=400, height=PITCH * 200))
    assert [i.kind for i in items] == ["article"]


# --- furniture ----------------------------------------------------------------------------

def test_masthead_band_is_stripped_and_its_date_read():
    blocks = [heading("title", "THE EVENING STAR", 0, 1300, 0, size=60, char=60),
              heading("date", "VOL. 12 NO. 4 FRIDAY, JANUARY 7, 1916 ONE CENT", 0, 1300, 140),
              heading("h", "MAYOR RESIGNS.", 0, 400, 220)]
    for col, left in enumerate((0, 450, 900)):
        blocks.append(body(f"c{col}", text(40, 8, f"m{col}w"), left, 260))
    items, stripped = segment(Page(tuple(blocks), width=1300, height=600))
    kinds = {s.text: s.kind for s in stripped}
    assert kinds["THE EVENING STAR"] == "masthead"
    assert kinds["VOL. 12 NO. 4 FRIDAY, JANUARY 7, 1916 ONE CENT"] == "masthead"
    assert all("EVENING STAR" not in words_of(i) and i.headline != "THE EVENING STAR"
               for i in items)
    assert items[0].headline == "MAYOR RESIGNS."
    assert printed_meta(stripped).date == dt.date(1916, 1, 7)


def test_large_type_beside_columns_is_no_masthead():
    """A big advertisement heading at the top of a column, with text beside it."""
    blocks = [body("c0", text(40, 10, "x"), 0, 0),
              heading("ad", "BUY YOUR HATS HERE", 450, 850, 0, size=40, char=20),
              body("c1", text(40, 6, "y"), 450, 100)]
    _, stripped = segment(Page(tuple(blocks), width=850, height=400))
    assert not [s for s in stripped if s.kind == "masthead"]


def _band_page(title: Block, band: list[tuple[str, float]], char: float = CHAR) -> Page:
    """A front page: a title, a band of short lines side by side under it, then a
    headline over three columns of text."""
    blocks = [title] + [block(f"band{n}", [line(t, left, 90, char=char)]) for n, (t, left)
                        in enumerate(band)]
    blocks.append(heading("h", "MAYOR RESIGNS.", 0, 400, 220))
    for col, left in enumerate((0, 450, 900)):
        blocks.append(body(f"c{col}", text(40, 14, f"m{col}w"), left, 260))
    return Page(tuple(blocks), width=1300, height=700)


def test_a_folio_band_under_a_title_of_ordinary_size_is_the_masthead():
    """The OCR read the title garbled and no larger than the text (or the title is a
    picture): the band under it is told by what it prints, in pieces side by side."""
    title = heading("title", "TIIE EVENINC; STAIR", 300, 1000, 20)
    band = [("VOL. III. No. 12.", 0), ("WEDNESDAY, MARCH 4, 1891.", 500),
            ("PRICE ONE PENNY.", 1100)]
    items, stripped = segment(_band_page(title, band))
    masthead = [s.text for s in stripped if s.kind == "masthead"]
    assert masthead == ["TIIE EVENINC; STAIR", "VOL. III. No. 12.",
                        "WEDNESDAY, MARCH 4, 1891.", "PRICE ONE PENNY."]
    assert items[0].headline == "MAYOR RESIGNS."
    assert all("PENNY" not in words_of(i) for i in items)
    assert printed_meta(stripped).date == dt.date(1891, 3, 4)


def test_a_folio_band_beside_ocr_debris_and_over_a_headline_read_with_it():
    """A band the OCR made hard to see (an NDNP front page of 1898): one of its pieces
    also holds the headline printed under it, and the debris of an ornament stands
    beside it (three lines of marks). The band is its first lines' row; the debris is
    no running text; a headline under the band stays the page's."""
    title = heading("title", "TIIE EVENINC; STAIR", 300, 1000, 20)
    page = _band_page(title, [("VOL. III. No. 12.", 500), ("WEDNESDAY, MARCH 4, 1891.", 800)])
    extra = [block("joined", [line("ESTABLISHED 1877-NEW SERIES.", 0, 90),
                              line("PENNSYLVANIA RESERVES.", 0, 135)]),
             block("debris", [line(". ,5 -c :", 1200, 80), line("oag", 1200, 100),
                              line("1891.", 1200, 120)]),
             block("right", [line("THE UNITED", 1000, 140)])]
    items, stripped = segment(Page(page.blocks + tuple(extra), page.width, page.height))
    masthead = [s.text for s in stripped if s.kind == "masthead"]
    assert "VOL. III. No. 12." in masthead and "WEDNESDAY, MARCH 4, 1891." in masthead
    kept = " ".join(f"{i.headline or ''} {words_of(i)}" for i in items)
    assert "THE UNITED" in kept and "THE UNITED" not in " ".join(masthead)
    assert printed_meta(stripped).date == dt.date(1891, 3, 4)


@pytest.mark.parametrize("folio", [
    "SIXTEENTH YEAR. OMAHA. MONDAY MORNING, MARCH 7, 1891. NUMBER 260.",
    "SIXTEENTH YEAE. OMAHA. MONDAY MORNING, MARCH 7, 1891.",  # as the OCR read it
    "37te Aargang. Kiøbenhavn, Mandagen den 7 Marts 1891."])
def test_a_folio_line_counting_the_papers_years_is_the_masthead(folio: str) -> None:
    """One line across the page under the title: the year of the paper's run ("Sixteenth
    Year", "37te Aargang") and the date are two kinds of band matter."""
    title = heading("title", "TIIE EVENINC; STAIR", 300, 1000, 20)
    items, stripped = segment(_band_page(title, [(folio, 0)], char=1250 / len(folio)))
    assert folio in [s.text for s in stripped if s.kind == "masthead"]
    assert items[0].headline == "MAYOR RESIGNS."
    assert printed_meta(stripped).date == dt.date(1891, 3, 7)


def test_short_lines_side_by_side_printing_one_kind_of_band_matter_stay_text():
    """Two headings side by side near the top, one naming a day: no folio band."""
    title = heading("title", "TIIE EVENINC; STAIR", 300, 1000, 20)
    band = [("SATURDAY'S MATCH.", 0), ("THE NEW BRIDGE.", 500)]
    items, stripped = segment(_band_page(title, band))
    assert not [s for s in stripped if s.kind == "masthead"]
    kept = " ".join(f"{i.headline or ''} {words_of(i)}" for i in items)
    assert "SATURDAY'S MATCH." in kept and "TIIE EVENINC; STAIR" in kept


def test_a_running_head_whose_year_the_ocr_misread_is_still_a_folio():
    blocks = [block("run", [line("THE EVENING STAR, SATURDAY, MAY 2, 18f4.", 300, 0)]),
              heading("h", "COUNTY COURT.", 0, 400, 60),
              body("a", text(40, 20, "f"), 0, 100),
              body("b", text(40, 22, "g"), 450, 60)]
    items, stripped = segment(Page(tuple(blocks), width=850, height=700))
    assert [s.kind for s in stripped if "18f4" in s.text] == ["folio"]
    assert all("18f4" not in words_of(i) for i in items)


def test_a_dated_running_head_at_the_top_edge_stays_a_folio_with_its_page():
    """An inside page's running head (page, title, day and date) in pieces: a folio,
    whose number is the page, not a front page's band."""
    blocks = [block("p", [line("4", 0, 0)]),
              block("run", [line("THE EVENING STAR, SATURDAY, MAY 2, 1874.", 400, 0)]),
              heading("h", "COUNTY COURT.", 0, 400, 60),
              body("a", text(40, 20, "f"), 0, 100),
              body("b", text(40, 22, "g"), 450, 60)]
    items, stripped = segment(Page(tuple(blocks), width=850, height=700, number=None))
    assert {s.kind for s in stripped if "1874" in s.text} == {"folio"}
    assert printed_meta(stripped).page == 4 and {i.page for i in items} == {4}


def folio_page_blocks(folio: str | None) -> list[Block]:
    blocks = [heading("h", "COUNTY COURT.", 0, 400, 0),
              body("a", text(40, 6, "f"), 0, 40),
              block("stray", [line("17", 190, 40 + 6 * PITCH + 10)]),
              body("b", text(40, 6, "g"), 0, 40 + 7 * PITCH + 20)]
    if folio is not None:
        blocks.append(block("folio", [line(folio, 190, 40 + 14 * PITCH + 60)]))
    return blocks


def test_folio_gives_the_page_number_and_a_stray_number_does_not():
    items, stripped = segment(Page(tuple(folio_page_blocks("4")), width=400, height=500))
    assert {i.page for i in items} == {4}
    assert [s for s in stripped if s.kind == "folio"] and printed_meta(stripped).page == 4
    assert any("17" in words_of(i).split() for i in items)  # the stray number is text


@pytest.mark.parametrize("line", ["S'adr. Grand'Rue 42, 2me étage. 103",
                                  "The office is open daily until 12"])
def test_a_line_of_words_ending_in_a_number_at_the_edge_is_no_folio(line: str) -> None:
    items, stripped = segment(Page(tuple(folio_page_blocks(line)), width=400, height=500))
    assert printed_meta(stripped).page is None and {i.page for i in items} == {None}
    assert dated_head("4 Luxemburger Wort") and dated_head("12 Journal de Genève")


def test_without_a_folio_a_stray_number_is_never_the_page():
    page = Page(tuple(folio_page_blocks(None)), width=400, height=500, number=None)
    items, stripped = segment(page)
    assert {i.page for i in items} == {None}
    assert printed_meta(stripped).page is None
    numbered = Page(page.blocks, page.width, page.height, number=9)
    assert {i.page for i in segment(numbered)[0]} == {9}


def test_jump_line_is_stripped():
    lines = [line(t, 0, PITCH * i) for i, t in enumerate(text(40, 5, "j"))]
    lines.append(line("Continued on Page 6", 100, PITCH * 5))
    items, stripped = segment(Page((block("b", lines),), width=400, height=300))
    assert ("jump", "Continued on Page 6") in [(s.kind, s.text) for s in stripped]
    assert "Continued" not in words_of(items[0])


@pytest.mark.parametrize("jump", ["Continued on Page 6", "(Continued from first page.)",
                                  "See WAR, Page 4", "(Concluded on fourth page.)",
                                  "Fortsetzung auf Seite 2", "(Continued, on Pag 7.)"])
def test_jump_lines_are_recognised(jump):
    assert is_jump(jump)


@pytest.mark.parametrize("jump", [
    "(Contlnued on Sccond fage.)", "CONT IED ON PAGE THREE.", "Continued 0:1 Page 9",
    "[Continued on Pa#e 14]", "(Continued on pace 5, Cot 2.)", "Contlnned on Faze Two, Column Six",
    "(Continued on paw 3, flrst section.)", "(Concluded on Fifth Pago)", "(Continued on",
    "Cont. on Page 8"])
def test_jump_lines_the_ocr_misread_are_recognised(jump):
    assert is_jump(jump)


@pytest.mark.parametrize("prose", ["Continued rain has flooded the lower town.",
                                   "See the page of notices.",
                                   "He continued, on the whole, to speak for an hour.",
                                   "continues to be a source of comfort to",
                                   "continued to be the most useful",
                                   "Continued on the Marne front",
                                   "(Continued from last week)", "Contlnued on Krrond Poor.",
                                   "concluded that the page was lost", "Contract on page two"])
def test_prose_is_no_jump_line(prose):
    assert not is_jump(prose)


def test_rules_and_noise_read_as_text_are_stripped():
    blocks = [body("a", text(40, 5, "r"), 0, 0),
              block("rule", [line("—" * 38, 5, 5 * PITCH + 5)]),
              block("noise", [line("'.:'_~.", 0, 5 * PITCH + 35)]),
              body("b", text(40, 5, "s"), 0, 5 * PITCH + 70)]
    items, stripped = segment(Page(tuple(blocks), width=400, height=400))
    assert {s.kind for s in stripped} == {"rule", "noise"}
    assert len(items) == 2  # the rule ended the first article


def test_a_rule_between_two_pieces_of_a_column_ends_the_article():
    blocks = (body("a", text(40, 5, "u"), 0, 0), body("b", text(40, 5, "v"), 0, 5 * PITCH + 30))
    rule = Box(0, 5 * PITCH + 12, 400, 5 * PITCH + 14)
    assert len(segment(Page(blocks, width=400, height=400))[0]) == 1
    assert len(segment(Page(blocks, width=400, height=400, rules=(rule,)))[0]) == 2


# --- kinds ---------------------------------------------------------------------------------

def test_advertisement_is_detected():
    ad = [line(t, 200 - len(t) * CHAR / 2, PITCH * i) for i, t in enumerate(
        ["FOR SALE", "A FINE FAMILY CARRIAGE", "Price $150.00 cash", "Also harness, 5 CENTS",
         "Apply to Smith & Sons, Main Street"])]
    blocks = [heading("h", "LOCAL NEWS.", 0, 400, -300), body("n", text(40, 8, "w"), 0, -260),
              block("ad", ad)]
    items, _ = segment(Page(tuple(blocks), width=400, height=400,
                            rules=(Box(0, -30, 400, -28),)))
    assert [i.kind for i in items] == ["article", "advertisement"]


def test_the_parts_of_a_large_advertisement_are_advertisements_too():
    """A large advertisement the layout cut at a display line: its opening prose, with a
    price and a word of trade but too few for an advertisement alone, is of the price
    list under it; a story in the column beside them is not."""
    opening = body("open", ["Bring one of his old coats along and we will",
                            "fit him for $10; if the coat does not please",
                            "him, bring it back after the holidays, and",
                            "the whole family will be pleased with it."], 0, 40)
    prices = [line(t, 200 - len(t) * CHAR / 2, 120 + PITCH * i) for i, t in enumerate(
        ["OVERCOATS $12.50 TO $22.50", "SUITS $10 TO $18", "SHIRTS 50c TO $1.50",
         "HATS $2 TO $5", "SOLD AT OUR STORE"])]
    blocks = [heading("h", "A NEW SUIT FOR CHRISTMAS", 0, 400, 0), opening,
              heading("p", "OUR PRICES", 0, 400, 100), block("prices", prices),
              heading("n", "LOCAL NEWS.", 450, 850, 0), body("news", text(40, 8, "w"), 450, 40)]
    items, _ = segment(Page(tuple(blocks), width=850, height=400))
    assert [(i.headline, i.kind) for i in items] == [
        ("A NEW SUIT FOR CHRISTMAS", "advertisement"), (None, "advertisement"),
        ("LOCAL NEWS.", "article")]
    assert "OUR PRICES" in items[1].blocks[0]


def test_advertisement_role_from_the_source_wins():
    blocks = (body("a", text(40, 5, "z"), 0, 0),)
    ad = Block("ad", blocks[0].lines, blocks[0].box, role="advertisement")
    assert segment(Page((ad,), width=400, height=200))[0][0].kind == "advertisement"


def test_every_advertisement_block_of_the_source_is_an_item():
    first, second = body("a1", text(40, 4, "p"), 0, 0), body("a2", text(40, 4, "q"), 0, 110)
    ads = tuple(Block(b.id, b.lines, b.box, role="advertisement") for b in (first, second))
    assert len(segment(Page(ads, width=400, height=300))[0]) == 2
    assert len(segment(Page((first, second), width=400, height=300))[0]) == 1


def test_notices_are_told():
    blocks = [heading("h", "DIED.", 0, 400, 0),
              body("b", ["On the 3rd inst., at his house in Mill Lane, Mr. John",
                         "Brown, aged 70, much respected by all who knew", "him."], 0, 40)]
    items, _ = segment(Page(tuple(blocks), width=400, height=200))
    assert items[0].kind == "notice"
    legal = body("l", ["NOTICE IS HEREBY GIVEN that all persons having",
                       "claims against the estate are to send them in."], 0, 0)
    assert segment(Page((legal,), width=400, height=100))[0][0].kind == "notice"


def test_confidence_is_the_mean_word_confidence():
    lines = [line("one two", 0, 0, confidence=0.5), line("three four", 0, PITCH, confidence=1.0)]
    items, _ = segment(Page((block("b", lines),), width=400, height=100))
    assert items[0].confidence == pytest.approx(0.75)


# --- odd pages -----------------------------------------------------------------------------

def test_empty_pages():
    assert segment(Page(blocks=())) == ([], [])
    assert segment(Page(blocks=(Block("b", ()),))) == ([], [])


def test_one_block_page():
    items, _ = segment(Page((body("only", text(40, 3, "o"), 0, 0),)))
    assert len(items) == 1 and len(words_of(items[0]).split()) > 5


def test_missing_boxes_fall_back_to_source_order():
    blocks = tuple(Block(f"b{n}", (Line((Word(f"word{n}"), Word("more"))),))
                   for n in range(3))
    items, _ = segment(Page(blocks))
    assert [w for i in items for w in words_of(i).split() if w.startswith("word")] == [
        "word0", "word1", "word2"]


def test_pages_without_fonts_or_with_odd_boxes_are_read():
    page = two_column_page()
    plain = tuple(Block(b.id, tuple(Line(ln.words, ln.box, None) for ln in b.lines), b.box)
                  for b in page.blocks)
    assert len(segment(Page(plain))[0]) == 4
    odd = Block("odd", (Line((Word("tall", Box(10, -5000, 20, 9000)),), Box(10, -5000, 20, 9000)),
                        ), Box(10, -5000, 20, 9000))
    flat = Block("flat", (Line((Word("flat", Box(30, 30, 30, 30)),)),), Box(30, 30, 30, 30))
    items, _ = segment(Page(page.blocks + (odd, flat)))
    assert sum(len(words_of(i).split()) for i in items) > 50


def test_printed_dates_and_folio_numbers():
    assert printed_date("TRINITY COLLEGE. DURHAM, N. C., DECEMBER 19, 1905.") == dt.date(
        1905, 12, 19)
    assert printed_date("Nr. 288.— Dinstag, 7. Dezember 1858.") == dt.date(1858, 12, 7)
    assert printed_date("N° 288.—Mardi, 7 Décembre 1858.") == dt.date(1858, 12, 7)
    # the other languages of Europe's digitised papers, each in its own word order
    for line, date in [("Madrid, sábado 1 de diciembre de 1900", dt.date(1900, 12, 1)),
                       ("Lisboa, 1.º de dezembro de 1910", dt.date(1910, 12, 1)),
                       ("Stockholm, lördag den 3 maj 1910", dt.date(1910, 5, 3)),
                       ("Roma, domenica 4 marzo 1900", dt.date(1900, 3, 4))]:
        assert printed_date(line) == date
    # a running head whose year the OCR misread: its day's and month's names tell it
    assert dated_head("ZATERDAG, DECEMBER 2, 18f6.") and dated_head("SØNDAG DEN 12 MAJ 19l0")
    assert folio_page("4 THE EXAMINER, SATURDAY, MAY 2, 1874.") == 4
    assert folio_page("— 12 —") == 12
    assert folio_page("VOL. 3 NO. 12") is None
    assert folio_page("THE EXAMINER, SATURDAY, MAY 2, 1874.") is None


# --- against ground truth (slow) ---------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
BL_1832 = CORPUS / ("alto/impresso__impresso-text-acquisition/text_preparation/data/sample_data/"
                    "BL/BLIP_20190920_01/0002088/1832/1123/0002088_18321123_mets.xml.gz")
HOCR = CORPUS / "hocr" / "OlivierBinette__TessTools" / "data-raw"


def _scores(issue, pages, parse):
    """(recovered share, mean ARI) of segment() on the given pages of an issue."""
    from bench.alignment import Predicted
    from bench.seg_metrics import Tally, score, summary
    from bench.truth import Issue, tokens_of

    total = Tally()
    for page in issue.pages:
        if page.number not in pages:
            continue
        items, _ = segment(parse(page.file))
        predicted = [Predicted(f"{page.number}#{n}", item.kind, tuple(
            t for part in (item.headline, item.subtitle, *(ln for b in item.blocks for ln in b))
            if part for t in tokens_of(part))) for n, item in enumerate(items)]
        one = Issue(issue.name, issue.date, issue.unit, (page,), issue.items)
        total.add(score(one, {page.number: predicted}, predicted))
    result = summary(total)
    return result["recovered"], result["ari"]


@pytest.mark.slow
def test_hocr_pages_against_their_annotations():
    if not HOCR.is_dir():
        pytest.skip("the shared corpus is not on this machine")
    truth_hocr = pytest.importorskip("bench.truth_hocr")
    from archive.formats.hocr import parse_hocr
    from bench.truth import read_bytes

    issue = truth_hocr.read_hocr_issue(HOCR / "hocr", HOCR / "ground-truth", "dchnp71001")
    recovered, ari = _scores(issue, {1, 2, 3}, lambda f: parse_hocr(read_bytes(f))[0])
    # Measured: 5 of 6 articles recovered, ARI 0.86.
    assert recovered >= 0.66
    assert ari >= 0.75


@pytest.mark.slow
def test_bl_alto_page_against_its_mets():
    if not BL_1832.is_file():
        pytest.skip("the shared corpus is not on this machine")
    truth_mets = pytest.importorskip("bench.truth_mets")
    from archive.formats.alto import parse_alto
    from bench.truth import read_bytes

    issue = truth_mets.read_mets(BL_1832)
    recovered, ari = _scores(issue, {3}, lambda f: parse_alto(read_bytes(f)))
    # Measured on page 3 (the news page): 7 of 9 articles recovered, ARI 0.80.
    assert recovered >= 0.65
    assert ari >= 0.7


@pytest.mark.parametrize(("stripped", "publication"), [
    ([Stripped("masthead", "THE OMAHA DAILY BEE.")], "The Omaha Daily Bee"),
    ([Stripped("folio", "THE STATESMAN")], "The Statesman"),  # a running head
    ([Stripped("folio", "THE - EXAMINER, SATURDAY, MAY 2, 1874.")], "The Examiner"),
    ([Stripped("masthead", "ARAB TIMES")], "Arab Times"),  # a title we know
    ([Stripped("masthead", "The Evening Star")], "The Evening Star"),
    # no name read whole: garbled, a slogan, a line of text, figures, another kind
    ([Stripped("masthead", "THE ST4TESMAN")], None),
    ([Stripped("masthead", "ASSOCIATED PRESS LEASED WIRE NEWS")], None),
    ([Stripped("masthead", "and the times")], None),
    ([Stripped("masthead", "VOL. 12 NO. 4 HERALD")], None),
    ([Stripped("jump", "THE DAILY HERALD")], None),
])
def test_the_paper_s_name_from_its_masthead_or_running_head(stripped, publication):
    assert printed_meta(stripped).publication == publication


# --- pages printed right to left --------------------------------------------------------

def test_a_page_in_hebrew_is_read_from_its_right_hand_column():
    """Columns at x 450-850 (read first) and 0-400, each a large headline over its text;
    the script has no capitals, so the headlines are told by their size."""
    def column(seed: str, left: float) -> list[Block]:
        lines = [line(" ".join(f"{seed}{'ב' * (1 + (n + k) % 5)}" for k in range(6)),
                      left, 60 + PITCH * n) for n in range(10)]
        return [heading(f"h{seed}", f"{seed}חדשות", left, left + 400, 0, size=15, char=15),
                block(f"b{seed}", lines)]
    page = Page(tuple(column("א", 0) + column("ש", 450)), width=850, height=400)
    items, _ = segment(page)
    assert [i.headline for i in items] == ["שחדשות", "אחדשות"]
    assert words_of(items[0]).startswith("שב")


def test_a_page_in_a_script_written_left_to_right_is_not_mirrored():
    from archive.segmentation.direction import right_to_left

    assert not right_to_left(two_column_page())
    mixed = Page((block("q", [line("The minister said שלום to the crowd", 0, 0)]),))
    assert not right_to_left(mixed)


def test_a_centred_heading_in_a_script_without_capitals_opens_an_article():
    """Hebrew has no capitals: a short centred line of body size over text is a heading,
    as a centred line in mixed case is."""
    page = Page((heading("h1", "חדשות העיר", 0, 400, 0), body("a", text(40, 8, "תב"), 0, 40),
                 heading("h2", "מכתבים למערכת", 0, 400, 260),
                 body("b", text(40, 8, "מר"), 0, 300)), width=400, height=600)
    items, _ = segment(page)
    assert [i.headline for i in items] == ["חדשות העיר", "מכתבים למערכת"]


def test_a_line_holding_only_a_hyphenated_words_end_keeps_lines_and_texts_together():
    """A line whose only word is the second part of a word the line above ends whole
    ("announce-" / "ment." as HypPart1 and HypPart2) has no text of its own: it is dropped
    with its text, so that the piece's lines and texts stay side by side and its
    paragraphs are still cut where an indented line opens one."""
    def hyphenated(text: str, whole: str, top: float) -> Line:
        made = line(text, 0, top)
        last = made.words[-1]
        words = (*made.words[:-1], Word(last.text, last.box, last.confidence, None, whole, 1))
        return Line(words, made.box, made.font_size)

    first = text(40, 3, "a")
    lines = [line(t, 0, PITCH * n) for n, t in enumerate(first)]
    lines.append(hyphenated("the board made its announce-", "announcement.", PITCH * 3))
    end = line("ment.", 0, PITCH * 4)
    lines.append(Line((Word("ment.", end.words[0].box, 0.9, None, "announcement.", 2),),
                      end.box, end.font_size))
    second = text(40, 4, "b")
    lines.append(line(second[0], 3 * CHAR, PITCH * 5))  # indented: a paragraph opens
    lines += [line(t, 0, PITCH * (6 + n)) for n, t in enumerate(second[1:])]
    page = Page((heading("h", "HARBOUR NEWS.", 0, 400, -40), block("b", lines)),
                width=400, height=400)
    items, _ = segment(page)
    assert len(items) == 1
    paragraphs = [" ".join(b) for b in items[0].blocks]
    assert len(paragraphs) == 2
    assert paragraphs[0].endswith("the board made its announcement.")
    assert paragraphs[1].startswith("b0")
