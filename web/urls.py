"""The one module that knows URL shapes: permalinks, issue pages, search state links."""

from __future__ import annotations

import datetime as dt

from archive.model import Article
from archive.slugs import slugify

UNDATED = "undated"


def date_part(date: dt.date | None) -> str:
    return date.isoformat() if date else UNDATED


def article_path(publication_slug: str, date: dt.date | None, headline: str,
                 article_id: str, suffix: str = "") -> str:
    """/<publication>/<yyyy-mm-dd | undated>/<headline-slug>-<id>[.json|.txt]"""
    return f"/{publication_slug}/{date_part(date)}/{slugify(headline)}-{article_id}{suffix}"


def permalink(article: Article, suffix: str = "") -> str:
    return article_path(article.publication_slug, article.date, article.headline, article.id,
                        suffix)
