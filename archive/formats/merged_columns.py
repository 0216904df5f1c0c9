"""Blocks of an ALTO page in which the OCR ran two or more columns together (each printed
line of the block holds a line of every column): an issue reader reads them column by
column, as the layout reader does (archive.segmentation.pieces), so that an article a METS
places on such a block reads down each column instead of across them, line by line.

The gutters are found by archive.segmentation.gutters, upright or along the slant of a
skewed scan. Only a block much wider than the page's blocks of text is looked at,
and only its layout (with a few blocks of body text, for the line height) is built: most
pages hold no such block and cost nothing more. The issue reader looks for them while
the page is parsed (alto.read_alto). On the corpus's METS issues (BL 1874: 23% of its
words in such blocks) reading costs 33% more CPU (27.5 -> 36.7 ms a page)."""

from __future__ import annotations

import bisect
import statistics
from collections import Counter
from typing import TYPE_CHECKING

from archive.layout import Box, bounds
from archive.segmentation.gutters import MIN_LINES, block_top, skewed_gutters
from archive.segmentation.headlines import typography

if TYPE_CHECKING:  # (the types only: no import cycle)
    from archive.formats.alto import AltoPage
    from archive.layout import Block

WIDE = 1.6  # a block this many times wider than the page's typical block of text
TEXT_WORDS = 40  # a block of this many words is text (not a heading, a folio, a speck)
UNIT_LINES = 30  # lines of body text the body's line height is measured on
Run = tuple["AltoPage", int, int]  # a page's words [start, end)
LineRuns = list[Run]
# per block that holds columns: the gutters' x, their slant, the block's top, its layout
Cut = tuple[list[float], float, float, "Block"]
Column = tuple[list[LineRuns], list["Box | None"]]  # a column's lines, and their boxes


def by_column(paragraph: list[LineRuns]) -> list[Column]:
    """The printed lines of one block (runs of its words) cut into its columns, in their
    order, when the OCR ran columns together in it; else the lines as they are. With each
    column, its lines' boxes (where its paragraphs open: archive.formats.issue)."""
    if not paragraph or not paragraph[0]:
        return [(paragraph, [])]
    alto, start, _ = paragraph[0][0]
    cut = alto.merged.get(alto.lines[alto.line_at(start)][0])
    if cut is None:
        return [(paragraph, [_line_box(line) for line in paragraph])]
    found, slant, top, block = cut
    columns: list[Column] = [([], []) for _ in range(len(found) + 1)]
    for line in paragraph:
        parts: list[LineRuns] = [[] for _ in columns]
        part_boxes: list[list[Box]] = [[] for _ in columns]
        column = 0
        for page, begin, end in line:
            for position in range(begin, end):
                _, line_index, word = page.places[position]
                box = block.lines[line_index].words[word].box
                if box is not None:  # (a word without a box goes with the one before)
                    middle = (box.left + box.right) / 2 - slant * (box.top - top)
                    column = bisect.bisect_right(found, middle)
                    part_boxes[column].append(box)
                runs = parts[column]
                if runs and runs[-1][2] == position:
                    runs[-1] = (page, runs[-1][1], position + 1)
                else:
                    runs.append((page, position, position + 1))
        for (lines, boxes), runs, words in zip(columns, parts, part_boxes, strict=True):
            if runs:
                lines.append(runs)
                boxes.append(bounds(words))  # (the line's part in this column)
    return [column for column in columns if column[0]]


def _line_box(line: LineRuns) -> Box | None:
    """The box of the printed line a line's runs lie on."""
    alto, start, _ = line[0]
    return alto.line_boxes[alto.line_at(start)] if alto.line_boxes else None


def find_merged(alto: AltoPage, root) -> dict[int, Cut]:
    """The blocks of a page that hold columns the OCR ran together, with their gutters
    (the wide blocks' layout built from root, the parsed document)."""
    lines = Counter(block for block, _, _, _ in alto.lines)
    text = [n for n, (box, (start, end)) in enumerate(zip(alto.block_boxes, alto.blocks,
                                                          strict=False))
            if box is not None and end - start >= TEXT_WORDS]
    if len(text) < 2:
        return {}
    typical = statistics.median(alto.block_boxes[n].width for n in text)
    # (its lines may be a column wide each, the OCR having listed the lines of two
    # columns in turn: they are read down each column too)
    wide = [n for n, box in enumerate(alto.block_boxes) if box is not None
            and box.width >= WIDE * typical and lines[n] >= 2 * MIN_LINES]
    if not wide:
        return {}
    # The body's line height (the unit gutters are measured in) from some UNIT_LINES
    # lines of blocks a column wide (a merged block's lines are taller: its columns are
    # never quite level), the smallest first: only these and the wide blocks are built.
    sample: list[int] = []
    for n in sorted((n for n in text if abs(alto.block_boxes[n].width / typical - 1) < 0.2),
                    key=lambda n: alto.blocks[n][1] - alto.blocks[n][0]):
        if sum(lines[k] for k in sample) >= UNIT_LINES:
            break
        sample.append(n)
    places = sorted(wide + sample)
    blocks = dict(zip(places, alto.some_blocks(places, root), strict=True))
    unit = typography([line for n in (sample or wide) for line in blocks[n].lines],
                      fallback=(alto.height or 1000.0) / 100).unit
    out: dict[int, Cut] = {}
    for n in wide:
        block_lines = list(blocks[n].lines)
        found, slant = skewed_gutters(block_lines, unit)
        if found:
            out[n] = (found, slant, block_top(block_lines), blocks[n])
    return out
