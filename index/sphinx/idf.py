"""Collection-wide term statistics for Sphinx's `global_idf`: without them each shard ranks
with its own document frequencies, so the first page would depend on the shard count.

The file is what `indextool --buildidf` writes (Sphinx 2.2 src/indextool.cpp): the total
document count as a little-endian int64, then (FNV-1a 64 of the keyword, documents
holding it) as packed uint64 + uint32, sorted by hash. We write it ourselves from the
tokens we fed (index.sphinx.documents.tokens_of): the tokens are ours, so are their
counts. searchd rereads it on SIGHUP when its modification time (in whole seconds) changed.

Sphinx 2.2.11 swaps its IDF flavours on the global path: with global_idf=1, idf='plain'
computes log((N-n+1)/n) and idf='normalized' computes log(N/n). Queries ask for
'normalized' to get the plain, never negative log(N/n) (index.sphinx.engine.RANKING)."""

from __future__ import annotations

import math
import os
import random
import struct
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from index.sphinx.config import meta_index
from index.sphinx.documents import NOTHING

if TYPE_CHECKING:  # annotations only: the cluster module imports this one
    from index.sphinx.client import Client

_FNV_SEED = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK = (1 << 64) - 1
_ENTRY = struct.Struct("<QI")
PROBE_SCALE = 1_000_000


def fnv64(word: str) -> int:
    """Sphinx's sphFNV64 of a keyword (its UTF-8 bytes)."""
    value = _FNV_SEED
    for byte in word.encode("utf-8"):
        value = ((value ^ byte) * _FNV_PRIME) & _MASK
    return value


def write(path: Path, total: int, frequencies: Iterable[tuple[str, int]]) -> None:
    """Write an IDF file of `total` documents and (keyword, documents) pairs, atomically,
    with a modification time searchd will see as new."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = sorted((fnv64(word), min(docs, 0xFFFFFFFF)) for word, docs in frequencies)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as out:
        out.write(struct.pack("<q", total))
        out.write(b"".join(_ENTRY.pack(key, docs) for key, docs in entries))
    before = int(path.stat().st_mtime) if path.exists() else None
    os.replace(temporary, path)
    now = time.time()
    if before is not None and int(now) <= before:  # same second: searchd would not reload
        os.utime(path, (now, before + 1))


def write_empty(path: Path) -> None:
    """An IDF file of no documents, for searchd to start with (it ignores a file without
    any keyword; one no row holds keeps it loaded)."""
    write(path, 0, [(NOTHING, 1)])


def probe() -> tuple[str, int]:
    """A keyword no row holds and a document count for it, new for each file written:
    the generation's meta index (index.sphinx.config) holds it, so a node shows whether it
    has loaded this very file (loaded())."""
    return f"p{uuid.uuid4().hex[:16]}", random.randint(2, 1000)


def expected(total: int, docs: int) -> int:
    """The probe's WEIGHT() once the file is loaded (see loaded())."""
    count = max(total, docs)
    idf = math.log((count - docs + 1) / docs) / (2 * math.log(1 + count))
    return round((1 + idf) * PROBE_SCALE)


def loaded(client: Client, nodes: Iterable[str], generation: int, total: int,
           keyword: tuple[str, int], timeout: float) -> bool:
    """Wait until every node ranks with the file holding the probe `keyword` (a SIGHUP
    has them reload it within a moment); whether they all do. The probe's IDF on the
    global path asked for as 'plain' (see above) is log((N - n + 1)/n)/(2 log(1 + N)),
    n the probe's made-up count: it differs from file to file. (WEIGHT() is unsigned:
    the probe adds one.)"""
    want = expected(total, keyword[1])
    pending = set(nodes)
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for node in sorted(pending):
            rows = client.write(node, [
                f"SELECT WEIGHT() AS w FROM {meta_index(generation)} "
                f"WHERE MATCH('{keyword[0]}') LIMIT 1 OPTION "
                f"ranker=expr('{PROBE_SCALE}+sum(max_idf)*{PROBE_SCALE}'), "
                "idf='plain,tfidf_unnormalized', global_idf=1"])[0]
            if rows and abs(rows[0][0] - want) <= 2:
                pending.discard(node)
        if pending:
            time.sleep(0.02)
    return not pending
