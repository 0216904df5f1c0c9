"""The true items of hOCR pages from hand annotations: one CSV row per hOCR paragraph
(bbox1..bbox4, text, articleID, category), as in TessTools' ground truth.

A paragraph of category text or title belongs to the article of its articleID (ids run
across the issue: an article continued on another page keeps its id); publicity is
advertisement (all unnumbered publicity of a page is one advertisement item); meta
(mastheads, the imprint box, dates), separators and unannotated paragraphs are
furniture. Rows are matched to paragraphs by bbox (exactly, else the best overlap)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from bench.truth import (
    FURNITURE,
    KIND_AD,
    KIND_ARTICLE,
    KIND_OTHER,
    Issue,
    Item,
    Line,
    Page,
    line_end_hyphen,
    normalise,
    parse_xml,
    read_bytes,
)

LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat", "ocrx_line"}
_BBOX = re.compile(r"bbox\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")
MIN_OVERLAP = 0.5  # intersection over union for a row whose bbox is not exactly a par's

Box = tuple[int, int, int, int]


def read_hocr_issue(hocr: Path, truth: Path, issue_id: str, meta_csv: Path | None = None
                    ) -> Issue:
    """The annotated pages <issue_id>-<n>.hocr[.gz] of a folder with their CSVs
    <issue_id>-<n>-annotated.csv; pages without a CSV are left out."""
    pages, items, notes = [], {}, []
    numbered = []
    for path in hocr.glob(f"{issue_id}-*.hocr*"):
        match = re.fullmatch(re.escape(issue_id) + r"-(\d+)\.hocr(?:\.gz)?", path.name)
        if match:
            numbered.append((int(match[1]), path))
    for number, path in sorted(numbered):
        csv_path = truth / f"{issue_id}-{number}-annotated.csv"
        if not csv_path.is_file():
            continue
        rows = _rows(csv_path)
        page, unmatched = _page(number, path, rows, items)
        pages.append(page)
        if unmatched:
            notes.append(f"page {number}: {unmatched} annotation row(s) match no paragraph")
    return Issue(name=issue_id, date=_date(meta_csv, issue_id) if meta_csv else None,
                 unit=None, pages=tuple(pages), items=items, notes=tuple(notes))


def _rows(path: Path) -> list[tuple[Box, str, str]]:
    """(bbox, articleID, category) of each annotated paragraph."""
    found = []
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            try:
                box = tuple(int(float(row[f"bbox{i}"])) for i in range(1, 5))
            except (KeyError, TypeError, ValueError):
                continue
            found.append((box, (row.get("articleID") or "").strip(),
                          (row.get("category") or "").strip().lower()))
    return found


def _bbox(title: str | None) -> Box | None:
    match = _BBOX.search(title or "")
    return tuple(int(v) for v in match.groups()) if match else None


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / area if area > 0 else 0.0


def _label(number: int, article: str, category: str, items: dict[str, Item]) -> str:
    """The item id of an annotated paragraph (creating the item), or FURNITURE."""
    if category == "publicity":
        key, kind = (f"ad {article}" if article else f"ads p{number}"), KIND_AD
    elif category in ("text", "title") and article:
        key, kind = f"article {article}", KIND_ARTICLE
    elif category in ("text", "title"):
        key, kind = f"other p{number}", KIND_OTHER
    else:
        return FURNITURE  # meta, separator, or not annotated
    items.setdefault(key, Item(key, kind))
    return key


def _page(number: int, path: Path, rows: list[tuple[Box, str, str]],
          items: dict[str, Item]) -> tuple[Page, int]:
    root = parse_xml(read_bytes(path))
    pars = [e for e in root.iter() if "ocr_par" in (e.get("class") or "").split()]
    boxes = [_bbox(p.get("title")) for p in pars]
    par_label = [FURNITURE] * len(pars)
    unmatched = 0
    for box, article, category in rows:
        if box in boxes:
            index = boxes.index(box)
        else:
            scored = [(_overlap(box, b), i) for i, b in enumerate(boxes) if b]
            best = max(scored, default=(0.0, -1))
            if best[0] < MIN_OVERLAP:
                unmatched += 1
                continue
            index = best[1]
        par_label[index] = _label(number, article, category, items)
    lines: list[Line] = []
    for par, label in zip(pars, par_label, strict=True):
        block = next((a.get("id") or "" for a in par.iterancestors()
                      if "ocr_carea" in (a.get("class") or "").split()), par.get("id") or "")
        par_lines = [e for e in par.iter()
                     if set((e.get("class") or "").split()) & LINE_CLASSES]
        lines += _lines(par_lines, block, label)
    return Page(number, path, tuple(lines)), unmatched


def _lines(elements: list, block: str, label: str) -> list[Line]:
    """Lines of one paragraph: a word hyphenated at a line end is one token, on the line
    of its first part, when the next line goes on with a letter."""
    words = [[w.strip() for w in ("".join(e.itertext()) for e in line.iter()
                                  if "ocrx_word" in (e.get("class") or "").split())
              if w.strip()] for line in elements]
    lines = []
    carried = False  # the first word of this line was counted on the line before
    for index, line in enumerate(elements):
        tokens = []
        for position, word in enumerate(words[index]):
            if position == 0 and carried:
                continue
            following = words[index + 1] if index + 1 < len(words) else []
            if position == len(words[index]) - 1 and line_end_hyphen(word) and following \
                    and following[0][:1].isalpha():
                word = word[:-1] + following[0]
            if token := normalise(word):
                tokens.append(token)
        carried = bool(words[index]) and line_end_hyphen(words[index][-1]) \
            and index + 1 < len(words) and bool(words[index + 1]) \
            and words[index + 1][0][:1].isalpha()
        lines.append(Line(line.get("id") or f"line{index}", block, " ".join(words[index]),
                          tuple(tokens), (label,) * len(tokens)))
    return lines


def _date(meta_csv: Path, issue_id: str) -> dt.date | None:
    """The issue date from a collection's metadata CSV (a row whose local_id is the
    issue), if it has one."""
    if not meta_csv.is_file():
        return None
    data = read_bytes(meta_csv) if meta_csv.suffix == ".gz" else meta_csv.read_bytes()
    for row in csv.DictReader(io.StringIO(data.decode("utf-8", "replace"))):
        if issue_id in (row.get("local_id"), row.get("id")):
            try:
                return dt.date.fromisoformat((row.get("date") or "")[:10])
            except ValueError:
                return None
    return None

