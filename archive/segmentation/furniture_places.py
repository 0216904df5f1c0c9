"""Page furniture found by position on an OCR page laid out without a METS structure:
the masthead band at the top of a front page (a title in huge type, or a row of short
lines printing the volume, day and price under a title of any size), and folio lines and
running heads at the top and bottom edges. What each prints is told by furniture.py."""

from __future__ import annotations

import re
import statistics

from archive import furniture
from archive.layout import Box, horizontal_overlap
from archive.model import Stripped
from archive.segmentation.furniture import (
    DAY_NAME,
    dated_head,
    folio_page,
    is_jump,
    is_noise,
    is_rule_text,
    printed_date,
)
from archive.segmentation.headlines import HUGE, Typography, caps_share, size_ratio, wordy

# What a masthead band prints besides the title: volume and number, date, price.
MASTHEAD_WORDS = re.compile(
    r"\b(?:vol(?:ume)?\.?\s*[\divxlc]+|no\.?\s*\d+|n[°ro]\.?\s*\d+|price|cents?|penny|"
    r"pence|one\s+cent|two\s+cents|jahrgang|abonnement|prix|preis|established|"
    r"(?:18|19|20)\d\d)\b", re.IGNORECASE)

# The kinds of thing a front page's folio band prints under the title ("VOL. I. No. 8. ...
# SATURDAY, SEPTEMBER 22, 1855 ... ONE PENNY"): a band printing two kinds is furniture.
# (A day's name counts with the date, as one kind: an inside page's running head prints
# both.)
_BAND_MARKS = (
    # (the year of the paper's run counts here: "SIXTEENTH YEAR", "37te Aargang", "42e
    # année"; the OCR reads "YEAR" as "YEAE", "YEAH" or "YEAK", "NUMBER" as "NUMBEK")
    re.compile(r"\b(?:vol(?:ume)?\.?\s*[\divxlc]+|no\.?\s*\d+|n[°ro]\.?\s*\d+|"
               r"numbe[rk]\s*\d+|jahrg(?:ang)?\.?|nummer|numéro|whole\s+number|"
               r"(?:\w+(?:th|st|nd|rd|te|e)|first|second|third)\s+(?:yea[rhek]|aargang|"
               r"årgang|jaargang|année)|aargang|årgang|jaargang)\b", re.IGNORECASE),
    re.compile(r"\b(?:price|cents?|penny|pence|halfpenny|one\s+cent|two\s+cents|prix|preis|"
               r"centimes|pfennig|sous?|kreuzer|stamped|unstamped)\b|\b\d{1,2}\s?[½¼¾]?d\.",
               re.IGNORECASE),  # (and pence: "7d.", "4½d.")
    re.compile(r"\b(?:established|estab\.|registered|founded|gegründet|fondé)\b",
               re.IGNORECASE),
)

# A masthead's title lies in this top share of the text area; folios and running heads in
# this share at the top or bottom edge.
MASTHEAD_ZONE = 0.2
EDGE_ZONE = 0.06
MASTHEAD_REACH = 2.5  # line heights below the band that its date and price lines may lie
EAR_LINES = 6  # the most lines of an ear beside the title read with the band
TALL_HEAD = 4.0  # line heights: the tallest line of a running head that prints a date


def strip_furniture(pieces: list, rules: list[Box], typo: Typography,
                    stripped: list[Stripped]) -> tuple[list, int | None]:
    """The pieces that are not furniture, and the page number a folio printed. Stripped
    pieces are recorded in `stripped`; rules read as text join `rules`."""
    keep = []
    for piece in pieces:
        text = " ".join(piece.texts)
        if all(is_rule_text(t) for t in piece.texts):
            stripped.append(Stripped("rule", text))
            if piece.box is not None and piece.box.width >= 4 * max(piece.box.height, 1e-9):
                rules.append(piece.box)
        elif piece.role != "advertisement" and is_noise(piece.texts):
            stripped.append(Stripped("noise", text))
        elif len(piece.texts) <= 2 and all(is_jump(t) for t in piece.texts):
            stripped.append(Stripped("jump", text))
        else:
            keep.append(piece)
    boxed = [p for p in keep if p.box is not None]
    # The text area, from pieces of some size: a speck at the scan's edge is no margin.
    sized = [p for p in boxed if len(p.lines) >= 2 or sum(len(t) for t in p.texts) >= 12]
    if not sized:
        return keep, None
    area = sized[0].box
    for p in sized[1:]:
        area = area.union(p.box)
    masthead = _masthead(boxed, area, typo)
    folios, page = _edges([p for p in boxed if id(p) not in masthead], area, typo)
    # The band may lie at the top edge (the title above it a picture): its lines are the
    # masthead's, but for a folio printing the page's number.
    numbered = {id(p) for p in boxed if id(p) in folios and folio_page(" ".join(p.texts))}
    masthead |= _folio_band([p for p in boxed if id(p) not in masthead], area, typo) - numbered
    out = []
    for piece in keep:
        if id(piece) in masthead:
            stripped.append(Stripped("masthead", " ".join(piece.texts)))
        elif id(piece) in folios:
            stripped.append(Stripped("folio", " ".join(piece.texts)))
        else:
            out.append(piece)
    return out, page


