"""The benchmark's baseline `whoosh-stock`: Whoosh as its documentation sets it up, to
measure the tuned engines against. Whoosh's default writer and StemmingAnalyzer, the body
stored in the index and highlighted from there by Whoosh's own highlighter, dates filtered
with DateRange, facets counted by Whoosh's groupedby, stories collapsed by Whoosh's
collapse. It implements the engine contract (index.engine.Engine) so the benchmark times
it beside the real engines; it is not registered in index.engines: not for serving."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import columns, index, sorting
from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from archive.model import Article
from bench.stock_highlight import highlight_terms
from index import pipeline
from index import query as q
from index.engine import BuildStats, Hit, SearchRequest, SearchResults, check_window
from index.ordering import SORT_COLUMNS
from index.pipeline import Texts
from index.results import Bounds, page_bounds
from index.results import facets as shape_facets
from index.unparse import unparse
from index.whoosh.schema import to_document

MULTI_VALUED = frozenset({"agency", "ocr"})  # facets a document can hold several values of
TEXT_FIELDS = {"headline": "headline", "body": "body", "byline": "byline",
               "place": "place_text", "agency": "agency_text"}
DEFAULT_FIELDS = ("headline", "body")


def schema() -> Schema:
    """Whoosh's StemmingAnalyzer on the text, facets as ID/KEYWORD fields, the body
    stored (as Whoosh's examples do) and the sort keys as numeric columns."""
    text = StemmingAnalyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        headline=TEXT(analyzer=text, stored=True, field_boost=2.0, spelling=True),
        body=TEXT(analyzer=text, stored=True, spelling=True),
        byline=TEXT(stored=True), place_text=TEXT(), agency_text=TEXT(),
        publication=ID(stored=True), publication_slug=ID(stored=True),
        place=ID(stored=True), agency=KEYWORD(stored=True, commas=True, lowercase=False),
        section=ID(stored=True), page=ID(stored=True), language=ID(stored=True),
        country=ID(stored=True), year=ID(stored=True), month=ID(stored=True),
        kind=ID(stored=True), ocr=KEYWORD(commas=True, lowercase=False),
        confidence=STORED(), month_day=ID(), date=DATETIME(stored=True),
        newest=COLUMN(columns.NumericColumn("Q")), oldest=COLUMN(columns.NumericColumn("Q")),
        ocr_order=COLUMN(columns.NumericColumn("Q")),
        cluster=ID(), cluster_id=STORED(), cluster_size=STORED())


def document(article: Article) -> dict[str, object]:
    """The baseline's index document of an article: the engine's one Article -> field
    mapping, less `shared` (what the engine's own collapsing reads; the baseline collapses
    on `cluster` with Whoosh's own collapse)."""
    doc = to_document(article)
    doc.pop("shared", None)
    return doc


