"""Clusters of printings of one story: the signature survives OCR noise, a new headline, a
cut last paragraph and another dateline, and tells apart stories sharing a topic or a
paragraph; clusters grow, merge, split and keep their ids whatever the order of adding;
short items stay out. Texts are invented here (bench.clustering's synthetic sentences)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from archive import clusters as clustering
from archive import lsh, minhash
from archive.clusters import CLUSTERED, TOO_SHORT, Clusters, Item, create
from archive.minhash import MIN_WORDS, signature
from bench.reprints import ocr, synthetic_sentences

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = synthetic_sentences(random.Random(7), 3000)


def story(number: int, paragraphs: int = 5, per_paragraph: int = 2) -> list[str]:
    """An invented story: its own sentences, none shared with another story number."""
    start = number * paragraphs * per_paragraph
    return [" ".join(SENTENCES[start + p * per_paragraph + s] for s in range(per_paragraph))
            for p in range(paragraphs)]


def noisy(paragraphs: list[str], seed: int, level: str = "ocr") -> list[str]:
    rng = random.Random(seed)
    return [ocr(p, rng, level) for p in paragraphs]


def same(a: list[str], b: list[str]) -> tuple[float, bool]:
    """(estimated Jaccard, judged printings of one story) of two bodies."""
    sig_a, sig_b = signature("", a), signature("", b)
    assert sig_a is not None and sig_b is not None
    sizes_a, slots_a = minhash.unpack_many([sig_a])
    sizes_b, slots_b = minhash.unpack_many([sig_b])
    similar, judged = minhash.compare(sizes_a, slots_a, sizes_b, slots_b)
    return float(similar[0]), bool(judged[0])


@pytest.fixture()
def db() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    create(connection)
    return connection


def state(db: sqlite3.Connection) -> dict[str, tuple]:
    """article -> (status, cluster id, size, similarity): everything a reader can see."""
    ids = [r[0] for r in db.execute("SELECT article_id FROM cluster_items")]
    return {k: (v.status, v.cluster_id, v.size, v.similarity)
            for k, v in Clusters(db).infos(ids).items()}


# --- the signature --------------------------------------------------------------------


def test_short_bodies_have_no_signature() -> None:
    words = " ".join(SENTENCES[:20]).split()
    assert signature("Headline", [" ".join(words[:MIN_WORDS - 1])]) is None
    assert signature("Headline", [" ".join(words[:MIN_WORDS])]) is not None
    assert signature("Headline", []) is None


def test_headline_takes_no_part() -> None:
    body = story(1)
    assert signature("Council approves budget", body) == signature("A new headline", body)
    assert len(signature("", body) or b"") == minhash.SIZE


def test_a_signature_counts_the_bodys_shingles_repeats_included() -> None:
    body = story(1)
    folded = minhash.fold(" ".join(body))
    shingles = len(folded) - minhash.SHINGLE_BYTES + 1
    assert minhash.unpack(signature("", body) or b"")[0] == shingles
    doubled = minhash.unpack(signature("", body + body) or b"")[0]
    assert doubled == len(minhash.fold(" ".join(body + body))) - minhash.SHINGLE_BYTES + 1
    assert doubled > 1.9 * shingles  # a body printed twice over counts twice


def test_case_punctuation_and_word_breaks_are_folded() -> None:
    body = story(2)
    changed = [p.upper().replace(" ", "  ").replace(".", " ,") for p in body]
    merged = [p.replace(" ", "", 3) for p in body]  # words merged by the OCR
    typographic = [f"“{p}” — ’" for p in body]
    assert signature("", body) == signature("", changed) == signature("", merged) \
        == signature("", typographic)


@pytest.mark.parametrize("number", range(3, 9))
def test_copies_still_match(number: int) -> None:
    body = story(number)
    for copy in (noisy(body, number), body[:-1], ["MOSCOW, Nov 4, (AFP): " + body[0], *body[1:]],
                 noisy(["BEIRUT, May 2, (KUNA, Reuters): " + body[0], *body[1:-1]], number)):
        similar, judged = same(body, copy)
        assert judged, (similar, copy)


def test_ocr_confusions_are_folded() -> None:
    body = story(10)
    confused = [p.replace("m", "rn").replace("l", "1").replace("e", "c").replace("o", "0")
                for p in body]
    assert same(body, confused)[0] >= 0.95


@pytest.mark.parametrize("number", range(11, 17))
def test_other_stories_do_not_match(number: int) -> None:
    body = story(number)
    other = story(number + 100)
    similar, judged = same(body, other)
    assert not judged and similar < 0.1
    # one paragraph of background in common, in the middle of its own story
    background = [*other[:2], body[1], *other[2:]]
    similar, judged = same(body, background)
    assert not judged and similar < SAME


SAME = minhash.SAME_JACCARD


def test_same_topic_vocabulary_is_not_a_copy() -> None:
    # two stories made of the same few topic words in other sentences
    rng = random.Random(3)
    topic = "harbour container berths minister council tender dredging shipping".split()
    stories = []
    for start in (0, 1):
        sentences = [s.split() for s in SENTENCES[2000 + start * 40: 2040 + start * 40]]
        for words in sentences:
            for _ in range(3):
                words.insert(rng.randrange(len(words)), rng.choice(topic))
        stories.append([" ".join(" ".join(w) for w in sentences[i:i + 4])
                        for i in range(0, 40, 8)])
    assert not same(stories[0], stories[1])[1]


def test_signature_does_not_depend_on_the_process() -> None:
    """Signatures are stored: another run (another hash seed) must give the same bytes."""
    code = ("import sys; from archive.minhash import signature; "
            "sys.stdout.write(signature('', sys.argv[1:]).hex())")
    body = story(20)
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    out = subprocess.run([sys.executable, "-c", code, *body], capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True).stdout
    assert bytes.fromhex(out) == signature("", body)


def test_other_scripts_are_signed_and_matched() -> None:
    rng = random.Random(5)
    syllables = ["ка", "ли", "ро", "ма", "ни", "те", "зо", "ву", "ша", "до", "ге", "пы"]
    words = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
             for _ in range(200)]
    body = [" ".join(rng.choice(words).capitalize() if i % 9 == 0 else rng.choice(words)
                     for i in range(60)) for _ in range(4)]
    other = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(4)]
    assert signature("", body) is not None
    assert same(body, body[:-1])[1]
    assert not same(body, other)[1]


# --- clusters ---------------------------------------------------------------------------


def printings() -> list[Item]:
    """Stories printed 1-4 times with changes, dated apart, and a few briefs."""
    rng = random.Random(11)
    items = []
    for number in range(40):
        body = story(200 + number, paragraphs=rng.randint(3, 6))
        for copy in range(rng.choice((1, 1, 2, 3, 4))):
            printed = body if not copy else noisy(
                body[:-1] if rng.random() < 0.3 else body, number * 10 + copy)
            day = 1 + (number * 7 + copy * 3) % 28
            items.append(Item(f"s{number:02d}c{copy}", signature("", printed),
                              f"1999-03-{day:02d}"))
    items += [Item(f"brief{n}", signature("", [SENTENCES[n]]), "1999-04-01")
              for n in range(5)]
    return items


def add_all(db: sqlite3.Connection, items: list[Item], batch: int) -> None:
    found = Clusters(db)
    for start in range(0, len(items), batch):
        found.add(items[start:start + batch])


def test_copies_cluster_with_the_earliest_printing_as_founder(db: sqlite3.Connection) -> None:
    body = story(30)
    found = Clusters(db)
    changed = found.add([Item("late", signature("", noisy(body, 1)), "2001-05-03"),
                         Item("other", signature("", story(31)), "2001-05-01")])
    assert changed == {"late", "other"}
    assert found.cluster("late") == clustering.ClusterInfo("late", CLUSTERED, "late", 1, 1.0)
    changed = found.add([Item("early", signature("", body), "2001-05-02")])
    assert changed == {"early", "late"}  # the founder is new: late's cluster id changed
    early, late = found.cluster("early"), found.cluster("late")
    assert early and late and early.cluster_id == late.cluster_id == "early"
    assert early.size == late.size == 2 and early.similarity == 1.0
    assert late.similarity is not None and SAME <= late.similarity < 1.0
    assert [m.article_id for m in found.members("early")] == ["early", "late"]
    assert found.cluster("other").cluster_id == "other"  # type: ignore[union-attr]
    assert found.cluster("nobody") is None
    # a later printing joins without touching the founder's members
    assert found.add([Item("later", signature("", body[:-1]), "2001-06-01")]) == {"later"}
    assert found.cluster("late").size == 3  # type: ignore[union-attr]


def test_too_short_is_visible_and_never_clusters(db: sqlite3.Connection) -> None:
    body = story(40)
    found = Clusters(db)
    # a brief made of a story's first words, printed twice: not clustered, joins nothing
    brief = signature("", [" ".join(body[0].split()[:MIN_WORDS - 5])])
    found.add([Item("story", signature("", body), "2002-01-01"),
               Item("brief1", brief, "2002-01-01"), Item("brief2", brief, "2002-01-02")])
    info = found.cluster("brief1")
    assert info is not None and info.status == TOO_SHORT and info.cluster_id is None
    assert "too short" in info.note and str(MIN_WORDS) in info.note
    assert found.cluster("story").size == 1  # type: ignore[union-attr]
    assert found.members("brief1") == []


def test_same_clusters_and_ids_in_any_order() -> None:
    items = printings()
    results = []
    for seed, batch in ((0, 500), (1, 7), (2, 1)):
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        db = sqlite3.connect(":memory:", isolation_level=None)
        create(db)
        add_all(db, shuffled, batch)
        results.append(state(db))
    assert results[0] == results[1] == results[2]
    clustered = [v for v in results[0].values() if v[0] == CLUSTERED and v[2] > 1]
    founders = {v[1] for v in clustered}
    assert len(founders) >= 10  # the test means something: many clusters formed
    # every story's printings together, and only them
    by_cluster: dict[str, set[str]] = {}
    for article, value in results[0].items():
        if value[0] == CLUSTERED:
            by_cluster.setdefault(value[1], set()).add(article[:3])
    assert all(len(stories) == 1 for stories in by_cluster.values())
    assert sum(v[0] == TOO_SHORT for v in results[0].values()) == 5


def bridge(db: sqlite3.Connection) -> Clusters:
    """A and C share two of six paragraphs (not copies); B holds all six, so it joins both."""
    paragraphs = story(50, paragraphs=6)
    found = Clusters(db)
    found.add([Item("a", signature("", paragraphs[:4]), "2003-01-02"),
               Item("a2", signature("", noisy(paragraphs[:4], 2)), "2003-01-05"),
               Item("c", signature("", paragraphs[2:]), "2003-01-03"),
               Item("c2", signature("", noisy(paragraphs[2:], 3)), "2003-01-04")])
    assert found.cluster("a").cluster_id != found.cluster("c").cluster_id  # type: ignore
    return found


def test_merge_keeps_the_founders_id(db: sqlite3.Connection) -> None:
    found = bridge(db)
    changed = found.add([Item("b", signature("", story(50, paragraphs=6)), "2003-01-09")])
    assert changed == {"b", "c", "c2"}  # a's cluster absorbs c's; a and a2 keep all
    assert {found.cluster(i).cluster_id for i in "a a2 b c c2".split()} == {"a"}  # type: ignore
    assert found.cluster("c").size == 5  # type: ignore[union-attr]


def test_removal_splits_and_the_founders_part_keeps_the_id(db: sqlite3.Connection) -> None:
    found = bridge(db)
    found.add([Item("b", signature("", story(50, paragraphs=6)), "2003-01-09")])
    changed = found.remove(["b"])
    assert changed == {"c", "c2"}
    assert found.cluster("a2").cluster_id == "a"  # type: ignore[union-attr]
    assert found.cluster("c2").cluster_id == "c"  # type: ignore[union-attr]
    assert found.cluster("b") is None
    # the founder goes: the earliest of the rest founds, every similarity is to it
    changed = found.remove(["a"])
    assert changed == {"a2"}
    assert found.cluster("a2") == clustering.ClusterInfo("a2", CLUSTERED, "a2", 1, 1.0)
    assert db.execute("SELECT count(*) FROM cluster_edges").fetchone()[0] == 1  # c - c2


def test_a_changed_article_moves_and_updates_both_clusters(db: sqlite3.Connection) -> None:
    one, two = story(60), story(61)
    found = Clusters(db)
    found.add([Item("one", signature("", one), "2004-02-01"),
               Item("moving", signature("", noisy(one, 4)), "2004-02-02"),
               Item("two", signature("", two), "2004-02-01")])
    assert found.cluster("one").size == 2  # type: ignore[union-attr]
    changed = found.add([Item("moving", signature("", noisy(two, 5)), "2004-02-02")])
    assert changed == {"moving", "one", "two"}
    assert found.cluster("one").size == 1  # type: ignore[union-attr]
    assert found.cluster("moving").cluster_id == "two"  # type: ignore[union-attr]
    # the same item again changes nothing and stores nothing twice
    assert found.add([Item("moving", signature("", noisy(two, 5)), "2004-02-02")]) == set()
    assert db.execute("SELECT count(*) FROM cluster_items").fetchone()[0] == 3
    # an article that became too short leaves its cluster
    assert found.add([Item("moving", None, "2004-02-02")]) == {"moving", "two"}
    assert found.cluster("moving").status == TOO_SHORT  # type: ignore[union-attr]


def test_remove_then_add_gives_the_ids_back(db: sqlite3.Connection) -> None:
    items = printings()
    add_all(db, items, 50)
    before = state(db)
    found = Clusters(db)
    gone = [i for i in items if i.article_id.endswith("c0")]
    found.remove(i.article_id for i in gone)
    assert all(k not in state(db) for k in (i.article_id for i in gone))
    found.add(gone)
    assert state(db) == before


def test_a_band_key_has_few_holders(db: sqlite3.Connection) -> None:
    """A notice printed every day: later printings find the first ones, not all of them."""
    body = story(70)
    items = [Item(f"day{n:03d}", signature("", body), f"2005-{1 + n // 28:02d}-"
                  f"{1 + n % 28:02d}") for n in range(lsh.KEY_HOLDERS + 20)]
    add_all(db, items, 5)
    rows = db.execute("SELECT max(c) FROM (SELECT count(*) c FROM cluster_bands0 "
                      "GROUP BY key)").fetchone()[0]
    assert rows == lsh.KEY_HOLDERS
    assert {v[1] for v in state(db).values()} == {"day000"}
    edges = db.execute("SELECT count(*) FROM cluster_edges").fetchone()[0]
    assert edges <= len(items) * clustering.MAX_EDGES


def test_removing_the_key_holders_keeps_a_daily_notice_together(
        db: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first printings hold the band keys and the edges of the later ones: when they
    go, the rest must still be one cluster, and a new printing must still find it."""
    monkeypatch.setattr(lsh, "KEY_HOLDERS", 4)
    body = story(71)
    items = [Item(f"day{n:02d}", signature("", body), f"2005-01-{1 + n:02d}")
             for n in range(24)]
    add_all(db, items, 3)
    changed = Clusters(db).remove([f"day{n:02d}" for n in range(8)])
    assert changed == {f"day{n:02d}" for n in range(8, 24)}  # a new founder: day08
    assert {v[1:3] for v in state(db).values()} == {("day08", 16)}
    Clusters(db).add([Item("new", signature("", body), "2005-03-01")])
    assert Clusters(db).cluster("new").cluster_id == "day08"  # type: ignore[union-attr]


