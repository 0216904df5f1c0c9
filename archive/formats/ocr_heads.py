"""Which lines of page OCR text are set as headlines (for archive.formats.ocr_segment):
in capitals or title case, a letter's heading, a short heading in sentence case where the
page's language sets them so, and a short line heading a block of its own over text."""

from __future__ import annotations

import re

from archive.formats.ocr_lines import Line, opens_letter
from archive.furniture import SMALL_WORDS
from archive.segmentation.text_kinds import PRICE

LISTED_NAMES = 2  # initials and commas in a title-case line of a list of names, at least
SENTENCE_HEAD_WORDS = 4  # the most words of a heading in sentence case (sentence_heading)
LONE_BLOCK_LINES = 3  # a block of more lines does not stand as a headline
LONE_DECKS = 2  # blocks of deck lines a lone headline may stand over, above its text
LONE_WORDS, LONE_DECKED_WORDS = 6, 12  # the most words of a lone headline, over a deck
LONE_BODY_LETTERS = 40  # a headline stands over a block of text that holds this many


def column_width(lines: list[Line]) -> float:
    """The length of a full line of body text: most body lines are as long or shorter."""
    body = sorted(len(line.text) for line in lines if not line.caps and not line.title)
    if len(body) < 5:
        body = sorted(len(line.text) for line in lines)
    return float(body[int(0.8 * (len(body) - 1))]) if body else 40.0


def headline_type(line: Line, width: float) -> bool:
    """Set like a headline: capitals or title case, no dateline, not over the column (a
    capitals line may span several), not a signature (which ends the item above it); or
    a letter's heading ("To the Editor of the Standard:")."""
    if line.letters < 3 or line.dateline or line.signature:
        return False
    if opens_letter(line.text):
        return len(line.text) <= 1.5 * width  # "To the Editor of ...", in any type
    if line.caps:
        return len(line.text) <= 150
    # A title-case line ending in a price is a line of a price list ("Men's Wool Suits
    # $9.75"); a deck may name a sum ("For $10,000 Must Be Heard").
    return line.title and len(line.text) <= 1.15 * width and not _priced(line.text) \
        and not _names_listed(line.text)


def sentence_heading(line: Line, width: float) -> bool:
    """A heading in sentence case, as papers in French, German and most languages but
    English set them ("Revue politique.", "Nicht amtlicher Theil.", "Zeitungsnachrichten."):
    a short line of SENTENCE_HEAD_WORDS words at most, half a column at most, opening with
    a capital and ending with a stop (or a question, or a cry: "Vive la paix!"), no
    figure."""
    text = line.text
    return not line.dateline and not line.signature and not line.lower_start and \
        text.endswith((".", "!", "?")) and line.letters >= 4 and len(text) <= 0.5 * width and \
        len(text.split()) <= SENTENCE_HEAD_WORDS and not _DIGIT.search(text)


_DIGIT = re.compile(r"\d")


def _names_listed(text: str) -> bool:
    """Whether a title-case line is a line of a list of names: LISTED_NAMES initials at
    least, parted by commas or semicolons ("Nelson, N. A. Pearson and E. H. Fox,", "E. J.
    Marty, Inspector; O. W. Marty and R. M. Murphy.")."""
    return len(_PARTS.findall(text)) >= LISTED_NAMES and \
        len(_INITIAL.findall(text)) >= LISTED_NAMES


_PARTS = re.compile(r"[,;]")
_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.")


def _priced(text: str) -> bool:
    """Whether a line ends in a price: one among its last two words."""
    return any(PRICE.search(word) for word in text.split()[-2:])


def lone_heads(lines: list[Line], heads: list[bool], width: float) -> None:
    """Mark as headlines the short lines that head a block of their own, alone or over
    no more than a deck in headline type, with a block of text under them: a headline the
    OCR garbled out of its type ("*alto bp auction." for "Sales by Auction.", "Emporto."
    over "EAST INDIES," for "Imports.": black letter read as lower case). A line that
    reads as text is none (_reads_on); nor is a line over fragments (a torn column's
    "I tho" over "\\ I")."""
    k = 0
    while k < len(lines):
        end = _block_end(lines, k)
        line = lines[k]
        text_at = _past_decks(lines, heads, end) if all(heads[k + 1:end]) else end
        # over a deck, a headline may run longer ("Le Généralissime de demain. -- Le
        # Général Michel en promenade" over "CHAQUE MATIN LE GÉNÉRAL SE PROMÈNE ...")
        most = LONE_DECKED_WORDS if text_at > k + 1 else LONE_WORDS
        if end - k <= LONE_BLOCK_LINES and all(heads[k + 1:end]) and not heads[k] \
                and len(line.text) <= 0.6 * width and len(line.text.split()) <= most \
                and line.letters >= 4 and not line.lower_start and not line.dateline \
                and not line.signature \
                and not _reads_on(lines, heads, k, end) and _text_block(lines, text_at):
            heads[k] = True
        k = end


def _reads_on(lines: list[Line], heads: list[bool], k: int, end: int) -> bool:
    """Whether the first line of the block lines[k:end] reads as text, not a headline:
    over a deck, a line that goes on from the line above ("Sir Charles Flower, Bart. and"
    / "Alderman.") or a sentence in lower case ("Their Lordships then adjourned." over
    "HOUSE OF COMMONS."); alone, a line after a comma or a hyphen, or one in lower case
    without a stop after a sentence left open ("committal" / "The first witness called
    was")."""
    line = lines[k]
    above = lines[k - 1] if k else None
    lowered = sum(1 for word in line.text.split()
                  if word[0].islower() and word.lower() not in SMALL_WORDS) >= 2
    if end - k > 1:
        return lowered or (above is not None and above.open_end)
    if above is None:
        return False
    if above.text.endswith((",", "-")):
        return True
    return lowered and not (above.ends or heads[k - 1]) \
        and not line.text.endswith((".", ":", "!", "?"))


def _past_decks(lines: list[Line], heads: list[bool], start: int) -> int:
    """Where the first block from start that is not a deck begins: past LONE_DECKS
    blocks at most whose lines are all in headline type (a headline's deck set as blocks
    of their own: "L'anniversaire d'un grand artiste" over "LE MAITRE RODIN DANS SON
    ATELIER" over the text)."""
    for _ in range(LONE_DECKS):
        end = _block_end(lines, start)
        if end == start or end - start > LONE_BLOCK_LINES or not all(heads[start:end]):
            break
        start = end
    return start


def _text_block(lines: list[Line], start: int) -> bool:
    """Whether the block that begins at start holds text (LONE_BODY_LETTERS letters)."""
    return sum(line.letters for line in lines[start:_block_end(lines, start)]) \
        >= LONE_BODY_LETTERS


def _block_end(lines: list[Line], start: int) -> int:
    """Where the block that begins at start ends (start itself past the last line)."""
    end = start
    while end < len(lines) and lines[end].block == lines[start].block:
        end += 1
    return end
