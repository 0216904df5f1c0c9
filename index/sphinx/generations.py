"""Which cluster an engine talks to, where each shard's copies live, and which generation
slot (index.sphinx.config) an engine folder owns; and the writer that feeds rows to every
copy of the shard owning each article.

A generation is claimed by writing (owner, token) into its na{g}m index on every node;
the engine folder's sphinx.json names the generation and token back. A generation is free
when no node records an owner, or when its owner was a folder on this machine that no
longer names it (deleted, or rebuilt into another generation). Builders claim one at a
time: each first INSERTs a lock row into na0m on the first node (searchd refuses a second
row of the same id, atomically), so two never find the same slot free."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from index.engine import SearchError
from index.sphinx import cluster as local
from index.sphinx.client import Client, escape
from index.sphinx.config import meta_index, shard_index

ENV = "NEWSARCHIVE_SPHINX"  # a cluster.json (or its folder), or host:port,host:port...
STATE_FILE = "sphinx.json"  # in the engine's folder: cluster, generation, token
_TABLE = re.compile(r"na(\d+)s(\d+)$")
LOCK_ID = 3  # the row of na0m (first node) a builder holds while it claims (1, 2: taken)
LOCK_STALE = 60.0  # seconds: a lock this old was left by a builder that died claiming
LOCK_WAIT = 120.0  # seconds a builder waits for another's claim before giving up
# searchd 2.2.11 checks an RT INSERT's id for duplicates apart from writing it: two INSERTs
# of one id at once both succeed, the later overwriting the earlier (94 of 300 tries).
# So a builder whose lock INSERT succeeded waits this long, then reads the row back: a
# concurrent INSERT has landed by then, and only the builder whose token stayed holds the
# lock (Fischer's mutual exclusion: a write's delay is bounded).
LOCK_SETTLE = 0.25  # seconds


@dataclass(frozen=True)
class Target:
    """A cluster as configured: its nodes' SphinxQL addresses, and its folder when it was
    started on this machine (then its IDF files can be written and reloaded)."""

    spec: str
    nodes: tuple[str, ...]
    folder: Path | None = None


def resolve(spec: str | None) -> Target:
    """The cluster `spec` names (else $NEWSARCHIVE_SPHINX), or a SearchError saying how to
    name one."""
    spec = (spec or os.environ.get(ENV, "")).strip()
    if not spec:
        raise SearchError(f"No Sphinx cluster is configured: start one with `newsarchive "
                          f"cluster start` and set {ENV} to its cluster.json, or to the "
                          "host:port list of its nodes' SphinxQL listeners")
    path = Path(spec)
    if path.is_dir() or path.suffix == ".json":
        try:
            found = local.load(path)
        except local.ClusterError as error:
            raise SearchError(str(error)) from None
        return Target(found.spec, tuple(n.sql for n in found.layout.nodes), found.folder)
    nodes = tuple(part.strip() for part in spec.split(",") if part.strip())
    if not all(re.fullmatch(r"[^\s:]+:\d+", n) for n in nodes):
        raise SearchError(f"{ENV}={spec!r} is neither a cluster.json nor a list of "
                          "host:port SphinxQL addresses")
    return Target(spec, nodes)


@dataclass(frozen=True)
class Placement:
    """Where the copies of each shard live (the same for every generation)."""

    nodes: tuple[str, ...]
    shards: int
    generations: int
    copies: tuple[tuple[str, ...], ...]  # shard -> SphinxQL addresses of its copies


def placement(target: Target, client: Client) -> Placement:
    """From cluster.json when local, else from each node's own list of indexes (every
    node must answer: writes need them all)."""
    if target.folder is not None:
        layout = local.load(target.folder).layout
        copies = tuple(tuple(layout.nodes[n].sql for n in layout.holders(s))
                       for s in range(layout.shards))
        return Placement(target.nodes, layout.shards, layout.generations, copies)
    held: dict[int, list[str]] = {}
    generations = 0
    for node in target.nodes:
        for name, _ in client.write(node, ["SHOW TABLES"])[0]:
            if found := _TABLE.fullmatch(str(name)):
                generation, shard = map(int, found.groups())
                generations = max(generations, generation + 1)
                if generation == 0:
                    held.setdefault(shard, []).append(node)
    if not held:
        raise SearchError(f"the Sphinx nodes {', '.join(target.nodes)} hold no newsarchive "
                          "indexes: write their configs with `newsarchive cluster config`")
    return Placement(target.nodes, len(held), generations,
                     tuple(tuple(held[s]) for s in range(len(held))))


def read_state(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_state(folder: Path, state: dict) -> None:
    path = Path(folder) / STATE_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=1), encoding="utf-8")
    temporary.replace(path)


def claim(client: Client, place: Placement, folder: Path,
          record: Callable[[int, str], None]) -> tuple[int, str]:
    """Take a free generation for the engine folder; (generation, token). `record` writes
    them to the folder before any node names its owner, so that no other builder finds the
    slot abandoned while this one fills it. Its shards are emptied on every copy."""
    with claiming(client, place):
        owners = client.read([f"SELECT owner, token FROM {meta_index(g)} WHERE id = 1"
                              for g in range(place.generations)]).sets
        free = [g for g, rows in enumerate(owners) if not rows or _abandoned(g, *rows[0])]
        if not free:
            raise SearchError(f"Every one of the cluster's {place.generations} index "
                              "generations is in use: drop an old index (or start the "
                              "cluster with more --generations)")
        generation, token = free[0], uuid.uuid4().hex
        record(generation, token)
        owner = f"{socket.gethostname()}\t{Path(folder).resolve()}"
        built = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        row = (f"REPLACE INTO {meta_index(generation)} (id, note, owner, token, built) "
               f"VALUES (1, 'generation', {escape(owner)}, {escape(token)}, {escape(built)})")
        for node in place.nodes:
            client.write(node, [row])
    empty(client, place, generation)
    return generation, token


@contextmanager
def claiming(client: Client, place: Placement, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the cluster's claim lock: a row of the first node's meta index that a builder
    INSERTs and finds still its own LOCK_SETTLE later (a later INSERT of its id fails; a
    concurrent one may overwrite it). A lock older than LOCK_STALE is a dead builder's,
    and is broken; two builders breaking it at once are told apart the same way."""
    node, index = place.nodes[0], meta_index(0)
    mine = uuid.uuid4().hex
    deadline = time.monotonic() + wait
    while True:
        try:
            client.write(node, [f"INSERT INTO {index} (id, note, owner, token, built) VALUES "
                                f"({LOCK_ID}, 'claiming', '', '{mine}', '{time.time():.3f}')"])
            time.sleep(LOCK_SETTLE)
            if _lock_token(client, node, index) == mine:
                break
        except SearchError as error:
            if "duplicate id" not in str(error):
                raise
        rows = client.write(node, [f"SELECT built FROM {index} WHERE id = {LOCK_ID}"])[0]
        if rows and time.time() - _seconds(rows[0][0]) > LOCK_STALE:
            client.write(node, [f"DELETE FROM {index} WHERE id = {LOCK_ID}"])
        elif time.monotonic() > deadline:
            raise SearchError("Another build is claiming an index generation of the Sphinx "
                              f"cluster and has not finished within {wait:.0f} s")
        else:
            time.sleep(0.05)
    try:
        yield
    finally:
        if _lock_token(client, node, index) == mine:  # (not one another took as stale)
            client.write(node, [f"DELETE FROM {index} WHERE id = {LOCK_ID}"])


