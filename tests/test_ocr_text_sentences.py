"""Page OCR text as Chronicling America's encoding and OCR leave it: a speck before a
dateline, a sentence running on under a line in title case or ending on one, a deck line
opening with "BY", masthead lines the OCR garbled or put further down (a date line, the
issue's number, "OFFICIAL PAPER"), fragments of a word or three."""

from __future__ import annotations

import pytest

from archive.articles import finish
from archive.formats import Input, ocr_text
from archive.model import PageMeta, RawUnit, ReadOptions


def _unit(page: bytes) -> RawUnit:
    return ocr_text.read(Input("p.txt", page), ReadOptions())


def _column(lines: int) -> str:
    """A headline, its deck and that many lines of a column's running text."""
    text = ("the council met again on tuesday and heard the reports of the road "
            "committee which asked for more money to mend the bridges").split()
    return "\n".join(["ROADS NEED MONEY", "Committee Asks for More.", *(
        " ".join(text[(n * 3) % 12:(n * 3) % 12 + 6]) for n in range(lines))]) + ".\n"


def test_a_dateline_after_an_ocr_speck_opens_its_dispatch():
    """A speck before the dateline ("1 WASHINGTON, ...") does not glue the dateline to the
    headline above it: the dispatch is headed, placed, and its text starts with its
    first sentence (the stop that stands for a lost dash is dropped)."""
    page = (b"Former Mayor Dies.\nThe former mayor died at his home here last night\n"
            b"after a long illness. He was seventy.\n"
            b"To Ship Body Home.\n1 WASHINGTON, Jan. 3. Arrangements\n"
            b"were made today to send the body of the\n"
            b"late justice to his former home for burial.\n")
    unit = _unit(page)
    articles = finish(unit, "speck.txt", "0" * 64, PageMeta(), ReadOptions()).articles
    shipped = next(a for a in articles if a.place == "Washington")
    assert shipped.headline == "To Ship Body Home."
    assert shipped.paragraphs[0].startswith("Arrangements were made today")


CHURCH_NEWS = (b"Church Notes.\nThe pastor will preach both morning and evening at the\n"
               b"church. The public will find a cordial welcome.\n"
               b"The Woman's Missionary Society\nwill meet next week on Wednesday, at\n"
               b"half past two, with Mrs. Eva Lyman.\n")


def test_a_title_case_line_whose_sentence_goes_on_below_is_no_headline():
    """A line in title case over a line that goes on with its sentence ("will meet
    ...") opens no item: it is the sentence's start."""
    unit = _unit(CHURCH_NEWS)
    assert [item.headline for item in unit.items] == ["Church Notes."]
    assert "The Woman's Missionary Society" in " ".join(unit.items[0].blocks[-1])


def test_the_end_of_a_sentence_in_title_case_does_not_open_the_headline_below():
    """'at Mill Creek."' ends the sentence of the line above: the headline under it is
    the capitals line alone, and the sentence's end stays in its story."""
    page = (b"Church Notes.\nThe pastor will preach both morning and evening at the\n"
            b"church, and few places are so cordial and welcoming as\n"
            b'at Mill Creek."\nEDITOR JONES ILL.\n'
            b"William Jones, formerly of this newspaper, is ill at his\n"
            b"home and will not be at his desk this week.\n")
    unit = _unit(page)
    assert [item.headline for item in unit.items] == ["Church Notes.", "EDITOR JONES ILL."]
    assert " ".join(unit.items[0].blocks[-1]).endswith('at Mill Creek."')


@pytest.mark.parametrize("under", [b"j The entire force will be sworn in", b"mJ Political"])
def test_a_headline_over_an_ocr_speck_still_heads_its_story(under):
    page = (b"Church Notes.\nThe pastor will preach both morning and evening at the\n"
            b"church. The public will find a cordial welcome.\n"
            b"Mayor to Swear in Whole Force\n" + under + b" on the fifteenth of\n"
            b"the month by the city clerk at the hall.\n")
    unit = _unit(page)
    assert [item.headline for item in unit.items] == ["Church Notes.",
                                                       "Mayor to Swear in Whole Force"]

@pytest.mark.parametrize("date_line", ["DAKOTA CITY, NEBRASKA, THURSDAY, JANUARY 0, 1016.",
                                       "HYDE PARK, VERMONT. WEDNESDAY, JANUARY 12, VM.",
                                       "ALBUQUERQUE, NEW MEXICO, THURSDAY. JANUARY G. 1916."])
