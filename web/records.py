"""Articles as plain records for JSON, CSV and text exports (one shape everywhere)."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from bs4 import BeautifulSoup

from archive.model import Article
from index.engine import Hit, SearchResults
from index.library import Printing
from web.urls import article_path, permalink


def public_source(path: str) -> str:
    """A source file as the public sees it: its name, not where the server keeps it."""
    return PurePath(path.replace("\\", "/")).name or path


def article_record(article: Article, source_path: bool = False) -> dict[str, Any]:
    """The export/JSON form of an article; its source file by name only unless
    `source_path` (the operator's own export, not a public answer)."""
    return {
        "id": article.id,
        "publication": article.publication,
        "publication_slug": article.publication_slug,
        "country": article.country,
        "language": article.language,
        "date": article.date.isoformat() if article.date else None,
        "date_source": article.date_source,
        "page": article.page,
        "pages": list(article.pages),
        "section": article.section,
        "kind": article.kind,
        "confidence": article.confidence,
        "headline": article.headline,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "byline_role": article.byline_role,
        "dateline": article.dateline.text if article.dateline else None,
        "place": article.place,
        "agencies": list(article.agencies),
        "paragraphs": list(article.paragraphs),
        "word_count": article.word_count,
        "source": article.source if source_path else public_source(article.source),
        "source_sha256": article.source_sha256,
        "notes": list(article.notes),
        "url": permalink(article),
        # its story: None and 1 when printed once (archive.clusters)
        "cluster_id": article.cluster_id,
        "cluster_size": article.cluster_size,
    }


def printing_record(found: Printing, link) -> dict[str, Any]:
    """One printing of a story, as result lines, article pages and issues list it."""
    return {"id": found.id, "date": found.date.isoformat() if found.date else None,
            "publication": found.publication, "publication_slug": found.publication_slug,
            "headline": found.headline, "agencies": list(found.agencies),
            "place": found.place, "page": found.page, "kind": found.kind,
            "url": link(article_path(found.publication_slug, found.date, found.headline,
                                     found.id))}


_NOT_WORD = re.compile(r"\W+")


def same_headline(a: str, b: str) -> bool:
    """Whether two headlines say the same words (case, spacing and punctuation aside)."""
    return _NOT_WORD.sub(" ", a).strip().casefold() == _NOT_WORD.sub(" ", b).strip().casefold()


def hit_path(hit: Hit) -> str:
    return article_path(hit.publication_slug, hit.date, hit.headline, hit.id)


def plain_text(html: str) -> str:
    """Snippet HTML as plain text for terminals and feeds."""
    return BeautifulSoup(html, "html.parser").get_text()


def results_record(results: SearchResults) -> dict[str, Any]:
    """The JSON form of a result page (the CLI's --json; the web adds its URLs)."""
    return {
        "total": results.listed,  # what the items page through (stories when collapsed)
        "stories": results.stories,
        "printings": results.total,
        "collapse": results.request.collapse,
        "page": results.request.page,
        "page_size": results.request.page_size,
        "description": results.description,
        "items": [{
            "id": hit.id, "headline": hit.headline,
            "date": hit.date.isoformat() if hit.date else None, "place": hit.place,
            "agencies": list(hit.agencies), "snippet": hit.snippet_html,
            "url": hit_path(hit), "publication": hit.publication, "byline": hit.byline,
            "section": hit.section, "page": hit.page, "matched_in": list(hit.matched_in),
            "kind": hit.kind, "confidence": hit.confidence,
            "cluster_id": hit.cluster_id, "cluster_size": hit.cluster_size,
            "cluster_matches": hit.cluster_matches,
        } for hit in results.hits],
        "facets": {facet.name: [{"value": v.value, "count": v.count, "selected": v.selected}
                                for v in facet.values] for facet in results.facets},
        "suggestion": results.suggestion,
    }


CSV_FIELDS = ("id", "publication", "publication_slug", "country", "language", "date",
              "date_source", "page", "pages", "section", "kind", "confidence", "headline",
              "subtitle", "byline", "byline_role", "dateline", "place", "agencies",
              "paragraphs", "word_count", "source", "source_sha256", "notes", "url",
              "cluster_id", "cluster_size")


# A cell a spreadsheet would read as a formula (OWASP "CSV Injection"): =, +, - and @ start
# one, and tab and CR are stripped by some before they look.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text starting like a formula gets a leading
    single quote (shown, not evaluated); numbers and None stay as they are. Every CSV the
    site or the CLI writes goes through it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(record: dict[str, Any]) -> list[Any]:
    """An article record flattened for CSV (lists joined, formulas neutralised), in
    CSV_FIELDS order."""
    flat = {**record, "agencies": "; ".join(record["agencies"]),
            "pages": "; ".join(map(str, record["pages"])),
            "paragraphs": "\n\n".join(record["paragraphs"]), "notes": "; ".join(record["notes"])}
    return [csv_cell(flat.get(name)) for name in CSV_FIELDS]