def _ratio(piece, typo: Typography) -> float:
    """How much larger than the body a piece's type is, by font size or line height."""
    ratio = size_ratio(piece.lines, typo)
    if ratio is None:
        heights = [line.box.height for line in piece.lines if line.box is not None]
        ratio = statistics.median(heights) / typo.unit if heights else 0.0
    return ratio


def _masthead(pieces: list, area: Box, typo: Typography) -> set[int]:
    """The pieces of a front page's masthead band: a title in huge type near the top,
    what lies beside and above it, and the volume, date and price lines just below."""
    zone = area.top + MASTHEAD_ZONE * area.height
    titles = [p for p in pieces if p.box.top < zone and _lines(p) <= 3
              and p.box.width >= 0.2 * area.width and _ratio(p, typo) >= HUGE
              and not _beside_text(p, pieces)]
    if not titles:
        return set()
    bottom = max(p.box.bottom for p in titles)
    band = {id(p) for p in pieces if (p.box.top + p.box.bottom) / 2 < bottom
            and len(p.lines) <= 5}
    widening = True
    while widening:
        widening = False
        for p in pieces:
            if id(p) in band or p.box.top > bottom + MASTHEAD_REACH * typo.unit \
                    or len(p.lines) > 5:
                continue
            text = " ".join(p.texts)
            # Its volume, date and price lines (they may lie between rules); not the text
            # under it, which may be the page's first article.
            if MASTHEAD_WORDS.search(text) or printed_date(text) is not None:
                band.add(id(p))
                bottom = max(bottom, p.box.bottom)
                widening = True
    # A masthead prints its number, date or price: without them, large type across the
    # top is the page's first headline.
    says = [p for p in pieces if id(p) in band and (MASTHEAD_WORDS.search(" ".join(p.texts))
                                                    or printed_date(" ".join(p.texts)))]
    return band if says else set()


def _folio_band(pieces: list, area: Box, typo: Typography) -> set[int]:
    """The band of short lines a front page prints across the page under its title (its
    volume and number, day and date, price, year of founding), with everything above it:
    told by what it prints, not by the title's size (an OCR'd title is often garbled,
    or read in pieces of ordinary height). A row of pieces of a line or two in the top
    share of the page, side by side, printing two kinds of band matter (_band_marks) with
    no running text beside them. Nothing but the title and its ears lies above such a
    band: those pieces are the masthead too."""
    zone = area.top + MASTHEAD_ZONE * area.height
    # (an ear of a few lines that prints band matter itself, "ONE CENT." and the day's date
    # under the circulation, is read with the band: the OCR often gives the two as one)
    short = sorted((p for p in pieces if p.box.top < zone and (len(p.lines) <= 2 or (
        len(p.lines) <= EAR_LINES and _band_marks(" ".join(p.texts)) >= 2))),
        key=lambda p: p.box.top)
    for seed in short:
        # the row of the seed's first line (a piece may hold a line of the band and the
        # headline under it, read together), or of all an ear's lines
        span = _first_line(seed) if len(seed.lines) <= 2 else seed.box
        top, bottom = span.top, span.bottom
        row = [p for p in short if _across(_first_line(p), top, bottom)]
        if len(row) < 2 and seed.box.width < 0.5 * area.width:
            continue  # one short line is a band only when it spans the page
        top = min(_first_line(p).top for p in row)
        bottom = max(_first_line(p).bottom for p in row)
        if any(len(p.lines) >= 3 and p not in row and _across(p.box, top, bottom)
               and wordy(" ".join(p.texts)) for p in pieces):
            continue  # running text beside it: lines of an advertisement or article (not
            #           the OCR's debris of an ornament: "5. ,5 -c :", "oag", "1898.")
        row.sort(key=lambda p: p.box.left)
        if _band_marks(" ".join(t for p in row for t in p.texts)) < 2:
            continue
        above = [p for p in pieces if p.box.bottom <= top + 0.5 * typo.unit
                 and _lines(p) <= 3]
        # (but a heading over the text of an ear that stays, "WEATHER." over the forecast,
        # stays with it)
        kept = [p for p in pieces if p not in row and p not in above]
        above = [p for p in above if not any(_heads(p, q, typo) for q in kept)]
        return {id(p) for p in row + above}
    return set()


