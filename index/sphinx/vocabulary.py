"""The words of a Sphinx generation, kept beside it in the engine's folder (SQLite): Sphinx
2.2 has no fuzzy search and our tokens are not Sphinx's words, so wildcards, fuzzy terms
and "did you mean" are expanded here and searched as plain words.

- words(field, word, docs): the printed (folded) words of each query field, and "stem":
  the stems of headline and body words (is a query word known to the archive?);
- frequencies(token, docs) and the document count: the collection-wide statistics the
  global IDF file is written from (index.sphinx.idf).

Fuzzy terms walk the sorted words with a Levenshtein automaton (Whoosh's, the same edits
and first-letter rule as the Whoosh engine), seeking in SQLite's index: milliseconds on
millions of words. An update adds the words it brings and counts its articles again
(frequencies of replaced articles are not taken back: a suggestion only ever counts as
good when it finds something)."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

from index import expansion

_SCHEMA = """
CREATE TABLE IF NOT EXISTS words (field TEXT, word TEXT, docs INTEGER,
                                  PRIMARY KEY (field, word)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS frequencies (token TEXT PRIMARY KEY, docs INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS totals (name TEXT PRIMARY KEY, value INTEGER);
"""
_LAST = "\U0010ffff"
_BATCH = 50_000
_DFAS: dict[tuple[str, int, int], object] = {}


class Vocabulary:
    """One SQLite file; a connection per thread (WAL: readers never wait for the writer)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    def close(self) -> None:
        with self._lock:
            opened, self._all = self._all, []
        for db in opened:
            db.close()
        self._local = threading.local()

    # --- writing ---------------------------------------------------------------------

    def build(self, words: Mapping[str, Counter], frequencies: Counter, total: int,
              lengths: Counter) -> None:
        """Replace everything with these counts (field -> word -> documents)."""
        db = self._db()
        with db:
            db.execute("DELETE FROM words")
            db.execute("DELETE FROM frequencies")
            db.execute("DELETE FROM totals")
        self.add(words, frequencies, total, lengths)

    def add(self, words: Mapping[str, Counter], frequencies: Counter, added: int,
            lengths: Counter) -> None:
        """Count `added` more documents with these words and tokens, and the tokens they
        hold in each full-text field (`lengths`)."""
        db = self._db()
        with db:
            for field, counts in words.items():
                _upsert(db, "INSERT INTO words VALUES (?, ?, ?) ON CONFLICT(field, word) DO "
                        "UPDATE SET docs = docs + excluded.docs",
                        ((field, word, docs) for word, docs in counts.items()))
            _upsert(db, "INSERT INTO frequencies VALUES (?, ?) ON CONFLICT(token) DO "
                    "UPDATE SET docs = docs + excluded.docs", frequencies.items())
            db.executemany("INSERT INTO totals VALUES (?, ?) ON CONFLICT(name) DO "
                           "UPDATE SET value = value + excluded.value",
                           [("documents", added)]
                           + [(f"length:{f}", n) for f, n in lengths.items()])

    # --- reading ---------------------------------------------------------------------

    def documents(self) -> int:
        found = self._db().execute("SELECT value FROM totals WHERE name = 'documents'")
        row = found.fetchone()
        return row[0] if row else 0

    def averages(self) -> dict[str, float]:
        """The average length (tokens) of each full-text field over the documents."""
        totals = dict(self._db().execute("SELECT name, value FROM totals"))
        documents = totals.get("documents", 0)
        return {name.split(":", 1)[1]: value / documents for name, value in totals.items()
                if name.startswith("length:") and documents}

    def frequencies(self) -> Iterable[tuple[str, int]]:
        return self._db().execute("SELECT token, docs FROM frequencies")

    def token_docs(self, token: str) -> int:
        """Rows holding a Sphinx keyword (index.sphinx.documents.token), as counted for
        the collection-wide IDF."""
        found = self._db().execute("SELECT docs FROM frequencies WHERE token = ?",
                                   (token,)).fetchone()
        return found[0] if found else 0

    def docs(self, field: str, word: str) -> int:
        found = self._db().execute("SELECT docs FROM words WHERE field = ? AND word = ?",
                                   (field, word)).fetchone()
        return found[0] if found else 0

    def near(self, field: str, word: str, distance: int, same_first: bool = True,
             limit: int = expansion.MAX_EXPANSIONS) -> list[tuple[str, int]]:
        """(word, documents) of `field` within `distance` edits (Levenshtein, no
        transpositions, as Whoosh), most frequent first."""
        return self.near_count(field, word, distance, same_first, limit)[0]

    def near_count(self, field: str, word: str, distance: int, same_first: bool = True,
                   limit: int = expansion.MAX_EXPANSIONS) -> tuple[list[tuple[str, int]], int]:
        """near(), and how many words are within reach in all."""
        if not word:
            return [], 0
        db = self._db()

        def first_at_or_after(text: str) -> str | None:
            row = db.execute("SELECT word FROM words WHERE field = ? AND word >= ? "
                             "ORDER BY word LIMIT 1", (field, text)).fetchone()
            return row[0] if row else None

        found = list(find_all_matches(_dfa(word, distance, 1 if same_first else 0),
                                      first_at_or_after))
        counts = {w: self.docs(field, w) for w in found}
        words, _ = expansion.most_frequent(counts, limit)
        return [(w, counts[w]) for w in words], len(found)

    def matching(self, field: str, pattern: str, limit: int,
                 scanned: int) -> tuple[list[tuple[str, int]], int, bool]:
        """(word, documents) of `field` matching a wildcard pattern (folded), its `limit`
        most frequent; how many matched; and whether every candidate was looked at (at
        most `scanned` words of the pattern's literal prefix are)."""
        regex = re.compile(expansion.wildcard_regex(pattern))
        prefix = expansion.literal_prefix(pattern)
        rows = self._db().execute(
            "SELECT word, docs FROM words WHERE field = ? AND word >= ? AND word < ? "
            "ORDER BY word LIMIT ?", (field, prefix, prefix + _LAST if prefix else _LAST,
                                      scanned + 1)).fetchall()
        complete = len(rows) <= scanned
        counts = {word: docs for word, docs in rows[:scanned] if regex.fullmatch(word)}
        words, _ = expansion.most_frequent(counts, limit)
        return [(w, counts[w]) for w in words], len(counts), complete


def _upsert(db: sqlite3.Connection, sql: str, rows: Iterable[tuple]) -> None:
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) >= _BATCH:
            db.executemany(sql, batch)
            batch = []
    if batch:
        db.executemany(sql, batch)


def _dfa(word: str, distance: int, prefix: int):
    """The Levenshtein DFA of a word (remembered: building one costs milliseconds)."""
    key = (word, distance, prefix)
    found = _DFAS.get(key)
    if found is None:
        if len(_DFAS) >= 512:
            _DFAS.clear()
        found = _DFAS[key] = levenshtein_automaton(word, distance,
                                                   prefix=min(prefix, len(word))).to_dfa()
    return found
