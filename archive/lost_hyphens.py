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
stays broken."""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

_WORDS = re.compile(r"\w+")  # (digits too: a cheaper class, and no broken word is one)
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
            else:
                out.append(line)
        return out

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
