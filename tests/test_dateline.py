"""Tests for archive.dateline: every dateline form, the look-alikes, and no lost words."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.dateline import AGENCY_NAMES, canonical_agency, parse_dateline, title_place
from archive.model import Dateline

# paragraph, dateline text, place, month, day, agencies, rest
DATELINES = [
    ("MOSCOW, Nov 4, (Agencies): Russian bombers struck",
     "MOSCOW, Nov 4, (Agencies)", "Moscow", 11, 4, ("Agencies",), "Russian bombers struck"),
    ("KUWAIT CITY, Nov 5: The minister said",
     "KUWAIT CITY, Nov 5", "Kuwait City", 11, 5, (), "The minister said"),
    ("HANOI, Nov 5, (AFP, Reuters): Leaders met",
     "HANOI, Nov 5, (AFP, Reuters)", "Hanoi", 11, 5, ("AFP", "Reuters"), "Leaders met"),
    ("WASHINGTON (AP) — The president said",
     "WASHINGTON (AP)", "Washington", None, None, ("AP",), "The president said"),
    ("BEIRUT, Lebanon, Nov 4, (AP): Gunmen",
     "BEIRUT, Lebanon, Nov 4, (AP)", "Beirut", 11, 4, ("AP",), "Gunmen"),
    ("LONDON, Nov 6 (Reuters) - Shares fell",
     "LONDON, Nov 6 (Reuters)", "London", 11, 6, ("Reuters",), "Shares fell"),
    ("KUWAIT CITY, Nov 4, (KUNA): HH the Amir",
     "KUWAIT CITY, Nov 4, (KUNA)", "Kuwait City", 11, 4, ("KUNA",), "HH the Amir"),
    ("DUBAI, Nov 4, (AFP): Gold", "DUBAI, Nov 4, (AFP)", "Dubai", 11, 4, ("AFP",), "Gold"),
    ("NEW DELHI, Nov 4, (IANS): India",
     "NEW DELHI, Nov 4, (IANS)", "New Delhi", 11, 4, ("IANS",), "India"),
    ("BERLIN, Nov 4 (dpa) - Germany", "BERLIN, Nov 4 (dpa)", "Berlin", 11, 4, ("dpa",), "Germany"),
    ("BEIJING, Nov 4 (Xinhua) -- China",
     "BEIJING, Nov 4 (Xinhua)", "Beijing", 11, 4, ("Xinhua",), "China"),
    ("TEHRAN – The Iranian", "TEHRAN", "Tehran", None, None, (), "The Iranian"),
    ("TEHRAN- Parents and", "TEHRAN", "Tehran", None, None, (), "Parents and"),
    ("TEHRAN - Iranian lawmakers", "TEHRAN", "Tehran", None, None, (), "Iranian lawmakers"),
    ("TEHRAN –- A Persian", "TEHRAN", "Tehran", None, None, (), "A Persian"),
    ("TEHRAN _ The bank", "TEHRAN", "Tehran", None, None, (), "The bank"),
    ("SANA'A, Nov 4, (AFP): Yemen", "SANA'A, Nov 4, (AFP)", "Sana'a", 11, 4, ("AFP",), "Yemen"),
    ("SANA’A, Nov 4, (AFP): Yemen", "SANA’A, Nov 4, (AFP)", "Sana’a", 11, 4, ("AFP",), "Yemen"),
    ("AL-JAHRA, Nov 4: Police", "AL-JAHRA, Nov 4", "Al-Jahra", 11, 4, (), "Police"),
    ("ST. LOUIS, Nov 4 (AP) - A jury",
     "ST. LOUIS, Nov 4 (AP)", "St. Louis", 11, 4, ("AP",), "A jury"),
    ("WASHINGTON, D.C., Nov 4 (AP) - Congress",
     "WASHINGTON, D.C., Nov 4 (AP)", "Washington", 11, 4, ("AP",), "Congress"),
    ("SÃO PAULO, Nov 4 (Reuters) - Brazil",
     "SÃO PAULO, Nov 4 (Reuters)", "São Paulo", 11, 4, ("Reuters",), "Brazil"),
    ("UNITED NATIONS, Nov 4, (AP): The council",
     "UNITED NATIONS, Nov 4, (AP)", "United Nations", 11, 4, ("AP",), "The council"),
    ("PARIS, Nov. 4 (AFP/Reuters) - France",
     "PARIS, Nov. 4 (AFP/Reuters)", "Paris", 11, 4, ("AFP", "Reuters"), "France"),
    ("CAIRO, Sept 4 (AP/AFP) - Egypt",
     "CAIRO, Sept 4 (AP/AFP)", "Cairo", 9, 4, ("AP", "AFP"), "Egypt"),
    ("ROME, Sept. 14, (ANSA): Italy",
     "ROME, Sept. 14, (ANSA)", "Rome", 9, 14, ("ANSA",), "Italy"),
    ("MADRID, September 4 (EFE) – Spain",
     "MADRID, September 4 (EFE)", "Madrid", 9, 4, ("EFE",), "Spain"),
    ("TOKYO, Jan 2 (Kyodo) — Japan", "TOKYO, Jan 2 (Kyodo)", "Tokyo", 1, 2, ("Kyodo",), "Japan"),
    ("LONDON, 4 November (Reuters) - UK",
     "LONDON, 4 November (Reuters)", "London", 11, 4, ("Reuters",), "UK"),
    ("DUBAI, Nov 4, (AFP) & (Reuters): Oil",
     "DUBAI, Nov 4, (AFP) & (Reuters)", "Dubai", 11, 4, ("AFP", "Reuters"), "Oil"),
    ("DUBAI, Nov 4, (AFP) &: Oil", "DUBAI, Nov 4, (AFP) &", "Dubai", 11, 4, ("AFP",), "Oil"),
    ("SEOUL, Nov 4, (Associated Press): Korea",
     "SEOUL, Nov 4, (Associated Press)", "Seoul", 11, 4, ("AP",), "Korea"),
    ("KUWAIT CITY, Nov 4, (Arab Times): The",
     "KUWAIT CITY, Nov 4, (Arab Times)", "Kuwait City", 11, 4, ("Arab Times",), "The"),
    ("BRUSSELS (DAWN) -- Turkey", "BRUSSELS (DAWN)", "Brussels", None, None, ("DAWN",), "Turkey"),
    ("KABUL/KANDAHAR (AFP/AP) -- Troops",
     "KABUL/KANDAHAR (AFP/AP)", "Kabul", None, None, ("AFP", "AP"), "Troops"),
    ("KAZAN, Russia – Iran", "KAZAN, Russia", "Kazan", None, None, (), "Iran"),
    ("TEHRAN \xa0(MNA) – Leader", "TEHRAN \xa0(MNA)", "Tehran", None, None, ("MNA",), "Leader"),
    ("MOSCOW NOV 4: Russia", "MOSCOW NOV 4", "Moscow", 11, 4, (), "Russia"),
    ("ABU DHABI, Nov 4th (WAM) - UAE",
     "ABU DHABI, Nov 4th (WAM)", "Abu Dhabi", 11, 4, ("WAM",), "UAE"),
    ("SANTIAGO, Chile- \xa0Soleimani", "SANTIAGO, Chile", "Santiago", None, None, (),
     "Soleimani"),
    ("WEST SIBERIA/ TYUMEN - Zionists", "WEST SIBERIA/ TYUMEN", "West Siberia", None, None, (),
     "Zionists"),
    ("NEW DELHI (Times of India) - Days",
     "NEW DELHI (Times of India)", "New Delhi", None, None, ("Times of India",), "Days"),
    ("  RIYADH, Nov 4, (SPA): Saudi", "RIYADH, Nov 4, (SPA)", "Riyadh", 11, 4, ("SPA",), "Saudi"),
    ("LONDON, Feb 29 (Reuters) - Leap", "LONDON, Feb 29 (Reuters)", "London", 2, 29,
     ("Reuters",), "Leap"),
    # A full stop where the comma was is no part of the place; an abbreviation's is.
    ("WASHINGTON. Jan. 5.—The note", "WASHINGTON. Jan. 5", "Washington", 1, 5, (),
     "The note"),
    ("WASHINGTON, D.C., Jan. 5.—The note", "WASHINGTON, D.C., Jan. 5", "Washington", 1, 5,
     (), "The note"),
    ("ST. LOUIS, Jan. 5.—The note", "ST. LOUIS, Jan. 5", "St. Louis", 1, 5, (), "The note"),
    ("PORT AU PRINCE, Hayti, Jan. 5.—The note", "PORT AU PRINCE, Hayti, Jan. 5",
     "Port au Prince", 1, 5, (), "The note"),
    # A dash an encoding lost reads "?" after the date.
    ("WASHINGTON, Jan. 24.?John Harris, the", "WASHINGTON, Jan. 24", "Washington", 1, 24, (),
     "John Harris, the"),
    # An impossible day is a misprint: place and credit survive, the date does not.
    ("LONDON, Nov 31 (Reuters) - Odd", "LONDON, Nov 31 (Reuters)", "London", None, None,
     ("Reuters",), "Odd"),
]


@pytest.mark.parametrize("paragraph,text,place,month,day,agencies,rest", DATELINES)
def test_dateline_forms(paragraph, text, place, month, day, agencies, rest):
    assert parse_dateline(paragraph) == (Dateline(text, place, month, day, agencies), rest)


NOT_DATELINES = [
    "The Syrian army and allied militia groups",
    "US President Donald Trump said",
    "I said, it was over",
    "NEW YORK is a big city.",
    "IS fighters said they would",
    "US – Trump said",
    "UN – the council",
    "WASHINGTON (the capital) is big",
    "NOTE: this article was corrected",
    "BREAKING NEWS – something",
    "TEHRAN-Karaj road is closed",
    "NATO, Russia agree",
    "Kuwait City, Nov 4: lower-case place",
    "",
    "   ",
    "A – B",
    "THE EXAMINER, SATURDAY, MAY 2, 18f4.",  # a paper's running head, its year misread
    "THE DAILY COURIER, MONDAY, JAN. 3, 1916.",
    "FRIDAY, NOVEMBER 23.—The market opened",  # a day's name is no place
    "THE: the article",
    "IN BRIEF: the council met",
    "WHY? Because it rained all week",  # a question mark after no date separates nothing
]


@pytest.mark.parametrize("paragraph", [
    "FIRE AT LISCARD, IN CHESHIRE.—On Monday a barn burnt down.",
    "COURT OF KING'S BENCH.—The case was heard.",
    "BLI: 11 brickworks",
])
def test_on_a_scanned_page_a_place_alone_is_a_run_in_heading(paragraph):
    """undated=False (scanned pages): a dateline needs a date or an agency."""
    assert parse_dateline(paragraph, undated=False) == (None, paragraph)
    dated, _ = parse_dateline("LIVERPOOL, Nov. 22.—The steamer sailed.", undated=False)
    assert (dated.place, dated.month, dated.day) == ("Liverpool", 11, 22)
    sent, _ = parse_dateline("LIVERPOOL (Reuters) — The steamer sailed.", undated=False)
    assert (sent.place, sent.agencies) == ("Liverpool", ("Reuters",))


@pytest.mark.parametrize(("paragraph", "place", "month", "day", "rest"), [
    ("Washington, Jan. 5.—Claims of the", "Washington", 1, 5, "Claims of the"),
    ("Havana, Jan. 4. The Ward liner", "Havana", 1, 4, "The Ward liner"),
    ("El Paso, Tex., Jan. 3.—The", "El Paso", 1, 3, "The"),
    ("St. Louis, Jan. 5.—The", "St. Louis", 1, 5, "The"),
    ("Port of Spain, Dec. 3: The", "Port of Spain", 12, 3, "The"),
    ("Austin. Tex., Jan. 5.—The", "Austin", 1, 5, "The"),  # the OCR read the comma as a stop
    ("Wien, 2. Dezember. Die Regierung", "Wien", 12, 2, "Die Regierung"),
    ("Paris, 4 décembre. — Le conseil", "Paris", 12, 4, "Le conseil"),
    ("Frankfurt am Main, 3. März. Die", "Frankfurt am Main", 3, 3, "Die"),
    ("WASHINCTciN. Jan. 4.—The", "Washinctcin", 1, 4, "The"),  # capitals the OCR garbled
    ("El Paso, Jan. 13.?A report", "El Paso", 1, 13, "A report"),  # a dash lost: "?"
    # a speck the OCR read between the place and the date
    ("Berlin, .July 8.?The admiralty", "Berlin", 7, 8, "The admiralty"),
    ("Paris,' July 3.—The", "Paris", 7, 3, "The"),
])
def test_on_a_scanned_page_a_place_in_title_case_before_a_date_is_a_dateline(
        paragraph, place, month, day, rest):
    dateline, after = parse_dateline(paragraph, undated=False)
    assert (dateline.place, dateline.month, dateline.day, after) == (place, month, day, rest)
    assert parse_dateline(paragraph) == (None, paragraph)  # the seed layout: capitals only


@pytest.mark.parametrize(("paragraph", "place", "text", "rest"), [
    # the dash lost in the encoding: the stop after the date ends the dateline
    ("ROME, Jan. 3. Half a million", "Rome", "ROME, Jan. 3", "Half a million"),
    # an OCR speck before the dateline is no part of it
    ("1 WASHINGTON, Jan. 3. Arrange ments", "Washington", "WASHINGTON, Jan. 3",
     "Arrange ments"),
    ("; Hartford, Conn., Jan. 11. The board", "Hartford", "Hartford, Conn., Jan. 11",
     "The board"),
    ("' SAN FRANCISCO. Jan. 27.—One of", "San Francisco", "SAN FRANCISCO. Jan. 27", "One of"),
    # a dateline on a line of its own: its stop is no text of the story
    ("WASHINGTON. Jan. 7.", "Washington", "WASHINGTON. Jan. 7", ""),
])
def test_on_a_scanned_page_specks_and_stops_around_a_dateline_are_dropped(
        paragraph, place, text, rest):
    dateline, after = parse_dateline(paragraph, undated=False)
    assert (dateline.place, dateline.text, after) == (place, text, rest)


@pytest.mark.parametrize(("paragraph", "undated", "place"), [
    ("WASHINGTON', Jan. 5.—The", True, "Washington"),  # a speck read as an apostrophe
    ("WASHINGTON', Jan. 5.—The", False, "Washington"),
    ("I WASHINGTON, Jan. 5.—The", False, "Washington"),  # a rule read as an "I"
    ("I Washington, Jan. 5.—The", False, "Washington"),
    ("I WASHINGTON, Jan. 5.—The", True, "I Washington"),  # (only on scanned pages)
    ("SANA'A, Jan. 5.—The", False, "Sana'a"),
])
def test_specks_around_a_place_in_capitals_are_no_part_of_it(paragraph, undated, place):
    assert parse_dateline(paragraph, undated=undated)[0].place == place


@pytest.mark.parametrize(("paragraph", "place", "text"), [
    ("BERLIN (Via Amsterdam) - The", "Berlin", "BERLIN (Via Amsterdam)"),
    ("ORD, Neb., Jan. 21 (Special.) The", "Ord", "ORD, Neb., Jan. 21 (Special.)"),
    ("PARIS, Jan. 4 (Delayed): The", "Paris", "PARIS, Jan. 4 (Delayed)"),
])
@pytest.mark.parametrize("undated", [True, False])
def test_how_a_dispatch_came_is_part_of_its_dateline_and_no_agency(
        paragraph, place, text, undated):
    dateline, rest = parse_dateline(paragraph, undated=undated)
    assert (dateline.place, dateline.text, dateline.agencies, rest) == (place, text, (), "The")


def test_on_a_scanned_page_parentheses_name_an_agency_only_when_it_looks_like_one():
    assert parse_dateline("POULTRY POST (Hont.lf) The", undated=False)[0] is None
    assert parse_dateline("TEHRAN (MNA) - The", undated=False)[0].agencies == ("MNA",)
    assert parse_dateline("PARIS (Havas) - The", undated=False)[0].agencies == ("Havas",)
    # the seed layout keeps any agency-shaped credit, as modern papers print many
    assert parse_dateline("POULTRY POST (Hont.lf) The")[0].agencies == ("Hont.lf",)


@pytest.mark.parametrize("paragraph", ["1 KUWAIT CITY, Nov 5: The", "; LONDON, Jan. 3. The"])
def test_a_speck_is_read_only_on_scanned_pages(paragraph):
    assert parse_dateline(paragraph) == (None, paragraph)  # the seed layout


@pytest.mark.parametrize("paragraph", [
    "Yesterday, Jan. 4, the council met.", "Mr. Smith, Jan. 5. He said", "Monday, Jan. 3.—The",
    "London, Jan. 4, 10.28 p. m. The", "Washington is cold, Jan. 5. The"])
def test_on_a_scanned_page_a_sentence_before_a_date_is_no_dateline(paragraph):
    assert parse_dateline(paragraph, undated=False) == (None, paragraph)


@pytest.mark.parametrize(("paragraph", "place", "rest"), [
    ("BOSTON, Aug. IS.—The mills closed.", "Boston", "The mills closed."),
    ("DENVER, Aug. 2G. The mills closed.", "Denver", "The mills closed."),
    ("OMAHA. Aug. :t. The mills closed.", "Omaha", "The mills closed."),
    ("SALEM, Aug. zi.?The mills closed.", "Salem", "The mills closed.")])
def test_a_day_the_ocr_garbled_keeps_the_dateline_and_its_month(paragraph, place, rest):
    """The place and the month stand; the day is not guessed."""
    dateline, after = parse_dateline(paragraph, undated=False)
    assert (dateline.place, dateline.month, dateline.day, after) == (place, 8, None, rest)


@pytest.mark.parametrize(("paragraph", "text", "month"), [
    ("Denver, Julv 22. The mills closed.", "Denver, Julv 22", 7),
    ("DENVER, duly 4.—The mills closed.", "DENVER, duly 4", 7),
    ("Denver, Colo., Jnly 4.—The mills closed.", "Denver, Colo., Jnly 4", 7),
    ("Denver, Septembor 9.—The mills closed.", "Denver, Septembor 9", 9),
    ("Denver, Juy 9.—The mills closed.", "Denver, Juy 9", 7)])
def test_a_month_the_ocr_misread_is_read_as_the_month(paragraph, text, month):
    """The dateline keeps the word as printed; the month is the name it stands for."""
    dateline, rest = parse_dateline(paragraph, undated=False)
    assert (dateline.text, dateline.place, dateline.month, rest) == (
        text, "Denver", month, "The mills closed.")


@pytest.mark.parametrize("paragraph", ["John Smith, aged 12. He was born here.",
                                       "John Smith, Juno 12 was born here.",
                                       "DENVER, Dee 12.—The mills closed."])
def test_a_word_in_the_month_slot_that_is_no_month_makes_no_dateline(paragraph):
    assert parse_dateline(paragraph, undated=False) == (None, paragraph)


@pytest.mark.parametrize("paragraph", ["BOSTON, Aug. is the month of fairs.",
                                       "BOSTON, in Aug. The mills closed."])
def test_a_word_after_a_month_without_a_separator_is_no_garbled_day(paragraph):
    assert parse_dateline(paragraph, undated=False) == (None, paragraph)


def test_the_hague_dated_to_a_year_is_still_a_dateline():
    dateline, rest = parse_dateline("THE HAGUE, May 2, 1874.")
    assert (dateline.place, dateline.month, dateline.day, rest) == ("The Hague", 5, 2, ", 1874.")


@pytest.mark.parametrize("paragraph", NOT_DATELINES)
def test_not_a_dateline(paragraph):
    assert parse_dateline(paragraph) == (None, paragraph)


def test_prose_after_ampersand_ends_the_dateline():
    dateline, rest = parse_dateline("DUBAI, Nov 4, (AFP) & Trump said")
    assert dateline == Dateline("DUBAI, Nov 4, (AFP)", "Dubai", 11, 4, ("AFP",))
    assert rest == "& Trump said"


@pytest.mark.parametrize("caps,title", [
    ("AL-JAHRA", "Al-Jahra"), ("ST. LOUIS", "St. Louis"), ("SANA'A", "Sana'a"),
    ("KUWAIT CITY", "Kuwait City"), ("SÃO PAULO", "São Paulo"), ("RIO DE JANEIRO",
    "Rio de Janeiro"), ("N'DJAMENA", "N'Djamena"), ("D.C.", "D.C."),
    ("STRATFORD-UPON-AVON", "Stratford-upon-Avon"),
])
def test_title_place(caps, title):
    assert title_place(caps) == title


@pytest.mark.parametrize("name,canonical", [
    ("KUNA", "KUNA"), ("afp", "AFP"), ("A.P.", "AP"), ("Associated Press", "AP"),
    ("DPA", "dpa"), ("xinhua", "Xinhua"), ("Agency", "Agencies"), ("AA", "Anadolu"),
    ("arab  times", "Arab Times"), ("Mehr  News", "Mehr News"),
])
def test_canonical_agency(name, canonical):
    assert canonical_agency(name) == canonical


def test_every_canonical_name_maps_to_itself():
    for canonical in set(AGENCY_NAMES.values()):
        assert canonical_agency(canonical) == canonical


def _words(text: str) -> Counter[str]:
    # Underscores and dashes are separators, not words.
    return Counter(re.findall(r"[^\W_]+", text))


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.text(),
    st.text(alphabet="ABCDEKLMNOSTUVWÃ'’.-–—_:,()/& \xa0\t\nNovSept0123456789AFPeur"),
    st.builds(
        lambda place, sep, tail: f"{place}{sep}{tail}",
        st.from_regex(
            r"[A-Z][A-Z' .-]{0,20}(, [A-Z][a-z]+)?(, Nov \d{1,2})?( \([A-Za-z/, ]{1,12}\))?",
            fullmatch=True,
        ),
        st.sampled_from([":", " -", " – ", "—", " --", "_", "", " "]),
        st.text(),
    ),
))
def test_never_raises_never_loses_words(paragraph):
    dateline, rest = parse_dateline(paragraph)
    if dateline is None:
        assert rest == paragraph
    else:
        assert _words(dateline.text) + _words(rest) == _words(paragraph)
        assert dateline.text and dateline.place


@pytest.mark.parametrize("text", [
    "SIXTEENTH YEAR. OMAHA. SUNDAY MORNING, MARCH 6, 1887. The council met on Monday.",
    "Eleventh Year. Omaha, Thursday Evening, March 10. The council met on Monday."])
def test_a_folio_line_is_no_dateline(text):
    """A masthead's or folio's date line opening an item (its band not found on the page)
    names a day or an edition, which no dispatch's place does."""
    for undated in (True, False):
        assert parse_dateline(text, undated=undated)[0] is None
