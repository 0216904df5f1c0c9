"""Headline and deck lines that page OCR text read into an item's body, given back to
their headings (for archive.formats.ocr_segment): the tail of a deck under its headline
("Carranza's Foreign Office Issued State" / "ment Also Declaring that United" before the
dateline), and a dispatch's headline and deck read as the end of the story above its
dateline."""

from __future__ import annotations

import itertools
import re

from archive.credits import OCR_BY
from archive.formats.ocr_items import Item
from archive.formats.ocr_lines import Line
from archive.furniture import SMALL_WORDS
from archive.segmentation.datelines import MONTH

DECK_TAIL_LINES = 4  # the most lines of a deck's tail the body may hold (deck_tail_lines)
# A dispatch's first line as the OCR may garble it past a dateline's reading: a place, then
# a month and a day close after ("Washington, July 27.The Amer", "ASHEVILLE, X. C? July 21.")
_DATELINE_START = re.compile(
    r"^[\"'(]?[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*[,.]\s*.{0,14}?"
    rf"\b(?i:{MONTH})\.?\s*[,.]?\s*\d{{1,2}}\b")


def deck_tail_lines(item: Item) -> list[Line]:
    """Under a headline, the body lines that read as the tail of its deck (DECK_TAIL_LINES
    at most, in title case, or a word's end a lost hyphen left: "Carranza's Foreign Office
    Issued State" / "ment Also Declaring that United" / "States Has No Right to Keep"),
    after which only a wire credit stands; or none. A dateline under them opens the
    dispatch of this headline, not another."""
    body = [line for paragraph in item.paragraphs for line in paragraph]
    deck = list(itertools.takewhile(lambda line: not line.dateline, body))
    if not item.heading or not deck or len(deck) > DECK_TAIL_LINES or any(
            not line.dateline for line in body[len(deck):]) or not all(
            line.caps or line.title or line.title_tail or line.lower_start
            or _mostly_capitalised(line.text) for line in deck):
        return []
    return deck


def deck_tail_to_heading(item: Item) -> None:
    """The tail of the deck (deck_tail_lines) goes to the heading: the dispatch opens with
    its dateline. A wire credit stays."""
    deck = deck_tail_lines(item)
    if deck:
        body = [line for paragraph in item.paragraphs for line in paragraph][len(deck):]
        item.heading += deck
        item.paragraphs = [body] if body else []
        item.body_lines = len(body)


def heading_from_tail(above: Item) -> tuple[list[Line], list[Line]]:
    """The lines that end the item above a dateline and read as a headline and deck
    (DECK_TAIL_LINES at most, one in capitals or title case at least, after a finished
    sentence), and a wire credit under them: the OCR read the dispatch's heading with the
    story before it ("BOWERYITE LEFT $100,000." / "Founder of Sheek Houses Built Fortune
    on Five-cent Drinks." over "New York, July 15.- ..."). They are taken from it, to
    head the dispatch; a byline or credit alone heads nothing."""
    if not above.paragraphs:
        return [], []
    last = above.paragraphs[-1]
    start = len(last)
    while start and len(last) - start < DECK_TAIL_LINES and _deck_line(last[start - 1]):
        start -= 1
    taken = last[start:]
    before = last[start - 1] if start else (
        above.paragraphs[-2][-1] if len(above.paragraphs) > 1 else None)
    credits = list(itertools.takewhile(lambda line: _BY.match(line.text), taken[::-1]))
    heading = taken[:len(taken) - len(credits)]
    if not heading or before is None or not before.ends or heading[-1].open_end \
            or _BY.match(heading[0].text) or not any(line.caps or line.title
                                                     for line in heading):
        return [], []
    del last[start:]
    if not last:
        above.paragraphs.pop()
    above.body_lines -= len(taken)
    return heading, credits[::-1]


# A byline or a credit line, "By" as the OCR reads it
_BY = re.compile(rf"\W*{OCR_BY}\b", re.IGNORECASE)


