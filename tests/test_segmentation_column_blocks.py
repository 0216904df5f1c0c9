"""Issue 12 layout rules for pages whose OCR gives each printed column as one block, as
NDNP's ALTO does (a TextBlock 200 lines tall, headlines, decks and stories in it), each
on a small page invented here: a headline set large at the top of such a block, or
further down in it, opens an article; a block box its lines do not stand in is replaced
by theirs; a lone "|" read inside a line is no column rule; the folio band under the
title is furniture even as the OCR misreads it ("YEAK", "NUMBEK", "MARCH 4. 1887")."""

from __future__ import annotations

import datetime as dt

from archive.layout import Block, Box, Line, Page, Word
from archive.segmentation import segment
from archive.segmentation.furniture import printed_date
from archive.segmentation.headlines import Typography
from archive.segmentation.pieces import build_pieces
from tests.test_segment import CHAR, HEIGHT, PITCH, block, line

COLUMN = 400  # the width of a column of these pages
LINES = 50  # lines of running text in a column block


def _running(n: int, seed: str, left: float, top: float) -> list[Line]:
    """n lines of running text filling the column (words of 3 to 8 letters)."""
    lines = []
    for row in range(n):
        words, width = [], 0
        k = 0
        while True:
            word = f"{seed}{row}x{k}" + "e" * ((row * 7 + k * 3) % 4)
            if width + len(word) > COLUMN // CHAR - 1:
                break
            words.append(word)
            width += len(word) + 1
            k += 1
        lines.append(line(" ".join(words), left, top + PITCH * row))
    return lines


def _column(name: str, left: float, headline: str | None, seed: str) -> Block:
    """One OCR block holding a whole column: a headline twice the body's size across its
    top (when given), then LINES lines of running text."""
    lines = []
    top = 0.0
    if headline:  # its letters as wide as the column allows: it fills it, not centred
        lines.append(line(headline, left, top, char=COLUMN / len(headline), height=2 * HEIGHT))
        top += 2 * PITCH
    return block(name, lines + _running(LINES, seed, left, top))


def test_a_large_headline_atop_a_column_block_opens_an_article():
    # the first column's story goes on at the top of no column: the second column opens
    # with a headline of its own, set large across the column as the first one is
    page = Page((_column("c1", 0, "A RAILROAD LOBBY VICTORY", "a"),
                 _column("c2", COLUMN + 40, "SENATOR HOAR GIVES NOTICE", "b")),
                width=2 * COLUMN + 40, height=LINES * PITCH + 60)
    items, _ = segment(page)
    assert [item.headline for item in items] == ["A RAILROAD LOBBY VICTORY",
                                                "SENATOR HOAR GIVES NOTICE"]
    first, second = (" ".join(p for b in item.blocks for p in b) for item in items)
    assert "a0x0" in first and "b0x0" not in first
    assert "b0x0" in second and "a0x0" not in second


def _centred(text_: str, left: float, top: float) -> Line:
    width = CHAR * len(text_)
    return line(text_, left + (COLUMN - width) / 2, top)


def test_the_deck_under_a_column_headline_is_its_subtitle_and_the_dateline_is_read():
    # headline, a deck set as an inverted pyramid (a line filling the column between its
    # centred steps), then the dispatch: its dateline line indented, its text
    deck = [line("Passage By the Senate of the Forceless", 0, 2 * PITCH,
                 char=COLUMN / len("Passage By the Senate of the Forceless")),
            _centred("Commission Measure.", 0, 3 * PITCH),
            _centred("Work on Appropriations.", 0, 4 * PITCH),
            _centred("Senate Proceeding.", 0, 5 * PITCH)]
    first = "LINCOLN, Neb., March 3.-The senate took up"
    opening = [line(first, 2 * CHAR, 6 * PITCH, char=(COLUMN - 2 * CHAR) / len(first))]
    column = block("c1", [line("A RAILROAD LOBBY VICTORY", 0, 0,
                               char=COLUMN / len("A RAILROAD LOBBY VICTORY"),
                               height=2 * HEIGHT), *deck, *opening,
                          *_running(LINES, "a", 0, 7 * PITCH)])
    items, _ = segment(Page((column,), width=COLUMN, height=(LINES + 8) * PITCH))
    assert len(items) == 1
    item = items[0]
    assert item.headline == "A RAILROAD LOBBY VICTORY"
    assert item.subtitle == ("Passage By the Senate of the Forceless Commission Measure. "
                             "Work on Appropriations. Senate Proceeding.")
    assert item.blocks[0][0].startswith("LINCOLN, Neb., March 3.")


