"""Readings of one name that the OCR garbled, told apart from other names: "Lpndon",
"Iondon" and "T.ondon" are London as the OCR read it on a page or two, and a list of
dateline places (or wire agencies) shows them under London, not as places of their own.

The rule is the archive's own: a reading joins a name when, folded for case, punctuation
and the letters OCR confuses (l/1/i/I, o/0, rn/m ...), it is the same, or one edit away
(two for long names), and the name is printed at least RATIO times as often. Two real
places of equal weight (Austin, Austix) stay apart, and a name never joins a rarer one.
Pure: the same counts give the same groups. Nothing is changed in the articles: each
keeps the place as printed; only lists and the searches they link to group the readings.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

RATIO = 3  # a name absorbs readings printed at most a third as often
LONG = 9  # folded names this long may be two edits away; from SHORT on, one
SHORT = 5  # shorter ones must fold to the same letters
# Characters the OCR reads for one another, folded to one; pairs after them.
_CONFUSED = str.maketrans({"1": "l", "i": "l", "|": "l", "!": "l", "0": "o", "5": "s"})
_PAIRS = (("rn", "m"), ("vv", "w"))


@dataclass(frozen=True)
class Named:
    """A name with the readings grouped under it."""

    value: str  # the reading printed most often
    count: int  # articles of every reading
    variants: tuple[tuple[str, int], ...] = ()  # the other readings, most printed first

    @property
    def readings(self) -> tuple[str, ...]:
        """Every reading, the name's first."""
        return (self.value, *(value for value, _ in self.variants))


def group(counts: Iterable[tuple[str, int]]) -> list[Named]:
    """Names with their OCR readings grouped under them, most printed first (see the
    module's rule)."""
    ordered = sorted(counts, key=lambda item: (-item[1], item[0]))
    names: list[tuple[str, int, list[tuple[str, int]]]] = []
    by_key: dict[str, list[int]] = {}  # a deletion variant of a name's folded form -> names
    folds: list[str] = []
    for value, count in ordered:
        folded = fold(value)
        home = _home(folded, count, names, by_key, folds)
        if home is not None:
            names[home][2].append((value, count))
            continue
        number = len(names)
        names.append((value, count, []))
        folds.append(folded)
        # A name printed fewer than RATIO times absorbs no reading one edit away (none is
        # printed a third as often): only readings that fold to its very letters.
        depth = _edits(folded) if count >= RATIO else 0
        for key in _deletions(folded, depth):
            by_key.setdefault(key, []).append(number)
    return sorted((Named(value, count + sum(c for _, c in variants), tuple(variants))
                   for value, count, variants in names),
                  key=lambda named: (-named.count, named.value))


def near(reading: str, name: str) -> bool:
    """Whether a reading may be a name as the OCR read it: the same letters once folded,
    or within the edits the module's rule allows for names of its length."""
    a, b = fold(reading), fold(name)
    return a == b or _distance(a, b, min(_edits(a), _edits(b))) is not None


def folded_within(reading: str, word: str, edits: int) -> bool:
    """Whether a reading is a word as the OCR read it, both folded already (fold), at most
    `edits` edits away: a caller that knows more of the context than a name list sets the
    reach (the words around a credit's agency) and folds each word once."""
    return _distance(reading, word, edits) is not None


def fold(name: str) -> str:
    """A name as its readings are compared: lower case, letters and digits only, the
    characters the OCR confuses made one."""
    text = "".join(ch for ch in name.casefold() if ch.isalnum()).translate(_CONFUSED)
    for pair, one in _PAIRS:
        text = text.replace(pair, one)
    return text


def _home(folded: str, count: int, names: list, by_key: dict[str, list[int]],
          folds: list[str]) -> int | None:
    """The name (its number) a reading joins: the most printed one within reach."""
    edits = _edits(folded)
    found = {number for key in _deletions(folded, edits) for number in by_key.get(key, ())}
    for number in sorted(found):  # names were added most printed first
        other = folds[number]
        if other == folded:  # the same letters: case, spacing, punctuation
            return number
        if names[number][1] >= RATIO * count and \
                _distance(folded, other, min(edits, _edits(other))) is not None:
            return number
    return None


def _edits(folded: str) -> int:
    return 2 if len(folded) >= LONG else 1 if len(folded) >= SHORT else 0


@functools.lru_cache(maxsize=16_384)
def _deletions(word: str, depth: int) -> frozenset[str]:
    """The word and every string made of it by up to `depth` deletions: two strings
    within `depth` edits share one (what makes the lookup cheap). Kept per word: a
    search's facets list the same names request after request, and making these was
    half the cost of grouping them (28 places: 352 -> 136 us)."""
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return frozenset(found)


def _distance(a: str, b: str, limit: int) -> int | None:
    """The edit distance of two strings (insertions, deletions, substitutions) if it is at
    most limit, else None."""
    if abs(len(a) - len(b)) > limit:
        return None
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1,
                                           previous + (ca != cb))
        if min(row) > limit:
            return None
    return row[-1] if row[-1] <= limit else None
