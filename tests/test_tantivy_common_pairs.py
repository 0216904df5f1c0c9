"""Pairs of common words (index.tantivy.common_pairs): the stems a build learns, the pair
terms of a text and of a phrase, and that a phrase narrowed by its pair terms finds what
the bare phrase finds, with the same scores, after a build, after an update, and in an
index built without pairs."""

from __future__ import annotations

import datetime as dt
import random
import shutil

import pytest
import tantivy

from archive.model import Article
from index.engine import SearchRequest
from index.tantivy import common_pairs
from index.tantivy.common_pairs import PAIRS, CommonPairs
from index.tantivy.engine import TantivyEngine
from index.tantivy.schema import register

# Inflected forms of eight common stems, a thousand rare words (each in ~3% of items), and
# a rare word in a phrase every 25th item prints.
COMMON = ("million", "millions", "new", "news", "set", "sets", "setting", "said", "says",
          "report", "reported", "reports", "agreement", "agreements")
COMMON_STEMS = {"million", "new", "news", "set", "said", "say", "report", "agreement"}
RARE = tuple(f"w{n}x" for n in range(1000))
PHRASES = ('"millions new"', '"million news"', '"new million"', '"reported agreement"',
           '"report said setting"', '"agreement sets new"', '"said zebra"', '"zebra report"',
           '"set the new"',  # a stopword between: adjacent as indexed
           '"million new"~2', 'headline:"new report"', 'body:"says million"',
           '"million new" report', '"agreements said" OR "news setting"',
           '"million new" -w3x')


def _article(number: int, rng: random.Random) -> Article:
    def words(count: int) -> str:
        return " ".join(rng.choice(COMMON) if rng.random() < 0.5 else rng.choice(RARE)
                        for _ in range(count))
    rare = " said zebra report" if number % 25 == 0 else ""
    return Article(id=f"cp{number:05d}", publication="Test Gazette",
                   publication_slug="test-gazette", headline=words(6).capitalize(),
                   paragraphs=(words(40) + rare + ".", "The " + words(20) + "."),
                   source=f"cp{number}.txt", date=dt.date(1990, 1, 1)
                   + dt.timedelta(days=number))


def _articles(count: int, start: int = 0, seed: int = 9) -> list[Article]:
    rng = random.Random(seed)
    return [_article(start + n, rng) for n in range(count)]


def _hits(engine: TantivyEngine, q: str) -> list[tuple[str, float]]:
    results = engine.search(SearchRequest(q=q, page_size=1000, facets=False, snippets=False))
    assert results.total <= 1000
    return [(hit.id, hit.score) for hit in results.hits]


def _bare(engine: TantivyEngine, q: str, monkeypatch) -> list[tuple[str, float]]:
    """The hits of the same index when phrases are searched without their pair terms."""
    with monkeypatch.context() as patched:
        patched.setattr(engine, "_common", None)
        return _hits(engine, q)


def _pair_count(engine: TantivyEngine, pair: str) -> int:
    index = tantivy.Index.open(str(engine.path))
    register(index)
    return index.searcher().doc_freq(PAIRS, pair)


@pytest.fixture
def engine(tmp_path):
    built = TantivyEngine(tmp_path / "index")
    built.build(_articles(400))
    yield built
    built.close()


def test_a_build_learns_the_stems_common_in_its_articles(engine):
    learnt = CommonPairs.load(engine.path)
    assert learnt is not None and learnt.stems == COMMON_STEMS


def test_learning_keeps_the_most_frequent_stems_above_the_share(monkeypatch):
    texts = ["alpha beta gamma"] * 5 + ["alpha beta"] * 3 + [f"alpha z{n}" for n in range(92)]
    assert CommonPairs.learn(texts).stems == {"alpha"}  # beta in 8%, below SHARE
    assert CommonPairs.learn(texts[:40]).stems == {"alpha", "beta", "gamma"}
    monkeypatch.setattr(common_pairs, "LIMIT", 2)
    assert CommonPairs.learn(texts[:40]).stems == {"alpha", "beta"}


def test_pair_terms_of_a_text_and_of_a_phrase():
    common = CommonPairs({"million", "new"})
    assert common.of_text("millions new million new zebra new millions") == \
        "million|new new|million"
    assert common.of_text("zebra news new") == ""
    assert common.of_phrase(["million", "new", "zebra", "new", "million"]) == \
        ["million|new", "new|million"]
    assert common.of_phrase(["zebra", "new"]) == []


def test_documents_hold_the_pairs_of_their_headline_and_body(engine):
    assert _pair_count(engine, "million|new") > 20
    assert _pair_count(engine, "new|million") > 20
    assert _pair_count(engine, "said|zebra") == 0  # a rare word makes no pair


@pytest.mark.parametrize("q", PHRASES)
def test_phrases_find_what_they_find_without_pairs(engine, monkeypatch, q):
    narrowed = _hits(engine, q)
    assert narrowed == _bare(engine, q, monkeypatch)
    if "w3x" not in q:
        assert narrowed  # the phrases occur: the comparison means something


def test_updates_add_pairs_and_keep_phrases_exact(engine, monkeypatch):
    before = _pair_count(engine, "million|new")
    added = _articles(60, start=400, seed=10)
    engine.update(added)
    assert _pair_count(engine, "million|new") > before
    ids = {a.id for a in added}
    for q in PHRASES:
        found = _hits(engine, q)
        assert found == _bare(engine, q, monkeypatch)
    assert ids & {hit for hit, _ in _hits(engine, '"million new"')}


def test_an_index_built_without_pairs_is_searched_and_updated_without_them(tmp_path):
    built = TantivyEngine(tmp_path / "index")
    built.build(_articles(200))
    expected = {q: _hits(built, q) for q in PHRASES}
    built.close()
    (built.path / common_pairs.FILE).unlink()
    older = TantivyEngine(built.path)
    assert {q: _hits(older, q) for q in PHRASES} == expected
    pairs = _pair_count(older, "million|new")
    older.update(_articles(30, start=200, seed=12))
    assert older._common is None
    assert _pair_count(older, "million|new") == pairs  # no pair terms for the new items
    assert _hits(older, '"million new"')  # the phrase still finds them, unnarrowed
    older.close()
    shutil.rmtree(built.path)
