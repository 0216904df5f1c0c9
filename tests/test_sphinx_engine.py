"""The Sphinx engine on real searchd processes: rows on the shard that owns them and on every
copy of it, ranking that agrees with tantivy and does not depend on the shard count, deep
pages, index generations, a node killed during queries (complete answers while a mirror
lives, partial ones said so when a shard is gone), and the `cluster` commands. The query
language, facets, sorts, snippets and updates are the shared suite's (tests/test_engine.py,
which runs on Sphinx too). Skipped without searchd (Debian package sphinxsearch)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
import struct
import threading
import time

import pytest
from click.testing import CliRunner
from index_helpers import (
    CORPUS,
    GENERATED_MARKER,
    generated_articles,
    generated_clustered,
    snippet_texts,
)

from index.engine import IndexMissing, SearchError, SearchRequest
from index.ordering import sort_keys

pytestmark = [
    pytest.mark.skipif(shutil.which("searchd") is None,
                       reason="searchd is not installed (Debian package sphinxsearch)"),
    pytest.mark.slow,  # real searchd processes: the whole suite, not the quick subset
]
pymysql = pytest.importorskip("pymysql", reason="PyMySQL is not installed")

from index.sphinx import cluster as local  # noqa: E402 - needs PyMySQL
from index.sphinx import idf  # noqa: E402
from index.sphinx.config import shard_index  # noqa: E402
from index.sphinx.documents import date_tokens, shard_of, token  # noqa: E402
from index.sphinx.engine import SphinxEngine  # noqa: E402
from index.sphinx.query import date_cover  # noqa: E402
from index.sphinx.searching import UNAVAILABLE_NOTE  # noqa: E402
from web.cluster_cli import cluster as cluster_command  # noqa: E402

QUERIES = ("police", "minister", "oil prices", "market OR court", '"crown prince"',
           "bank -court", "budget", "hospital OR school", "agency:reuters", "harb*")


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory):
    """Two searchd on free loopback ports, every shard mirrored on the other node."""
    started = local.start(tmp_path_factory.mktemp("cluster"), nodes=2, replicas=2,
                          generations=12)
    yield started
    local.stop(started.folder)


@pytest.fixture(scope="module")
def generated():
    return generated_articles(600)


def build(cluster, path, items):
    engine = SphinxEngine(path, texts=snippet_texts(items),
                          cluster=cluster.spec)
    engine.build(items)
    return engine


def search(engine, q="", **kw):
    return engine.search(SearchRequest(q=q, **{"page_size": 20, "facets": False, **kw}))


def ids(results):
    return [hit.id for hit in results.hits]


@pytest.fixture(scope="module")
def engine(two_nodes, generated, tmp_path_factory):
    built = build(two_nodes, tmp_path_factory.mktemp("engine"), generated)
    yield built
    built.close()


# --- sharding, mirrors, ranking ----------------------------------------------------------

def test_rows_live_on_the_shard_owning_them_on_every_copy(engine, two_nodes, generated):
    client, generation = engine._client, engine._state["generation"]
    seen = set()
    for shard in range(two_nodes.layout.shards):
        copies = [{row[0] for row in client.execute(node.sql, [
            f"SELECT aid FROM {shard_index(generation, shard)} LIMIT 10000 "
            "OPTION max_matches=10000"])[0]} for node in two_nodes.layout.nodes]
        assert copies[0] == copies[1] and copies[0]  # each node holds a full copy
        assert all(shard_of(i, two_nodes.layout.shards) == shard for i in copies[0])
        seen |= copies[0]
    assert seen == {a.id for a in generated} == engine.ids()
    assert engine.count() == len(generated)


def test_every_node_loaded_the_collection_wide_statistics(engine, two_nodes, generated):
    assert engine._state["idf"] is True
    data = idf_path(two_nodes, engine).read_bytes()
    total, = struct.unpack_from("<q", data)
    keys = [struct.unpack_from("<QI", data, 8 + 12 * n)[0] for n in range((len(data) - 8) // 12)]
    assert total == len(generated)
    assert keys == sorted(keys) and idf.fnv64(token("polic")) in keys
    assert idf.fnv64("a") == 0xAF63DC4C8601EC8C  # the FNV-1a 64 test vector Sphinx uses


def idf_path(cluster, engine):
    return cluster.folder / "idf" / f"g{engine._state['generation']}.idf"


@pytest.mark.slow
def test_first_page_does_not_depend_on_the_shard_count(engine, generated, tmp_path):
    one = local.start(tmp_path / "one", nodes=1, replicas=1, generations=2)
    try:
        single = build(one, tmp_path / "single", generated)
        same = 0
        for q in QUERIES:
            a, b = search(engine, q), search(single, q)
            assert a.total == b.total > 0, q
            scores = {h.id: h.score for h in b.hits}
            for hit in a.hits:  # same BM25, to float32 rounding, wherever both list it
                if hit.id in scores:
                    assert hit.score == pytest.approx(scores[hit.id], abs=2e-5), q
            assert len(set(ids(a)) & set(ids(b))) >= min(18, len(b.hits)), q
            same += ids(a) == ids(b)
        assert same >= len(QUERIES) - 2  # order differs only within rounding ties
        single.close()
    finally:
        local.stop(one.folder)


def test_first_page_agrees_with_tantivy(engine, generated, tmp_path):
    from index.engines import make_engine

    tantivy = make_engine("tantivy", tmp_path / "t", snippet_texts(generated))
    tantivy.build(generated)
    try:
        overlap = first = 0
        for q in QUERIES:
            a, b = search(engine, q), search(tantivy, q)
            assert a.total == b.total, q
            overlap += len(set(ids(a)) & set(ids(b))) / max(1, len(b.hits))
            first += ids(a)[:1] == ids(b)[:1]
        assert overlap / len(QUERIES) >= 0.9
        assert first >= len(QUERIES) - 2
    finally:
        tantivy.close()


def test_deep_pages_are_slices_of_one_order(engine, generated):
    everything = sorted(generated, key=lambda a: (sort_keys(a.date, a.id)[1], a.id))
    page = search(engine, GENERATED_MARKER, sort="oldest", page=6, page_size=100)
    assert ids(page) == [a.id for a in everything[500:600]]
    q = f"police OR minister OR {GENERATED_MARKER}"  # every article, ranked
    ranked = [h.id for p in range(1, 7) for h in search(engine, q, page=p,
                                                        page_size=100).hits]
    deep = search(engine, q, page=11, page_size=50)
    assert ids(deep) == ranked[500:550] and len(set(ranked)) == len(ranked) == 600
    scores = [h.score for p in (1, 6) for h in search(engine, q, page=p,
                                                     page_size=100).hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


@pytest.mark.parametrize("q, filters", [
    ("", ()), ("police OR minister", ()), (GENERATED_MARKER, (("kind", ("article",)),)),
    ("market", (("agency", ("KUNA", "AFP")), ("year", ("2012",)))),
    ("oil", (("place", ("London",)),)), ("nothingmatcheszz", ())])
def test_facets_counted_in_one_pass_equal_one_statement_each(engine, q, filters):
    """The facets a request counts under its own conditions come from one GROUP BY over
    every row's facet keys: the same counts as a statement per facet."""
    request = SearchRequest(q=q, filters=filters, facet_limit=0, page_size=5)
    assert engine._state["facet_keys"] is True
    combined = engine.search(request)
    engine._state = {**engine._state, "facet_keys": False}
    try:
        each = engine.search(request)
    finally:
        engine._state = {**engine._state, "facet_keys": True}
    assert combined.facets == each.facets and combined.total == each.total
    assert sum(v.count for f in combined.facets for v in f.values) > 0 or not each.total


