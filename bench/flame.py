"""Flame graphs and summaries of sampled stacks (py-spy's folded "raw" format: one line
per distinct stack, frames separated by ";", then a space and its sample count).

Frames are merged by function and file (py-spy names them "func (file:line)"; the line
number would split one function's time over every line it was sampled on), so a graph
reads by function. The SVG is drawn here: a plain flame graph (roots at the bottom, width
proportional to samples, a tooltip per frame), viewable in any browser."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

import rust_demangler

_LINE = re.compile(r"^(.*?) \(([^()]*?)(?::\d+)?\)$")  # "func (file:line)" -> func, file
MIN_WIDTH = 0.1  # % of the samples: narrower frames are left out of the picture


def frame_name(frame: str) -> str:
    """A frame as the graph merges it: "func (file)"; a Rust symbol (tantivy's)
    demangled, its generic arguments left out."""
    match = _LINE.match(frame)
    func, where = match.groups() if match else (frame, "")
    if func.startswith("_R"):
        func = _rust(func)
    return f"{func} ({where})" if where else func


def _rust(symbol: str) -> str:
    try:
        name = rust_demangler.demangle(symbol)
    except Exception:  # noqa: BLE001 - a symbol it cannot read stays as sampled
        return symbol
    # generic arguments collapse to <…>; a qualified path's brackets (<T as Trait>::f) stay
    out: list[str] = []
    stack: list[bool] = []  # per open bracket: generic arguments?
    for i, character in enumerate(name):
        inside = any(stack)
        if character == "<":
            generic = i > 0 and name[i - 1] not in " <(&*"
            stack.append(generic)
            if not inside:
                out.append("<…" if generic else "<")
        elif character == ">" and stack:
            stack.pop()
            if not any(stack):
                out.append(">")
        elif not inside:
            out.append(character)
    return "".join(out)


@dataclass
class Node:
    name: str
    samples: int = 0
    children: dict[str, Node] = field(default_factory=dict)
    skipped: int = 0  # (the root's) samples of stacks left out


STARTUP = "_find_and_load ("  # importlib's frame while a module is imported


def read_folded(lines: Iterable[str], threads: bool = False,
                skip: str | None = STARTUP) -> Node:
    """The call tree of folded stacks. py-spy's leading "thread (...)" and "process
    (...)" frames are dropped unless `threads`, and so are native frames below the first
    Python one (C start-up code, unwound differently from sample to sample). Stacks
    through a frame whose name holds `skip` (by default the import machinery: start-up,
    not the work profiled) are left out, counted in the root's `skipped`."""
    root = Node("all")
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        frames = [f for f in stack.split(";")
                  if threads or not f.startswith(("thread (", "process "))]
        if skip and any(skip in frame for frame in frames):
            root.skipped += samples
            continue
        first = next((i for i, f in enumerate(frames) if _python(f)), 0)
        root.samples += samples
        node = root
        for frame in frames[first:] if not threads else frames:
            name = frame_name(frame)
            node = node.children.setdefault(name, Node(name))
            node.samples += samples
    return root


def _python(frame: str) -> bool:
    return ".py:" in frame or "(<frozen " in frame


def inclusive(root: Node, under: str | None = None) -> tuple[Counter[str], int]:
    """Samples of the stacks holding each frame (once per stack, however deep it
    recurses) and the samples of all those stacks: every stack, or those passing through
    `under`, counting frames from there up."""
    shares: Counter[str] = Counter()
    total = 0

    def walk(node: Node, path: frozenset[str]) -> None:
        if node.name not in path:
            shares[node.name] += node.samples
        for child in node.children.values():
            walk(child, path | {node.name})

    def find(node: Node) -> None:
        nonlocal total
        if node.name == under:
            total += node.samples
            walk(node, frozenset())
            return
        for child in node.children.values():
            find(child)

    if under is None:
        total = root.samples
        for child in root.children.values():
            walk(child, frozenset())
    else:
        find(root)
    return shares, total


def summary(root: Node, under: str | None = None, top: int = 30,
            match: str | None = None) -> list[tuple[float, str]]:
    """(% of the samples under `under`, frame) of the most sampled frames."""
    shares, total = inclusive(root, under)
    total = max(1, total)
    pattern = re.compile(match) if match else None
    rows = [(100 * n / total, name) for name, n in shares.most_common()
            if pattern is None or pattern.search(name)]
    return rows[:top]


def svg(root: Node, title: str, width: int = 1200, row: int = 16) -> str:
    """A flame graph of the tree."""
    rows: list[tuple[int, float, float, Node]] = []  # depth, x, width, node

    def place(node: Node, depth: int, x: float) -> None:
        share = node.samples / max(1, root.samples)
        if share * 100 < MIN_WIDTH:
            return
        rows.append((depth, x, share, node))
        for child in sorted(node.children.values(), key=lambda n: n.name):
            place(child, depth + 1, x)
            x += child.samples / max(1, root.samples)

    place(root, 0, 0.0)
    depth = max((d for d, *_ in rows), default=0) + 1
    height = depth * row + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="monospace" font-size="11">',
           f'<text x="6" y="16" font-size="14">{escape(title)} '
           f'({root.samples:,} samples)</text>']
    for level, x, share, node in rows:
        y = height - (level + 1) * row
        px, pw = x * width, max(share * width - 0.5, 0.5)
        hue = 20 + zlib.crc32(node.name.encode()) % 40  # warm, the same every run
        label = f"{node.name} ({100 * share:.1f}%)"
        text = node.name if pw > 60 else ""
        characters = int(pw / 7)
        if len(text) > characters:
            text = text[:max(0, characters - 2)] + ".." if characters > 4 else ""
        out.append(f'<g><title>{escape(label)}</title><rect x="{px:.1f}" y="{y}" '
                   f'width="{pw:.1f}" height="{row - 1}" fill="hsl({hue},85%,60%)"/>'
                   + (f'<text x="{px + 3:.1f}" y="{y + row - 4}">{escape(text)}</text>'
                      if text else "") + "</g>")
    out.append("</svg>")
    return "\n".join(out)
