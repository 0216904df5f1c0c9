"""The tantivy engine (tantivy-py): same contract as the Whoosh engine, tens of times faster
(reference/engines.md). Analysis, highlighting and result shaping are shared Python code;
tantivy finds, counts (exact terms aggregations on fast fields) and sorts."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path

import tantivy

from archive.model import Article
from index import query as q
from index import results
from index.analysis import analyse
from index.describe import describe_request
from index.engine import FACETS, BuildStats, Hit, SearchRequest, SearchResults
from index.ordering import SORT_COLUMNS
from index.quality import cumulative
from index.tantivy_query import Builder, fields_of, filters, matched_query, restrict
from index.tantivy_schema import (
    FACET_FIELDS,
    OCR_BAND,
    STORED,
    meta_stamp,
    register,
    schema,
    to_document,
)
from index.tantivy_vocab import Vocabulary

Stamp = tuple[int, int, int] | None  # see meta_stamp
Texts = Callable[[list[str]], dict[str, Article]]  # ids -> articles, for snippets
Q, Occur = tantivy.Query, tantivy.Occur
VOCABULARY = "vocabulary"  # sub-folder of the index folder
# Two cores: the Python thread analysing and feeding articles is the bottleneck (~150 us
# an article against ~160 us of indexing CPU); a second indexing thread mostly shortens
# the final commit (measured on 20,000 news articles: 5,600/s against 5,300/s).
BUILD_THREADS = 2
BUILD_HEAP = 512_000_000  # split between the threads
UPDATE_HEAP = 64_000_000
FACET_BUCKETS = 65_000  # tantivy's default bucket limit; our facets have far fewer values
TIE_CAP = 200  # score ties up to this size are ordered by id (bigger: index order)


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
        self._constants: tuple[Stamp, dict[str, str | None]] = (None, {})

    # --- writing ---------------------------------------------------------------------

    def build(self, articles: Iterable[Article], expected: int = 0,
              progress: Callable[[int], None] | None = None) -> BuildStats:
        """Index every article into this (new, empty) directory in one commit."""
        started = time.perf_counter()
        self.path.mkdir(parents=True, exist_ok=True)
        with self._writing:
            index = tantivy.Index(schema(), path=str(self.path), reuse=False)
            register(index)
            writer = index.writer(heap_size=BUILD_HEAP, num_threads=BUILD_THREADS)
            count = 0
            for article in articles:
                writer.add_document(to_document(article)[0])
                count += 1
                if progress:
                    progress(1)
            writer.commit()
            writer.wait_merging_threads()
            index.reload()
            self.vocabulary.build(index.searcher())
            with self._lock:
                self._index, self._stamp = index, meta_stamp(self.path)
        return BuildStats(indexed=count, seconds=time.perf_counter() - started, full=True)

    def update(self, articles: Iterable[Article],
               progress: Callable[[int], None] | None = None,
               deleted: Iterable[str] = ()) -> BuildStats:
        """Add or replace articles and remove `deleted` ids, all in one commit (a reader
        sees the index before or after, never an article missing in between)."""
        started = time.perf_counter()
        with self._writing:
            index = self._current()
            before = index.searcher()
            writer = index.writer(heap_size=UPDATE_HEAP, num_threads=1)
            removed = 0
            for article_id in dict.fromkeys(deleted):
                if _exists(before, index.schema, article_id):
                    removed += 1
                    writer.delete_documents_by_term("id", article_id)
            count = 0
            words: set[tuple[str, str]] = set()
            for article in articles:
                writer.delete_documents_by_term("id", article.id)
                doc, fields = to_document(article)
                writer.add_document(doc)
                words.update((f, w) for f, text in fields.items() for w in text.split())
                count += 1
                if progress:
                    progress(1)
            self._commit(index, writer)
            if words:
                self.vocabulary.add(words, index.searcher())
        return BuildStats(indexed=count, deleted=removed, seconds=time.perf_counter() - started)

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
                self._stamp = stamp
            elif stamp != self._stamp:
                self._index.reload()
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
        """Answer a request: hits of the page, exact facet counts, snippets, suggestion."""
        node = q.parse(request.q)  # raises QueryError for the caller to show
        index, searcher, stamp = self._view()  # one view of the index for the request
        builder = Builder(index.schema, self._expander())
        query = builder.build(node)
        full = restrict(query, filters(index.schema, request))
        sort = q.effective_sort(request)
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
        hits = self._hits(searcher, builder, node, page, request.snippets)
        facets = results.facets(self._facet_counts(searcher, stamp, index.schema, query,
                                                   request, total),
                                request) if request.facets else ()
        suggestion = (self._suggest(searcher, index.schema, request.q)
                      if total < results.FEW_HITS and request.q.strip() else None)
        return SearchResults(request=request, total=total, hits=hits, facets=facets,
                             suggestion=suggestion, description=describe_request(request),
                             histogram=results.histogram(facets, request))

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
            group = _group_start(hits, stop - 1)
            if limit - group <= TIE_CAP:  # fetch the rest of the tie, if it is small
                limit = group + TIE_CAP + 1
                hits = searcher.search(query, limit, count=False, offset=base).hits
        return found.count, _by_id(searcher, hits, len(hits) < limit, first, stop)

    def _hits(self, searcher: tantivy.Searcher, builder: Builder, node: q.Node,
              page: list, snippets: bool) -> tuple[Hit, ...]:
        if not page:
            return ()
        stored = [_stored(searcher, address) for _, address in page]
        ids = [data["id"] for data in stored]
        where = self._matched_in(searcher, builder, node, ids)
        matched = [where.get(_place(address), ()) for _, address in page]
        bodies: dict[str, str] = {}
        if snippets and self.texts:
            bodies = {i: " ".join(a.paragraphs) for i, a in self.texts(ids).items()}
        marks = {field: results.Highlighter(results.matcher(node, field))
                 for field in ("headline", "body")}
        return tuple(_hit(data, score, fields, bodies.get(data["id"]), marks)
                     for (score, _), data, fields in zip(page, stored, matched, strict=True))

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

    def _facet_counts(self, searcher: tantivy.Searcher, stamp: Stamp, schema: tantivy.Schema,
                      query: tantivy.Query, request: SearchRequest,
                      total: int) -> results.Counts:
        """Exact counts; each facet's counts apply every filter but its own, so a reader
        can add a second value (OR) and see what it would bring. One terms aggregation
        for the facets without a selection, one per facet with one. Each facet costs a
        pass over the hits' column (~2 ms per 400,000 hits), so what can be known
        without one is not aggregated: a facet with one value in every article (one
        publication, one language) or in none, the years (sums of the months) and the
        OCR levels (sums of the one best level of each hit)."""
        chosen = [name for name, values in request.filters if values]
        groups = [([f for f in FACETS if f not in chosen], None)] + [([f], f) for f in chosen]
        counts: results.Counts = {}
        for names, skip in groups:
            if skip is None:  # the whole request's query: its count is `total`
                constant = self._constant_facets(searcher, stamp)
                for name in [n for n in names if n in constant]:
                    value = constant[name]
                    counts[name] = {value: total} if value is not None and total else {}
                    names.remove(name)
            years = "year" in names and "month" in names
            if years:
                names.remove("year")
            if not names:
                continue
            aggs = {n: {"terms": {"field": OCR_BAND if n == "ocr" else FACET_FIELDS[n],
                                  "size": FACET_BUCKETS}} for n in names}
            found = searcher.aggregate(restrict(query, filters(schema, request, skip)), aggs)
            for name in names:
                counts[name] = {b["key"]: b["doc_count"]
                                for b in found[name]["buckets"]}
            if "ocr" in names:
                counts["ocr"] = cumulative(counts["ocr"])
            if years:  # every dated article has both, and a month is yyyy-mm
                counts["year"] = {}
                for month, count in counts["month"].items():
                    year = month[:4]
                    counts["year"][year] = counts["year"].get(year, 0) + count
        return counts

    def _constant_facets(self, searcher: tantivy.Searcher,
                         stamp: Stamp) -> dict[str, str | None]:
        """Facets whose count needs no aggregation, in the commit `searcher` sees: name ->
        the one value every article has, or None when no article has any."""
        cached, constant = self._constants
        if cached != stamp:
            aggs = {n: {"terms": {"field": FACET_FIELDS[n], "size": 2}} for n in FACETS}
            found = searcher.aggregate(Q.all_query(), aggs)
            constant = {}
            for name in FACETS:
                buckets = found[name]["buckets"]
                if not buckets:
                    constant[name] = None
                elif len(buckets) == 1 and buckets[0]["doc_count"] == searcher.num_docs:
                    constant[name] = buckets[0]["key"]
            self._constants = (stamp, constant)
        return constant

    def _expander(self) -> Callable[[str, str, int], list[str]]:
        def expand(field: str, word: str, distance: int) -> list[str]:
            return [w for w, _ in self.vocabulary.near(field, word, distance)]
        return expand

    # --- did you mean ----------------------------------------------------------------

    def suggest(self, text: str) -> str | None:
        """Respell the query's words from the index's own vocabulary (OCR variants that
        exist in the archive are fine suggestions); None when nothing better is found."""
        index = self._current()
        return self._suggest(index.searcher(), index.schema, text)

    def _suggest(self, searcher: tantivy.Searcher, schema: tantivy.Schema,
                 text: str) -> str | None:
        try:
            node = q.parse(text)
        except q.QueryError:
            return None
        changed = False

        def respell(leaf):
            nonlocal changed
            if isinstance(leaf, q.Term) and leaf.field in (None, "headline", "body"):
                words = analyse(leaf.text, stemmed=False)
                stems = analyse(leaf.text)
                known = any(searcher.doc_freq(f, s) for f in ("body", "headline")
                            for s in stems)
                if len(words) == 1 and stems and not known:
                    # nearest first, and at each distance the same first letter first
                    # ("oill" is "oil", not the more frequent "will"), then frequency
                    option = next((found[0][0] for dist in (1, 2) for same in (True, False)
                                   if (found := [(w, n) for w, n in self.vocabulary.near(
                                       "body", words[0], dist, same, limit=50)
                                       if w != words[0]])), None)
                    if option:
                        changed = True
                        return q.Term(option, leaf.field)
            return leaf

        fixed = q.map_leaves(node, respell)
        if not changed:
            return None
        better = Builder(schema, self._expander()).build(fixed)
        return q.unparse(fixed) if searcher.search(better, 1, count=True).count else None


def _exists(searcher: tantivy.Searcher, schema: tantivy.Schema, article_id: str) -> bool:
    # a count, not doc_freq: doc_freq still counts deleted documents until a merge
    term = Q.term_query(schema, "id", article_id, index_option="basic")
    return searcher.search(term, 1, count=True).count > 0


def _stored(searcher: tantivy.Searcher, address) -> dict:
    return json.loads(searcher.doc(address).get_first(STORED))


def _place(address: tantivy.DocAddress) -> tuple[int, int]:
    return address.segment_ord, address.doc


def _group_start(hits: list, position: int) -> int:
    """Where the run of hits scoring like hits[position] starts."""
    score = hits[position][0]
    while position > 0 and hits[position - 1][0] == score:
        position -= 1
    return position


def _by_id(searcher: tantivy.Searcher, hits: list, complete: bool, start: int,
           stop: int) -> list:
    """hits[start:stop] once each run of equal scores that the page cuts into is put in
    id order; a run is only reordered when all of it was fetched and it is no longer
    than TIE_CAP, so every page of a search agrees on one order. (A run reaching back
    to hits[0] and into the page is longer than TIE_CAP: hits start TIE_CAP + 1 before
    the page, or at the very first hit.)"""
    runs, first = [], 0  # (start, end) of the runs of equal scores that meet the page
    for end in range(1, len(hits) + 1):
        if end < len(hits) and hits[end][0] == hits[first][0]:
            continue
        if end > start and first < stop:
            runs.append((first, end))
        first = end
        if first >= stop:
            break
    ordered = list(hits[:stop])
    for first, end in runs:
        if end - first < 2 or end - first > TIE_CAP or (end == len(hits) and not complete):
            continue
        run = hits[first:end]
        keys = searcher.fast_field_values("idkey", [address for _, address in run])
        if len(set(keys)) < len(keys):  # ids sharing their first 8 bytes: read them
            keys = [(key, _stored(searcher, address)["id"])
                    for key, (_, address) in zip(keys, run, strict=True)]
        order = sorted(range(len(run)), key=keys.__getitem__)
        ordered[first:min(end, stop)] = [run[i] for i in order][:min(end, stop) - first]
    return ordered[start:stop]


def _hit(data: dict, score: float, matched_in: tuple[str, ...], body: str | None,
         marks: dict[str, results.Highlighter]) -> Hit:
    headline = data["headline"]
    headline_html = marks["headline"].whole(headline) if "headline" in matched_in else ""
    snippet_html = ""
    if body:
        if "body" in matched_in:
            snippet_html = marks["body"].snippet(body)
        snippet_html = snippet_html or escape(results.lead(body))
    return Hit(
        id=data["id"], headline=headline,
        headline_html=headline_html or escape(headline),
        snippet_html=snippet_html,
        date=dt.date.fromisoformat(data["date"]) if data["date"] else None,
        publication=data["publication"], publication_slug=data["publication_slug"],
        place=data["place"], agencies=tuple(data["agencies"]), byline=data["byline"],
        section=data["section"], page=data["page"], matched_in=matched_in,
        score=float(score), kind=data.get("kind", "article"),
        confidence=data.get("confidence"))