@pytest.mark.parametrize("q, sort", [("", "newest"), ("oil", "oldest"),
                                     ("police OR court", "relevance"), ("market", "ocr")])
def test_collapsed_pages_are_each_story_s_first_printing(two_nodes, tmp_path, q, sort):
    """The collapsed list (one GROUP BY story per shard, merged) is the list of every
    printing with each story's later printings left out, page by page; as tantivy's for
    date orders."""
    from index.engines import make_engine

    items = generated_clustered(400, share=0.5)
    engine = build(two_nodes, tmp_path / "s", items)
    tantivy = make_engine("tantivy", tmp_path / "t", snippet_texts(items))
    tantivy.build(items)
    try:
        def printings(page):
            return engine.search(SearchRequest(q=q, sort=sort, page=page, page_size=100,
                                               collapse=False, facets=False))

        first = printings(1)
        every = [h for p in range(1, first.page_count + 1) for h in printings(p).hits]
        assert len(every) == len({h.id for h in every}) > 0
        seen: set[str] = set()
        firsts = [h.id for h in every if not (h.story in seen or seen.add(h.story))]
        pages = [engine.search(SearchRequest(q=q, sort=sort, page=p, page_size=25))
                 for p in (1, 2)]
        assert pages[0].stories == len(firsts) < pages[0].total == len(every)
        assert [h.id for p in pages for h in p.hits] == firsts[:50]
        story_of = {h.id: h.story for h in every}
        matched = {}
        for hit in every:
            matched[hit.story] = matched.get(hit.story, 0) + 1
        assert all(h.cluster_matches == matched[story_of[h.id]] for p in pages for h in p.hits)
        if sort != "relevance":
            theirs = [ids(tantivy.search(SearchRequest(q=q, sort=sort, page=p, page_size=25)))
                      for p in (1, 2)]
            assert [ids(p) for p in pages] == theirs
    finally:
        engine.close()
        tantivy.close()


