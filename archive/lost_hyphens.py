"""Words broken at a line end whose hyphen the OCR text lost ("mount" / "ed on the Persia"),
joined again from what the page itself shows.

Chronicling America's page text drops the hyphen of many words broken across lines (its
ALTO keeps it apart, and the text is made without it): "subma" / "rines", "Mediter" /
"ranean" then read as two words, and neither is found by a search. Where the hyphen is
there, archive.text.join_lines joins the parts; here there is none to go by, so a break is
joined only on the page's own evidence, in two parts:
- the part after the break is no word of the page: nowhere on it is that token met but at
  a line's start ("ed", "rines"; "to", "the" are met inside lines everywhere),
- the joined word is one: the page prints it whole elsewhere ("mounted", "situation").
Both must hold, so "in" / "to" stays two words, and a column whose line starts the OCR cut
("hat" for "that") joins nothing it cannot find whole. A word the page never prints whole
stays broken.

Some titles' text lost the hyphen as "?" instead (its character unknown to the encoding the
text was written in: "govern?" / "ment", "Ef?" / "fectivc"; 3,270 such breaks in a month of
Chronicling America front pages). A "?" glued to the letters at a line's end, before a line
that opens in lower case, says a word may break there, so either piece of evidence will do:
the part after the break is no word of the page, or the page prints the joined word whole
("month?" / "will receive" stays a question: "will" is a word, "monthwill" none)."""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

_WORDS = re.compile(r"\w+")  # (digits too: a cheaper class, and no broken word is one)
MARKS = ("?", "\ufffd")  # what a hyphen lost to the text's encoding became
# Endings no word is on its own: after a marked break they finish the word above, even on
# a page whose broken text shows them inside a line too ("dispos?" / "ed").
SUFFIXES = frozenset({"ed", "ing", "ings", "es", "ly", "tion", "tions", "ment", "ments",
                      "ness"})
_FIRST = re.compile(r"[^\W\d_]+")  # a word: the one a line opens with, matched at its start


class LostHyphens:
    """The breaks of one page's lines that part one word (see the module)."""

    def __init__(self, text: str, vocabulary: Container[str]):
        self.vocabulary = vocabulary  # the page's words, lower-cased (archive.text)
        # those met inside a line, not at its start: words in their own right
        self.inside: set[str] = set()
        for line in text.lower().split("\n"):
            self.inside.update(_WORDS.findall(line)[1:])

    def rejoin(self, lines: Sequence[str]) -> list[str]:
        """The lines with each broken word made whole: a line and the next are joined
        where the break parts one word."""
        out = [lines[0]]
        for line in lines[1:]:
            tail = _FIRST.match(line)
            if tail and self._parts_one_word(out[-1], tail[0]):
                out[-1] += line
            elif tail and marked_break(out[-1], line) and self._marked_word(out[-1], tail[0]):
                out[-1] = out[-1][:-1] + line  # (the mark goes: it was the hyphen)
            else:
                out.append(line)
        return out

    def _marked_word(self, above: str, tail: str) -> bool:
        """Whether a break marked by a lost hyphen parts one word (see the module)."""
        low = tail.lower()
        return low not in self.inside or low in SUFFIXES or \
            (above[:-1].rsplit(None, 1)[-1].lower() + low) in self.vocabulary

    def _parts_one_word(self, above: str, tail: str) -> bool:
        """Whether the line above ends in a word that `tail` (the next line's first word)
        finishes."""
        if len(tail) < 2 or not tail[0].islower() or not above[-1:].isalpha():
            return False
        low = tail.lower()
        if low in self.inside:
            return False
        head = above.rsplit(None, 1)[-1]
        return head.isalpha() and (head.lower() + low) in self.vocabulary


def marked_break(above: str, below: str) -> bool:
    """Whether a line ends in letters with a lost hyphen glued on ("govern?") and the next
    opens in lower case (a word's second part, two letters at least): a word may break
    there."""
    if not above.endswith(MARKS) or len(above) < 2 or not above[-2].isalpha():
        return False
    tail = _FIRST.match(below)
    return tail is not None and len(tail[0]) >= 2 and tail[0][0].islower() \
        and above[:-1].rsplit(None, 1)[-1].isalpha()


def join_marked(lines: list[str]) -> list[str]:
    """A heading's lines with each marked break joined (marked_break): a deck printed
    "Nine Merchant Ships Attacked in Bal?" / "tic Sea by Submarines." (a heading's lines
    are few and set apart: their lower-case start is evidence enough)."""
    out = lines[:1]
    for line in lines[1:]:
        if marked_break(out[-1], line):
            out[-1] = out[-1][:-1] + line
        else:
            out.append(line)
    return out
