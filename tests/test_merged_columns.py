"""An article a METS places on a block in which the OCR ran two columns together (every
line of the block holds a line of each column) reads down each column in turn, not across
them line by line (archive.formats.merged_columns). An invented page: two ordinary blocks
of text, and under them one block twice as wide holding two columns."""

from __future__ import annotations

from pathlib import Path

from archive.formats.alto import read_alto
from archive.formats.merged_columns import by_column
from tests.test_mets import read_issue

CHAR, PITCH, HEIGHT = 10, 24, 20


def _column(seed: str, lines: int) -> list[str]:
    """Lines of words of uneven lengths (the spaces between them line up in no column)."""
    words = [seed + "x" * (1 + (7 * n) % 9) for n in range(10 * lines)]
    return [" ".join(words[n * 5:n * 5 + 5])[:34].strip() for n in range(lines)]


def _strings(text: str, left: int, top: int, prefix: str) -> str:
    out, x = [], left
    for k, word in enumerate(text.split()):
        out.append(f'<String ID="{prefix}_{k}" CONTENT="{word}" HPOS="{x}" VPOS="{top}" '
                   f'WIDTH="{CHAR * len(word)}" HEIGHT="{HEIGHT}" WC="0.9"/>')
        x += CHAR * (len(word) + 1)
    return "".join(out)


def _block(block_id: str, rows: list[list[tuple[str, int]]], top: int, width: int) -> str:
    """A TextBlock whose lines each hold the given (text, left) pieces side by side."""
    lines = []
    for n, pieces in enumerate(rows):
        y = top + PITCH * n
        strings = "".join(_strings(text, left, y, f"{block_id}_L{n}_{p}")
                          for p, (text, left) in enumerate(pieces))
        lines.append(f'<TextLine ID="{block_id}_L{n}" HPOS="0" VPOS="{y}" WIDTH="{width}" '
                     f'HEIGHT="{HEIGHT}">{strings}</TextLine>')
    return (f'<TextBlock ID="{block_id}" HPOS="0" VPOS="{top}" WIDTH="{width}" '
            f'HEIGHT="{PITCH * len(rows)}">{"".join(lines)}</TextBlock>')


LEFT, RIGHT = _column("l", 18), _column("r", 18)


def alto_page() -> bytes:
    blocks = [_block("TB1", [[(t, 0)] for t in _column("a", 14)], 0, 340),
              _block("TB2", [[(t, 400)] for t in _column("b", 14)], 0, 340),
              _block("TB3", [[(a, 0), (b, 400)] for a, b in zip(LEFT, RIGHT, strict=True)],
                     400, 740)]
    return ('<?xml version="1.0"?><alto><Layout><Page ID="P1" WIDTH="760" HEIGHT="900" '
            f'PHYSICAL_IMG_NR="1"><PrintSpace>{"".join(blocks)}</PrintSpace></Page>'
            '</Layout></alto>').encode()


METS = """<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">
  <fileSec><fileGrp USE="Text">
    <file ID="ALTO1" MIMETYPE="text/xml"><FLocat xlink:href="page-1.xml"/></file>
  </fileGrp></fileSec>
  <structMap TYPE="PHYSICAL"><div TYPE="page" ORDER="1"><fptr FILEID="ALTO1"/></div>
  </structMap>
  <structMap TYPE="LOGICAL"><div TYPE="ISSUE">
    <div ID="ART1" TYPE="ARTICLE"><div TYPE="BODY"><div TYPE="BODY_CONTENT">
      <div TYPE="PARAGRAPH"><fptr><area BEGIN="TB3" BETYPE="IDREF" FILEID="ALTO1"/></fptr>
      </div></div></div></div>
  </div></structMap>
</mets>
"""


def test_an_article_on_a_block_of_two_columns_reads_down_each(tmp_path: Path) -> None:
    (tmp_path / "page-1.xml").write_bytes(alto_page())
    (tmp_path / "mets.xml").write_text(METS, encoding="utf-8")
    unit = read_issue(tmp_path / "mets.xml")
    [article] = [item for item in unit.items if "lx" in " ".join(map(" ".join, item.blocks))]
    # (one paragraph, as the METS PARAGRAPH says)
    assert article.blocks == (tuple(LEFT + RIGHT),)


def test_blocks_of_one_column_are_read_as_they_are() -> None:
    alto = read_alto(alto_page())
    first = [[(alto, start, end)] for block, _, start, end in alto.lines if block == 0]
    [(lines, boxes)] = by_column(first)
    assert lines == first
    assert boxes == [alto.line_boxes[n] for n in range(len(first))]  # each line's box
    assert alto.merged == {2: alto.merged[2]}  # the wide block alone holds columns
