"""Pieces of a page in reading order, each told what it is (segmentation.piece_forms: a
heading, an advertisement, a caption, running text) -> items: an article is a headline
with the pieces that follow it until the next headline, a rule across its column, or an
advertisement; a deck under its headline is its subtitle.

A page whose headlines are set larger than its text (or open with a deck, or follow a
rule) prints its sub-headings at body size: there a heading of body size in capitals
("THE SPEAKERS.") goes on with the article, unless a dateline follows it (it heads a
dispatch of its own: "Correspondance Havas." over "Berlin, 2 décembre."), and so does a
heading that is a dateline alone ("Anvers, 3 décembre." under the Paris exchange report
in a column of market reports). A page with no larger headlines (an 1830s broadsheet)
has only such headings, and each opens an article.
Text under a division across the columns of its region (a feuilleton under the news) is
not the tail of the story above it. Under a headline set large, a heading of body size in
the same column is a sub-heading of its article or section ("Sales by Auction." over the
sales it lists), unless it heads births, marriages or deaths, or the text above it is a
brief (a column of short news, each under its own heading in body type, is so many
articles; a crosshead breaks a longer text), and under a heading of body size that heads
an item a heading like it heads the next. A line of a few words standing on its own over
a paragraph, not centred, is a heading too ("Le temps qu'il a fait")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from archive.languages import language_name
from archive.layout import Box, horizontal_overlap, mean_confidence
from archive.model import RawItem, Stripped
from archive.segmentation.captions import CAPTION, caption_title, pictured_story
from archive.segmentation.datelines import opens_with_dateline
from archive.segmentation.headlines import (
    AdSigns,
    Typography,
    ad_score,
    caps_share,
    centred_lines,
    deck_form,
    notice_heading,
    notice_text,
    size_ratio,
    wordy,
)
from archive.segmentation.imprints import imprint_box
from archive.segmentation.paragraphs import cut
from archive.segmentation.piece_forms import AD_SCORE, NEAR, adjacent, same_column
from archive.segmentation.pieces import pieces_text
from archive.segmentation.sections import sections
from archive.segmentation.text_kinds import (
    CLASSIFIED_HEAD,
    DEBRIS_WORDS,
    FRAGMENT_WORDS,
    debris,
)

AD_NEIGHBOUR = 0.3  # an item beside an advertisement this ad-like is of it
NOTE = "found by layout segmentation (no METS structure)"
CAPTION_NOTE = "a picture's caption"
DATELINE_WORDS = 8  # a heading this short that is a dateline is the dateline alone
PEER = 0.85  # a heading at least this share of a headline's size is set like it
BRIEF_WORDS = 150  # an item with less text under its headline is a brief


@dataclass
class _Draft:
    heads: list = field(default_factory=list)
    decks: list = field(default_factory=list)
    body: list = field(default_factory=list)
    caption: bool = False  # a picture's caption (segmentation.captions)


def _brief(draft: _Draft, following: int) -> bool:
    """Whether a heading after an item so far heads the next brief (a column of short
    news, each under its own heading in body type: "LA CRISE DANOISE"): the item has
    some text, under BRIEF_WORDS words of it, or (its text is longer, cut by
    sub-headings) the text since its last heading is as short and so is the text under
    this heading (`following` words). Never under a rubric (a heading set large in mixed
    case, "Nos Echos", "Autour du Parlement", whose column of items under headings in
    capitals is one article). Where the page sets its headlines large or in layers, a
    heading after a longer text is a sub-heading of it (a crosshead)."""
    if not draft.body or (draft.heads and draft.heads[0].big and
                          caps_share(" ".join(draft.heads[0].texts)) < 0.7):
        return False
    total = since = 0
    heading_seen = False
    for piece in reversed(draft.body):
        if piece.form == "heading":
            heading_seen = True
            continue
        words = _words(piece)
        total += words
        if not heading_seen:
            since += words
    if total and total < BRIEF_WORDS:
        return True
    return since > 0 and since < BRIEF_WORDS and following < BRIEF_WORDS


def assemble(pieces: list, rules: list[Box], typo: Typography, page: int | None,
             stripped: list[Stripped], pictures: Sequence[Box] = ()) -> list[RawItem]:
    """The items of a page's pieces (in reading order, classified); section headings go
    to `stripped` and name the section of the items under them (segmentation.sections).
    A caption (segmentation.captions) is an item of its own, unless it is the text of
    the headline over its picture."""
    strong, layered = _strong_headings(pieces, rules, typo)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    previous = None
    under = _words_under(pieces)
    captioned: _Draft | None = None  # the draft the last caption went to
    for n, piece in enumerate(pieces):
        if piece.form == CAPTION:
            if captioned is not None and captioned.body[-1] is pieces[n - 1] and \
                    adjacent(pieces[n - 1], piece, typo):
                captioned.body.append(piece)  # the caption's next lines
            elif current is not None and current.heads and not current.body and \
                    pictured_story(current.heads[-1], piece, pictures, typo.unit):
                current.body.append(piece)
                captioned = current
            else:  # an item of its own; the text around it reads on past it
                captioned = _Draft(body=[piece], caption=True)
                drafts.append(captioned)
            continue
        if piece.merged or (previous is not None and previous.merged):
            current = _Draft(body=[piece])  # an OCR merge of columns: an item of its own
            drafts.append(current)
            previous = piece
            continue
        # Under a division across every column the text above is done, unless it is a
        # headline still waiting for its text.
        parted = piece.placed is not None and piece.placed.parted and not (
            current is not None and current.heads and not current.body)
        # A sliver column is read as an item of its own, and so is every block the
        # source calls an advertisement.
        cut = previous is not None and (
            parted or _ruled(previous, piece, rules, typo) or previous.sliver != piece.sliver
            or (piece.role == "advertisement" and piece.block != previous.block))
        near = previous is not None and adjacent(previous, piece, typo) and not cut
        # Under a headline set large, a heading of body size in its column is a
        # sub-heading of its article (or of its section: "Sales by Auction." over the
        # sales it lists); births, marriages and deaths are a section of their own.
        # A heading set as large as the big headline above it is a headline too, and so
        # is a heading of body size under one of body size.
        peer = piece.form == "heading" and current is not None and bool(current.heads) \
            and ((current.heads[0].big and _peer(current.heads[0], piece, typo)) or (
                not current.heads[0].big and not piece.big))
        # After a brief, a heading opens the next item whatever its size: a column of
        # short news, each under its own heading in body type ("LA CRISE DANOISE").
        brief = piece.form == "heading" and current is not None and _brief(
            current, under[n])
        sub = not strong.get(id(piece), False) and not cut and not peer and not brief and \
            bool(current and current.heads) and current.heads[0].big and not piece.big and \
            same_column(current.heads[0], piece) and not notice_heading(" ".join(piece.texts))
        if piece.form == "heading" and not sub and (strong[id(piece)] or not layered or cut
                                                    or peer or brief):
            if current is not None and current.heads and not current.body and near:
                if not current.decks and _goes_on(current.heads[-1], piece):
                    current.heads.append(piece)  # the headline's next line
                else:
                    current.decks.append(piece)
            else:
                current = _Draft(heads=[piece])
                drafts.append(current)
        elif piece.form == "deck" and current is not None and current.heads and \
                not current.body and near:  # the deck the block holds under its headline
            current.decks.append(piece)
        elif current is None or cut:
            current = _Draft(body=[piece])
            drafts.append(current)
        elif current.heads and not current.body and near and len(current.decks) < 3 and \
                deck_form(piece.lines, piece.texts, piece.box, piece.left, piece.right, typo):
            current.decks.append(piece)
        else:
            current.body.append(piece)
        previous = piece
    items = imprint_box(_ads_joined(drafts, [_item(d, page, typo.unit) for d in drafts],
                                    typo.unit))
    headings, section_of = sections(drafts, items, typo)
    out = []
    for draft, item in zip(drafts, items, strict=True):
        if id(draft) in headings:
            stripped.append(Stripped("section-heading", pieces_text(draft.heads)))
        else:
            section = section_of.get(id(draft))
            if section is not None:
                item = replace(item, section=section)
            if item.kind == "article" and CLASSIFIED_HEAD.match(section or item.headline
                                                                 or ""):
                item = replace(item, kind="advertisement")  # under a classified heading
            out.append(item)
    return out


def _words_under(pieces: list) -> list[int]:
    """For each piece, the words of the running text after it up to the next heading."""
    out = [0] * len(pieces)
    words = 0
    for n in range(len(pieces) - 1, -1, -1):
        out[n] = words
        piece = pieces[n]
        if piece.form != CAPTION:  # (a caption is no part of the text it interrupts)
            words = 0 if piece.form == "heading" else words + _words(piece)
    return out


def _words(piece) -> int:
    return sum(len(text.split()) for text in piece.texts)


def _peer(head, piece, typo: Typography) -> bool:
    """Whether a heading is set as large as a headline above it, give or take what the
    OCR's boxes vary by ("POLICE INTELLIGENCE." just over BIG, "CORONER'S INQUESTS." in
    the same type just under it): a headline of its own, not a sub-heading."""
    mine, theirs = size_ratio(piece.lines, typo), size_ratio(head.lines, typo)
    return mine is not None and theirs is not None and mine >= PEER * theirs


def _goes_on(head, piece) -> bool:
    """Whether a heading piece is the next line of the headline above it: that one stops
    short of a sentence's end ("THE ROMANTIC DOUBLE SUICIDE IN" over "PARIS.") and both
    are set in capitals."""
    last = head.texts[-1].rstrip() if head.texts else ""
    return bool(last) and not last.endswith((".", "!", "?", ":", ";")) and \
        caps_share(last) >= 0.7 and caps_share(" ".join(piece.texts)) >= 0.7


def _strong_headings(pieces: list, rules: list[Box], typo: Typography
                     ) -> tuple[dict[int, bool], bool]:
    """Which headings are article headlines whatever the page (set large, followed by a
    deck or a "continued from" line, or under a rule), and whether the page sets its
    headlines in layers (a headline over a deck, a continued article's headline): then
    its other headings are sub-headings."""
    out = {}
    layered = False
    for n, piece in enumerate(pieces):
        if piece.form != "heading":
            continue
        following = pieces[n + 1] if n + 1 < len(pieces) else None
        previous = pieces[n - 1] if n else None
        deck = following is not None and adjacent(piece, following, typo) and _under(
            piece, following, typo) and (
            following.after_jump or (following.form != "advertisement" and len(
                following.lines) <= 3 and caps_share(" ".join(following.texts)) < 0.7
                and wordy(" ".join(following.texts))
                and not following.texts[0].lstrip().startswith("(") and deck_form(
                    following.lines, following.texts, following.box, following.left,
                    following.right, typo)))
        # Layers: a large headline over a deck, or a continued article's headline.
        layered = layered or (deck and piece.big) or (
            following is not None and following.after_jump and deck)
        # Over a dateline it heads a dispatch of its own ("Correspondance Havas." over
        # "Berlin, 2 décembre. ..."), however small.
        dispatch = (following is not None and following.form == "body" and
                    opens_with_dateline(following.texts[0])) or _dateline_heading(piece)
        out[id(piece)] = piece.big or deck or dispatch or (
            previous is not None and _ruled(previous, piece, rules, typo)) or \
            _rule_above(piece, rules, typo)
    return out, layered


def _dateline_heading(piece) -> bool:
    """A heading that is a dateline alone ("Anvers, 3 décembre.", "LONDON, Nov. 3."): set
    over the text it dates, it heads a dispatch of its own, as a list of reports from
    several places (the exchanges, the foreign news) prints one under another."""
    text = " ".join(piece.texts)
    return len(piece.lines) == 1 and len(text.split()) <= DATELINE_WORDS and \
        opens_with_dateline(text)


def _under(head, deck, typo: Typography) -> bool:
    """Whether a deck lies within its headline's width (give or take a few line heights:
    a deck may fill its column where the headline does not)."""
    if head.box is None or deck.box is None:
        return True
    reach = NEAR * typo.unit
    return deck.box.left >= head.box.left - reach and deck.box.right <= head.box.right + reach


def _ruled(above, below, rules: list[Box], typo: Typography) -> bool:
    """A rule across the column between a piece and the one under it."""
    if above.box is None or below.box is None or horizontal_overlap(above.box, below.box) < 0.5 \
            or below.box.top < above.box.top:
        return False
    return _rule_between(rules, above.box.bottom - 0.5 * typo.unit,
                         below.box.top + 0.5 * typo.unit, below.box)


def _rule_above(piece, rules: list[Box], typo: Typography) -> bool:
    if piece.box is None:
        return False
    return _rule_between(rules, piece.box.top - NEAR * typo.unit,
                         piece.box.top + 0.5 * typo.unit, piece.box)


def _rule_between(rules: list[Box], top: float, bottom: float, box: Box) -> bool:
    for rule in rules:
        middle = (rule.top + rule.bottom) / 2
        if rule.width >= 4 * rule.height and top <= middle <= bottom and \
                min(rule.right, box.right) - max(rule.left, box.left) >= 0.6 * box.width:
            return True
    return False


def _paragraphs(piece, unit: float) -> list[tuple[str, ...]]:
    """A piece's printed lines cut into paragraphs (archive.segmentation.paragraphs: a
    block of the OCR often holds many)."""
    texts = piece.texts
    return [tuple(part) for part in cut(texts, [line.box for line in piece.lines], unit,
                                        texts)]


def _ad_score(pieces: list, unit: float) -> float:
    """How much a run of pieces reads like an advertisement (headlines.ad_score)."""
    return ad_score(sum((p.signs for p in pieces), AdSigns()),
                    sum(centred_lines(p.lines, p.left, p.right, unit) for p in pieces))


def _ads_joined(drafts: list, items: list[RawItem], unit: float) -> list[RawItem]:
    """Items that read somewhat like an advertisement (AD_NEIGHBOUR) beside one in their
    column are of it: the layout cut a large advertisement at its display lines into
    items that each hold too few prices and words of trade ("IF YOU WANT TO GIVE A NEW
    SUIT" / "your money back if goods are not as represented" / the price list)."""
    kinds = [item.kind for item in items]
    grown = True
    while grown:
        grown = False
        for n, draft in enumerate(drafts):
            if kinds[n] != "article":
                continue
            first = (draft.heads + draft.decks + draft.body)[0]
            beside = [m for m in (n - 1, n + 1) if 0 <= m < len(drafts)
                      and kinds[m] == "advertisement" and same_column(
                          (drafts[m].heads + drafts[m].decks + drafts[m].body)[0], first)]
            if beside and _ad_score(draft.heads + draft.decks + draft.body,
                                    unit) >= AD_NEIGHBOUR:
                kinds[n] = "advertisement"
                grown = True
    return [replace(item, kind=kind) if kind != item.kind else item
            for item, kind in zip(items, kinds, strict=True)]


def _item(draft: _Draft, page: int | None, unit: float) -> RawItem:
    pieces = draft.heads + draft.decks + draft.body
    words = [w for p in pieces for line in p.lines for w in line.words]
    headline = " ".join(t for p in draft.heads for t in p.texts) or None
    subtitle = " ".join(t for p in draft.decks for t in p.texts) or None
    blocks = tuple(para for p in draft.body for para in _paragraphs(p, unit))
    if not blocks:  # a heading with nothing under it: its words are the text
        blocks = tuple(tuple(p.texts) for p in draft.heads + draft.decks)
        headline = subtitle = None
    # An advertisement is told by most of its words: a section of small advertisements
    # ("Sales by Auction.") is one item, as its page printed it.
    ads = sum(len(line.words) for p in pieces if p.form == "advertisement" for line in p.lines)
    kind = "advertisement" if ads >= 0.5 * max(1, len(words)) or \
        _ad_score(pieces, unit) >= AD_SCORE else "article"
    notes: tuple[str, ...] = (NOTE,)
    if draft.caption:
        kind, notes = "other", (NOTE, CAPTION_NOTE)
        headline, blocks = caption_title(blocks)
    elif kind == "article" and ((headline and notice_heading(headline)) or any(
            notice_text(" ".join(b)) for b in blocks[:2])):
        kind = "notice"
    elif kind == "article" and (len(words) < FRAGMENT_WORDS or debris(
            " ".join(w.text for w in words[:DEBRIS_WORDS]))):  # (more words: no debris)
        # a fragment (a word or three the OCR read off a picture, a torn edge or the
        # corner of an advertisement) or debris (broken letters: text_kinds.debris):
        # kept searchable, not an article
        kind = "other"
    languages = Counter()
    for p in pieces:
        if p.language:
            languages[p.language] += sum(len(line.words) for line in p.lines)
    language = language_name(languages.most_common(1)[0][0]) if languages else None
    return RawItem(blocks=blocks, headline=headline, subtitle=subtitle, kind=kind,
                   page=page, confidence=mean_confidence(words), notes=notes,
                   language=language)
