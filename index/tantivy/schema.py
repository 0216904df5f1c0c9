"""The tantivy schema and the one mapping from an Article to a tantivy document.

Text is analysed with index.analysis, the very analysis of the Whoosh engine (same tokens,
folding, Arabic normalisation, stopwords), and handed to tantivy as space-separated words:
its whitespace tokenizer gives each word one position, so phrases skip stopwords as in
Whoosh (tantivy's own stop filter leaves gaps), and the stemmed fields add tantivy's
Snowball English stemmer, which stems exactly as PyStemmer (checked on 75,000 words of
real news; tests/test_tantivy_rebuild.py keeps checking). Queries are analysed by the
same Python code as for Whoosh.

Analysis runs per whitespace-separated chunk, with a cache: tokens never span whitespace
and a few hundred thousand distinct chunks cover nearly all of a news archive, so an
article costs a split and a dictionary lookup per chunk. (Measured alternatives: Rust's
regex tokenizer doing the tokenising indexed at half the speed; stemming in Python too
cost another lookup and join per chunk.)"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import tantivy

from archive.model import Article
from index.analysis import STOPWORDS, TOKEN_PATTERN, fold
from index.collapse import numeric_key, story_key
from index.engine import FACETS
from index.ordering import SORT_COLUMNS, ocr_key, sort_keys
from index.pipeline import body_text, display, headline_text
from index.quality import ocr_band, ocr_levels
from index.tantivy.common_pairs import PAIRS, CommonPairs

WORDS = "words"  # whitespace: the text arrives as analysed words
STEMS = "stems"  # the same words, Snowball-stemmed by tantivy
# Query field (from the parser) -> positional full-text field (stems for headline/body).
TEXT_FIELDS = {"headline": "headline", "body": "body", "byline": "byline",
               "place": "place_text", "agency": "agency_text"}
# Query field -> field of the unstemmed (folded) words, for wildcards and fuzzy terms.
WORD_FIELDS = {"headline": "headline_words", "body": "body_words", "byline": "byline",
               "place": "place_text", "agency": "agency_text"}
STEMMED = frozenset({"headline", "body"})
FACET_FIELDS = {name: name for name in FACETS}  # raw, fast: filters and exact counts
# The best OCR level an item reaches, one value: counting it and summing (index.quality.
# cumulative) costs one value per hit, where the `ocr` levels cost up to five.
OCR_BAND = "ocr_band"
# An item's agencies as one value (sorted, AGENCY_SEPARATOR between): counting this
# column and adding each value's count to its agencies is exact and costs a fifth of
# counting the several-valued `agency` column (3.0 -> 0.7 ms over 160,000 hits of 1M);
# filters still use `agency`. Indexes built before it lack it (index_fields tells).
AGENCY_SET, AGENCY_SEPARATOR = "agency_set", "\x1f"
# What a facet column holds for an item without a value: every item has one in every
# counted column, as tantivy counts a full column faster than one with gaps (the agency
# sets of 150,000 articles, 60% of them credited: 0.53 -> 0.21 ms per common word's
# search). Counting drops its bucket; filters never ask for it.
NO_VALUE = ""
STORED = "stored"  # one JSON blob with what a result line shows
# Its story (index.collapse): CLUSTER is the story key (cluster=<id> filters by it),
# STORY_KEY the same as a number to collapse by (read for a prefix of hits at once), and
# SHARED the cluster id of printings of a story printed more than once, whose terms
# aggregation counts the stories among any search's matches.
CLUSTER, STORY_KEY, SHARED = "cluster", "story", "shared"
HEADLINE_BOOST = 2.0
_CACHE_LIMIT = 250_000  # chunks (~60 MB); a news archive's frequent ones fit easily


def schema() -> tantivy.Schema:
    """Only the result-line blob is stored; the body text stays in the article store."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("idkey", fast=True)  # sorts like the id: ties, listings
    for name in ("headline", "body"):
        builder.add_text_field(name, tokenizer_name=STEMS)
        builder.add_text_field(f"{name}_words", tokenizer_name=WORDS, index_option="basic")
    for name in ("byline", "place_text", "agency_text"):
        builder.add_text_field(name, tokenizer_name=WORDS)
    builder.add_text_field(PAIRS, tokenizer_name=WORDS, index_option="basic")
    for name in (*FACET_FIELDS.values(), OCR_BAND, AGENCY_SET):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_text_field("month_day", tokenizer_name="raw", index_option="basic")
    builder.add_text_field(CLUSTER, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(SHARED, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_unsigned_field(STORY_KEY, fast=True)
    builder.add_integer_field("day", indexed=True, fast=True)  # date.toordinal()
    for column in SORT_COLUMNS.values():  # index.ordering keys
        builder.add_integer_field(column, fast=True)
    builder.add_bytes_field(STORED, stored=True)
    return builder.build()


def register(index: tantivy.Index) -> None:
    """Tokenizers are not saved with an index: every opened Index needs them again."""
    for name, analyzer in analyzers().items():
        index.register_tokenizer(name, analyzer)


def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    """The tokenizers of the full-text fields, by name."""
    words = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    stems = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(
        tantivy.Filter.stemmer("english")).build()
    return {WORDS: words, STEMS: stems}


Stamp = tuple[int, int, int] | None  # a commit, as meta_stamp tells it


def meta_stamp(path: Path) -> Stamp:
    """Identity of an index folder's meta.json, which tantivy replaces on every commit: a
    stat per search tells a reader that another process committed (cheaper than
    tantivy's file watcher, and certain at once rather than after its delay)."""
    try:
        info = os.stat(Path(path) / "meta.json")
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def index_fields(path: Path) -> frozenset[str]:
    """The fields of the index in a folder, as its meta.json records them (empty when it
    cannot be read)."""
    try:
        with open(Path(path) / "meta.json", encoding="utf-8") as stream:
            return frozenset(field["name"] for field in json.load(stream)["schema"])
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()


def tie_key(article_id: str) -> int:
    """An unsigned 64-bit integer that orders like the article id: its first 8 bytes
    (ids sharing those are told apart by the engine when it matters)."""
    return int.from_bytes(article_id.encode("utf-8")[:8].ljust(8, b"\0"), "big")


class _Chunks:
    """Chunk -> its words as a space-separated string ("" -> " ": a chunk of stopwords
    or punctuation is cached too). Bounded: when full it starts again, and the frequent
    chunks come straight back."""

    def __init__(self) -> None:
        self.words: dict[str, str] = {}
        self.lock = threading.Lock()

    def analyse(self, text: str) -> str:
        if text.isascii():  # lowercase first: "The" and "the" share one entry
            text = text.replace("`", "'").lower()
        chunks = text.split()
        words = self.words
        try:  # usually every chunk is known: one C-level pass
            return " ".join(map(words.__getitem__, chunks))
        except KeyError:
            pass
        found = {chunk: _chunk_words(chunk) for chunk in set(chunks).difference(words)}
        with self.lock:
            if len(self.words) + len(found) > _CACHE_LIMIT:
                self.words = {}
            self.words.update(found)
        get = self.words.get  # (another thread may have emptied the cache meanwhile)
        return " ".join([get(c) or found.get(c) or _chunk_words(c) for c in chunks])


def _chunk_words(chunk: str) -> str:
    words = [w for w in map(fold, TOKEN_PATTERN.findall(chunk)) if w and w not in STOPWORDS]
    return " ".join(words) or " "


_CHUNKS = _Chunks()


def analysed(text: str) -> str:
    """The words of a full-text field as index.analysis finds them (folded, stopwords
    dropped), space-separated; stemming them is left to the field's tokenizer."""
    return _CHUNKS.analyse(text)


def plain_terms(text: str) -> str:
    """index.analysis.PLAIN's terms (folded, stopwords kept): byline, place, agency."""
    return " ".join(w for w in map(fold, TOKEN_PATTERN.findall(text)) if w)


def to_document(article: Article, common: CommonPairs | None = None
                ) -> tuple[tantivy.Document, dict[str, str]]:
    """The index document of an article (the only Article -> field mapping), and its
    unstemmed words per query field (for the vocabulary). `common`: the index's common
    stems, whose adjacent pairs in headline and body get a term each (common_pairs)."""
    doc = tantivy.Document()
    doc.add_text("id", article.id)
    doc.add_unsigned("idkey", tie_key(article.id))
    words: dict[str, str] = {}
    body = body_text(article)
    for name, text in (("headline", headline_text(article)), ("body", body)):
        words[name] = analysed(text)
        doc.add_text(name, words[name])
        doc.add_text(f"{name}_words", words[name])
        if common is not None and (pairs := common.of_text(words[name])):
            doc.add_text(PAIRS, pairs)
    if article.byline:
        words["byline"] = plain_terms(article.byline)
        doc.add_text("byline", words["byline"])
    if article.place:
        words["place"] = plain_terms(article.place)
        doc.add_text("place_text", words["place"])
    doc.add_text("place", article.place or NO_VALUE)
    if article.agencies:
        words["agency"] = plain_terms(" ".join(article.agencies))
        doc.add_text("agency_text", words["agency"])
        for agency in dict.fromkeys(article.agencies):
            doc.add_text("agency", agency)
    doc.add_text(AGENCY_SET, AGENCY_SEPARATOR.join(sorted(set(article.agencies))))
    for name in ("publication", "section", "language", "country"):
        doc.add_text(name, getattr(article, name) or NO_VALUE)
    doc.add_text("page", str(article.page) if article.page is not None else NO_VALUE)
    if article.date:
        doc.add_text("year", str(article.date.year))
        doc.add_text("month", article.date.strftime("%Y-%m"))
        doc.add_text("month_day", article.date.strftime("%m-%d"))
        doc.add_integer("day", article.date.toordinal())
    else:
        doc.add_text("year", NO_VALUE)
        doc.add_text("month", NO_VALUE)
    doc.add_text("kind", article.kind)
    for level in ocr_levels(article.confidence):  # several values, as agencies
        doc.add_text("ocr", level)
    band = ocr_band(article.confidence)
    doc.add_text(OCR_BAND, band if band is not None else NO_VALUE)
    newest, oldest = sort_keys(article.date, article.id)
    doc.add_integer("newest", newest)
    doc.add_integer("oldest", oldest)
    doc.add_integer("ocr_order", ocr_key(article.confidence, article.id))
    key = story_key(article)
    doc.add_text(CLUSTER, key)
    doc.add_unsigned(STORY_KEY, numeric_key(key))
    if article.cluster_id is not None:
        doc.add_text(SHARED, article.cluster_id)
    doc.add_bytes(STORED, json.dumps(display(article), ensure_ascii=False).encode())
    return doc, words
