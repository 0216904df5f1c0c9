"""Section headings of a page read by its layout: a heading of a few words in capitals,
with no text of its own, standing apart over an article's headline in its column
("FEUILLETON.", "FOREIGN INTELLIGENCE."), names the section of the items under it."""

from __future__ import annotations

from archive.furniture import section_name
from archive.layout import horizontal_overlap
from archive.model import RawItem
from archive.segmentation.headlines import Typography, caps_share, notice_heading, wordy
from archive.segmentation.pieces import pieces_text

SECTION_WORDS = 5  # a section heading is a name of a few words
SECTION_GAP = 6.0  # line heights: a section heading stands further above its first
#                    headline than a headline above its deck, with space around it


def sections(drafts: list, items: list[RawItem], typo: Typography
             ) -> tuple[set[int], dict[int, str | None]]:
    """(the drafts that are section headings, the section of each draft under one). A
    section heading ("FEUILLETON.", "FOREIGN INTELLIGENCE.") is a heading of a few words
    with no text of its own, with an article's headline just under it in its column. Its
    section holds the items that follow it in reading order while they stand in its
    column (their first piece under it, sharing most of its width), up to the next
    section heading; one that holds none stays an item."""
    headings: set[int] = set()
    section_of: dict[int, str | None] = {}
    current = None  # the heading's draft, box and name
    for n, draft in enumerate(drafts):
        if n + 1 < len(drafts) and items[n + 1].kind == "article" and \
                _section_heading(draft, drafts[n + 1], typo):
            current = (draft, draft.heads[-1].box, section_name(pieces_text(draft.heads)))
            continue
        first = (draft.heads + draft.decks + draft.body)[0]
        if current is not None and first.box is not None and first.box.top >= current[1].top \
                and horizontal_overlap(current[1], first.box) >= 0.5:
            headings.add(id(current[0]))
            section_of[id(draft)] = current[2]
        else:
            current = None
    return headings, section_of


def _section_heading(draft, following, typo: Typography) -> bool:
    """Whether a draft is a section heading over the article draft that follows it."""
    if draft.body or draft.decks or not following.heads:
        return False
    text = pieces_text(draft.heads)
    head, under = draft.heads[-1], following.heads[0]
    # A name in capitals: not a line of an advertisement set large ("Head-to-Foot",
    # "whether COMMERCIAL, ...") nor a heading over notices.
    if head.box is None or under.box is None or len(text.split()) > SECTION_WORDS or \
            not text[:1].isupper() or "," in text or not wordy(text) or \
            caps_share(text) < 0.7 or notice_heading(text):
        return False
    return horizontal_overlap(head.box, under.box) >= 0.5 and \
        -0.5 * typo.unit <= under.box.top - head.box.bottom <= SECTION_GAP * typo.unit