def test_a_cluster_started_by_an_older_version_counts_facets_a_statement_each(
        tmp_path, monkeypatch):
    from index.sphinx import config

    monkeypatch.setattr(config, "MULTI_64", ("f_agency",))  # configs without f_facets
    cluster = local.start(tmp_path / "old", nodes=2, replicas=2, generations=2)
    try:
        items = [spec.article() for spec in CORPUS]
        engine = build(cluster, tmp_path / "e", items)
        assert engine._state["facet_keys"] is False
        engine.update([items[0]])
        found = engine.search(SearchRequest(facet_limit=0))
        kinds = {v.value: v.count for f in found.facets if f.name == "kind" for v in f.values}
        assert found.total == len(items) and sum(kinds.values()) == len(items)
        engine.close()
    finally:
        local.stop(cluster.folder)


def test_updates_reach_every_copy(two_nodes, tmp_path):
    items = [spec.article() for spec in CORPUS]
    engine = build(two_nodes, tmp_path / "u", items)
    try:
        changed = dataclasses.replace(items[0], paragraphs=("Zeppelins over the harbour.",))
        engine.update([changed], deleted=[items[1].id])
        shard = shard_of(changed.id, two_nodes.layout.shards)
        name = shard_index(engine._state["generation"], shard)
        for node in two_nodes.layout.nodes:
            found = engine._client.execute(node.sql, [
                f"SELECT aid FROM {name} WHERE MATCH('@body zeppelin')"])[0]
            assert found == [(changed.id,)]
        assert ids(search(engine, "zeppelins")) == [changed.id]
        assert items[1].id not in engine.ids() and engine.count() == len(items) - 1
    finally:
        engine.close()


# --- generations ---------------------------------------------------------------------

def test_generations_keep_engines_apart_and_come_back(tmp_path):
    cluster = local.start(tmp_path / "c", nodes=2, replicas=2, generations=2)
    try:
        first = build(cluster, tmp_path / "a", [CORPUS[0].article()])
        second = build(cluster, tmp_path / "b", [CORPUS[1].article(), CORPUS[2].article()])
        assert (first.count(), second.count()) == (1, 2)
        assert first._state["generation"] != second._state["generation"]
        with pytest.raises(SearchError, match="generations is in use"):
            build(cluster, tmp_path / "c3", [CORPUS[3].article()])
        first.drop()  # a swapped-out index gives its generation back
        third = build(cluster, tmp_path / "d", [CORPUS[3].article()])
        shutil.rmtree(tmp_path / "b")  # a deleted index folder gives its generation back
        fourth = build(cluster, tmp_path / "e", [CORPUS[4].article()])
        assert (third.count(), fourth.count()) == (1, 1)
        assert ids(search(fourth, "")) == [CORPUS[4].id]
        for engine in (first, second, third, fourth):
            engine.close()
    finally:
        local.stop(cluster.folder)


def test_a_cluster_named_by_its_nodes_alone(two_nodes, tmp_path):
    """A cluster on other machines is configuration only: the SphinxQL addresses. Its
    layout comes from the nodes themselves; its term statistics stay per shard (their
    files are not ours to write)."""
    spec = ",".join(node.sql for node in two_nodes.layout.nodes)
    items = [spec_.article() for spec_ in CORPUS]
    engine = SphinxEngine(tmp_path / "remote", cluster=spec)
    engine.build(items)
    try:
        assert engine._state["idf"] is False and engine._state["shards"] == 2
        assert engine.count() == len(items)
        found = search(engine, "bombers")
        assert [h.headline for h in found.hits] == ["Russian bombers strike"]
        assert found.hits[0].score > 0
    finally:
        engine.drop()
        engine.close()