def test_levels_merge_and_are_still_searched(db: sqlite3.Connection,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    items = printings()
    add_all(db, items, 10)
    expected = state(db)
    monkeypatch.setattr(lsh, "LEVEL_ROWS", (40, 300))
    small = sqlite3.connect(":memory:", isolation_level=None)
    create(small)
    add_all(small, items, 10)
    counts = dict(small.execute("SELECT level, rows FROM cluster_levels"))
    assert counts[1] > 0 and counts[2] > 0
    assert sum(counts.values()) == small.execute(
        "SELECT (SELECT count(*) FROM cluster_bands0) + (SELECT count(*) FROM "
        "cluster_bands1) + (SELECT count(*) FROM cluster_bands2)").fetchone()[0]
    assert state(small) == expected
    # removal finds band rows on every level
    Clusters(small).remove(list(expected))
    assert small.execute("SELECT count(*) FROM cluster_bands1").fetchone()[0] == 0
    assert small.execute("SELECT count(*) FROM cluster_bands2").fetchone()[0] == 0


def test_schema_is_the_stores_kind() -> None:
    """The store runs SCHEMA statement by statement (split on ";\\n"), every time it opens."""
    db = sqlite3.connect(":memory:")
    for _ in range(2):
        for statement in clustering.SCHEMA.split(";\n"):
            if statement.strip():
                db.execute(statement)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"cluster_items", "cluster_edges", "cluster_levels", "cluster_bands0"} <= tables


