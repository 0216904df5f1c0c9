"""The cut and kind rules added for issue 12's segmentation targets, each on a small page
invented here: plain OCR text with blank lines between blocks (noise and figures inside a
block of text, notices that are not verse, advertisement blocks) and laid-out pages
(running heads printed large with a date, or over a column that goes on mid-sentence)."""

from __future__ import annotations

import pytest

from archive.formats.ocr_lines import plain_line, read_line
from archive.formats.ocr_text import read_text
from archive.layout import Box, Line, Page
from archive.model import PageMeta, ReadOptions, Stripped
from archive.segmentation import printed_meta, segment
from archive.segmentation.datelines import opens_with_dateline
from archive.segmentation.text_kinds import (
    DEBRIS_WORDS,
    ad_like,
    debris,
    printed_word,
    sentence_end,
)
from tests.test_segment import HEIGHT, PITCH, block, body, heading, line, text, words_of


def _items(page: str):
    return read_text(page, "page.txt", PageMeta(), ReadOptions())


def _words(item) -> list[str]:
    return [w for b in item.blocks for t in b for w in t.split()]


# --- plain text: noise and figures inside a block ------------------------------------------

STORY = ["The water committee met on Monday evening and",
         "agreed that the new reservoir should be begun",
         "before the spring, the cost being set at",
         "three thousand pounds by the engineer."]


def test_a_garbled_line_inside_a_block_of_text_stays_with_it():
    garbled = "; • , 3 : 1"
    page = "\n".join(["THE WATER SUPPLY.", "", *STORY[:2], garbled, *STORY[2:], ""])
    unit = _items(page)
    assert read_line(garbled, 0) == "noise"  # alone, it reads as noise
    [item] = unit.items
    assert "3" in _words(item) and len([t for b in item.blocks for t in b]) == 5
    assert not any(s.text == garbled for s in unit.stripped)


def test_rows_of_figures_inside_a_table_stay_with_it_and_a_block_of_noise_does_not():
    table = ["PRICES OF GRAIN.", "", "Wheat per quarter", "12 50", "13 25", "11 75",
             "Barley per quarter", "8 50", "", "• , ; •", "' • ."]
    unit = _items("\n".join([*table, "", *STORY, ""]))
    kept = [w for item in unit.items for w in _words(item)]
    assert {"12", "50", "13", "25", "11", "75"} <= set(kept)
    assert {"• , ; •", "' • ."} <= {s.text for s in unit.stripped}


def test_without_blank_lines_noise_is_still_furniture():
    page = "\n".join(["THE WATER SUPPLY.", *STORY[:2], "; • , 3 : 1", *STORY[2:]])
    unit = _items(page)
    assert any(s.text == "; • , 3 : 1" for s in unit.stripped)


def test_a_plain_line_is_never_a_headline_or_asentence_end():
    found = plain_line("ES T ' A.", 3)
    assert (found.caps, found.title, found.dateline, found.ends, found.block) == (
        False, False, False, False, 3)


# --- plain text: notices are not verse ---------------------------------------------------

NOTICES = ["On Friday last, at the Grange, Mr. Thomas Webb,",
           "Surveyor of this town.",
           "Same day, aged 71, Mrs. Mary Hale, widow of the",
           "late Mr. John Hale, of Bridge-street.",
           "On Sunday, Elizabeth, daughter of Mr. Ward."]
STANZA = ["The lamps are lit along the quay,", "The boats come slowly in,",
          "And every sail upon the sea", "Goes home when tides begin,",
          "And so the evening falls on me."]


def test_a_block_of_notices_opening_with_capitals_goes_on_with_its_column():
    prose = ["The death is announced of several old residents",
             "of the district, whose names many readers will",
             "remember from the parish registers of the past",
             "years, as follows below in order of the day."]
    unit = _items("\n".join(["DEATHS.", "", *prose, "", *NOTICES, ""]))
    assert [i.headline for i in unit.items] == ["DEATHS."]