def test_a_masthead_date_line_whose_year_the_ocr_garbled_is_still_the_masthead(date_line):
    page = f"THE DAKOTA HERALD\n{date_line}\n" + _column(30)
    unit = _unit(page.encode())
    assert date_line in [s.text for s in unit.stripped if s.kind == "masthead"]
    assert [i.headline for i in unit.items] == ["ROADS NEED MONEY"]


def test_a_masthead_date_line_the_ocr_put_further_down_is_still_the_masthead():
    page = _column(12) + "CALDWELL, IDAHO, FRIDAY, JANUARY, 21, 1916.\n" + _column(12)
    unit = _unit(page.encode())
    assert "CALDWELL, IDAHO, FRIDAY, JANUARY, 21, 1916." in [
        s.text for s in unit.stripped if s.kind == "masthead"]


@pytest.mark.parametrize("folio", [
    "NINTH YEAR, NO. 41 (ALL THE NEWS) GLENVILLE, NORTH PLAINS, SUNDAY MORNING, MARCH 5, 1916.",
    "PRINTED AT OAK RIDGE, HOLLOW COUNTY, WEST TERRITORY, FRIDAY, MARCH 3, 1916"])
def test_a_long_folio_line_the_ocr_put_further_down_is_still_the_masthead(folio):
    """In capitals, a weekday and a whole date (the edition's "MORNING" between them)
    make a folio band's line however many words the band prints."""
    page = _column(12) + folio + "\n" + _column(12)
    unit = _unit(page.encode())
    assert folio in [s.text for s in unit.stripped if s.kind == "masthead"]
    assert all(folio not in (item.headline or "") for item in unit.items)


def test_a_sentence_naming_a_weekday_and_a_date_is_no_masthead():
    page = _column(3) + "The council met on Monday, Jan. 3 and heard the mayor.\n" + _column(
        20).split("\n", 2)[2]
    unit = _unit(page.encode())
    assert not [s for s in unit.stripped if s.kind == "masthead"]
    assert unit.items[0].headline == "ROADS NEED MONEY"

def test_paragraphs_read_as_one_line_each_are_no_masthead_above_a_dated_line():
    """An export that gives each paragraph one line: a dated heading among the page's
    first lines ("Fruchtmarkt in Rorschach, Donnerstag, den 20. Februar 1840") does not
    make the paragraphs above it a masthead's ears."""
    paragraph = " ".join(["Die Stelle eines Briefträgers in Sargans wird ausgeschrieben,",
                          "und wer sich darum bewerben will, meldet sich schriftlich."] * 4)
    page = f"{paragraph}\n\n{paragraph}\n\nFruchtmarkt in Rorschach, Donnerstag, den 20. " \
        f"Februar 1840\n\n{paragraph}\n"
    unit = _unit(page.encode())
    assert not [s for s in unit.stripped if s.kind == "masthead"]
    assert sum(len(block) for item in unit.items for block in item.blocks) >= 3


def test_a_deck_line_opening_with_by_names_no_byline():
    """'BY AUSTRIANS' finishes the deck ('STORMED AGAIN BY AUSTRIANS'): a byline names a
    person, in two words at least."""
    page = _column(12).replace("Committee Asks for More.\n", "Committee Asks for More.\n"
                             "BY AUSTRIANS\n")
    [item] = _unit(page.encode()).items
    assert item.byline is None
    assert "BY AUSTRIANS" in f"{item.headline} {item.subtitle}"


@pytest.mark.parametrize(("deck", "byline"), [
    ("Committee Asks for More.\nBY CLARENCE BAKER\n", "CLARENCE BAKER"),  # a given name
    ("Committee Asks for More.\nBy OLIVE KENNET.\n", "OLIVE KENNET"),  # capitals after "By"
    ("Committee Asks for More.\nBY CARL D. GROAT.\n", "CARL D. GROAT"),  # an initial
    ("Committee Asks for More.\nBY W. A. DELL j\n", "W. A. DELL"),  # and a speck
    ("Committee Asks for More.\nBy Sara Ballantine\n", "Sara Ballantine"),  # after a stop
    ("DAMAGE DONE\nBY FLOOD WATERS\n", None),  # the deck's phrase goes on
    ("Bridges Were Carried Off\nBy Flood Waters.\n", None),
    ("Committee Will Report\nby That Time.\n", None),
    ("Committee Asks for More.\nBy Result of the Vote\n", None)])  # a word in lower case
