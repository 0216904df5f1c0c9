"""The one query parser (CLI, web, JSON, Atom): a reader's search text -> a small AST of frozen
dataclasses, plus highlight terms and unparsing. Stdlib only; the plain-English
descriptions live in index/describe.py, each engine's translation in its own module.

Syntax, as the help page should state it:
- words are ANDed; AND, OR, NOT are operators only in upper case; precedence NOT > AND > OR;
  -x and NOT x exclude, +x is plain x; ( ) group, nested up to MAX_DEPTH levels.
- "a phrase" ("typographic quotes" too), "a phrase"~5 for proximity; a quoted single word is
  taken literally ("AND", "harb*", "foo:bar").
- harb* and h?rbour are wildcards; polise~ and polise~2 are fuzzy (distance 1 or 2).
- field:value applies to the next word, phrase or (group); the value follows the colon
  directly. date: takes 2017, 2017-11, 2017-11-04, [2017 TO 2018] (* = open end), or one of
  > >= < <= before a date.
- A colon starts a field only when everything before it is letters and it is not followed
  by "//": http://x.org and 10:30 are ordinary words; an unknown name (foo:bar) is an error.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotation: keeps engine free to import this module
    from index.engine import SearchRequest

FIELDS = ("headline", "byline", "place", "agency", "body", "date")
FIELD_ALIASES = {"title": "headline", "author": "byline", "dateline": "place", "text": "body"}
DEFAULT_FIELDS = ("headline", "body")  # what a word without a field searches
MAX_QUERY_LENGTH = 1000
MAX_CLAUSES = 50
MAX_DEPTH = 20  # nested groups; also keeps every recursive walk far below the recursion limit
MAX_FUZZY = 2
_OPEN_QUOTES = '"“”„'  # readers paste „German“ and ”Swedish” quotes too
CLOSE_QUOTES = '"“”'
_FIELD_RE = re.compile(r"([^\W\d_]+):(?!//)")  # letters only, so 10:30 and http:// stay words
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # not strftime: locale-free
_KNOWN_FIELDS = (", ".join(FIELDS) + " (or " + ", ".join(f"{a}: for {c}:" for a, c
                                                        in FIELD_ALIASES.items()) + ")")
_WORD_RE = re.compile(rf"[^\s(){_OPEN_QUOTES}]+")  # a word ends at a space, parenthesis or quote
_SLOP_RE = re.compile(r"[0-9]+(?=[\s)]|$)")  # "a b"~5x is a typo, not proximity 5 and x
_DAY = dt.timedelta(days=1)
_UNCLOSED = "Unclosed '(': add a matching ')'"
_UNMATCHED = "Unmatched ')': remove it or add a '(' before it"


class QueryError(ValueError):
    """A query the parser cannot read; the message tells the reader how to fix it."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Term:
    """One word; field None means the default fields (headline and body)."""
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    """Words in this order, at most `slop` extra positions apart."""
    words: tuple[str, ...]
    field: str | None = None
    slop: int = 0


@dataclass(frozen=True)
class Wildcard:
    """A word pattern with * (any run of letters) or ? (one letter)."""
    pattern: str
    field: str | None = None


@dataclass(frozen=True)
class Fuzzy:
    """Words within `distance` edits of text (OCR and spelling variants)."""
    text: str
    distance: int = 1
    field: str | None = None


@dataclass(frozen=True)
class DateRange:
    """Issue dates from start to end inclusive; None is an open end."""
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class And:
    """All items match; a Not only ever appears directly inside an And."""
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any item matches."""
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Excludes what item matches (always beside a positive item or MatchAll)."""
    item: Node


@dataclass(frozen=True)
class MatchAll:
    """Every article: the empty query."""


Node = Term | Phrase | Wildcard | Fuzzy | DateRange | And | Or | Not | MatchAll
Leaf = Term | Phrase | Wildcard | Fuzzy | DateRange


@dataclass(frozen=True)
class _Token:
    kind: str  # word, phrase, range, field, sign, (, ), AND, OR, NOT
    text: str
    pos: int
    end: int
    slop: int = 0


