"""Articles as plain records for JSON, CSV and text exports (one shape everywhere)."""

from __future__ import annotations

from typing import Any

from archive.model import Article
from web.urls import permalink


def article_record(article: Article) -> dict[str, Any]:
    """The export/JSON form of an article."""
    return {
        "id": article.id,
        "publication": article.publication,
        "publication_slug": article.publication_slug,
        "country": article.country,
        "language": article.language,
        "date": article.date.isoformat() if article.date else None,
        "date_source": article.date_source,
        "page": article.page,
        "section": article.section,
        "headline": article.headline,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "byline_role": article.byline_role,
        "dateline": article.dateline.text if article.dateline else None,
        "place": article.place,
        "agencies": list(article.agencies),
        "paragraphs": list(article.paragraphs),
        "word_count": article.word_count,
        "source": article.source,
        "source_sha256": article.source_sha256,
        "notes": list(article.notes),
        "url": permalink(article),
    }
