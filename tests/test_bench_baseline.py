"""The benchmark's Whoosh baseline (bench/stock_whoosh.py, `whoosh-stock`): Whoosh as its
documentation sets it up. It lives in bench/, not in the engine registry, and on words both
analyses agree on it finds and counts what the tuned engine does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from index_helpers import articles, clustered_articles

from bench import baselines
from index import engines
from index.engine import SearchRequest, SearchResults

MARK = re.compile(r"<mark[^>]*>(.*?)</mark>")


def _pair(tmp_path, items):
    tuned = engines.make_engine("whoosh", tmp_path / "tuned", lambda ids: {})
    tuned.build(items)
    stock = baselines.engine_class("whoosh-stock")(tmp_path / "stock")
    stock.build(items)
    return tuned, stock


def _counts(results: SearchResults) -> dict[str, dict[str, int]]:
    return {f.name: {v.value: v.count for v in f.values} for f in results.facets}


def test_the_baseline_is_no_registered_engine() -> None:
    assert "whoosh-stock" not in engines.REGISTRY
    with pytest.raises(ValueError, match="unknown search engine 'whoosh-stock'"):
        engines.engine_name("whoosh-stock")
    assert baselines.is_baseline("whoosh-stock") and not baselines.is_baseline("whoosh")
    assert baselines.engine_class("whoosh-stock").name == "whoosh-stock"


def test_stock_baseline_counts_like_the_tuned_engine(tmp_path) -> None:
    """Whoosh's own facet counting, filters and sorting give the tuned engine's hits and
    counts; snippets come from Whoosh's highlighter on the stored body."""
    tuned, stock = _pair(tmp_path, articles())
    try:
        for q, kw in [("", {}), ("kuwait", {}), ("budget OR harbour", {"sort": "oldest"}),
                      ("", {"filters": (("place", ("Kuwait City", "Moscow")),)}),
                      ("", {"date_from": dt.date(2017, 1, 1),
                            "date_to": dt.date(2017, 12, 31)}),
                      ('"oil prices"', {"sort": "newest"})]:
            request = SearchRequest(q=q, facet_limit=0, **kw)
            a, b = tuned.search(request), stock.search(request)
            assert (a.total, a.stories) == (b.total, b.stories), q
            assert [h.id for h in a.hits] == [h.id for h in b.hits], q
            assert _counts(a) == _counts(b), q
        snippet = stock.search(SearchRequest(q="harbour")).hits[0].snippet_html
        assert MARK.findall(snippet) == ["harbour"] and snippet.endswith("ships.")
    finally:
        tuned.close()
        stock.close()


def test_stock_baseline_collapses_printings_of_a_story(tmp_path) -> None:
    """Whoosh's own collapse lists a story once; totals count printings, as ours."""
    tuned, stock = _pair(tmp_path, clustered_articles())
    try:
        for collapse in (True, False):
            request = SearchRequest(q="", page_size=100, collapse=collapse, facets=False,
                                    sort="oldest")
            a, b = tuned.search(request), stock.search(request)
            assert (a.total, a.stories, len(a.hits)) == (b.total, b.stories, len(b.hits))
            assert {h.story for h in a.hits} == {h.story for h in b.hits}
            # stories are counted either way; collapsed, each is listed once
            assert b.stories == 4 < b.total == 8 and len(b.hits) == (4 if collapse else 8)
    finally:
        tuned.close()
        stock.close()