def test_stanzas_after_prose_still_open_a_poem():
    prose = ["The harbour master reported that the season",
             "had been a quiet one, and that the new lamps",
             "were working to the satisfaction of the",
             "pilots and of the fishermen of the port."]
    unit = _items("\n".join(["THE HARBOUR.", "", *prose, "", *STANZA, ""]))
    assert len(unit.items) == 2 and _words(unit.items[1])[:2] == ["The", "lamps"]


# --- plain text: advertisement blocks ------------------------------------------------------

# Lines opening in lower case too (it is no stanza, which would be cut off anyway).
ADVERT = ["GREAT CLEARING SALE.",
          "JOHN SMITH & CO. beg to announce their",
          "ANNUAL SALE OF DRAPERY AND CLOTHING,",
          "of Winceys at 3s. 6d., 4s. 11d., and 5s. 9d.",
          "and Prints, one price, 8d. and 10d. per yard.",
          "with Blankets and Shirtings at 2s. 6d.",
          "NOTE THE ADDRESS-HIGH STREET."]


# A shop's notice in sentences: no price, no line in capitals, but the words of selling.
SALE_TEXT = ["Our summer sale is on and now is the time to buy",
             "the cool things you need while our prices are low.",
             "Every pair of shoes in our store will be offered for",
             "sale, and we guarantee the goods. Phone your order."]
# A party's platform says "we" as often, and sells nothing.
PLATFORM = ["We declare our faith in the principles of the party.",
            "We favor a tariff for revenue and we condemn waste.",
            "We renew our pledge to the farmers of our state and",
            "we call on our members to stand by our candidates."]


@pytest.mark.parametrize(("lines", "ad"), [(SALE_TEXT, True), (PLATFORM, False)])
def test_sentences_of_selling_without_prices_read_as_an_advertisement(lines, ad):
    assert ad_like([read_line(text, 0) for text in lines]) is ad


def test_an_advertisement_block_after_a_story_is_an_item_of_its_own():
    unit = _items("\n".join(["THE WATER SUPPLY.", "", *STORY, "", *ADVERT, ""]))
    assert [i.kind for i in unit.items] == ["article", "advertisement"]
    assert _words(unit.items[0])[-1] == "engineer."


def test_a_table_of_prices_in_a_market_report_stays_in_the_report():
    report = ["Wheat was firm at the opening of the market",
              "and closed with a small advance on the week."]
    table = ["White wheat 52s. 6d. to 56s. 0d.", "Red wheat 48s. 0d. to 51s. 6d.",
             "Barley 30s. 0d. to 34s. 6d.", "Oats 22s. 0d. to 25s. 6d."]
    unit = _items("\n".join(["CORN MARKET.", "", *report, "", *table, ""]))
    assert len(unit.items) == 1 and "Oats" in _words(unit.items[0])


def test_a_line_ending_in_a_price_or_a_name_ends_no_sentence():
    assert sentence_end("the meeting then closed at a late hour.")
    assert not sentence_end("Blankets at 2s. 6d.")
    assert not sentence_end("Brownhills (opposite Mount Zion Chapel).")
    assert not sentence_end("HOSIERY, &c.")
    # A line of prices reads as garbled (a word among figures and specks, no headline, no
    # sentence); inside its block it is kept as text.
    assert read_line("Winceys at 3s. 6d., 4s. 11d., and 5s. 9d.", 0) == "garbled"
    lines = [read_line(t, 0) for t in ADVERT]
    assert ad_like([x if not isinstance(x, str) else plain_line(t, 0)
                     for x, t in zip(lines, ADVERT, strict=True)])
    assert not ad_like([read_line(t, 0) for t in STORY])


# --- plain text: headlines the OCR garbled out of their type -------------------------------

COURT = ["The magistrates sat on Tuesday to hear the case of",
         "the two carters charged with obstructing the road",
         "near the bridge, and after hearing the constable",
         "they fined each of them five shillings and costs."]
MARKET = ["Cotton was in fair demand throughout the week and",
          "prices closed steady; the arrivals from the south",
          "were larger than expected by the brokers here."]


def _page(*blocks: list[str]) -> str:
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def test_a_garbled_headline_over_a_deck_in_capitals_opens_an_item():
    # "Markets." in black letter is no capitals or title case; its deck is.
    unit = _items(_page(["POLICE COURT."], COURT, ["Markets.", "FOREIGN PRODUCE,"], MARKET))
    assert [i.headline for i in unit.items] == ["POLICE COURT.", "Markets."]
    assert unit.items[1].subtitle == "FOREIGN PRODUCE,"


