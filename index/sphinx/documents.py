"""Articles as Sphinx rows: the one Article -> row mapping of the Sphinx engine.

Text is analysed by our own code (index.analysis: folding, stopwords, Snowball stems), as
the Whoosh and tantivy engines analyse it, and handed to Sphinx as ready tokens separated
by spaces, so the three engines find the same articles. Sphinx only ever sees tokens of
[a-z0-9_]: a plain ASCII word is its own token (after its field's prefix), any other word
(Arabic, letters Sphinx's charset would split, apostrophes, words longer than Sphinx's 42
characters) is sent as "_" and an 80-bit hash of it. Nothing is lost by hashing:
wildcards and fuzzy terms are expanded against our own vocabulary
(index.sphinx.vocabulary), never by Sphinx, and a query built from such tokens needs no
escaping."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from functools import partial
from itertools import chain

from archive.model import Article
from index.analysis import STOPWORDS, TOKEN_PATTERN, fold, stem
from index.collapse import numeric_key, story_key
from index.ordering import ocr_key, sort_keys
from index.pipeline import body_text, display, headline_text
from index.quality import ocr_band, ocr_levels

_PLAIN = re.compile(r"[a-z0-9]{1,40}")
NOTHING = "_none_"  # a token no document holds: an expansion that found no word
EVERY = "all"  # the token of the `every` field, in every row: what "all but ..." matches
# Full-text fields: stems of headline and body, their printed (folded) words for fuzzy
# terms, the names, the issue date as tokens (index.sphinx.dates) and `every`.
FIELDS = ("headline", "hwords", "body", "bwords", "byline", "place", "agency", "dates",
          "every")
# Facets of one value per article, as string attributes (the value as the facet shows it).
SINGLE = {"publication": "f_publication", "year": "f_year", "month": "f_month",
          "kind": "f_kind", "place": "f_place", "section": "f_section", "page": "f_page",
          "language": "f_language", "country": "f_country"}
STRINGS = ("aid", *SINGLE.values(), "f_agencies", "display")
BIGINTS = ("idkey", "newest", "oldest", "ocr_order", "story", "shared")
UINTS = ("day", "month_day", "f_band")
MULTI = ("f_ocr",)  # OCR levels reached, as integers
FACET_KEYS = "f_facets"  # every facet value of the row as facet_key(): counted at once
MULTI_64 = ("f_agency", FACET_KEYS)  # agency names as 63-bit hashes (f_agencies: names)
COLUMNS = ("id", *FIELDS, *STRINGS, *BIGINTS, *UINTS, *MULTI, *MULTI_64)
# Each text field's words are keywords of their own (BM25's IDF is per keyword: per field,
# as the tantivy and Whoosh engines count it): a prefix no plain word or hash starts with.
PREFIXES = {"headline": "h_", "hwords": "g_", "body": "", "bwords": "w_", "byline": "y_",
            "place": "p_", "agency": "a_"}
AGENCY_SEPARATOR = "\x1f"


class _Memo(dict):
    """key -> make(key), remembered; emptied when full (an archive's words repeat, so a
    row's words are nearly all found here: a dict lookup from C, no Python call)."""

    def __init__(self, make: Callable[[str], object], limit: int):
        super().__init__()
        self.make, self.limit = make, limit

    def __missing__(self, key: str) -> object:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value


def _token(word: str, field: str) -> str:
    if _PLAIN.fullmatch(word):
        return PREFIXES[field] + word
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=10).digest()
    return PREFIXES[field] + "_" + base64.b32encode(digest).decode("ascii").lower()


_TOKENS = {field: _Memo(partial(_token, field=field), 250_000) for field in PREFIXES}


def token(word: str, field: str = "body") -> str:
    """The keyword Sphinx indexes for one analysed word in one of its text fields (see
    the module docstring and PREFIXES)."""
    return _TOKENS[field][word]


def _chunk(chunk: str) -> tuple[str, ...]:
    # a folded word can hold a space (NFKD of some ligatures): split it, as queries do
    return tuple(part for word in TOKEN_PATTERN.findall(chunk) for part in fold(word).split())


_CHUNKS = _Memo(_chunk, 400_000)  # a space-separated chunk of text -> its folded words
_KEPT = _Memo(lambda chunk: tuple(w for w in _CHUNKS[chunk] if w not in STOPWORDS), 400_000)
_STEMS = _Memo(stem, 250_000)


def _split(text: str | None, memo: _Memo) -> list[str]:
    if not text:
        return []
    if text.isascii():  # lowercase first: "The" and "the" share one memo entry
        text = text.lower()
    return list(chain.from_iterable(map(memo.__getitem__, text.split())))


def plain_words(text: str | None) -> list[str]:
    """Folded words, stopwords kept (index.analysis.PLAIN): names, and every text."""
    return _split(text, _CHUNKS)


def words(text: str | None) -> list[str]:
    """The words of a full-text field as index.analysis finds them: folded, no stopwords."""
    return _split(text, _KEPT)


def stemmed(word: str) -> str:
    return _STEMS[word]


def signed(value: int) -> int:
    """An unsigned 64-bit number as the signed one Sphinx's bigint holds (order kept)."""
    return value - (1 << 63)


def doc_id(article_id: str) -> int:
    """The row id of an article: a 63-bit hash of its id (Sphinx ids are positive)."""
    digest = hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest()
    return (int.from_bytes(digest, "big") >> 1) or 1