def parse(text: str) -> Node:
    """Parse a reader's query into a normalised AST; raise QueryError (with a hint) if bad."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is too long ({len(text)} characters, at most "
                         f"{MAX_QUERY_LENGTH}): shorten it", MAX_QUERY_LENGTH)
    tokens = _tokenize(text)
    if not tokens:
        return MatchAll()
    parser = _Parser(text, tokens)
    node = parser.parse_or()
    if (tok := parser.peek()) is not None:  # parse_or stops only at the end or at a ")"
        raise QueryError(_UNMATCHED, tok.pos)
    return node


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()+-":  # a sign only starts a token: e-mail and al-Sabah stay whole words
            tokens.append(_Token("sign" if ch in "+-" else ch, ch, i, i + 1))
            i += 1
        elif ch in _OPEN_QUOTES:
            close = next((j for j in range(i + 1, len(text)) if text[j] in CLOSE_QUOTES), -1)
            if close < 0:
                raise QueryError('Unterminated quote: add a closing " to end the phrase', i)
            end, slop = close + 1, 0
            if text[end:end + 1] == "~":
                match = _SLOP_RE.match(text, end + 1)
                if not match:
                    raise QueryError('Proximity is a whole number after the closing quote, '
                                     'e.g. "oil prices"~5', end)
                end, slop = match.end(), int(match.group())
            tokens.append(_Token("phrase", text[i + 1:close], i, end, slop))
            i = end
        elif ch == "[":
            close = text.find("]", i)
            if close < 0:
                raise QueryError("Unclosed '[': write date ranges as "
                                 "date:[2017-01-01 TO 2017-06-30]", i)
            tokens.append(_Token("range", text[i + 1:close], i, close + 1))
            i = close + 1
        elif match := _FIELD_RE.match(text, i):
            name = FIELD_ALIASES.get(match.group(1).lower(), match.group(1).lower())
            if name not in FIELDS:
                word = _WORD_RE.match(text, i).group()
                raise QueryError(f"Unknown field '{match.group(1)}:'. Fields are {_KNOWN_FIELDS}."
                                 f" To search for the word itself, quote it: \"{word}\"", i)
            tokens.append(_Token("field", name, i, match.end()))
            i = match.end()
        else:
            word = _WORD_RE.match(text, i).group()
            end = i + len(word)
            # glued to a field or sign (headline:AND, -OR) the word is a word, not an operator
            glued = bool(tokens) and tokens[-1].end == i and tokens[-1].kind in ("field", "sign")
            kind = word if word in ("AND", "OR", "NOT") and not glued else "word"
            tokens.append(_Token(kind, word, i, end))
            i = end
    return tokens


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary (AND? unary)*; NOT > AND > OR."""

    def __init__(self, source: str, tokens: list[_Token]) -> None:
        self.source, self.tokens, self.i, self.depth, self.clauses = source, tokens, 0, 0, 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        self.i += 1
        return self.tokens[self.i - 1]

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            items.append(self.parse_and())
        return _or(items)

    def parse_and(self) -> Node:
        items = [self.parse_unary()]
        while (tok := self.peek()) is not None and tok.kind not in ("OR", ")"):
            if tok.kind == "AND":
                self.take()
            items.append(self.parse_unary())
        return _and(items)

    def parse_unary(self) -> Node:
        negate = False
        while (tok := self.operand()).kind == "NOT":  # a loop: NOT NOT ... cannot recurse deep
            self.take()
            negate = not negate
        if tok.kind == "sign":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.pos != tok.end or nxt.kind in ("sign", ")"):
                raise QueryError(f"'{tok.text}' must be followed directly by a word, phrase or "
                                 f"(group), e.g. {tok.text}sport", tok.pos)
            negate ^= tok.text == "-"
        node = self.parse_primary()
        return _not(node) if negate else node

    def operand(self) -> _Token:
        """The next token if it can start an operand, else the error the reader needs."""
        tok, prev = self.peek(), self.tokens[self.i - 1] if self.i else None
        if tok is not None and tok.kind not in ("AND", "OR", ")"):
            return tok
        if prev is not None and prev.kind == "NOT":
            raise QueryError("'NOT' needs a search term after it, e.g. oil NOT sport", prev.pos)
        culprit = prev if prev is not None and prev.kind in ("AND", "OR") else tok
        if culprit is not None and culprit.kind in ("AND", "OR"):
            raise QueryError(f"'{culprit.text}' needs a search term on both sides, "
                             f"e.g. oil {culprit.text} gas", culprit.pos)
        if tok is None:  # only a "(" can come right before the end here
            raise QueryError(_UNCLOSED, prev.pos if prev else None)
        raise QueryError(_UNMATCHED, tok.pos)

    def parse_primary(self) -> Node:
        tok = self.take()
        if tok.kind == "field":
            return self.parse_field(tok)
        if tok.kind == "range":
            raise QueryError("Square brackets are only for date ranges, "
                             "e.g. date:[2017-01-01 TO 2017-06-30]", tok.pos)
        if tok.kind == "(":
            if self.depth >= MAX_DEPTH:
                raise QueryError(f"Too many nested parentheses (at most {MAX_DEPTH})", tok.pos)
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise QueryError("Empty parentheses: put search terms inside or remove them",
                                 tok.pos)
            self.depth += 1
            node = self.parse_or()  # returns at the end or at a ")"
            self.depth -= 1
            if self.peek() is None:
                raise QueryError(_UNCLOSED, tok.pos)
            self.take()
            return node
        self.count(tok)
        if tok.kind == "word":
            return _word(tok)
        if not (words := tuple(tok.text.split())):
            raise QueryError("Empty quotes: put words between them or remove them", tok.pos)
        return Term(words[0]) if len(words) == 1 else Phrase(words, slop=tok.slop)

    def parse_field(self, field: _Token) -> Node:
        written = self.source[field.pos:field.end]
        nxt = self.peek()
        if nxt is None or nxt.pos != field.end or nxt.kind in ("sign", ")"):
            example = ("date:2017 or date:[2017-01 TO 2017-06]" if field.text == "date" else
                       f'{written}oil, {written}"oil prices" or {written}(oil OR gas)')
            hint = f" (to exclude, write -{written}...)" if nxt and nxt.kind == "sign" else ""
            raise QueryError(f"'{written}' needs a value right after the colon, e.g. "
                             f"{example}{hint}", field.pos)
        if field.text == "date":
            if nxt.kind not in ("word", "range"):
                raise QueryError("The date: field takes a date or a range: date:2017, "
                                 "date:2017-11, date:2017-11-04 or date:[2017 TO 2018]", nxt.pos)
            self.count(self.take())
            return _date_range(nxt)

        def set_field(leaf: Leaf) -> Leaf:
            if isinstance(leaf, DateRange) or leaf.field is not None:
                raise QueryError(f"A field cannot contain another field: write {written}oil "
                                 "OR byline:smith", field.pos)
            return replace(leaf, field=field.text)
        return map_leaves(self.parse_primary(), set_field)

    def count(self, tok: _Token) -> None:
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QueryError(f"Too many search terms (at most {MAX_CLAUSES}): split the search "
                             "or remove some words", tok.pos)