@pytest.mark.slow
def test_benchmark_precision_and_recall(tmp_path: Path) -> None:
    """The benchmark on a small generated corpus, with the ingest comparison on 150 pages
    (two workers: signatures cross the pipe from them)."""
    from bench.clustering import markdown, run

    data = run(3000, seed=5, ingest_pages=150, jobs=2, repeat=2, say=lambda _: None,
               index_engine="tantivy")
    quality = data["quality"]
    assert quality["precision"] >= 0.95 and quality["recall"] >= 0.95
    assert quality["pairs_true"] > 1000 and quality["not_clustered"] > 0
    ingest = data["ingest"]
    assert ingest["with"]["articles"] == ingest["without"]["articles"] > 100
    assert ingest["with"]["rejected"] == ingest["without"]["rejected"]
    assert len(ingest["pairs_slower_percent"]) == 2  # each alternated pair, and its median
    assert ingest["pairs_median_percent"] == round(sum(ingest["pairs_slower_percent"]) / 2, 1)
    assert "pairwise precision" in markdown(data) and "each pair" in markdown(data)
    index = data["index"]  # both builds ran on the same pages, timed
    assert index["engine"] == "tantivy" and index["with_s"] > 0 and index["without_s"] > 0
    assert "tantivy full build slower with clustering" in markdown(data)
    assert "ingest + tantivy full build slower with clustering" in markdown(data)


