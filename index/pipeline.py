"""The search flow every engine shares, written once: what a result line shows, a hit with
its marked headline and snippet, the facet groups (each facet ignores its own filter),
"did you mean" over the query's words, and the finished result page. Engines find and
count; they call these for the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from html import escape

from archive.headlines import UNTITLED
from archive.model import Article
from index import query as q
from index.analysis import STOPWORDS, analyse
from index.describe import describe_request
from index.engine import FACETS, Hit, SearchRequest, SearchResults
from index.results import FEW_HITS, Bounds, histogram, respellable
from index.snippets import Highlighter, lead, matcher

# ids -> the text snippets are cut from (an article's paragraphs joined by spaces)
Texts = Callable[[list[str]], dict[str, str]]
Marks = dict[str, Highlighter]  # "headline" / "body" -> its highlighter for one page
MARKED = ("headline", "body")  # the fields whose text a result line shows marked


def display(article: Article) -> dict[str, object]:
    """What a result line shows, kept with the article in the index (JSON-safe)."""
    return {"id": article.id, "headline": article.headline,
            "date": article.date.isoformat() if article.date else None,
            "publication": article.publication, "publication_slug": article.publication_slug,
            "place": article.place, "agencies": list(article.agencies),
            "byline": article.byline, "section": article.section, "page": article.page,
            "kind": article.kind, "confidence": article.confidence,
            "cluster_id": article.cluster_id, "cluster_size": article.cluster_size}


def headline_text(article: Article) -> str:
    """The text searched as `headline`: the printed headline; none for the label of an
    item that printed none ("[untitled]" is ours, not the paper's)."""
    return "" if article.headline == UNTITLED else article.headline


def body_text(article: Article) -> str:
    """The text searched as `body`: the subtitle, then the paragraphs."""
    return "\n".join(p for p in (article.subtitle, *article.paragraphs) if p)


def bodies(texts: Texts | None, ids: list[str], snippets: bool) -> dict[str, str]:
    """The store's text of the page's articles (id -> text), when snippets are wanted;
    snippets come from the store, not the index, on every engine."""
    if not snippets or not texts or not ids:
        return {}
    return texts(ids)


def marks(node: q.Node) -> Marks:
    """The highlighters of one result page: the words the query searched per field."""
    return {field: Highlighter(matcher(node, field)) for field in MARKED}


def marked(headline: str, body: str | None, headline_html: str,
           snippet_html: str) -> tuple[str, str]:
    """(headline HTML, snippet HTML): the marked ones, else the escaped headline and the
    lead of the body (no snippet without a body)."""
    if body:
        snippet_html = snippet_html or escape(lead(body))
    return headline_html or escape(headline), snippet_html


def highlighted(headline: str, body: str | None, matched_in: tuple[str, ...],
                page_marks: Marks) -> tuple[str, str]:
    """(headline HTML, snippet HTML) with the searched words marked where they matched."""
    headline_html = page_marks["headline"].whole(headline) if "headline" in matched_in else ""
    snippet_html = page_marks["body"].snippet(body) \
        if body and "body" in matched_in else ""
    return marked(headline, body, headline_html, snippet_html)


def hit_of(data: dict, score: float, matched_in: tuple[str, ...], body: str | None,
           page_marks: Marks, cluster_matches: int = 1) -> Hit:
    """A result line from display(article) as the index kept it."""
    headline = data["headline"]
    headline_html, snippet_html = highlighted(headline, body, matched_in, page_marks)
    return Hit(
        id=data["id"], headline=headline, headline_html=headline_html,
        snippet_html=snippet_html,
        date=dt.date.fromisoformat(data["date"]) if data["date"] else None,
        publication=data["publication"], publication_slug=data["publication_slug"],
        place=data["place"], agencies=tuple(data["agencies"]), byline=data["byline"],
        section=data["section"], page=data["page"], matched_in=matched_in,
        score=float(score), kind=data.get("kind", "article"),
        confidence=data.get("confidence"), cluster_id=data.get("cluster_id"),
        cluster_size=data.get("cluster_size", 1), cluster_matches=cluster_matches)


def facet_groups(request: SearchRequest,
                 names: tuple[str, ...] = FACETS) -> list[tuple[list[str], str | None]]:
    """(facets, the filter left out) of each count to make: every facet without a
    selection under every filter, then each selected facet under every filter but its
    own, so a reader can add a second value (OR) and see what it would bring."""
    chosen = [name for name, values in request.filters if values]
    return [([f for f in names if f not in chosen], None)] + [([f], f) for f in chosen]


def years_of(months: dict[str, int]) -> dict[str, int]:
    """Year counts as sums of month counts (every dated article has both; yyyy-mm)."""
    years: dict[str, int] = {}
    for month, count in months.items():
        years[month[:4]] = years.get(month[:4], 0) + count
    return years


class Fed:
    """The articles of one write, counted as they go, with progress(1) after each: every
    engine's build and update loop over them."""

    def __init__(self, articles: Iterable[Article],
                 progress: Callable[[int], None] | None = None):
        self.articles, self.progress = articles, progress
        self.count = 0

    def __iter__(self) -> Iterator[Article]:
        for article in self.articles:
            yield article
            self.count += 1
            if self.progress:
                self.progress(1)


# --- query expansion -------------------------------------------------------------------

def fuzzy_words(leaf: q.Fuzzy, field: str, stemmed: bool, vocabulary, budget,
                bounds: Bounds) -> list[str] | None:
    """The printed words of `field` within the fuzzy term's edits, with the same first
    letter (Whoosh's prefixlength=1 and the highlighter's rule), from a vocabulary with
    near_count(): the budget's (index.expansion.expansion_budget) most frequent, noted in
    `bounds` when cut. None when the term has no word to expand (stopwords only)."""
    words = analyse(leaf.text, stemmed=False)
    if stemmed:
        words = [w for w in words if w not in STOPWORDS]
    if not words:
        return None
    near, count = vocabulary.near_count(field, words[0], leaf.distance, limit=budget.words)
    if count > len(near):
        bounds.capped[leaf] = budget.words
    return [word for word, _ in near]


# --- did you mean ----------------------------------------------------------------------

def respelled(text: str, known: Callable[[list[str]], bool],
              nearest: Callable[[str], str | None],
              terms_of: Callable[..., list[str]] = analyse) -> q.Node | None:
    """The query with each unknown word (no stem of it in the index: `known`) replaced by
    the nearest word of the index's own vocabulary (`nearest`; OCR variants that exist in
    the archive are fine suggestions); None when the query cannot be parsed or nothing
    changed. The engine then checks the respelled query finds something."""
    try:
        node = q.parse(text)
    except q.QueryError:
        return None
    changed = False

    def respell(leaf):
        nonlocal changed
        if isinstance(leaf, q.Term) and leaf.field in (None, "headline", "body") \
                and respellable(leaf.text):
            words = terms_of(leaf.text, stemmed=False)
            stems = terms_of(leaf.text)
            if len(words) == 1 and stems and not known(stems):
                option = nearest(words[0])
                if option and option != words[0]:
                    changed = True
                    return q.Term(option, leaf.field)
        return leaf

    fixed = q.map_leaves(node, respell)
    return fixed if changed else None


def nearest_in(vocabulary) -> Callable[[str], str | None]:
    """`nearest` for respelled() from a vocabulary with near(field, word, distance,
    same_first, limit): the most frequent word one edit away with the same first letter
    ("oill" is "oil", not the more frequent "will"), else one edit away at the first
    letter, else two edits away with the same first letter. (Two edits and another
    first letter is too far a guess, and what Whoosh could only find by walking every
    word of its dictionary.)"""

    def nearest(word: str) -> str | None:
        return next((found[0][0] for dist, same in ((1, True), (1, False), (2, True))
                     if (found := [(w, n) for w, n in vocabulary.near(
                         "body", word, dist, same, limit=50) if w != word])), None)

    return nearest


_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def first_edits(word: str) -> list[str]:
    """The words one edit away from `word` at its first letter: that letter replaced or
    deleted, a letter put before it (from the Latin letters and digits, and the word's
    own letters: its script's). Every other word one edit away keeps the first letter."""
    letters = sorted(set(_ALPHABET) | set(word))
    return [word[1:]] * (len(word) > 1) + [c + word[1:] for c in letters if c != word[:1]] \
        + [c + word for c in letters]


# --- the result page -------------------------------------------------------------------

def finish(request: SearchRequest, total: int, hits: tuple[Hit, ...], facets: tuple,
           stories: int, bounds: Bounds, suggest: Callable[[str], str | None],
           kind: type[SearchResults] = SearchResults, partial: bool = False,
           **extra) -> SearchResults:
    """The result page: a suggestion looked for only when few hits were found and time
    is left, the description, the histogram, the capped terms, partial or not."""
    suggestion = (suggest(request.q) if total < FEW_HITS and request.q.strip()
                  and not bounds.stop() else None)
    return kind(request=request, total=total, hits=hits, facets=facets,
                suggestion=suggestion, description=describe_request(request),
                histogram=histogram(facets, request), stories=stories,
                capped=bounds.notes(), partial=bounds.partial or partial, **extra)
