"""What each piece of a page is, read in reading order (segmentation.stories makes items
of them): a heading (set large, in capitals, centred, or a line of a few words standing
on its own over a paragraph), an advertisement (prices, trade words, centred lines), a
picture's caption (segmentation.captions), or running text; and the two relations of
pieces that tell it, lying in one column and lying just under another."""

from __future__ import annotations

import itertools

from archive.layout import horizontal_overlap
from archive.segmentation.captions import CAPTION
from archive.segmentation.headlines import (
    Typography,
    ad_score,
    caps_share,
    centred_lines,
    heading_form,
    short,
    wordy,
)
from archive.text import CLOSERS

AD_SCORE = 1.0
NEAR = 3.0  # line heights: a deck lies this close under its headline
SAME_COLUMN = 0.8  # the share of the narrower column's x-range two columns share
RUN_IN_WORDS = 8  # the most words of a heading set at body size on a line of its own


def classify(pieces: list, typo: Typography, width: float = 0.0) -> None:
    """Set each piece's form (heading, advertisement, body) from its text and shape in
    its column. A piece in a column less than half as wide as the page's columns of text
    (width) is a sliver (the cut edge of the facing page, a margin note): no heading."""
    for piece in pieces:
        left, right = piece.left, piece.right
        piece.sliver = width > 0 and right - left < 0.5 * width and (
            piece.box is None or piece.box.width < 0.5 * width)
        if piece.sliver:
            continue
        if piece.role == CAPTION:
            piece.form = CAPTION
            continue
        if piece.role == "advertisement" or (len(piece.lines) >= 2 and ad_score(
                piece.signs, centred_lines(piece.lines, left, right, typo.unit))
                >= AD_SCORE):
            piece.form = "advertisement"
            continue
        heading, big = heading_form(piece.lines, piece.texts, piece.box, left, right, typo)
        if heading:
            piece.form, piece.big = "heading", big
    for n, piece in enumerate(pieces):
        if piece.form == "body" and not piece.sliver and run_in_heading(
                pieces[n - 1] if n else None, piece,
                pieces[n + 1] if n + 1 < len(pieces) else None, typo):
            piece.form = "heading"
    for above, below in itertools.pairwise(pieces):
        # A headline of two or three lines in capitals whose first lines fill the column
        # and whose last is short and centred ("THE ROMANTIC DOUBLE SUICIDE IN" over
        # "PARIS."): the lines over the centred one are the headline's too.
        if below.form == "heading" and above.form == "body" and not above.sliver and \
                len(above.lines) <= 2 and adjacent(above, below, typo) and \
                caps_share(" ".join(above.texts)) >= 0.7 and wordy(" ".join(above.texts)) \
                and not above.texts[-1].rstrip().endswith((".", "!", "?")):
            above.form, above.big = "heading", below.big


def run_in_heading(above, piece, below, typo: Typography) -> bool:
    """A heading set at body size in a line of its own, not centred ("Le temps qu'il a
    fait" over the paragraph it names, as many European papers head each item of a
    column of brief news): one short line of a few words opening in a capital, with no
    full stop, comma or hyphen at its end; the text under it in its column opens in a
    capital; and the text over it (if any) ends a sentence."""
    if len(piece.lines) != 1 or below is None or below.form != "body" or \
            len(below.lines) < 2 or not adjacent(piece, below, typo):
        return False
    text = piece.texts[0].strip()
    words = text.split()
    if not 1 <= len(words) <= RUN_IN_WORDS or not wordy(text) or \
            text.endswith((".", ",", "-", ";", ":", "!", "?")):
        return False
    first = next((c for c in text if c.isalnum()), "")
    if not first.isupper() or not short(piece.box, piece.left, piece.right):
        return False
    if piece.box is None or piece.box.left - piece.left > 0.5 * (piece.right - piece.box.right):
        return False  # set to the right: a signature, not a heading
    opening = next((c for c in below.texts[0] if c.isalnum()), "")
    if not (opening.isupper() or opening.isdigit()):
        return False
    if above is not None and above.form == "body" and same_column(above, piece):
        # (a sentence may end inside quotes or brackets: '... la preuve.“', "(sic.)")
        last = above.texts[-1].rstrip().rstrip(CLOSERS) if above.texts else ""
        if not last.endswith((".", "!", "?", "…")):
            return False
    return True


def same_column(a, b) -> bool:
    """Whether two pieces stand in the same column of the page: their columns' x-ranges
    cover each other (a band may part a column's pieces into paths of their own)."""
    if a.placed is None or b.placed is None:
        return False
    width = min(a.right, b.right) - max(a.left, b.left)
    narrower = min(a.right - a.left, b.right - b.left)
    return narrower > 0 and width >= SAME_COLUMN * narrower


def adjacent(above, below, typo: Typography) -> bool:
    """Whether a piece lies just under another, in its column."""
    if above.box is None or below.box is None:
        return above.placed is not None and below.placed is not None and \
            above.placed.column == below.placed.column
    # (the boxes of lines in type set large overlap by more than a body line: a banner's
    # lines of 800 units stand 640 apart)
    overlap = max(typo.unit, 0.5 * min(above.box.height, below.box.height))
    return horizontal_overlap(above.box, below.box) >= 0.5 and \
        -overlap <= below.box.top - above.box.bottom <= NEAR * typo.unit