def shard_of(article_id: str, shards: int) -> int:
    """The shard that owns an article: a fixed hash of its id, never its arrival order."""
    return doc_id(article_id) % shards


def tie_key(article_id: str) -> int:
    """A bigint ordering like the article id (its first 8 bytes): ties of equal scores."""
    return signed(int.from_bytes(article_id.encode("utf-8")[:8].ljust(8, b"\0"), "big"))


def name_key(name: str) -> int:
    """A 63-bit hash of an agency name, the value its multi-valued attribute holds."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def facet_key(facet: str, value: str) -> int:
    """One facet value as the 63-bit hash f_facets holds: one GROUP BY over it counts the
    values of every facet in one pass over the matches (index.sphinx.searching)."""
    return name_key(f"{facet}{AGENCY_SEPARATOR}{value}")


def facet_values(values: dict[str, object]) -> dict[str, list[str]]:
    """A row's facet values (the empty ones left out), as f_facets holds them."""
    found = {name: [str(values[column])] for name, column in SINGLE.items()
             if values[column] != ""}
    found["agency"] = [n for n in str(values["f_agencies"]).split(AGENCY_SEPARATOR) if n]
    if values["f_band"]:
        found["ocr"] = [str(values["f_band"])]
    return found


def story_number(key: str) -> int:
    """A story key (index.collapse) as a bigint: filters by cluster and story counts."""
    return signed(numeric_key(key))


def date_tokens(date: dt.date | None) -> list[str]:
    """The tokens of an issue date: its century, decade, year, month and day, so that any
    range of dates is an OR of a few of them (index.sphinx.query.date_cover)."""
    if date is None:
        return []
    y = date.year
    return [f"h{y // 100:02d}", f"k{y // 10:03d}", f"y{y:04d}", f"m{y:04d}{date.month:02d}",
            f"d{y:04d}{date.month:02d}{date.day:02d}"]


def row(article: Article) -> tuple[dict[str, object], dict[str, list[str]]]:
    """The row of an article (column -> value), and its printed words per query field
    (headline, body, byline, place, agency; "stem": the stems of headline and body) for
    the vocabulary."""
    values, printed, _ = analysed(article)
    return values, printed


def analysed(article: Article
             ) -> tuple[dict[str, object], dict[str, list[str]], dict[str, list[str]]]:
    """row(), and the tokens of each full-text field as lists: what the statistics count
    (lengths(), tokens_of()) without splitting the row's strings again."""
    body = body_text(article)
    printed = {"headline": words(headline_text(article)), "body": words(body),
               "byline": plain_words(article.byline), "place": plain_words(article.place),
               "agency": plain_words(" ".join(article.agencies))}
    stems = {name: list(map(_STEMS.__getitem__, printed[name])) for name in ("headline", "body")}
    printed["stem"] = stems["headline"] + stems["body"]
    text = {"headline": stems["headline"], "hwords": printed["headline"],
            "body": stems["body"], "bwords": printed["body"], "byline": printed["byline"],
            "place": printed["place"], "agency": printed["agency"]}
    # the memos' own strings: counting them later hashes nothing anew
    tokens = {name: list(map(_TOKENS[name].__getitem__, found)) for name, found in text.items()}
    tokens["dates"] = date_tokens(article.date)
    tokens["every"] = [EVERY]
    values: dict[str, object] = {name: " ".join(found) for name, found in tokens.items()}
    date = article.date
    newest, oldest = sort_keys(date, article.id)
    key = story_key(article)
    agencies = list(dict.fromkeys(article.agencies))
    values.update({
        "id": doc_id(article.id), "aid": article.id,
        "f_publication": article.publication or "", "f_kind": article.kind or "",
        "f_year": str(date.year) if date else "", "f_month": date.strftime("%Y-%m") if date
        else "", "f_place": article.place or "", "f_section": article.section or "",
        "f_page": str(article.page) if article.page is not None else "",
        "f_language": article.language or "", "f_country": article.country or "",
        "f_agencies": AGENCY_SEPARATOR.join(agencies),
        "display": json.dumps(display(article), ensure_ascii=False),
        "idkey": tie_key(article.id), "newest": newest, "oldest": oldest,
        "ocr_order": ocr_key(article.confidence, article.id),
        "story": story_number(key),
        "shared": story_number(article.cluster_id) if article.cluster_id else 0,
        "day": date.toordinal() if date else 0,
        "month_day": date.month * 100 + date.day if date else 0,
        "f_band": int(ocr_band(article.confidence) or 0),
        "f_ocr": tuple(int(level) for level in ocr_levels(article.confidence)),
        "f_agency": tuple(name_key(name) for name in agencies)})
    values[FACET_KEYS] = tuple(sorted({facet_key(facet, value) for facet, found
                                       in facet_values(values).items() for value in found}))
    return values, printed, tokens


def lengths(values: dict[str, object]) -> dict[str, int]:
    """The tokens of each full-text field of a row (BM25's document lengths)."""
    # tokens are joined by single spaces, none empty: count the spaces, split nothing
    return {name: str(values[name]).count(" ") + 1 if values[name] else 0 for name in FIELDS}


def tokens_of(values: dict[str, object]) -> set[str]:
    """Every distinct token of a row, in any field: what the collection-wide document
    frequencies (index.sphinx.idf) count."""
    return set(" ".join(str(values[name]) for name in FIELDS).split())
