"""A small archive as scanned pages give it (items of every kind, OCR confidences, items on
several pages, one without a page), written straight through the store API as a reader's
unit would be, and indexed: for the web and browser tests of kinds, quality and pages."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from archive.model import Article, Dateline, Outcome, ParsedFile
from archive.rows import file_rows
from archive.store import Store
from index.build import rebuild
from index.library import INDEX_NAME, STORE_NAME

PUBLICATION, SLUG = "Evening Courier", "evening-courier"
ISSUE = dt.date(1921, 3, 14)
UNIT = "courier/1921-03-14/mets.xml"  # one METS issue: every item below, reading order

# (key, kind, page, pages, confidence, headline, paragraphs), in reading order
ITEMS = (
    ("bridge", "article", 1, (1, 3), 0.91, "Mayor opens the new river bridge",
     ("The mayor opened the new river bridge on Saturday before a large crowd.",
      "The bridge, begun two years ago, carries the tramway across the river.")),
    ("cocoa", "advertisement", 1, (), 0.74, "Drink Hallam's Cocoa",
     ("Hallam's Cocoa warms the whole family. Sold by every good grocer.",)),
    ("closure", "notice", 1, (), 0.83, "Notice of road closure",
     ("Notice is hereby given that Mill Lane will be closed to traffic for repairs.",)),
    ("strike", "article", 1, (), 0.62, "Harbour strike ends after talks",
     ("The harbour strike ended on Friday after long talks between the men and owners.",)),
    ("tramway", "article", 2, (2, 3), 0.88, "Council debates the tramway fares",
     ("The council debated the tramway fares for three hours on Thursday evening.",
      "A vote on the new fares was put off until the next meeting.")),
    ("tides", "other", 2, (), 0.47, "Tide table for the week",
     ("High water at the harbour: Monday 6.12, Tuesday 6.58, Wednesday 7.40.",)),
    ("piano", "advertisement", 2, (), 0.79, "Pianos for sale",
     ("Pianos for sale or hire at Brook's music warehouse, High Street.",)),
    ("cricket", "article", 3, (), 0.95, "Cricket season opens in April",
     ("The county cricket club announced that the season opens in April.",)),
    ("late", "article", None, (), None, "Late news",
     ("The river bridge was lit for the first time at dusk.",)),
)


def item_id(key: str) -> str:
    """A hex id, as the archive's are (the order keys break ties on its first digits)."""
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def scanned_articles() -> list[Article]:
    """The issue's items as Articles, in reading order."""
    made = []
    for position, (key, kind, page, pages, confidence, headline, paragraphs) in enumerate(
            ITEMS):
        made.append(Article(
            id=item_id(key), publication=PUBLICATION, publication_slug=SLUG,
            headline=headline, paragraphs=paragraphs, source=UNIT, country="United Kingdom",
            language="English", date=ISSUE, date_source="metadata", page=page,
            section=None, position=position, kind=kind, confidence=confidence, pages=pages,
            dateline=Dateline(text="LONDON, March 13:", place="London", month=3, day=13)
            if key == "strike" else None))
    return made


def build_scanned_archive(data_dir: Path, engine: str = "whoosh") -> Path:
    """Store the issue as one unit and build the index; returns data_dir."""
    store = Store(Path(data_dir) / STORE_NAME)
    try:
        parsed = ParsedFile(articles=tuple(scanned_articles()))
        store.save_parsed(file_rows(Outcome(path=UNIT, sha256="0" * 64, size=1,
                                            parsed=parsed, parser="test/1")))
        rebuild(store, Path(data_dir) / INDEX_NAME, full=True, engine=engine)
    finally:
        store.close()
    return Path(data_dir)


def permalink_of(key: str) -> str:
    """The article path of one item (as web.urls builds it)."""
    from web.urls import permalink  # the web layer only for the tests that serve it

    return permalink(next(a for a in scanned_articles() if a.id == item_id(key)))
