"""An AST of index.query written back as query syntax: the one writer of what the parser
reads, so links, spelling suggestions and capped-term notes quote a query the way a
reader would type it; parse(unparse(parse(q))) == parse(q)."""

from __future__ import annotations

import calendar
from dataclasses import replace

from index.query import (
    CLOSE_QUOTES,
    And,
    DateRange,
    Fuzzy,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    QueryError,
    Wildcard,
    leaves,
    map_leaves,
    parse,
)


def shared_field(node: Node) -> str | None:
    """The field every word of a compound carries, so it can be written once: f:(a OR b)."""
    if not isinstance(node, And | Or) or isinstance(node.items[0], MatchAll):
        return None  # -f:a -f:b reads better than f:(-a -b)
    found = list(leaves(node))
    fields = {None if isinstance(leaf, DateRange) else leaf.field for leaf in found}
    return fields.pop() if len(found) > 1 and len(fields) == 1 else None


def without_field(node: Node) -> Node:
    return map_leaves(node, lambda leaf: replace(leaf, field=None))


def unparse(node: Node) -> str:
    """Write an AST as query syntax; parse(unparse(parse(q))) == parse(q)."""
    return "" if isinstance(node, MatchAll) else _write(node)


def _write(node: Node) -> str:
    if isinstance(node, And | Or):
        if field := shared_field(node):
            return f"{field}:({_write(without_field(node))})"
        joiner = " OR " if isinstance(node, Or) else " "
        return joiner.join(_operand(i) for i in node.items if not isinstance(i, MatchAll))
    if isinstance(node, Not):
        return "-" + _operand(node.item)
    if isinstance(node, MatchAll):
        raise ValueError("MatchAll can only be written as the whole (empty) query")
    if isinstance(node, DateRange):
        return "date:" + write_dates(node)
    prefix = f"{node.field}:" if node.field else ""
    if isinstance(node, Phrase):
        return f'{prefix}"{" ".join(node.words)}"' + (f"~{node.slop}" if node.slop else "")
    if isinstance(node, Wildcard):
        return prefix + node.pattern
    if isinstance(node, Fuzzy):
        return f"{prefix}{node.text}~{node.distance}"
    try:  # bare when the bare word reads back as this very Term ("AND", "-x" do not)
        if parse(prefix + node.text) == node:
            return prefix + node.text
    except QueryError:
        pass
    if not node.text or any(c.isspace() or c in CLOSE_QUOTES for c in node.text):
        raise ValueError(f"Term {node.text!r} cannot be written as query syntax")
    return f'{prefix}"{node.text}"'


def _operand(node: Node) -> str:
    """_write, in parentheses where a compound would otherwise bind differently."""
    text = _write(node)
    return f"({text})" if isinstance(node, And | Or) and not shared_field(node) else text


def write_dates(node: DateRange) -> str:
    start, end = node.start, node.end
    if start is not None and end is not None and start.year == end.year:
        if start == end:
            return start.isoformat()
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return f"{start.year:04d}"
        last = calendar.monthrange(end.year, end.month)[1]
        if start.month == end.month and start.day == 1 and end.day == last:
            return f"{start.year:04d}-{start.month:02d}"
    return (f"[{start.isoformat() if start else '*'} TO "
            f"{end.isoformat() if end else '*'}]")
