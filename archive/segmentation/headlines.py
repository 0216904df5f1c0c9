"""The typography of a page and what it says about a piece of text: the body text's line
height, font size and capital height; whether a piece is set larger than the body, in
capitals, centred in its column; whether it looks like a headline, a deck, an
advertisement or a notice. Pure functions of lines and boxes (archive.layout)."""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.layout import Box, Line
from archive.segmentation.text_kinds import FOREIGN_AD_WORDS, LEGAL_NOTICE, SALE_WORDS

# Letters that reach below the baseline: words holding one measure more than a capital.
_DESCENDERS = frozenset("gjpqyQJ,;")
_ASCENDERS = frozenset("bdfhklt")
BIG = 1.2  # a heading set this much larger than the body (size or capital height)
VERY_BIG = 1.6  # this much larger: a heading however it is set (case, place in its column)
HUGE = 2.5  # a masthead title's size over the body's
MAX_HEADING_LINES = 4
MAX_HEADING_WORDS = 16  # per line
HEADING_LINE_WORDS = 12  # the most words of a heading line set inside a block

# Each pattern opens with a look-ahead for the characters its matches can start with: the
# regex engine then dismisses most positions of a text at once instead of trying every
# alternative at each (three to five times faster; they read every line of a page twice).
# The matches are the same: no alternative starts with another character.
_PRICE = re.compile(
    r"(?=[$£€\dp])(?:"
    r"(?:[$£€]\s?\d)|(?:\b\d+(?:[.,]\d+)?\s?(?:cents?|cts?\.?|c\.|fr\.?|frs\.?|francs?|"
    r"mk\.?|pf\.?|pence|d\.|s\.)(?!\w))|(?:\b\d+\s?/\s?\d+\s?d\b)|(?:\bper\s+(?:yard|pound|"
    r"lb|doz(?:en)?|dozen|ton|gallon|bushel|copy|annum|week|month|year)\b))", re.IGNORECASE)
_AD_WORDS = re.compile(
    r"\b(?=[abcdefghmoprstuvwzà])"
    r"(?:for\s+sale|to\s+let|to\s+be\s+(?:sold|let)|wanted|apply\s+(?:to|at)|sold\s+by|"
    r"bargains?|cheap(?:est)?|prices?|auction|agents?|manufacturers?|warranted|"
    r"telephone|phone|tel\.|catalogue|free\s+of\s+charge|money\s+back|guaranteed|"
    r"call\s+and\s+see|bargains?|wholesale|retail|proprietor|sole\s+agents?|store|"
    r"bros\.|dealers?|druggists?|tailors?|headquarters|give\s+us\s+a\s+call|"
    r"billig|" + FOREIGN_AD_WORDS + r")\b|" + SALE_WORDS)  # matched on text in lower case
_NOTICE_HEAD = re.compile(
    r"^\W*(?:births?|born|marriages?|married|deaths?|died|obituary|funerals?|in\s+memoriam|"
    r"legal\s+notices?|public\s+notice|notices?|bankrupts?|dividends?|geburten|"
    r"heirat(?:en)?|todes(?:fälle|anzeigen?)|gestorben|décès|naissances|mariages|"
    r"avis\s+mortuaires?)\W*$", re.IGNORECASE)
_NOTICE_TEXT = re.compile(
    r"\b(?=[aehin])"
    r"(?:notice\s+is\s+hereby\s+given|hereby\s+give\s+notice|in\s+the\s+matter\s+of\s+the|"
    r"estate\s+of\s+the\s+late|all\s+persons\s+having\s+claims)\b|" + LEGAL_NOTICE,
    re.IGNORECASE)



@dataclass(frozen=True)
class Typography:
    """The body text of a page: its line height (the page's unit of distance), its font
    size (None when the lines carry none) and its capital height (None without word
    boxes)."""

    unit: float
    size: float | None = None
    cap: float | None = None


def _median(values: Iterable[float]) -> float | None:
    known = [v for v in values if v is not None and v > 0]
    return statistics.median(known) if known else None


def typography(lines: Sequence[Line], fallback: float = 1.0) -> Typography:
    """The body text's measures: from lines of at least four words (headings and specks
    are short), else from every line."""
    body = [line for line in lines if len(line.words) >= 4] or list(lines)
    unit = _median(line.box.height for line in body if line.box) or fallback
    size = _median(line.font_size for line in body if line.font_size)
    cap = _median(cap_heights(body))
    return Typography(unit if unit > 0 else 1.0, size, cap)


