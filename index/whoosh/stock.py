"""The benchmark's baseline `whoosh-stock`: Whoosh as its documentation sets it up, to
measure the tuned engine against. Whoosh's default writer and StemmingAnalyzer, the body
stored in the index and highlighted from there by Whoosh's own highlighter, dates filtered
with DateRange, facets counted by Whoosh's groupedby. Not for serving."""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh import sorting
from whoosh.searching import Searcher

from index import pipeline
from index.engine import Facet, SearchRequest
from index.results import facets as shape_facets
from index.whoosh.analysis import PLAIN
from index.whoosh.engine import WhooshEngine, text_of
from index.whoosh.highlight import highlight_terms
from index.whoosh.query import filters
from index.whoosh.schema import FACET_FIELDS, MULTI_VALUED


class StockWhooshEngine(WhooshEngine):
    """WhooshEngine with Whoosh's defaults in place of each tuning."""

    name = "whoosh-stock"
    stock = True

    def _writer(self, index, batch: int):
        return index.writer()

    def _terms_of(self, text: str, stemmed: bool = True) -> list[str]:
        chain = self.analyzer if stemmed else PLAIN
        return [token.text for token in chain(text, mode="query")]

    def _bodies(self, page_hits: list, snippets: bool) -> dict[str, str]:
        return {h["id"]: h.get("body", "") for h in page_hits} if snippets else {}

    def _marked(self, terms: dict[str, set[str]], headline: str, body: str | None,
                matched_in: tuple[str, ...], marks: pipeline.Marks) -> tuple[str, str]:
        """Whoosh's own highlighter, on the terms the hit matched."""
        return pipeline.marked(
            headline, body,
            highlight_terms(headline, terms.get("headline"), self.analyzer, whole=True),
            highlight_terms(body, terms.get("body"), self.analyzer) if body else "")

    def _facets(self, searcher: Searcher, wquery: wq.Query, matches: Any,
                request: SearchRequest) -> tuple[Facet, ...]:
        return shape_facets(self._grouped_counts(searcher, wquery, request), request)

    def _grouped_counts(self, searcher: Searcher, wquery: wq.Query,
                        request: SearchRequest) -> dict[str, dict[str, int]]:
        """Whoosh's own facet counting (groupedby), one search per selected facet: the
        stock baseline. It rebuilds a document -> value table per field on every search."""
        groups: dict[str, dict[str, int]] = {}
        for names, skip in pipeline.facet_groups(request):
            if not names:
                continue
            facet_map = {n: sorting.FieldFacet(FACET_FIELDS[n],
                                               allow_overlap=n in MULTI_VALUED,
                                               maptype=sorting.Count) for n in names}
            results = searcher.search(wquery, filter=filters(request, skip, self.stock),
                                      limit=1, groupedby=facet_map, scored=False)
            for name in names:
                groups[name] = {text_of(k): v for k, v in results.groups(name).items()
                                if k is not None}
        return groups
