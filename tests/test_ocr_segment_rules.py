"""Plain page OCR text rules of ocr-text reader version 5, each on a small page invented
here: a signature ends what is above it and heads nothing; an item holding half the page
is cut where a block opens with a deck in capitals; the stanzas of a poem whose OCR
garbled a line stay one poem."""

from __future__ import annotations

import pytest

from archive.formats.ocr_lines import clean, read_line, split_bled
from archive.formats.ocr_text import read_text
from archive.model import PageMeta, ReadOptions
from archive.segmentation.text_kinds import near_stanza, stanza


def _read(page: list[str]):
    return read_text("\n".join(page) + "\n", "page.txt", PageMeta(), ReadOptions())


def _lines(item) -> list[str]:
    return [line for block in item.blocks for line in block]


# --- a signature ends the item above it ------------------------------------------------

@pytest.mark.parametrize("line", [
    "MAWDSLEY, Solicitor.", "JOHN SMITH, SECRETARY.", "By order, T. BROWN, Clerk.",
    "D. STAFFORD Sole Agent.", "HOLT and LAMB, Brokers.", "Yours truly,",
    "I am, Sir, your obedient servant,", "P. MERSCH, notaire.", "Foster Hale, Esq."])
def test_a_name_and_its_office_is_a_signature(line):
    read = read_line(line, 0)
    assert read.signature, line


@pytest.mark.parametrize("line", [
    "THE MAYOR", "NEWS AGENTS", "COUNTY COMMISSIONERS", "Work Elects Directors.",
    "Guarding President.", "which he is president.", "Washington, Jan. 18. Secretary",
    "the clerk of the court said that the"])
def test_a_heading_or_a_sentence_naming_an_office_is_no_signature(line):
    read = read_line(line, 0)
    assert not read.signature, line


@pytest.mark.parametrize("line", [
    "Ständerat für Vorwegmassnahmen der Raumplanung", "Une Escadre dans les Eaux",
    "Kommission für Verkehr und Energie", "Lined Up Along Tracks and"])
def test_a_heading_in_title_case_keeps_the_small_words_of_its_language(line):
    assert read_line(line, 0).title, line


@pytest.mark.parametrize("line", [
    "Continued en Fifth Page", "the council met und adjourned", "Die Kommission tagte"])
def test_a_misread_on_or_a_word_in_lower_case_is_no_title(line):
    assert not read_line(line, 0).title, line


NOTICE = ["NOTICE TO CREDITORS.", "",
          "All persons having claims against the estate of",
          "the late Henry Ward, of Mill-lane, are requested",
          "to send them to the undersigned before the first",
          "day of March next, after which date they will",
          "not be paid.", ""]
SIGNED = ["GREGSON, Solicitor.", ""]
NEXT = ["Whereas a petition has been presented by the",
        "trustees of the chapel for leave to sell the",
        "ground adjoining the school, the vestry will",
        "meet to consider it on Tuesday next.", ""]


def test_a_signature_in_a_block_of_its_own_heads_nothing():
    unit = _read(NOTICE + SIGNED + NEXT)
    assert [item.headline for item in unit.items] == ["NOTICE TO CREDITORS."]
    lines = _lines(unit.items[0])
    assert lines.index("GREGSON, Solicitor.") == len(NOTICE) - 3  # after the notice's text


def test_a_heading_in_a_block_of_its_own_still_opens_an_item():
    unit = _read(NOTICE + ["Chapel Ground.", ""] + NEXT)
    assert [item.headline for item in unit.items] == ["NOTICE TO CREDITORS.",
                                                      "Chapel Ground."]


def test_without_blank_lines_a_signature_is_no_headline_either():
    # Nor is the place and date under it a dispatch's dateline.
    plain = [line for line in NOTICE + ["T. GREGSON, Secretary.", "Mill House, March 2."]
             + NEXT if line]
    unit = _read(plain)
    assert [item.headline for item in unit.items] == ["NOTICE TO CREDITORS."]
    assert "T. GREGSON, Secretary." in _lines(unit.items[0])
    assert "Mill House, March 2." in _lines(unit.items[0])


# --- a deck in capitals inside an item holding half the page ---------------------------

