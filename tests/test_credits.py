"""Wire credits set as a line of their own (archive.credits)."""

from __future__ import annotations

import pytest

from archive.articles import finish
from archive.credits import Credit, credit, special_credit
from archive.formats import Input, ocr_text
from archive.headlines import DEBRIS
from archive.model import PageMeta, RawItem, RawUnit, ReadOptions
from tests.test_ocr_text import _body


@pytest.mark.parametrize(("line", "agency"), [
    ("[United Press Leased Wire Service.]", "UP"),
    ("XUnited Press Leased Wire Service.]", "UP"),  # the bracket read as a letter
    ("By Associated Press.", "AP"),
    ("(By the Associated Press.)", "AP"),
    ("(BY ASSOCIATED PRESS)", "AP"),
    ("Associated Press by Federal Wireless.", "AP"),
    ("By International News Service.", "INS"),
    ("Reuter's Telegram.", "Reuters"),
    # the agency's name as the OCR read it
    ("By United Tress.", "UP"),
    ("(By Associated Tress)", "AP"),
    ("iBy Aasociated Press.)", "AP"),
    ("By United Presa Leased Wire", "UP"),
    ("By International Newa Service.", "INS"),
    ("(Br Associated Press.)", "AP"),  # "By" read as "Br"
    ("Br United Presa Leased Wire", "UP"),
    ("Ity United Press.", "UP"), ("I!y Associated Press.", "AP"),  # and as "Ity", "I!y",
    ("Hy United Press.", "UP"), ("(Bv Associated Press.)", "AP"),  # "Hy", "Bv", "Uy"
    ("(Uy Associated Press.)", "AP"), ("liy United Press.", "UP"), ("P.y United Press.", "UP"),
    # the paper that took the wire, and the agency's initials before it
    ("Republican A. P. Leased Wire", "AP"), ("(By Republican Associated Press Leased Wire)",
                                             "AP"), ("U. P. Leased Wire", "UP"),
    ("Ily United Press.", "UP"),
])
def test_a_credit_line_names_its_agency(line, agency):
    assert credit(line) == Credit(agency)


@pytest.mark.parametrize(("line", "agency"), [
    # every word of it misread: the agency's two words, the credit's own words after them
    ("Unitod Prcss Servlce", "UP"), ("United Pre Servioe", "UP"), ("Unlted Prees", "UP"),
    ("(Assoclated Presa by Fedoral Wireloss)", "AP"), ("ASSOCIATED PRFSS", "AP"),
    ("Internatlonal Nws Servlce:", "INS"), ("(By the Intarnatiomal News Serviee.)", "INS"),
    ("(United Prass Stuff Corraspondent.)", "UP"),
    # "By" as anything short that ends like it, after a speck, or lost but for a letter
    ("ISy United Press.", "UP"), ("3y United Press.", "UP"), ("Hv Associated Press.", "AP"),
    ("( V ASSOCIATED PRESS)", "AP"), ("I By Asociated Press.)", "AP"),
    # a word broken in two, and specks after the credit
    ("By United Pr ess.", "UP"), ("By the International News Serv ice.", "INS"),
    ("United Press Service j", "UP"), ("(Associated Press) v", "AP"),
])
def test_a_credit_line_the_ocr_misread_throughout_names_its_agency(line, agency):
    assert credit(line) == Credit(agency)


@pytest.mark.parametrize("line", [
    "International law.", "INTERNATIONAL FALLS", "INTERNATIONAL LAWS",
    "International Oil Association.", "The United States Civil Service",
    "United States Public Health Service", "The Associated Press correspondent",
    "Associated Press of", "the Associated Press correspondent to", "United Press papers,",
    "International News Service from", "Ackerman, United Press"])
def test_a_line_that_reads_like_a_misread_credit_but_is_none_is_no_credit(line):
    assert credit(line) is None


def test_a_correspondents_credit_names_the_agency_and_the_correspondent():
    assert credit("[By Wm. G. Shepherd, United Press Staff Correspondent]") == Credit(
        "UP", "Wm. G. Shepherd", "United Press Staff Correspondent")


