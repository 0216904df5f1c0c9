"""Text analysis for the index: one analyzer for indexing, querying and highlighting.

English Snowball stemming (PyStemmer, C); case, accent and typographic-quote folding;
stopwords dropped (the Whoosh index renumbers positions so phrases still match across them);
Arabic tokenised whole (harakat do not split words) and normalised. No Whoosh here: the
Whoosh form of this chain is index.whoosh.analysis, and gives the same terms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import Stemmer

from archive.unspaced import CJK
from index import query as q

# Word characters plus the Arabic combining marks and tatweel that Python's \w leaves out,
# so "الْكِتَاب" stays one token; apostrophes inside a word (every form _QUOTES folds) keep
# "Russia’s" together. A Chinese character (or Japanese hiragana) is a token of its own:
# those scripts put no spaces between words, and a word of several characters is searched
# as the phrase of its characters (each engine makes a phrase of a word that analyses to
# several terms), as Lucene's standard tokenizer has it.
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
_RUN = rf"[{_ARABIC_MARKS}]*[^\W{CJK}]+(?:[{_ARABIC_MARKS}]+[^\W{CJK}]*)*"
WORDS_PATTERN = rf"{_RUN}(?:['’‘ʼ`]{_RUN})*|[{CJK}]"  # the definition; what follows, faster
# An ASCII word that nothing continues (most words) is matched at once: the general
# pattern's classes cost 40% more on English text.
TOKEN_PATTERN = re.compile(rf"[a-zA-Z0-9_]+(?![^\W{CJK}]|[{_ARABIC_MARKS}'’‘ʼ`])|{WORDS_PATTERN}")

_ARABIC_LETTERS = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None, "ٱ": "ا"})
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})

# Whoosh's list (whoosh.analysis.STOP_WORDS) minus words a news archive must find: "US",
# "May" (the month), "will".
_WHOOSH_STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in",
    "is", "it", "may", "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we",
    "when", "will", "with", "yet", "you", "your"))
STOPWORDS = _WHOOSH_STOP_WORDS - {"us", "may", "will", "can", "not", "yet", "tbr"}

_STEMMER = Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """Snowball English stem; module-level because Whoosh pickles the schema."""
    return _STEMMER.stemWord(word)


def fold(text: str) -> str:
    """Fold case, accents, typographic apostrophes and Arabic letter variants."""
    if text.isascii():  # most words: nothing to decompose (a third of the indexing time)
        return text.replace("`", "'").lower()
    text = text.translate(_QUOTES).casefold()
    # NFKD + dropping combining marks removes Latin accents and Arabic harakat, and
    # turns hamza-carrying alefs (أ إ آ) into bare alef.
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).translate(_ARABIC_LETTERS)


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """(folded word, start, end) of every token of a text, as PLAIN analyses it (a token
    that folds to nothing is dropped)."""
    for match in TOKEN_PATTERN.finditer(text):
        word = fold(match.group())
        if word:
            yield word, match.start(), match.end()


def analyse(text: str, stemmed: bool = True) -> list[str]:
    """The index terms of a piece of text (for building queries): folded words, and when
    `stemmed` (headline, body) without stopwords and stemmed."""
    folded = [word for word, _, _ in words(text)]
    if not stemmed:
        return folded
    return [stem(word) for word in folded if word not in STOPWORDS]


def __getattr__(name: str):
    # Whoosh indexes pickle their schema, whose analyzers name index.analysis.FoldFilter:
    # it lives in index.whoosh.analysis (so that other engines never load Whoosh) and is
    # found here only when a Whoosh index is opened.
    if name == "FoldFilter":
        from index.whoosh.analysis import FoldFilter

        return FoldFilter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- words the index does not hold -----------------------------------------------------
# Stopwords are dropped from the text fields (headline, body) when indexing, so a query's
# stopwords cannot be searched: say which were left out, and refuse a query that would be
# left with nothing (it would otherwise "match" every article).

_STOPPED_FIELDS = (None, "headline", "body")


def ignored_words(node: q.Node) -> list[str]:
    """The words and phrases of a query left out as too common to search for: a word or
    phrase made only of stopwords (the phrase as written), and the stopwords of a phrase
    that comes down to one word ("to be or not to be" searches "not"); a phrase that keeps
    two words or more keeps its stopwords' places, so nothing of it is lost."""
    found = []
    for leaf in q.leaves(node):  # negated ones too: "oil -the" leaves out “the”
        if not isinstance(leaf, q.Term | q.Phrase) or leaf.field not in _STOPPED_FIELDS:
            continue
        words = (leaf.text,) if isinstance(leaf, q.Term) else leaf.words
        text = " ".join(words)
        if not re.search(r"\w", text):
            continue
        kept = analyse(text)
        if not kept:
            found.append(text)
        elif isinstance(leaf, q.Phrase) and len(kept) == 1:
            found.extend(word for word in words if re.search(r"\w", word) and not analyse(word))
    return list(dict.fromkeys(found))


def searched(node: q.Node) -> q.Node | None:
    """The query without its words and phrases of stopwords only (None: nothing left)."""
    if isinstance(node, q.Term | q.Phrase) and node.field in _STOPPED_FIELDS:
        text = node.text if isinstance(node, q.Term) else " ".join(node.words)
        return node if analyse(text) or not re.search(r"\w", text) else None
    if isinstance(node, q.Not):
        inner = searched(node.item)
        return q.Not(inner) if inner is not None else None
    if isinstance(node, q.And | q.Or):
        items = [kept for item in node.items if (kept := searched(item)) is not None]
        if not items:
            return None
        if all(isinstance(item, q.MatchAll) for item in items):
            return q.MatchAll()
        return items[0] if len(items) == 1 else type(node)(tuple(items))
    return node


def check_searchable(query: str) -> None:
    """Raise QueryError for a query whose words are all too common to search for ("of
    the", "-the"): the index holds none of them, so it would match every article."""
    node = q.parse(query)
    if isinstance(node, q.MatchAll):
        return
    left = searched(node)
    if left is not None and not isinstance(left, q.MatchAll):
        return
    dropped = ignored_words(node)
    quoted = [f"“{word}”" for word in dropped] or ["These words"]
    shown = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    verb = "is" if len(quoted) == 1 else "are"
    raise q.QueryError(f"{shown} {verb} too common to search for: the archive does not "
                       "index such words, so this search would match every article. Add a "
                       "less common word (a name, a place, a subject).")
