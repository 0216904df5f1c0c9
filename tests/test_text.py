"""Text repair: decoding, mojibake, NFC, soft hyphens, hyphenation, column breaks, lost hyphens."""

from __future__ import annotations

import unicodedata

import pytest

from archive.decoding import decode
from archive.model import Rejected
from archive.specks import close_up, close_up_all, spaces_every_mark, without_specks
from archive.text import (
    Vocabulary,
    crosshead,
    ends_sentence,
    join_column_breaks,
    join_lines,
    looks_like_heading,
    paragraph_of,
    restore_lost_hyphens,
    vocabulary_of,
)


def mojibake(text: str) -> bytes:
    """UTF-8 text read as Windows-1252 and saved again as UTF-8 (the classic double encoding).

    The "sloppy" codec keeps bytes cp1252 leaves undefined (0x9d in "”"), as real files do.
    """
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy codecs)

    return text.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")


# --- decode -------------------------------------------------------------------------------


def test_utf8():
    assert decode("Café “quoted” text".encode()) == ("Café “quoted” text", "utf-8")


@pytest.mark.parametrize("nonchar", ["\ufffe", "\uffff", "\ufdd0", "\U0010ffff"])
def test_noncharacters_are_dropped(nonchar):
    """Never text; U+FFFE/U+FFFF would make Atom and sitemaps invalid XML."""
    assert decode(f"Oil{nonchar} prices “rise”".encode("utf-8", "surrogatepass")) == (
        "Oil prices “rise”", "utf-8")


def test_utf8_bom_is_removed():
    assert decode(b"\xef\xbb\xbfArab Times\n") == ("Arab Times\n", "utf-8-sig")


def test_utf16_with_bom():
    text, codec = decode("Arab Times مرحبا".encode("utf-16"))
    assert (text, codec) == ("Arab Times مرحبا", "utf-16")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_told_by_its_zero_bytes(codec):
    text = "ROADS NEED MONEY\nThe council met on Monday.\n"
    assert decode(text.encode(codec)) == (text, codec)
    with pytest.raises(Rejected, match="NUL bytes"):  # zero bytes anywhere else: binary
        decode(b"\x00\x01\x02" * 40 + text.encode())


def test_cp1252_with_smart_quotes():
    raw = "Café owners said the ministry’s rules were “fair” – mostly.".encode("cp1252")
    assert decode(raw) == ("Café owners said the ministry’s rules were “fair” – mostly.",
                           "cp1252")


def test_latin1_accents_read_as_cp1252():
    assert decode(b"caf\xe9 na\xefve") == ("café naïve", "cp1252")


def test_cp1256_arabic():
    arabic = "وافق مجلس الأمة على الميزانية العامة للدولة."
    assert decode(arabic.encode("cp1256")) == (arabic, "cp1256")


def test_cp1256_short_headline():
    assert decode("المجلس يقر".encode("cp1256"))[1] == "cp1256"


@pytest.mark.parametrize("original", [
    "The minister’s visit",
    "He said “yes” — and left the café.",
    "Saint-Saëns and Dvořák",
])
def test_mojibake_repaired_with_typographic_quotes_kept(original):
    text, codec = decode(mojibake(original))
    assert text == original
    assert codec == "utf-8"


def test_plain_quotes_are_not_curled_and_curly_ones_not_straightened():
    text, _ = decode("\"plain\" and ‘curly’ and it's".encode())
    assert text == "\"plain\" and ‘curly’ and it's"


def test_nfc_normalised():
    text, _ = decode("Saint-Sae\u0308ns Dvor\u030cak".encode())
    assert text == "Saint-Saëns Dvořak"
    assert unicodedata.is_normalized("NFC", text)


def test_line_ends_normalised():
    assert decode(b"one\r\ntwo\rthree\n")[0] == "one\ntwo\nthree\n"


def test_del_bytes_dropped():
    assert decode(b"chronam\x7f page")[0] == "chronam page"


