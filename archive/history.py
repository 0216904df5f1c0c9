"""An article's history in the store: the ids it had before a file was read again (old
permalinks redirect to the successor) and the versions the serving index still refers to
(kept until the next rebuild; part of archive.store.Store)."""

from __future__ import annotations

import sqlite3

from archive import schema
from archive.model import Article

# How alike (shared words) a re-read article must be to an old one to take over its id.
SUCCESSOR_SIMILARITY = 0.5


class History:
    """Store methods for former ids and retired versions (self.db is the connection)."""

    db: sqlite3.Connection

    @staticmethod
    def _source_texts(db: sqlite3.Connection, path: str) -> list[tuple[str, int, str]]:
        """(id, position, words) of a file's stored articles, to find their successors."""
        return [(r[0], r[1], r[2] + " " + r[3]) for r in db.execute(
            "SELECT id, position, headline, paragraphs FROM articles WHERE source=?", (path,))]

    @staticmethod
    def _record_successors(db: sqlite3.Connection, before: list[tuple[str, int, str]],
                           after: list[tuple]) -> None:
        """Old ids of a re-read file -> the new article most like each (its permalink
        redirects there); former ids that pointed at an old id follow it."""
        new_ids = {row[0] for row in after}
        gone = [b for b in before if b[0] not in new_ids]
        if gone and after:
            candidates = [(row[0], row[2], _words(row[11] + " " + row[20])) for row in after]
            _link(db, [(old, position, _words(text)) for old, position, text in gone],
                  lambda _: candidates)
        db.executemany("DELETE FROM former_ids WHERE old_id=?", [(i,) for i in new_ids])

    @staticmethod
    def _record_moved(db: sqlite3.Connection, path: str, unit: str) -> None:
        """A file now read as a part of a unit (an ALTO page that a METS issue came to
        name, a page joining a page series): the ids of the articles it held on its own ->
        the unit's articles on the same page most like each, before the file's own record
        goes (Store.remove_source), so that their permalinks keep working."""
        query = "SELECT id, page, headline || ' ' || paragraphs FROM articles WHERE source=?"
        before = db.execute(query, (path,)).fetchall()
        if not before:
            return
        on_page: dict[int | None, list[tuple[str, int | None, frozenset[str]]]] = {}
        for new_id, page, text in db.execute(query, (unit,)):
            on_page.setdefault(page, []).append((new_id, page, _words(text)))
        kept = {new_id for found in on_page.values() for new_id, _, _ in found}
        _link(db, [(old, page, _words(text)) for old, page, text in before if old not in kept],
              lambda page: on_page.get(page, ()))

    def successor(self, old_id: str) -> str | None:
        """The article that now stands where a former id's article stood, if any."""
        row = self.db.execute("SELECT article_id FROM former_ids WHERE old_id=?",
                              (old_id,)).fetchone()
        return row[0] if row else None

    def retired(self, article_id: str) -> tuple[Article, int] | None:
        """An article as it was before an ingest removed or replaced it, and the change
        that did (an index built before that change still holds it)."""
        row = self.db.execute(f"SELECT {schema.COLUMNS}, retired_seq FROM retired WHERE id=? "
                              "ORDER BY retired_seq DESC LIMIT 1", (article_id,)).fetchone()
        return (schema.row_article(row), row["retired_seq"]) if row else None

    def forget_retired(self, upto_seq: int) -> int:
        """Drop retired versions no index needs any more: retired at or before upto_seq
        (the change the serving index was built up to) and either back in the store or
        followed by a successor. Removed articles stay, so their ids answer "gone"."""
        with self.transaction() as db:  # type: ignore[attr-defined]  # Store's
            return db.execute(
                "DELETE FROM retired WHERE retired_seq <= ? AND (id IN (SELECT id FROM "
                "articles) OR id IN (SELECT old_id FROM former_ids))", (upto_seq,)).rowcount


def _link(db: sqlite3.Connection, gone: list[tuple[str, object, frozenset[str]]],
          candidates_for) -> None:
    """Record each gone (old id, place, words) as a former id of the candidate most like
    it (candidates_for(place) gives (new id, place, words); the same place counts a
    little), when that one is alike enough."""
    now = schema.now()
    for old_id, place, words in gone:
        best, score = None, 0.0
        for new_id, new_place, new_words in candidates_for(place):
            similarity = _similarity(words, new_words) + (0.01 if new_place == place else 0.0)
            if similarity > score:
                best, score = new_id, similarity
        if best is None or score < SUCCESSOR_SIMILARITY:
            continue
        db.execute("INSERT OR REPLACE INTO former_ids VALUES (?,?,?)", (old_id, best, now))
        db.execute("UPDATE former_ids SET article_id=? WHERE article_id=?", (best, old_id))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split()[:400])


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two word sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
