"""The words of a tantivy index as a second, small tantivy index beside it: one document per
(field, word), with the number of articles holding it. A fuzzy term query over it runs a
Levenshtein automaton on its term dictionary, so "words within 2 edits of x, starting with
x's first letter, in this field" takes a millisecond on millions of words. That serves:

- fuzzy queries: tantivy's own FuzzyTermQuery cannot demand the same first letter, which
  Whoosh's fuzzy terms (and our highlighter) do; the words found here are searched instead;
- wildcards: a regex over the words, most frequent first, finds at most the query's budget
  of them (index.expansion.expansion_budget) and says whether there were more;
- "did you mean": tantivy has no spelling corrector; the most frequent body word within
  1, then 2 edits is the suggestion, as Whoosh's corrector ranks them.

Built from the main index's term dictionaries after a full build; an update adds the words
it brings (frequencies of known words are not refreshed, and words of deleted articles
stay: a suggestion is only offered if it finds something)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

import tantivy

from index.expansion import MAX_EXPANSIONS
from index.tantivy.schema import WORD_FIELDS, meta_stamp

Q, Occur = tantivy.Query, tantivy.Occur
_HEAP = 64_000_000
_REGEXES: dict[str, tantivy.Query] = {}


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", tokenizer_name="raw", index_option="basic")  # field:word
    builder.add_text_field("word", tokenizer_name="raw", index_option="basic", stored=True)
    builder.add_text_field("field", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("first", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("freq", fast=True, stored=True)
    return builder.build()


class Vocabulary:
    """The vocabulary index in one folder; thread-safe, reloaded after its own commits."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._index: tantivy.Index | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    def _open(self) -> tantivy.Index:
        """The open vocabulary, reloaded if another process added words since."""
        stamp = meta_stamp(self.path)
        with self._lock:
            if self._index is None:
                self._index = tantivy.Index.open(str(self.path))
                self._index.config_reader(reload_policy="manual")
                self._stamp = stamp
            elif stamp != self._stamp:
                self._index.reload()
                self._stamp = stamp
            return self._index

    def build(self, main: tantivy.Searcher) -> int:
        """Every word of every field of the main index, from its term dictionaries."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        index = tantivy.Index(_schema(), path=str(self.path), reuse=False)
        writer = index.writer(heap_size=_HEAP, num_threads=1)
        count = 0
        for name, field in WORD_FIELDS.items():
            for word, frequency in main.terms_with_prefix(field, ""):
                writer.add_document(_document(name, word, frequency))
                count += 1
        writer.commit()
        writer.wait_merging_threads()
        with self._lock:
            self._index = None
        return count

    def add(self, words: Iterable[tuple[str, str]], main: tantivy.Searcher) -> int:
        """Add the (field, word) pairs not known yet, with their frequency in `main`."""
        index = self._open()
        known = index.searcher()
        new = {(name, word) for name, word in words
               if not known.doc_freq("key", f"{name}:{word}")}
        if not new:
            return 0
        writer = index.writer(heap_size=_HEAP, num_threads=1)
        for name, word in sorted(new):
            writer.add_document(_document(name, word, main.doc_freq(WORD_FIELDS[name], word)))
        writer.commit()
        writer.wait_merging_threads()
        with self._lock:
            index.reload()
            self._stamp = meta_stamp(self.path)
        return len(new)

    def near(self, field: str, word: str, distance: int, same_first: bool = True,
             limit: int = MAX_EXPANSIONS) -> list[tuple[str, int]]:
        """(word, articles) of `field` within `distance` edits (Levenshtein, no
        transpositions, as Whoosh), most frequent first."""
        return self.near_count(field, word, distance, same_first, limit)[0]

    def near_count(self, field: str, word: str, distance: int, same_first: bool = True,
                   limit: int = MAX_EXPANSIONS) -> tuple[list[tuple[str, int]], int]:
        """near(), and how many words are within reach in all."""
        if not word:
            return [], 0
        schema = self._open().schema
        parts = [(Occur.Must, Q.fuzzy_term_query(schema, "word", word, distance,
                                                 transposition_cost_one=False))]
        if same_first:
            parts.append((Occur.Must, Q.term_query(schema, "first", word[0],
                                                   index_option="basic")))
        return self._most_frequent(field, parts, limit)

    def matching(self, field: str, regex: str,
                 limit: int = MAX_EXPANSIONS) -> tuple[list[tuple[str, int]], int]:
        """(word, articles) of `field` that match a whole-word regex, most frequent first,
        and how many match in all. The regex runs as an automaton over the term
        dictionary: a leading wildcard costs no walk through the words in Python."""
        query = _REGEXES.get(regex)
        if query is None:
            query = Q.regex_query(self._open().schema, "word", regex)
            if len(_REGEXES) >= 256:
                _REGEXES.clear()
            _REGEXES[regex] = query
        return self._most_frequent(field, [(Occur.Must, query)], limit)

    def _most_frequent(self, field: str, parts: list, limit: int
                       ) -> tuple[list[tuple[str, int]], int]:
        index = self._open()
        parts = [*parts, (Occur.Must, Q.term_query(index.schema, "field", field,
                                                   index_option="basic"))]
        searcher = index.searcher()
        found = searcher.search(Q.boolean_query(parts), max(1, limit), count=True,
                                order_by_field="freq")
        words = []
        for _, address in found.hits:
            doc = searcher.doc(address)
            words.append((doc.get_first("word"), int(doc.get_first("freq"))))
        return sorted(words, key=lambda wf: (-wf[1], wf[0])), found.count

    def close(self) -> None:
        with self._lock:
            self._index = None


def _document(name: str, word: str, frequency: int) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("key", f"{name}:{word}")
    doc.add_text("word", word)
    doc.add_text("field", name)
    doc.add_text("first", word[:1])
    doc.add_integer("freq", frequency)
    return doc
