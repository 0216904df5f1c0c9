"""Wire credits set as a line of their own (archive.credits)."""

from __future__ import annotations

import pytest

from archive.articles import finish
from archive.credits import Credit, credit
from archive.headlines import DEBRIS
from archive.model import PageMeta, RawItem, RawUnit, ReadOptions


@pytest.mark.parametrize(("line", "agency"), [
    ("[United Press Leased Wire Service.]", "UP"),
    ("XUnited Press Leased Wire Service.]", "UP"),  # the bracket read as a letter
    ("By Associated Press.", "AP"),
    ("(By the Associated Press.)", "AP"),
    ("(BY ASSOCIATED PRESS)", "AP"),
    ("Associated Press by Federal Wireless.", "AP"),
    ("By International News Service.", "INS"),
    ("Reuter's Telegram.", "Reuters"),
])
def test_a_credit_line_names_its_agency(line, agency):
    assert credit(line) == Credit(agency)


def test_a_correspondents_credit_names_the_agency_and_the_correspondent():
    assert credit("[By Wm. G. Shepherd, United Press Staff Correspondent]") == Credit(
        "UP", "Wm. G. Shepherd", "United Press Staff Correspondent")


@pytest.mark.parametrize("line", [
    "Speaking to The Associated . Press", "The Associated Press reported today that",
    "(Special to The Times)", "United States Senate", "By John Smith.",
    "The United Press and the Associated Press both sent reporters to the scene of it"])
def test_a_sentence_naming_an_agency_is_no_credit_line(line):
    assert credit(line) is None


def test_a_credit_a_layout_set_as_a_heading_is_the_agency_not_the_headline():
    item = RawItem(blocks=(("WASHINGTON, Jan. 5.—The senate met today and voted",
                            "the money for the new bridge over the river."),),
                   headline="(By Associated Press.)")
    unit = RawUnit(items=(item,), headline_rule=DEBRIS)
    [article] = finish(unit, "p.xml", "0" * 64, PageMeta(), ReadOptions()).articles
    assert article.agencies == ("AP",) and article.place == "Washington"
    assert "Associated" not in article.headline