def test_tuples_and_dates_are_taken(db: sqlite3.Connection) -> None:
    import datetime as dt

    body = story(80)
    found = Clusters(db)
    found.add([("t1", signature("", body), dt.date(2006, 7, 8)), ("t2", signature("", body))])
    assert [(m.article_id, m.date) for m in found.members("t1")] == [("t1", "2006-07-08"),
                                                                     ("t2", None)]


def test_signatures_of_a_batch_are_each_bodys_own() -> None:
    """minhash_many.signatures (a worker's chunk at once) gives minhash.signature's bytes,
    whatever the batch holds: short and tiny bodies, other scripts, a text of one repeated
    shingle (densification), leads shorter and longer than LEAD_BYTES."""
    from archive.minhash_many import signatures

    rng = random.Random(11)
    words = ["ab", "c", "x1", "rn", "vv", "cl", "é", "’", "سلام", "мир", "日本"]
    bodies = [story(n, paragraphs=rng.randint(1, 6)) for n in range(40)]
    bodies += [noisy(story(n), n, "heavy-ocr") for n in range(10)]
    bodies += [[" ".join(rng.choice(words) for _ in range(rng.randint(20, 150)))]
               + [""] * rng.randint(0, 1) for _ in range(60)]
    bodies += [["a " * 40], ["aaaaaaaa " * 29 + "b"], [], [""], ["word " * (MIN_WORDS - 1)]]
    expected = [signature("", body) for body in bodies]
    assert any(s is None for s in expected) and sum(s is not None for s in expected) > 80
    for size in (1, 3, 32, len(bodies)):
        found = [s for start in range(0, len(bodies), size)
                 for s in signatures(bodies[start:start + size])]
        assert found == expected, size


