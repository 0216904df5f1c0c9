"""Reading order of the pieces of a page from their boxes alone: columns found by the
gutters between them, bands cut where something spans the columns (a headline, a rule, a
full-width gap), read band by band, each column top down, the columns left to right.

This is a recursive XY-cut that prefers vertical cuts: a region whose columns run its full
height is read column by column, so that a gap that happens to line up across columns
never cuts the flow of text; only a region that no gutter divides is cut into bands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from archive.layout import Box

# A gap must be at least this many body line heights to cut bands by itself (a rule or a
# spanning piece needs no gap).
BAND_GAP = 1.2
# Box edges overlap their neighbours by this share of a line height and still leave a
# gutter between them (OCR boxes bleed into gutters).
EDGE_TOLERANCE = 0.35
# ... and by this share of their width (a skewed or warped scan).
SKEW = 0.12
# A rule counts when it is this many times longer than thick.
RULE_ELONGATION = 4.0


@dataclass(frozen=True)
class Placed:
    """A piece in reading order: its index in the list given, the column it was read in
    (pieces with the same path lie in one column, read top down) and that column's
    x-range (its left and right gutters, or the region's edges). `parted` marks the first
    piece under a division across every column of its region (a rule across them, or a
    clear band of white through them all): what lies above it is read and done."""

    index: int
    column: tuple[int, ...]
    left: float
    right: float
    parted: bool = False


@dataclass(frozen=True)
class Shape:
    """What ordering needs to know of a piece: its box, whether it may hold a gutter shut
    (a speck of noise may not) and whether it is running text (several lines)."""

    box: Box | None
    major: bool = True
    body: bool = False


def reading_order(shapes: Sequence[Shape], rules: Sequence[Box] = (),
                  unit: float = 1.0) -> list[Placed]:
    """Every piece once, in reading order. Pieces without a box keep their place after
    the piece that came before them in the source."""
    unit = unit if unit > 0 else 1.0
    boxed = [i for i, s in enumerate(shapes) if s.box is not None]
    out: list[Placed] = []
    if boxed:
        left = min(shapes[i].box.left for i in boxed)
        right = max(shapes[i].box.right for i in boxed)
        _Cutter(shapes, rules, unit, out).order(boxed, left, right, ())
    return _with_unboxed(shapes, out)


def _with_unboxed(shapes: Sequence[Shape], placed: list[Placed]) -> list[Placed]:
    unboxed = [i for i, s in enumerate(shapes) if s.box is None]
    if not unboxed:
        return placed
    out = list(placed)
    for i in unboxed:
        # After the nearest earlier piece of the source (already placed), else first.
        at = 0
        column: tuple[int, ...] = ()
        bounds = (0.0, 0.0)
        for position, p in enumerate(out):
            if p.index < i and (at == 0 or p.index > out[at - 1].index):
                at, column, bounds = position + 1, p.column, (p.left, p.right)
        out.insert(at, Placed(i, column, *bounds))
    return out


class _Cutter:
    def __init__(self, shapes: Sequence[Shape], rules: Sequence[Box], unit: float,
                 out: list[Placed]) -> None:
        self.shapes = shapes
        self.unit = unit
        self.out = out
        self.tolerance = EDGE_TOLERANCE * unit
        self.vertical = [r for r in rules if r.height >= RULE_ELONGATION * max(r.width, 1e-9)]
        self.horizontal = [r for r in rules if r.width >= RULE_ELONGATION * max(r.height, 1e-9)]

    def box(self, i: int) -> Box:
        return self.shapes[i].box  # type: ignore[return-value]

    def order(self, ids: list[int], left: float, right: float, path: tuple[int, ...],
              depth: int = 0) -> None:
        if len(ids) > 1 and depth < 64:
            bands = self._slabs(ids, self._across(ids, left, right))
            if len(bands) > 1:
                for n, part in enumerate(bands):
                    start = len(self.out)
                    self.order(part, left, right, path + (n,), depth + 1)
                    if n and len(self.out) > start:
                        self.out[start] = replace(self.out[start], parted=True)
                return
            columns = self._columns(ids, left, right)
            if len(columns) > 1:
                for n, (part, lo, hi) in enumerate(columns):
                    self.order(part, lo, hi, path + (n,), depth + 1)
                return
            bands = self._bands(ids, left, right)
            if len(bands) > 1:
                for n, part in enumerate(bands):
                    self.order(part, left, right, path + (n,), depth + 1)
                return
        for i in sorted(ids, key=lambda i: (self.box(i).top, self.box(i).left)):
            self.out.append(Placed(i, path, left, right))

    def _margin(self, box: Box) -> float:
        """How far a piece may poke into a gutter and still stand on one side of it."""
        return max(self.tolerance, SKEW * box.width)

    def _gutters(self, ids: list[int], which) -> list[float]:
        """x positions of the gaps between columns of the chosen pieces: places no piece
        crosses by more than its margin (a piece that pokes a little into the gutter, as
        on a skewed scan, is on one side; one that spans it, a headline, crosses), with
        pieces on both sides."""
        boxes = [self.box(i) for i in ids if which(self.shapes[i])]
        if len(boxes) < 2:
            return []
        margins = [self._margin(b) for b in boxes]
        edges = sorted({b.left for b in boxes} | {b.right for b in boxes})
        middles = sorted((b.left + b.right) / 2 for b in boxes)
        gutters: list[float] = []
        run: list[float] = []
        for x in edges:
            clear = middles[0] < x < middles[-1] and not any(
                b.left + m < x < b.right - m for b, m in zip(boxes, margins, strict=True))
            if clear and run and any(run[-1] < c < x for c in middles):
                gutters.append((run[0] + run[-1]) / 2)  # a piece between: a new gap
                run = []
            if clear:
                run.append(x)
            elif run:
                gutters.append((run[0] + run[-1]) / 2)
                run = []
        if run:
            gutters.append((run[0] + run[-1]) / 2)
        return gutters

    def _columns(self, ids: list[int], left: float, right: float
                 ) -> list[tuple[list[int], float, float]]:
        gutters = self._gutters(ids, lambda s: s.major)
        gutters += self._rule_gutters(ids, gutters)
        if not gutters:
            return []
        edges = [left, *sorted(gutters), right]
        parts: list[list[int]] = [[] for _ in range(len(edges) - 1)]
        for i in ids:
            b = self.box(i)
            middle = (b.left + b.right) / 2
            n = sum(1 for g in edges[1:-1] if middle > g)
            parts[n].append(i)
        return [(p, edges[n], edges[n + 1]) for n, p in enumerate(parts) if p]

    def _rule_gutters(self, ids: list[int], found: list[float]) -> list[float]:
        """Vertical rules running most of the region's height where no major piece
        crosses them by more than a line height: column rules that OCR boxes overlap."""
        top = min(self.box(i).top for i in ids)
        bottom = max(self.box(i).bottom for i in ids)
        out = []
        for rule in self.vertical:
            x = (rule.left + rule.right) / 2
            covered = min(rule.bottom, bottom) - max(rule.top, top)
            if covered < 0.6 * (bottom - top) or any(abs(x - g) < self.unit for g in found):
                continue
            if any(self.shapes[i].major and self.box(i).left + self.unit < x
                   < self.box(i).right - self.unit for i in ids):
                continue
            sides = [self.box(i).left + self.box(i).right < 2 * x for i in ids]
            if any(sides) and not all(sides):
                out.append(x)
        return out

    def _bands(self, ids: list[int], left: float, right: float) -> list[list[int]]:
        """Horizontal slabs of a region no gutter divides: cut above and below every piece
        that crosses the gutters of its running text, at rules that span most of the
        region, and at gaps wider than BAND_GAP line heights."""
        cuts: list[float] = []
        gutters = self._gutters(ids, lambda s: s.body)
        for i in ids:
            b = self.box(i)
            margin = self._margin(b)
            if self.shapes[i].major and any(b.left + margin < g < b.right - margin
                                            for g in gutters):
                cuts += [b.top - 1e-6, b.bottom + 1e-6]
        width = right - left
        top = min(self.box(i).top for i in ids)
        bottom = max(self.box(i).bottom for i in ids)
        for rule in self.horizontal:
            if top < (rule.top + rule.bottom) / 2 < bottom and \
                    min(rule.right, right) - max(rule.left, left) >= 0.6 * width:
                cuts.append((rule.top + rule.bottom) / 2)
        cuts += self._gaps(ids, BAND_GAP)
        return self._slabs(ids, cuts)

    def _across(self, ids: list[int], left: float, right: float) -> list[float]:
        """Cuts across every column of a region, taken before its columns: rules across
        nearly all of it, and gaps that run through all of three or more columns at one
        height (a band such as a feuilleton under the news). Across two columns a gap
        may line up by chance, so it must be twice as tall."""
        columns = len(self._gutters(ids, lambda s: s.body)) + 1
        if columns < 2:
            return []
        top = min(self.box(i).top for i in ids)
        bottom = max(self.box(i).bottom for i in ids)
        cuts = [(r.top + r.bottom) / 2 for r in self.horizontal
                if top < (r.top + r.bottom) / 2 < bottom
                and min(r.right, right) - max(r.left, left) >= 0.8 * (right - left)]
        return cuts + self._gaps(ids, BAND_GAP * (1 if columns >= 3 else 2))

    def _slabs(self, ids: list[int], cuts: list[float]) -> list[list[int]]:
        if not cuts:
            return []
        cuts = sorted(set(cuts))
        parts: list[list[int]] = [[] for _ in range(len(cuts) + 1)]
        for i in ids:
            b = self.box(i)
            middle = (b.top + b.bottom) / 2
            parts[sum(1 for c in cuts if middle > c)].append(i)
        return [p for p in parts if p]

    def _gaps(self, ids: list[int], lines: float) -> list[float]:
        """Heights of the gaps of at least so many line heights that no major piece
        crosses."""
        spans = sorted((self.box(i).top, self.box(i).bottom) for i in ids
                       if self.shapes[i].major)
        out = []
        reach = None
        for top, bottom in spans:
            if reach is not None and top - reach >= lines * self.unit:
                out.append((reach + top) / 2)
            reach = bottom if reach is None else max(reach, bottom)
        return out
