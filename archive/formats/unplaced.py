"""The words of an issue that its METS (or DIDL) places in no item: nothing printed may go
unsearchable. A page the issue file says nothing about (NDNP issues have no article
structure at all) is segmented by its layout like a page read alone (archive.segmentation);
on a page partly placed, the left-over blocks are furniture (margins, folios, rules, the
masthead atop the first page) or runs of text kept as items of kind "other"."""

from __future__ import annotations

from dataclasses import replace

from archive import furniture
from archive.formats.issue import IssuePage, LineRuns, confidence_of, printed_lines, texts
from archive.model import RawItem, Stripped
from archive.segmentation import segment
from archive.segmentation.furniture import dated_head
from archive.segmentation.furniture_places import EDGE_ZONE

# The top of an issue's first page where unplaced blocks are its masthead (title, date,
# number, price): a fraction of the page height.
MASTHEAD_ZONE = 0.125


def orphans(pages: dict[str, IssuePage]) -> tuple[list[RawItem], list[Stripped]]:
    """The words no item placed, page by page: a block in a margin, or whose every line is
    furniture (folios, running heads, rules), is stripped as such; other runs of unplaced
    blocks become items of kind "other", so that no printed word goes unsearchable. A run
    is split where a one-line heading in capitals opens a longer block. The unplaced
    blocks that open the issue's first page, in its top eighth, are its masthead."""
    items: list[RawItem] = []
    stripped_out: list[Stripped] = []
    numbered = [p for p in pages.values() if p.alto is not None]
    first = min(numbered, key=lambda p: (p.number is None, p.number or 0), default=None)
    for page in pages.values():
        if page.alto is None or all(page.used):
            continue
        if not any(page.used):  # the issue file says nothing of this page (NDNP: of any)
            found, cut = _segmented(page)
            items.extend(found)
            stripped_out.extend(cut)
            continue
        left: list[tuple[int, list[LineRuns]]] = []
        top = page is first
        alto = page.alto
        height = alto.height
        for index, box in enumerate(alto.block_boxes):
            lines = _unplaced_lines(page, index)
            if not lines:
                continue
            printed = printed_lines(lines)
            top = top and box is not None and bool(height) and \
                box.bottom <= MASTHEAD_ZONE * height and \
                not any(page.used[slice(*alto.blocks[index])])
            kinds = [furniture.classify(text) for text in printed]
            if top:
                stripped_out.append(Stripped("masthead", " ".join(printed)))
            elif alto.block_roles[index] == "margin" or (kinds and all(kinds)):
                stripped_out.extend(Stripped(kind.kind if kind else "margin", text)
                                    for kind, text in zip(kinds, printed, strict=True))
            elif _at_edge(box, height) and len(printed) <= 2 and dated_head(" ".join(printed)):
                stripped_out.append(Stripped("running-head", " ".join(printed)))
            else:
                left.append((index, lines))
        run: list[list[LineRuns]] = []
        headline = None
        for n, (index, lines) in enumerate(left):
            after = left[n + 1] if n + 1 < len(left) else None
            heading = _is_heading(lines) and after is not None and after[0] == index + 1 \
                and len(after[1]) > 1
            if run and (heading or index != left[n - 1][0] + 1):
                items.append(_orphan_item(run, headline, page))
                run, headline = [], None
            if heading and not run:
                headline = " ".join(printed_lines(lines))
            else:
                run.append(lines)
        if run:
            items.append(_orphan_item(run, headline, page))
    return items, stripped_out


def interleave(items: list[RawItem], left: list[RawItem]) -> list[RawItem]:
    """The issue's items in its own order, each unplaced run after the last item that
    starts on its page (else after the last one on an earlier page)."""
    out = list(items)
    for item in left:
        same = [n for n, o in enumerate(out) if o.page == item.page]
        before = [n for n, o in enumerate(out) if o.page is not None and item.page is not None
                  and o.page < item.page]
        at = same[-1] + 1 if same else before[-1] + 1 if before else len(out)
        out.insert(at, item)
    return out


def _at_edge(box, height: float | None) -> bool:
    """Whether a block lies in the band along the top or bottom edge of its page where
    running heads and folios stand."""
    return box is not None and bool(height) and (
        box.top <= EDGE_ZONE * height or box.bottom >= (1 - EDGE_ZONE) * height)


def _is_heading(lines: list[LineRuns]) -> bool:
    """A one-line block of a few words set in capitals ("IMPERIAL PARLIAMENT.")."""
    if len(lines) != 1 or not 1 <= sum(end - start for _, start, end in lines[0]) <= 10:
        return False
    text = " ".join(t for alto, start, end in lines[0] for t in alto.texts[start:end])
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.7 * len(letters) \
        and not text.endswith(",")


def _unplaced_lines(page: IssuePage, block_index: int) -> list[LineRuns]:
    """The words of a block no item placed, by printed line: runs of a line's words."""
    alto, used = page.alto, page.used
    start, end = alto.blocks[block_index]
    lines: list[LineRuns] = []
    if start == end or used.find(0, start, end) < 0:  # no word, or every word placed
        return lines
    index = alto.line_at(start)
    while index < len(alto.lines) and alto.lines[index][2] < end:
        _, _, position, line_end = alto.lines[index]
        runs: LineRuns = []
        while (position := used.find(0, position, line_end)) >= 0:
            stop = used.find(1, position, line_end)
            stop = line_end if stop < 0 else stop
            runs.append((alto, position, stop))
            position = stop
        if runs:
            lines.append(runs)
        index += 1
    return lines


def _orphan_item(run: list[list[LineRuns]], headline: str | None, page: IssuePage) -> RawItem:
    return RawItem(blocks=tuple(texts(run)), headline=headline, kind="other",
                   page=page.number, confidence=confidence_of(
                       [segment for lines in run for line in lines for segment in line]),
                   notes=("text the issue file places in no article",))


def _segmented(page: IssuePage) -> tuple[list[RawItem], list[Stripped]]:
    """The items of a page no item of the issue touches, found from its layout, on the
    page the issue's own page map gives (else the one its folio printed)."""
    assert page.alto is not None
    found, cut = segment(page.alto.page)
    if page.number is not None:
        found = [replace(item, page=page.number, pages=()) for item in found]
    return found, cut