def test_a_heading_inside_a_column_block_takes_its_deck_but_not_the_text_under_it():
    top = LINES * PITCH
    middle = [_centred("SHE CAUGHT HIM.", 0, top),
              _centred("An Actress Tells of Her", 0, top + PITCH),
              _centred("Plans for the Season.", 0, top + 2 * PITCH),
              *_running(10, "s", 0, top + 3 * PITCH),
              _centred("NOTES.", 0, top + 13 * PITCH),
              # the first line of the paragraph under it, indented and short of the edge
              line("When the member was asked", 2 * CHAR, top + 14 * PITCH),
              *_running(10, "n", 0, top + 15 * PITCH)]
    column = block("c1", [*_running(LINES, "a", 0, 0), *middle])
    items, _ = segment(Page((column,), width=COLUMN, height=top + 26 * PITCH))
    caught = next(item for item in items if item.headline == "SHE CAUGHT HIM.")
    assert caught.subtitle == "An Actress Tells of Her Plans for the Season."
    assert all(item.subtitle is None for item in items if item is not caught)
    assert any(block_[0].startswith("When the member was asked")
               for item in items for block_ in item.blocks)


def test_a_column_block_without_a_headline_goes_on_with_the_story_before():
    page = Page((_column("c1", 0, "A RAILROAD LOBBY VICTORY", "a"),
                 _column("c2", COLUMN + 40, None, "b")),
                width=2 * COLUMN + 40, height=LINES * PITCH + 60)
    items, _ = segment(page)
    assert len(items) == 1 and items[0].headline == "A RAILROAD LOBBY VICTORY"


def _with_bar(lines: list[Line], rows: range) -> list[Line]:
    """The lines with a "|" read between their words at x = COLUMN / 2 in the given rows
    (the words left of it kept left, those right of it shifted right)."""
    out = []
    for n, one in enumerate(lines):
        if n not in rows:
            out.append(one)
            continue
        top = one.box.top
        bar = Word("|", Box(COLUMN / 2 - 2, top, COLUMN / 2 + 2, top + HEIGHT), 0.5)
        left = [w for w in one.words if w.box.right < COLUMN / 2 - 4]
        rest = [w for w in one.words if w.box.right >= COLUMN / 2 - 4]
        shift = COLUMN / 2 + 6 - rest[0].box.left  # the first of them just right of it
        right = [Word(w.text, Box(w.box.left + shift, top, w.box.right + shift,
                                  top + HEIGHT), w.confidence) for w in rest]
        words = (*left, bar, *right)
        out.append(Line(words, Box(words[0].box.left, top, words[-1].box.right,
                                   top + HEIGHT), one.font_size))
    return out


