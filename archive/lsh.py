"""The LSH band-key index of near-duplicate signatures, kept in SQLite: which stored items
share a band key with new ones. No structure over the archive lives in memory.

Band rows live in LEVELS tables, as in an LSM tree. New rows go to a small table, merged in
key order into the next when full (level 0 past 64k rows, level 1 past 2M). One table of
random keys made every commit rewrite about one page per row as it grew (measured at 100k
articles: 170-340 us an article, more than ingesting its page); a small level keeps the
pages a commit dirties few, and a merge writes each page of the bigger level once for
thousands of rows. Lookups probe every level (three at most).

A band key already held by KEY_HOLDERS items takes no more: a notice printed every day for
years would otherwise make each new printing fetch and compare all the earlier ones. Later
printings still find the holders, so they still join the cluster.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

LEVELS = 3
LEVEL_ROWS = (1 << 16, 1 << 21)  # rows at which level 0, then level 1, merge into the next
KEY_HOLDERS = 32
_CHUNK = 500  # bound parameters per IN (...)

SCHEMA = """CREATE TABLE IF NOT EXISTS cluster_levels (
    level INTEGER PRIMARY KEY, rows INTEGER NOT NULL
);
""" + "".join(f"""CREATE TABLE IF NOT EXISTS cluster_bands{level} (
    key INTEGER NOT NULL, num INTEGER NOT NULL, PRIMARY KEY (key, num)
) WITHOUT ROWID;
""" for level in range(LEVELS))


class BandIndex:
    """Band keys -> item numbers, in the caller's transaction."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def add(self, keys: np.ndarray, nums: np.ndarray) -> np.ndarray:
        """Index new items (keys: (n, bands), nums: (n,)); their candidate pairs (new index,
        num of a stored or earlier new item sharing a key) as an (m, 2) array, distinct."""
        bands = keys.shape[1]
        flat = keys.ravel()
        item = np.repeat(np.arange(len(nums)), bands)
        held_keys, held_nums = self._holders(distinct(flat).tolist())
        low = np.searchsorted(held_keys, flat, "left")
        have = np.searchsorted(held_keys, flat, "right") - low
        found = [np.zeros((0, 2), np.int64)]
        if have.any():  # every (new item, holder) of each key
            which = np.repeat(np.arange(flat.size), have)
            first = np.repeat(low - (np.cumsum(have) - have), have)
            found.append(np.stack([item[which], held_nums[first + np.arange(which.size)]], 1))
        # New items sharing a key: ordered by key, then item; each pairs with the earlier
        # ones in its run that hold the key (room is what KEY_HOLDERS leaves).
        order = np.lexsort((item, flat))
        sorted_keys, sorted_items = flat[order], item[order]
        starts = np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))
        run = np.maximum.accumulate(np.where(starts, np.arange(flat.size), 0))
        rank = np.arange(flat.size) - run
        holds = rank < KEY_HOLDERS - have[order]
        for earlier in range(min(KEY_HOLDERS, int(rank.max(initial=0)))):
            later = np.flatnonzero(rank > earlier)
            later = later[holds[run[later] + earlier]]
            found.append(np.stack([sorted_items[later],
                                   nums[sorted_items[run[later] + earlier]]], 1))
        # in (key, num) order already: nums grow with the item; handed over as an iterator
        # (a list of 4,000 tuples a batch only fed the writer's garbage collector)
        self._insert(zip(sorted_keys[holds].tolist(), nums[sorted_items[holds]].tolist(),
                         strict=True), int(np.count_nonzero(holds)))
        pairs = distinct(np.concatenate(found) @ np.array([1 << 40, 1]))  # one int a pair
        return np.stack([pairs >> 40, pairs & ((1 << 40) - 1)], 1)

    def refill(self, keys: np.ndarray, nums: Sequence[int]) -> None:
        """Let stored items (keys: (n, bands)) take the band keys that lost holders, up to
        KEY_HOLDERS a key (after removals in a cluster of a notice printed daily)."""
        owners = np.repeat(np.asarray(nums, np.int64), keys.shape[1]).tolist()
        flat = keys.ravel().tolist()
        held_keys, held_nums = self._holders(sorted(set(flat)))
        held = set(zip(held_keys.tolist(), held_nums.tolist(), strict=True))
        count = Counter(held_keys.tolist())
        rows = []
        for key, num in sorted(zip(flat, owners, strict=True)):
            if (key, num) not in held and count[key] < KEY_HOLDERS:
                rows.append((key, num))
                count[key] += 1
        self._insert(rows, len(rows))

    def remove(self, keys: np.ndarray, nums: Sequence[int]) -> None:
        """Forget the band rows of items (keys: (n, bands))."""
        rows = [(k, n) for row, n in zip(keys.tolist(), nums, strict=True) for k in row]
        counts = self._levels()
        for level, count in enumerate(counts):
            if count:
                before = self.db.total_changes
                self.db.executemany(f"DELETE FROM cluster_bands{level} WHERE key=? AND num=?",
                                    rows)
                counts[level] -= self.db.total_changes - before
        self._save_levels(counts)

    def _holders(self, keys: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(keys, nums) of the stored rows holding any of keys, sorted by key."""
        rows: list[tuple[int, int]] = []
        levels = [level for level, count in enumerate(self._levels()) if count]
        for chunk in chunks(keys):
            where = f"WHERE key IN ({marks(chunk)})"
            rows.extend(self.db.execute(" UNION ALL ".join(
                f"SELECT key, num FROM cluster_bands{level} {where}" for level in levels),
                chunk * len(levels)) if levels else ())
        found = np.array(rows, np.int64).reshape(-1, 2)
        found = found[np.argsort(found[:, 0], kind="stable")]
        return found[:, 0], found[:, 1]

    def _insert(self, rows: Iterable[tuple[int, int]], count: int) -> None:
        """New rows (count of them) go to level 0; a full level merges, in key order,
        into the next."""
        self.db.executemany("INSERT OR IGNORE INTO cluster_bands0 VALUES (?,?)", rows)
        counts = self._levels()
        counts[0] += count
        for level, limit in enumerate(LEVEL_ROWS):
            if counts[level] > limit:
                self.db.execute(f"INSERT OR IGNORE INTO cluster_bands{level + 1} "
                                f"SELECT key, num FROM cluster_bands{level} ORDER BY key, num")
                self.db.execute(f"DELETE FROM cluster_bands{level}")
                counts[level + 1] += counts[level]
                counts[level] = 0
        self._save_levels(counts)

    def _levels(self) -> list[int]:
        counts = [0] * LEVELS
        for level, rows in self.db.execute("SELECT level, rows FROM cluster_levels"):
            counts[level] = rows
        return counts

    def _save_levels(self, counts: list[int]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO cluster_levels VALUES (?,?)",
                            list(enumerate(counts)))


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (np.unique's hashing took ~1 ms for a batch's keys)."""
    ordered = np.sort(values, axis=None)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] \
        if ordered.size else ordered


def chunks(values: Sequence[Any]) -> Iterable[list[Any]]:
    """values in slices small enough for one IN (...) each."""
    for start in range(0, len(values), _CHUNK):
        yield list(values[start:start + _CHUNK])


def marks(chunk: Sequence[Any]) -> str:
    """The "?,?,?" of an IN (...) for chunk."""
    return ",".join("?" * len(chunk))