def _word(tok: _Token) -> Node:
    text = tok.text
    if "~" in text:
        match = re.fullmatch(r"([^~*?]+)~([0-9]*)", text)
        if not match:
            raise QueryError(f"'{text}' is not a fuzzy search: write a word, then ~ and 1 or 2, "
                             "e.g. polise~ or polise~2", tok.pos)
        distance = int(match.group(2) or "1")
        if not 1 <= distance <= MAX_FUZZY:
            raise QueryError(f"Fuzzy distance must be 1 or 2, not {distance}: e.g. polise~2",
                             tok.pos)
        return Fuzzy(match.group(1), distance)
    if "*" in text or "?" in text:
        # a leading wildcard scans the whole vocabulary; demand some letters to narrow it
        if text[0] in "*?" and sum(c not in "*?" for c in text) < 2:
            raise QueryError(f"'{text}' is too broad: a wildcard at the start needs at least "
                             "2 letters, e.g. *ville or harb*", tok.pos)
        return Wildcard(text)
    return Term(text)


def _bounds(value: str, pos: int) -> tuple[dt.date, dt.date]:
    """First and last day of a year, month or day written as 2017, 2017-11 or 2017-11-04."""
    match = _DATE_RE.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = (int(g) if g else None for g in match.groups())
        if day is not None:
            return dt.date(year, month, day), dt.date(year, month, day)
        if month is not None:
            return (dt.date(year, month, 1),
                    dt.date(year, month, calendar.monthrange(year, month)[1]))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise QueryError(f"'{value}' is not a valid date: write date:2017, date:2017-11 or "
                         "date:2017-11-04", pos) from None


