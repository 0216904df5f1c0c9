"""Clusters of printings of one story (reprints, wire copies), kept in the store's SQLite.

Signatures (archive.minhash) and their LSH band keys are stored; a new item's candidates are
the items sharing a band key, looked up by index, so adding a day of pages costs time in
proportion to that day, never to the archive. Candidates that pass minhash.compare become
edges; a cluster is a connected component of edges. Its id is the article id of its
founder, the earliest printing (issue date, then article id): a pure function of the
membership, so the same items in any order give the same clusters and ids, a cluster that
absorbs another keeps its id, and one that splits keeps it in the part holding the founder.
Each member keeps its similarity to the founder (estimated Jaccard of the bodies' shingles).
Only when a band key is shared by more than lsh.KEY_HOLDERS items, or an item has more than
MAX_EDGES matches (a notice printed daily), does the order of adding change which edges are
kept; the clusters stay the same, and parts a removal cuts off are added again, so they
find what they still match.

Bodies under MIN_WORDS words get no signature: they are kept as "too short" and join
nothing, so a brief or a one-line advertisement never pulls stories together.

Every method works inside the caller's transaction (Store.transaction()); none commits.
Tables: cluster_items (one row per article), cluster_edges (matches between items, both
in one cluster), and the band tables of archive.lsh.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from archive import lsh, minhash
from archive.lsh import chunks, marks
from archive.minhash import MIN_WORDS

__all__ = ["MIN_WORDS", "SCHEMA", "ClusterInfo", "Clusters", "Item", "Member", "create"]

MAX_EDGES = 16  # edges a new item keeps, its most similar neighbours first
CLUSTERED, TOO_SHORT = "clustered", "too short"

SCHEMA = """
CREATE TABLE IF NOT EXISTS cluster_items (
    num INTEGER PRIMARY KEY,         -- internal: band and edge rows stay small
    article_id TEXT NOT NULL UNIQUE,
    date TEXT,                       -- ISO issue date: the earliest printing founds a cluster
    signature BLOB,                  -- archive.minhash; NULL: too short to cluster
    cluster TEXT,                    -- the founder's article id; NULL: no other printing
    similarity REAL                  -- estimated Jaccard with the founder; NULL when alone
);
CREATE INDEX IF NOT EXISTS cluster_items_cluster ON cluster_items(cluster)
    WHERE cluster IS NOT NULL;
