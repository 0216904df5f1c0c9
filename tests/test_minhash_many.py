"""The batched signer (archive.minhash_many) gives minhash.signature's bytes for the cases its
array folding handles apart: letter pairs at the edges of texts, runs of a paired letter,
texts that fold to almost nothing, and word counts given by the caller. Also the ingest's
writer helpers that came with it: adding articles known to be new, the checkpoint window."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from archive.clusters import Clusters, Item, create
from archive.minhash import MIN_WORDS, signature, words
from archive.minhash_many import signatures
from archive.store import Store
from bench.reprints import synthetic_sentences

SENTENCES = synthetic_sentences(random.Random(3), 400)


def body(number: int) -> list[str]:
    return [" ".join(SENTENCES[number * 6 + p * 2: number * 6 + p * 2 + 2]) for p in range(3)]


def test_letter_pairs_never_span_two_bodies_and_runs_pair_left_to_right() -> None:
    filler = " ".join(["word"] * MIN_WORDS)
    bodies = [
        [filler + " ender"],  # ends in "r": the next body starts with "n"
        ["n" + filler + " v"],  # ends in "v", the next starts with "v"
        ["vv " + filler + " vvv vvvv vvvvv rnrn rrnn ccll elel clcl"],
        ["c"], ["l" + filler], ["vvvvvvvvv " * 30], ["rn" * 200], ["r n c l v v " * 20],
    ]
    expected = [signature("", b) for b in bodies]
    assert sum(s is not None for s in expected) == 6
    for size in (1, 2, len(bodies)):
        found = [s for start in range(0, len(bodies), size)
                 for s in signatures(bodies[start:start + size])]
        assert found == expected, size


def test_bodies_folding_shorter_than_a_shingle_between_long_ones() -> None:
    bodies = [body(1), ["- " * MIN_WORDS], body(2), ["ab " * MIN_WORDS], ["a " * 3 + "b " * 40],
              body(3)]
    expected = [signature("", b) for b in bodies]
    assert expected[1] is None and expected[0] is not None and expected[3] is not None
    assert signatures(bodies) == expected


def test_word_counts_given_are_the_ones_counted() -> None:
    bodies = [body(n) for n in range(12)] + [["one two three"], ["w " * (MIN_WORDS - 1)]]
    counts = [words(b) for b in bodies]
    assert signatures(bodies, counts) == signatures(bodies) == [signature("", b)
                                                                 for b in bodies]
    # the caller's count decides: a body said to be short is not signed
    assert signatures([body(1)], [MIN_WORDS - 1]) == [None]


def test_adding_new_articles_without_looking_gives_the_same_clusters() -> None:
    items = [Item(f"a{n}", signature("", body(n % 7)), f"2001-01-{1 + n:02d}")
             for n in range(20)]
    found = []
    for new in (False, True):
        db = sqlite3.connect(":memory:", isolation_level=None)
        create(db)
        clusters = Clusters(db)
        changed = clusters.add(items[:10], new=new) | clusters.add(items[10:], new=new)
        found.append((changed, clusters.infos([i.article_id for i in items])))
    assert found[0] == found[1]
    assert {info.size for info in found[0][1].values()} == {2, 3}


def test_checkpoint_window_is_restored(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.sqlite3")
    before = store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    with store.checkpoint_every(before * 20):
        assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == before * 20
    assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == before
    store.close()


def test_a_new_store_has_no_clustering_backlog_to_look_for(tmp_path: Path) -> None:
    """cluster_backlog scans every article once for a store from before clusters; a store
    made with the clustering tables is marked as done from the start."""
    store = Store(tmp_path / "new.sqlite3")
    assert store.db.execute("SELECT value FROM meta WHERE key='clustered'").fetchone()[0] == "1"
    store.close()
    old = Store(tmp_path / "old.sqlite3")  # as a store of schema 3 (before clusters) was
    old.db.execute("DELETE FROM meta WHERE key='clustered'")
    old.db.execute("UPDATE meta SET value='3' WHERE key='schema_version'")
    old.close()
    again = Store(tmp_path / "old.sqlite3")
    assert again.db.execute("SELECT 1 FROM meta WHERE key='clustered'").fetchone() is None
    again.close()
