"""Marks the OCR set apart from the words they belong to: punctuation read as a word of
its own inside text ("LINCOLN , Neb"), and specks read off a rule or a bracket at a
heading's ends ("FOUR SHIPS CAPTURED ;"). Every reader's text passes through the shared
finishing (archive.articles), which closes the one up and drops the other."""

from __future__ import annotations

import re

# Punctuation the OCR gave as a word of its own (NDNP's ALTO makes every comma and bracket
# a String: "LINCOLN , Neb , March 3.- [ Special Telegram to the BEE. ]"): a comma,
# semicolon or closing bracket goes to the word before it, an opening bracket to the word
# after it. A lone full stop or colon stays: as often a speck of the scan as a stop.
_SPACED_CLOSER = re.compile(r"(?<=\S) +([,;)\]])(?=\s|$)")
_SPACED_OPENER = re.compile(r"(?:(?<=\s)|^)([(\[]) +(?=\w)")


# Specks the OCR read off a column rule or a bracket at a heading's end, set apart from its
# last word: "FOUR SHIPS CAPTURED ;", "TREVINO HAS ORDER ! -", "BRITISH CAVALRY DEFEATED. ,"
_TRAILING_MARKS = re.compile(r"(?:\s+[,;:|+*^•■—-]{1,2})+$")
# ... and after its last stop or comma: "DEATH OF MR. HARBISON. j", "GOES TO MEET HIS
# MAKER, I", "Sermon. |", "PITTSBURG FIRE. ."
_TRAILING_SPECK = re.compile(r"(?<=[.,;:!?])\s+[!|Ilj.]$")
# Specks before a heading's first word (". RAILROADS TORN UP", "! MARINE KILLED", "|
# FURTHER ADVANCE"); opening quotes, brackets, "¿", "¡", "…" and dashes are its own.
_LEADING_SPECKS = re.compile(r"^(?:[.,;:!?|•■*·]{1,2}\s+)+(?=\S)")
_SPACED_STOP = re.compile(r"(?<=\w)\s+([.!?])$")  # "ADDED TO THE CALAMITY .", "WHAT NEXT ?"
_HEADING_ENDS = ".,;:!?|Ilj+*^•■—-"  # what a heading's last speck may be (the common case: none)


def without_specks(heading: str) -> str:
    """A headline or deck without the specks the OCR read at its ends, its last stop set
    against its word, no comma at its end ("MILLS ARE IDLE,", "South Carolina.,")."""
    if heading[-1:] in _HEADING_ENDS:
        heading = _SPACED_STOP.sub(r"\1", _TRAILING_SPECK.sub("", _TRAILING_MARKS.sub(
            "", heading))).rstrip(",") or heading  # (a heading never ends on a comma)
    return _LEADING_SPECKS.sub("", heading) if heading[:1] in ".,;:!?|•■*·" else heading


def close_up(text: str) -> str:
    """text with its spaced-out commas, semicolons and brackets set against their words
    (most text has none: _spaced_marks tells)."""
    if not _spaced_marks(text):
        return text
    return _SPACED_OPENER.sub(r"\1", _SPACED_CLOSER.sub(r"\1", text))


def close_up_all(paragraphs: list[str]) -> list[str]:
    """close_up for an article's paragraphs: looked for in them all at once (a line break
    between two paragraphs makes none of the marks looked for), each closed up only when
    some hold one; in text that spaces every mark (spaces_every_mark), its full stops too."""
    text = "\n".join(paragraphs)
    if not _spaced_marks(text):
        return paragraphs
    if spaces_every_mark(text):
        return [close_up_stops(close_up(paragraph)) for paragraph in paragraphs]
    return list(map(close_up, paragraphs))


# Text that sets every mark apart as a word (an OCR export that makes each punctuation
# mark a word of its own: RERO's ALTO, "Londres , 1 er . septembre ."): this many spaced
# commas at least, and this share of all its commas. There a lone full stop after a word
# is the sentence's, not a speck.
SPACED_COMMAS, SPACED_SHARE = 5, 0.8
_SPACED_FULL_STOP = re.compile(r"(?<=\w) +(\.)(?= (?!\.)|$)", re.MULTILINE)


def spaces_every_mark(text: str) -> bool:
    """Whether text sets its commas apart as words nearly always (SPACED_COMMAS,
    SPACED_SHARE)."""
    spaced = text.count(" ,")
    return spaced >= SPACED_COMMAS and spaced >= SPACED_SHARE * text.count(",")


def close_up_stops(text: str) -> str:
    """text with a full stop set apart after a word set against it ("septembre ." ->
    "septembre."); an ellipsis (". . .") stays."""
    return _SPACED_FULL_STOP.sub(r"\1", text)


def _spaced_marks(text: str) -> bool:
    """Whether text holds " ,", " ;", " )", " ]", "( " or "[ ". Looking for each pair as
    such costs 2-4 us in 2,000 characters of text beyond Latin-1 (a curly quote is
    enough); finding the rare single marks first and looking beside them costs far less
    (only commas are common: that pair is looked for as such)."""
    if " ," in text:
        return True
    for mark, offset in _MARK_SIDES:
        at = text.find(mark)
        while at >= 0:
            if text[at + offset:at + offset + 1] == " ":  # (at 0: text[-1:0] is "")
                return True
            at = text.find(mark, at + 1)
    return False


_MARK_SIDES = ((";", -1), (")", -1), ("]", -1), ("(", 1), ("[", 1))  # where the space is