@pytest.mark.parametrize("line", [
    "Speaking to The Associated . Press", "The Associated Press reported today that",
    "(Special to The Times)", "United States Senate", "By John Smith.",
    "By United States Marshal", "by motor trucks.", "By President Wilson.",
    "Br. Smith and Co.", "Br Smith and Co.", "Hy Smith and Co.", "Ity was the best",
    "A. P. White presents", "U. P. Dickerson, wealthy land owner", "the wire was cut",
    "Correspondance Havas.",  # a word before the agency, no wire: a dispatch's heading
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



@pytest.mark.parametrize(("headline", "subtitle", "agency", "left"), [
    ("Bridge Vote Carried. (By Associated Prsaa.) .", None, "AP",
     ("Bridge Vote Carried.", None)),
    ("(BT ASSOCIATED PRI8S) BRIDGE VOTE CARRIED", None, "AP", ("BRIDGE VOTE CARRIED", None)),
    ("BRIDGE VOTE CARRIED", "Senate Acts at Last [By United Press Leased Wire]", "UP",
     ("BRIDGE VOTE CARRIED", "Senate Acts at Last")),
    ("BRIDGE VOTE CARRIED. (BY ASSOCIATED PBSSSl", None, "AP", ("BRIDGE VOTE CARRIED.", None)),
    ("(BV ASSOCIATED PRESB)", "Bridge Vote Carried", "AP", ("Bridge Vote Carried", None)),
    ("BRIDGE VOTE CARRIED", "(By the International News Servie.)", "INS",
     ("BRIDGE VOTE CARRIED", None)),
    # after the deck's sentence, without brackets
    ("BRIDGE VOTE CARRIED", "Senate Acts at Last. Internatlonal News Servlce:", "INS",
     ("BRIDGE VOTE CARRIED", "Senate Acts at Last.")),
])
def test_a_credit_read_onto_the_headline_line_is_the_agency(headline, subtitle, agency,
                                                            left):
    """The OCR reads a bracketed credit set beside a headline or a deck onto its line:
    it is taken off (however worn its second word) and names the agency."""
    item = RawItem(blocks=(("The senate met today and voted the money for the",
                            "new bridge over the river."),),
                   headline=headline, subtitle=subtitle)
    [article] = finish(RawUnit(items=(item,)), "p.txt", "0" * 64, PageMeta(),
                       ReadOptions()).articles
    assert article.agencies == (agency,)
    assert (article.headline, article.subtitle) == left


@pytest.mark.parametrize("headline", [
    "MAN (By the way) GOES HOME", "Killed (by his brother) in Texas",
    "Plans (by united people) fail", "Hymn (By United Presbyterian Choir) Sung"])
def test_words_in_brackets_that_credit_no_agency_stay_in_the_headline(headline):
    item = RawItem(blocks=(("The senate met today and voted the money.",),),
                   headline=headline)
    [article] = finish(RawUnit(items=(item,)), "p.txt", "0" * 64, PageMeta(),
                       ReadOptions()).articles
    assert article.headline == headline and article.agencies == ()

# --- in plain page text ----------------------------------------------------------------

@pytest.mark.parametrize("credit", ["By Associated Press.", "[United Press Leased Wire Service.]",
                                    "(By the Associated Press.)",
                                    "[By Wm. G. Shepherd, United Press Staff Correspondent]",
                                    "[By Wm. G. Shepherd, United Press\nStaff Correspondent]"])
def test_a_wire_credit_under_the_deck_names_the_agency(credit):
    """A credit line is no byline, no deck and no text: the story's agency, with the
    agency of its dateline when it has one."""
    page = _body(12).replace("Committee Asks for More.\n",
                             f"Committee Asks for More.\n{credit}\nWASHINGTON, Jan. 5.—The\n")
    [article] = finish(ocr_text.read(Input("p.txt", page.encode()), ReadOptions()), "p.txt",
                       "0" * 64, PageMeta(), ReadOptions()).articles
    assert (article.headline, article.subtitle, article.byline) == (
        "ROADS NEED MONEY", "Committee Asks for More.",
        "Wm. G. Shepherd" if "Shepherd" in credit else None)
    assert article.agencies == (("UP",) if "United" in credit else ("AP",))
    assert article.place == "Washington"
    assert "Press" not in article.paragraphs[0]


def test_a_wire_credit_after_a_finished_story_opens_the_next():
    """Without a headline over it, a credit opens a dispatch as a dateline does: the story
    above does not swallow it."""
    page = _body(12) + ("[United Press Leased Wire Service.]\n"
                        "MONASTIR, Servia, Dec. 2.—Balkan soldiers suffer more than those\n"
                        "of any other army in the war, and their officers say so.\n")
    articles = finish(ocr_text.read(Input("p.txt", page.encode()), ReadOptions()), "p.txt",
                      "0" * 64, PageMeta(), ReadOptions()).articles
    assert [(a.headline, a.agencies, a.place) for a in articles][0] == (
        "ROADS NEED MONEY", (), None)
    assert (articles[-1].agencies, articles[-1].place) == (("UP",), "Monastir")
    assert "Balkan" not in " ".join(articles[0].paragraphs)


@pytest.mark.parametrize(("line", "left"), [
    ("Special to the Telegraph", ""),
    ("[Special to The Times-Dispatch.]", ""),
    ("(Special Staff Correspondent of The Evening World.)", ""),
    ("(By Cable to The Tribune.)", ""),
    ("(Special to The Caledonian).", ""),
    ("Slackers Jeered as They Leave. Special to Times-Republican.",
     "Slackers Jeered as They Leave."),
])
def test_a_papers_own_correspondents_credit_is_told(line, left):
    assert special_credit(line) == (left, line[len(left):].strip())


@pytest.mark.parametrize("line", ["Special Meeting of Town Council", "Special Agent Fails",
                                  "special trains, stated that the", "SPECIAL ATTENTION GIVEN",
                                  "Special to the council was the report"])
def test_a_line_opening_with_special_is_no_credit(line):
    assert special_credit(line) is None


def test_a_correspondents_credit_set_as_heading_or_deck_opens_the_text():
    """'Special to the Telegraph' names no agency and heads nothing: the OCR set it as a
    headline (the deck under it is the headline) or on the deck's line (the deck is what
    comes before it); it stays in the text, after the dateline."""
    blocks = (("BISMARCK, July 14.—The council met today and voted the money",
               "for the new bridge over the river."),)
    item = RawItem(blocks=blocks, headline="[Special to The Tribune.]",
                   subtitle="Bridge Vote Carried")
    [article] = finish(RawUnit(items=(item,)), "p.txt", "0" * 64, PageMeta(),
                       ReadOptions()).articles
    assert (article.headline, article.subtitle) == ("Bridge Vote Carried", None)
    assert article.paragraphs[0] == "[Special to The Tribune.]"
    assert article.place == "Bismarck"
    item = RawItem(blocks=blocks, headline="BRIDGE VOTE CARRIED",
                   subtitle="Council Acts at Last. Special to The Tribune.")
    [article] = finish(RawUnit(items=(item,)), "p.txt", "0" * 64, PageMeta(),
                       ReadOptions()).articles
    assert article.subtitle == "Council Acts at Last."
    assert article.paragraphs[0] == "Special to The Tribune."


@pytest.mark.parametrize(("lead", "agencies", "byline", "opening"), [
    ("(By Asociated Prss.)", ("AP",), None, "The mills"),
    ("(By J. R. SMALL.)", (), "J. R. SMALL", "The mills"),
    ("(BULLETIN.)", (), None, "(BULLETIN.) The mills"),
    ("(By Review Leased Wire)", (), None, "(By Review Leased Wire) The mills"),
])
def test_a_note_in_brackets_before_a_dateline_leaves_the_dateline_read(lead, agencies, byline,
                                                                       opening):
    """A credit, a byline or a flag the OCR read on the dispatch's first line before its
    dateline: the dateline is read behind it; a credit names the agency, a name is the
    byline, anything else stays in the text."""
    item = RawItem(blocks=((f"{lead} BOSTON, Aug. 4.—The mills closed today and the",
                            "hands went home."),), headline="MILLS CLOSED")
    unit = RawUnit(items=(item,), headline_rule=DEBRIS)
    [article] = finish(unit, "p.txt", "0" * 64, PageMeta(), ReadOptions()).articles
    assert (article.place, article.agencies, article.byline) == ("Boston", agencies, byline)
    assert article.paragraphs[0].startswith(opening)