def test_a_line_of_a_sentence_over_a_deck_is_no_headline():
    # A short finished sentence that happens to head a block over a line in capitals.
    closing = COURT[:3] + ["they fined each of them five shillings."]
    unit = _items(_page(["POLICE COURT."], closing,
                        ["The court then rose.", "COUNTY SESSIONS."], MARKET))
    assert unit.items[0].headline == "POLICE COURT."
    assert "rose." in _words(unit.items[0])


def test_a_line_going_on_from_the_line_above_is_no_garbled_headline():
    names = ["DIRECTORS.", "Sir John Marsh, Bart.", "Henry Cole, Esq.",
             "Sir Charles Dunmore, Bart. and"]
    unit = _items(_page(["THE COUNTY ASSURANCE OFFICE."], names,
                        ["Alderman.", "THOMAS PARKE, SECRETARY."], MARKET))
    assert len(unit.items) == 1 and "Alderman." in _words(unit.items[0])


def test_a_sentence_left_open_goes_on_in_a_short_block_under_it():
    opened = COURT[:3] + ["the case was adjourned for"]
    for going_on in ("The first witness called was", "Mr. Bell deposed that"):
        unit = _items(_page(["POLICE COURT."], opened, [going_on], MARKET))
        assert [i.headline for i in unit.items] == ["POLICE COURT."], going_on
    # After a line ending in a comma, even a headline-like word goes on with it.
    comma = COURT[:3] + ["they fined each of them,"]
    unit = _items(_page(["POLICE COURT."], comma, ["Hallam."], MARKET))
    assert len(unit.items) == 1
    # After a finished sentence, the same short block is a (garbled) headline.
    unit = _items(_page(["POLICE COURT."], COURT, ["Hallam."], MARKET))
    assert [i.headline for i in unit.items] == ["POLICE COURT.", "Hallam."]


def test_a_short_line_over_fragments_of_a_torn_column_is_no_headline():
    fragments = [["I tho"], ["wa ,f the"], ["pa r."], ["11 th"]]
    unit = _items(_page(["POLICE COURT."], COURT, ["Hallam."], *fragments))
    assert [i.headline for i in unit.items] == ["POLICE COURT."]


def test_a_long_story_in_blocks_that_stop_mid_sentence_is_not_briefs():
    story = ["THE GREAT TRIAL."]
    blocks = []
    for n in range(26):  # 104 lines, the OCR's blocks cut inside its sentences
        blocks.append([f"The witness number {n + 2} told the court that he had",
                       "seen the prisoner at the bank on the morning in",
                       "question, and that the bonds were then in the",
                       "strong room of the house, where the clerks kept"])
    unit = _items(_page(story, *blocks))
    assert [i.headline for i in unit.items] == ["THE GREAT TRIAL."]
    assert len(unit.items[0].blocks) == 26


# --- laid-out pages: running heads ---------------------------------------------------------

def _columns(head) -> Page:
    """A running head over two columns of text; the second column opens mid-sentence."""
    going_on = ["ing the " + t for t in text(32, 22, "b")]
    blocks = [head,
              heading("h", "THE WATER SUPPLY.", 0, 400, 60),
              body("a", text(40, 20, "a"), 0, 100),
              body("b", going_on, 450, 60)]
    return Page(tuple(blocks), width=850, height=700)


def test_a_running_head_printed_large_with_a_date_is_stripped():
    # Type a little larger than the body, in a line box over 2.5 body lines tall (the
    # OCR's box takes in the space around it): no masthead, and taller than a folio.
    words = line("THE COUNTY EXAMINER, SATURDAY, MAY 2, 1874.", 200, 0, size=12,
                 height=24)
    tall = Line(words.words, Box(words.box.left, 0, words.box.right, 2.6 * 20), 12)
    big = block("run", [tall])
    items, stripped = segment(_columns(big))
    assert any(s.kind == "folio" and "1874" in s.text for s in stripped)
    assert "EXAMINER," not in " ".join(i.headline or "" for i in items)
    assert [i.headline for i in items] == ["THE WATER SUPPLY."]