@pytest.mark.parametrize("raw", [b"", b"   \n\t\n  ", b"\n\n"])
def test_empty_rejected(raw):
    with pytest.raises(Rejected, match="empty"):
        decode(raw)


@pytest.mark.parametrize("raw", [b"abc\x00def", bytes(range(256)), b"\x00" * 100,
                                 "text".encode("utf-16-le")])
def test_nul_bytes_rejected(raw):
    with pytest.raises(Rejected, match="binary"):
        decode(raw)


def test_many_control_bytes_rejected():
    with pytest.raises(Rejected, match="control bytes"):
        decode(b"\x1b[31mred\x1b[0m \x01\x02\x03\x04" * 10)


def test_a_few_control_bytes_tolerated():
    raw = b"Page text with a form feed\x0c, a tab\t and a stray \x1a." + b" more words" * 20
    text, _ = decode(raw)
    assert text.startswith("Page text") and "\x1a" not in text  # ftfy drops stray controls


def test_mixed_encodings_rejected():
    raw = "café ".encode() * 20 + b"\xff\xfe\xfa\xfb" * 50
    with pytest.raises(Rejected, match="undecodable"):
        decode(raw)


def test_mostly_utf8_with_a_stray_byte_is_kept():
    raw = ("Prices in £ rose. " * 60).encode() + b"one stray \xa3 byte"
    text, codec = decode(raw)
    assert "stray" in text and "replaced" in codec


# --- join_lines ------------------------------------------------------------------------


def test_line_end_hyphenation_joined():
    assert join_lines("The ministry has rec-\nognized the work this sum-\nmer.") == \
        "The ministry has recognized the work this summer."


def test_compound_with_capital_kept():
    assert join_lines("Kurdish-\nled fighters and the Kuwait-\nbased groups") == \
        "Kurdish-led fighters and the Kuwait-based groups"


def test_number_ranges_kept():
    assert join_lines("the 2016-\n17 season") == "the 2016-17 season"


def test_vocabulary_decides_compounds():
    vocabulary = vocabulary_of("a well-known man and an e-mail")
    assert join_lines("a well-\nknown man", vocabulary) == "a well-known man"
    assert join_lines("by e-\nmail", vocabulary) == "by e-mail"
    assert join_lines("rec-\nognized", vocabulary) == "recognized"


def test_soft_hyphens_removed():
    assert join_lines("soft\u00adhy\u00ad\nphen and in\u00adside") == "softhyphen and inside"


def test_lines_joined_with_single_spaces():
    assert join_lines("  one\n two  \n\tthree ") == "one two three"


def test_hyphen_dash_between_words_kept():
    assert join_lines("the vote - a formality - passed") == "the vote - a formality - passed"


# --- join_column_breaks ------------------------------------------------------------------


def test_mid_sentence_break_joined():
    paragraphs = ["Hiri is now the last town still fully controlled by",
                  "Abu Bakr al-Baghdadi’s jihadist group.", "Abdel Rahman said more."]
    assert join_column_breaks(paragraphs) == (
        ["Hiri is now the last town still fully controlled by Abu Bakr al-Baghdadi’s "
         "jihadist group.", "Abdel Rahman said more."], 1)


def test_lower_case_continuation_joined():
    assert join_column_breaks(["police urged drivers to stay", "at home."]) == \
        (["police urged drivers to stay at home."], 1)


def test_hyphenated_word_across_columns_joined():
    assert join_column_breaks(["a long negoti-", "ation ended."]) == (["a long negotiation ended."],
                                                                      1)


def test_comma_break_joined():
    assert join_column_breaks(["Officials said,", "The rest."]) == (["Officials said, The rest."],
                                                                    1)


def test_finished_sentences_not_joined():
    paragraphs = ["One sentence.", "Another one!", "A question?", "“A quote.”", "Said:",
                  "The end."]
    assert join_column_breaks(paragraphs) == (paragraphs, 0)


