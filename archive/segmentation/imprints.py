"""A paper's imprint (the box of publisher, editors, terms of subscription and advertising
that heads its editorial page): furniture set as text, kept searchable as kind "other".
Both page readers (layout, plain text) find it by its phrases, in the items they made."""

from __future__ import annotations

import re
from dataclasses import replace

from archive.model import RawItem

# What a paper prints about itself in its imprint.
_IMPRINT = re.compile(
    r"\b(?=[apeschmtvjrdl])(?:published\s+(?:every|daily|weekly|by)|subscriptions?|"
    r"per\s+(?:year|annum)|a\s+year\s+in\s+advance|entered\s+(?:at|as)\b.{0,40}\b"
    r"(?:post[\s-]*office|second[\s-]*class)|second[\s-]*class\s+matter|advertising\s+"
    r"rates|rates\s+of\s+advertising|editor[\s-]*in[\s-]*chief|business\s+manager|"
    r"managing\s+editor|terms\s+of\s+subscription|address\s+all\s+(?:communications|"
    r"letters)|erscheint\s+(?:täglich|jeden|wöchentlich)|abonnements?(?:preis)?|"
    r"paraît\s+(?:tous|chaque)|prix\s+de\s+l['’]abonnement)", re.IGNORECASE)
IMPRINT_MARKS = 2  # distinct imprint phrases that make a text an imprint
# An imprint is a box of a few lines; a long text naming subscriptions and a yearly rate is
# a report (a union's meeting) or an advertisement for a periodical, never the imprint.
IMPRINT_WORDS = 250
IMPRINT_PART_WORDS = 60  # a longer item is no part of an imprint a reader cut up


def imprint_marks(text: str) -> int:
    """How many different imprint phrases a text of fewer than IMPRINT_WORDS words holds
    (0 for a longer one)."""
    if text.count(" ") >= IMPRINT_WORDS:
        return 0
    # a phrase by its first word, in the singular: "subscription" and "subscriptions" are
    # one phrase said twice
    return len({m.group(0).lower().split()[0].rstrip("s") for m in _IMPRINT.finditer(text)})


def imprint_box(items: list[RawItem]) -> list[RawItem]:
    """A page's items (in reading order) with the imprint's made kind "other": an item of
    IMPRINT_MARKS imprint phrases at least, and the rest of the box when the page's reader
    cut it into several items ("Published every Tuesday by the students" / "Subscription,
    $1.50 per year" / "EDITORS" over their names): next to a part, a short item naming one
    imprint phrase is a part too, and so is a short one between two parts."""
    texts = [_text(item) for item in items]
    words = [len(text.split()) for text in texts]
    marks = [imprint_marks(text) if item.kind in ("article", "other") else 0
             for item, text in zip(items, texts, strict=True)]
    part = [mark >= IMPRINT_MARKS for mark in marks]
    grown = True
    while grown:
        grown = False
        for n, item in enumerate(items):
            if part[n] or item.kind not in ("article", "other") or \
                    words[n] > IMPRINT_PART_WORDS:
                continue
            before, after = n > 0 and part[n - 1], n + 1 < len(items) and part[n + 1]
            if (marks[n] and (before or after)) or (before and after):
                part[n] = grown = True
    return [replace(item, kind="other") if part[n] and item.kind == "article" else item
            for n, item in enumerate(items)]


def _text(item: RawItem) -> str:
    return " ".join(t for t in (item.headline, item.subtitle, *(
        " ".join(block) for block in item.blocks)) if t)