def test_a_title_over_text_that_goes_on_mid_sentence_is_a_running_head():
    title = heading("run", "THE COUNTY EXAMINER.", 450, 850, 0)
    items, stripped = segment(_columns(title))
    assert any(s.text == "THE COUNTY EXAMINER." for s in stripped)
    assert all(i.headline != "THE COUNTY EXAMINER." for i in items)


def test_a_headline_over_text_that_opens_a_sentence_is_kept():
    opening = ["Bridge works " + t for t in text(28, 22, "b")]
    blocks = [heading("run", "THE COUNTY EXAMINER.", 450, 850, 0),
              heading("h", "THE WATER SUPPLY.", 0, 400, 60),
              body("a", text(40, 20, "a"), 0, 100),
              body("b", opening, 450, 60)]
    items, _ = segment(Page(tuple(blocks), width=850, height=700))
    assert "THE COUNTY EXAMINER." in [i.headline for i in items]
    assert any(words_of(i).startswith("Bridge works") for i in items)


# --- laid-out pages: sub-headings under a large headline ----------------------------------

def _prose(n: int, seed: str) -> list[str]:
    """n lines of lower-case words of uneven length (no gutter runs down them)."""
    words = [seed + "x" * (i % 7) for i in range(12 * n)]
    out, current = [], ""
    for word in words:
        if len(current) + len(word) + 1 > 40:
            out.append(current)
            current = ""
        current = f"{current} {word}".strip()
    return out[:n]


def _section_page(sub: str, big: float = 15, size: float = 10) -> Page:
    """A large headline (set at big) over a column with a heading (set at size, the body's
    10) half way down it, after some 170 words (no brief: stories.BRIEF_WORDS), and a
    second column opening with a heading of body size."""
    blocks = [heading("big", "COUNTY MINERS.", 0, 400, 0, size=big, char=big),
              body("a", _prose(26, "a"), 0, 50),
              heading("sub", sub, 0, 400, 50 + 26 * PITCH + 10, size=size, char=size),
              body("b", ["bend " + t for t in _prose(8, "b")], 0, 50 + 27 * PITCH + 20),
              heading("other", "CHURCH NOTES.", 450, 850, 0),
              body("c", _prose(34, "c"), 450, 40)]
    return Page(tuple(blocks), width=850, height=1200)


def test_a_heading_of_body_size_under_a_large_headline_is_its_sub_heading():
    items, _ = segment(_section_page("MEETING AT THE QUARRY."))
    assert [i.headline for i in items] == ["COUNTY MINERS.", "CHURCH NOTES."]
    assert "MEETING AT THE QUARRY." in words_of(items[0])
    assert "bend" in words_of(items[0]).split()


def test_a_heading_set_like_the_headline_above_it_is_a_headline_of_its_own():
    """Two headlines in one type, one measured just over the size that makes a headline
    large and the other just under it (the OCR's boxes vary), are two articles; a heading
    of body size under the same headline stays its sub-heading."""
    items, _ = segment(_section_page("MEETING AT THE QUARRY.", big=12.5, size=11.5))
    assert [i.headline for i in items] == ["COUNTY MINERS.", "MEETING AT THE QUARRY.",
                                           "CHURCH NOTES."]
    items, _ = segment(_section_page("MEETING AT THE QUARRY.", big=12.5))
    assert [i.headline for i in items] == ["COUNTY MINERS.", "CHURCH NOTES."]


def test_deaths_under_a_large_headline_are_a_section_of_their_own():
    items, _ = segment(_section_page("DEATHS."))
    assert [i.headline for i in items] == ["COUNTY MINERS.", "DEATHS.", "CHURCH NOTES."]


# --- laid-out pages: the paper's name as a heading over nothing ---------------------------

def _lone_heading_page(lone: str) -> Page:
    """A story in each column, and under the second a heading with nothing under it (an
    editorial page's masthead over a box the OCR did not read)."""
    blocks = [heading("h", "THE WATER SUPPLY.", 0, 400, 60),
              body("a", text(40, 20, "a"), 0, 100),
              heading("next", "CHURCH NOTES.", 450, 850, 60),
              body("c", _prose(8, "c"), 450, 100),
              heading("lone", lone, 450, 850, 100 + 8 * PITCH + 80)]
    return Page(tuple(blocks), width=850, height=700)


