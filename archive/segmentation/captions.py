"""Captions: the few lines a page prints under a picture (a portrait's "PRESIDENT
ROOSEVELT."). Read as running text they end up in whichever article stands nearest, or
make an advertisement of a line in capitals and a centred credit; they are items of
their own, kind "other", and the article they interrupt reads on past them
(stories.assemble).

A source may say which blocks are captions (hOCR ocr_caption, PAGE caption regions, an
ALTO ComposedBlock of a picture and its lines: Block.role "caption"); it is believed where
the block stands by a picture (Page.pictures): Tesseract calls lines of running text
captions, and its hOCR marks no picture. Where the source does not say,
as Chronicling America's ALTO sets its pictures apart from the lines under them, a caption
is told by its place: the first piece under a picture, within CAPTION_GAP line heights
of its lower edge, lying inside its width, short (CAPTION_LINES, CAPTION_WORDS), not set
as a headline and with no text straight under it (then it heads that text)."""

from __future__ import annotations

from collections.abc import Sequence

from archive.layout import Box, bounds
from archive.segmentation.headlines import Typography, caps_share, size_ratio, wordy

CAPTION = "caption"
CAPTION_GAP = 2.0  # line heights between a picture's lower edge and its caption's top
CAPTION_LINES = 4
CAPTION_WORDS = 60
PICTURE_SIDE = 3.0  # line heights: a smaller picture is an ornament (a dingbat, a rule's end)
INSIDE = 0.8  # the share of a caption's width that lies within its picture's
HEADLINE_SIZE = 1.5  # type this many times the body's size is a headline, not a caption


def mark_captions(pieces: Sequence, pictures: Sequence[Box], typo: Typography) -> None:
    """Give the piece under each picture that reads as its caption the role "caption";
    a piece the source calls a caption that stands by no picture loses the role
    (Tesseract calls lines of running text captions)."""
    unit = typo.unit
    declared = [p for p in pieces if p.role == CAPTION]
    # beside a picture, or beside a caption that is (a caption's lines in several blocks)
    held = [p for p in declared if any(_beside(p.box, picture, unit) for picture in pictures)]
    waiting = [p for p in declared if all(p is not q for q in held)]
    while grown := [p for p in waiting if any(
            q.box is not None and _beside(p.box, q.box, unit) for q in held)]:
        held += grown
        waiting = [p for p in waiting if all(p is not q for q in grown)]
    for piece in waiting:
        piece.role = None
    for picture in pictures:
        if picture.width < PICTURE_SIDE * unit or picture.height < PICTURE_SIDE * unit:
            continue
        below = [p for p in pieces if p.box is not None and _inside(p.box, picture)
                 and picture.bottom - unit <= p.box.top <= picture.bottom + CAPTION_GAP * unit]
        if not below:
            continue
        piece = min(below, key=lambda p: p.box.top)
        # (a block read as several pieces, a line in capitals over the rest, is one caption)
        parts = [p for p in pieces if p is piece or (piece.block and p.block == piece.block)]
        if piece.role is None and sum(len(p.lines) for p in parts) <= CAPTION_LINES and \
                sum(len(t.split()) for p in parts for t in p.texts) <= CAPTION_WORDS and not (
                    (ratio := size_ratio(piece.lines, typo)) is not None
                    and ratio >= HEADLINE_SIZE) and not _text_under(parts, pieces, unit):
            for part in parts:
                part.role = CAPTION


def caption_title(blocks: tuple[tuple[str, ...], ...]
                  ) -> tuple[str | None, tuple[tuple[str, ...], ...]]:
    """A caption's opening lines in capitals over the rest ("PRESIDENT ROOSEVELT." over
    "(Copyright: 1903: By Rockwood.)") are its title, and the rest its text; a caption
    all in capitals, or with none, keeps its lines (the archive titles it by its first
    words)."""
    lines = [line for block in blocks for line in block]
    title = 0
    while title < len(lines) and caps_share(lines[title]) >= 0.7 and wordy(lines[title]):
        title += 1
    if title == 0 or title == len(lines):
        return None, blocks
    rest, skip = [], title
    for block in blocks:
        kept = block[skip:]
        skip = max(0, skip - len(block))
        if kept:
            rest.append(kept)
    return " ".join(lines[:title]), tuple(rest)


def pictured_story(head, caption, pictures: Sequence[Box], unit: float) -> bool:
    """Whether a caption is the text of the headline over its picture (a photograph's
    story, as picture papers print one): a picture stands just under the headline and
    just over the caption."""
    if head.box is None or caption.box is None:
        return False
    return any(_inside(caption.box, picture)
               and min(head.box.right, picture.right) > max(head.box.left, picture.left)
               and picture.top - CAPTION_GAP * unit <= head.box.bottom <= picture.top + unit
               and picture.bottom - unit <= caption.box.top
               <= picture.bottom + CAPTION_GAP * unit for picture in pictures)


def _text_under(parts: list, pieces: Sequence, unit: float) -> bool:
    """Whether text follows a caption's pieces at once, under them (within a line height,
    across half their width at least): they head that text (a headline set under a
    picture: the weather report's under its map), they do not caption the picture."""
    box = bounds([p.box for p in parts if p.box is not None])
    mine = {id(p) for p in parts}
    return box is not None and any(
        id(other) not in mine and other.box is not None
        and box.bottom - unit <= other.box.top <= box.bottom + unit
        and other.box.top > box.top
        and min(other.box.right, box.right) - max(other.box.left, box.left) >= 0.5 * box.width
        for other in pieces)


def _beside(box: Box | None, picture: Box, unit: float) -> bool:
    """Whether a box lies against a picture: over, under or inside it (a caption printed
    on the picture), or beside it, within CAPTION_GAP line heights, overlapping it."""
    if box is None:
        return False
    gap = CAPTION_GAP * unit
    across = min(box.right, picture.right) - max(box.left, picture.left)
    down = min(box.bottom, picture.bottom) - max(box.top, picture.top)
    return (across > 0 and down > -gap) or (down > 0 and across > -gap)


def _inside(box: Box, picture: Box) -> bool:
    overlap = min(box.right, picture.right) - max(box.left, picture.left)
    return box.width > 0 and overlap >= INSIDE * box.width