def test_a_clear_error_without_a_cluster_or_an_index(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSARCHIVE_SPHINX", raising=False)
    with pytest.raises(SearchError, match="NEWSARCHIVE_SPHINX"):
        SphinxEngine(tmp_path / "x").build([])
    with pytest.raises(IndexMissing):
        SphinxEngine(tmp_path / "y").search(SearchRequest(q="oil"))


# --- a node dies during queries ----------------------------------------------------------

def _query_while(engine, action, seconds: float):
    """Search in a thread before, during and after `action`; every answer (or error)."""
    answers, stop = [], threading.Event()

    def run():
        while not stop.is_set():
            try:
                answers.append(engine.search(SearchRequest(q="police", page_size=10)))
            except Exception as error:  # noqa: BLE001 - every failure is a finding
                answers.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.2)
    action()
    time.sleep(seconds)
    stop.set()
    thread.join(30)
    return answers


@pytest.mark.slow
@pytest.mark.parametrize("victim", [1, 0])
def test_a_dead_node_with_a_live_mirror_keeps_answers_complete(tmp_path, generated, victim):
    cluster = local.start(tmp_path / "c", nodes=2, replicas=2, generations=2)
    try:
        engine = build(cluster, tmp_path / "e", generated[:300])
        whole = engine.search(SearchRequest(q="police", page_size=10))
        answers = _query_while(engine, lambda: local.kill(cluster, victim), 1.0)
        assert len(answers) > 5
        for answer in answers:
            assert not isinstance(answer, Exception), answer
            assert (answer.total, ids(answer), answer.partial) == (whole.total, ids(whole),
                                                                   False)
        engine.close()
    finally:
        local.stop(cluster.folder)


@pytest.mark.slow
def test_a_shard_with_no_live_copy_gives_partial_results_said_so(tmp_path, generated):
    cluster = local.start(tmp_path / "c", nodes=2, replicas=1, generations=2)
    try:
        items = generated[:300]
        engine = build(cluster, tmp_path / "e", items)
        local.kill(cluster, 1)  # the only copy of shard 1
        kept = {a.id for a in items if shard_of(a.id, 2) == 0}
        for q, sort in (("", "newest"), (GENERATED_MARKER, "relevance")):
            found = engine.search(SearchRequest(q=q, sort=sort, page_size=100,
                                                facet_limit=0))
            assert found.partial and found.unavailable == (cluster.layout.nodes[1].api,)
            assert UNAVAILABLE_NOTE in found.notices
            assert found.total == len(kept) and set(ids(found)) <= kept
            assert sum(v.count for f in found.facets if f.name == "kind"
                       for v in f.values) == len(kept)
        engine.close()
    finally:
        local.stop(cluster.folder)


# --- the cluster commands ----------------------------------------------------------------

def test_cluster_commands_start_report_and_stop(tmp_path):
    runner = CliRunner()
    started = runner.invoke(cluster_command, ["start", "--nodes", "2", "--replicas", "2"],
                            obj=tmp_path)
    assert started.exit_code == 0, started.output
    assert f"NEWSARCHIVE_SPHINX={tmp_path / 'sphinx' / 'cluster.json'}" in started.output
    try:
        status = runner.invoke(cluster_command, ["status"], obj=tmp_path)
        assert status.exit_code == 0 and status.output.count("answering") == 2
        again = runner.invoke(cluster_command, ["start"], obj=tmp_path)
        assert again.exit_code != 0 and "already running" in again.output
    finally:
        stopped = runner.invoke(cluster_command, ["stop"], obj=tmp_path)
    assert stopped.exit_code == 0 and "Stopped 2" in stopped.output
    down = runner.invoke(cluster_command, ["status"], obj=tmp_path)
    assert down.exit_code == 1 and down.output.count("DOWN") == 2


