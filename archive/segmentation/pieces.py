"""Pieces of an OCR page: runs of printed lines read as one. A block of the source is one
piece, or several: cut where a column rule crosses it or where its words leave a gutter
white from top to bottom, upright or along the slant of a skewed scan (OCR joined two
columns: each is then read top down), at big gaps
between its lines and around headings set inside it. A block whose box holds other blocks
and shows no gutter is the OCR's merge of columns: it is kept whole, marked merged. Jump
lines at either end of a block are stripped as furniture."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from archive.layout import Block, Box, Line, Page, bounds, each_line_text
from archive.model import Stripped
from archive.segmentation.columns import Placed
from archive.segmentation.furniture import is_jump, jumps_from
from archive.segmentation.gutters import block_top, skewed_gutters
from archive.segmentation.headlines import (
    BIG,
    HEADING_LINE_WORDS,
    AdSigns,
    Typography,
    ad_signs,
    big_heading_line,
    centred,
    heading_line,
)

# Lines further apart than this many line heights are two pieces, whatever the block says.
SPLIT_GAP = 2.5
_BARS = frozenset("|¦‖")
ODD_LINE = 4.0  # a line box taller than this many body line heights is no line's
BIG_LINE = 1.6  # a line this many body line heights tall is set as a heading
COLUMN_LINES = 40  # a block of this many lines is a column of the page, or most of one
DECK_LINES = 12  # the most lines a deck under a column's headline holds
BLOCK_FIT = 0.3  # a block box sharing less (intersection over union) with its lines' is wrong
TEXT, HEAD, DECK = 0, 1, 2  # what a run of a block's lines is (_split_at_headings)


@dataclass
class Piece:
    """A run of printed lines read as one: a block, or part of one."""

    lines: tuple[Line, ...]
    box: Box | None
    role: str | None = None
    source: int = 0  # its place in the source's order
    texts: tuple[str, ...] = ()
    after_jump: bool = False  # a "continued from" line opened it (and was stripped)
    # Its box holds other blocks: the OCR merged columns into it. It is read as an item
    # of its own and holds no gutter shut.
    merged: bool = False
    language: str | None = None  # as its block gives it (a code: "eng", "de")
    block: str = ""  # the id of the source block it came from
    sliver: bool = False  # it lies in a column too narrow for text (see stories.classify)
    # Set when the page is read: its column and what it is.
    placed: Placed | None = None
    form: str = "body"  # body | heading | deck | advertisement
    big: bool = False  # a heading set larger than the body
    notes: list[str] = field(default_factory=list)
    _signs: AdSigns | None = field(default=None, repr=False)

    @property
    def signs(self) -> AdSigns:
        """What in its lines reads like an advertisement (counted once: a piece is asked
        alone, then as part of its item)."""
        if self._signs is None:
            self._signs = ad_signs(self.texts)
        return self._signs

    @property
    def left(self) -> float:
        return self.placed.left if self.placed else (self.box.left if self.box else 0.0)

    @property
    def right(self) -> float:
        return self.placed.right if self.placed else (self.box.right if self.box else 0.0)


# --- pieces ------------------------------------------------------------------------------

def build_pieces(page: Page, typo: Typography, stripped: list[Stripped]) -> list[Piece]:
    """The page's blocks cut into pieces: at column rules crossing them, at big gaps
    between their lines, and around jump lines at either end."""
    columns = [r for r in page.rules if r.height >= 4 * max(r.width, 1e-9)]
    # A page of one block is a page whose OCR gave no blocks (hOCR lines straight under
    # the page): there a heading is told by its size too (not where blocks part the text:
    # a tall line inside a block is more often a speck's or an initial's).
    by_size = len(page.blocks) == 1
    out: list[Piece] = []
    blocks = [_sane(block, typo.unit) for block in page.blocks]
    swallowing = _swallowing(blocks)
    for n, block in enumerate(blocks):
        kept, read_rules, bars = _without_bars(list(block.lines), typo.unit)
        found, slant = skewed_gutters(kept, typo.unit)
        cuts = _gutter_rules(kept, found) if not slant else []
        if n in swallowing and not found:
            piece = _piece(list(block.lines), block, len(out), stripped)
            if piece is not None:
                piece.merged = True
                out.append(piece)
            continue
        parts = _split_at_slant(kept, found, slant) if slant else [kept]
        for lines in (run for part in parts
                      for run in _split_at_rules(part, columns + read_rules + cuts,
                                                 typo.unit, bars)):
            if found:  # the OCR ran columns together: each is read top down
                lines.sort(key=_top)
            for run in _split_at_gaps(lines, typo.unit):
                for part, deck in _split_at_headings(run, typo, by_size):
                    piece = _piece(part, block, len(out), stripped)
                    if piece is not None:
                        if deck:
                            piece.form = "deck"
                        out.append(piece)
    return out


def _piece(lines: list[Line], block: Block, source: int,
           stripped: list[Stripped]) -> Piece | None:
    # (a line of white space, or of only the second part of a word the line above ends
    # whole, has no text of its own: dropped, so that lines and texts stay side by side)
    texts = each_line_text(lines)
    if not all(texts):
        lines = [line for line, text in zip(lines, texts, strict=True) if text]
        texts = [text for text in texts if text]
    after = False
    # Jump lines at either end are furniture; the rest of the block is text.
    while texts and is_jump(texts[0]) and len(texts) > 1:
        after = after or jumps_from(texts[0])
        stripped.append(Stripped("jump", texts.pop(0)))
        lines = lines[1:]
    while texts and is_jump(texts[-1]) and len(texts) > 1:
        stripped.append(Stripped("jump", texts.pop()))
        lines = lines[:-1]
    if not texts or not lines:
        return None
    box = _box(lines) or (block.box if len(lines) == len(block.lines) else None)
    return Piece(tuple(lines), box, block.role, source, tuple(texts), after,
                 language=block.language, block=block.id)


def _gutter_rules(lines: list[Line], found: list[float]) -> list[Box]:
    """The upright gutters inside a block (archive.segmentation.gutters) as rules down
    its height."""
    box = _box(lines) if found else None
    return [Box(x, box.top, x, box.bottom) for x in found] if box is not None else []


def _split_at_slant(lines: list[Line], found: list[float], slant: float) -> list[list[Line]]:
    """A block's lines cut at gutters that run along a slant (a skewed scan): each word
    goes to the column its middle lies in, measured along the slant."""
    top = block_top(lines)
    columns: list[list[Line]] = [[] for _ in range(len(found) + 1)]
    for line in lines:
        parts: list[list] = [[] for _ in columns]
        for word in line.words:
            box = word.box or line.box
            x = 0.0 if box is None else (box.left + box.right) / 2 - slant * (box.top - top)
            parts[bisect.bisect_right(found, x)].append(word)
        for column, words in zip(columns, parts, strict=True):
            if len(words) == len(line.words):
                column.append(line)
            elif words:
                column.append(Line(tuple(words), _box_of_words(words) or line.box,
                                   line.font_size))
    return [column for column in columns if column]


def _top(line: Line) -> float:
    box = _line_box(line)
    return box.top if box is not None else 0.0


def _box(lines: list[Line]) -> Box | None:
    boxes = [_line_box(line) for line in lines]
    return bounds([b for b in boxes if b is not None])


def _line_box(line: Line) -> Box | None:
    box = line.box
    if box is not None and box.right - box.left > 0 and box.bottom - box.top > 0:
        return box  # (its width and height, spelt out: this is asked of every line)
    return _box_of_words(line.words)


def _box_of_words(words) -> Box | None:
    return bounds([w.box for w in words if w.box is not None and w.box.width >= 0
                   and w.box.height >= 0])


def _sane(block: Block, unit: float) -> Block:
    """A block whose odd boxes are mended: a line box taller than ODD_LINE line heights
    (a rotated word, a misread picture edge) gives way to its words' boxes, or to none;
    a block box that its lines do not stand in (one NDNP vendor's: a column's lines in a
    box as wide as the page and a tenth as tall, BLOCK_FIT) gives way to theirs, which
    would otherwise seem to hold the other columns (an OCR merge of them, _swallowing)."""
    lines = []
    changed = False
    for line in block.lines:
        if line.box is not None and line.box.height > ODD_LINE * unit:
            words = _box_of_words(line.words)
            box = words if words is not None and words.height <= ODD_LINE * unit else None
            line = Line(line.words, box, line.font_size)
            changed = True
        lines.append(line)
    theirs = _box(lines)
    if block.box is not None and theirs is not None and _fit(block.box, theirs) < BLOCK_FIT:
        changed = True
    if not changed:
        return block
    return Block(block.id, tuple(lines), theirs, block.role, block.language)


def _fit(a: Box, b: Box) -> float:
    """How far two boxes are one: their intersection's area over their union's."""
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    common = max(0.0, width) * max(0.0, height)
    union = a.width * a.height + b.width * b.height - common
    return common / union if union > 0 else 1.0


def _without_bars(lines: list[Line], unit: float
                  ) -> tuple[list[Line], list[Box], list[Box]]:
    """Lines without the "words" that are a column rule read as text ("|"), and where
    those rules stand: (lines, rules, lone bars). Bars standing one over another (their
    middles within a line height) are one rule when read in two lines or more, and in
    most of the lines it runs past: a line that holds one runs across two columns. Other
    bars may as well be misread letters: _split_at_rules weighs each by the lines it
    stands in."""
    bars: list[Box] = []
    out: list[Line] = []
    for line in lines:
        if _BARS.isdisjoint("".join([w.text for w in line.words])):
            out.append(line)  # no bar at all, as in nearly every line: nothing to look at
            continue
        words = tuple(w for w in line.words if not (w.text and set(w.text) <= _BARS))
        if len(words) == len(line.words):
            out.append(line)
            continue
        bars += [Box(w.box.left, w.box.top, w.box.right, w.box.bottom)
                 for w in line.words[1:-1] if w.box is not None and set(w.text) <= _BARS]
        if words:
            out.append(Line(words, _box_of_words(words) or line.box, line.font_size))
    groups: list[list[Box]] = []
    for bar in sorted(bars, key=lambda b: (b.left + b.right) / 2):
        if groups and abs((bar.left + bar.right) / 2 - (groups[-1][-1].left
                                                        + groups[-1][-1].right) / 2) <= unit:
            groups[-1].append(bar)
        else:
            groups.append([bar])
    rules: list[Box] = []
    lone: list[Box] = []
    for group in groups:
        top, bottom = min(b.top for b in group), max(b.bottom for b in group)
        crossed = sum(1 for line in lines if line.box is not None
                      and top <= (line.box.top + line.box.bottom) / 2 <= bottom)
        if len(group) >= 2 and len(group) >= 0.5 * crossed:  # in most lines it runs past
            rules.append(Box(min(b.left for b in group), top,
                             max(b.right for b in group), bottom))
        else:
            lone += group
    return out, rules, lone


def _swallowing(blocks: tuple[Block, ...] | list[Block]) -> set[int]:
    """The blocks whose box holds the middles of two or more other blocks of text."""
    boxes = [b.box if len(b.lines) >= 2 else None for b in blocks]
    out = set()
    for n, block in enumerate(blocks):
        box = block.box or _box(list(block.lines))
        if box is None or len(block.lines) < 3:
            continue
        inside = 0
        for m, other in enumerate(boxes):
            if m != n and other is not None and box.left < (other.left + other.right) / 2 \
                    < box.right and box.top < (other.top + other.bottom) / 2 < box.bottom:
                inside += 1
        if inside >= 2:
            out.add(n)
    return out


def _split_at_rules(lines: list[Line], rules: list[Box], unit: float,
                    bars: list[Box] = ()) -> list[list[Line]]:
    """A block whose lines a column rule crosses is two blocks (OCR joined the lines of
    two columns): words left of the rule, words right of it. A rule (drawn on the page,
    or read as bars in two lines or more) cuts the block where it stands over half its
    own length; a lone bar (one of bars) only in a block of a line or two: one "|" in a
    column of two hundred lines is a misread letter, not a rule."""
    box = _box(lines)
    if box is None:
        return [lines]
    for rule, drawn in [*((r, True) for r in rules), *((b, False) for b in bars)]:
        x = (rule.left + rule.right) / 2
        overlap = min(rule.bottom, box.bottom) - max(rule.top, box.top)
        reach = min(box.height, rule.height) if drawn else box.height
        if not box.left + unit < x < box.right - unit or overlap < 0.5 * reach:
            continue
        left, right = [], []
        for line in lines:
            words_left = tuple(w for w in line.words if w.box is None or
                               (w.box.left + w.box.right) / 2 < x)
            words_right = tuple(w for w in line.words if w not in words_left)
            if words_left:
                left.append(Line(words_left, _box_of_words(words_left), line.font_size))
            if words_right:
                right.append(Line(words_right, _box_of_words(words_right), line.font_size))
        if left and right:
            return _split_at_rules(left, rules, unit, bars) + \
                _split_at_rules(right, rules, unit, bars)
    return [lines]


def _split_at_headings(lines: list[Line], typo: Typography,
                       by_size: bool = False) -> list[tuple[list[Line], bool]]:
    """A block that opens with a heading, or holds one, set in capitals in the middle of
    its width ("PRIVATE CORRESPONDENCE." over its text) or, in a block of a column's
    length, in capitals larger than the body's across it, wherever it stands (a headline
    filling its column: "A RAILROAD LOBBY VICTORY." over the decks and text of an NDNP
    page whose blocks are whole columns, and the next story's further down), or (by_size) in
    type BIG_LINE times the body's height however it is set, is cut around it: its runs
    of lines, each with whether it is the deck under such a headline (_deck_end)."""
    box = _box(lines)
    if box is None or len(lines) < 2:
        return [(lines, False)]
    unit = typo.unit
    # A block of a column's length is a column the OCR gave whole (NDNP pages): a headline
    # in it opens an article (at its top, it does not go on with the column before).
    column = len(lines) >= COLUMN_LINES
    flags: list[bool] = []
    for line in lines:
        line_box = _line_box(line)
        # (a line that is neither centred nor taller than the body's is no heading: its
        # text is not needed)
        tall = line_box is not None and line_box.bottom - line_box.top >= BIG * unit
        flags.append((centred(line_box, box.left, box.right, unit) and heading_line(
            line, " ".join([w.text for w in line.words]), line_box, box.left, box.right, unit))
            or (tall and column and big_heading_line(line, typo))
            or (by_size and tall and len(line.words) <= HEADING_LINE_WORDS
                and line_box.bottom - line_box.top >= BIG_LINE * unit))
    if all(flags) or not any(flags):
        return [(lines, False)]
    labels = [HEAD if flag else TEXT for flag in flags]
    if column:  # under each heading of a column block, its deck when it has one
        for start in range(1, len(lines)):
            if flags[start - 1] and not flags[start]:
                end = _deck_end(lines, start, box, unit)
                labels[start:end] = [DECK] * (end - start)
    runs: list[tuple[list[Line], bool]] = []
    for n, line in enumerate(lines):
        if not runs or labels[n] != labels[n - 1]:
            runs.append(([], labels[n] == DECK))
        runs[-1][0].append(line)
    return runs


def _deck_end(lines: list[Line], start: int, box: Box, unit: float) -> int:
    """Where the deck under a column's headline ends (start when there is none): the
    lines from start to the last line set in the middle of the column within DECK_LINES,
    when two of them at least, and half, are so set (an inverted pyramid, a line or two
    filling the column between its steps: "Passage By the Senate of the Forceless" over
    "Commission Measure.") and a line of text filling the column follows (the dateline's,
    the story's first)."""
    window = range(start, min(len(lines) - 1, start + DECK_LINES))
    middle = [n for n in window if centred(_line_box(lines[n]), box.left, box.right, unit)]
    # (its last line ends no word or clause half way: an indented first line of the text,
    # short of the column for a word broken at its end, is not the deck's)
    while middle and lines[middle[-1]].words and \
            lines[middle[-1]].words[-1].text.endswith(("-", ",", "\u00ad")):
        middle.pop()
    if len(middle) < 2 or 2 * len(middle) < middle[-1] + 1 - start:
        return start  # (one line short of both edges is as often a paragraph's first)
    after = _line_box(lines[middle[-1] + 1])
    if after is None or after.right < box.right - 2 * unit:
        return start
    return middle[-1] + 1


def _split_at_gaps(lines: list[Line], unit: float) -> list[list[Line]]:
    runs: list[list[Line]] = []
    bottom = None
    for line in lines:
        box = _line_box(line)
        if runs and box is not None and bottom is not None and \
                box.top - bottom > SPLIT_GAP * unit:
            runs.append([])
        if not runs:
            runs.append([])
        runs[-1].append(line)
        if box is not None:
            bottom = box.bottom if bottom is None else max(bottom, box.bottom)
    return runs


def pieces_text(pieces: list) -> str:
    """The printed lines of pieces as one text."""
    return " ".join(t for p in pieces for t in p.texts)