CREATE TABLE IF NOT EXISTS cluster_edges (
    a INTEGER NOT NULL, b INTEGER NOT NULL, similarity REAL NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cluster_edges_b ON cluster_edges(b);
""" + lsh.SCHEMA


def create(db: sqlite3.Connection) -> None:
    """Create the clustering tables (the store does this with SCHEMA; tests and bench here)."""
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)


@dataclass(frozen=True)
class Item:
    """An article as clustering sees it."""

    article_id: str
    signature: bytes | None  # minhash.signature(); None: too short to cluster
    date: str | None = None  # ISO issue date (None: undated, founds no cluster before dated)


@dataclass(frozen=True)
class ClusterInfo:
    """Where an article stands: its cluster (itself alone: size 1), or why it has none."""

    article_id: str
    status: str  # CLUSTERED or TOO_SHORT
    cluster_id: str | None = None  # the founder's article id
    size: int = 0  # printings in the cluster, this one included
    similarity: float | None = None  # estimated Jaccard with the founder (1.0: the founder)

    @property
    def note(self) -> str:
        """What a reader is told."""
        if self.status == TOO_SHORT:
            return f"not clustered: too short (fewer than {MIN_WORDS} words)"
        if self.size <= 1:
            return "no other printing found"
        return f"one of {self.size} printings"


@dataclass(frozen=True)
class Member:
    """One printing in a cluster."""

    article_id: str
    date: str | None
    similarity: float  # to the founder


@dataclass
class _Row:
    num: int
    article_id: str
    date: str | None
    cluster: str | None
    similarity: float | None
    signature: bytes | None = None
    new: bool = False  # being added by this call: not in the table yet

    @property
    def key(self) -> tuple[bool, str, str]:
        """Founder order: dated before undated, earliest, then article id."""
        return self.date is None, self.date or "", self.article_id

    @property
    def state(self) -> tuple[str | None, float | None]:
        return self.cluster, self.similarity


_ROW = "num, article_id, date, cluster, similarity"
_Entry = tuple  # (article_id, signature or None, ISO date or None): an Item inside add()


class _Sets:
    """Union-find over hashable nodes."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, node: Any) -> Any:
        root = self.parent.setdefault(node, node)
        while root != self.parent[root]:
            root = self.parent[root]
        while node != root:
            node, self.parent[node] = self.parent[node], root
        return root

    def union(self, a: Any, b: Any) -> None:
        self.parent[self.find(a)] = self.find(b)

    def groups(self) -> list[list[Any]]:
        found: dict[Any, list[Any]] = {}
        for node in self.parent:
            found.setdefault(self.find(node), []).append(node)
        return list(found.values())


class Clusters:
    """The clusters kept in one SQLite database (the article store's connection)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.bands = lsh.BandIndex(db)

    # --- reading -------------------------------------------------------------------------

    def cluster(self, article_id: str) -> ClusterInfo | None:
        """Where an article stands; None when clustering has not seen it."""
        return self.infos([article_id]).get(article_id)

    def infos(self, ids: Iterable[str]) -> dict[str, ClusterInfo]:
        """cluster() of many articles at once (unknown ones are absent)."""
        rows = [(r, r.signature is None) for r in self._rows("article_id", list(ids), True)]
        sizes = self._sizes({r.cluster for r, _ in rows if r.cluster})
        found = {}
        for row, short in rows:
            if short:
                found[row.article_id] = ClusterInfo(row.article_id, TOO_SHORT)
            elif row.cluster is None:
                found[row.article_id] = ClusterInfo(row.article_id, CLUSTERED,
                                                    row.article_id, 1, 1.0)
            else:
                found[row.article_id] = ClusterInfo(row.article_id, CLUSTERED, row.cluster,
                                                    sizes[row.cluster], row.similarity)
        return found

    def members(self, cluster_id: str) -> list[Member]:
        """The printings of a cluster, founder first, then by date and id."""
        rows = [_Row(*r) for r in self.db.execute(
            f"SELECT {_ROW} FROM cluster_items WHERE cluster=?", (cluster_id,))]
        if not rows:  # an article alone is a cluster of one
            rows = [r for r in self._rows("article_id", [cluster_id], True)
                    if r.signature is not None and r.cluster is None]
        return [Member(r.article_id, r.date, r.similarity if r.cluster else 1.0)
                for r in sorted(rows, key=lambda r: r.key)]

    def _sizes(self, clusters: set[str]) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for chunk in chunks(sorted(clusters)):
            sizes.update(self.db.execute(
                f"SELECT cluster, count(*) FROM cluster_items WHERE cluster IN "
                f"({marks(chunk)}) GROUP BY cluster", chunk).fetchall())
        return sizes

    def _stored(self, nums: Sequence[int]) -> dict[int, tuple]:
        """num -> the stored row (_ROW's columns, then the signature) of these nums."""
        found = {}
        for chunk in chunks(nums):
            found.update((r[0], r) for r in self.db.execute(
                f"SELECT {_ROW}, signature FROM cluster_items WHERE num IN ({marks(chunk)})",
                chunk))
        return found

    def _rows(self, column: str, values: Sequence[Any], signature: bool = False
              ) -> list[_Row]:
        fields = _ROW + (", signature" if signature else "")
        found = []
        for chunk in chunks(values):
            found.extend(_Row(*r) for r in self.db.execute(
                f"SELECT {fields} FROM cluster_items WHERE {column} IN ({marks(chunk)})",
                chunk))
        return found

    # --- changing ------------------------------------------------------------------------

    def add(self, items: Iterable[Item | tuple], new: bool = False) -> set[str]:
        """Add (or replace) articles, as Items or (article_id, signature[, date]) tuples.

        Returns the ids whose cluster id, similarity, or whether they have other printings
        changed: the new ones, and members of clusters they joined, merged or (when an
        article changed) left; an article that moved and came back may be among them. An id
        given twice keeps its last item. new: the caller knows that clustering has none of
        them (articles new to the store): they are not looked for."""
        wanted = {i[0]: i for i in map(_item, items)}
        if new:
            todo = list(wanted.values())
            return self._insert(todo) if todo else set()
        old = {r.article_id: r for r in self._rows("article_id", list(wanted), True)}
        stale = [r for r in old.values()
                 if (r.signature, r.date) != wanted[r.article_id][1:]]
        changed = self._delete(stale) if stale else set()
        kept = {r.article_id for r in old.values()} - {r.article_id for r in stale}
        todo = [item for key, item in wanted.items() if key not in kept]
        return changed | self._insert(todo) if todo else changed

    def remove(self, ids: Iterable[str]) -> set[str]:
        """Forget articles; the ids of the others whose cluster changed. A cluster that
        lost a member is recomputed from its edges and may split: the biggest part stays,
        the others are added again (they find what they still match)."""
        return self._delete(self._rows("article_id", list(dict.fromkeys(ids)), True))

    def _insert(self, items: list[_Entry]) -> set[str]:
        top = self.db.execute("SELECT coalesce(max(num), 0) FROM cluster_items").fetchone()[0]
        long = [(num, item) for num, item in enumerate(items, top + 1) if item[1] is not None]
        states: dict[int, tuple[str | None, float | None]] = {}
        changed = self._cluster_new(long, states) if long else set()
        alone = (None, None)
        self.db.executemany("INSERT INTO cluster_items VALUES (?,?,?,?,?,?)",
                            ((num, article_id, date, signature, *states.get(num, alone))
                             for num, (article_id, signature, date)
                             in enumerate(items, top + 1)))
        return changed | {item[0] for item in items}

    def _cluster_new(self, long: list[tuple[int, _Entry]],
                     states: dict[int, tuple[str | None, float | None]]) -> set[str]:
        """Band rows and edges of new items (num, entry); their clusters and those they
        join, merge. The new items that joined a cluster get their state in states."""
        sizes, slots = minhash.unpack_many([item[1] for _, item in long])
        found = self.bands.add(minhash.band_keys(slots), np.array([num for num, _ in long]))
        if not found.size:  # nothing shares a band key: every new item stays alone
            return set()
        pairs = list(zip(found[:, 0].tolist(), found[:, 1].tolist(), strict=True))
        # Rows only for the new items that met another (most meet none: a _Row each cost
        # the writer more than the rest of their clustering in Python).
        place = {num: i for i, (num, _) in enumerate(long)}
        met = {i for i, _ in pairs} | {place[n] for _, n in pairs if n in place}
        new = {i: _Row(long[i][0], long[i][1][0], long[i][1][2], None, None, long[i][1][1],
                       True) for i in sorted(met)}
        by_num = {r.num: r for r in new.values()}
        # Stored candidates as fetched, a _Row only for those that match (few do)
        olds = self._stored(sorted({n for _, n in pairs if n not in by_num}))
        edges = self._verify(new, by_num, olds,
                             [p for p in pairs if p[1] in by_num or p[1] in olds], sizes, slots)
        for _, n, _ in edges:
            if n not in by_num:
                by_num[n] = _Row(*olds[n])
        self.db.executemany("INSERT OR REPLACE INTO cluster_edges VALUES (?,?,?)",
                            [(min(a, b), max(a, b), s) for a, b, s in edges])
        sets = _Sets()  # new items and old lone ones, old clusters as one node each
        for a, b, _ in edges:
            sets.union(_node(by_num[a]), _node(by_num[b]))
        changed: set[str] = set()
        updates: list[tuple] = []
        for group in sets.groups():  # new items without an edge stay alone: nothing to do
            changed |= self._regroup(group, by_num, updates)
        self._update(updates)
        states.update((r.num, r.state) for r in new.values() if r.cluster is not None)
        return changed

    def _verify(self, new: dict[int, _Row], by_num: dict[int, _Row], olds: dict[int, tuple],
                pairs: list[tuple[int, int]], sizes: np.ndarray, slots: np.ndarray
                ) -> list[tuple[int, int, float]]:
        """Candidate pairs (new index, num of a new row in by_num or a stored one in olds)
        that are copies: (new num, other num, similarity), at most MAX_EDGES per new item,
        the most similar first."""
        if not pairs:
            return []
        stored = sorted({n for _, n in pairs if n in olds})
        old_sizes, old_slots = minhash.unpack_many([olds[n][5] for n in stored])
        place = {n: i for i, n in enumerate(stored)}
        place.update((r.num, len(stored) + i) for i, r in new.items())
        index = np.array([i for i, _ in pairs])
        all_sizes = np.concatenate([old_sizes, sizes])
        all_slots = np.concatenate([old_slots, slots])
        other = np.array([place[n] for _, n in pairs])
        similar, same = minhash.compare(sizes[index], slots[index], all_sizes[other],
                                        all_slots[other])
        best: dict[int, list[tuple[float, str, int]]] = {}
        for (i, n), s, ok in zip(pairs, similar.tolist(), same.tolist(), strict=True):
            if ok:
                name = olds[n][1] if n in olds else by_num[n].article_id
                best.setdefault(i, []).append((-s, name, n))
        return [(new[i].num, n, -s) for i, found in best.items()
                for s, _, n in sorted(found)[:MAX_EDGES]]

    def _regroup(self, group: list[tuple[str, Any]], by_num: dict[int, _Row],
                 updates: list[tuple]) -> set[str]:
        """One connected group of new items and old clusters: its founder, members' states."""
        members = [by_num[key] for kind, key in group if kind != "cluster"]
        for kind, cluster in group:
            if kind == "cluster":
                members.extend(_Row(*r) for r in self.db.execute(
                    f"SELECT {_ROW} FROM cluster_items WHERE cluster=?", (cluster,)))
        return self._assign(members, updates)

    def _assign(self, members: list[_Row], updates: list[tuple]) -> set[str]:
        """Give a component's members their founder and similarity; the stored rows whose
        state changed go to updates (new rows are inserted by the caller); the ids that
        changed."""
        founder = min(members, key=lambda r: r.key)
        if len(members) == 1:
            targets = {founder.num: (None, None)}
        else:
            redo = [r for r in members if r.cluster != founder.article_id]
            self._load_signatures(redo + [founder])
            targets = {r.num: (founder.article_id, r.similarity) for r in members}
            similar = minhash.similarities(founder.signature,  # type: ignore[arg-type]
                                           [r.signature for r in redo])  # type: ignore[misc]
            targets.update((r.num, (founder.article_id, s))
                           for r, s in zip(redo, similar, strict=True))
        changed = set()
        for row in members:
            state = targets[row.num]
            if state != row.state:
                changed.add(row.article_id)
                row.cluster, row.similarity = state
                if not row.new:
                    updates.append((*state, row.num))
        return changed

    def _update(self, updates: list[tuple]) -> None:
        self.db.executemany("UPDATE cluster_items SET cluster=?, similarity=? WHERE num=?",
                            updates)

    def _load_signatures(self, rows: list[_Row]) -> None:
        missing = [r for r in rows if r.signature is None]
        found = {}
        for chunk in chunks([r.num for r in missing]):
            found.update(self.db.execute(f"SELECT num, signature FROM cluster_items WHERE num "
                                         f"IN ({marks(chunk)})", chunk).fetchall())
        for row in missing:
            row.signature = found[row.num]

    def _delete(self, rows: list[_Row]) -> set[str]:
        """Remove rows with their band keys and edges; recompute the clusters they left."""
        self._forget(rows)
        changed: set[str] = set()
        for cluster in sorted({r.cluster for r in rows if r.cluster}):
            changed |= self._recluster(cluster)
        return changed

    def _forget(self, rows: list[_Row]) -> None:
        """Delete rows, their band rows and their edges."""
        signed = [r for r in rows if r.signature is not None]
        if signed:
            _, slots = minhash.unpack_many([r.signature for r in signed])  # type: ignore
            self.bands.remove(minhash.band_keys(slots), [r.num for r in signed])
        for chunk in chunks([r.num for r in rows]):
            for statement in ("DELETE FROM cluster_edges WHERE a IN ({})",
                              "DELETE FROM cluster_edges WHERE b IN ({})",
                              "DELETE FROM cluster_items WHERE num IN ({})"):
                self.db.execute(statement.format(marks(chunk)), chunk)

    def _recluster(self, cluster: str) -> set[str]:
        """A cluster that lost members: its parts by the stored edges. The biggest part
        stays; the others are added again, so they find what they still match. (Stored
        edges and band rows are capped: in a cluster of a notice printed daily, the parts
        cut off may match the rest through rows now gone. Otherwise they find nothing new,
        and the result is what adding the remaining items afresh would give.)"""
        members = {r.num: r for r in (_Row(*x) for x in self.db.execute(
            f"SELECT {_ROW} FROM cluster_items WHERE cluster=?", (cluster,)))}
        sets = _Sets()
        for num in members:
            sets.find(num)
        for chunk in chunks(list(members)):
            for a, b in self.db.execute(f"SELECT a, b FROM cluster_edges WHERE a IN "
                                        f"({marks(chunk)})", chunk):
                sets.union(a, b)
        groups = sorted(sets.groups(), key=lambda g: (-len(g), min(members[n].key for n in g)))
        again = [members[n] for group in groups[1:] for n in group]
        if again:
            self._load_signatures(again)
            self._forget(again)
            if len(members) >= lsh.KEY_HOLDERS:  # the part kept may hold no band key left
                kept = [members[n] for n in groups[0]]
                self._load_signatures(kept)
                _, slots = minhash.unpack_many([r.signature for r in kept])  # type: ignore
                self.bands.refill(minhash.band_keys(slots), [r.num for r in kept])
        updates: list[tuple] = []
        changed = self._assign([members[n] for n in groups[0]], updates) if groups else set()
        self._update(updates)
        if again:
            changed |= self._insert([(r.article_id, r.signature, r.date) for r in again])
        return changed


def _item(given: Item | tuple) -> _Entry:
    """An item as a plain (article_id, signature, ISO date) tuple: what the store hands
    over already passes as it is (an Item made of each cost the writer ~4 us an article)."""
    if type(given) is tuple and len(given) == 3 and (given[2] is None
                                                     or type(given[2]) is str):
        return given
    item = given if isinstance(given, Item) else Item(*given)
    date = item.date
    if date is not None and not isinstance(date, str):  # a datetime.date
        date = date.isoformat()
    return item.article_id, item.signature, date


def _node(row: _Row) -> tuple[str, Any]:
    """The union-find node of an item: a stored one in a cluster stands for the cluster."""
    if row.new:
        return "new", row.num
    return ("cluster", row.cluster) if row.cluster is not None else ("alone", row.num)
