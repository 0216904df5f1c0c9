"""Text analysis for the index: one analyzer for indexing, querying and highlighting.

English Snowball stemming (PyStemmer, C) inside Whoosh's StemFilter; case, accent and
typographic-quote folding; stopwords dropped with positions renumbered so phrases still
match across them; Arabic tokenised whole (harakat do not split words) and normalised."""

from __future__ import annotations

import re
import unicodedata

import Stemmer
from whoosh.analysis import STOP_WORDS, Filter, RegexTokenizer, StemFilter, StopFilter

# Word characters plus the Arabic combining marks and tatweel that Python's \w leaves out,
# so "الْكِتَاب" stays one token; apostrophes inside a word (every form _QUOTES folds) keep
# "Russia’s" together.
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
TOKEN_PATTERN = re.compile(rf"[\w{_ARABIC_MARKS}]+(?:['’‘ʼ`][\w{_ARABIC_MARKS}]+)*")

_ARABIC_LETTERS = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None, "ٱ": "ا"})
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})

# Whoosh's list minus words a news archive must find: "US", "May" (the month), "will".
STOPWORDS = frozenset(STOP_WORDS) - {"us", "may", "will", "can", "not", "yet", "tbr"}

_STEMMER = Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """Snowball English stem; module-level because Whoosh pickles the schema."""
    return _STEMMER.stemWord(word)


def fold(text: str) -> str:
    """Fold case, accents, typographic apostrophes and Arabic letter variants."""
    if text.isascii():  # most words: nothing to decompose (a third of the indexing time)
        return text.replace("`", "'").lower()
    text = text.translate(_QUOTES).casefold()
    # NFKD + dropping combining marks removes Latin accents and Arabic harakat, and
    # turns hamza-carrying alefs (أ إ آ) into bare alef.
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).translate(_ARABIC_LETTERS)


class FoldFilter(Filter):
    """Applies fold() to every token."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter)

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            if token.text:
                yield token


def analyzer():
    """The text analyzer of every full-text field."""
    return (RegexTokenizer(TOKEN_PATTERN) | FoldFilter()
            | StopFilter(STOPWORDS, minsize=1, renumber=True)
            | StemFilter(stemfn=stem, cachesize=200_000))


def plain_analyzer():
    """Folding without stemming or stopwords: names (place, agency) and spelling."""
    return RegexTokenizer(TOKEN_PATTERN) | FoldFilter()


def analyse(text: str, stemmed: bool = True) -> list[str]:
    """The index terms of a piece of text (for building queries)."""
    chain = ANALYZER if stemmed else PLAIN
    return [token.text for token in chain(text, mode="query")]


ANALYZER = analyzer()
PLAIN = plain_analyzer()
