"""Page OCR lines -> the items of the page: cut at headline decks and datelines, with
crossheads kept inside their story, and each item told article, advertisement or notice.

Without blank lines (Chronicling America ocr.txt) a headline is a run of lines set in
capitals or title case between lines of text. With blank lines, a headline is a block
of its own: a block that opens in capitals and goes on in text is a paragraph with a
run-in head ("ASSAULT.—Henry Plant was summoned"), part of the story around it (but a
deck of two capitals lines opening a block cuts an item that would hold half the page);
a signature ("GREGSON, Solicitor.") and the signer under a letter's close ("I am, &c." /
"A RATEPAYER.") end what is above them and head nothing, while "To the Editor of ..."
heads a letter however it is set; and where the text turns from a story to a block
that reads as an advertisement, or back, one item ends (archive.segmentation.text_kinds
tells what reads so). A dateline cuts only
without blank lines: with them, a dispatch that opens an item has its own headline, and
the datelined blocks under one headline, or under none (a column going on from another
page), are the dispatches of one foreign-news column ("Paris, 2. December. ...").
Deck lines read into a body go back to their headings in ocr_decks; an item of a page's
briefs is cut into them in ocr_briefs."""

from __future__ import annotations

import re

from archive.formats.ocr_briefs import BRIEFS_LINES, briefs
from archive.formats.ocr_decks import (
    dateline_out_of_heading,
    deck_tail_lines,
    deck_tail_to_heading,
    heading_from_tail,
    heading_over_dateline,
)
from archive.formats.ocr_heads import (
    column_width,
    headline_type,
    lone_heads,
    sentence_heading,
)
from archive.formats.ocr_items import Item, raw
from archive.formats.ocr_lines import Line, closes_letter, goes_on
from archive.lost_hyphens import marked_break
from archive.model import RawItem
from archive.segmentation.datelines import MONTH
from archive.segmentation.imprints import imprint_box
from archive.segmentation.text_kinds import (
    ad_blocks,
    verse_blocks,
)

MAX_DECK_LINES = 12  # a longer run of headline-type lines is a list or an advertisement
MAX_DECK_WORDS = 60
HEADLINE_GROUP_LINES = 4  # of such a run, the first lines of one type are its headline
CROSSHEAD_AFTER = 6  # body lines a story has before a lone title line may be a crosshead
PROSE = 0.7  # the share of a story's lines in running text, not capitals or title case
DATELINE_AFTER = 3  # body lines an item has before a dateline opens another
SIGNED_LINES, SIGNED_WORDS = 4, 6  # the lines that sign a letter, and their length at most
PARAGRAPH_END = 0.75  # a sentence ending on a line this much shorter than the column
# An item holding this share of the page's lines (and BRIEFS_LINES at least) is cut where
# a block opens with INNER_DECK_LINES lines in capitals or more and goes on in text, once
# INNER_DECK_AFTER body lines stand above.
INNER_DECK_SHARE, INNER_DECK_LINES, INNER_DECK_AFTER = 0.5, 2, 3


def segment(lines: list[Line], blocks: bool, sentence_heads: bool = False) -> list[RawItem]:
    """The items of a page's text lines (furniture already removed), in order; blocks:
    blank lines part the page's OCR blocks; sentence_heads: the page's language sets
    headings in sentence case (sentence_heading)."""
    width = column_width(lines)
    heads = [headline_type(line, width) or (sentence_heads and sentence_heading(line, width))
             for line in lines]
    if blocks:
        lone_heads(lines, heads, width)
    signed = _signed(lines, heads, blocks)
    # Blocks that open a poem: after prose, stanzas are an item of their own (a poem
    # quoted in a story is introduced by a colon).
    verse = verse_blocks(lines) if blocks else set()
    # Blocks that read nearly as verse (a stanza with a garbled line): after one, a stanza
    # goes on with its poem.
    near_verse = (verse | verse_blocks(lines, near=True)) if blocks else set()
    # Blocks that read as advertisements: where text turns to advertising or back at a
    # block's start, one item ends and another begins.
    ads = ad_blocks(lines) if blocks else set()
    items: list[Item] = []
    current: Item | None = None
    i = 0
    while i < len(lines):
        end = _run_end(lines, heads, i, width, blocks)
        previous = lines[i - 1] if i else None
        if end == i:  # a line of text
            line = lines[i]
            # a dispatch under a heading of its own in sentence case: where blocks show
            # it, or on a page of a language that sets headings so
            if (blocks or sentence_heads) and line.dateline and current is not None \
                    and i not in signed \
                    and (heading := heading_over_dateline(current, lines, i, width, blocks)):
                current = Item(heading=heading)
                items.append(current)
                current.add(line, new_paragraph=True)
                i += 1
                continue
            # A dateline opens a dispatch, but not under a signature: there it is the
            # place and date the notice was signed at ("Mill House, March 2."). The
            # signer of a letter opens nothing.
            if current is None or i not in signed and ((
                    line.dateline and not blocks and current.body_lines >= DATELINE_AFTER
                    and not deck_tail_lines(current)
                    and not previous.signature
                    and (previous.ends or previous.block != line.block
                         or line.after_rule)) or (
                    line.block in verse and previous.block != line.block
                    and previous.block not in near_verse and not previous.text.endswith(":")
                    and current.body_lines >= DATELINE_AFTER) or (
                    previous.block != line.block and current.body_lines
                    and (line.block in ads) != (previous.block in ads))):
                current = Item()
                items.append(current)
                if line.dateline and not blocks and len(items) > 1:
                    current.heading, credits = heading_from_tail(items[-2])
                    for credit_line in credits:
                        current.add(credit_line)
            elif line.dateline and current.heading:
                deck_tail_to_heading(current)
            current.add(line, new_paragraph=_paragraph_break(previous, line, width, blocks))
            i += 1
            continue
        following = lines[end] if end < len(lines) else None
        heading, rest = _split_run(lines[i:end], following)
        if current is not None and not current.body_lines and current.heading:
            # A deck under the headline (short rules part the decks of one headline).
            current.heading += heading
        elif _opens_item(heading, current, previous, following):
            current = Item(heading=list(heading))
            items.append(current)
        else:  # a crosshead, or capitals inside a sentence
            new = previous.ends or heading[0].block != previous.block
            for k, head in enumerate(heading):
                current.add(head, new_paragraph=new and k == 0)
        for k, body in enumerate(rest):
            current.add(body, new_paragraph=k == 0)
        i = end
    total = len(lines)
    if blocks:
        items = [part for item in items for part in _inner_decks(item, total, width)]
    return imprint_box([raw(dateline_out_of_heading(part)) for item in items
                        for part in briefs(item, total, blocks)])