def _lines(piece) -> int:
    """A piece's lines of text: not those the OCR read off specks over a title set large
    ("' * '", ".")."""
    return sum(1 for text in piece.texts if sum(map(str.isalpha, text)) >= 2)


def _heads(head, piece, typo: Typography) -> bool:
    """Whether a piece lies just under another, across most of its width."""
    return -0.5 * typo.unit <= piece.box.top - head.box.bottom <= typo.unit and \
        horizontal_overlap(head.box, piece.box) >= 0.5


def _first_line(piece) -> Box:
    """The box of a piece's first line (its own when the line has none)."""
    return piece.lines[0].box or piece.box if piece.lines else piece.box


def _across(box: Box, top: float, bottom: float) -> bool:
    """Whether a box stands beside a span of the page's height: its middle lies in it."""
    return top <= (box.top + box.bottom) / 2 <= bottom


def _band_marks(text: str) -> int:
    """How many kinds of band matter a text prints: volume or number, price, the
    founding, the day (its name or its date)."""
    return sum(1 for mark in _BAND_MARKS if mark.search(text)) + (
        printed_date(text) is not None or DAY_NAME.search(text) is not None)


def _beside_text(title, pieces: list) -> bool:
    """Whether running text (3+ lines) stands beside a piece: then it heads a column (an
    advertisement in large type), not the page."""
    return any(len(p.lines) >= 3 and p.box.top < title.box.bottom and
               p.box.bottom > title.box.top for p in pieces if p is not title)


def _edges(pieces: list, area: Box, typo: Typography) -> tuple[set[int], int | None]:
    """Folio lines and running heads: a line or two at the top or bottom edge with
    nothing beyond it, printing a page number, a date or a running head."""
    found: set[int] = set()
    page = None
    for p in pieces:
        # A line or two of ordinary height: a tall box is a picture's edge or a rotated
        # word, whatever digit the OCR saw in it. A running head may be set in larger
        # type than the text: a full date in it says what it is.
        if len(p.lines) > 2 or p.box.height > TALL_HEAD * typo.unit * len(p.lines):
            continue
        if p.box.height > 2.5 * typo.unit * len(p.lines) and \
                printed_date(" ".join(p.texts)) is None:
            continue
        top = p.box.top <= area.top + EDGE_ZONE * area.height
        bottom = p.box.bottom >= area.bottom - EDGE_ZONE * area.height
        if not (top or bottom):
            continue
        beyond = [o for o in pieces if o is not p and min(o.box.right, p.box.right)
                  > max(o.box.left, p.box.left) and (
                      o.box.bottom <= p.box.top + 0.5 * typo.unit if top
                      else o.box.top >= p.box.bottom - 0.5 * typo.unit)]
        if any(len(o.lines) >= 2 or len(" ".join(o.texts)) >= 12 for o in beyond):
            continue
        text = " ".join(p.texts)
        number = folio_page(text)
        if not dated_head(text) and furniture.classify(text) is None \
                and not (top and _sentence_goes_on(p, pieces)):
            continue
        found.add(id(p))
        if page is None and number is not None:
            page = number
    return found, page


def _sentence_goes_on(head, pieces: list) -> bool:
    """Whether the text under a line at the top edge goes on with a sentence begun in
    another column (its first letter is lower case): then the line is no headline but
    the page's running head (a headline is never followed by the middle of a sentence)."""
    under = [o for o in pieces if o is not head and o.box.top >= head.box.bottom - 1e-9
             and min(o.box.right, head.box.right) - max(o.box.left, head.box.left)
             >= 0.5 * min(o.box.width, head.box.width)]
    text = " ".join(head.texts)
    if not under or caps_share(text) < 0.7 or not wordy(text):
        return False
    first = min(under, key=lambda o: o.box.top)
    words = first.texts[0].split() if first.texts and len(first.lines) >= 3 else []
    return bool(words) and words[0].isalpha() and words[0].islower() and len(words[0]) >= 2
