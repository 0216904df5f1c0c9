"""Every printing of a story is kept and the printings are grouped: the store clusters them
as it ingests, keeps the clusters up to date as files change, and readers see each
article's cluster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from archive.ingest import ingest
from archive.model import ReadOptions
from archive.store import Store

STORY = ("Kuwait signed an agreement with Japan on Sunday to build a new power station in the "
         "north of the country, the ministry of electricity and water said in a statement. "
         "The plant will produce two thousand megawatts when it opens in three years, and "
         "will burn gas piped from the offshore fields that the oil company is developing "
         "with foreign partners. Officials said the contract was the largest of the year.")
OTHER = ("The national football team beat its neighbours two goals to one in a friendly match "
         "played in front of a full stadium on Saturday night. The coach praised the young "
         "players who came on in the second half and said the side was ready for the cup. "
         "Fans celebrated in the streets of the capital until the early hours of the morning.")


def page(headline: str, body: str, dateline: str) -> str:
    return (f"Arab Times\n\n{headline}\n\n-\n\n{dateline} {body}\n\n"
            "Newspapers in English\n\nNewspapers from Kuwait\n")


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def changes(store: Store, since: int) -> tuple[set[str], set[str], int]:
    return store.changes_since(since)


def test_three_printings_are_three_articles_in_one_cluster(tmp_path):
    root = tmp_path / "pages"
    write(root, "2017-11-06/kuna.txt", page("Power station deal signed", STORY,
                                            "KUWAIT CITY, Nov 5, (KUNA):"))
    write(root, "2017-11-06/afp.txt", page("Japan to build Kuwait plant",
                                           STORY.replace("Sunday", "Sunday,"),
                                           "KUWAIT CITY, Nov 5, (AFP):"))
    write(root, "2017-11-07/reuters.txt", page("Kuwait, Japan agree power plant",
                                               STORY.rsplit(" Officials", 1)[0],
                                               "KUWAIT CITY, Nov 6, (Reuters):"))
    write(root, "2017-11-07/football.txt", page("Team wins friendly", OTHER,
                                                "KUWAIT CITY, Nov 6:"))
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [root], ReadOptions(), jobs=1)
        assert report.articles_added == 4 and store.count() == 4
        by_headline = {a.headline: a for a in store.articles()}
        founder = min((a for a in by_headline.values() if a.date == dt.date(2017, 11, 6)),
                      key=lambda a: a.id)
        for headline in ("Power station deal signed", "Japan to build Kuwait plant",
                         "Kuwait, Japan agree power plant"):
            article = by_headline[headline]
            assert (article.cluster_id, article.cluster_size) == (founder.id, 3)
            assert store.article(article.id).cluster_id == founder.id
        football = by_headline["Team wins friendly"]
        assert (football.cluster_id, football.cluster_size) == (None, 1)
        members = store.clusters().members(founder.id)
        assert [m.article_id for m in members][0] == founder.id and len(members) == 3
        reuters = by_headline["Kuwait, Japan agree power plant"]
        issue = store.issue("arab-times", dt.date(2017, 11, 7))
        assert reuters.id in {a.id for a in issue}  # the reprint stands in its issue
    finally:
        store.close()


def test_a_printing_removed_shrinks_its_cluster_and_the_index_hears_of_it(tmp_path):
    root = tmp_path / "pages"
    write(root, "2017-11-06/kuna.txt", page("Power station deal signed", STORY,
                                            "KUWAIT CITY, Nov 5, (KUNA):"))
    copy = write(root, "2017-11-07/reuters.txt", page("Kuwait, Japan agree power plant",
                                                      STORY, "KUWAIT CITY, Nov 6, (Reuters):"))
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, [root], ReadOptions(), jobs=1)
        (kuna,) = [a for a in store.articles() if a.date == dt.date(2017, 11, 6)]
        assert kuna.cluster_size == 2
        seq = store.last_change()
        copy.unlink()
        ingest(store, [root], ReadOptions(), jobs=1)
        upserts, deletes, _ = changes(store, seq)
        assert kuna.id in upserts and len(deletes) == 1  # re-indexed: its cluster changed
        assert (store.article(kuna.id).cluster_id, store.article(kuna.id).cluster_size) == \
            (None, 1)
    finally:
        store.close()


def test_short_items_are_not_clustered(tmp_path):
    root = tmp_path / "pages"
    for day in (6, 7):
        write(root, f"2017-11-0{day}/brief.txt", page("Weather", "Sunny and hot today.",
                                                      "KUWAIT CITY:"))
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, [root], ReadOptions(), jobs=1)
        assert store.count() == 2
        assert {(a.cluster_id, a.cluster_size) for a in store.articles()} == {(None, 1)}
        infos = store.clusters().infos(a.id for a in store.articles())
        assert {info.note for info in infos.values()} == \
            {"not clustered: too short (fewer than 30 words)"}
    finally:
        store.close()


def test_a_store_from_before_clusters_is_clustered_by_the_next_ingest(tmp_path):
    root = tmp_path / "pages"
    write(root, "2017-11-06/kuna.txt", page("Power station deal signed", STORY,
                                            "KUWAIT CITY, Nov 5, (KUNA):"))
    write(root, "2017-11-07/reuters.txt", page("Kuwait, Japan agree power plant", STORY,
                                               "KUWAIT CITY, Nov 6, (Reuters):"))
    store = Store(tmp_path / "store.sqlite3")
    try:
        ingest(store, [root], ReadOptions(), jobs=1)
        with store.transaction() as db:  # as a store of schema 3 left it
            for table in ("cluster_items", "cluster_edges", "cluster_bands0", "meta"):
                db.execute(f"DELETE FROM {table}" + (" WHERE key='clustered'"
                                                     if table == "meta" else ""))
        assert {a.cluster_size for a in store.articles()} == {1}
        report = ingest(store, [root], ReadOptions(), jobs=1)
        assert report.unchanged == 2
        assert {a.cluster_size for a in store.articles()} == {2}
    finally:
        store.close()
