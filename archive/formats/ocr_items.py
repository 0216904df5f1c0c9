"""The items the plain-text segmenter (archive.formats.ocr_segment) gathers, line by line,
and what each becomes for the shared finishing: a raw item with its headline, deck,
byline, paragraphs and kind."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.articles import BYLINE, split_byline
from archive.formats.ocr_lines import Line
from archive.given_names import given_name
from archive.lost_hyphens import join_marked
from archive.model import RawItem
from archive.segmentation.text_kinds import (
    CLASSIFIED_HEAD,
    DEBRIS_WORDS,
    FRAGMENT_WORDS,
    NOTICE_HEAD,
    NOTICE_TEXT,
    ad_like,
    debris,
)
from archive.text import join_lines
from archive.unspaced import count_words

BYLINE_WORDS = 8  # a byline under a deck is no longer


# An initial or a title ("CARL D. GROAT", "W. G. Shepherd", "Mr. JAMES HOLT"): a person
_INITIAL = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Messrs|Dr|Rev|Capt|Col|Gen|Prof|Hon|Lieut|Sir|"
                      r"Miss|Mme|Mlle)\.|\b(?:Sir|Miss)\b", re.IGNORECASE)
_PARTICLES = frozenset("de da del della di du la le van von der den ten ter y".split())
_SENTENCE_END = (".", "!", "?", '"', "”", "'")


def _deck_byline(line: str, above: str) -> str | None:
    """The name of a byline set as a deck's last line, or None. A deck's phrase may go on
    with "by" ("HAVOC WROUGHT" / "BY AIR TORPEDOES", "Caught" / "By Tree Roots.", "by That
    Time."): a byline names a person in two words at least, with an initial ("BY CARL D.
    GROAT."), a given name ("BY CLARENCE BAKER", archive.given_names) or a title ("By Mr.
    JAMES HOLT,"), or in capitals after "By" set otherwise ("By OLIVE KENNET."), or, in
    title case, under a deck line in capitals or one that ended its sentence; never with
    a word in lower case but a name's particle ("Result of Recount or Not")."""
    match = BYLINE.match(line)
    if match is None or len(line.split()) > BYLINE_WORDS or line.lstrip().startswith("by"):
        return None
    words = match["name"].rstrip(" .,").split()
    while len(words) > 2 and len(words[-1]) == 1 and not words[-1].isupper():
        words.pop()  # a speck after the name ("W. A. DELZELL j")
    name = " ".join(words).rstrip(" .,")
    if len(words) < 2 or any(w[:1].islower() and w not in _PARTICLES for w in words):
        return None
    capitals = name.upper() == name
    if _INITIAL.search(name) or given_name(words[0]) \
            or (capitals and line.lstrip().startswith("By ")) \
            or (not capitals and (above.rstrip().endswith(_SENTENCE_END) or above.isupper())):
        return name
    return None


@dataclass
class Item:
    """An item as the segmenter gathers it: its heading lines, its paragraphs' lines."""

    heading: list[Line] = field(default_factory=list)
    paragraphs: list[list[Line]] = field(default_factory=list)
    body_lines: int = 0

    def add(self, line: Line, new_paragraph: bool = False) -> None:
        if new_paragraph or not self.paragraphs:
            self.paragraphs.append([])
        self.paragraphs[-1].append(line)
        self.body_lines += 1


def _kind(item: Item) -> str:
    """article, advertisement or notice, from what the item's words and type look like."""
    lines = item.heading + [line for paragraph in item.paragraphs for line in paragraph]
    if item.heading and NOTICE_HEAD.search(" ".join(line.text for line in item.heading)) \
            or NOTICE_TEXT.search(" ".join(line.text for line in lines[:6])):
        return "notice"
    if item.heading and CLASSIFIED_HEAD.match(" ".join(line.text for line in item.heading)):
        return "advertisement"  # under a classified column's heading ("AMUSEMENTS.")
    if any(line.dateline for line in lines[:len(item.heading) + 2]):
        return "article"  # a dispatch, whatever prices it quotes
    if ad_like(lines):
        return "advertisement"
    # a word or three the OCR read off a cut, a rule or a torn edge ("LYNCHERS" / "hang
    # sor"), or broken letters (text_kinds.debris): kept searchable, not an article (as
    # the layout readers have it)
    words = sum(count_words(line.text) for line in lines)
    # (a line holds a word at least: past DEBRIS_WORDS lines an item is no debris)
    return "other" if words < FRAGMENT_WORDS or debris(" ".join(
        text for line in lines[:DEBRIS_WORDS] for text in (line.text, *line.garbled))) \
        else "article"


def raw(item: Item) -> RawItem:
    """The raw item: headline (the first lines of one type), subtitle (the rest of the
    deck), the byline printed under it ("By Associated Press."), paragraphs as their
    printed lines."""
    heading = [line.text for line in item.heading]
    # garbled lines are text: under a heading line, the text's first
    blocks = tuple(tuple(text for line in paragraph for text in (line.text, *line.garbled))
                   for paragraph in item.paragraphs if paragraph)
    under_heading = tuple(text for line in item.heading for text in line.garbled)
    if under_heading:
        blocks = ((*under_heading, *blocks[0]), *blocks[1:]) if blocks else (under_heading,)
    kind = _kind(item)
    if not blocks:  # a headline over nothing: its lines are the item's text
        return RawItem(blocks=(tuple(heading),), kind=kind if kind != "article" else "other")
    byline = role = None
    if len(heading) > 1 and (name := _deck_byline(heading[-1], heading[-2])):
        byline, role = split_byline(name)
        heading.pop()
    first = 1
    while first < len(heading) and item.heading[first].caps == item.heading[0].caps:
        first += 1
    headline = join_lines("\n".join(join_marked(heading[:first]))) if heading else None
    subtitle = join_lines("\n".join(join_marked(heading[first:]))) if heading[first:] \
        else None
    return RawItem(blocks=blocks, headline=headline, subtitle=subtitle, byline=byline,
                   byline_role=role, kind=kind)