def _deck_line(line: Line) -> bool:
    """A line set as a headline's or a deck's: in capitals, in title case, or nearly."""
    return not line.dateline and not line.signature and (
        line.caps or line.title or line.title_tail or _mostly_capitalised(line.text))


def _mostly_capitalised(text: str) -> bool:
    """A deck's line as the OCR read it, a word or two garbled: two capitalised words
    for every lower-case one (the small words of a title aside)."""
    capitalised = lowered = 0
    for word in text.split():
        first = next((c for c in word if c.isalpha()), "")
        if first.isupper():
            capitalised += 1
        elif first.islower() and word.strip(".,;:!?\"'").lower() not in SMALL_WORDS:
            lowered += 1
    return capitalised >= 2 and capitalised >= 2 * lowered


def dateline_out_of_heading(item: Item) -> Item:
    """A dispatch's first line that the OCR garbled past a dateline's reading, read as the
    last lines of the deck over it ("UNITED STATES PROTESTS BLACK LIST" / "Washington,
    July 27.The Amer"): it and any heading line after it open the text."""
    for k in range(1, len(item.heading)):
        if _DATELINE_START.match(item.heading[k].text):
            moved = item.heading[k:]
            del item.heading[k:]
            if item.paragraphs:
                item.paragraphs[0][:0] = moved
            else:
                item.paragraphs.append(moved)
            item.body_lines += len(moved)
            break
    return item


DISPATCH_HEAD_LINES = 3  # the most lines of a dispatch's own heading over its dateline
DISPATCH_HEAD_WORDS = 15
# Without blank lines, a heading line is shorter than the column's full line (a short last
# line of a paragraph ends its sentence, and the line over it does not).
DISPATCH_HEAD_LENGTH = 0.8


def heading_over_dateline(item: Item, lines: list[Line], at: int, width: float,
                          blocks: bool) -> list[Line]:
    """The short lines just over a dateline that head its dispatch, taken from the end of
    the item that read them as text, or none: a heading in any case ("Le nouveau
    gouvernement indien" / "La Nouvelle-Delhi, 1er septembre."), DISPATCH_HEAD_LINES
    lines and DISPATCH_HEAD_WORDS words at most, none longer than a column's line, none
    a sentence going on, after a finished line. Where blank lines part the blocks, the
    lines that open the dateline's block above it, or the whole block before the one it
    opens; without them, the lines over it since the last that ends a sentence, each
    shorter than a full line. A dateline under none opens no item where blocks show the
    columns: a foreign column's dispatches under one headline stay one story."""
    line = lines[at]
    start = at
    if not blocks:
        while start and at - start <= DISPATCH_HEAD_LINES and not lines[start - 1].ends:
            start -= 1
    elif at and lines[at - 1].block == line.block:  # the dateline's block opens with them
        while start and lines[start - 1].block == line.block:
            start -= 1
    elif at:  # the dateline opens its block: the block before heads it
        start -= 1
        while start and lines[start - 1].block == lines[at - 1].block:
            start -= 1
    heading = lines[start:at]
    longest = width if blocks else DISPATCH_HEAD_LENGTH * width
    body = [line for paragraph in item.paragraphs for line in paragraph]
    if not heading or not start or len(heading) > DISPATCH_HEAD_LINES \
            or len(heading) >= len(body) or body[-len(heading):] != heading \
            or lines[start - 1].open_end or not (blocks or lines[start - 1].ends) \
            or heading[0].lower_start or heading[-1].open_end \
            or sum(len(h.text.split()) for h in heading) > DISPATCH_HEAD_WORDS \
            or any(h.dateline or h.signature or len(h.text) > longest for h in heading):
        return []
    taken = len(heading)
    while taken:  # off the end of the item's paragraphs
        last = item.paragraphs[-1]
        cut = min(taken, len(last))
        del last[len(last) - cut:]
        if not last:
            item.paragraphs.pop()
        taken -= cut
    item.body_lines -= len(heading)
    return heading