def _date_range(tok: _Token) -> DateRange:
    if tok.kind == "range":
        parts = tok.text.split()
        if len(parts) != 3 or parts[1].upper() != "TO":
            raise QueryError("Write date ranges as date:[2017-01-01 TO 2017-06-30] "
                             "(* for an open end)", tok.pos)
        start = None if parts[0] == "*" else _bounds(parts[0], tok.pos)[0]
        end = None if parts[2] == "*" else _bounds(parts[2], tok.pos)[1]
        if start is None and end is None:
            raise QueryError("A date range needs at least one date, e.g. date:[2017 TO *]",
                             tok.pos)
    else:
        op = re.match(r"[<>]=?", tok.text)
        low, high = _bounds(tok.text[op.end():] if op else tok.text, tok.pos)
        start, end = low, high
        try:  # > and < exclude the whole year, month or day named
            if op and op.group() == ">":
                start, end = high + _DAY, None
            elif op and op.group() == "<":
                start, end = None, low - _DAY
            elif op:
                start, end = (low, None) if op.group() == ">=" else (None, high)
        except OverflowError:
            raise QueryError(f"'{tok.text}' reaches outside the calendar", tok.pos) from None
    if start is not None and end is not None and start > end:
        raise QueryError(f"The date range [{tok.text}] ends before it starts: put the earlier "
                         "date first", tok.pos)
    return DateRange(start, end)


def _not(node: Node) -> Node:
    """Negate; NOT NOT x and -(-x) are just x."""
    if isinstance(node, Not):
        return node.item
    if (isinstance(node, And) and len(node.items) == 2 and isinstance(node.items[0], MatchAll)
            and isinstance(node.items[1], Not)):
        return node.items[1].item
    return Not(node)


def _and(items: list[Node]) -> Node:
    """Flatten nested Ands; an And of only Nots means 'everything except'."""
    flat = [part for item in items for part in (item.items if isinstance(item, And) else (item,))]
    kept = [item for item in flat if not isinstance(item, MatchAll)]
    if not kept:
        return MatchAll()
    if all(isinstance(item, Not) for item in kept):
        return And((MatchAll(), *kept))
    return kept[0] if len(kept) == 1 else And(tuple(kept))


def _or(items: list[Node]) -> Node:
    flat = [part for item in items for part in (item.items if isinstance(item, Or) else (item,))]
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def leaves(node: Node, negated: bool = True) -> Iterator[Leaf]:
    """Every leaf under node; with negated=False, only those not under a Not."""
    if isinstance(node, And | Or):
        for item in node.items:
            yield from leaves(item, negated)
    elif isinstance(node, Not):
        if negated:
            yield from leaves(node.item)
    elif not isinstance(node, MatchAll):
        yield node


def map_leaves(node: Node, change: Callable[[Leaf], Leaf]) -> Node:
    if isinstance(node, And | Or):
        return type(node)(tuple(map_leaves(item, change) for item in node.items))
    if isinstance(node, Not):
        return Not(map_leaves(node.item, change))
    return node if isinstance(node, MatchAll) else change(node)


def effective_sort(request: SearchRequest) -> str:
    """The order results really come in: relevance means nothing without words, so a
    search for everything (possibly filtered) lists the newest first."""
    if request.sort == "relevance" and isinstance(parse(request.q), MatchAll):
        return "newest"
    return request.sort


def positive_leaves(node: Node) -> list[Leaf]:
    """The leaves a reader searched for: not under a NOT, not date ranges."""
    return [leaf for leaf in leaves(node, negated=False) if not isinstance(leaf, DateRange)]


def query_terms(node: Node) -> list[str]:
    """The words a highlighter should mark: positive terms, phrase words, wildcard prefixes."""
    found: list[str] = []
    for leaf in leaves(node, negated=False):
        if isinstance(leaf, Term | Fuzzy):
            found.append(leaf.text)
        elif isinstance(leaf, Phrase):
            found.extend(leaf.words)
        elif isinstance(leaf, Wildcard) and (stem := re.split(r"[*?]", leaf.pattern)[0]):
            found.append(stem)
    return list(dict.fromkeys(found))  # first occurrence wins, order kept