def test_the_papers_name_alone_is_its_masthead_not_an_article():
    items, stripped = segment(_lone_heading_page("THE MORNING HERALD."))
    assert [i.headline for i in items] == ["THE WATER SUPPLY.", "CHURCH NOTES."]
    assert Stripped("masthead", "THE MORNING HERALD.") in stripped
    assert printed_meta(stripped).publication == "The Morning Herald"


def test_a_section_heading_alone_stays_an_item_and_names_no_paper():
    items, stripped = segment(_lone_heading_page("SHIPPING NEWS."))
    assert any("SHIPPING NEWS." in words_of(i) for i in items)
    assert printed_meta(stripped).publication is None


@pytest.mark.parametrize(("line", "name"), [
    ("LUXEMBURGER WORT", "Luxemburger Wort"), ("Journal de Genève", "Journal de Genève"),
    ("Corriere della Sera", "Corriere della Sera"), ("LE TEMPS", "Le Temps"),
    ("Neue Freie Presse", "Neue Freie Presse"), ("De Telegraaf", "De Telegraaf"),
    ("Le conseil de la ville", None), ("And Tucumcari Times", None),
    ("Journal de bord", None)])
def test_the_names_of_papers_in_other_languages_are_read_whole(line, name):
    assert printed_meta([Stripped("masthead", line)]).publication == name


def test_a_title_printed_in_two_languages_names_the_paper_whole():
    both = [Stripped("masthead", "LUXEMBURGER ZEITUNG — JOURNAL DE LUXEMBOURG.")]
    assert printed_meta(both).publication == "Luxemburger Zeitung – Journal De Luxembourg"
    mixed = [Stripped("masthead", "Courrier du Nord - Nordkurier")]
    assert printed_meta(mixed).publication == "Courrier du Nord – Nordkurier"
    unnamed = [Stripped("masthead", "Nouvelles du Nord - Nordkurier")]
    assert printed_meta(unnamed).publication is None  # its first part is no name read whole
    going_on = [Stripped("masthead", "Shipping News - continued")]
    assert printed_meta(going_on).publication is None


# --- laid-out pages: section headings -----------------------------------------------------

def _section_heading_page(section: str, second: str = "SPAIN.") -> Page:
    """A heading standing apart over two articles of its column; another column beside."""
    blocks = [heading("sec", section, 0, 400, 0),
              heading("h1", "FRANCE.", 0, 400, 100),
              body("a", _prose(8, "a"), 0, 140),
              heading("h2", second, 0, 400, 140 + 8 * PITCH + 20),
              body("b", _prose(8, "b"), 0, 180 + 8 * PITCH + 20),
              heading("other", "CHURCH NOTES.", 450, 850, 0),
              body("c", _prose(20, "c"), 450, 40)]
    return Page(tuple(blocks), width=850, height=700)


def test_a_heading_over_the_articles_of_its_column_names_their_section():
    items, stripped = segment(_section_heading_page("FOREIGN INTELLIGENCE."))
    assert [(i.headline, i.section) for i in items] == [
        ("FRANCE.", "FOREIGN INTELLIGENCE"), ("SPAIN.", "FOREIGN INTELLIGENCE"),
        ("CHURCH NOTES.", None)]
    assert Stripped("section-heading", "FOREIGN INTELLIGENCE.") in stripped


def test_a_heading_that_is_no_name_of_a_section_stays_an_item():
    """Words of a sentence in mixed case, or a heading over notices, name no section."""
    for lone in ("Sold by all chemists", "BIRTHS."):
        items, stripped = segment(_section_heading_page(lone))
        assert not any(i.section for i in items), lone
        assert not [s for s in stripped if s.kind == "section-heading"], lone
        assert any(lone in f"{i.headline or ''} {words_of(i)}" for i in items), lone


