"""What expanding a query's wildcard and fuzzy terms against an index's vocabulary may
cost, the same on every engine, and the helpers every engine expands them with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.query import Fuzzy, Node, Wildcard, leaves

# What one search may cost once wildcards and fuzzy terms are expanded against the index's
# vocabulary, the same on every engine (Lucene's max_expansions and maxClauseCount): each
# such term stands for at most MAX_EXPANSIONS words of a field, and all of a query's share
# MAX_QUERY_WORDS; past that its most frequent words are searched and the result says so.
# (Whoosh reads every posting of every word searched: at 500, 26 prefixes ORed cost it
# about a second on 3,000 articles; unbounded, 45 s.)
MAX_EXPANSIONS = 500
MAX_QUERY_WORDS = 500
# Vocabulary entries the query's expanding terms may look at, shared alike, where an engine
# walks its vocabulary itself (Whoosh; tantivy runs the pattern as an automaton over its
# term dictionary): past it, the words found so far are searched and noted as capped.
MAX_SCANNED = 20_000
_REGEX_META = set("\\.+*?()|[]{}^$#&-~")  # escaped in regexes (tantivy's syntax too)


@dataclass(frozen=True)
class Budget:
    """What each wildcard or fuzzy term of one query may cost in each field it searches:
    words it may stand for, and vocabulary entries it may look at to find them."""
    words: int
    scanned: int


def expansion_budget(node: Node) -> Budget:
    """Each wildcard or fuzzy term's share of MAX_QUERY_WORDS and MAX_SCANNED among the
    query's distinct expanding terms (at most MAX_EXPANSIONS words)."""
    expanding = max(1, len({leaf for leaf in leaves(node)
                            if isinstance(leaf, Wildcard | Fuzzy)}))
    return Budget(max(1, min(MAX_EXPANSIONS, MAX_QUERY_WORDS // expanding)),
                  max(1, MAX_SCANNED // expanding))


def most_frequent(found: dict[str, int], limit: int) -> tuple[list[str], bool]:
    """The `limit` most frequent words of word -> frequency (ties alphabetically), and
    whether any was left out: how every engine caps an expansion."""
    ranked = sorted(found.items(), key=lambda wf: (-wf[1], wf[0]))
    return [word for word, _ in ranked[:limit]], len(ranked) > limit


def wildcard_regex(pattern: str) -> str:
    """A wildcard pattern (* any run, ? one character) as a whole-word regex (Python and
    tantivy read it alike: every other character is escaped)."""
    out = []
    for char in pattern:
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        else:
            out.append("\\" + char if char in _REGEX_META else char)
    return "".join(out)


def literal_prefix(pattern: str) -> str:
    """The letters before a pattern's first wildcard: the vocabulary range to walk."""
    return re.split(r"[*?]", pattern, maxsplit=1)[0]