def test_band_numbers_stay_those_of_earlier_stores() -> None:
    """Body bands are numbered from 0 and lead bands from 6 whatever their count, so band
    rows a store wrote with 6 + 6 bands still match the bands used now."""
    _, slots = minhash.unpack_many([signature("", story(3))])  # type: ignore[list-item]
    numbers = (minhash.band_keys(slots)[0] >> (16 * minhash.BAND_ROWS)).tolist()
    assert numbers == [*range(minhash.BODY_BANDS), *range(6, 6 + minhash.LEAD_BANDS)]


def _seed_page(folder: Path, number: int, story_number: int, seed: int) -> None:
    """A seed-layout page holding a noisy printing of an invented story."""
    body = noisy(story(story_number), seed) if seed else story(story_number)
    text = "\n\n".join(["Arab Times", f"Printing {number}", "-", *body, "Newspapers in English"])
    (folder / f"{number:04d}.txt").write_text(text + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_batch_clusters_its_runs_together_as_one_after_another(tmp_path: Path) -> None:
    """The writer clusters the new files of a batch at its commit, all runs at once
    (Store.save_new(defer=True)): the same clusters as files stored one at a time."""
    from archive import batches
    from archive.ingest import ingest
    from archive.store import Store

    pages = tmp_path / "1999-03-04"
    pages.mkdir()
    files = batches.RUN_FILES + 26  # copies of one story lie in both runs of the batch
    for number in range(files):
        _seed_page(pages, number, 200 + number % 5, number // 5)
    together = Store(tmp_path / "together.sqlite3")
    ingest(together, [pages], jobs=1)
    alone = Store(tmp_path / "alone.sqlite3")
    for path in sorted(pages.iterdir()):
        ingest(alone, [path], jobs=1)
    ids = [a.id for a in together.articles()]
    assert len(ids) == files and ids == [a.id for a in alone.articles()]
    found = together.clusters().infos(ids)
    assert found == alone.clusters().infos(ids)
    sizes = Counter(i.cluster_id for i in found.values()).values()
    assert sorted(sizes) == sorted(Counter(n % 5 for n in range(files)).values())
    assert together.db.execute("SELECT count(*) FROM changes").fetchone()[0] == files


def test_a_batch_of_plain_tuples_is_stored_as_items_added_one_at_a_time() -> None:
    """add() takes the store's (id, signature, date) tuples as they are and makes rows only
    for items that meet another: the rows written are those of Items added one by one."""
    body = story(90)
    entries = [("x1", signature("", body), "2004-01-02"),
               ("lone", signature("", story(91)), "2004-01-01"),
               ("x2", signature("", noisy(body, 5)), "2004-01-01"),
               ("short", None, None)]
    together = sqlite3.connect(":memory:", isolation_level=None)
    create(together)
    Clusters(together).add(entries, new=True)
    apart = sqlite3.connect(":memory:", isolation_level=None)
    create(apart)
    for entry in entries:
        Clusters(apart).add([Item(*entry)])
    query = "SELECT num, article_id, date, signature, cluster, similarity FROM cluster_items"
    rows = together.execute(query + " ORDER BY num").fetchall()
    assert rows == apart.execute(query + " ORDER BY num").fetchall()
    stored = {r[1]: r[4:] for r in rows}
    assert stored["x1"][0] == stored["x2"][0] == "x2"  # the earlier printing founds it
    assert stored["x2"][1] == 1.0 and SAME <= stored["x1"][1] < 1.0
    assert stored["lone"] == stored["short"] == (None, None)