def test_a_fragment_of_a_word_or_three_is_kept_as_other_not_an_article():
    """Words the OCR read off the torn edge of the scan beside the columns: searchable,
    an item of its own (a sliver of a column), and no article."""
    blocks = [heading("h", "THE WATER SUPPLY.", 0, 400, 60),
              body("a", text(40, 20, "a"), 0, 100),
              heading("next", "CHURCH NOTES.", 450, 850, 60),
              body("c", _prose(16, "c"), 450, 100),
              block("edge", [line("yiri", 900, 300), line("nem", 900, 300 + PITCH)])]
    items, _ = segment(Page(tuple(blocks), width=950, height=700))
    kinds = {words_of(i): i.kind for i in items}
    assert kinds["yiri nem"] == "other"
    assert [i.kind for i in items if i.headline] == ["article", "article"]


def test_broken_letters_at_a_columns_foot_are_debris_not_an_article():
    """Five tokens the OCR read off a rule, none a word as printed, are "other" (an item
    of their own, at the page's edge); a short text with a word as printed is not
    debris."""
    def kinds(first: str, second: str) -> dict[str, str]:
        blocks = [heading("h", "THE WATER SUPPLY.", 0, 400, 60),
                  body("a", text(40, 20, "a"), 0, 100),
                  heading("next", "CHURCH NOTES.", 450, 850, 60),
                  body("c", _prose(16, "c"), 450, 100),
                  block("foot", [line(first, 900, 300), line(second, 900, 300 + PITCH)])]
        items, _ = segment(Page(tuple(blocks), width=950, height=700))
        return {words_of(i): i.kind for i in items}

    assert kinds("k- . =", "ili Jii")["k- . = ili Jii"] == "other"
    assert debris("k- . = ili Jii") and debris("' . , t 1 ill")
    assert not debris("Ice is sold here") and not debris("THE MAYOR SPOKE")
    assert not debris(" ".join(["ili"] * DEBRIS_WORDS))  # long enough to be read as text


@pytest.mark.parametrize(("token", "word"), [
    ("sections.", True), ("JONES.", True), ("Wood", True), ("(Boston)", True),
    ("القاهرة", True), ("Jii", False), ("ViHI.v", False), ("ll.e", False), ("1916.", False)])
def test_a_word_as_printed(token, word):
    assert printed_word(token) is word


# --- kinds: legal notices and advertisements in French and German --------------------------

@pytest.mark.parametrize("opening", [
    "A la requete de Jean MULLER, cultivateur, demeurant a Remich,",
    "Il resulte d'un exploit de l'huissier Weber, de residence a Diekirch,",
    "Par-devant Me Schmit, notaire a la residence de Grevenmacher,",
    "Oeffentliche Bekanntmachung. Der Gemeinderat von Ettelbruck macht",
])
def test_a_legal_notice_in_french_or_german_is_a_notice(opening: str):
    prose = [opening, "et en vertu d'un jugement rendu le douze novembre dernier,",
             "il sera procede aux jour et heure indiques ci-apres a la",
             "vente des biens designes au cahier des charges depose."]
    [item] = _items(_page(prose)).items
    assert item.kind == "notice"
    blocks = [body("n", prose, 0, 0)]
    [laid] = segment(Page(tuple(blocks), width=850, height=300))[0]
    assert laid.kind == "notice"


def test_a_report_naming_a_bailiff_stays_an_article():
    prose = ["The bailiff of the court was heard on Tuesday and told",
             "the jurors that the sale of the farm had been put off",
             "until the spring, when the roads will be better",
             "for the buyers who come from the north."]
    assert [i.kind for i in _items(_page(prose)).items] == ["article"]


@pytest.mark.parametrize("phrase", [
    "Te koop: een goed onderhouden huis", "Til salgs: en god hest", "Tilkiøbs er en gaard",
    "Till salu: en gård vid sjön", "Vendesi casa con giardino", "Se vende casa con jardín",
    "Myydään talo", "Die Unterzeichnete beehrt sich anzuzeigen", "Landverkauf.",
    "Groszer Ausverkauf!", "Hausverkoop te Leiden"])