def test_a_deck_line_opening_with_by_is_a_byline_only_when_it_names_a_person(deck, byline):
    page = _column(12).replace("Committee Asks for More.\n", deck)
    [item] = _unit(page.encode()).items
    assert item.byline == byline


def test_a_deck_line_opening_with_by_and_a_verb_names_no_byline():
    """'BY WINTER SAYS MAYOR' goes on with the deck over a credit line: no name holds a
    verb."""
    page = _column(12).replace("Committee Asks for More.\n", "Committee Asks for More.\n"
                             "BY WINTER SAYS MAYOR\nUnited Prcss Servlce\n")
    [item] = _unit(page.encode()).items
    assert item.byline is None
    assert "BY WINTER SAYS MAYOR" in f"{item.headline} {item.subtitle}"


def test_a_fragment_of_a_word_or_three_is_kind_other():
    """A few words the OCR read off a cut or a torn edge ("CUT" / "hang sor") stay
    searchable, as kind "other", not as an article (as the layout readers have it)."""
    page = (_column(8) + "CUT\nhang sor\n" + _column(8)).encode()
    kinds = {item.headline: item.kind for item in _unit(page).items}
    assert kinds["CUT"] == "other" and kinds["ROADS NEED MONEY"] == "article"


@pytest.mark.parametrize("furniture", ["NO. 20.", "No. 3", "COUNTY OFFICIAL PAPER",
                                       "NUMBER 27.", "SUBSCRIPTION: $1.50 PER YEAR",
                                       "$2.00 PER YEAR", "S1.50PER YEAR IN ADVANCE",
                                       "SINGLE COPT FIVE CENTS.",
                                       "DELIVERED ANYWHERE 60 CENTS A MONTH.",
                                       "BY CARRIERS 10 CENTS A WEEK.",
                                       "LATEST NEWS BY ASSOCIATED PRESS.",
                                       "MEMB5R ASSOCIATED PRESS", "LEASED WIRE REPORT",
                                       "WHOLE NUMBER 4199", "WHOLE NO. 16"])
def test_an_issue_number_alone_or_an_official_paper_line_is_masthead(furniture):
    page = _column(10) + f"{furniture}\n" + _column(10)
    unit = _unit(page.encode())
    assert furniture in [s.text for s in unit.stripped if s.kind == "masthead"]
    assert {item.headline for item in unit.items} == {"ROADS NEED MONEY"}


def test_a_headline_reporting_a_price_a_month_is_no_masthead():
    page = _column(10) + "MILK GOES UP 10 CENTS A QUART\n" + _column(10)
    unit = _unit(page.encode())
    assert not [s for s in unit.stripped if s.kind == "masthead"]
    assert any("MILK GOES UP 10 CENTS A QUART" in (item.headline or "") for item in unit.items)


def test_a_sentence_naming_the_official_paper_stays_text():
    page = _column(4) + "it was printed in the official paper of the county.\n" + _column(4)
    assert not [s for s in _unit(page.encode()).stripped if s.kind == "masthead"]


@pytest.mark.parametrize("line", ["the rooms were let to him as number 27.",
                                  "number 27.",
                                  "which was sold to the members at $2.00 per year"])
def test_a_sentence_naming_a_number_or_a_yearly_price_stays_text(line):
    page = _column(4).rstrip("\n").rsplit("\n", 1)[0] + f"\n{line}\n" + _column(4)
    assert not [s for s in _unit(page.encode()).stripped if s.kind == "masthead"]


@pytest.mark.parametrize("jump", ["(Contlnued on Sccond fage.)", "CONT IED ON PAGE THREE."])
def test_a_jump_line_the_ocr_misread_is_furniture_of_page_text(jump):
    """Neither a headline over the next story nor the end of the story above."""
    page = _column(10) + f"{jump}\n" + _column(10)
    unit = _unit(page.encode())
    assert ("jump", jump) in [(s.kind, s.text) for s in unit.stripped]
    assert all(jump not in f"{item.headline} {item.blocks}" for item in unit.items)
