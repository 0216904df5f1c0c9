"""Tests for archive.dates: path dates, the --date option and year inference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from archive.dates import (
    DEFAULT_YEARS,
    anchor_weekday,
    date_from_path,
    infer_year,
    mentioned_years,
    parse_date_option,
)

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_c10b1a1efda8d5c8.txt"
YEARS = (1977, 2026)


@pytest.mark.parametrize("path,expected", [
    ("archive/2017-11-06/page3.txt", dt.date(2017, 11, 6)),
    ("archive/2017/11/06/page3.txt", dt.date(2017, 11, 6)),
    ("20171107-page3.txt", dt.date(2017, 11, 7)),
    ("in/ArabTimes_2017-11-07_p03.txt", dt.date(2017, 11, 7)),
    ("in/2017_11_07.txt", dt.date(2017, 11, 7)),
    ("in\\2017\\11\\07\\p1.txt", dt.date(2017, 11, 7)),
    ("BL/0002088/1832/1123/0002088_18321123_0001.xml", dt.date(1832, 11, 23)),
    ("dates/19160101/sn83045396-ed-1_seq-1.txt", dt.date(1916, 1, 1)),
    ("luxzeit1858_1858-12-07_01/text/1858-12-07_01-00001.xml", dt.date(1858, 12, 7)),
    # The file name is more specific than its folder.
    ("2017/11/06/20171107-page3.txt", dt.date(2017, 11, 7)),
    ("seeds/000_c10b1a1efda8d5c8.txt", None),
    ("data/_news_486502_Title-Slug.txt", None),
    ("a1b2c3d420171107e5f6.txt", None),  # digits inside a hash
    ("123420171107.txt", None),  # digits inside a longer number
    ("2017-02-30.txt", None),  # not a calendar date
    ("2017-13-01.txt", None),
    ("1599-12-31.txt", None),  # before the first newspapers
    ("adresse-1795-06-15-01-0010B.alto.xml", dt.date(1795, 6, 15)),  # an 18th-century issue
    ("2101-01-01.txt", None),
    ("2017-11/06.txt", None),  # mixed separators
    ("2017-11.txt", None),
    ("", None),
])
def test_date_from_path(path, expected):
    assert date_from_path(path) == expected


def test_parse_date_option():
    assert parse_date_option("2017-11-05") == dt.date(2017, 11, 5)
    assert parse_date_option(" 2017-11-05\n") == dt.date(2017, 11, 5)


@pytest.mark.parametrize("bad", ["20171105", "2017-2-30", "2017-02-30", "05/11/2017", "", "x"])
def test_parse_date_option_rejects(bad):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date_option(bad)


def test_default_years():
    assert DEFAULT_YEARS == (1977, dt.date.today().year)


def test_golden_seed():
    year, why = infer_year(11, 4, SEED.read_text(encoding="utf-8"), YEARS)
    assert year == 2017
    assert "2014" in why and "Saturday" in why


@pytest.mark.parametrize("text,expected", [
    ("Russian bombers struck on Saturday. On Friday, forces took control.", 5),
    ("On Friday they met; on Saturday they left.", 5),
    ("It happened on Monday.", 0),
    ("last Sunday and on Thursday", 6),  # Thursday is 3 days before Sunday, not 4 after
    ("on Friday, ahead of talks next Saturday", 4),  # "next" points forward
    ("on Monday; offices open Sunday to Thursday", 0),  # a timetable names no past day
    ("on Tuesday, as every Friday", 1),
    ("Monday, Wednesday, Friday", 4),  # Wednesday 2 and Monday 4 days before Friday
    ("Monday Tuesday Wednesday Thursday Friday Saturday Sunday", None),  # a full week ties
    ("no weekday here, fridays are", None),
    ("", None),
])
def test_anchor_weekday(text, expected):
    assert anchor_weekday(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("proclaimed in 2014 and around 1,500 fighters", [2014]),
    ("by 2030 and until 2025 and till 2024 and through 2023 and before 2022", []),
    ("Kuwait Vision 2035, by the end of 2025, until mid-2024", []),
    ("in 2016-17 and 2011/2012", [2016, 2011, 2012]),
    ("growth of 2017.5 points, $2000, call 2224-1990 or 2224 1999", []),
    ("KD 2000 fine, 1999 people", []),
    ("since 1899 or in 2031", []),  # before 1900 or after the range end
    ("Nov 4, 2015 and 12,2016", [2015]),
])
def test_mentioned_years(text, expected):
    assert mentioned_years(text, 2026) == expected


@pytest.mark.parametrize("month,day,text,years,expected", [
    # Weekday alone: many years share it, so no guess.
    (11, 4, "The talks ended on Saturday.", YEARS, None),
    # Neither year nor weekday: every year fits.
    (11, 4, "Talks ended.", YEARS, None),
    # A year alone leaves five candidates.
    (11, 4, "Since 2014 the group has lost ground.", YEARS, None),
    # Year and weekday: one year in 2014..2018 has Nov 4 on a Saturday.
    (11, 4, "In 2014, and on Saturday", YEARS, 2017),
    (11, 5, "In 2014, and on Sunday", YEARS, 2017),
    # Feb 29 exists only in leap years; one leap year in 2014..2018.
    (2, 29, "as in 2014", YEARS, 2016),
    (2, 29, "anything", (2017, 2019), None),
    (2, 29, "anything", (2019, 2021), 2020),
    # Future years do not set the floor.
    (11, 4, "In 2014 the plan, due by 2024, began. On Saturday", YEARS, 2017),
    (11, 4, "Vision 2035 was launched in 2014. On Saturday", YEARS, 2017),
    # The mentioned year lies outside the range: nothing can be inferred.
    (11, 4, "In 2014, on Saturday", (1977, 2010), None),
    # Nov 4 of 2014..2018 falls on Tue, Wed, Fri, Sat, Sun: never on a Monday.
    (11, 4, "In 2014, on Sunday", YEARS, 2018),
    (11, 4, "In 2014, on Monday", YEARS, None),
    (2, 30, "On Saturday in 2014", YEARS, None),
    (13, 1, "On Saturday in 2014", YEARS, None),
])
def test_infer_year(month, day, text, years, expected):
    year, why = infer_year(month, day, text, years)
    assert year == expected
    assert why


def test_infer_year_explains_ambiguity():
    year, why = infer_year(11, 4, "On Friday", (2012, 2026))
    assert year is None
    assert why.startswith("ambiguous: 2016, 2022")


def test_infer_year_explains_no_candidate():
    assert infer_year(2, 30, "", YEARS) == (None, "no candidate: Feb 30 is not a date in 1977-2026")


@pytest.mark.parametrize("text, expected", [
    ("1915-12-01", dt.date(1915, 12, 1)), ("19151201", dt.date(1915, 12, 1)),
    ("1870.01.02", dt.date(1870, 1, 2)), ("1915/12/1", dt.date(1915, 12, 1)),
    ("1915-12-01T00:00:00", dt.date(1915, 12, 1)), ("  1887-03-07 ", dt.date(1887, 3, 7)),
    ("1915-02-30", None), ("1915-12", None), ("1915-12/01", None), ("191512011", None),
    ("", None), (None, None)])
def test_year_first(text, expected):
    from archive.dates import year_first

    assert year_first(text) == expected