def _column_of_two_stories(name: str, left: float, box: Box | None = None) -> Block:
    """A column block holding two stories, each under a headline twice the body's size
    filling the column: the second headline stands half way down the block."""
    first, second = "STEAMER ASHORE AT CAPE MAY", "STRIKE ENDS AT THE MILLS"
    lines = [line(first, left, 0, char=COLUMN / len(first), height=2 * HEIGHT)]
    lines += _running(LINES // 2, "a", left, 2 * PITCH)
    top = 2 * PITCH + (LINES // 2) * PITCH
    lines.append(line(second, left, top, char=COLUMN / len(second), height=2 * HEIGHT))
    lines += _running(LINES // 2, "b", left, top + 2 * PITCH)
    made = block(name, lines)
    return made if box is None else Block(made.id, made.lines, box)


def test_a_large_headline_inside_a_column_block_opens_the_next_article():
    page = Page((_column_of_two_stories("c1", 0), _column("c2", COLUMN + 40, None, "c")),
                width=2 * COLUMN + 40, height=(LINES + 6) * PITCH)
    items, _ = segment(page)
    assert [item.headline for item in items][:2] == ["STEAMER ASHORE AT CAPE MAY",
                                                    "STRIKE ENDS AT THE MILLS"]
    first = " ".join(p for b in items[0].blocks for p in b)
    assert "a0x0" in first and "b0x0" not in first


def test_a_block_box_its_lines_do_not_stand_in_is_replaced_by_theirs():
    """One NDNP vendor gives a column's block a box as wide as the page and a tenth as
    tall as its lines: taken as it is, the block seems to hold the other columns (an OCR
    merge, kept whole) and its stories run together."""
    height = (LINES + 6) * PITCH
    wrong = Box(0, 0, 3 * COLUMN + 80, height / 10)
    page = Page((_column_of_two_stories("c1", 0, box=wrong),
                 _column("c2", COLUMN + 40, "MAYOR OPENS THE NEW BRIDGE", "c"),
                 _column("c3", 2 * COLUMN + 80, "FIRE ON THE QUAY", "d")),
                width=3 * COLUMN + 80, height=height)
    items, _ = segment(page)
    assert [item.headline for item in items] == [
        "STEAMER ASHORE AT CAPE MAY", "STRIKE ENDS AT THE MILLS",
        "MAYOR OPENS THE NEW BRIDGE", "FIRE ON THE QUAY"]


def test_a_lone_bar_read_in_a_column_does_not_cut_it_in_two():
    lines = _running(LINES, "w", 0, 0)
    page = Page((block("col", _with_bar(lines, range(30, 31))),), width=COLUMN,
                height=LINES * PITCH)
    pieces = build_pieces(page, Typography(float(HEIGHT)), [])
    assert len(pieces) == 1 and len(pieces[0].lines) == LINES
    assert "|" not in " ".join(pieces[0].texts)  # the bar is no word of the text


def test_two_stray_bars_at_one_place_of_a_long_column_are_no_rule():
    # misread letters that happen to stand one over the other, 25 lines apart
    lines = _running(LINES, "w", 0, 0)
    page = Page((block("col", _with_bar(_with_bar(lines, range(10, 11)), range(35, 36))),),
                width=COLUMN, height=LINES * PITCH)
    pieces = build_pieces(page, Typography(float(HEIGHT)), [])
    assert len(pieces) == 1 and len(pieces[0].lines) == LINES


def test_bars_read_line_under_line_are_a_column_rule_and_cut_the_block():
    lines = _running(12, "w", 0, 0)
    page = Page((block("two", _with_bar(lines, range(12))),), width=COLUMN + 40,
                height=12 * PITCH)
    pieces = build_pieces(page, Typography(float(HEIGHT)), [])
    assert len(pieces) == 2
    pieces.sort(key=lambda piece: piece.box.left)
    assert all(w.box.right < COLUMN / 2 for line_ in pieces[0].lines for w in line_.words)
    assert all(w.box.left > COLUMN / 2 for line_ in pieces[1].lines for w in line_.words)


def test_a_date_the_ocr_printed_with_a_full_stop_for_its_comma():
    assert printed_date("FRIDAY MORNING, MARCH 4. 1887.") == dt.date(1887, 3, 4)
    assert printed_date("Dec. 19th, 1905") == dt.date(1905, 12, 19)


def test_a_month_the_ocr_garbled_is_read_under_the_weekday_it_falls_on():
    assert printed_date("TUESDAY, JU1Y 4, 1916. TWICE A WEEK") == dt.date(1916, 7, 4)
    assert printed_date("HENDERSONVILLE, N. C. THURSDAY JUIY, 6, 1916") == dt.date(1916, 7, 6)
    assert printed_date("HONOLULU, THURSDAY, JULY 6,' 1916.") == dt.date(1916, 7, 6)
    assert printed_date("Samedi, 1 juilet 1916") == dt.date(1916, 7, 1)
    # the weekday must agree: Monday was the 3rd of July 1916, not of June ("JUNE" read
    # for "JULY"); the year may be misread too ("SUNDAY, JVLV 2, 1910")
    assert printed_date('MONDAY, JUNE" 3, 1916') is None
    assert printed_date("SUNDAY, JVLY 2, 1910") is None
    # no weekday, or a word too short to tell (the 1st was a Saturday in January and July
    # 1916), or one near no month: no date
    assert printed_date("JU1Y 4, 1916") is None
    assert printed_date("SATURDAY, JUA 1, 1916") is None
    assert printed_date("SATURDAY, HOUSE 1, 1916") is None


def test_the_folio_band_under_the_title_is_furniture_though_misread():
    band = "SIXTEENTH YEAK. OMAHA, FRIDAY MORNING, MARCH 4. 1887. NUMBEK 258"
    width = 2 * COLUMN + 40
    page = Page((block("title", [line("THE OMAHA DAILY BEE", 200, 0, char=20)]),
                 block("band", [line(band, 0, PITCH + 10, char=width / len(band))]),
                 _shifted(_column("c1", 0, None, "a"), 3 * PITCH),
                 _shifted(_column("c2", COLUMN + 40, None, "b"), 3 * PITCH)),
                width=width, height=3 * PITCH + LINES * PITCH)
    items, stripped = segment(page)
    assert any(s.text == band for s in stripped)
    assert items and all(band not in " ".join(p for b in item.blocks for p in b)
                         and item.headline != band for item in items)


def _shifted(one: Block, down: float) -> Block:
    """A block moved down the page."""
    lines = tuple(Line(tuple(Word(w.text, Box(w.box.left, w.box.top + down, w.box.right,
                                              w.box.bottom + down), w.confidence)
                             for w in ln.words),
                       Box(ln.box.left, ln.box.top + down, ln.box.right, ln.box.bottom + down),
                       ln.font_size) for ln in one.lines)
    return block(one.id, list(lines))


def test_an_ear_printing_the_price_and_date_is_read_with_the_folio_band():
    # the title is a picture (no words); an ear at the top right holds the circulation,
    # the price and the day's date (the OCR read the band's right half into it), the
    # band's left half its own piece; the weather box at the top left stays an item
    width = 2 * COLUMN + 40
    ear = ["Net Circulation, Month of July,", "Daily Average, 79,828; Sunday, 56,570",
           "ONE CENT.", "C., SATURDAY, AUGUST 26, 1916-SIXTEEN PAGES."]
    weather = block("weather", [line("WEATHER.", 60, 0),
                                line("Generally fair tonight and tomorrow;", 0, PITCH),
                                line("light westerly winds.", 0, 2 * PITCH)])
    page = Page((weather,
                 block("ear", [line(t, COLUMN + 40, PITCH * (2 + n)) for n, t in enumerate(ear)]),
                 block("band", [line("WASHINGTON, D.", 0, 5 * PITCH),
                                line("No. 29,422.", 0, 6 * PITCH)]),
                 _shifted(_column("c1", 0, None, "a"), 8 * PITCH),
                 _shifted(_column("c2", COLUMN + 40, None, "b"), 8 * PITCH)),
                width=width, height=(LINES + 8) * PITCH)
    items, stripped = segment(page)
    gone = " ".join(s.text for s in stripped)
    assert "ONE CENT." in gone and "No. 29,422." in gone
    texts = [" ".join(filter(None, [item.headline, *(p for b in item.blocks for p in b)]))
             for item in items]
    assert not any("ONE CENT" in t or "29,422" in t for t in texts)
    assert any(t.startswith("WEATHER. Generally fair tonight") for t in texts)


def test_specks_read_over_a_large_title_do_not_keep_it_from_the_masthead():
    width = 2 * COLUMN + 40
    title = block("title", [line("' * '", 300, 0), line("I *", 320, 12), line(".", 340, 24),
                            line("OMAHA DAILY BEE", 100, 30, char=40, height=4 * HEIGHT)])
    band = "SIXTEENTH YEAR. OMAHA, WEDNESDAY MORNING, MARCH 9, 1887. NUMBER 263"
    page = Page((title, block("band", [line(band, 0, 140, char=width / len(band))]),
                 _shifted(_column("c1", 0, None, "a"), 180),
                 _shifted(_column("c2", COLUMN + 40, None, "b"), 180)),
                width=width, height=180 + LINES * PITCH)
    items, stripped = segment(page)
    assert any("OMAHA DAILY BEE" in s.text and s.kind == "masthead" for s in stripped)
    assert not any("OMAHA DAILY BEE" in " ".join(filter(None, [item.headline, *(
        p for b in item.blocks for p in b)])) for item in items)


def test_a_banner_whose_line_boxes_overlap_is_one_headline():
    # three lines of a banner in type five body lines tall, 70 units apart: their boxes
    # overlap by more than a body line
    width = 2 * COLUMN + 40
    texts = ["BRITISH SWEEP EASTWARD;", "FOE MUST EVACUATE PERONNE;", "HUNS' RETREAT SWIFT"]
    # (each line a block of its own, as the OCR gave them)
    banner = [block(f"banner{n}", [line(t, 40, 70 * n, char=(width - 80) / len(t),
                                        height=5 * HEIGHT)]) for n, t in enumerate(texts)]
    page = Page((*banner, _shifted(_column("c1", 0, None, "a"), 260),
                 _shifted(_column("c2", COLUMN + 40, None, "b"), 260)),
                width=width, height=260 + LINES * PITCH)
    items, _ = segment(page)
    holding = [item for item in items if "PERONNE" in " ".join(filter(None, [
        item.headline, item.subtitle, *(p for b in item.blocks for p in b)]))]
    assert len(holding) == 1
    text = " ".join(filter(None, [holding[0].headline, holding[0].subtitle,
                                  *(p for b in holding[0].blocks for p in b)]))
    assert all(t in text for t in texts)


def test_an_item_under_a_classified_heading_of_the_layout_is_an_advertisement():
    width = 2 * COLUMN + 40
    body = [line(t, 0, PITCH * (n + 2)) for n, t in enumerate([
        "Grand concert this evening at the hall",
        "by the orchestra of the city, tickets",
        "fifty cents, to be had at the door and",
        "at the music stores of the city today."])]
    page = Page((block("head", [_centred("AMUSEMENTS.", 0, 0)]), block("ad", body),
                 _shifted(_column("c2", COLUMN + 40, "THE NEWS OF THE DAY", "b"), 0)),
                width=width, height=(LINES + 4) * PITCH)
    items, _ = segment(page)
    kinds = {item.headline: item.kind for item in items}
    assert kinds == {"AMUSEMENTS.": "advertisement", "THE NEWS OF THE DAY": "article"}
