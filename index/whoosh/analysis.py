"""index.analysis as Whoosh analyzers, for the Whoosh index's schema and highlighter: the
same tokens, folding, stopwords and stems (tests/test_engine.py checks they agree)."""

from __future__ import annotations

from whoosh.analysis import Filter, RegexTokenizer, StemFilter, StopFilter

from index.analysis import STOPWORDS, TOKEN_PATTERN, fold, stem


class FoldFilter(Filter):
    """Applies fold() to every token."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter)

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            if token.text:
                yield token


# Pickled into every Whoosh index's schema under the name it always had: index.analysis
# finds it again (its __getattr__), wherever this module moves.
FoldFilter.__module__ = "index.analysis"


def analyzer():
    """The text analyzer of every full-text field."""
    return (RegexTokenizer(TOKEN_PATTERN) | FoldFilter()
            | StopFilter(STOPWORDS, minsize=1, renumber=True)
            | StemFilter(stemfn=stem, cachesize=200_000))


def plain_analyzer():
    """Folding without stemming or stopwords: names (place, agency) and spelling."""
    return RegexTokenizer(TOKEN_PATTERN) | FoldFilter()


ANALYZER = analyzer()
PLAIN = plain_analyzer()
