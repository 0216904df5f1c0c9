"""An item of page OCR text that holds most of its page in many short paragraphs, as a
column of local briefs and personals prints them, cut into its briefs (for
archive.formats.ocr_segment); a poem's short lines are no briefs."""

from __future__ import annotations

import itertools

from archive.formats.ocr_items import Item
from archive.formats.ocr_lines import Line
from archive.segmentation.text_kinds import stanzas_joined

# An item of at least BRIEFS_LINES lines and BRIEFS_SHARE of the page in at least
# BRIEFS_PARAGRAPHS paragraphs, half of them no longer than BRIEF_LINES, is a column of
# briefs.
BRIEFS_LINES, BRIEFS_SHARE, BRIEFS_PARAGRAPHS, BRIEF_LINES = 100, 0.4, 12, 5
BRIEF_ENDS = 0.5  # the share of a column's paragraphs (OCR blocks) that end a sentence
# A run of this many lines, this share of them not ending a sentence, opening with capitals,
# is verse where no blank line parts the blocks (_verse_joined)
VERSE_RUN_LINES, VERSE_OPEN = 6, 0.4


def briefs(item: Item, page_lines: int, blocks: bool = False) -> list[Item]:
    """An item holding most of the page in many short paragraphs, as a column of local
    briefs and personals prints them ("Mrs. John Woods left for a few days visit ..."):
    each paragraph is an item of its own, so that no item holds a page of news. Where the
    OCR shows no paragraph, a line ending a sentence before a capital ends one. Verse is
    not briefs: where blank lines part the OCR's blocks, a run of stanzas stays one
    paragraph (a poem's stanzas are short). Nor is a story whose OCR blocks (taken as its
    paragraphs) mostly stop mid-sentence: those blocks are pieces of its columns, where
    each brief ends its sentence."""
    if item.body_lines < BRIEFS_LINES or item.body_lines < BRIEFS_SHARE * page_lines:
        return [item]
    paragraphs = item.paragraphs
    if len(paragraphs) < BRIEFS_PARAGRAPHS:
        body = [line for paragraph in paragraphs for line in paragraph]
        paragraphs = [[body[0]]]
        for previous, line in itertools.pairwise(body):
            if previous.ends and not line.lower_start:
                paragraphs.append([])
            paragraphs[-1].append(line)
    elif blocks and sum(1 for paragraph in paragraphs if paragraph[-1].ends) \
            < BRIEF_ENDS * len(paragraphs):
        return [item]
    paragraphs = stanzas_joined(paragraphs) if blocks else _verse_joined(paragraphs)
    sizes = sorted(len(paragraph) for paragraph in paragraphs)
    if len(sizes) < BRIEFS_PARAGRAPHS or sizes[len(sizes) // 2] > BRIEF_LINES:
        return [item]
    parts = []
    for paragraph in paragraphs:
        part = Item(heading=item.heading if not parts else [])
        for line in paragraph:
            part.add(line)
        parts.append(part)
    return parts


def _verse_joined(paragraphs: list[list[Line]]) -> list[list[Line]]:
    """Where no blank line parts the OCR's blocks, a poem's lines read as paragraphs of a
    line or two: each run of them (VERSE_RUN_LINES lines at least, every one opening with
    a capital, none ending in a hyphen, VERSE_OPEN of them going on past their end with a
    comma or nothing) is one paragraph, not a column of briefs. A run of one-line briefs
    ends each line with a full stop."""
    out: list[list[Line]] = []
    run: list[list[Line]] = []

    def close() -> None:
        lines = [line for paragraph in run for line in paragraph]
        if len(lines) >= VERSE_RUN_LINES and \
                sum(1 for line in lines if not line.ends) >= VERSE_OPEN * len(lines):
            out.append(lines)
        else:
            out.extend(run)
        run.clear()

    for paragraph in paragraphs:
        if all(not line.lower_start and not line.text.endswith("-") for line in paragraph):
            run.append(paragraph)
        else:
            close()
            out.append(paragraph)
    close()
    return out