def _column(n: int, topic: str) -> list[str]:
    """Ten lines of running text about a topic that stop mid-sentence (a piece of a
    column), then a blank line."""
    return [f"the {topic} was discussed at length by the members",
            "present, several of whom had come a long way to",
            f"hear what would be done about the {topic} this",
            "year and the next, and the chairman, who spoke",
            f"for some time, said that the matter number {n}",
            "would be put before the county council at its",
            "next meeting in the town hall, where all who",
            "wished to be heard would be given the chance to",
            "speak, and that a report would follow in these",
            "columns as soon as the clerk had"] + [""]


def _page(deck: list[str], blocks: int) -> list[str]:
    """Blocks of one story under no headline (a column going on from another page), with
    a block opening with the given deck in the middle."""
    page: list[str] = []
    for n in range(blocks):
        column = _column(n, "drainage" if n < blocks // 2 else "lighting")
        if n == blocks // 2:
            column = deck + ["At the meeting of the gas company on Friday", *column]
        page += column
    return page


def test_a_deck_of_two_capitals_lines_opening_a_block_cuts_an_item_of_half_the_page():
    unit = _read(_page(["THE NEW GAS LAMPS.", "A MEETING OF THE COMPANY."], 12))
    assert [item.headline for item in unit.items][1:] == [
        "THE NEW GAS LAMPS. A MEETING OF THE COMPANY."]
    assert _lines(unit.items[1])[0] == "At the meeting of the gas company on Friday"
    assert all("gas company" not in line for line in _lines(unit.items[0]))


def test_one_capitals_line_opening_a_block_stays_a_run_in_head():
    unit = _read(_page(["THE NEW GAS LAMPS."], 12))
    assert len(unit.items) == 1


def test_a_deck_inside_a_short_item_does_not_cut_it():
    # Under 100 lines, an item is no page of stories: the deck may be a sub-heading.
    unit = _read(_page(["THE NEW GAS LAMPS.", "A MEETING OF THE COMPANY."], 6))
    assert len(unit.items) == 1


# --- a poem whose OCR garbled a line stays one poem ------------------------------------

PROSE = ["The society closed its winter meetings with an",
         "evening of readings, at which the secretary read",
         "the following lines sent in by a member who"
         " lives", "at the lighthouse on the point.", ""]
STANZAS = [["The lamps are lit along the quay,", "The boats come slowly in,",
            "And every sail upon the sea", "Goes home when tides begin."],
           ["The gulls are gone from rock and sand,", "the wind has dropped to rest,--",
            "And lights shine out along the land", "From every cottage west."],
           ["So let the evening find us here", "Beside the harbour wall,",
            "Where all we love is gathered near", "And night comes down on all."]]


def test_a_garbled_stanza_reads_nearly_as_verse():
    lines = [read_line(text, 1) for text in STANZAS[1]]
    assert not stanza(lines) and near_stanza(lines)
    prose = [read_line(text, 0) for text in PROSE if text]
    assert not near_stanza(prose)


def test_a_stanza_after_a_garbled_stanza_goes_on_with_its_poem():
    page = PROSE + [line for verse in STANZAS for line in [*verse, ""]]
    unit = _read(page)
    assert [len(item.blocks) for item in unit.items] == [1, 3]
    assert _lines(unit.items[1])[-1] == "And night comes down on all."


def test_a_long_poem_with_garbled_stanzas_is_not_parted_as_briefs():
    # A page-long poem (over 100 lines) is not taken for a column of briefs, even where
    # every other stanza has a line the OCR garbled.
    page = ["THE HARBOUR LIGHTS.", ""]
    for n in range(26):
        page += STANZAS[1] if n % 2 else STANZAS[0]
        page.append("")
    unit = _read(page)
    assert [item.headline for item in unit.items] == ["THE HARBOUR LIGHTS."]
    assert len(_lines(unit.items[0])) == 104


# --- how often the paper comes out is masthead furniture -------------------------------

def test_published_every_week_day_is_masthead_furniture():
    page = ["THE MILLBROOK COURIER", "",
            "AND FARMERS' GENERAL ADVERTISER.", "",
            "PUBLISHED EVERY TUESDAY AND FRIDAY MORNING.", "",
            "TOWN COUNCIL.", "",
            "The council met on Monday and passed the rate for",
            "the coming year without a division, the mayor in",
            "the chair and all the members present.", ""]
    unit = _read(page)
    assert [item.headline for item in unit.items] == ["TOWN COUNCIL."]
    masthead = [s.text for s in unit.stripped if s.kind == "masthead"]
    assert "PUBLISHED EVERY TUESDAY AND FRIDAY MORNING." in masthead
    assert unit.printed.publication == "The Millbrook Courier"


STORY_SAYING_WEATHER = [
    "CITY COUNCIL MEETS",
    "New Bridge Plans Approved",
    "The city council met last evening and approved the plans for the",
    "new bridge over the river, which will cost less than was feared.",
    "The engineer said the work would begin in the spring and would be",
    "finished before the winter, if the weather holds, at two cents",
    "a foot less than the last bridge cost the city ten years ago.",
    "FIRE ON MAIN STREET",
    "A fire broke out early this morning in the hardware store on Main",
    "street and destroyed the building before the firemen could save it."]


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_a_story_that_names_the_weather_or_a_price_is_not_the_masthead(eol):
    """'the weather', 'two cents' in a sentence going on from the line above is the
    story's, not a masthead's weather box or price: the first story is kept whole."""
    text = eol.join(STORY_SAYING_WEATHER) + eol
    unit = read_text(text, "page.txt", PageMeta(), ReadOptions())
    assert [item.headline for item in unit.items] == ["CITY COUNCIL MEETS",
                                                     "FIRE ON MAIN STREET"]
    assert not unit.stripped
    # a masthead's own weather box and price still mark it
    page = ["THE MILLBROOK COURIER", "THE WEATHER", "Fair tonight; warmer Sunday.",
            "TWO CENTS", *STORY_SAYING_WEATHER]
    unit = _read(page)
    assert unit.items[0].headline == "CITY COUNCIL MEETS"
    assert [s.text for s in unit.stripped] == page[:4]


@pytest.mark.parametrize(("date_line", "date"), [
    ("Nr. 61. Dienstag, den 12. März 1912.", "1912-03-12"),
    ("Mardi 12 mars 1912", "1912-03-12"),
    ("LYNN, MASS., 8 LUGLIO 1916", "1916-07-08"),
    ("FRIDAY, JULY 7th, 1916.", "1916-07-07"),
])
def test_a_masthead_dated_in_any_of_the_languages_is_stripped_and_dates_the_page(
        date_line, date):
    page = ["Der Abendbote", date_line, "", "Die Lage im Reichstag.", "",
            "Der Reichstag setzte gestern die Beratung des Etats fort. Der Abgeordnete",
            "sprach über die auswärtige Politik und forderte eine klare Haltung.", ""]
    unit = _read(page)
    assert [s.text for s in unit.stripped] == page[:2]
    assert unit.printed.date.isoformat() == date
    assert [item.headline for item in unit.items] == ["Die Lage im Reichstag."]


def test_a_date_inside_a_sentence_does_not_mark_the_masthead():
    """A story's sentence that names a full date ("on July 4, 1916") is running text
    where the line below goes on from it: the story above it stays."""
    page = ["BRIDGE IS OPENED", "Crowds Watch the Ceremony",
            "The new bridge over the river was opened",
            "on Tuesday, July 4, 1916, before a crowd",
            "of several thousand people who came.",
            "Der Brückenbau begann im Frühjahr;",
            "Am 12. März 1912 wurde der Vertrag",
            "unterzeichnet, und die Arbeiten begannen",
            "bald darauf mit großem Eifer am Fluss."]
    unit = _read(page)
    assert not unit.stripped and unit.items[0].headline == "BRIDGE IS OPENED"


def test_a_dated_head_that_opens_with_the_papers_name_names_it():
    """The title in display type is lost; the dated line under it names the paper, as a
    name joined of two words ("JOURNAL-MINER"). A dated line naming a place does not."""
    page = ["PIONEER PAPER OF THE TERRITORY", "",
            "MILLBROOK JOURNAL-MINER, WEDNESDAY MORNING, JANUARY 5, 1916.", "",
            "TOWN COUNCIL.", "",
            "The council met on Monday and passed the rate for",
            "the coming year without a division, the mayor in",
            "the chair and all the members present.", ""]
    assert _read(page).printed.publication == "Millbrook Journal-Miner"
    page[2] = "MILLBROOK, VT., WEDNESDAY MORNING, JANUARY 5, 1916."
    assert _read(page).printed.publication is None


# --- letters: the close, the signer, the salutation ------------------------------------

LETTER = ["Sir,—Allow me to point out that the lamps in",
          "Bridge-street have not been lit for a week, and",
          "that the footpath there is now dangerous after",
          "dark.—I am, &c.", ""]


def test_the_signer_under_a_letters_close_heads_nothing():
    page = (["THE STREET LAMPS.", ""] + LETTER + ["A RATEPAYER.", ""]
            + ["TO THE EDITOR ot tbe Courier:", ""]
            + ["Sir,—The market tolls were raised again this", "year without notice to",
               "the stall-holders, who have written to the", "council twice.", ""])
    unit = _read(page)
    assert [item.headline for item in unit.items] == ["THE STREET LAMPS.",
                                                      "TO THE EDITOR ot tbe Courier:"]
    assert _lines(unit.items[0])[-1] == "A RATEPAYER."


def test_the_signers_of_a_letter_in_capitals_stay_under_it():
    close = LETTER[:-2] + ["dark. Yours respectfully,", ""]
    signers = ["W. JONES.", "E. B. HALL.", "J. BRADLEY.", ""]  # a block of their own
    unit = _read(["THE STREET LAMPS.", ""] + close + signers + NEXT)
    assert [item.headline for item in unit.items] == ["THE STREET LAMPS."]
    assert {"W. JONES.", "J. BRADLEY."} <= set(_lines(unit.items[0]))


def test_without_blank_lines_a_headline_right_under_a_close_still_opens_an_item():
    # Where the OCR lost the signer, the next story's headline follows the close.
    plain = [line for line in ["THE STREET LAMPS."] + LETTER[:-2]
             + ["Yours truly,", "MARKET TOLLS", "RAISED AGAIN"] + NEXT if line]
    unit = _read(plain)
    assert [item.headline for item in unit.items] == ["THE STREET LAMPS.",
                                                      "MARKET TOLLS RAISED AGAIN"]


# --- the paper's imprint is no article --------------------------------------------------

def test_the_imprint_is_other_and_the_story_beside_it_an_article():
    """The imprint's terms and its editors, set as blocks of their own, are "other"; the
    story under them stays an article although it names subscriptions ("subscription"
    said twice is one imprint phrase, not two)."""
    page = ["THE COURIER.", "",
            "Subscription, one dollar and a half per year.", "",
            "John Smith, editor-in-chief; Paul Jones, business",
            "manager. Address all communications to the editor.", "",
            "THE NEW BRIDGE.", "",
            "The subscription list for the new bridge was opened",
            "on Monday, and subscriptions came in from every",
            "township of the county before the week was out, so",
            "that the engineers will begin their survey as soon",
            "as the river falls and the roads are fit to carry",
            "the stone from the quarry at the head of the valley",
            "where the old mill stood until the flood of last year.", ""]
    unit = _read(page)
    *imprint, story = unit.items
    assert (story.headline, story.kind) == ("THE NEW BRIDGE.", "article")
    assert imprint and all(item.kind == "other" for item in imprint)
    assert any("manager. Address all communications to the editor." in _lines(item)
               for item in imprint)


# --- a deck naming a sum is a deck; a line ending in a price is a price list's ----------

STORY = ["Fire broke out in the kitchen of the old restaurant on Main street",
         "early this morning and spread to the stores on either side before",
         "the firemen could bring their hose to bear on the flames, which",
         "burned until noon and left only the walls of the building standing."]


def test_a_deck_that_names_a_sum_stays_with_its_headline():
    page = ["FAMOUS OLD RESTAURANT IS DESTROYED", "Loss of $25,000 to Cafe and",
            "Neighboring Business Houses."] + STORY
    unit = _read(page)
    assert [(item.headline, item.kind) for item in unit.items] == [
        ("FAMOUS OLD RESTAURANT IS DESTROYED", "article")]
    assert unit.items[0].subtitle == "Loss of $25,000 to Cafe and Neighboring Business Houses."


def test_title_case_lines_ending_in_prices_are_no_deck():
    page = ["GREAT JANUARY CLEARANCE", "Men's Wool Suits $9.75", "Boys' Winter Overcoats $4.50",
            "Ladies' Fur Collars $2.25", "Silk Mufflers in Colors $1.00"]
    unit = _read(page)
    (item,) = unit.items
    assert item.headline == "GREAT JANUARY CLEARANCE" and item.subtitle is None
    assert "Men's Wool Suits $9.75" in _lines(item)


@pytest.mark.parametrize("line", ["(Continued on Page 6.)", "Continued from page one",
                                  "(Continued, on Pag 7.)", "See WAR on Page 4",
                                  "(Continued on Pago 3)", "CONTINUED ON PACK riVB",
                                  "(Continued on Puge Twol", "(Continued on I'age Twelve)"])
def test_jump_lines_as_the_ocr_reads_them_are_furniture(line):
    assert read_line(line, 0) == "jump"


@pytest.mark.parametrize("line", ["He continued on page after page of notes",
                                  "Continued cold weather is expected",
                                  "continued on until late", "work continued on the farm"])
def test_prose_naming_a_page_is_no_jump_line(line):
    assert read_line(line, 0) != "jump"


# --- a column's text run into the headline beside it (ocr-text version 14) --------------

@pytest.mark.parametrize(("line", "parts"), [
    ("ity. FERRY STRIKE IS ENDED", ["ity.", "FERRY STRIKE IS ENDED"]),
    ("ment, COUNCIL VOTES BONDS", ["ment,", "COUNCIL VOTES BONDS"]),
    ("the end. The next day came", ["the end. The next day came"]),  # text, not capitals
    ("ment. US", ["ment. US"]),  # too short to tell a headline
    ("Washington. SENATE ACTS", ["Washington. SENATE ACTS"]),  # no lower-case tail
])
def test_a_word_ending_a_sentence_before_capitals_is_split_off(line, parts):
    assert split_bled(line) == parts


@pytest.mark.parametrize(("line", "cleaned"), [
    ("r GROWING NAVAL BILL", "GROWING NAVAL BILL"),
    ("/i POSITION LONG HELD", "POSITION LONG HELD"),
    ("a NEW DAY", "a NEW DAY"),  # too few capitals to tell
    ("e Roma di notte", "e Roma di notte"),  # a small word before text in title case
    ("'s GRAVENHAGE MEETS TODAY", "'s GRAVENHAGE MEETS TODAY"),
])
def test_a_small_letter_before_a_line_in_capitals_is_bleed(line, cleaned):
    assert clean(line) == cleaned


def test_a_headline_beside_the_end_of_a_column_opens_its_own_item():
    # Without blank lines (Chronicling America): the last word of a story and the
    # headline of the next column on one OCR line, the next line a deck.
    page = ["WATER BOARD MEETS",
            "The water board met last evening and",
            "heard the report of the engineer on the",
            "new reservoir, which he said would hold",
            "enough for the whole city for a year and",
            "cost less than was feared by the commun",
            "ity. FERRY STRIKE IS ENDED",
            "Men Go Back to Work at the Old Wage",
            "The ferry hands who left their boats on",
            "Monday went back to work this morning",
            "after the owners promised to hear them."]
    unit = _read(page)
    assert [item.headline for item in unit.items] == ["WATER BOARD MEETS",
                                                     "FERRY STRIKE IS ENDED"]
    assert _lines(unit.items[0])[-1] == "ity."
    assert unit.items[1].subtitle == "Men Go Back to Work at the Old Wage"


# --- a headline's dispatch under its deck and credit (Chronicling America ocr.txt) -----

STORY_BEFORE = ["The council adjourned at a late hour after voting",
                "the money for the new bridge over the river and",
                "the mayor thanked the members for their work."]
DISPATCH = ["Ciquana, full blooded Sioux Indian, is on his",
            "way here today to tell the convention delegates",
            "that the Sioux are on the water wagon for good",
            "and all, and he will tell them why in a speech."]


def test_a_garbled_dateline_under_a_credit_opens_the_text_not_an_item():
    page = STORY_BEFORE + ["SIOUX TO", "JOIN PROS", "AS TRIBE",
                           "Have Mounted Water Wagon for All Time",
                           "to Come, Big Chief Will Tell Pro",
                           "hibition Convention at St. Paul",
                           "By United Press.",
                           # the OCR read "July 15." as "July .-15." and "Minn." as "Minu."
                           "St. Paul, Minu., July .-15. Mata", *DISPATCH]
    items = _read(page).items
    sioux = next(item for item in items if item.headline == "SIOUX TO JOIN PROS AS TRIBE")
    assert sioux is items[-1]  # no item opens under it
    assert any("St. Paul, Minu., July .-15. Mata" in line for line in _lines(sioux))
    assert "Ciquana, full blooded Sioux Indian, is on his" in _lines(sioux)


def test_the_tail_of_a_deck_left_in_the_body_goes_to_the_subtitle():
    # "Issued State-" / "ment ...": the OCR lost the hyphen, so the deck's next lines
    # read as text; the dateline under them opens this headline's dispatch
    page = STORY_BEFORE + ["AMERICANS ACCUSED", "OF MANY CRIMES", "BY MEXICANS",
                           "Carranza's Foreign Office Issued State",
                           "ment Also Declaring that United",
                           "States Has No Right to Keep",
                           "Troops in Mexico.",
                           "Mexico, July 1. The foreign office yesterday",
                           *DISPATCH]
    items = _read(page).items
    accused = items[-1]
    assert accused.headline == "AMERICANS ACCUSED OF MANY CRIMES BY MEXICANS"
    assert accused.subtitle.endswith("States Has No Right to Keep Troops in Mexico.")
    assert _lines(accused)[0] == "Mexico, July 1. The foreign office yesterday"


def test_a_deck_the_ocr_garbled_a_word_of_is_still_the_subtitle():
    # title case but for a misread word or two ("tW", "sq"): still a deck, not a lead
    page = STORY_BEFORE + ["APPLAUSE SHOOK HALL", "FORD SENDS MESSAGE",
                           "Says: My Hat Is Off to tW Man Who Has",
                           "Kept This Country Out of War By",
                           "Avoiding sq Entanglement With Mexico.",
                           "Detroit, Mich., July 10. President Wilson today",
                           *DISPATCH]
    accused = _read(page).items[-1]
    assert accused.headline == "APPLAUSE SHOOK HALL FORD SENDS MESSAGE"
    assert accused.subtitle.startswith("Says: My Hat Is Off")
    assert _lines(accused)[0].startswith("Detroit, Mich., July 10.")


def test_a_short_lead_in_sentence_case_under_a_headline_stays_its_text():
    page = STORY_BEFORE + ["BRIDGE IS OPENED",
                           "The new bridge was opened this morning by the",
                           "mayor before a crowd of several hundred people.",
                           "London, July 10. The king today opened the new",
                           *DISPATCH]
    items = _read(page).items
    bridge = next(item for item in items if item.headline == "BRIDGE IS OPENED")
    assert bridge.subtitle is None
    assert _lines(bridge)[0] == "The new bridge was opened this morning by the"


@pytest.mark.parametrize("heading", ["FOR SALE.", "AMUSEMENTS.", "WANTED.", "Lost and Found"])
def test_an_item_under_a_classified_heading_is_an_advertisement(heading):
    page = STORY_BEFORE + [heading,
                           "A good farm of eighty acres near the river with a",
                           "house and barn in fair repair, to be seen any day",
                           "on application to the owner at the old mill."]
    item = _read(page).items[-1]
    assert item.kind == "advertisement"


def test_a_story_whose_headline_only_mentions_a_sale_stays_an_article():
    page = STORY_BEFORE + ["FARM FOR SALE BRINGS RECORD PRICE",
                           "The farm of the late John Hill near the river was",
                           "sold yesterday for the highest price ever paid for",
                           "land in this county, the buyer a neighbour."]
    assert _read(page).items[-1].kind == "article"


# --- a few words among specks are text, read with the line above them -----------------

@pytest.mark.parametrize("line", ["sections. V ;", "H. B. JONES.", "T. M. Wood.",
                                  "W. D. NOBLE, M. D.", "U. S. PLAN", "arrest. ; - ;- : .'",
                                  "501 2 19 10", "$1.50 $2.00"])  # (a row of a table)
def test_a_few_words_among_initials_and_specks_are_garbled_text(line):
    assert read_line(line, 0) == "garbled"


@pytest.mark.parametrize("line", ["I. III. U ,o ll.e 111", "MH ViHI.v. Jih I ,1 1",
                                  "' . , t 1 ill", "tli t i .", "' ! , ; - ' . t . i-"])
def test_specks_and_broken_letters_are_noise(line):
    assert read_line(line, 0) == "noise"


@pytest.mark.parametrize("line", ["418", "- 4 -", "1918"])  # a folio, a stray figure
def test_a_number_alone_is_no_row_of_figures(line):
    assert read_line(line, 0) == "number"


# Chronicling America style: one OCR line a line, no blank lines.
FLOOD = ["BRIDGES CARRIED AWAY",
         "It will be weeks before the trains",
         "run again, for the river took the",
         "bridges at four crossings in many",
         "sections. V ;",
         "LODGE ELECTS OFFICERS",
         "The lodge met on Monday evening and",
         "chose its officers for the new year,",
         "who will be installed in September.",
         "H. B. JONES.",
         "I. III. U ,o ll.e 111"]


def test_garbled_lines_keep_their_text_in_the_item_and_cut_nothing():
    unit = _read(FLOOD)
    assert [item.headline for item in unit.items] == ["BRIDGES CARRIED AWAY",
                                                      "LODGE ELECTS OFFICERS"]
    assert _lines(unit.items[0])[-1] == "sections. V ;"
    assert _lines(unit.items[1])[-1] == "H. B. JONES."
    assert [s.text for s in unit.stripped if s.kind == "noise"] == ["I. III. U ,o ll.e 111"]


def test_a_garbled_line_under_a_headline_opens_its_text():
    unit = _read(["FIRE AT THE MILL", "T. M. Wood.", *FLOOD[1:5]])
    [item] = unit.items
    assert item.headline == "FIRE AT THE MILL"
    assert _lines(item)[:2] == ["T. M. Wood.", "It will be weeks before the trains"]


def test_a_garbled_line_read_with_the_masthead_is_furniture():
    unit = _read(["THE MILLBROOK EVENING SENTINEL", "W. D. NOBLE, M. D.",
                  "VOL. XII. NO. 4 MILLBROOK, FRIDAY, JANUARY 7, 1916. ONE CENT", *FLOOD])
    kinds = {s.text: s.kind for s in unit.stripped}
    assert kinds["W. D. NOBLE, M. D."] == "noise"
    assert all("NOBLE" not in line for item in unit.items for line in _lines(item))


# --- a dispatch's heading the OCR read with the story above it -------------------------

FLOOD_STORY = ["FLOODS IN THE VALLEY",
         "The river rose four feet in the night",
         "and the lower town was under water",
         "before the bells could be rung, but",
         "every family was taken out in time."]
GRAIN_DISPATCH = ["Chicago, July 15.-The grain market",
            "opened higher this morning on news",
            "of rain in the wheat states, and the",
            "traders were busy until the close."]


def test_a_heading_read_as_the_storys_last_line_heads_the_dispatch_under_it():
    """A deck naming a sum reads as a line of a price list, not a headline: the dateline
    under it finds it at the end of the story above and takes it as its heading."""
    unit = _read([*FLOOD_STORY, "Farmer Sues Railroad for $25,000.", *GRAIN_DISPATCH])
    assert [item.headline for item in unit.items] == ["FLOODS IN THE VALLEY",
                                                      "Farmer Sues Railroad for $25,000."]
    assert _lines(unit.items[0])[-1] == "every family was taken out in time."
    assert unit.items[1].blocks[0][0].startswith("Chicago, July 15.")


def test_a_wire_credit_under_the_moved_heading_opens_the_dispatch():
    unit = _read([*FLOOD_STORY, "Farmer Sues Railroad for $25,000.", "By United Press.",
                  *GRAIN_DISPATCH])
    assert unit.items[1].headline == "Farmer Sues Railroad for $25,000."
    assert _lines(unit.items[1])[0] == "By United Press."


def test_title_case_words_of_a_sentence_going_on_head_no_dispatch():
    story = [*FLOOD_STORY[:-1], "every family was taken out by the", "Fire Brigade."]
    unit = _read([*story, *GRAIN_DISPATCH])
    assert unit.items[-1].headline is None
    assert _lines(unit.items[0])[-1] == "Fire Brigade."


# --- a line of a list of names is no headline -------------------------------------------

def test_a_title_case_line_of_names_and_initials_goes_on_with_its_list():
    """'Nelson, N. A. Pearson, E. H. Fox,' is set like a title (every word capitalised)
    but lists names: the list goes on in its item, no item opens at it."""
    unit = _read(["OFFICERS ELECTED", "The lodge met on Monday evening and",
                  "chose its officers for the new year.", "Nelson, N. A. Pearson, E. H. Fox,",
                  "E. J. Marty, Inspector; O. W. Marty.", "The next meeting will be held in the",
                  "hall on the first Monday of August."])
    assert [item.headline for item in unit.items] == ["OFFICERS ELECTED"]
    assert "E. J. Marty, Inspector; O. W. Marty." in _lines(unit.items[0])


# --- a poem in a long item is no column of briefs ---------------------------------------

def test_a_poem_without_blank_lines_stays_one_with_its_story():
    """Without blank lines, a poem's couplets read as paragraphs of two lines: in an item
    of most of the page they looked like a column of briefs and were cut couplet by
    couplet. Lines opening with capitals, most not ending a sentence, are verse."""
    words = ("the harvest was gathered in good time this year and the farmers of the "
             "county were well pleased with the yield of wheat and oats").split()
    prose = [" ".join(words[(n * 5) % 20:(n * 5) % 20 + 7]) for n in range(40)]
    prose[-1] += "."
    verse = [line for n in range(15) for line in (f"Where the golden wheat is bending {n},",
                                                  f"And the reapers sing at noon {n}.")]
    unit = _read(["THE HARVEST HOME", *prose, *verse, *prose])
    assert len(unit.items) == 1 and len(_lines(unit.items[0])) == 110


def test_one_line_briefs_are_no_poem():
    """Briefs of one line each end their sentence: a column of them is still cut."""
    briefs = [f"Mrs. Hall of Mill Street spent Sunday in town {n}." for n in range(30)]
    words = ("the harvest was gathered in good time this year and the farmers of the "
             "county were well pleased with the yield of wheat and oats").split()
    prose = [" ".join(words[(n * 5) % 20:(n * 5) % 20 + 7]) for n in range(40)]
    prose[-1] += "."
    unit = _read(["LOCAL NEWS", *prose, *briefs, *prose])
    assert len(unit.items) > 20


# --- a garbled dateline read as the deck's last line opens the text ----------------------

def test_a_dateline_the_ocr_garbled_under_a_headline_opens_the_text():
    """'Washington, July 27.The Amer' reads as no dateline (no space after its stop) and,
    in title case, as the deck's last line: it opens the dispatch's text."""
    unit = _read(["BLACK LIST PROTESTED", "Washington, July 27.The Amer",
                  "ican note on the black list was sent", "to London today by the state",
                  "department, and an answer is asked."])
    [item] = unit.items
    assert (item.headline, item.subtitle) == ("BLACK LIST PROTESTED", None)
    assert _lines(item)[0] == "Washington, July 27.The Amer"


# --- headings in sentence case, where the page's language sets them so -------------------

FRENCH = ["Luxembourg, le 6 décembre.",
          "Le conseil de la ville a tenu sa séance de",
          "lundi dans la grande salle de la maison",
          "communale, et il a voté les crédits pour",
          "les écoles et pour les routes de la ville.",
          "Revue politique.",
          "Les bruits de guerre n'ont pas cessé de se",
          "maintenir dans la presse et à la Bourse de",
          "Paris, et les journaux de la semaine ne sont",
          "pas plus rassurants que ceux de la veille."]


def test_a_short_heading_in_sentence_case_opens_an_item_on_a_french_page():
    unit = _read(FRENCH)
    assert [item.headline for item in unit.items] == [None, "Revue politique."]


@pytest.mark.parametrize("heading", ["Quelle guerre?", "Vive la paix!"])
def test_a_short_heading_in_sentence_case_may_end_in_a_question_or_a_cry(heading):
    unit = _read([heading if line == "Revue politique." else line for line in FRENCH])
    assert [item.headline for item in unit.items] == [None, heading]


def test_a_dispatch_under_a_heading_in_sentence_case_is_an_item_on_a_french_page():
    """Without blank lines, on a page in a language that sets headings in sentence case:
    the short lines over a dateline, after a finished sentence, head its dispatch ("Les
    plaidoyers « in extremis »" / "au procès de Nuremberg ?" / "Nuremberg, 31 août.")."""
    page = [*FRENCH, "Les plaidoyers « in extremis »", "au procès de Nuremberg ?",
            "Nuremberg , 31 août .", "Samedi matin , les accusés ont eu la parole",
            "une dernière fois , et chacun a parlé de sa", "vie , de son rôle , de ses actes ."]
    unit = _read(page)
    assert [item.headline for item in unit.items] == [
        None, "Revue politique.", "Les plaidoyers « in extremis » au procès de Nuremberg ?"]
    assert _lines(unit.items[-1])[0] == "Nuremberg , 31 août ."
    # a full line of text over a dateline is the story's, not a heading
    story = [*FRENCH[:-1], "pas plus rassurants que ceux de la veille, et", "le marché a baissé",
             "Nuremberg, 31 août.", *page[-3:]]
    assert [item.headline for item in _read(story).items][-1] == "Revue politique."


def test_a_short_sentence_on_its_own_line_opens_nothing_on_an_english_page():
    english = ["The council met on Monday evening in the",
               "town hall and voted the money for the",
               "schools and for the roads of the town.",
               "Motion carried.",
               "The meeting then heard the report of the",
               "water committee on the new reservoir and",
               "the pipes that are to be laid this year."]
    assert [item.headline for item in _read(english).items] == [None]
