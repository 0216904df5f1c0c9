"""The default search engine: Whoosh (whoosh-reloaded), tuned as reference/engines.md says."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import collectors, index, sorting
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher

from archive.model import Article
from index import pipeline
from index import query as q
from index.analysis import analyse
from index.collapse import first_limit, page_of_stories
from index.engine import (
    BuildStats,
    Hit,
    SearchRequest,
    SearchResults,
    check_window,
)
from index.ordering import SORT_COLUMNS
from index.pipeline import Texts
from index.results import (
    Bounds,
    page_bounds,
)
from index.results import facets as shape_facets
from index.unparse import unparse
from index.whoosh.clusters import cluster_map
from index.whoosh.codec import WritingCodec
from index.whoosh.facets import Recorder, facet_bits, facet_counts
from index.whoosh.query import filters, fixed_filters, to_whoosh
from index.whoosh.ranking import RankedHit, rank, score
from index.whoosh.schema import schema, to_document
from index.whoosh.writer import MpWriter, SegmentWriter


@dataclass
class _Found:
    """One Whoosh search: its ranked results (None when nothing matched), how many
    printings and stories matched (and printings per cluster ordinal), the documents
    matching the words (bitset) and those matching the whole request."""

    results: Any
    total: int
    stories: int
    per_cluster: Any  # numpy array: matched printings by cluster ordinal
    matches: int
    hits: int

    @property
    def fetched(self) -> int:
        return len(self.results.top_n) if self.results is not None else 0

    def top(self) -> list[tuple[Any, int]]:
        """(score or sort key, document number) of the ranked hits, in order."""
        return self.results.top_n if self.results is not None else []


class WhooshEngine:
    """One Whoosh index directory. Searches share one searcher, reopened after a commit;
    a replaced searcher is closed once the last search using it has finished.

    Tuned as reference/engines.md measured (parallel multisegment writer, PyStemmer,
    body text only in the store, whole-year filters on year terms); the benchmark's
    untuned baseline lives in bench/."""

    name = "whoosh"

    def __init__(self, path: str | Path, texts: Texts | None = None, procs: int | None = None):
        self.path = Path(path)
        self.texts = texts
        self.procs = procs or os.cpu_count() or 1
        self._searcher: Searcher | None = None
        self._users: dict[int, tuple[Searcher, int]] = {}  # id -> (searcher, searches on it)
        self._closed = False
        self._lock = threading.Lock()
        # A Whoosh searcher reads through shared file positions: two threads searching at
        # once corrupt each other's reads ("Block tag error", unpickling errors). Whoosh is
        # pure Python, so taking turns costs threads little.
        self._searching = threading.RLock()

    # --- writing ---------------------------------------------------------------------

    def _writer(self, ix: index.Index, batch: int):
        """The writer of a build of `batch` articles."""
        # Several processes only pay off for big batches, and only with multisegment=True
        # (without it Whoosh 2.7 can silently lose documents: reference/engines.md).
        if self.procs > 1 and batch >= 2000:
            return MpWriter(ix, procs=self.procs, limitmb=256, multisegment=True,
                            codec=WritingCodec())
        return SegmentWriter(ix, limitmb=256, codec=WritingCodec())

    def build(self, articles: Iterable[Article], expected: int = 0,
              progress: Callable[[int], None] | None = None) -> BuildStats:
        """Index every article into this (new, empty) directory."""
        started = time.perf_counter()
        self.path.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(self.path), schema())
        fed = pipeline.Fed(articles, progress)
        with self._writer(ix, expected) as writer:
            for article in fed:
                writer.add_document(**to_document(article))
        ix.close()
        return BuildStats(indexed=fed.count, seconds=time.perf_counter() - started, full=True)

    def update(self, articles: Iterable[Article],
               progress: Callable[[int], None] | None = None,
               deleted: Iterable[str] = ()) -> BuildStats:
        """Add or replace articles and remove `deleted` ids, all in one commit (a reader
        sees the index before or after, never an article missing in between)."""
        started = time.perf_counter()
        ix = index.open_dir(str(self.path))
        removed = 0
        fed = pipeline.Fed(articles, progress)
        with SegmentWriter(ix, limitmb=128, codec=WritingCodec()) as writer:
            for article_id in deleted:
                removed += writer.delete_by_term("id", article_id)
            for article in fed:
                writer.update_document(**to_document(article))
        ix.close()
        return BuildStats(indexed=fed.count, deleted=removed,
                          seconds=time.perf_counter() - started)

    def delete(self, ids: Iterable[str]) -> BuildStats:
        started = time.perf_counter()
        ix = index.open_dir(str(self.path))
        count = 0
        with SegmentWriter(ix, codec=WritingCodec()) as writer:
            for article_id in ids:
                count += writer.delete_by_term("id", article_id)
        ix.close()
        return BuildStats(deleted=count, seconds=time.perf_counter() - started)

    # --- reading ---------------------------------------------------------------------

    @contextlib.contextmanager
    def reading(self) -> Iterator[Searcher]:
        """The current searcher, for one search. Stale ones are reopened, not refreshed:
        Whoosh 2.7's refresh() keeps the old deletions of reused segments (replaced and
        deleted articles would still be found) and closes files another thread may be
        reading; it also fails on an empty index."""
        with self._searching:
            with self._using() as searcher:
                yield searcher

    @contextlib.contextmanager
    def _using(self) -> Iterator[Searcher]:
        with self._lock:
            if self._searcher is not None and not self._searcher.up_to_date():
                self._retire(self._searcher)
                self._searcher = None
            searcher = self._searcher
            if searcher is None:
                searcher = _reading_index(self.path).searcher()
                if not self._closed:  # after close(), each search closes its own searcher
                    self._searcher = searcher
            users = self._users.get(id(searcher), (searcher, 0))[1]
            self._users[id(searcher)] = (searcher, users + 1)
        try:
            yield searcher
        finally:
            with self._lock:
                users = self._users.pop(id(searcher))[1] - 1
                if users:
                    self._users[id(searcher)] = (searcher, users)
                elif searcher is not self._searcher:
                    searcher.close()

    def _retire(self, searcher: Searcher) -> None:
        """Close a replaced searcher now, or when its last search finishes."""
        if id(searcher) not in self._users:
            searcher.close()

    def close(self) -> None:
        """Release the index files (searches still running finish first)."""
        with self._lock:
            self._closed = True
            if self._searcher is not None:
                self._retire(self._searcher)
                self._searcher = None

    def count(self) -> int:
        with self.reading() as searcher:
            return searcher.doc_count()

    def ids(self) -> set[str]:
        with self.reading() as searcher:
            return {fields["id"] for fields in searcher.all_stored_fields()}

    def search(self, request: SearchRequest) -> SearchResults:
        """Answer a request: hits of the page, exact facet counts, snippets, suggestion.
        Past the request's time limit the ranking stops and what it found is the answer,
        marked partial."""
        bounds = Bounds(request.time_limit)
        check_window(request)  # before any work: a deep page is refused, not allocated
        node = q.parse(request.q)  # raises QueryError for the caller to show
        with self.reading() as searcher:
            return self._search(searcher, node, request, bounds)

    def _search(self, searcher: Searcher, node: q.Node, request: SearchRequest,
                bounds: Bounds) -> SearchResults:
        wquery = to_whoosh(node, self._terms_of, searcher, bounds)
        sort = q.effective_sort(request)
        active = filters(request)
        stop = request.page * request.page_size

        def limit(total: int, stories: int) -> int:
            # a collapsed page needs its stories' printings: see index.collapse
            return first_limit(stop, total, stories) \
                if request.collapse and total != stories else stop

        found = self._find(searcher, wquery, active, sort, limit, bounds)
        clusters = cluster_map(searcher)
        if request.collapse and clusters.clusters:  # else collapsing changes nothing
            start, stop = page_bounds(found.stories, request)

            def fetch(wanted: int) -> tuple[list[int], bool]:
                nonlocal found
                if found.fetched < min(wanted, found.total) and not bounds.partial:
                    longer = self._find(searcher, wquery, active, sort,
                                        lambda total, stories: wanted, bounds)
                    if not bounds.partial:  # else the shorter, whole prefix is the answer
                        found = longer
                top = found.top()
                return ([clusters.key(d) for _, d in top],
                        len(top) >= found.total or bounds.partial)

            chosen = page_of_stories(fetch, start, stop, found.total, found.stories)
        else:
            start, stop = page_bounds(found.total, request)
            chosen = list(range(start, min(stop, found.fetched)))
        page_hits = [found.results[i] for i in chosen if i < found.fetched]
        # snippets are cut from the store's text, not the index's
        bodies = pipeline.bodies(self.texts, [h["id"] for h in page_hits], request.snippets)
        marks = pipeline.marks(node)
        hits = tuple(self._hit(h, bodies.get(h["id"]), marks,
                               clusters.matched(h.docnum, found.per_cluster))
                     for h in page_hits)
        # exact counts; each facet's apply every filter but its own, so a reader can add a
        # second value (OR) and see what it would bring
        facets = shape_facets(facet_counts(searcher, found.matches, fixed_filters(request),
                                           request), request) if request.facets else ()
        return pipeline.finish(request, found.total, hits, facets, found.stories, bounds,
                               lambda text: self._suggest(searcher, text))

    def _find(self, searcher: Searcher, wquery: wq.Query, active: wq.Query | None,
              sort: str, limit: Callable[[int, int], int], bounds: Bounds) -> _Found:
        """The exact total and stories, the live documents matching the words as a
        bitset and those matching the whole request, and the ranked results up to
        limit(total, stories) (counted first, so the ranking runs once): ranked with numpy
        where index.whoosh.ranking scores the query (terms, phrases, their And/Or), else
        by Whoosh's collectors. With a filter, no block-quality skipping (optimize): Whoosh
        2.7 (TermsCollector inside FilterCollector) would count the hits *before* the
        filter, a wrong total and pages that do not exist."""
        bits, clusters = facet_bits(searcher), cluster_map(searcher)
        scored = score(searcher, wquery)  # its postings read once, for counts and ranking
        if scored is None and active is None and not bits.readable(wquery):
            # a phrase, say: only Whoosh's matchers find it, so one pass counts and ranks,
            # as long a ranking as the whole archive's printings per story say
            recorder = Recorder(_timed(_every_match_collector(
                max(1, limit(clusters.documents, clusters.stories)), sort), bounds), bits)
            _run(searcher, wquery, recorder, bounds)
            hits = matches = recorder.matched()  # when stopped: the matches found so far
            stories, per_cluster = clusters.count(hits)
            return _Found(recorder.results(), hits.bit_count(), stories, per_cluster,
                          matches, hits)
        # Whoosh counts by walking every match through its matchers (most of the time of
        # a search) and turns a filter query into a set the same way: the bitsets are
        # exact, far faster, and the facet counts reuse them.
        matches = scored.matches() if scored is not None else bits.matching(searcher, wquery)
        hits = matches if active is None else matches & bits.matching(searcher, active)
        total = hits.bit_count()
        stories, per_cluster = clusters.count(hits)
        results = None
        # numpy ranks the postings (index.whoosh.ranking) unless the time is up or the
        # query is one it does not score as Whoosh does
        if total and scored is not None and not bounds.stop():
            results = rank(scored, None if active is None else hits,
                           max(1, limit(total, stories)), SORT_COLUMNS.get(sort))
        if total and results is None:
            # Whoosh's count under a filter depends on the page size (10, 17 or 540),
            # hence the bitset's
            allowed = None if active is None else bits.docids(hits)
            collector = _timed(searcher.collector(limit=max(1, limit(total, stories)),
                                                  sortedby=_sort_facet(sort), terms=True,
                                                  optimize=active is None), bounds)
            if allowed is not None:  # outside the time limit: see _TimeLimit
                collector = collectors.FilterCollector(collector, allow=allowed)
            _run(searcher, wquery, collector, bounds)
            results = collector.results()
        return _Found(results, total, stories, per_cluster, matches, hits)

    def _terms_of(self, text: str, stemmed: bool = True) -> list[str]:
        """The index terms of a piece of query text, as this index analysed it."""
        return analyse(text, stemmed)

    def _hit(self, hit, body: str | None, marks: pipeline.Marks, matched: int = 1) -> Hit:
        fields = hit.fields()
        terms = _terms_by_field(hit)
        headline = fields.get("headline", "")
        matched_in = tuple(sorted(_MATCH_NAMES[f] for f in terms))
        headline_html, snippet_html = pipeline.highlighted(headline, body, matched_in, marks)
        date = fields.get("date")
        return Hit(
            id=fields["id"], headline=headline, headline_html=headline_html,
            snippet_html=snippet_html, date=date.date() if isinstance(date, dt.datetime)
            else None, publication=fields.get("publication", ""),
            publication_slug=fields.get("publication_slug", ""), place=fields.get("place"),
            agencies=tuple(a for a in fields.get("agency", "").split(",") if a),
            byline=fields.get("byline"), section=fields.get("section"),
            page=int(fields["page"]) if fields.get("page") else None,
            matched_in=matched_in,
            # under a date sort Whoosh's "score" is the sort key, not a relevance score
            score=float(hit.score) if isinstance(hit.score, int | float) else 0.0,
            kind=fields.get("kind", "article"), confidence=fields.get("confidence"),
            cluster_id=fields.get("cluster_id"), cluster_size=fields.get("cluster_size", 1),
            cluster_matches=matched)

    def suggest(self, text: str) -> str | None:
        """Respell the query's words from the index's own vocabulary (OCR variants that
        exist in the archive are fine suggestions); None when nothing better is found."""
        with self.reading() as searcher:
            return self._suggest(searcher, text)

    def _suggest(self, searcher: Searcher, text: str) -> str | None:
        reader = searcher.reader()
        spelling = searcher.schema["body"].spelling_fieldname("body")

        def nearest(word: str) -> str | None:
            # Nearest first, and at each distance a word with the same first letter first
            # ("oill" is "oil", not the far more frequent "will"), then the most frequent
            # (pipeline.nearest_in's rule). Whoosh walks its term dictionary with a
            # Levenshtein automaton built in Python: fast when the first letter is fixed
            # (~20 ms), but ~0.5 s a word without (it walks every word), so the words one
            # edit away at the first letter are looked up instead (pipeline.first_edits),
            # lists them, and none two edits away with another first letter is offered.
            close = [w for w in reader.terms_within(spelling, word, 1, prefix=1)
                     if w != word] \
                or [w for w in pipeline.first_edits(word) if (spelling, w) in reader] \
                or [w for w in reader.terms_within(spelling, word, 2, prefix=1) if w != word]
            # (ties as Whoosh's corrector broke them: the greater word)
            return max(close, key=lambda w: (reader.frequency("body", w) or 1, w)) \
                if close else None

        fixed = pipeline.respelled(
            text, lambda stems: any(searcher.doc_frequency(f, s)
                                    for f in ("body", "headline") for s in stems),
            nearest, self._terms_of)
        if fixed is None:
            return None
        better = searcher.search(to_whoosh(fixed, self._terms_of, searcher),
                                 limit=1)
        return unparse(fixed) if len(better) > 0 else None


def _reading_index(path: Path) -> index.Index:
    """The index opened for searching without memory maps: Whoosh 2.7 maps each segment
    file and then copies every part of it it opens into a BytesIO (BufferFile), so a
    searcher held the index twice over in each process (mapped and copied: 150 MB for a
    75 MB index). Read through the file instead, the index stays in the OS's page cache,
    shared by every process, and a searcher holds what it decoded."""
    return FileStorage(str(path), supports_mmap=False).open_index()


# Full-text index fields -> the names matched_in reports. Terms of other fields (the
# encoded numbers of date: queries) are neither text nor a place a word matched in.
_MATCH_NAMES = {"headline": "headline", "body": "body", "byline": "byline",
                "place_text": "place", "agency_text": "agency"}


def text_of(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _terms_by_field(hit) -> dict[str, set[str]]:
    terms: dict[str, set[str]] = {}
    if isinstance(hit, RankedHit) or hit.results.has_matched_terms():
        for field, term in hit.matched_terms():
            if field in _MATCH_NAMES:
                terms.setdefault(field, set()).add(text_of(term))
    return terms


class _TimeLimit(collectors.TimeLimitCollector):
    """Whoosh's TimeLimitCollector, checked on every document collected. Whoosh checks in
    its own collect_matches only, which a FilterCollector (or a Recorder) around it never
    calls, and around a FilterCollector it bypasses the filter (Whoosh 2.7). No SIGALRM
    (use_alarm=False): a worker thread cannot take it, and the ingest's time budget owns
    it."""

    def __init__(self, child: collectors.Collector, seconds: float):
        super().__init__(child, seconds, use_alarm=False)

    def collect(self, sub_docnum: int):
        if self.timedout:
            raise collectors.TimeLimit
        return self.child.collect(sub_docnum)


def _timed(collector: collectors.Collector, bounds: Bounds) -> collectors.Collector:
    """The collector, stopped at the request's deadline (at once when it has passed: it
    still holds a result then, empty or partial)."""
    left = bounds.left()
    if left is None:
        return collector
    return _TimeLimit(collector, 0.0 if bounds.stop() else left)


def _run(searcher: Searcher, wquery: wq.Query, collector: collectors.Collector,
         bounds: Bounds) -> None:
    """Search into `collector`; stopped by the deadline, it holds what it found so far
    and the answer is partial."""
    try:
        searcher.search_with_collector(wquery, collector)
    except collectors.TimeLimit:
        bounds.partial = True


def _every_match_collector(limit: int, sort: str) -> collectors.Collector:
    """What searcher.collector(terms=True) makes, but visiting every match: Whoosh's
    top-N collector otherwise drops the parts of a query that can no longer reach the
    top N ("matcher replacement"), even with optimize=False."""
    facet = _sort_facet(sort)
    top = (collectors.SortingCollector(facet, limit=limit) if facet is not None
           else collectors.TopCollector(limit, usequality=False, replace=0))
    return collectors.TermsCollector(top)


def _sort_facet(sort: str) -> sorting.FieldFacet | None:
    """Date and OCR orders are one precomputed integer column each (index.ordering):
    undated (or unscored) last, ties by id, a third of the cost of sorting on three keys."""
    return None if sort == "relevance" else sorting.FieldFacet(SORT_COLUMNS[sort])
