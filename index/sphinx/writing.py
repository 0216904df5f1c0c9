"""Writing rows to a Sphinx generation: each article to every copy of the shard that owns
it, in batches of REPLACE statements; and what the vocabulary learns from them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain

from archive.model import Article
from index.pipeline import Fed
from index.sphinx.client import Client, escape
from index.sphinx.config import meta_index, shard_index
from index.sphinx.documents import (
    COLUMNS,
    FACET_KEYS,
    FIELDS,
    analysed,
    lengths,
    shard_of,
    tokens_of,
)
from index.sphinx.generations import Placement

BATCH_BYTES = 2_000_000  # rows per REPLACE statement, by size (max_packet_size is 32M)
MAX_PENDING = 8  # batches sent and not yet answered


def has_facet_keys(client: Client, place: Placement, generation: int) -> bool:
    """Whether the cluster's shard indexes have f_facets (one started by an older version
    has not: its facets are counted a statement each)."""
    node = place.copies[0][0]
    described = client.write(node, [f"DESCRIBE {shard_index(generation, 0)}"])[0]
    return any(column[0] == FACET_KEYS for column in described)


def columns(facet_keys: bool) -> tuple[str, ...]:
    """The columns rows are written with: f_facets only where the indexes have it."""
    return COLUMNS if facet_keys else tuple(c for c in COLUMNS if c != FACET_KEYS)


class Feeder:
    """REPLACE rows into every copy of the shard owning each, in batches; and deletes.
    Each node takes its batches in a thread of its own (in order), while the next rows are
    analysed: searchd indexes as Python analyses. flush() waits for every write, and
    raises the first that failed."""

    def __init__(self, client: Client, place: Placement, generation: int,
                 columns: tuple[str, ...] = COLUMNS):
        self.client, self.place, self.generation = client, place, generation
        self.columns = columns  # (a cluster started by an older version lacks some)
        # full-text fields hold tokens of [a-z0-9_ ] only (index.sphinx.documents): quoted
        # as they are, not escaped character by character
        self._literals = [_quoted if c in FIELDS else _literal for c in columns]
        self._rows: dict[int, list[str]] = {}
        self._sizes: dict[int, int] = {}
        # one worker per node keeps its writes in order (a REPLACE, then a DELETE...)
        self._workers = {node: ThreadPoolExecutor(1) for node in place.nodes}
        self._pending: list[Future] = []

    def add(self, article_id: str, values: dict[str, object]) -> None:
        shard = shard_of(article_id, self.place.shards)
        text = "(" + ", ".join([literal(values[c]) for literal, c
                                in zip(self._literals, self.columns, strict=True)]) + ")"
        self._rows.setdefault(shard, []).append(text)
        self._sizes[shard] = self._sizes.get(shard, 0) + len(text)
        if self._sizes[shard] >= BATCH_BYTES:
            self._flush(shard)

    def flush(self) -> None:
        for shard in list(self._rows):
            self._flush(shard)
        pending, self._pending = self._pending, []
        try:
            for future in pending:
                future.result()
        finally:
            for worker in self._workers.values():
                worker.shutdown(wait=True)
            self._workers = {node: ThreadPoolExecutor(1) for node in self.place.nodes}

    def _flush(self, shard: int) -> None:
        rows = self._rows.pop(shard, [])
        self._sizes.pop(shard, None)
        if rows:
            sql = (f"REPLACE INTO {shard_index(self.generation, shard)} "
                   f"({', '.join(self.columns)}) VALUES {', '.join(rows)}")
            self._send(shard, sql)

    def _send(self, shard: int, sql: str) -> None:
        for node in self.place.copies[shard]:
            self._pending.append(self._workers[node].submit(self.client.write, node, [sql]))
        if len(self._pending) > MAX_PENDING:  # bound the batches held in memory
            done = self._pending[:len(self._pending) - MAX_PENDING]
            self._pending = self._pending[len(done):]
            for future in done:
                future.result()

    def delete(self, ids: Iterable[tuple[str, int]]) -> None:
        """Remove (article id, row id) pairs from every copy of their shards."""
        by_shard: dict[int, list[int]] = {}
        for article_id, row_id in ids:
            by_shard.setdefault(shard_of(article_id, self.place.shards), []).append(row_id)
        for shard, rows in by_shard.items():
            self._send(shard, f"DELETE FROM {shard_index(self.generation, shard)} WHERE "
                              f"id IN ({', '.join(map(str, rows))})")
        self.flush()

def settle(client: Client, place: Placement, generation: int) -> None:
    """Save a built generation's RAM chunks on every copy (FLUSH RTINDEX), so that searchd
    may delete the binary log that held its rows (index.sphinx.config.BINLOG_MAX) and a
    restart need not replay it. (Not FLUSH RAMCHUNK: the ranking UDF scores rows of disk
    chunks right, but Sphinx's own bm25f(), which a cluster without the UDF ranks with,
    scores them 0: index.sphinx.ranking.)"""
    for node in place.nodes:
        client.write(node, [f"FLUSH RTINDEX {meta_index(generation)}"])
    for shard, nodes in enumerate(place.copies):
        for node in nodes:
            client.write(node, [f"FLUSH RTINDEX {shard_index(generation, shard)}"])


def _quoted(value: object) -> str:
    return f"'{value}'"


def _literal(value: object) -> str:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(map(str, value)) + ")"
    return str(int(value))


class Counts:
    """What the vocabulary learns from rows as they are written."""

    def __init__(self) -> None:
        self.printed: dict[str, Counter] = {}
        self.frequencies: Counter = Counter()
        self.lengths: Counter = Counter()

    def add(self, values: dict[str, object], printed: dict[str, list[str]],
            tokens: dict[str, list[str]] | None = None) -> None:
        """Count a row; `tokens` (documents.analysed) spares splitting its fields again."""
        for field, found in printed.items():
            self.printed.setdefault(field, Counter()).update(set(found))
        if tokens is None:
            self.frequencies.update(tokens_of(values))
            self.lengths.update(lengths(values))
        else:
            self.frequencies.update(set(chain.from_iterable(tokens.values())))
            self.lengths.update({name: len(found) for name, found in tokens.items()})

    def words(self, count: int) -> tuple:
        return self.printed, self.frequencies, count, self.lengths


def feed(articles: Iterable[Article], feeder: Feeder,
          progress: Callable[[int], None] | None) -> tuple[int, Counts]:
    """Write every article's row to its shard's copies; (how many, what they hold)."""
    counts = Counts()
    fed = Fed(articles, progress)
    for article in fed:
        values, printed, tokens = analysed(article)
        feeder.add(article.id, values)
        counts.add(values, printed, tokens)
    feeder.flush()
    return fed.count, counts