def _lock_token(client: Client, node: str, index: str) -> str | None:
    """The token of the builder holding the claim lock (None: nobody)."""
    rows = client.write(node, [f"SELECT token FROM {index} WHERE id = {LOCK_ID}"])[0]
    return str(rows[0][0]) if rows else None


def _seconds(text: object) -> float:
    try:
        return float(str(text))
    except ValueError:
        return 0.0


def owns(client: Client, state: dict) -> bool:
    """Whether the generation a folder's sphinx.json names is still its own: some node
    records its token (else its slot was found abandoned and taken by another build)."""
    generation = int(state["generation"])
    # every node is asked: a dead one must not make a live claim look lost
    for node in resolve(state["cluster"]).nodes:
        try:
            rows = client.write(node, [f"SELECT token FROM {meta_index(generation)} "
                                       "WHERE id = 1"])[0]
        except SearchError:
            continue
        if rows:
            return rows[0][0] == state.get("token")
    return False


def release(client: Client, place: Placement, generation: int) -> None:
    """Empty a generation and free its slot."""
    empty(client, place, generation)
    for node in place.nodes:
        client.write(node, [f"DELETE FROM {meta_index(generation)} WHERE id IN (1, 2)"])


def empty(client: Client, place: Placement, generation: int) -> None:
    for shard, nodes in enumerate(place.copies):
        for node in nodes:
            client.write(node, [f"TRUNCATE RTINDEX {shard_index(generation, shard)}"])


def _abandoned(generation: int, owner: str, token: str) -> bool:
    host, _, path = str(owner).partition("\t")
    if host != socket.gethostname():
        return False  # another machine's: it alone can tell
    state = read_state(Path(path))
    return not state or state.get("generation") != generation or state.get("token") != token
