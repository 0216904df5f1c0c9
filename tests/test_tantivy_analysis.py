"""The tantivy engine indexes what the Whoosh analysis finds: words analysed in Python
(index.tantivy.schema) and stemmed by tantivy's Snowball stemmer must give exactly the
terms index.analysis gives, or the two engines would match different words."""

from __future__ import annotations

import pytest
from index_helpers import CORPUS, generated_articles

from index.analysis import analyse
from index.tantivy.schema import STEMS, WORDS, analysed, plain_terms
from index.tantivy.schema import analyzers as tantivy_analyzers

TEXTS = [
    "Russia’s bombers struck; the bomber's crews (and the BOMBERS) returned.",
    "The president of the council said the budget would be cut by ten percent.",
    "Café culture, cafe\u0301 CAFÉ: crème brûlée for Zoë and the naïve ‘œuvre’.",
    "هَطَلَتْ أمطارٌ غزيرةٌ على المـدرسة; إحمد آحمد مستشفى الصحة",
    "e-mail al-Sabah 10:30 http://x.org don't won't it's `quoted` x_y 1990s 2,000",
    "generously relational conditional happily dying lying skies news gently ugly early "
    "only singly idly proceeded exceeding succeeded innings outing canning herring "
    "sensibility apology hopefully organization organizational fairly corpus atlas",
    "the of and a to in is", "",
]


@pytest.fixture(scope="module")
def analyzers():
    found = tantivy_analyzers()
    return found[WORDS], found[STEMS]


def corpus_texts() -> list[str]:
    texts = list(TEXTS)
    for spec in CORPUS:
        texts += [spec.headline, *spec.paragraphs]
    for article in generated_articles(50):
        texts += [article.headline, *article.paragraphs]
    return texts


@pytest.mark.parametrize("text", corpus_texts())
def test_words_and_stems_are_those_of_index_analysis(analyzers, text):
    words, stems = analyzers
    indexed = analysed(text)
    assert words.analyze(indexed) == [w for w in analyse(text, stemmed=False)
                                      if analyse(w)]  # stopwords dropped, positions kept
    assert stems.analyze(indexed) == analyse(text)


def test_plain_fields_keep_stopwords_unstemmed(analyzers):
    words, _ = analyzers
    for text in ("Ahmed Al-Jarallah", "KUWAIT CITY", "Reuters AFP The AP"):
        assert words.analyze(plain_terms(text)) == analyse(text, stemmed=False)