def cap_heights(lines: Iterable[Line]) -> list[float]:
    """The heights of the words that measure a capital: they hold a capital or an
    ascender and no descender."""
    measures = _measures_capital
    # (Box.height spelt out: this is asked of every word of the body text)
    return [box.bottom - box.top for line in lines for word in line.words
            if (box := word.box) is not None and measures(word.text)]


@functools.lru_cache(maxsize=1 << 16)
def _measures_capital(text: str) -> bool:
    """Whether a word's height is a capital's: two letters or more, the first a capital
    or one an ascender, and no descender. Cached: a page's words repeat, and this is
    asked of every word of its body text (typography) and again of its headings."""
    letters = list(filter(str.isalpha, text))
    if len(letters) < 2 or _DESCENDERS.intersection(text):
        return False
    return letters[0].isupper() or bool(_ASCENDERS.intersection(letters))


def size_ratio(lines: Sequence[Line], typo: Typography) -> float | None:
    """How much larger than the body a piece is set: by capital height where word boxes
    say (a font size or line height misleads for capitals, which have no descenders),
    else by font size."""
    if typo.cap:
        cap = _median(cap_heights(lines))
        if cap:
            return cap / typo.cap
    if typo.size:
        size = _median(line.font_size for line in lines if line.font_size)
        if size:
            return size / typo.size
    return None


def letters(text: str) -> list[str]:
    # filter and map run the loop over the characters in C: three times faster than a
    # comprehension, and these are asked of every line of a page
    return list(filter(str.isalpha, text))


def wordy(text: str) -> bool:
    """Text made of words, not OCR debris: four letters or more in words of three letters
    or more, and most of its letters in such words."""
    found = [sum(map(str.isalpha, w)) for w in text.split()]
    long_ = sum(n for n in found if n >= 3)
    return long_ >= 4 and long_ >= 0.6 * sum(found)


def heading_line(line: Line, text: str, box: Box | None, left: float, right: float,
                 unit: float) -> bool:
    """A line set as a heading inside a block: a few words in capitals, centred."""
    # (the cheapest test first, and the one most lines fail: a line of running text fills
    # its column; all are pure, so their order does not change the answer)
    return centred(box, left, right, unit) and len(text.split()) <= HEADING_LINE_WORDS \
        and wordy(text) and caps_share(text) >= 0.7 and not text.rstrip().endswith((",", "-"))


def big_heading_line(line: Line, typo: Typography) -> bool:
    """A line set as a headline whatever its place in its column: a few words in
    capitals whose capitals stand BIG times the body's (by the words' boxes; without them
    nothing says the line is set large: a line box is tall for a speck or an initial)."""
    text = " ".join([w.text for w in line.words])
    if typo.cap is None or len(line.words) > HEADING_LINE_WORDS or caps_share(text) < 0.7 \
            or not wordy(text):
        return False
    ratio = size_ratio([line], typo)
    return ratio is not None and ratio >= BIG


def caps_share(text: str) -> float:
    """The share of a text's letters that are capitals (0 without letters)."""
    found = letters(text)
    return sum(map(str.isupper, found)) / len(found) if found else 0.0


def centred(box: Box | None, left: float, right: float, unit: float) -> bool:
    """Whether a box sits in the middle of its column, clear of both edges."""
    if box is None or right - left <= 0:
        return False
    before, after = box.left - left, right - box.right
    if before < 0.8 * unit or after < 0.8 * unit:
        return False
    return abs(before - after) <= max(1.5 * unit, 0.3 * (before + after))


def short(box: Box | None, left: float, right: float) -> bool:
    """A line that fills less than four fifths of its column."""
    return box is not None and right > left and box.width <= 0.8 * (right - left)


