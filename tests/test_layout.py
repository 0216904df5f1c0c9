"""The page geometry model: the fast makers of Box and Word give true, frozen instances equal
to the constructors'; reading an ALTO page leaves the garbage collector as it found it."""

from __future__ import annotations

import dataclasses
import gc
import pickle

import pytest

from archive.formats.alto import parse_alto, read_alto
from archive.layout import Box, Word, new_box, new_word

PAGE = (b'<?xml version="1.0"?><alto><Layout><Page ID="P1" WIDTH="100" HEIGHT="200">'
        b'<PrintSpace><TextBlock ID="B1" HPOS="1" VPOS="2" WIDTH="50" HEIGHT="9">'
        b'<TextLine ID="L1" HPOS="1" VPOS="2" WIDTH="50" HEIGHT="9">'
        b'<String ID="S1" HPOS="1" VPOS="2" WIDTH="20" HEIGHT="9" CONTENT="Harbour" WC="0.9"/>'
        b'<SP/><String ID="S2" HPOS="30" VPOS="2" WIDTH="nan" HEIGHT="9" CONTENT="lights"/>'
        b'</TextLine></TextBlock></PrintSpace></Page></Layout></alto>')


def test_new_box_is_a_frozen_box_equal_to_the_constructors() -> None:
    made, built = new_box(1.0, 2.0, 3.5, 4.0), Box(1.0, 2.0, 3.5, 4.0)
    assert type(made) is Box and made == built and hash(made) == hash(built)
    assert made.width == 2.5 and made != Box(1.0, 2.0, 3.5, 5.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.left = 0.0  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(made)) == built
    assert dataclasses.replace(made, left=0.0) == Box(0.0, 2.0, 3.5, 4.0)


def test_new_word_is_a_frozen_word_equal_to_the_constructors() -> None:
    box = Box(1.0, 2.0, 3.0, 4.0)
    made = new_word("Har-", box, 0.5, "S9", "Harbour", 1)
    built = Word("Har-", box, 0.5, "S9", "Harbour", 1)
    assert type(made) is Word and made == built and hash(made) == hash(built)
    assert made != Word("Har-", box, 0.5, "S9", "Harbour", 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.text = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(made)) == built
    assert {made, built} == {built}


def test_the_layout_of_a_page_is_made_of_true_words_and_boxes() -> None:
    page = parse_alto(PAGE)
    first, second = page.blocks[0].lines[0].words
    assert first == Word("Harbour", Box(1.0, 2.0, 21.0, 11.0), 0.9, "S1", None, 0)
    assert type(first.box) is Box
    assert second.box is None and second.text == "lights"  # WIDTH="nan": no box
    assert read_alto(PAGE, layout=True).page == page


def test_reading_leaves_the_collector_as_it_was() -> None:
    assert gc.isenabled() and gc.get_freeze_count() == 0
    read_alto(PAGE, layout=True)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        parse_alto(PAGE)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
    kept = [object() for _ in range(10)]  # a caller that froze objects of its own
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        parse_alto(PAGE)
        assert gc.get_freeze_count() == frozen  # not unfrozen behind its back
    finally:
        gc.unfreeze()
    assert kept
