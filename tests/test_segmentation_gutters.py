"""Issue 12 layout rules, each on a small page invented here: the gutters of a block the
OCR ran across columns on a scan a little askew (archive.segmentation.gutters), and a
heading that is a dateline alone opening a dispatch of its own (stories)."""

from __future__ import annotations

from archive.layout import Block, Box, Line, Page, Word
from archive.segmentation import segment
from archive.segmentation.gutters import gutters, skewed_gutters
from archive.segmentation.headlines import Typography
from archive.segmentation.pieces import build_pieces
from tests.test_segment import PITCH, body, heading, words_of

UNIT = 20.0  # the body line height of these pages
SKEW = 0.012  # x units per unit of height: a scan about 0.7 degrees askew


def _row(seed: int, left: float, right: float, top: float, tag: str) -> list[Word]:
    """Words of uneven length filling left..right (the last one stretched to the edge,
    as justified type ends), so no white strip runs down a column of them."""
    words: list[Word] = []
    x = left
    n = 0
    while x < right - 40:
        width = 20 + 11 * ((seed * 7 + n * 5) % 6)
        end = min(x + width, right)
        if right - end < 40:
            end = right
        words.append(Word(f"{tag}{seed}w{n}", Box(x, top, end, top + UNIT)))
        x = end + 9  # a word space
        n += 1
    return words


def _skewed_block(columns: list[tuple[float, float]], lines: int = 40,
                  skew: float = SKEW) -> Block:
    """One OCR block whose every line runs across all the columns, each line shifted
    right by skew times its height (the scan's tilt)."""
    out = []
    for n in range(lines):
        top = n * PITCH
        shift = skew * top
        words = [w for c, (left, right) in enumerate(columns)
                 for w in _row(n + 13 * c, left + shift, right + shift, top, "lr"[c % 2])]
        out.append(Line(tuple(words), Box(words[0].box.left, top, words[-1].box.right,
                                          top + UNIT), 10.0))
    box = Box(min(line.box.left for line in out), 0, max(line.box.right for line in out),
              out[-1].box.bottom)
    return Block("merged", tuple(out), box)


TWO_COLUMNS = [(0.0, 300.0), (308.0, 608.0)]  # 15 line heights each, a gutter of 8 units


def test_a_tilted_gutter_is_found_along_its_slant():
    lines = list(_skewed_block(TWO_COLUMNS).lines)
    assert gutters(lines, UNIT) == []  # no strip is white from top to bottom upright
    found, slant = skewed_gutters(lines, UNIT)
    assert len(found) == 1 and 300 < found[0] < 312
    assert 0 < slant <= 2 * SKEW  # along the tilt (any slant along which it is white)


def test_a_block_run_across_tilted_columns_is_read_column_by_column():
    block = _skewed_block(TWO_COLUMNS)
    pieces = build_pieces(Page((block,), width=700, height=1000), Typography(UNIT), [])
    assert len(pieces) == 2
    for piece, tag in zip(pieces, "lr", strict=True):
        texts = [w.text for line in piece.lines for w in line.words]
        assert texts and all(t.startswith(tag) for t in texts)
        assert len(piece.lines) == 40  # every line of the column, top down
        tops = [line.box.top for line in piece.lines]
        assert tops == sorted(tops)


def test_an_upright_block_is_cut_as_before():
    block = _skewed_block([(0.0, 300.0), (320.0, 620.0)], skew=0.0)
    assert skewed_gutters(list(block.lines), UNIT)[1] == 0.0
    assert len(gutters(list(block.lines), UNIT)) == 1


def test_a_tilted_table_of_narrow_columns_has_no_gutters():
    """Columns six line heights wide are a table's, not running text's: no slant cuts
    them, though their aligned white would show along one."""
    table = [(0.0, 120.0), (128.0, 248.0), (256.0, 376.0), (384.0, 504.0)]
    lines = list(_skewed_block(table).lines)
    assert skewed_gutters(lines, UNIT) == ([], 0.0)


def test_one_tilted_column_has_no_gutter():
    lines = list(_skewed_block([(0.0, 500.0)]).lines)
    assert skewed_gutters(lines, UNIT) == ([], 0.0)


# --- a heading that is a dateline alone ----------------------------------------------------

def _reports(second: str) -> Page:
    """A large section headline over reports from two places, each under a heading of
    body size (the first report of 180 words: no brief, stories.BRIEF_WORDS)."""
    blocks = [heading("big", "MARKET REPORTS.", 0, 400, 0, size=15, char=15),
              heading("first", "Paris, 4 December.", 0, 400, 40),
              body("a", ["rentes closed firm at the last call and the"] * 20, 0, 70),
              heading("second", second, 0, 400, 70 + 20 * PITCH + 10),
              body("b", ["banks gave way a little before the close of"] * 6, 0,
                   70 + 21 * PITCH + 20)]
    return Page(tuple(blocks), width=450, height=1000)


def test_a_dateline_heading_under_a_report_opens_a_dispatch_of_its_own():
    items, _ = segment(_reports("Antwerp, 3 December."))
    assert [i.headline for i in items] == ["MARKET REPORTS.", "Antwerp, 3 December."]
    assert "Paris, 4 December." in (items[0].subtitle or "")
    assert "banks" in words_of(items[1]).split()
    assert "banks" not in words_of(items[0]).split()


def test_a_heading_that_is_no_dateline_stays_a_sub_heading():
    items, _ = segment(_reports("THE CORN EXCHANGE."))
    assert [i.headline for i in items] == ["MARKET REPORTS."]
    assert "banks" in words_of(items[0]).split()