def heading_form(lines: Sequence[Line], texts: Sequence[str], box: Box | None, left: float,
                 right: float, typo: Typography) -> tuple[bool, bool]:
    """(looks like a heading, set larger than the body) for a piece in its column."""
    if not lines or len(lines) > MAX_HEADING_LINES or not texts:
        return False, False
    words = [len(t.split()) for t in texts]
    text = " ".join(texts)
    if not wordy(text) or max(words) > MAX_HEADING_WORDS or text.lstrip().startswith("("):
        return False, False  # noise, or a credit line "(From the Gazette.)"
    ratio = size_ratio(lines, typo)
    big = ratio is not None and ratio >= BIG
    caps = caps_share(text) >= 0.7
    middle = centred(box, left, right, typo.unit)
    narrow = short(box, left, right)
    if texts[-1].rstrip().endswith(("-", ",")) and not big:
        return False, False  # a line broken mid-sentence, a byline ("FROM OUR ...,")
    # Type VERY_BIG times the body's is a heading however set; so is a line of a few
    # words set BIG across its column ("Aeroplanes pour l'armée autrichienne.").
    if big and (caps or middle or narrow or ratio >= VERY_BIG or (
            len(lines) == 1 and max(words) <= 8)):
        return True, True
    if caps and (middle or narrow) and len(lines) <= 3:
        return True, False
    # Mixed case, centred, a few words: "Revue politique.", "Suez et Marseille."; or in a
    # script without capitals (Hebrew, Arabic: a letter neither upper nor lower case)
    first = next((c for c in text if c.isalnum()), "")
    return middle and len(lines) <= 2 and max(words) <= 8 and (
        first.isupper() or first.isdigit() or (first.isalpha() and not first.islower())), False


def deck_form(lines: Sequence[Line], texts: Sequence[str], box: Box | None, left: float,
              right: float, typo: Typography) -> bool:
    """A deck (a sub-headline under a headline): a few lines, centred (its last line at
    least: a deck's first lines may fill the column) or in capitals."""
    if not lines or len(lines) > MAX_HEADING_LINES or not texts:
        return False
    if centred(box, left, right, typo.unit) or centred(lines[-1].box, left, right, typo.unit):
        return True
    return caps_share(" ".join(texts)) >= 0.7 and short(box, left, right)


@dataclass(frozen=True)
class AdSigns:
    """What in a run of printed lines reads like an advertisement: its prices, words of
    trade and lines in capitals, and its lines. Counted once a piece, they add up to an
    item's (counted on the joined text, a phrase running from one piece into the next
    would count once more: "per" / "yard")."""

    prices: int = 0
    trade: int = 0
    capitals: int = 0
    lines: int = 0

    def __add__(self, other: AdSigns) -> AdSigns:
        return AdSigns(self.prices + other.prices, self.trade + other.trade,
                       self.capitals + other.capitals, self.lines + other.lines)


def ad_signs(texts: Sequence[str]) -> AdSigns:
    """The advertising signs of printed lines."""
    if not texts:
        return AdSigns()
    text = " ".join(texts)
    return AdSigns(len(_PRICE.findall(text)), len(_AD_WORDS.findall(text.lower())),
                   sum(map(_in_capitals, texts)), len(texts))


def ad_score(signs: AdSigns, centred_lines: int = 0) -> float:
    """How much text reads like an advertisement (about 1 and over: it does): prices,
    trade words, lines in capitals and lines set in the middle of their column
    (centred_lines of them), each counted against the length of the text."""
    n = signs.lines
    if not n:
        return 0.0
    score = min(signs.prices, 8) / max(3.0, n / 4) + min(signs.trade, 8) / max(3.0, n / 3)
    if n >= 3:
        score += 0.6 * (signs.capitals / n) + 0.6 * (min(centred_lines, n) / n)
    return score


@functools.lru_cache(maxsize=1 << 14)
def _in_capitals(text: str) -> bool:
    """A line of three letters or more, seven in ten of them capitals (caps_share, its
    letters taken once). Cached: each line of a page is asked twice (piece, then item)."""
    found = letters(text)
    return len(found) >= 3 and sum(map(str.isupper, found)) / len(found) >= 0.7


def centred_lines(lines: Sequence[Line], left: float, right: float, unit: float) -> int:
    """How many of the lines sit in the middle of their column."""
    return sum(1 for line in lines if centred(line.box, left, right, unit))


def notice_heading(text: str) -> bool:
    """A heading over notices: births, marriages, deaths, legal notices."""
    return bool(_NOTICE_HEAD.match(text.strip()))


def notice_text(text: str) -> bool:
    """Text in the form of a legal notice ("NOTICE IS HEREBY GIVEN ...")."""
    return bool(_NOTICE_TEXT.search(text))