def test_crossheads_kept_separate():
    paragraphs = ["Lawmakers debated the budget.", "Spending cuts",
                  "The committee proposed trimming subsidies.", "Oil prices",
                  "Prices rose."]
    assert join_column_breaks(paragraphs) == (paragraphs, 0)


def test_crosshead_that_ends_in_a_function_word_is_a_break():
    assert join_column_breaks(["The plan was backed by", "Parliament on Sunday."])[1] == 1


def test_empty_list():
    assert join_column_breaks([]) == ([], 0)


def test_sentence_helpers():
    assert ends_sentence("He left.”") and ends_sentence("Really?") and not ends_sentence("by")
    assert looks_like_heading("Spending cuts") and not looks_like_heading("controlled by")
    assert not looks_like_heading("a lower case fragment")


@pytest.mark.parametrize("paragraph", ["ISLE OF ELY CHAMBER OF AGRICULTURE.", "THE NEW DREDGER",
                                       "FACTS, FIGURES, AND FANCIES ON THE AGRICULTURAL "
                                       "LABOURERS' LOCK-OUT.", "ISLE oF ELY CHAMBER"])
def test_crossheads_are_short_lines_of_capitals(paragraph: str) -> None:
    assert crosshead(paragraph)


@pytest.mark.parametrize("paragraph", [
    "Oil prices",  # title case: may be the end of a sentence
    "DIED. On the 12th inst., Mary Brown.",  # a sentence that goes on
    "NO",  # too few letters to tell
    "AND THE MEETING THEN ADJOURNED UNTIL THE NEXT SESSION OF THE BOARD WHEN THE MATTER "
    "WILL BE TAKEN UP AGAIN",  # a paragraph of capitals is text, not a heading
    "東京の港", ""])
def test_other_paragraphs_are_no_crossheads(paragraph: str) -> None:
    assert not crosshead(paragraph)


# --- restore_lost_hyphens ----------------------------------------------------------------


@pytest.mark.parametrize(("glued", "fixed"), [
    ("the Britainbased monitor", "the Britain-based monitor"),
    ("Iranbacked militias", "Iran-backed militias"),
    ("a Tehranborn writer", "a Tehran-born writer"),
    ("Saudiled coalition", "Saudi-led coalition"),
])
def test_lost_hyphen_restored(glued, fixed):
    assert restore_lost_hyphens(glued) == fixed


@pytest.mark.parametrize("text", [
    "a stubborn man", "Westbound traffic", "Islamabad", "Stubborn", "the US-backed force",
    "Firstborn", "She led the team", "biased reporting",
])
def test_real_words_left_alone(text):
    assert restore_lost_hyphens(text) == text


@pytest.mark.parametrize(("lines", "joined"), [
    (["alle Men -", "schen sind frei"], "alle Menschen sind frei"),  # a hyphen OCR set apart
    (["alle Men¬", "schen sind frei"], "alle Menschen sind frei"),  # the not sign
    (["alle Men ⸗", "schen sind frei"], "alle Menschen sind frei"),  # Fraktur's hyphen
    (["the rec\u2010", "ognized men"], "the recognized men"),  # the Unicode hyphen
    (["he said -", "and went"], "he said - and went"),  # a dash, not a hyphen
    (["the cat -", "alogue"], "the cat - alogue"),  # no such word on the page: kept apart
])
def test_line_end_hyphens_however_printed(lines, joined):
    vocabulary = Vocabulary("Die Menschen sind frei, sagte er.")
    assert paragraph_of(lines, vocabulary) == joined


@pytest.mark.parametrize(("spaced", "closed"), [
    # NDNP's ALTO gives every comma and bracket a String of its own
    ("LINCOLN , Neb , March 3.- [ Special Telegram to the BEE. ] The senate",
     "LINCOLN, Neb, March 3.- [Special Telegram to the BEE.] The senate"),
    ("the report ( see page 3 ) ; and", "the report (see page 3); and"),
    ("DRAWING TO ITS DEATH ,", "DRAWING TO ITS DEATH,"),
    ("Mr. Fuller , who", "Mr. Fuller, who"),
])
def test_punctuation_given_as_a_word_is_set_against_its_word(spaced, closed):
    assert close_up(spaced) == closed


