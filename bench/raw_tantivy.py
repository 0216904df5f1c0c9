"""Raw tantivy-py on the same store and queries: the floor our tantivy engine is judged
against ("within 1.5x of raw"). A plain index built here with the reference's setup
(reference/engines.md: en_stem, body stored, facet fields as fast fields, JSON documents)
and each query kind doing the same work as our engine: top 10 with stored fields and an
exact count, plus a year range, facet counts or snippets where the kind asks for them."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from archive.model import Article
from bench.queries import Query
from index.engine import FACETS

HEAP = 256 * 1024 * 1024
TEXT_FACETS = ("publication", "month", "place", "agency", "section", "language", "country")
NUMBER_FACETS = ("year", "page")


def available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def _schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("headline", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    builder.add_date_field("date", stored=True, indexed=True, fast=True)
    for name in TEXT_FACETS:
        builder.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
    for name in NUMBER_FACETS:
        builder.add_integer_field(name, stored=False, indexed=True, fast=True)
    return builder.build()


def _document(article: Article) -> str:
    doc: dict[str, object] = {"id": article.id, "headline": article.headline,
                              "body": article.body, "publication": article.publication,
                              "agency": list(article.agencies)}
    for name in ("place", "section", "language", "country", "page"):
        value = getattr(article, name)
        if value is not None:
            doc[name] = value
    if article.date:
        doc["date"] = article.date.isoformat() + "T00:00:00Z"
        doc["year"] = article.date.year
        doc["month"] = article.date.isoformat()[:7]
    return json.dumps(doc)


def build(articles: Iterable[Article], path: Path) -> dict[str, float]:
    """Index every article into a fresh folder in one commit; returns count and seconds."""
    import tantivy

    shutil.rmtree(path, ignore_errors=True)  # an index left by an earlier run
    path.mkdir(parents=True)
    started = time.perf_counter()
    index = tantivy.Index(_schema(), path=str(path))
    writer = index.writer(heap_size=HEAP, num_threads=os.cpu_count() or 1)
    count = 0
    for article in articles:
        writer.add_json(_document(article))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return {"indexed": count, "seconds": round(time.perf_counter() - started, 3)}


def searcher(path: Path) -> Callable[[Query], int]:
    """A function answering one benchmark query on the raw index; returns the total."""
    import tantivy

    index = tantivy.Index.open(str(path))
    index.reload()
    schema = index.schema
    found = index.searcher()  # opened once and reused, as our engines do
    aggregations = {name: {"terms": {"field": name, "size": 10}} for name in FACETS}

    def search(query: Query) -> int:
        request = query.request
        parsed = index.parse_query(request.q, ["headline", "body"],
                                   conjunction_by_default=True)
        if request.date_from and request.date_to:  # the query set's ranges are whole years
            years = tantivy.Query.range_query(schema, "year", tantivy.FieldType.Integer,
                                              request.date_from.year, request.date_to.year)
            parsed = tantivy.Query.boolean_query([(tantivy.Occur.Must, parsed),
                                                  (tantivy.Occur.Must, years)])
        result = found.search(parsed, limit=request.page_size, count=True)
        docs = [found.doc(address) for _, address in result.hits]
        rows = [(d.get_first("id"), d.get_first("headline"), d.get_first("date"))
                for d in docs]
        if request.snippets:
            snippets = tantivy.SnippetGenerator.create(found, parsed, schema, "body")
            rows = [(*row, snippets.snippet_from_doc(d).to_html())
                    for row, d in zip(rows, docs, strict=True)]
        if request.facets:
            found.aggregate(parsed, aggregations)
        return result.count

    return search