def test_cluster_config_writes_each_remote_node(tmp_path):
    result = CliRunner().invoke(cluster_command, [
        "config", "--node", "10.0.0.5:9306:9312", "--node", "10.0.0.6:9306:9312",
        "--node", "10.0.0.7:9306:9312", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "node0.conf").read_text()
    # shard 0 on nodes 0 and 1, shard 2 on nodes 2 and 0: node 0 holds both, mirrored
    assert "index na0s0\n" in text and "index na0s2\n" in text and "index na0s1\n" not in text
    assert "agent = 10.0.0.5:9312|10.0.0.6:9312:na0s0" in text
    assert "listen = 10.0.0.5:9306:mysql41" in text
    assert "10.0.0.5:9306,10.0.0.6:9306,10.0.0.7:9306" in result.output


# --- translation (no server needed, but kept with the engine) ----------------------------

def test_date_cover_is_exactly_the_range():
    rng = random.Random(7)

    for _ in range(60):
        start = dt.date(1850, 1, 1) + dt.timedelta(days=rng.randrange(60_000))
        end = start + dt.timedelta(days=rng.randrange(20_000))
        covered: list[dt.date] = []
        for tok in date_cover(start, end):
            covered += _span(tok)
        assert len(covered) == len(set(covered)) == (end - start).days + 1
        assert min(covered) == start and max(covered) == end
    for day in (dt.date(2017, 11, 5), dt.date(1999, 12, 31)):
        assert date_cover(day, day) == [date_tokens(day)[-1]]
    assert date_cover(dt.date(1900, 1, 1), dt.date(1999, 12, 31)) == ["h19"]


def _span(tok: str):
    kind, digits = tok[0], tok[1:]
    if kind == "d":
        yield dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        return
    if kind == "m":
        first = dt.date(int(digits[:4]), int(digits[4:]), 1)
        last = (first + dt.timedelta(days=32)).replace(day=1)
    else:
        years = {"y": 1, "k": 10, "h": 100}[kind]
        first = dt.date(int(digits) * (1 if kind == "y" else years), 1, 1)
        last = dt.date(first.year + years, 1, 1)
    day = first
    while day < last:
        yield day
        day += dt.timedelta(days=1)


def test_tokens_are_plain_words_or_hashes_per_field():
    assert token("police") == "police" and token("police", "headline") == "h_police"
    arabic = token("امطار")
    assert arabic.startswith("_") and len(arabic) == 17 and arabic == token("امطار")
    assert token("russia's") != token("russias") and token("x" * 41).startswith("_")
    assert token("امطار", "place").startswith("p__")


def test_a_row_s_token_lists_are_its_fields_even_once_the_memos_overflow(generated,
                                                                        monkeypatch):
    """A build counts the statistics from analysed()'s token lists instead of splitting the
    row's strings again: they must hold the same tokens. And the memos that spare analysing
    a word twice give the same rows when they fill up and empty themselves."""
    from index.sphinx import documents

    before = [documents.analysed(a) for a in generated[:60]]
    for values, _, tokens in before:
        assert {name: " ".join(found) for name, found in tokens.items()} == {
            name: values[name] for name in documents.FIELDS}
        assert {name: len(found) for name, found in tokens.items()} == documents.lengths(values)
        assert set().union(*tokens.values()) == documents.tokens_of(values)
    for memo in (documents._CHUNKS, documents._KEPT, documents._STEMS,
                 *documents._TOKENS.values()):
        monkeypatch.setattr(memo, "limit", 3)
        memo.clear()
    assert [documents.analysed(a) for a in generated[:60]] == before
    assert len(documents._CHUNKS) <= 3


def test_scores_survive_a_ram_chunk_written_out_as_a_disk_chunk(generated, tmp_path):
    one = local.start(tmp_path / "one", nodes=1, replicas=1, generations=1)
    try:
        single = build(one, tmp_path / "single", generated[:200])
        before = search(single, "police")
        assert before.total > 0 and before.hits[0].score > 0
        for shard in range(one.layout.shards):
            single._client.write(one.layout.nodes[0].sql,
                                 [f"FLUSH RAMCHUNK {shard_index(0, shard)}"])
        after = search(single, "police")
        single.close()
        assert [(h.id, round(h.score, 4)) for h in after.hits] == [
            (h.id, round(h.score, 4)) for h in before.hits]
    finally:
        local.stop(one.folder)


def test_scores_are_the_same_in_a_mixed_index_of_disk_and_ram_chunks(generated, tmp_path):
    """A build that spilled (its first rows written out as a disk chunk), then an update
    into the RAM chunk, then rows of the disk chunk replaced: the same hits, order and
    scores as one build held in RAM alone, given the same updates
    (index.sphinx.ranking: the UDF reads nothing that differs between chunks)."""
    items = generated[:240]
    one = local.start(tmp_path / "one", nodes=1, replicas=1, generations=2)
    try:
        ram = build(one, tmp_path / "ram", items)
        mixed = build(one, tmp_path / "mixed", items[:120])
        generation = mixed._state["generation"]
        for shard in range(one.layout.shards):
            mixed._client.write(one.layout.nodes[0].sql,
                                [f"FLUSH RAMCHUNK {shard_index(generation, shard)}"])
        mixed.update(items[120:])
        # rows replaced: their old copies are killed in the disk chunk, the new in RAM
        changed = [dataclasses.replace(a, headline=f"{a.headline} police budget")
                   for a in items[:8]]
        for engine_ in (mixed, ram):
            engine_.update(changed)
        status = dict(mixed._client.write(one.layout.nodes[0].sql, [
            f"SHOW INDEX {shard_index(generation, 0)} STATUS"])[0])
        assert int(status["disk_chunks"]) >= 1  # both kinds of chunk hold rows
        for q in (*QUERIES, "oil prices market minister", "headline:police"):
            a, b = search(mixed, q, page_size=30), search(ram, q, page_size=30)
            assert a.total == b.total > 0, q
            # the UDF scores in double precision from the same inputs: equal, not close
            assert [(h.id, h.score) for h in a.hits] == [(h.id, h.score) for h in b.hits], q
        assert max(h.score for h in search(mixed, "police").hits) > 0
        ram.close()
        mixed.close()
    finally:
        local.stop(one.folder)


@pytest.mark.parametrize("q", [*QUERIES, "court -bank oil",
                               "(oil OR police) -(court OR bank) minister", "polise~1",
                               "headline:police body:minister", "oil prices market minister"])
def test_the_ranking_udf_scores_as_bm25f_did_in_a_ram_chunk(engine, q):
    """Where Sphinx's bm25f() was right (every row in a RAM chunk), the UDF gives the same
    scores: it numbers the query's keywords as searchd does (phrases, negations, field
    limits, expansions) and sums the same BM25."""
    engine._udf = None
    assert engine._ranking(engine._client, engine._state).idf is not None
    with_udf = search(engine, q, page_size=40)
    engine._udf = False  # as on a cluster whose nodes lack the function
    try:
        assert engine._ranking(engine._client, engine._state).idf is None
        with_bm25f = search(engine, q, page_size=40)
    finally:
        engine._udf = None
    assert with_udf.total == with_bm25f.total > 0
    theirs = {h.id: h.score for h in with_bm25f.hits}
    common = [h for h in with_udf.hits if h.id in theirs]
    assert len(common) >= len(with_udf.hits) - 2  # the last places may differ in ties
    for hit in common:  # bm25f() sums in float32
        assert hit.score == pytest.approx(theirs[hit.id], abs=5e-5), (q, hit.id)


def test_query_words_are_numbered_as_searchd_numbers_them():
    """The UDF learns each keyword's IDF by its query position: every occurrence counts,
    negated ones too; field limits and the N of ~N do not."""
    from index.sphinx.udf import query_words

    assert query_words("((@headline h_oil) | (@body oil)) -(@(headline,body) court)") == [
        "h_oil", "oil", "court"]
    assert query_words('@body "crown princ"~3 (crown << princ)') == [
        "crown", "princ", "crown", "princ"]
    assert query_words("@dates (y2012 | m201201) @every all") == ["y2012", "m201201", "all"]


def test_a_node_without_the_ranking_function_is_reported_once(engine, caplog):
    """The site on a cluster whose nodes were started by hand and never got the function:
    it still answers (Sphinx's own BM25), and the log tells the operator the command."""
    from index.sphinx import udf

    node = engine._client.nodes[0]
    if not udf.installed(engine._client.execute(node, ["SHOW PLUGINS"])[0]):
        pytest.skip("the cluster has no ranking function (no C compiler)")
    engine._client.execute(node, [f"DROP FUNCTION {udf.FUNCTION}"])
    engine._udf = None
    try:
        with caplog.at_level("WARNING", logger="index.sphinx.engine"):
            for _ in range(3):
                assert engine._ranking(engine._client, engine._state).idf is None
            assert search(engine, "police").total > 0
        warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert len(warnings) == 1 and "cluster install-udf" in warnings[0]
    finally:
        udf.install(engine._client, node)
        engine._udf = None
    assert engine._ranking(engine._client, engine._state).idf is not None
