"""The index's tokens (index.analysis.TOKEN_PATTERN): its fast path for ASCII words gives
exactly the tokens of its definition (WORDS_PATTERN), on text of every script it treats
apart; Chinese characters are tokens of their own, and counted as words by the store."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from archive.text import ends_sentence, paragraph_of
from archive.unspaced import count_words
from index.analysis import TOKEN_PATTERN, WORDS_PATTERN, analyse

DEFINITION = re.compile(WORDS_PATTERN)
# ASCII letters and digits, apostrophes, accented letters, Arabic letters with harakat and
# tatweel, Chinese characters, hiragana and katakana, spaces and punctuation
ALPHABET = "ab9_ 'Z’`éß-.,\u0627\u0644\u064e\u0651\u0640\u7891\u982d\u3042\u30bf\u3002\uff0c"


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_the_fast_pattern_gives_the_tokens_of_the_definition(text):
    assert TOKEN_PATTERN.findall(text) == DEFINITION.findall(text)


def test_chinese_characters_are_tokens_of_their_own():
    assert TOKEN_PATTERN.findall("擴建碼頭，Tokyo's 東京タワー café") == [
        "擴", "建", "碼", "頭", "Tokyo's", "東", "京", "タワー", "café"]
    assert analyse("港務局") == ["港", "務", "局"]


def test_words_of_unspaced_scripts_are_counted_by_character():
    assert count_words("港務局昨日宣佈，擴建碼頭。") == 11  # punctuation counts as no word
    assert count_words("the harbour board met 擴建 today") == 7
    assert count_words("the harbour board met") == 4
    assert ends_sentence("擴建碼頭。") and ends_sentence("「擴建碼頭！」")
    assert not ends_sentence("擴建碼頭，")


def test_lines_of_chinese_are_joined_without_a_space():
    assert paragraph_of(["港務局昨日宣佈，將於", "本年內擴建碼頭。", "Tokyo is", "big"]) == \
        "港務局昨日宣佈，將於本年內擴建碼頭。 Tokyo is big"
    assert paragraph_of(["the harbour", "board"]) == "the harbour board"


def test_a_sentence_may_end_inside_french_and_german_quotes():
    """'... la preuve.»' and '... gesagt.“' end their sentences, as '... proof.”' does; a
    quote that closes no stop ends none ('il a dit « oui »')."""
    assert ends_sentence("Il en a donné la preuve.»") and ends_sentence("Er hat es gesagt.“")
    assert ends_sentence("Er hat es gesagt.«") and ends_sentence("so sagte er.‘ ")
    assert not ends_sentence("il a dit « oui »") and not ends_sentence("er sagte „ja“")