def _inner_decks(item: Item, page_lines: int, width: float) -> list[Item]:
    """An item holding half the page or more, where blank lines part the OCR's blocks, cut
    where a block opens with a deck of two lines or more in capitals and goes on in text:
    a headline the OCR set in one block with its story ("ROYAL SOCIETY." / "LETTERS FROM
    THE NILE." / "At the meeting of ..."), so that no item holds a page of stories. One
    capitals line opening a block stays a run-in head or a crosshead of its story."""
    if item.body_lines < BRIEFS_LINES or item.body_lines < INNER_DECK_SHARE * page_lines:
        return [item]
    parts = [Item(heading=item.heading)]
    for paragraph in item.paragraphs:
        deck = 0
        while deck < len(paragraph) and paragraph[deck].caps \
                and headline_type(paragraph[deck], width):
            deck += 1
        if INNER_DECK_LINES <= deck < len(paragraph) \
                and parts[-1].body_lines >= INNER_DECK_AFTER:
            parts.append(Item(heading=paragraph[:deck]))
            paragraph = paragraph[deck:]
        for k, line in enumerate(paragraph):
            parts[-1].add(line, new_paragraph=k == 0)
    return parts


def _run_end(lines: list[Line], heads: list[bool], start: int, width: float,
             blocks: bool) -> int:
    """Where the run of headline lines from start ends (start: none there)."""
    if not heads[start] or (blocks and start and lines[start - 1].block == lines[start].block):
        return start  # with blocks, a run that does not open its block is no headline
    if start and not lines[start - 1].ends and not lines[start].caps \
            and goes_on(lines[start], lines[start - 1]) \
            and not _HEAD_AFTER_STOP.search(lines[start].text):
        return start  # the end of the sentence above ("... as" / "at Buck Creek.")
    end = start + 1
    while end < len(lines) and not lines[end].after_rule and (
            heads[end] or _deck_tail(lines[end - 1], lines[end], width)):
        end += 1
    return _whole_blocks(lines, start, end) if blocks else end


def _deck_tail(previous: Line, line: Line, width: float) -> bool:
    """A line that finishes the deck line above it: "Formerly Minister of Public In" /
    "struction in Great Italian" / "City"."""
    return line.title_tail and not line.dateline and len(line.text) <= width \
        and previous.block == line.block and not previous.caps \
        and (not previous.ends or marked_break(previous.text, line.text))


def _signed(lines: list[Line], heads: list[bool], blocks: bool) -> set[int]:
    """The lines that sign a letter under its close ("I am, &c." / "A CONSERVATIVE."),
    unmarked as headlines: they end the letter and open nothing. That is the signer's line
    under the close (perhaps in a block of its own) and, where blank lines part the
    blocks, the signers' lines of its block, up to SIGNED_LINES ("Yours respectfully," /
    "W. JONES." / "E. B. HALL."); without blocks, the next headline may follow at once."""
    signed: set[int] = set()
    for k in range(1, len(lines)):
        if not closes_letter(lines[k - 1].text):
            continue
        end = k
        while end < len(lines) and end - k < SIGNED_LINES and _signer(lines[end]) \
                and (end == k or blocks and lines[end].block == lines[k].block):
            heads[end] = False
            signed.add(end)
            end += 1
    return signed


