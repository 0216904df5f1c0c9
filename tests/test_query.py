"""Tests for the query parser: syntax, precedence, errors, descriptions, unparse, fuzzing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from index.describe import describe, describe_request
from index.engine import SearchRequest
from index.query import (
    FIELD_ALIASES,
    FIELDS,
    MAX_CLAUSES,
    MAX_QUERY_LENGTH,
    And,
    DateRange,
    Fuzzy,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    Wildcard,
    parse,
    query_terms,
)
from index.unparse import unparse

T = Term
D = dt.date


def everything_except(*nodes: Node) -> And:
    return And((MatchAll(), *(Not(node) for node in nodes)))


# --- syntax -----------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("", MatchAll()),
    ("   \t\n", MatchAll()),
    ("bombers", T("bombers")),
    ("bombers strike", And((T("bombers"), T("strike")))),
    ("bombers AND strike", And((T("bombers"), T("strike")))),
    ("oil OR gas", Or((T("oil"), T("gas")))),
    ("oil and gas or war", And((T("oil"), T("and"), T("gas"), T("or"), T("war")))),
    ("oil Or gas", And((T("oil"), T("Or"), T("gas")))),
    ("oil NOT sport", And((T("oil"), Not(T("sport"))))),
    ("oil -sport", And((T("oil"), Not(T("sport"))))),
    ("+oil +gas", And((T("oil"), T("gas")))),
    ("-sport", everything_except(T("sport"))),
    ("NOT sport", everything_except(T("sport"))),
    ("-sport -weather", everything_except(T("sport"), T("weather"))),
    ("NOT NOT oil", T("oil")),
    ("-(-oil)", T("oil")),
    ('"oil prices"', Phrase(("oil", "prices"))),
    ('“oil prices”', Phrase(("oil", "prices"))),
    ('„oil prices“', Phrase(("oil", "prices"))),
    ('"oil prices"~5', Phrase(("oil", "prices"), slop=5)),
    ('"oil"', T("oil")),
    ('"AND"', T("AND")),
    ('"harb*"', T("harb*")),
    ('"foo:bar"', T("foo:bar")),
    ("harb*", Wildcard("harb*")),
    ("h?rbour", Wildcard("h?rbour")),
    ("*ville", Wildcard("*ville")),
    ("polise~", Fuzzy("polise", 1)),
    ("polise~1", Fuzzy("polise", 1)),
    ("polise~2", Fuzzy("polise", 2)),
    ("headline:oil", T("oil", "headline")),
    ("Headline:oil", T("oil", "headline")),
    ("title:oil", T("oil", "headline")),
    ("author:smith", T("smith", "byline")),
    ("byline:smith", T("smith", "byline")),
    ("dateline:moscow", T("moscow", "place")),
    ("agency:Reuters", T("Reuters", "agency")),
    ("text:oil", T("oil", "body")),
    ('place:"Kuwait City"', Phrase(("Kuwait", "City"), "place")),
    ('headline:"oil prices"~3', Phrase(("oil", "prices"), "headline", 3)),
    ("headline:harb*", Wildcard("harb*", "headline")),
    ("headline:polise~2", Fuzzy("polise", 2, "headline")),
    ("headline:AND", T("AND", "headline")),
    ("-headline:oil", everything_except(T("oil", "headline"))),
    ("headline:(oil OR gas)", Or((T("oil", "headline"), T("gas", "headline")))),
    ("headline:(oil -gas)", And((T("oil", "headline"), Not(T("gas", "headline"))))),
    ("place:Kuwait City", And((T("Kuwait", "place"), T("City")))),
    ("http://example.org/a", T("http://example.org/a")),
    ("10:30 news", And((T("10:30"), T("news")))),
    ("e-mail al-Sabah", And((T("e-mail"), T("al-Sabah")))),
    ("(oil)", T("oil")),
    ("((oil gas))", And((T("oil"), T("gas")))),
    ("a (b (c OR d))", And((T("a"), T("b"), Or((T("c"), T("d")))))),
    ("a OR (b OR c)", Or((T("a"), T("b"), T("c")))),
    ("oil (-gas)", And((T("oil"), Not(T("gas"))))),
    ("oil OR -gas", Or((T("oil"), everything_except(T("gas"))))),
])
def test_syntax(query: str, expected: Node) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize("query, expected", [
    ("date:2017", DateRange(D(2017, 1, 1), D(2017, 12, 31))),
    ("date:2016-02", DateRange(D(2016, 2, 1), D(2016, 2, 29))),
    ("date:2017-11-04", DateRange(D(2017, 11, 4), D(2017, 11, 4))),
    ("date:2017-1-4", DateRange(D(2017, 1, 4), D(2017, 1, 4))),
    ("date:[2017-01-01 TO 2017-06-30]", DateRange(D(2017, 1, 1), D(2017, 6, 30))),
    ("date:[2017 TO 2018]", DateRange(D(2017, 1, 1), D(2018, 12, 31))),
    ("date:[2017-02 to 2017-02]", DateRange(D(2017, 2, 1), D(2017, 2, 28))),
    ("date:[2017 TO *]", DateRange(D(2017, 1, 1), None)),
    ("date:[* TO 2017-06]", DateRange(None, D(2017, 6, 30))),
    ("date:>2017-05-01", DateRange(D(2017, 5, 2), None)),
    ("date:>2017", DateRange(D(2018, 1, 1), None)),
    ("date:>=2017-05", DateRange(D(2017, 5, 1), None)),
    ("date:<2017", DateRange(None, D(2016, 12, 31))),
    ("date:<=2017-05", DateRange(None, D(2017, 5, 31))),
    ("-date:2017", everything_except(DateRange(D(2017, 1, 1), D(2017, 12, 31)))),
    ("oil date:2017 OR date:2018", Or((And((T("oil"), DateRange(D(2017, 1, 1), D(2017, 12, 31)))),
                                       DateRange(D(2018, 1, 1), D(2018, 12, 31))))),
])
def test_dates(query: str, expected: Node) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize("query, expected", [
    # NOT binds tightest, then AND, then OR
    ("a OR b c", Or((T("a"), And((T("b"), T("c")))))),
    ("a b OR c", Or((And((T("a"), T("b"))), T("c")))),
    ("a AND b OR c AND d", Or((And((T("a"), T("b"))), And((T("c"), T("d")))))),
    ("NOT a OR b", Or((everything_except(T("a")), T("b")))),
    ("NOT a b", And((Not(T("a")), T("b")))),
    ("(a OR b) c", And((Or((T("a"), T("b"))), T("c")))),
    ("NOT (a OR b) c", And((Not(Or((T("a"), T("b")))), T("c")))),
    ("a OR b OR c", Or((T("a"), T("b"), T("c")))),
])
def test_precedence(query: str, expected: Node) -> None:
    assert parse(query) == expected


def test_fields_and_aliases_constants() -> None:
    assert FIELDS == ("headline", "byline", "place", "agency", "body", "date")
    assert set(FIELD_ALIASES.values()) <= set(FIELDS)
    assert MAX_QUERY_LENGTH == 1000


def test_nodes_are_frozen_and_hashable() -> None:
    node = parse('headline:(oil OR "gas prices") -date:2017')
    assert hash(node) == hash(parse('headline:(oil OR "gas prices") -date:2017'))
    with pytest.raises(AttributeError):
        node.items = ()  # type: ignore[misc]


# --- errors -----------------------------------------------------------------------------

@pytest.mark.parametrize("query, hint", [
    ("headline:(", "Unclosed '('"),
    ("headline:", "e.g. headline:oil"),
    ("title:", "title:oil"),
    ("headline: oil", "right after the colon"),
    ("headline:)", "right after the colon"),
    ("headline:-oil", "-headline:"),
    ("AND oil", "on both sides"),
    ("oil AND", "on both sides"),
    ("OR oil", "e.g. oil OR gas"),
    ("oil OR", "e.g. oil OR gas"),
    ("AND OR", "on both sides"),
    ("oil OR OR gas", "on both sides"),
    ("oil AND OR gas", "on both sides"),
    ("(AND oil)", "on both sides"),
    ("(oil OR)", "on both sides"),
    ("oil NOT", "NOT sport"),
    ("NOT", "after it"),
    ("(oil", "add a matching ')'"),
    ("((oil)", "add a matching ')'"),
    ("oil)", "Unmatched ')'"),
    (")", "Unmatched ')'"),
    ("(oil))", "Unmatched ')'"),
    ('"oil prices', "closing"),
    ('oil "', "closing"),
    ("()", "Empty parentheses"),
    ("oil ( )", "Empty parentheses"),
    ('""', "Empty quotes"),
    ('"a b"~x', '"oil prices"~5'),
    ('"a b"~', "whole number"),
    ('"a b"~5x', "whole number"),
    ("date:2017-13", "date:2017-11"),
    ("date:2017-02-30", "not a valid date"),
    ("date:17", "not a valid date"),
    ("date:yesterday", "not a valid date"),
    ("date:0000", "not a valid date"),
    ("date:>", "not a valid date"),
    ("date:>9999-12-31", "outside the calendar"),
    ("date:<0001-01-01", "outside the calendar"),
    ("date:[2018 TO 2017]", "earlier date first"),
    ("date:[2017-06-30 TO 2017-01-01]", "earlier date first"),
    ("date:[* TO *]", "at least one date"),
    ("date:[2017 2018]", "TO"),
    ("date:[2017 TO 2018", "Unclosed '['"),
    ('date:"2017"', "date:2017"),
    ("date:(2017)", "date:2017"),
    ("[sic]", "only for date ranges"),
    ("headline:[2017 TO 2018]", "only for date ranges"),
    ("foo:bar", "Unknown field 'foo:'"),
    ("foo:bar", '"foo:bar"'),
    ("Kuwait: oil", "headline"),
    ("headline:(byline:smith)", "another field"),
    ("headline:(date:2017)", "another field"),
    ("headline:byline:smith", "another field"),
    ("*", "too broad"),
    ("*a", "at least 2 letters"),
    ("?", "too broad"),
    ("**", "too broad"),
    ("polise~3", "1 or 2"),
    ("polise~0", "1 or 2"),
    ("harb*~", "fuzzy"),
    ("a~b", "fuzzy"),
    ("~", "fuzzy"),
    ("oil - gas", "-sport"),
    ("oil -", "followed directly"),
    ("--oil", "followed directly"),
    ("+ oil", "followed directly"),
    ("x" * (MAX_QUERY_LENGTH + 1), "too long"),
    (" ".join(["w"] * (MAX_CLAUSES + 1)), f"at most {MAX_CLAUSES}"),
    ("(" * 30 + "a" + ")" * 30, "nested"),
])
def test_errors_are_readable(query: str, hint: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert hint in str(caught.value)
    assert str(caught.value)[0].isupper() or str(caught.value)[0] in "'\""


@pytest.mark.parametrize("query, position", [
    ("oil AND", 4), ("(oil", 0), ("oil)", 3), ('oil "gas', 4), ("a headline:", 2),
    ("x foo:bar", 2), ("date:2017-13", 5),
])
def test_error_positions(query: str, position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert caught.value.position == position


def test_query_error_is_a_value_error() -> None:
    assert issubclass(QueryError, ValueError)
    assert QueryError("x").position is None


def test_limits_are_inclusive() -> None:
    assert isinstance(parse("x" * MAX_QUERY_LENGTH), Term)
    assert len(parse(" ".join(["w"] * MAX_CLAUSES)).items) == MAX_CLAUSES
    assert parse("(" * 20 + "a" + ")" * 20) == T("a")
    assert parse("NOT " * 200 + "a") == T("a")


# --- describe ---------------------------------------------------------------------------

@pytest.mark.parametrize("query, text", [
    ("bombers", "“bombers”"),
    ("bombers strike", "“bombers” and “strike”"),
    ("a b c", "“a”, “b” and “c”"),
    ('"oil prices"', "the phrase “oil prices”"),
    ('"oil prices"~5', "the words “oil prices” within 5 words of each other"),
    ("oil OR gas", "“oil” or “gas”"),
    ("headline:oil", "headline containing “oil”"),
    ("headline:(oil OR gas)", "headline containing “oil” or “gas”"),
    ("harb*", "words starting with “harb”"),
    ("h?rbour", "words matching “h?rbour”"),
    ("polise~", "words like “polise”"),
    ("polise~2", "words like “polise” (up to 2 letters different)"),
    ("-sport", "not “sport”"),
    ("oil -sport", "“oil” and not “sport”"),
    ("a (b OR c)", "“a” and (“b” or “c”)"),
    ("date:[2017-01-01 TO 2017-06-30]", "dated 2017-01-01 to 2017-06-30"),
    ("date:2017", "dated 2017"),
    ("date:2017-11", "dated November 2017"),
    ("date:2017-11-04", "dated 2017-11-04"),
    ("date:>2017-05-01", "dated 2017-05-02 or later"),
    ("date:<2017", "dated up to 2016-12-31"),
    ("", "everything"),
])
def test_describe(query: str, text: str) -> None:
    assert describe(parse(query)) == text


@pytest.mark.parametrize("request_, text", [
    (SearchRequest(q="bombers", filters=(("agency", ("Reuters",)), ("month", ("2017-11",)))),
     "articles matching “bombers” from Reuters in November 2017"),
    (SearchRequest(), "all articles"),
    (SearchRequest(filters=(("year", ("2017",)),)), "all articles in 2017"),
    (SearchRequest(filters=(("agency", ("AFP", "Reuters")),)), "all articles from AFP or Reuters"),
    (SearchRequest(filters=(("place", ("Moscow",)), ("publication", ("Arab Times",)),
                            ("section", ("Business",)), ("page", ("3",)))),
     "all articles datelined Moscow in Arab Times in section Business on page 3"),
    (SearchRequest(filters=(("language", ("English",)), ("country", ("Kuwait",)))),
     "all articles written in English published in Kuwait"),
    (SearchRequest(q="oil", date_from=D(2017, 1, 1), date_to=D(2017, 6, 30)),
     "articles matching “oil” between 1 Jan 2017 and 30 Jun 2017"),
    (SearchRequest(date_from=D(2017, 1, 1)), "all articles since 1 Jan 2017"),
    (SearchRequest(date_to=D(2017, 6, 30)), "all articles until 30 Jun 2017"),
    (SearchRequest(month_day=(11, 4)), "all articles on 4 November in any year"),
    (SearchRequest(q="-sport -weather"),
     "all articles except those matching “sport” or “weather”"),
    (SearchRequest(filters=(("month", ("2017-13", "junk")),)), "all articles in 2017-13 or junk"),
    (SearchRequest(q="oil", sort="newest", page=3), "articles matching “oil”"),
])
def test_describe_request(request_: SearchRequest, text: str) -> None:
    assert describe_request(request_) == text


def test_describe_request_bad_query_raises_query_error() -> None:
    with pytest.raises(QueryError):
        describe_request(SearchRequest(q="oil AND"))


# --- query_terms ------------------------------------------------------------------------

@pytest.mark.parametrize("query, terms", [
    ("bombers strike", ["bombers", "strike"]),
    ('"oil prices" oil', ["oil", "prices"]),
    ("harb* h?rbour *ville", ["harb", "h"]),
    ("polise~ -sport NOT (weather OR rain)", ["polise"]),
    ("headline:(oil OR gas) date:2017", ["oil", "gas"]),
    ("-(-kept)", ["kept"]),
    ("", []),
])
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(parse(query)) == terms


# --- unparse ----------------------------------------------------------------------------

@pytest.mark.parametrize("query, written", [
    ("bombers", "bombers"),
    ("", ""),
    ("+oil AND gas", "oil gas"),
    ("a OR b c", "a OR (b c)"),
    ("NOT a", "-a"),
    ("polise~", "polise~1"),
    ("title:(oil OR gas)", "headline:(oil OR gas)"),
    ("-headline:(a b)", "-headline:(a b)"),
    ("-headline:a -headline:b", "-headline:a -headline:b"),
    ('“oil prices”~5', '"oil prices"~5'),
    ('"AND" "-x" "harb*" "foo:bar"', '"AND" "-x" "harb*" "foo:bar"'),
    ("date:[2017 TO 2017]", "date:2017"),
    ("date:[2017-02-01 TO 2017-02-28]", "date:2017-02"),
    ("date:>2017", "date:[2018-01-01 TO *]"),
    ("http://x.org 10:30", "http://x.org 10:30"),
])
def test_unparse(query: str, written: str) -> None:
    assert unparse(parse(query)) == written
    assert parse(written) == parse(query)


def test_unparse_rejects_what_syntax_cannot_say() -> None:
    with pytest.raises(ValueError):
        unparse(Term("two words"))


# --- property tests ---------------------------------------------------------------------

SYNTAX = st.sampled_from(list('abcAND OR NOT()"“”„-+*?~:[]<>=/.019') + [
    "AND", "OR", "NOT", "headline:", "title:", "date:", "date:2017", "TO", "http://", "~2",
    "10:30", "foo:", " ", "\t", "\u00a0",
])
FUZZ_TEXT = st.one_of(st.text(max_size=60), st.lists(SYNTAX, max_size=25).map("".join))


@given(FUZZ_TEXT)
@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_parses_or_raises_query_error(text: str) -> None:
    try:
        node = parse(text)
    except QueryError as error:
        assert str(error) and (error.position is None or 0 <= error.position <= len(text))
        return
    assert isinstance(node, Term | Phrase | Wildcard | Fuzzy | DateRange | And | Or | Not
                      | MatchAll)
    assert isinstance(describe(node), str) and isinstance(query_terms(node), list)
    written = unparse(node)
    assert parse(written) == node
    assert unparse(parse(written)) == written


WORD = st.one_of(
    st.from_regex(r"[a-z]{1,6}", fullmatch=True),
    st.sampled_from(["and", "or", "10:30", "http://x.org", "al-Sabah", "Kuwait", "Ağa"]),
)
DATE = st.sampled_from(["2017", "2017-11", "2017-11-04", "[2016 TO 2017-03]", "[* TO 2017]",
                        ">2017-05-01", "<=2016"])
FIELD = st.sampled_from(sorted(set(FIELDS) - {"date"} | set(FIELD_ALIASES)))


@st.composite
def leaves(draw: st.DrawFn) -> tuple[str, bool]:
    """A leaf as (query text, whether it carries a field)."""
    word = draw(WORD)
    kind = draw(st.sampled_from(["word", "phrase", "near", "wild", "fuzzy", "date", "quoted"]))
    text = {"word": word, "phrase": f'"{word} {draw(WORD)}"', "quoted": f'"{word}"',
            "near": f'“{word} {draw(WORD)}”~{draw(st.integers(1, 9))}',
            "wild": word[:2] + "*", "fuzzy": f"{word}~{draw(st.sampled_from(['', '1', '2']))}",
            "date": f"date:{draw(DATE)}"}[kind]
    if kind != "date" and draw(st.booleans()):
        return f"{draw(FIELD)}:{text}", True
    return text, kind == "date"


def combine(children: st.SearchStrategy[tuple[str, bool]]) -> st.SearchStrategy:
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda p: (f"{p[0][0]} {p[1][0]}", p[0][1] or p[1][1])),
        pair.map(lambda p: (f"{p[0][0]} AND {p[1][0]}", p[0][1] or p[1][1])),
        pair.map(lambda p: (f"{p[0][0]} OR {p[1][0]}", p[0][1] or p[1][1])),
        children.map(lambda c: (f"NOT {c[0]}", c[1])),
        children.map(lambda c: (f"-({c[0]})", c[1])),
        children.map(lambda c: (f"+({c[0]})", c[1])),
        st.tuples(FIELD, children).filter(lambda p: not p[1][1])
        .map(lambda p: (f"{p[0]}:({p[1][0]})", True)),
    )


QUERIES = st.recursive(leaves(), combine, max_leaves=12).map(lambda pair: pair[0])


@given(QUERIES)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_valid_queries_round_trip(query: str) -> None:
    assume(len(query) <= MAX_QUERY_LENGTH)
    node = parse(query)
    written = unparse(node)
    assert parse(written) == node
    assert isinstance(describe(node), str)
    assert all(term for term in query_terms(node))


@pytest.mark.parametrize("q, note", [
    ("the", "(“the” is too common to search for and left out)"),
    ('oil AND "of the"', "(“of the” is too common to search for and left out)"),
    ("the OR a", "(“the” and “a” are too common to search for and left out)"),
])
def test_description_says_which_words_were_left_out(q, note):
    assert describe_request(SearchRequest(q=q)).endswith(note)


@pytest.mark.parametrize("q", ["oil", '"president of the council"', "place:the", "byline:the"])
def test_no_note_when_nothing_was_left_out(q):
    assert "too common" not in describe_request(SearchRequest(q=q))
