"""Segmentation metrics: how the items an ingester stored cut an issue's true lines.

Definitions (every count is of normalised word tokens, see bench.truth.normalise):
- recovered: a true article (of at least 5 tokens) is recovered when one stored item
  holds >= 80% of its tokens and no more than 20% of that item's tokens come from
  elsewhere (other items or furniture). An item "holds" the tokens of the true lines
  placed in it (bench.alignment).
- ARI: the adjusted Rand index of the line -> item assignment (true label: the line's
  item, or furniture; predicted: the stored item holding it, or "none" for a line in no
  item); 1 is the truth itself, 0 what chance gives. "ari" is taken page by page and
  averaged over pages; a page that is one article and a few furniture lines is the
  formula's degenerate case there (one misplaced line scores about 0), so "ari_issue"
  takes it over all lines of an issue at once (which in turn favours big items: a whole
  page as one item scores well above 0).
- leak: the share of furniture and advertisement tokens that ended up in stored items of
  kind "article".
- advertisement precision / recall: of the tokens in stored items of kind
  "advertisement", the share that are true advertisement tokens; of the true
  advertisement tokens, the share in stored advertisement items.
- kept: the share of true article tokens that are in some stored item.
- whole pages: of the pages that print two true articles or more, those on which one
  stored item holds at least 80% of the articles' tokens and most of two of them or
  more (a page stored as one item); the issue asks that no reader of page text does
  that."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from bench.alignment import Index, Predicted, assign
from bench.truth import KIND_AD, KIND_ARTICLE, Issue

HOLDS = 0.8  # a recovering item holds at least this share of the true article
PURE = 0.8  # and at least this share of the item is that article
WHOLE = 0.8  # a stored item holding this share of a page's article tokens holds the page
MIN_ARTICLE_TOKENS = 5  # a smaller "article" is OCR debris (a stray glyph's area)
NONE = "\x00none"  # the predicted label of a line in no stored item


def _pairs(n: int) -> float:
    return n * (n - 1) / 2


def ari(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Adjusted Rand index of two labelings of the same elements (Hubert and Arabie).

    Two labelings that are both a single cluster, or both all singletons, are the same
    partition and score 1.0 (the formula is 0/0 there)."""
    if len(truth) != len(predicted):
        raise ValueError("labelings of different lengths")
    n = len(truth)
    if n < 2:
        return 1.0
    joint = Counter(zip(truth, predicted, strict=True))
    index = sum(_pairs(c) for c in joint.values())
    rows = sum(_pairs(c) for c in Counter(truth).values())
    columns = sum(_pairs(c) for c in Counter(predicted).values())
    expected = rows * columns / _pairs(n)
    maximum = (rows + columns) / 2
    if maximum == expected:
        return 1.0 if index == maximum else 0.0
    return (index - expected) / (maximum - expected)


@dataclass
class Tally:
    """Raw counts of one issue (or many, added up), from which the metrics follow."""

    pages: int = 0
    page_ari: list[float] = field(default_factory=list)  # one per page
    issue_ari: list[float] = field(default_factory=list)  # one per issue
    true_items: int = 0
    true_articles: int = 0
    recovered: int = 0
    stored: Counter = field(default_factory=Counter)  # stored items by kind
    article_tokens: int = 0
    kept: int = 0
    furniture_ad_tokens: int = 0
    leaked: int = 0
    true_ad_tokens: int = 0
    predicted_ad_tokens: int = 0
    ad_hits: int = 0
    several: int = 0  # pages printing two true articles or more
    whole_pages: int = 0  # of those, pages one stored item holds (WHOLE of their tokens)

    def add(self, other: Tally) -> None:
        """Pool another tally into this one."""
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, list):
                mine.extend(theirs)
            elif isinstance(mine, Counter):
                mine.update(theirs)
            else:
                setattr(self, name, mine + theirs)


