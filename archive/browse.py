"""Browsing the store: an issue's items, a page's items, publications, their years and
issues (the queries behind the site's browse pages; part of archive.store.Store)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from archive import schema
from archive.model import UNKNOWN_PUBLICATION, Article, Publication

_CHUNK = 500  # ids per IN (...) query, well under SQLite's limit on bound parameters


class Browsing:
    """Store methods for browsing (self.db is the store's connection)."""

    db: sqlite3.Connection

    def snippet_texts(self, ids: list[str]) -> dict[str, str]:
        """id -> the article's paragraphs joined by spaces (what search snippets are cut
        from), for the ids stored: one column read, not whole articles (a result page's
        ten: 0.3 -> 0.1 ms)."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update((row[0], " ".join(json.loads(row[1]))) for row in self.db.execute(
                f"SELECT id, paragraphs FROM articles WHERE id IN ({marks})", chunk))
        return found

    def issue(self, publication_slug: str, date: dt.date | None) -> list[Article]:
        """The articles of one issue, in page and file order."""
        rows = self.db.execute(
            f"{schema.SELECT_ARTICLES} WHERE publication_slug=? AND articles.date IS ? "
            "ORDER BY page IS NULL, page, source, position",
            (publication_slug, date.isoformat() if date else None)).fetchall()
        return [schema.row_article(r, clustered=True) for r in rows]

    def page_items(self, publication_slug: str, date: dt.date | None, page: int,
                   source: str | None = None) -> list[Article]:
        """The items printed on one page of an issue, in reading order (source file, then
        position in it): those starting there and those continued onto it from an
        earlier page (its number in their `pages`). `source` keeps one source unit's
        (for undated items the unit is the only issue they are known to share)."""
        rows = self.db.execute(
            f"{schema.SELECT_ARTICLES} WHERE publication_slug=? AND articles.date IS ? "
            "AND (page=? OR (pages IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM json_each(articles.pages) WHERE value=?))) "
            "AND (? IS NULL OR source=?) ORDER BY source, position",
            (publication_slug, date.isoformat() if date else None, page, page, source,
             source)).fetchall()
        return [schema.row_article(r, clustered=True) for r in rows]

    def file_items(self, source: str) -> list[Article]:
        """The items of one source file whose page number is unknown, in reading order:
        a page file that does not print its number still holds one page."""
        rows = self.db.execute(
            f"{schema.SELECT_ARTICLES} WHERE source=? AND page IS NULL ORDER BY position",
            (source,)).fetchall()
        return [schema.row_article(r, clustered=True) for r in rows]

    def publications(self) -> list[Publication]:
        """Every publication, biggest first; the articles no paper is named for last."""
        rows = self.db.execute(
            "SELECT publication_slug, max(publication), count(*), count(DISTINCT date), "
            "min(date), max(date) FROM articles GROUP BY publication_slug "
            "ORDER BY max(publication) = ?, count(*) DESC, publication_slug",
            (UNKNOWN_PUBLICATION,)).fetchall()
        return [Publication(r[0], r[1], r[2], r[3], schema.to_date(r[4]),
                            schema.to_date(r[5])) for r in rows]

    def years(self, publication_slug: str) -> list[tuple[int, int, int]]:
        """(year, issues, articles) of one publication, oldest first."""
        rows = self.db.execute(
            "SELECT substr(date, 1, 4), count(DISTINCT date), count(*) FROM articles "
            "WHERE publication_slug=? AND date IS NOT NULL GROUP BY 1 ORDER BY 1",
            (publication_slug,)).fetchall()
        return [(int(r[0]), r[1], r[2]) for r in rows]

    def issue_dates(self, publication_slug: str, year: int) -> list[tuple[dt.date, int]]:
        """(issue date, articles) of one publication in one year."""
        rows = self.db.execute(
            "SELECT date, count(*) FROM articles WHERE publication_slug=? AND date >= ? "
            "AND date < ? GROUP BY date ORDER BY date",
            (publication_slug, f"{year:04d}-01-01", f"{year + 1:04d}-01-01")).fetchall()
        return [(dt.date.fromisoformat(r[0]), r[1]) for r in rows]

    def adjacent_issues(self, publication_slug: str,
                        date: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The issue dates just before and just after one issue."""
        day = date.isoformat()
        before = self.db.execute(
            "SELECT max(date) FROM articles WHERE publication_slug=? AND date < ?",
            (publication_slug, day)).fetchone()[0]
        after = self.db.execute(
            "SELECT min(date) FROM articles WHERE publication_slug=? AND date > ?",
            (publication_slug, day)).fetchone()[0]
        return schema.to_date(before), schema.to_date(after)

    def undated(self, publication_slug: str) -> int:
        """How many articles of a publication have no issue date."""
        return self.db.execute(
            "SELECT count(*) FROM articles WHERE publication_slug=? AND date IS NULL",
            (publication_slug,)).fetchone()[0]
