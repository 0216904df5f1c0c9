"""The article store's SQLite schema, and how articles become rows and rows articles."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from json.encoder import encode_basestring, encode_basestring_ascii

from archive import clusters
from archive.model import Article, Dateline

# 2: indexes on duplicates (every file's store and removal looked them up by scanning).
# 3: scanned pages: an article's kind, OCR confidence and pages; the files a unit (a METS
#    issue) reads besides its main file; former ids of articles whose id changed.
# 4: clusters of printings of one story (archive.clusters).
# 5: publication slugs spell out the letters NFKD leaves whole (archive.slugs: "ß" is
#    "ss"); the slugs they replace are kept, and their addresses redirect.
SCHEMA_VERSION = 5

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ingested', 'rejected')),
    reason TEXT,
    articles INTEGER NOT NULL DEFAULT 0,
    encoding TEXT,
    parser_version TEXT,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    publication TEXT NOT NULL,
    publication_slug TEXT NOT NULL,
    country TEXT, language TEXT,
    date TEXT, date_source TEXT,
    page INTEGER, section TEXT,
    headline TEXT NOT NULL, subtitle TEXT, byline TEXT, byline_role TEXT,
    dateline TEXT, place TEXT, month INTEGER, day INTEGER,
    agencies TEXT NOT NULL,          -- JSON list
    paragraphs TEXT NOT NULL,        -- JSON list
    word_count INTEGER NOT NULL,
    source_sha256 TEXT NOT NULL,
    notes TEXT NOT NULL,             -- JSON list
    kind TEXT NOT NULL DEFAULT 'article',
    confidence REAL,                 -- mean OCR word confidence, 0..1
    pages TEXT                       -- JSON list, when its parts lie on several pages
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_issue ON articles(publication_slug, date);
CREATE TABLE IF NOT EXISTS stripped (
    source TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    kind TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stripped_source ON stripped(source);
-- The same article (same id) found in a second file: kept once, the other file noted.
CREATE TABLE IF NOT EXISTS duplicates (
    source TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    article_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS duplicates_source ON duplicates(source);
CREATE INDEX IF NOT EXISTS duplicates_article ON duplicates(article_id);
-- The files a unit reads besides its main file (the ALTO pages of a METS issue); a file
-- the unit names but could not read has its problem and no hash.
CREATE TABLE IF NOT EXISTS unit_files (
    unit TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    href TEXT NOT NULL,
    path TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    problem TEXT,
    PRIMARY KEY (unit, href)
);
CREATE INDEX IF NOT EXISTS unit_files_path ON unit_files(path);
-- Articles as they were before an ingest removed or replaced them: the index snapshot
-- serving until the next rebuild still refers to them (until `retired_seq`, the change
-- that removed them), so its hits open the article as it was indexed; afterwards an id
-- without a successor answers "gone" with its headline.
-- (Its columns are those of articles, then retired_seq: a column added to articles must
-- be added here too.)
CREATE TABLE IF NOT EXISTS retired AS SELECT *, 0 AS retired_seq FROM articles WHERE 0;
CREATE INDEX IF NOT EXISTS retired_id ON retired(id);
-- Ids that once named an article, and the article that now stands in its place: old
-- permalinks answer with a redirect.
CREATE TABLE IF NOT EXISTS former_ids (
    old_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
-- Publication slugs once in use and the slug that replaced them: a publication's, year's
-- and issue's old addresses answer with a redirect.
CREATE TABLE IF NOT EXISTS former_slugs (
    old TEXT PRIMARY KEY,
    new TEXT NOT NULL
);
-- Every insert/replace/delete of an article, in order: the index replays what it missed.
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete'))
);
""" + clusters.SCHEMA

# Columns an older store lacks, by the version that added them: SCHEMA only creates the
# tables and indexes that are missing. (table, column, definition)
ADDED_COLUMNS: dict[int, tuple[tuple[str, str, str], ...]] = {
    3: (("articles", "kind", "TEXT NOT NULL DEFAULT 'article'"),
        ("articles", "confidence", "REAL"),
        ("articles", "pages", "TEXT")),
}

