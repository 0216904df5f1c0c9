"""Words broken at a line end whose hyphen the OCR text lost (archive.lost_hyphens)."""

from __future__ import annotations

from archive.articles import finish
from archive.formats import Input, ocr_text
from archive.lost_hyphens import LostHyphens
from archive.model import PageMeta, ReadOptions
from archive.text import Vocabulary

PAGE = """Whether a gun was mount
ed on the steamer is not known. If mounted
forward, the officials say, the ship was armed
for war in the Mediter
ranean, and the question will go to the
depart
ment at once. The department said so.
"""


def _rejoined(lines: list[str], page: str = PAGE) -> list[str]:
    return LostHyphens(page, Vocabulary(page)).rejoin(lines)


def test_a_break_is_joined_where_the_page_prints_the_word_whole():
    assert _rejoined(["Whether a gun was mount", "ed on the steamer is not known."]) == [
        "Whether a gun was mounted on the steamer is not known."]


def test_a_word_the_page_never_prints_whole_stays_broken():
    assert _rejoined(["for war in the Mediter", "ranean, and the"]) == [
        "for war in the Mediter", "ranean, and the"]


def test_two_words_of_the_page_stay_two_words():
    # "into" is a word of the page, but so is "to", met inside a line
    page = PAGE + "He went into town to see it.\n"
    assert _rejoined(["in", "to the hands of the"], page) == ["in", "to the hands of the"]


def test_capitals_punctuation_and_single_letters_part_no_word():
    page = "the Bridge port and the bridgeport\nof a man and x\ny was there. a\nb\n"
    assert _rejoined(["the Bridge", "Port"], page) == ["the Bridge", "Port"]
    assert _rejoined(["the bridge,", "port"], page) == ["the bridge,", "port"]
    assert _rejoined(["and x", "y was"], page) == ["and x", "y was"]


def test_page_ocr_text_gets_its_broken_words_whole_and_searchable():
    page = ("Gun Question Raised.\n" + PAGE).encode()
    unit = ocr_text.read(Input("gun.txt", page), ReadOptions())
    body = " ".join(finish(unit, "gun.txt", "0" * 64, PageMeta(), ReadOptions())
                    .articles[0].paragraphs)
    assert "was mounted on the steamer" in body and "the department at once" in body
    assert "Mediter ranean" in body  # never printed whole on the page: left as printed


# --- a hyphen the text's encoding lost as "?" ---------------------------------------------

MARKED = """The govern?
ment said the department would con?
test the claim, a test of it. Union during the summer month?
will receive it, and he will go. The mail was dispos?
ed of, as the ed. said. Attacked in Bal?
tic waters.
"""


def test_a_hyphen_lost_as_a_question_mark_joins_on_either_piece_of_evidence():
    def joined(lines: list[str]) -> list[str]:
        return _rejoined(lines, MARKED)

    # "ment" is no word of the page: joined, the mark dropped
    assert joined(["The govern?", "ment said the"]) == ["The government said the"]
    # "test" is a word of the page, but "contest" is not: a break the mark says, no more
    assert joined(["would con?", "test the claim."]) == ["would con?", "test the claim."]
    # a question before a word of the page stays a question
    assert joined(["the summer month?", "will receive it"]) == [
        "the summer month?", "will receive it"]
    # an ending no word is alone, though the page shows it inside a line ("the ed. said")
    assert joined(["The mail was dispos?", "ed of, as"]) == ["The mail was disposed of, as"]
    # a capital, a digit or one letter after the mark: no word goes on
    assert joined(["the govern?", "Ment"]) == ["the govern?", "Ment"]
    assert joined(["it was 4?", "ment"]) == ["it was 4?", "ment"]


def test_a_deck_broken_at_a_lost_hyphen_is_one_deck():
    """A deck line ending "Bal?" goes on in the next ("tic Sea by Submarines."): the deck
    is read whole, not cut there with its end taken for the text's first line."""
    page = ("GERMANS ESCAPE SUBMARINE.\nNine Merchant Ships Attacked in Bal?\n"
            "tic Sea by Submarines.\nBerlin, July 8.?The admiralty reports that a submarine "
            "attacked nine\nGerman trade ships south of the island on July 2, and that a "
            "torpedo\npassed between the ships, which escaped undamaged to their port.\n")
    unit = ocr_text.READER.read(Input("seq-1/ocr.txt", page.encode()), ReadOptions())
    [item] = [i for i in unit.items if i.headline]
    assert (item.headline, item.subtitle) == (
        "GERMANS ESCAPE SUBMARINE.", "Nine Merchant Ships Attacked in Baltic Sea by Submarines.")
    assert item.blocks[0][0].startswith("Berlin, July 8.")
