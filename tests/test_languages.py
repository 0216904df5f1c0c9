"""Language codes as sources give them -> the names the archive shows."""

from __future__ import annotations

import pytest

from archive.languages import LANGUAGES, language_name


@pytest.mark.parametrize(("code", "name"), [
    ("en", "English"), ("eng", "English"), ("en-GB", "English"), ("FR", "French"),
    ("ger", "German"), ("deu", "German"), ("heb", "Hebrew"), ("he", "Hebrew"),
    ("yid", "Yiddish"), ("chi", "Chinese"), ("zho", "Chinese"), ("nb", "Norwegian Bokmål"),
    ("grc", "Ancient Greek"), (" ltz ", "Luxembourgish"), ("", None), (None, None),
    ("x-klingon", "x-klingon")])  # an unknown code is kept as given
def test_language_names(code, name):
    assert language_name(code) == name


def test_every_code_is_lower_case_and_two_or_three_letters():
    assert all(code.islower() and len(code) in (2, 3) for code in LANGUAGES)