COLUMNS = ("id, source, position, publication, publication_slug, country, language, date, "
           "date_source, page, section, headline, subtitle, byline, byline_role, dateline, "
           "place, month, day, agencies, paragraphs, word_count, source_sha256, notes, kind, "
           "confidence, pages")
# Articles with their cluster of printings (archive.clusters): what readers of articles
# select, "FROM articles" and any WHERE following (cluster_items shares some column names).
SELECT_ARTICLES = (
    "SELECT " + ", ".join(f"articles.{c.strip()}" for c in COLUMNS.split(",")) +
    ", cluster_items.cluster AS cluster_id, CASE WHEN cluster_items.cluster IS NULL THEN 1 "
    "ELSE (SELECT count(*) FROM cluster_items AS c WHERE c.cluster = cluster_items.cluster) "
    "END AS cluster_size FROM articles LEFT JOIN cluster_items ON "
    "cluster_items.article_id = articles.id")
# Constant statement texts: sqlite3 keeps each one prepared in its statement cache.
INSERT_ARTICLE = f"INSERT INTO articles ({COLUMNS}) VALUES ({','.join('?' * 27)})"
INSERT_SOURCE = "INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?,?,?,?)"
INSERT_CHANGE = "INSERT INTO changes (article_id, op) VALUES (?, ?)"


def to_date(value: str | None) -> dt.date | None:
    """A stored ISO date (or NULL) as a date."""
    return dt.date.fromisoformat(value) if value else None


def now() -> str:
    """The time a row is written, in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def json_strings(items: Iterable[str], ascii: bool = False) -> str:
    """json.dumps(list(items), ensure_ascii=ascii) for strings, character for character,
    without the encoder json.dumps builds on every call (a third of a row's cost)."""
    quote = encode_basestring_ascii if ascii else encode_basestring
    return "[" + ", ".join(map(quote, items)) + "]"


def article_row(article: Article, path: str, position: int) -> tuple:
    """The articles-table row of an article found at `position` in the file `path`."""
    dateline = article.dateline
    return (article.id, path, position, article.publication, article.publication_slug,
            article.country, article.language,
            article.date.isoformat() if article.date else None, article.date_source,
            article.page, article.section, article.headline, article.subtitle,
            article.byline, article.byline_role, dateline.text if dateline else None,
            article.place, dateline.month if dateline else None,
            dateline.day if dateline else None, json_strings(article.agencies, ascii=True),
            json_strings(article.paragraphs), article.word_count,
            article.source_sha256, json_strings(article.notes), article.kind,
            article.confidence, json.dumps(article.pages) if article.pages else None)


def row_article(row: sqlite3.Row, clustered: bool = False) -> Article:
    """The article an articles-table row holds."""
    dateline = None
    if row["dateline"] is not None:
        dateline = Dateline(text=row["dateline"], place=row["place"], month=row["month"],
                            day=row["day"], agencies=tuple(json.loads(row["agencies"])))
    return Article(
        id=row["id"], publication=row["publication"],
        publication_slug=row["publication_slug"], headline=row["headline"],
        paragraphs=tuple(json.loads(row["paragraphs"])), source=row["source"],
        country=row["country"], language=row["language"],
        date=dt.date.fromisoformat(row["date"]) if row["date"] else None,
        date_source=row["date_source"], page=row["page"], section=row["section"],
        subtitle=row["subtitle"], byline=row["byline"], byline_role=row["byline_role"],
        dateline=dateline, source_sha256=row["source_sha256"], position=row["position"],
        notes=tuple(json.loads(row["notes"])), kind=row["kind"], confidence=row["confidence"],
        pages=tuple(json.loads(row["pages"])) if row["pages"] else (),
        cluster_id=row["cluster_id"] if clustered else None,
        cluster_size=row["cluster_size"] if clustered else 1)
