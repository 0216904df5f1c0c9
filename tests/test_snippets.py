"""index.snippets: the printed forms a query matched found from the shared index of forms
(form -> folded word and stem, stem -> forms) mark exactly what asking the matcher about
every token marks, across the index's renewals and under threads."""

from __future__ import annotations

import random
import threading

import pytest

from index import query as q
from index import snippets
from index.snippets import Highlighter, matcher

# Case and accent variants, stems shared by several forms, stopwords, apostrophes, tokens
# of combining marks only, Arabic with harakat, and words that merely contain a match.
WORDS = ("oil OIL Oil oils oiled soil boil price prices Prices pricing priced the of and "
         "minister ministers Minister's ministry café cafe CAFÉ Café's \u0301 x\u0301 "
         "الْكِتَاب الكتاب government governments governed Kuwait KUWAIT kuwaiti said "
         "rose fell barrel barrels o'clock rock'n'roll").split()
QUERIES = ("oil", "prices", "minister", "cafe", "الكتاب", '"oil prices"', '"minister said"~2',
           "kuwait -oil", "body:oil", "governed", 'oil "barrel prices"', "café OR rose")


def _texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 400))]
        joins = [rng.choice((" ", " ", ", ", ". ", "\n", "-", " — ")) for _ in words]
        texts.append("".join(w + j for w, j in zip(words, joins, strict=True)))
    return texts


def _one_by_one(matches) -> Highlighter:
    """A highlighter asking the matcher about every form (the wildcard and fuzzy path)."""
    highlighter = Highlighter(matches)
    highlighter._by_stem = False
    return highlighter


@pytest.mark.parametrize("query", QUERIES)
def test_forms_found_by_stem_mark_as_the_matcher_does(query: str) -> None:
    matches = matcher(q.parse(query), "body")
    assert matches is not None and not (matches.patterns or matches.fuzzy)
    fast, slow = Highlighter(matches), _one_by_one(matches)
    marked = 0
    for text in _texts(80):
        assert fast.snippet(text) == slow.snippet(text)
        assert fast.whole(text) == slow.whole(text)
        marked += "<mark" in fast.snippet(text)
    assert marked  # the texts do hold the query's words


def test_variants_are_marked_and_words_containing_them_are_not() -> None:
    html = Highlighter(matcher(q.parse("oil cafe"), "body")).whole(
        "OIL, Oil and oils; soil, boil. Café CAFÉ cafe\u0301")
    assert html.count("<mark") == 6
    assert "soil" in html and ">soil<" not in html and ">boil<" not in html


def _page(matches, texts: list[str]) -> list[str]:
    """The snippets of one result page: one highlighter for all its texts."""
    highlighter = Highlighter(matches)
    return [highlighter.snippet(text) for text in texts]


def test_the_index_of_forms_renews_without_changing_a_mark(monkeypatch) -> None:
    texts = _texts(60, seed=11)
    queries = (*QUERIES,
               'oil* "minister said"', 'pric~1 "oil prices"')  # (wildcards: one by one)
    matches = [matcher(q.parse(query), "body") for query in queries]
    expected = [_page(m, texts) for m in matches]
    monkeypatch.setattr(snippets._Printed, "LIMIT", 25)  # renewed every few texts
    monkeypatch.setattr(snippets, "_PRINTED", snippets._Printed())
    first = snippets._PRINTED
    assert [_page(m, texts) for m in matches] == expected
    assert snippets._PRINTED is not first


def test_threads_sharing_a_renewing_index_mark_alike(monkeypatch) -> None:
    texts = _texts(40, seed=3)
    matches = [matcher(q.parse(query), "body") for query in QUERIES[:6]]
    expected = [[_one_by_one(m).snippet(t) for t in texts] for m in matches]
    monkeypatch.setattr(snippets._Printed, "LIMIT", 40)
    monkeypatch.setattr(snippets, "_PRINTED", snippets._Printed())
    answers: list[list[list[str]]] = []

    def run() -> None:
        answers.append([[Highlighter(m).snippet(t) for t in texts] for m in matches])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [expected] * 4