def _signer(line: Line) -> bool:
    """Whether a line under a letter's close reads as its signer: a short line that holds
    an initial or ends with a stop ("W. JONES", "A CONSERVATIVE."); not a headline that
    follows where the OCR lost the signer ("LITTLE MOUNTAIN")."""
    words = line.text.split()
    return len(words) <= SIGNED_WORDS and (
        any(len(word) == 2 and word[0].isupper() and word[1] == "." for word in words)
        or line.text.rstrip(" '\"’”|").endswith("."))


def _whole_blocks(lines: list[Line], start: int, end: int) -> int:
    """Where a run of headline-type lines ends when blank lines part the blocks: with the
    last block it fills (start when it fills none)."""
    if start and lines[start - 1].block == lines[start].block:
        return start
    filled = start
    for k in range(start, end):
        if k + 1 == len(lines) or lines[k + 1].block != lines[k].block:
            filled = k + 1
    return filled


def _split_run(run: list[Line], following: Line | None) -> tuple[list[Line], list[Line]]:
    """A run of headline-type lines as (headline deck, body): a long run is a list (names,
    prices) under its first lines of one type; an open last line over a sentence going on
    is that sentence's start ("If D'Amico Angelo, of Lucerne," / "is found guilty")."""
    words = sum(len(line.text.split()) for line in run)
    if len(run) <= MAX_DECK_LINES and words <= MAX_DECK_WORDS:
        heading, rest = list(run), []
    else:
        end = 1
        while end < min(len(run), HEADLINE_GROUP_LINES) and run[end].caps == run[0].caps:
            end += 1
        heading, rest = run[:end], run[end:]
    while len(heading) > 1 and not rest and not heading[-1].caps and heading[-1].open_end \
            and following is not None and following.lower_start:
        rest.insert(0, heading.pop())
    return heading, rest


def _opens_item(heading: list[Line], current: Item | None, previous: Line | None,
                following: Line | None) -> bool:
    """Whether a run of headline-type lines opens a new item rather than going on with
    the current one (a crosshead, a name in capitals inside a sentence)."""
    if current is None or previous is None or heading[0].after_rule:
        return True  # a headline under a cut-off rule
    if following is None:  # the page ends with it: a fragment, kept with what it follows
        return False
    same_block = heading[0].block == previous.block
    if len(heading) == 1 and not heading[0].caps and current.heading and \
            0 < current.body_lines <= 2 and all(
                line.dateline for paragraph in current.paragraphs for line in paragraph):
        # Under a headline and its wire credit ("By United Press."), a line in title case
        # is the dispatch's first, its dateline garbled past reading ("St. Paul, Minu.,
        # Jnly l5. Mata"): no headline opens under a credit.
        return False
    if len(heading) == 1 and same_block and not previous.ends:
        # After a line that goes on: a sentence ("... said the / UNITED STATES /
        # government"), a list or an advertisement's last line ("BRADLEY & CO.").
        return False
    if not any(line.caps for line in heading):
        # Title case only: names and lists ("Jessie Mash to Frank Morano,") are set so
        # too. A headline follows a finished sentence and does not end open, and no
        # sentence goes on under a line of it ("The Woman's Missionary Society" / "will
        # meet next week").
        if heading[-1].open_end or (same_block and not previous.ends) \
                or len(heading) == 1 and goes_on(following, heading[0]) \
                and not _DATED.search(heading[0].text):  # (a dateline the OCR garbled)
            return False
    if len(heading) >= 2 or heading[0].caps or following.dateline or not same_block:
        return True
    # One title-case line between body lines: a crosshead when the story around it is long
    # and goes on after it; a new (short) item otherwise.
    return not (previous.ends and current.heading and current.body_lines >= CROSSHEAD_AFTER
                and _prose(current))


# A sentence's end, then a headline in capitals, on one OCR line ("tion. TIPTON ON THE JOB")
_HEAD_AFTER_STOP = re.compile(r"[.!?]\s+[A-Z]{2}")
# A month and a day, or what the OCR left of one ("Jan. 4.", "Jan. E."): a dispatch's
# dateline, however garbled, not a sentence's opening words
_DATED = re.compile(rf"\b(?i:{MONTH})\.?\s*[,.]?\s*\w{{1,2}}\b")


def _prose(item: Item) -> bool:
    """Whether an item's body is running text (a story a crosshead may part), not a list
    or an advertisement set line by line in capitals and title case."""
    lines = [line for paragraph in item.paragraphs for line in paragraph]
    return sum(1 for line in lines if not line.caps and not line.title) >= PROSE * len(lines)


def _paragraph_break(previous: Line | None, line: Line, width: float, blocks: bool) -> bool:
    if previous is None or previous.block != line.block or line.dateline:
        return True
    return not blocks and previous.ends and len(previous.text) < PARAGRAPH_END * width
