"""The Sphinx engine through the rebuild and the site: a snapshot records where its index
lives (a generation of the cluster), a full rebuild swaps generations and drops the old
ones from every node, a rebuild killed at any step leaves the previous index serving and
gives its slot back, and a node killed under the site: complete answers while a mirror
lives, a page and a JSON answer that say they are partial when a shard is gone.
Skipped without searchd (Debian package sphinxsearch)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from commands import newsarchive
from index_helpers import CORPUS, GENERATED_MARKER, generate_pages, write_corpus

from archive.faults import ENV as FAULT_ENV
from archive.faults import POINTS
from archive.ingest import ingest
from archive.store import Store
from index.build import META, SNAPSHOTS, current_snapshot, read_snapshot, rebuild
from index.engine import IndexMissing, SearchRequest
from index.library import INDEX_NAME, STORE_NAME, Library

pytestmark = [
    pytest.mark.skipif(shutil.which("searchd") is None,
                       reason="searchd is not installed (Debian package sphinxsearch)"),
    pytest.mark.slow,  # real searchd processes
]
pytest.importorskip("pymysql", reason="PyMySQL is not installed")

from index.sphinx import cluster as local  # noqa: E402 - needs PyMySQL
from index.sphinx.client import Client  # noqa: E402
from index.sphinx.config import meta_index, shard_index  # noqa: E402
from index.sphinx.generations import ENV  # noqa: E402
from index.sphinx.searching import UNAVAILABLE_NOTE  # noqa: E402

GENERATIONS = 4  # few slots: a leak of one per rebuild shows within the tests below
INDEX_POINTS = [p for p in POINTS if p.startswith("index:")]
PROBES = ("", GENERATED_MARKER, "police", "agency:kuna", "harb*")


@pytest.fixture
def four_slots(tmp_path):
    """Two nodes, every shard mirrored, only GENERATIONS generation slots (a test's own:
    the slots its data folder holds are counted)."""
    started = local.start(tmp_path / "cluster", nodes=2, replicas=2,
                          generations=GENERATIONS)
    yield started
    local.stop(started.folder)


@pytest.fixture
def on(monkeypatch):
    """Point NEWSARCHIVE_SPHINX (this process and the commands it runs) at a cluster."""
    def point(cluster: local.Cluster) -> None:
        monkeypatch.setenv(ENV, cluster.spec)
        monkeypatch.delenv(FAULT_ENV, raising=False)
    return point


def build(data: Path, pages: Path, full: bool = False):
    store = Store(data / STORE_NAME)
    try:
        ingest(store, [pages])
        return rebuild(store, data / INDEX_NAME, full=full, engine="sphinx")
    finally:
        store.close()


def answers(data: Path) -> dict[str, tuple[int, list[str]]]:
    library = Library(data)
    try:
        found = {}
        for q in PROBES:
            results = library.search(SearchRequest(q=q, page_size=50, sort="oldest"))
            found[q] = (results.total, [h.id for h in results.hits])
        return found
    finally:
        library.close()


def rows(cluster: local.Cluster, generation: int) -> list[int]:
    """Rows of each copy of each shard of a generation, node by node."""
    client = Client([n.sql for n in cluster.layout.nodes])
    try:
        return [int(client.execute(node.sql, [f"SELECT COUNT(*) FROM "
                                              f"{shard_index(generation, shard)}"])[0][0][0])
                for number, node in enumerate(cluster.layout.nodes)
                for shard in cluster.layout.held(number)]
    finally:
        client.close()


def claimed(cluster: local.Cluster) -> set[int]:
    """The generations some node records an owner of."""
    client = Client([n.sql for n in cluster.layout.nodes])
    try:
        return {g for g in range(cluster.layout.generations) for node in cluster.layout.nodes
                if client.execute(node.sql, [f"SELECT id FROM {meta_index(g)} WHERE id = 1"])[0]}
    finally:
        client.close()


# --- where a snapshot lives, the swap and the drop --------------------------------------

def test_a_snapshot_records_its_generation_and_a_rebuild_drops_the_old_ones(
        four_slots, on, tmp_path):
    on(four_slots)
    pages, data = tmp_path / "pages", tmp_path / "data"
    write_corpus(pages)
    first = build(data, pages)
    snapshot = read_snapshot(first.snapshot)
    where = snapshot.where
    assert snapshot.engine == "sphinx" and where.remote == f"na{where.generation}"
    assert where.nodes == tuple(n.sql for n in four_slots.layout.nodes)
    assert where.path == f"{SNAPSHOTS}/{first.snapshot.name}"
    assert where.cluster == four_slots.spec
    assert sum(rows(four_slots, where.generation)) == 2 * len(CORPUS)  # two copies each
    before = answers(data)
    assert before[""][0] == len(CORPUS)

    generations = [where.generation]
    for _ in range(2):
        result = build(data, pages, full=True)
        generations.append(read_snapshot(result.snapshot).where.generation)
        assert current_snapshot(data / INDEX_NAME) == result.snapshot.resolve()
        assert answers(data) == before  # the same answers from another generation
    assert len(set(generations)) == 3
    # the first generation is gone from every node; the one before the current is kept
    # (a reader may still hold it); the slot of the first is free again
    assert rows(four_slots, generations[0]) == [0] * 4
    assert sum(rows(four_slots, generations[1])) == 2 * len(CORPUS)
    assert generations[0] not in claimed(four_slots)
    assert set(generations[1:]) <= claimed(four_slots)
    assert len(list((data / INDEX_NAME / SNAPSHOTS).iterdir())) == 2

    # a snapshot written before `where` was recorded still opens, and says where it lives
    meta = current_snapshot(data / INDEX_NAME) / META
    data_ = json.loads(meta.read_text())
    recorded = data_.pop("where")
    meta.write_text(json.dumps(data_))
    assert read_snapshot(meta.parent).where.as_json() == recorded
    assert answers(data) == before
    # a snapshot whose folder no longer names the generation it recorded is not served
    meta.write_text(json.dumps({**data_, "where": {**recorded, "generation": 99,
                                                   "remote": "na99"}}))
    library = Library(data)
    try:
        with pytest.raises(IndexMissing, match="na99"):
            library.search(SearchRequest())
    finally:
        library.close()
    meta.write_text(json.dumps({**data_, "where": recorded}))
    # the generations of a data folder's rebuilds never pile up past current + previous
    for _ in range(GENERATIONS):
        build(data, pages, full=True)
    assert len(claimed(four_slots)) <= 2


def test_a_local_engine_records_its_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(FAULT_ENV, raising=False)
    pages, data = tmp_path / "pages", tmp_path / "data"
    write_corpus(pages)
    store = Store(data / STORE_NAME)
    try:
        ingest(store, [pages])
        result = rebuild(store, data / INDEX_NAME, engine="tantivy")
    finally:
        store.close()
    where = read_snapshot(result.snapshot).where
    assert (where.path, where.remote, where.nodes) == (
        f"{SNAPSHOTS}/{result.snapshot.name}", None, ())
    assert json.loads((result.snapshot / META).read_text())["where"] == {"path": where.path}


# --- a rebuild killed at every step ------------------------------------------------------

@pytest.mark.parametrize("point", INDEX_POINTS)
def test_a_killed_rebuild_leaves_the_old_index_serving_and_frees_its_slot(
        four_slots, on, tmp_path, point):
    on(four_slots)
    pages, data = tmp_path / "pages", tmp_path / "data"
    generate_pages(pages, 200)
    build(data, pages)
    build(data, pages, full=True)  # a previous generation too: slots left are few
    before, serving = answers(data), current_snapshot(data / INDEX_NAME)
    assert before[GENERATED_MARKER][0] == 200
    args = [*newsarchive(), "--data-dir", str(data), "rebuild", "--engine", "sphinx"]
    if point == "index:incremental-before-meta":  # an update needs a change to apply
        (pages / "extra.txt").write_text(
            f"Arab Times\nZeppelin seen over the harbour\n-\n\nA {GENERATED_MARKER} "
            "zeppelin flew over the harbour.\n", encoding="utf-8")
        args.append(str(pages))
    killed = subprocess.run([*args, "--full"] if "incremental" not in point else args,
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, FAULT_ENV: point})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    now = current_snapshot(data / INDEX_NAME)
    if now == serving and "incremental" not in point:
        assert answers(data) == before  # the killed build is not seen at all
    else:  # swapped (or updated in place) before the kill: complete and whole
        assert (now / META).is_file()
        assert answers(data)[GENERATED_MARKER][0] in (200, 201)
    # the next rebuild runs, and gives back what the killed one held: the folder keeps
    # its current and previous generations, no more
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert answers(data)[GENERATED_MARKER][0] in (200, 201)
    assert len(claimed(four_slots)) <= 2
    done = subprocess.run([*args, "--full"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(claimed(four_slots)) == 2


# --- two builders claiming at once ------------------------------------------------------

def _claimer(cluster: local.Cluster, folder: Path, pause: float):
    """A builder's claim of a generation for `folder`, recording it after `pause` seconds
    (the window in which another builder could find the same slot free)."""
    from index.sphinx.generations import claim, placement, resolve, write_state

    def run() -> int:
        client = Client([n.sql for n in cluster.layout.nodes])
        try:
            target = resolve(cluster.spec)

            def record(generation: int, token: str) -> None:
                time.sleep(pause)
                folder.mkdir(parents=True, exist_ok=True)
                write_state(folder, {"cluster": cluster.spec, "generation": generation,
                                     "token": token, "complete": False})

            return claim(client, placement(target, client), folder, record)[0]
        finally:
            client.close()
    return run


def test_two_builders_claiming_at_once_take_different_generations(four_slots, tmp_path):
    with ThreadPoolExecutor(2) as pool:
        taken = list(pool.map(lambda run: run(), [
            _claimer(four_slots, tmp_path / name, 0.5) for name in ("a", "b")]))
    assert sorted(taken) == [0, 1]
    assert claimed(four_slots) == {0, 1}


def test_the_claim_lock_admits_one_builder_when_both_insert_at_once(four_slots):
    """searchd lets two INSERTs of one id at once both succeed (the later overwrites):
    the lock is held only by the builder whose row is still its own after LOCK_SETTLE.
    Before that check, a third of such races let both builders in."""
    import threading

    from index.sphinx.generations import claiming, placement, resolve

    holding, most, guard = [0], [0], threading.Lock()

    def builder(start: threading.Barrier) -> None:
        client = Client([n.sql for n in four_slots.layout.nodes])
        try:
            place = placement(resolve(four_slots.spec), client)
            start.wait()
            with claiming(client, place):
                with guard:
                    holding[0] += 1
                    most[0] = max(most[0], holding[0])
                time.sleep(0.05)
                with guard:
                    holding[0] -= 1
        finally:
            client.close()

    for _ in range(8):
        start = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(builder, [start, start]))
    assert most[0] == 1


def test_a_claim_waits_for_a_live_lock_and_breaks_a_stale_one(four_slots, tmp_path):
    from index.engine import SearchError
    from index.sphinx.generations import LOCK_ID, LOCK_STALE, claiming, placement, resolve

    node = four_slots.layout.nodes[0].sql
    client = Client([n.sql for n in four_slots.layout.nodes])
    place = placement(resolve(four_slots.spec), client)
    try:
        with claiming(client, place), pytest.raises(SearchError, match="Another build"):
            with claiming(client, place, wait=0.3):
                pass
        # a builder that died holding the lock: its row stays, older than LOCK_STALE
        client.write(node, [f"INSERT INTO {meta_index(0)} (id, note, owner, token, built) "
                            f"VALUES ({LOCK_ID}, 'claiming', '', 'dead', "
                            f"'{time.time() - LOCK_STALE - 1:.3f}')"])
        assert _claimer(four_slots, tmp_path / "c", 0.0)() == 0
        assert not client.write(node, [f"SELECT id FROM {meta_index(0)} "
                                       f"WHERE id = {LOCK_ID}"])[0]  # given back
    finally:
        client.close()


# --- a node killed under the site --------------------------------------------------------

def _site(data: Path):
    from web import create_app
    from web.resources import close_library

    app = create_app({"TESTING": True, "DATA_DIR": str(data)})
    return app, close_library


@pytest.mark.parametrize("replicas", [2, 1])
def test_a_node_killed_under_the_site(on, tmp_path, replicas):
    """With a mirror alive the page and the JSON are complete; with a shard's only copy
    gone they show the hits they have and say the results are partial."""
    cluster = local.start(tmp_path / "c", nodes=2, replicas=replicas, generations=2)
    try:
        on(cluster)
        pages, data = tmp_path / "pages", tmp_path / "data"
        generate_pages(pages, 200)
        build(data, pages)
        app, close = _site(data)
        try:
            client = app.test_client()
            whole = client.get(f"/search.json?q={GENERATED_MARKER}&_size=100").get_json()
            assert whole["printings"] == 200 and not whole["partial"]
            local.kill(cluster, 1)
            for _ in range(3):
                got = client.get(f"/search.json?q={GENERATED_MARKER}&_size=100").get_json()
                page = client.get(f"/search?q={GENERATED_MARKER}")
                assert page.status_code == 200
                text = page.get_data(as_text=True)
                if replicas == 2:
                    assert (got["printings"], got["partial"]) == (200, False)
                    assert [i["id"] for i in got["items"]] == \
                        [i["id"] for i in whole["items"]]
                    assert UNAVAILABLE_NOTE not in text
                else:
                    assert got["partial"] is True and UNAVAILABLE_NOTE in got["notices"]
                    assert 0 < got["printings"] < 200 and got["items"]
                    assert UNAVAILABLE_NOTE in text
        finally:
            close(app)
    finally:
        local.stop(cluster.folder)


# --- placement (no server needed) -------------------------------------------------------

@pytest.mark.parametrize("nodes, replicas, shards", [(2, 2, 2), (3, 2, 3), (5, 2, 7),
                                                     (4, 3, 4)])
def test_every_shard_has_its_copies_on_different_nodes(nodes, replicas, shards):
    from index.sphinx.config import Layout, Node, node_config
    from index.sphinx.documents import shard_of

    layout = Layout(tuple(Node("10.0.0.1", 9306 + 2 * n, 9307 + 2 * n) for n in range(nodes)),
                    shards, replicas, 2)
    for shard in range(shards):
        holders = layout.holders(shard)
        assert len(set(holders)) == replicas  # each copy on another node
        for number in holders:
            assert f"index {shard_index(0, shard)}\n" in node_config(layout, number, Path("/x"))
    # an id's shard is a fixed hash of the id (not Python's hash(), which changes from
    # process to process): pinned, since rows already written live where it put them
    assert [shard_of(f"article-{n}", 7) for n in range(5)] == [1, 2, 2, 5, 4]
    assert shard_of("43403f31e654", 2) == 0


# --- the ranking function on nodes started elsewhere --------------------------------------

def _install_udf(cluster: local.Cluster) -> subprocess.CompletedProcess:
    return subprocess.run([*newsarchive(), "cluster", "install-udf", "--cluster", cluster.spec],
                          capture_output=True, text=True, timeout=60)


def test_install_udf_teaches_the_nodes_that_lack_it(four_slots):
    from index.sphinx import udf

    if not udf.library(four_slots.folder).exists():
        pytest.skip("no C compiler built the ranking library")
    first, second = (n.sql for n in four_slots.layout.nodes)
    client = Client([first, second])
    try:
        # node 0 as a node started by hand is: without the function
        client.execute(first, [f"DROP FUNCTION {udf.FUNCTION}"])
        assert not udf.installed(client.execute(first, ["SHOW PLUGINS"])[0])
        done = _install_udf(four_slots)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == [f"node {first}: installed",
                                            f"node {second}: already"]
        assert udf.installed(client.execute(first, ["SHOW PLUGINS"])[0])

        # a node whose plugin_dir lacks the library: named, the others still answered
        client.execute(first, [f"DROP FUNCTION {udf.FUNCTION}"])
        library = udf.library(four_slots.folder)
        library.rename(library.with_suffix(".away"))
        try:
            failed = _install_udf(four_slots)
        finally:
            library.with_suffix(".away").rename(library)
        assert failed.returncode == 1, failed.stdout
        lines = failed.stdout.splitlines()
        assert lines[0].startswith(f"node {first}: FAILED") and udf.LIBRARY in lines[0]
        assert lines[1] == f"node {second}: already"
    finally:
        client.close()


def test_config_for_other_machines_builds_the_library_they_load(tmp_path):
    from index.sphinx import udf

    out = tmp_path / "configs"
    done = subprocess.run([*newsarchive(), "cluster", "config", "--node", "10.0.0.5:9306:9312",
                           "--node", "10.0.0.6:9306:9312", "--remote-dir", "/srv/sphinx",
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "plugin_dir = /srv/sphinx/plugins" in (out / "node0.conf").read_text()
    if shutil.which("cc") or shutil.which("gcc"):
        assert udf.library(out).stat().st_size > 0
        assert "/srv/sphinx/plugins/" in done.stdout and "install-udf" in done.stdout
    else:
        assert "no C compiler" in done.stderr