@pytest.mark.parametrize("kept", [
    "an ordinary sentence, with commas; and (brackets).",
    "a speck . in the line",  # a lone full stop may be the scan's, not a stop
    ", a comma opening the text",
    "x (1) y",
])
def test_text_without_spaced_punctuation_is_unchanged(kept):
    assert close_up(kept) == kept


def test_in_text_that_sets_every_mark_apart_a_lone_full_stop_is_a_stop():
    """An export that makes every mark a word (RERO's ALTO): its commas spaced nearly
    always, its lone full stops end sentences; an ellipsis stays as it is. Elsewhere a
    lone stop may be a speck, and stays."""
    spaced = ["Londres , 1 er . septembre .", "Selon la radio , le gouvernement de Stockholm ,",
              "dans sa réponse , a fait valoir ses droits . . . et , enfin , ses devoirs ."]
    assert close_up_all(spaced) == [
        "Londres, 1 er. septembre.", "Selon la radio, le gouvernement de Stockholm,",
        "dans sa réponse, a fait valoir ses droits . . . et, enfin, ses devoirs."]
    assert spaces_every_mark("\n".join(spaced))
    few = ["The mayor , who spoke . The council, the clerk, the town, the roads, the bridge,"]
    assert not spaces_every_mark(few[0])
    assert close_up_all(few) == ["The mayor, who spoke . The council, the clerk, the town, "
                                 "the roads, the bridge,"]


@pytest.mark.parametrize(("heading", "clean"), [
    ("DEATH OF MR. HARBISON. j", "DEATH OF MR. HARBISON."),
    ("GOES TO MEET HIS MAKER, I", "GOES TO MEET HIS MAKER"),
    ("JUDGE CARSON NOT DIVISIBLE. !", "JUDGE CARSON NOT DIVISIBLE."),
    ("Sermon. |", "Sermon."),
    # a letter or figure that is the heading's own stays
    ("PLAN NO. 1", "PLAN NO. 1"), ("WHAT AM I", "WHAT AM I"), ("WORLD WAR I", "WORLD WAR I"),
    ("Help!", "Help!"),
    # specks before its first word go; a spaced last full stop is set against its word
    (". RAILROADS TORN UP", "RAILROADS TORN UP"), ("! MARINE KILLED", "MARINE KILLED"),
    ("| FURTHER ADVANCE MADE", "FURTHER ADVANCE MADE"), (",? ? ? FLOODS", "FLOODS"),
    ("ADDED TO THE CALAMITY .", "ADDED TO THE CALAMITY."),
    # marks set apart at its end go; a stop set apart is set against its word
    ("FOUR SHIPS CAPTURED ;", "FOUR SHIPS CAPTURED"), ("ORDERS ! -", "ORDERS!"),
    ("CAVALRY DEFEATED. ,", "CAVALRY DEFEATED."), ("PITTSBURG FIRE. .", "PITTSBURG FIRE."),
    ("WHAT NEXT ?", "WHAT NEXT?"), ("IN RAILROAD ISSUE;", "IN RAILROAD ISSUE;"),
    ("MILLS ARE IDLE,", "MILLS ARE IDLE"), ("South Carolina.,", "South Carolina."),
    # what opens a heading of its own stays
    ('"THE RAVEN"', '"THE RAVEN"'), ("¿QUIÉN SABE?", "¿QUIÉN SABE?"),
    ("... AND THEN", "... AND THEN"), ("(Continued)", "(Continued)"), ("—", "—"),
    (".", "."), ("a speck . in it", "a speck . in it"),
])
def test_a_speck_at_a_headings_ends_is_dropped(heading, clean):
    assert without_specks(heading) == clean
