"""Page furniture: every kind the issue lists is recognised, and ordinary text never is."""

from __future__ import annotations

import datetime as dt

import pytest

from archive.furniture import classify, known_publication, newspaper_name, strip_inline

LICENCE = ("All Content by Mehr News Agency is licensed under a Creative Commons Attribution "
           "4.0 International License.")


def kind(line: str) -> str | None:
    found = classify(line)
    return found.kind if found else None


@pytest.mark.parametrize(("line", "meta"), [
    ("Newspapers in English", {"language": "English"}),
    ("Newspapers from Kuwait", {"country": "Kuwait"}),
    ("Newspapers in Arabic", {"language": "Arabic"}),
    ("Newspapers from United Arab Emirates", {"country": "United Arab Emirates"}),
    ("Newspapers from Bosnia and Herzegovina", {"country": "Bosnia and Herzegovina"}),
    ("  Newspapers from Kuwait  ", {"country": "Kuwait"}),
    ("Newspapers from Kuwait.", {"country": "Kuwait"}),
])
def test_category_footers(line, meta):
    found = classify(line)
    assert found is not None and found.kind == "category-footer" and found.meta == meta


@pytest.mark.parametrize("line", [
    "Printed and distributed by PressReader",
    "PRINTED AND DISTRIBUTED BY PRESSREADER",
    "PressReader.com +1 604 278 4604",
    "PressReader.com + 1 604 278 4604",
    "pressreader.com",
    "www.pressreader.com",
])
def test_printer_lines(line):
    assert kind(line) == "printer"


@pytest.mark.parametrize("line", [
    "ORIGINAL COPY . ORIGINAL COPY . ORIGINAL COPY . ORIGINAL COPY",
    "ORIGINAL COPY",
    "COPYRIGHT AND PROTECTED BY APPLICABLE LAW",
])
def test_copyright_lines(line):
    assert kind(line) == "copyright"


@pytest.mark.parametrize(("line", "meta"), [
    ("ARAB TIMES, SUNDAY, NOVEMBER 5, 2017",
     {"date": dt.date(2017, 11, 5), "publication": "Arab Times"}),
    ("Arab Times, Sunday, November 5, 2017",
     {"date": dt.date(2017, 11, 5), "publication": "Arab Times"}),
    ("12 ARAB TIMES, SUNDAY, NOVEMBER 5, 2017 LOCAL",
     {"date": dt.date(2017, 11, 5), "publication": "Arab Times", "page": 12,
      "section": "Local"}),
    ("ARAB TIMES, SUNDAY, NOVEMBER 5, 2017 LOCAL 12",
     {"date": dt.date(2017, 11, 5), "publication": "Arab Times", "page": 12,
      "section": "Local"}),
    ("ARAB TIMES | SUNDAY, NOVEMBER 5, 2017 | 12",
     {"date": dt.date(2017, 11, 5), "publication": "Arab Times", "page": 12}),
    ("ARAB TIMES, SUNDAY, NOVEMBER 5, 2017 LOCAL NEWS",
     {"date": dt.date(2017, 11, 5), "publication": "Arab Times", "section": "Local News"}),
    ("KUWAIT TIMES, MONDAY, NOV. 6, 2017 KUWAIT 3",
     {"date": dt.date(2017, 11, 6), "publication": "Kuwait Times", "page": 3,
      "section": "Kuwait"}),
    ("SUNDAY, NOVEMBER 5, 2017", {"date": dt.date(2017, 11, 5)}),  # names no paper
])
def test_running_heads(line, meta):
    found = classify(line)
    assert found is not None and found.kind == "running-head" and found.meta == meta


@pytest.mark.parametrize("line", [
    "ARAB TIMES, MONDAY, NOVEMBER 5, 2017",  # Nov 5, 2017 was a Sunday: not a date we trust
    "MONDAY, NOVEMBER 5, 2017",
    "ARAB TIMES, SUNDAY, FEBRUARY 30, 2017",
])
def test_running_heads_with_impossible_dates_are_not_furniture(line):
    assert kind(line) is None


@pytest.mark.parametrize(("line", "page"), [("12", 12), ("3", 3), ("Page 12", 12),
                                            ("p. 7", 7), ("P7", 7)])
