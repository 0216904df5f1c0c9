"""The Whoosh schema and the one mapping from an Article to an index document."""

from __future__ import annotations

import datetime as dt

from whoosh import columns
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from archive.model import Article
from index.collapse import story_key
from index.ordering import ocr_key, sort_keys
from index.pipeline import body_text, headline_text
from index.quality import ocr_levels
from index.whoosh.analysis import analyzer, plain_analyzer
from index.whoosh.fields import OnePassText

# Facet name -> index field holding its exact values.
FACET_FIELDS = {"publication": "publication", "year": "year", "month": "month",
                "kind": "kind", "ocr": "ocr", "place": "place", "agency": "agency",
                "section": "section", "page": "page", "language": "language",
                "country": "country"}
MULTI_VALUED = frozenset({"agency", "ocr"})  # facets a document can hold several values of
# Query field (from the parser) -> full-text index field.
TEXT_FIELDS = {"headline": "headline", "body": "body", "byline": "byline",
               "place": "place_text", "agency": "agency_text"}
DEFAULT_FIELDS = ("headline", "body")
HEADLINE_BOOST = 2.0


def schema() -> Schema:
    """Only what a result line shows is stored; the body text stays in the article store.
    The date and OCR orders are integer columns (index.ordering). The text analyzer is
    ours: Snowball via PyStemmer, folding, Arabic, renumbered stopwords."""
    text = analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        # analysed once for postings and spelling words (index.whoosh.fields)
        headline=OnePassText(analyzer=text, stored=True, field_boost=HEADLINE_BOOST,
                             spelling=True),
        body=OnePassText(analyzer=text, spelling=True),
        byline=TEXT(analyzer=plain_analyzer(), stored=True),
        place_text=TEXT(analyzer=plain_analyzer()),
        agency_text=TEXT(analyzer=plain_analyzer()),
        # Facets are plain ID/KEYWORD fields: counting from the inverted index was faster
        # than sortable columns for these low-cardinality fields (reference/engines.md).
        publication=ID(stored=True),
        publication_slug=ID(stored=True),
        place=ID(stored=True),
        agency=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        section=ID(stored=True),
        page=ID(stored=True),
        language=ID(stored=True),
        country=ID(stored=True),
        year=ID(stored=True),
        month=ID(stored=True),
        kind=ID(stored=True),
        ocr=KEYWORD(commas=True, lowercase=False, scorable=False),  # levels reached
        confidence=STORED(),
        month_day=ID(),
        date=DATETIME(stored=True),
        # sort columns only: nothing searches them, so no terms are indexed
        newest=COLUMN(columns.NumericColumn("Q")),
        oldest=COLUMN(columns.NumericColumn("Q")),
        ocr_order=COLUMN(columns.NumericColumn("Q")),
        # Its story (index.collapse): `cluster` filters (cluster=<id>: every printing),
        # `shared` is held only by printings of a story printed more than once, and is
        # what index.whoosh.clusters reads to collapse and count stories.
        cluster=ID(),
        shared=ID(),
        cluster_id=STORED(),
        cluster_size=STORED(),
    )


def to_document(article: Article) -> dict[str, object]:
    """The index document of an article (the only Article -> field mapping)."""
    doc: dict[str, object] = {
        "id": article.id,
        "headline": headline_text(article),
        "_stored_headline": article.headline,  # (what a result line shows, label or not)
        "body": body_text(article),
        "publication": article.publication,
        "publication_slug": article.publication_slug,
    }
    if article.byline:
        doc["byline"] = article.byline
    if article.place:
        doc["place"] = article.place
        doc["place_text"] = article.place
    if article.agencies:
        doc["agency"] = ",".join(a.replace(",", " ") for a in article.agencies)
        doc["agency_text"] = " ".join(article.agencies)
    for name in ("section", "language", "country"):
        value = getattr(article, name)
        if value:
            doc[name] = value
    if article.page is not None:
        doc["page"] = str(article.page)
    if article.date:
        doc["date"] = dt.datetime.combine(article.date, dt.time())
        doc["year"] = str(article.date.year)
        doc["month"] = article.date.strftime("%Y-%m")
        doc["month_day"] = article.date.strftime("%m-%d")
    doc["kind"] = article.kind
    if levels := ocr_levels(article.confidence):
        doc["ocr"] = ",".join(levels)
    if article.confidence is not None:
        doc["confidence"] = article.confidence
    doc["newest"], doc["oldest"] = sort_keys(article.date, article.id)
    doc["ocr_order"] = ocr_key(article.confidence, article.id)
    doc["cluster"] = story_key(article)
    if article.cluster_id is not None:
        doc["shared"] = doc["cluster_id"] = article.cluster_id
        doc["cluster_size"] = article.cluster_size
    return doc
