"""The tantivy engine (tantivy-py): same contract as the Whoosh engine, tens of times faster
(reference/engines.md). Analysis, highlighting and result shaping are shared Python code;
tantivy finds, counts (exact terms aggregations on fast fields) and sorts."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from itertools import chain, islice
from pathlib import Path

import tantivy

from archive.model import Article
from index import pipeline, results
from index import query as q
from index.collapse import first_limit, page_of_stories
from index.engine import BuildStats, Hit, SearchRequest, SearchResults, check_window
from index.ordering import SORT_COLUMNS
from index.pipeline import Texts, body_text, headline_text
from index.tantivy import common_pairs
from index.tantivy.common_pairs import CommonPairs
from index.tantivy.facet_counts import TOTAL, FacetCounter
from index.tantivy.order import (
    TIE_CAP,
    Matched,
    Prefix,
    by_id,
    count_stories,
    group_start,
    stories_aggregation,
    stories_from,
    total_of,
)
from index.tantivy.order import stored as _stored
from index.tantivy.query import Builder, fields_of, filters, matched_query, restrict
from index.tantivy.schema import (
    SHARED,
    Stamp,
    analysed,
    meta_stamp,
    register,
    schema,
    to_document,
)
from index.tantivy.vocab import Vocabulary
from index.unparse import unparse

Q, Occur = tantivy.Query, tantivy.Occur
VOCABULARY = "vocabulary"  # sub-folder of the index folder
# Two cores: the Python thread analysing and feeding articles is the bottleneck (~150 us
# an article against ~160 us of indexing CPU); a second indexing thread mostly shortens
# the final commit (measured on 20,000 news articles: 5,600/s against 5,300/s).
BUILD_THREADS = 2
BUILD_HEAP = 512_000_000  # split between the threads
UPDATE_HEAP = 64_000_000
STORY_COUNTS_KEPT = 200_000  # matched clusters of recent searches kept (see search)
STORIES = "__stories"  # the story counts' aggregation, when the facets' pass makes it


class TantivyEngine:
    """One tantivy index directory (plus its vocabulary). Thread-safe: searches share the
    index's reader, which is reloaded after this engine's commits and whenever another
    process committed (meta.json replaced)."""

    name = "tantivy"

    def __init__(self, path: str | Path, texts: Texts | None = None):
        self.path = Path(path)
        self.texts = texts
        self.vocabulary = Vocabulary(self.path / VOCABULARY)
        self._index: tantivy.Index | None = None
        self._stamp: Stamp = None
        self._lock = threading.Lock()  # opening and reloading
        self._writing = threading.Lock()  # one writer per index
        self._facets = FacetCounter(self.path)
        self._common: CommonPairs | None = None  # the open index's (common_pairs)
        # per commit: whether any story has several printings; the story counts of the
        # latest searches (oldest first)
        self._shared: tuple[Stamp, bool] = (None, False)
        self._story_counts: dict[tuple, tuple[int, int, Matched]] = {}

    # --- writing ---------------------------------------------------------------------

    def build(self, articles: Iterable[Article], expected: int = 0,
              progress: Callable[[int], None] | None = None) -> BuildStats:
        """Index every article into this (new, empty) directory in one commit; the
        common stems are learnt from its first articles (common_pairs.SAMPLE)."""
        started = time.perf_counter()
        self.path.mkdir(parents=True, exist_ok=True)
        with self._writing:
            index = tantivy.Index(schema(), path=str(self.path), reuse=False)
            register(index)
            rest = iter(articles)
            sample = list(islice(rest, common_pairs.SAMPLE))
            common = CommonPairs.learn(f"{analysed(headline_text(a))} {analysed(body_text(a))}"
                                       for a in sample)
            common.save(self.path)
            writer = index.writer(heap_size=BUILD_HEAP, num_threads=BUILD_THREADS)
            fed = pipeline.Fed(chain(sample, rest), progress)
            for article in fed:
                writer.add_document(to_document(article, common)[0])
            writer.commit()
            writer.wait_merging_threads()
            index.reload()
            self.vocabulary.build(index.searcher())
            with self._lock:
                self._index, self._stamp = index, meta_stamp(self.path)
                self._common = common
        return BuildStats(indexed=fed.count, seconds=time.perf_counter() - started, full=True)

    def update(self, articles: Iterable[Article],
               progress: Callable[[int], None] | None = None,
               deleted: Iterable[str] = ()) -> BuildStats:
        """Add or replace articles and remove `deleted` ids, all in one commit (a reader
        sees the index before or after, never an article missing in between)."""
        started = time.perf_counter()
        with self._writing:
            index, before, _ = self._view()
            common = self._common
            writer = index.writer(heap_size=UPDATE_HEAP, num_threads=1)
            removed = 0
            for article_id in dict.fromkeys(deleted):
                if _exists(before, index.schema, article_id):
                    removed += 1
                    writer.delete_documents_by_term("id", article_id)
            fed = pipeline.Fed(articles, progress)
            words: set[tuple[str, str]] = set()
            for article in fed:
                writer.delete_documents_by_term("id", article.id)
                doc, fields = to_document(article, common)
                writer.add_document(doc)
                words.update((f, w) for f, text in fields.items() for w in text.split())
            self._commit(index, writer)
            if words:
                self.vocabulary.add(words, index.searcher())
        return BuildStats(indexed=fed.count, deleted=removed,
                          seconds=time.perf_counter() - started)

    def delete(self, ids: Iterable[str]) -> BuildStats:
        stats = self.update([], deleted=ids)
        return BuildStats(deleted=stats.deleted, seconds=stats.seconds)

    def _commit(self, index: tantivy.Index, writer: tantivy.IndexWriter) -> None:
        writer.commit()
        writer.wait_merging_threads()
        with self._lock:
            index.reload()  # a search right after update() sees the change
            self._stamp = meta_stamp(self.path)

    # --- reading ---------------------------------------------------------------------

    def _current(self) -> tantivy.Index:
        return self._view()[0]

    def _view(self) -> tuple[tantivy.Index, tantivy.Searcher, Stamp]:
        """The open index, reloaded if another process committed since, with a searcher
        and the stamp of the commit that searcher sees (taken together, under the lock
        every reload holds)."""
        stamp = meta_stamp(self.path)
        with self._lock:
            if self._index is None:
                self._index = tantivy.Index.open(str(self.path))
                register(self._index)
                self._index.config_reader(reload_policy="manual")
                self._common = CommonPairs.load(self.path)
            elif stamp != self._stamp:  # another process committed: maybe a new build
                self._index.reload()
                self._common = CommonPairs.load(self.path)
            self._stamp = stamp
            return self._index, self._index.searcher(), self._stamp

    def close(self) -> None:
        """Release the index files (searches still running keep their own searcher)."""
        with self._lock:
            self._index = None
        self.vocabulary.close()

    def count(self) -> int:
        return self._current().searcher().num_docs

    def ids(self) -> set[str]:
        searcher = self._current().searcher()
        hits = searcher.search(Q.all_query(), max(1, searcher.num_docs), count=False).hits
        return {_stored(searcher, address)["id"] for _, address in hits}

    def search(self, request: SearchRequest) -> SearchResults:
        """Answer a request: hits of the page, exact facet counts, snippets, suggestion.
        tantivy cannot stop a search under way: the request's time limit only skips the
        suggestion; the expansion limits and the result window keep every search cheap."""
        bounds = results.Bounds(request.time_limit)
        check_window(request)  # before any work: tantivy allocates the whole window
        node = q.parse(request.q)  # raises QueryError for the caller to show
        index, searcher, stamp = self._view()  # one view of the index for the request
        builder = Builder(index.schema, self.vocabulary, bounds, self._common)
        query = builder.build(node)
        full = restrict(query, filters(index.schema, request))
        sort = q.effective_sort(request)
        shared = self._any_shared(searcher, stamp)  # else collapsing changes nothing
        # Story counts cost a terms aggregation listing every matched cluster (~1 us a
        # cluster): kept per commit for the same words and filters, so turning pages,
        # changing the order or showing every printing does not count them again.
        counted = (stamp, request.q, request.filters, request.date_from, request.date_to,
                   request.month_day, request.cluster)

        def stories_of(total: int | None = None) -> tuple[int, int, Matched]:
            if not shared:
                return total or 0, total or 0, Matched({})
            found = self._story_counts.get(counted)
            if found is None:
                found = count_stories(searcher, full, total)
                self._keep_counts(counted, found)
            return found

        counts = None
        if request.facets and shared and self._story_counts.get(counted) is None:
            # the facets' pass over the matches counts the stories too (a first search)
            counts, answers = self._facets.counts(searcher, stamp, index.schema, query,
                                                  request, None, {STORIES: stories_aggregation()})
            self._keep_counts(counted, stories_from(searcher, full, answers[STORIES],
                                                    total_of(answers[TOTAL])))

        if request.collapse and shared:
            total, stories, matched, page = self._collapsed(searcher, full, request, sort,
                                                            builder.scored, stories_of)
        else:
            if sort != "relevance":  # one integer column per order (index.ordering)
                found = searcher.search(full, request.page_size, count=True,
                                        order_by_field=SORT_COLUMNS[sort],
                                        order=tantivy.Order.Asc,
                                        offset=(request.page - 1) * request.page_size)
                total = found.count
                results.page_bounds(total, request)
                page = [(0.0, address) for _, address in found.hits]
            else:
                total, page = self._ranked(searcher, full, request, builder.scored)
            total, stories, matched = stories_of(total)
        hits = self._hits(searcher, builder, node, page, request.snippets, matched)
        if request.facets and counts is None:
            counts = self._facets.counts(searcher, stamp, index.schema, query, request,
                                         total)[0]
        facets = results.facets(counts, request) if request.facets else ()
        return pipeline.finish(request, total, hits, facets, stories, bounds,
                               lambda text: self._suggest(searcher, index.schema, text))

    def _collapsed(self, searcher: tantivy.Searcher, query: tantivy.Query,
                   request: SearchRequest, sort: str, scored: bool,
                   stories_of: Callable[[], tuple[int, int, Matched]]
                   ) -> tuple[int, int, Matched, list]:
        """(printings, stories, matched printings by cluster, [(score, address)] of the
        page) of a collapsed list: a prefix of the ordered hits long enough for the
        page's last story (index.collapse), after one aggregation counting both."""
        total, stories, matched = stories_of()
        start, stop = results.page_bounds(stories, request)
        prefix = Prefix(searcher, query, sort, scored, total)
        if stop:
            prefix.fetch(first_limit(stop, total, stories))
        chosen = page_of_stories(prefix.fetch, start, stop, total, stories)
        scored_page = sort == "relevance" and scored
        return total, stories, matched, [(hit[0] if scored_page else 0.0, hit[1])
                                         for hit in (prefix.hits[i] for i in chosen)]

    def _ranked(self, searcher: tantivy.Searcher, query: tantivy.Query,
                request: SearchRequest, scored: bool) -> tuple[int, list]:
        """(total, [(score, address)] of the page) by relevance, ties broken by id."""
        start = (request.page - 1) * request.page_size
        if not scored:  # every hit scores alike: id order is the whole order
            found = searcher.search(query, request.page_size, count=True,
                                    order_by_field="idkey", order=tantivy.Order.Asc,
                                    offset=start)
            results.page_bounds(found.count, request)
            return found.count, [(0.0, address) for _, address in found.hits]
        # Fetch the page with the TIE_CAP hits before it (a tie reaching further back is
        # too long to reorder anyway) and one after: does the page's last score go on?
        base = max(0, start - TIE_CAP - 1)
        first, stop = start - base, start - base + request.page_size
        limit = stop + 1
        found = searcher.search(query, limit, count=True, offset=base)
        results.page_bounds(found.count, request)
        hits = found.hits
        if len(hits) == limit and hits[-1][0] == hits[stop - 1][0]:
            group = group_start(hits, stop - 1)
            if limit - group <= TIE_CAP:  # fetch the rest of the tie, if it is small
                limit = group + TIE_CAP + 1
                hits = searcher.search(query, limit, count=False, offset=base).hits
        return found.count, by_id(searcher, hits, len(hits) < limit, first, stop)

    def _hits(self, searcher: tantivy.Searcher, builder: Builder, node: q.Node,
              page: list, snippets: bool, matched: Matched) -> tuple[Hit, ...]:
        if not page:
            return ()
        stored = [_stored(searcher, address) for _, address in page]
        ids = [data["id"] for data in stored]
        where = self._matched_in(searcher, builder, node, ids)
        where_matched = [where.get(_place(address), ()) for _, address in page]
        bodies = pipeline.bodies(self.texts, ids, snippets)
        marks = pipeline.marks(node)
        return tuple(pipeline.hit_of(data, score, fields, bodies.get(data["id"]), marks, count)
                     for (score, _), data, fields, count in zip(
                         page, stored, where_matched,
                         [matched(d["cluster_id"]) if d.get("cluster_id") else 1
                          for d in stored], strict=True))

    def _matched_in(self, searcher: tantivy.Searcher, builder: Builder, node: q.Node,
                    ids: list[str]) -> dict[tuple[int, int], tuple[str, ...]]:
        """Per hit of the page, the fields its positive words matched in: one search
        over the page's ids, scored with one bit per field (see matched_query)."""
        query = matched_query(builder, node)
        if query is None:
            return {}
        # an Or of term queries: for a page of ids, 20x cheaper than a TermSetQuery
        these = Q.const_score_query(Q.boolean_query(
            [(Occur.Should, Q.term_query(builder.schema, "id", i, index_option="basic"))
             for i in ids]), 0.0)
        found = searcher.search(Q.boolean_query([(Occur.Must, these), (Occur.Must, query)]),
                                len(ids), count=False)
        return {_place(address): fields_of(score) for score, address in found.hits}

    def _keep_counts(self, key: tuple, found: tuple[int, int, Matched]) -> None:
        """Remember a search's story counts, forgetting the oldest beyond a budget of
        clusters (a broad search over a big archive lists tens of thousands)."""
        with self._lock:
            kept = self._story_counts
            kept[key] = found
            held = sum(len(f[2]) + 1 for f in kept.values())
            while held > STORY_COUNTS_KEPT and len(kept) > 1:
                oldest = next(iter(kept))
                held -= len(kept.pop(oldest)[2]) + 1
            self._story_counts = kept

    def _any_shared(self, searcher: tantivy.Searcher, stamp: Stamp) -> bool:
        """Whether any printing in the commit `searcher` sees shares its story."""
        cached_stamp, shared = self._shared
        if cached_stamp != stamp or stamp is None:
            shared = bool(searcher.search(Q.exists_query(SHARED), 1, count=False).hits)
            self._shared = (stamp, shared)
        return shared

    # --- did you mean ----------------------------------------------------------------

    def suggest(self, text: str) -> str | None:
        """Respell the query's words from the index's own vocabulary (OCR variants that
        exist in the archive are fine suggestions); None when nothing better is found."""
        index = self._current()
        return self._suggest(index.searcher(), index.schema, text)

    def _suggest(self, searcher: tantivy.Searcher, schema: tantivy.Schema,
                 text: str) -> str | None:
        fixed = pipeline.respelled(
            text, lambda stems: any(searcher.doc_freq(f, s) for f in ("body", "headline")
                                    for s in stems),
            pipeline.nearest_in(self.vocabulary))
        if fixed is None:
            return None
        better = Builder(schema, self.vocabulary, common=self._common).build(fixed)
        return unparse(fixed) if searcher.search(better, 1, count=True).count else None


def _exists(searcher: tantivy.Searcher, schema: tantivy.Schema, article_id: str) -> bool:
    # a count, not doc_freq: doc_freq still counts deleted documents until a merge
    term = Q.term_query(schema, "id", article_id, index_option="basic")
    return searcher.search(term, 1, count=True).count > 0


def _place(address: tantivy.DocAddress) -> tuple[int, int]:
    return address.segment_ord, address.doc