def test_bare_page_numbers(line, page):
    found = classify(line)
    assert found is not None and found.kind == "page-number" and found.meta == {"page": page}


@pytest.mark.parametrize("line", ["-", "—", "–", "***", "* * *", "•", "___", "==", "#", "~"])
def test_lone_separators(line):
    assert kind(line) == "separator"


@pytest.mark.parametrize("line", [
    "12 people were injured.",
    "Kuwait, November 5, 2017 was a Sunday.",
    "Newspapers in English are popular in Kuwait.",
    "Newspapers from the Gulf have a long history",
    "The original copy of the letter was lost.",
    "Copyright and protected by applicable law, the text says.",
    "Readers can find us on PressReader every morning.",
    "2017",  # a year alone is not a page number
    "1,500",
    "1000",
    "Spending cuts",
    "Arab Times",  # a masthead is found by position, not by classify
    "KUWAIT CITY, Nov 5: The Cabinet met.",
    "On Sunday, November 5, 2017, the ministry said.",
    "-based groups",
    "US",
    "",
    "   ",
])
def test_ordinary_text_is_not_furniture(line):
    assert classify(line) is None


# --- furniture glued to running text (Tehran Times) ---------------------------------------


def test_licence_glued_to_last_sentence_with_initials():
    text = f"The main buyers were Spain and the UAE. MA/MA{LICENCE}"
    assert strip_inline(text) == ("The main buyers were Spain and the UAE.", [LICENCE, "MA/MA"])


def test_licence_on_its_own_line():
    text = f"First paragraph.\n\nLast paragraph.\n\n{LICENCE}\n"
    assert strip_inline(text) == ("First paragraph.\n\nLast paragraph.", [LICENCE])


@pytest.mark.parametrize(("tail", "initials"), [
    ("crabs. MAH /MQ/MG \u00a0 ", "MAH /MQ/MG"),
    ("them.AK/PA ", "AK/PA"),
    ("incomes.” SJ/MA/\u00a0 ", "SJ/MA/"),
    ("ends here.\u00a0 AK/PA\u00a0\n\n\u00a0 AK/PA\u00a0  ", "AK/PA\u00a0\n\n\u00a0 AK/PA"),
])
def test_editor_initials_variants(tail, initials):
    text, removed = strip_inline(tail + LICENCE)
    assert removed == [LICENCE, initials]
    assert not text.rstrip().endswith(("/", "A", "Q", "G"))


def test_initials_left_alone_without_licence():
    assert strip_inline("Talks between the EU/UN went on. AK/PA") == (
        "Talks between the EU/UN went on. AK/PA", [])


def test_abbreviation_before_licence_is_kept():
    assert strip_inline(f"sanctions imposed by the U.S. {LICENCE}")[0] == \
        "sanctions imposed by the U.S."


def test_text_without_furniture_unchanged():
    text = "Nothing to strip here.\n\nOr here."
    assert strip_inline(text) == (text, [])


def test_known_publications():
    assert known_publication("Arab Times") == ("Kuwait", "English")
    assert known_publication("  ARAB   TIMES ") == ("Kuwait", "English")
    assert known_publication("Tehran Times") == ("Iran", "English")
    assert known_publication("Russian bombers strike") is None


def test_repeated_licence_all_removed():
    text = f"First part. MA/MA {LICENCE}\n\nSecond part. AK/PA{LICENCE}"
    assert strip_inline(text) == ("First part.\n\nSecond part.",
                                  [LICENCE, "MA/MA", LICENCE, "AK/PA"])


@pytest.mark.parametrize(("line", "name"), [
    ("BERLINER ABENDBLATT", "Berliner Abendblatt"),
    ("Münchner Generalanzeiger", "Münchner Generalanzeiger"),
    ("Het Volksdagblad", "Het Volksdagblad"),
    ("THE OMAHA DAILY BEE", "The Omaha Daily Bee"),
    ("Big Blatt Sale", None),  # a compound's ending is the last word's, not any word's
    ("Fire at the Mill", None),
])
def test_a_masthead_names_the_paper_by_the_word_it_ends_with(line, name):
    assert newspaper_name(line) == name