class StockWhooshEngine:
    """One plain Whoosh index directory; a searcher per search, as Whoosh's docs show."""

    name = "whoosh-stock"

    def __init__(self, path: str | Path, texts: Texts | None = None):
        self.path = Path(path)
        self.texts = texts  # unused: the baseline highlights from its stored body
        self.analyzer = StemmingAnalyzer()
        self._ix: index.Index | None = None
        self._lock = threading.Lock()

    def _index(self) -> index.Index:
        with self._lock:
            if self._ix is None:
                self._ix = index.open_dir(str(self.path))
            return self._ix

    def build(self, articles: Iterable[Article], expected: int = 0,
              progress: Callable[[int], None] | None = None) -> BuildStats:
        started = time.perf_counter()
        self.path.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(self.path), schema())
        fed = pipeline.Fed(articles, progress)
        with ix.writer() as writer:
            for article in fed:
                writer.add_document(**document(article))
        return BuildStats(indexed=fed.count, seconds=time.perf_counter() - started, full=True)

    def update(self, articles: Iterable[Article],
               progress: Callable[[int], None] | None = None,
               deleted: Iterable[str] = ()) -> BuildStats:
        started = time.perf_counter()
        removed = 0
        fed = pipeline.Fed(articles, progress)
        with self._index().writer() as writer:
            for article_id in deleted:
                removed += writer.delete_by_term("id", article_id)
            for article in fed:
                writer.update_document(**document(article))
        return BuildStats(indexed=fed.count, deleted=removed,
                          seconds=time.perf_counter() - started)

    def delete(self, ids: Iterable[str]) -> BuildStats:
        return self.update((), deleted=ids)

    def count(self) -> int:
        with self._index().searcher() as searcher:
            return searcher.doc_count()

    def ids(self) -> set[str]:
        with self._index().searcher() as searcher:
            return {fields["id"] for fields in searcher.all_stored_fields()}

    def close(self) -> None:
        with self._lock:
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    def search(self, request: SearchRequest) -> SearchResults:
        check_window(request)
        node = q.parse(request.q)
        wquery = self._query(node) or wq.Every()
        sort = q.effective_sort(request)
        with self._index().searcher() as searcher:
            # optimize=False: with a filter and block skipping Whoosh 2.7 counts the
            # matches before the filter
            kw = {"filter": filters(request), "terms": True, "optimize": False,
                  "sortedby": None if sort == "relevance" else
                  sorting.FieldFacet(SORT_COLUMNS[sort])}
            stop = request.page * request.page_size
            if request.collapse:  # Whoosh's own: the best printing of each story
                results = searcher.search(wquery, limit=stop, collapse="cluster", **kw)
                stories = len(results)
                total = stories + sum(results.collapsed_counts.values())
            else:  # every printing listed; its stories counted by Whoosh's grouping
                results = searcher.search(wquery, limit=stop, groupedby="cluster", **kw)
                total, stories = len(results), len(results.groups("cluster"))
            start, stop = page_bounds(stories if request.collapse else total, request)
            hits = tuple(self._hit(h, request.snippets) for h in results[start:stop])
            facets = shape_facets(self._counts(searcher, wquery, request), request) \
                if request.facets else ()
            return pipeline.finish(request, total, hits, facets, stories,
                                   Bounds(), lambda text: self._suggest(searcher, text))

    def _terms(self, field: str, words: Iterable[str], slop: int = 1) -> wq.Query | None:
        terms = [t.text for w in words for t in self.analyzer(w, mode="query")]
        if not terms:
            return None
        return wq.Term(field, terms[0]) if len(terms) == 1 else \
            wq.Phrase(field, terms, slop=slop)

    def _query(self, node: q.Node) -> wq.Query | None:
        """The AST as Whoosh's own query classes."""
        fields = [TEXT_FIELDS[node.field]] if getattr(node, "field", None) else \
            list(DEFAULT_FIELDS)
        if isinstance(node, q.MatchAll):
            return wq.Every()
        if isinstance(node, q.Term):
            parts = [self._terms(f, [node.text]) for f in fields]
        elif isinstance(node, q.Phrase):
            parts = [self._terms(f, node.words, 1 + node.slop) for f in fields]
        elif isinstance(node, q.Wildcard):
            parts = [wq.Wildcard(f, node.pattern.lower()) for f in fields]
        elif isinstance(node, q.Fuzzy):
            parts = [wq.FuzzyTerm(f, node.text.lower(), maxdist=node.distance,
                                  prefixlength=1) for f in fields]
        elif isinstance(node, q.DateRange):
            return _dates(node.start, node.end)
        elif isinstance(node, q.Not):
            inner = self._query(node.item)
            return wq.Not(inner) if inner is not None else None
        else:
            parts = [self._query(item) for item in node.items]
            parts = [p for p in parts if p is not None]
            if isinstance(node, q.And):
                return (wq.And(parts) if len(parts) > 1 else parts[0]) if parts else None
        parts = [p for p in parts if p is not None]
        return (wq.Or(parts) if len(parts) > 1 else parts[0]) if parts else None

    def _hit(self, hit, snippets: bool) -> Hit:
        fields = hit.fields()
        terms: dict[str, set[str]] = {}
        for field, term in hit.matched_terms():
            if field in ("headline", "body", "byline", "place_text", "agency_text"):
                text = term.decode() if isinstance(term, bytes) else str(term)
                terms.setdefault(field.removesuffix("_text"), set()).add(text)
        headline, body = fields.get("headline", ""), fields.get("body", "")
        headline_html, snippet_html = pipeline.marked(
            headline, body if snippets else None,
            highlight_terms(headline, terms.get("headline"), self.analyzer, whole=True),
            highlight_terms(body, terms.get("body"), self.analyzer) if snippets else "")
        date = fields.get("date")
        return Hit(
            id=fields["id"], headline=headline, headline_html=headline_html,
            snippet_html=snippet_html if snippets else "",
            date=date.date() if isinstance(date, dt.datetime) else None,
            publication=fields.get("publication", ""),
            publication_slug=fields.get("publication_slug", ""), place=fields.get("place"),
            agencies=tuple(a for a in fields.get("agency", "").split(",") if a),
            byline=fields.get("byline"), section=fields.get("section"),
            page=int(fields["page"]) if fields.get("page") else None,
            matched_in=tuple(sorted(terms)),
            score=float(hit.score) if isinstance(hit.score, int | float) else 0.0,
            kind=fields.get("kind", "article"), confidence=fields.get("confidence"),
            cluster_id=fields.get("cluster_id"), cluster_size=fields.get("cluster_size", 1))

    def _counts(self, searcher, wquery: wq.Query,
                request: SearchRequest) -> dict[str, dict[str, int]]:
        """Whoosh's own facet counting (groupedby), one search per selected facet; it
        rebuilds a document -> value table per field on every search."""
        groups: dict[str, dict[str, int]] = {}
        for names, skip in pipeline.facet_groups(request):
            if not names:
                continue
            facet_map = {n: sorting.FieldFacet(n, allow_overlap=n in MULTI_VALUED,
                                               maptype=sorting.Count) for n in names}
            results = searcher.search(wquery, filter=filters(request, skip), limit=1,
                                      groupedby=facet_map, scored=False)
            for name in names:
                groups[name] = {(k.decode() if isinstance(k, bytes) else str(k)): v
                                for k, v in results.groups(name).items() if k is not None}
        return groups

    def suggest(self, text: str) -> str | None:
        with self._index().searcher() as searcher:
            return self._suggest(searcher, text)

    def _suggest(self, searcher, text: str) -> str | None:
        corrector = searcher.corrector("body")

        def nearest(word: str) -> str | None:
            found = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            return found[0] if found else None

        def terms_of(text: str, stemmed: bool = True) -> list[str]:
            return [t.text for t in self.analyzer(text, mode="query", stemmed=stemmed)]

        fixed = pipeline.respelled(
            text, lambda stems: any(searcher.doc_frequency("body", s) for s in stems),
            nearest, terms_of)
        if fixed is None or (better := self._query(fixed)) is None:
            return None
        return unparse(fixed) if len(searcher.search(better, limit=1)) else None


def _dates(start: dt.date | None, end: dt.date | None) -> wq.Query:
    return wq.DateRange("date", dt.datetime.combine(start, dt.time.min) if start else None,
                        dt.datetime.combine(end, dt.time.max) if end else None)


def filters(request: SearchRequest, skip: str | None = None) -> wq.Query | None:
    """Facet selections (OR within, AND across), story, dates and "on this day"."""
    parts: list[wq.Query] = []
    for facet, values in request.filters:
        if facet != skip and values:
            parts.append(wq.Or([wq.Term(facet, v) for v in values]))
    if request.cluster:
        parts.append(wq.Term("cluster", request.cluster))
    if request.date_from or request.date_to:
        parts.append(_dates(request.date_from, request.date_to))
    if request.month_day:
        parts.append(wq.Term("month_day", "{:02d}-{:02d}".format(*request.month_day)))
    return (wq.And(parts) if len(parts) > 1 else parts[0]) if parts else None