def test_for_sale_in_the_languages_of_european_papers_is_a_trade_word(phrase: str) -> None:
    """The head of a small advertisement counts as a word of trade in every language the
    archive's papers print ("te koop", "til salgs", "vendesi" ...), as "for sale" does."""
    from archive.segmentation.headlines import ad_signs

    assert ad_signs([phrase]).trade >= 1
    assert ad_signs(["The council met on Monday and agreed to the plan."]).trade == 0
    assert ad_signs(["Die Regierung verkaufte das Land."]).trade == 0  # a report of a sale


# --- datelines of other languages open dispatches -----------------------------------------

@pytest.mark.parametrize("line", [
    "Luxembourg, le 6 décembre.", "Paris, 1er décembre. Le conseil", "Wien, 2. Dezember. Die",
    "Madrid, 5 de diciembre de 1916. El gobierno", "Roma, 3 dicembre", "WASHINGTON, Jan. 24.—The",
    # an export that parts every stop and ordinal from its word (RERO's)
    "Londres , 1 er . septembre .", "Bombay , 1 er septembre .", "Wien , 2 . Dezember ."])
def test_a_dateline_in_the_form_its_language_prints_it(line):
    assert opens_with_dateline(line)


@pytest.mark.parametrize("line", ["The man, le 6 hours", "Paris, le Louvre et la Seine",
                                  "Paris, 1 erreur septembre"])
def test_words_of_a_sentence_are_no_dateline(line):
    assert not opens_with_dateline(line)


# --- laid-out pages: headings set at body size on a line of their own ---------------------

def _run_in_page(second: str, left: float = 0, end: str = "plan.") -> Page:
    """A headline in capitals over two short items, the second under `second`: a line of
    its own at body size starting at x=left, over a paragraph opening in a capital; the
    first item's text ends with `end`."""
    top = 50 + 4 * PITCH + 10
    blocks = [heading("big", "NEWS IN BRIEF", 0, 400, 0, size=15, char=15),
              body("a", ["The council met on Monday and agreed to the"]
                   + _prose(3, "a")[:-1] + [end], 0, 50),
              block("sub", [line(second, left, top)]),
              body("b", ["Forty men were at work on the bridge when"] + _prose(3, "b"),
                   0, top + PITCH + 4)]
    return Page(tuple(blocks), width=400, height=400)


@pytest.mark.parametrize("end", ["plan.", "plan.“", "(the plan.)", "«the plan!»"])
def test_a_line_of_a_few_words_over_a_paragraph_is_a_heading_in_body_type(end):
    items, _ = segment(_run_in_page("The new bridge", end=end))
    assert [i.headline for i in items] == ["NEWS IN BRIEF", "The new bridge"]
    assert words_of(items[1]).split()[0] == "Forty"


def test_a_short_line_after_a_sentence_left_open_is_no_heading():
    items, _ = segment(_run_in_page("The new bridge", end="the"))
    assert [i.headline for i in items] == ["NEWS IN BRIEF"]


def test_a_short_line_that_ends_a_sentence_or_stands_right_is_no_heading():
    for page in (_run_in_page("The new bridge."),  # the last line of a paragraph
                 _run_in_page("J. Smith", left=300)):  # a signature, set to the right
        items, _ = segment(page)
        assert [i.headline for i in items] == ["NEWS IN BRIEF"]


def test_a_line_of_a_few_words_set_large_is_a_heading_though_it_fills_its_column():
    """"Aeroplanes pour l'armée autrichienne." in type a quarter larger than the body,
    across its column, over the paragraph it heads: an article of its own."""
    title = "Aeroplanes for the Austrian army."
    top = 50 + 4 * PITCH + 10
    blocks = [heading("big", "NEWS IN BRIEF", 0, 400, 0, size=15, char=15),
              body("a", ["The council met on Monday and agreed to the"]
                   + _prose(3, "a")[:-1] + ["plan."], 0, 50),
              block("sub", [line(title, 0, top, size=13, char=400 / len(title),
                                 height=1.3 * HEIGHT)]),
              body("b", ["Forty men were at work on the bridge when"] + _prose(3, "b"),
                   0, top + PITCH + 8)]
    items, _ = segment(Page(tuple(blocks), width=400, height=400))
    assert [i.headline for i in items] == ["NEWS IN BRIEF", title]
