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