def score(issue: Issue, candidates: dict[int, Sequence[Predicted]],
          stored: Sequence[Predicted]) -> Tally:
    """Tally the stored items of one issue against its truth.

    candidates: page number -> the items that may hold that page's lines (an issue-level
    item is a candidate on every page); stored: every item, counted once."""
    tally = Tally(pages=len(issue.pages), stored=Counter(p.kind for p in stored))
    kind_of = {p.key: p.kind for p in stored}
    true_size: Counter = Counter()  # true item -> tokens
    held: dict[tuple[str, str], int] = defaultdict(int)  # (true item, stored key) -> tokens
    size: Counter = Counter()  # stored key -> tokens placed in it
    indexes: dict[int, tuple[Sequence[Predicted], Index]] = {}  # one per candidate set
    truth_labels: list[str] = []
    predicted_labels: list[str] = []
    for page in issue.pages:
        items = candidates.get(page.number, ())
        if id(items) not in indexes:
            indexes[id(items)] = (items, Index(items))
        placed = assign(page.lines, indexes[id(items)][1])
        page_start = len(truth_labels)
        page_sizes: Counter = Counter()  # true article -> its tokens on the page
        page_held: dict[str, Counter] = defaultdict(Counter)  # key -> article -> tokens
        for line, number in zip(page.lines, placed, strict=True):
            if not line.tokens:
                continue
            key = items[number].key if number is not None else None
            truth_labels.append(line.label)
            predicted_labels.append(key if key is not None else NONE)
            for label in line.labels:
                true_kind = issue.kind_of(label)
                _count(tally, true_kind, key, kind_of.get(key))
                true_size[label] += 1
                if key is not None:
                    held[(label, key)] += 1
                    size[key] += 1
                if true_kind == KIND_ARTICLE:
                    page_sizes[label] += 1
                    if key is not None:
                        page_held[key][label] += 1
        _whole_page(tally, page_sizes, page_held)
        if len(truth_labels) - page_start >= 2:  # a pair at least, or nothing to compare
            tally.page_ari.append(ari(truth_labels[page_start:],
                                      predicted_labels[page_start:]))
    tally.issue_ari.append(ari(truth_labels, predicted_labels))
    recovered = {label for (label, key), count in held.items()
                 if count >= HOLDS * true_size[label] and count >= PURE * size[key]}
    present = [i for i in issue.items.values() if true_size[i.id]]
    articles = [i for i in present
                if i.kind == KIND_ARTICLE and true_size[i.id] >= MIN_ARTICLE_TOKENS]
    tally.true_items = len(present)
    tally.true_articles = len(articles)
    tally.recovered = sum(1 for i in articles if i.id in recovered)
    return tally


def _whole_page(tally: Tally, sizes: Counter, held: dict[str, Counter]) -> None:
    """Count a page that prints two true articles or more (sizes: each article's tokens
    on the page; held: each stored item's tokens of each), and whether one stored item
    holds it whole: WHOLE of the page's article tokens, and most of two articles' or
    more (a page whose one long article dwarfs a short one is not whole in that item)."""
    if sum(1 for n in sizes.values() if n >= MIN_ARTICLE_TOKENS) < 2:
        return
    tally.several += 1
    total = sum(sizes.values())
    if any(sum(parts.values()) >= WHOLE * total and sum(
            1 for label, n in parts.items()
            if sizes[label] >= MIN_ARTICLE_TOKENS and n > sizes[label] / 2) >= 2
           for parts in held.values()):
        tally.whole_pages += 1


def _count(tally: Tally, true_kind: str | None, key: str | None,
           stored_kind: str | None) -> None:
    """One token: where it truly belongs and which kind of stored item holds it."""
    if true_kind == KIND_ARTICLE:
        tally.article_tokens += 1
        tally.kept += key is not None
    if true_kind is None or true_kind == KIND_AD:
        tally.furniture_ad_tokens += 1
        tally.leaked += stored_kind == KIND_ARTICLE
    if true_kind == KIND_AD:
        tally.true_ad_tokens += 1
    if stored_kind == KIND_AD:
        tally.predicted_ad_tokens += 1
        tally.ad_hits += true_kind == KIND_AD


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summary(tally: Tally) -> dict:
    """The metrics of a tally, rounded (None where a share has nothing to divide)."""
    stored = sum(tally.stored.values())
    return {
        "pages": tally.pages,
        "true_items": tally.true_items,
        "true_articles": tally.true_articles,
        "true_articles_per_page": _share(tally.true_articles, tally.pages),
        "stored_items": stored,
        "stored_by_kind": dict(sorted(tally.stored.items())),
        "stored_items_per_page": _share(stored, tally.pages),
        "recovered": _share(tally.recovered, tally.true_articles),
        "recovered_articles": tally.recovered,
        "ari": _mean(tally.page_ari),
        "ari_issue": _mean(tally.issue_ari),
        "leak": _share(tally.leaked, tally.furniture_ad_tokens),
        "furniture_ad_tokens": tally.furniture_ad_tokens,
        "ad_precision": _share(tally.ad_hits, tally.predicted_ad_tokens),
        "ad_recall": _share(tally.ad_hits, tally.true_ad_tokens),
        "kept": _share(tally.kept, tally.article_tokens),
        "article_tokens": tally.article_tokens,
        "whole_pages": tally.whole_pages,
        "pages_of_several": tally.several,
    }
