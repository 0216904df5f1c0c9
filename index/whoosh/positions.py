"""The phrase position store: per segment, one file (`<segment id>.phr`) holding, for each
frequent term of a positional field, its documents, weights and positions as flat arrays,
written by the writing codec (index.whoosh.codec) as Whoosh writes the term's postings,
and read by offset (os.pread: the page cache holds it, shared by every process, not the
searcher). Whoosh's own postings keep a term's documents, weights and positions in one
zlib-compressed pickle per block of 128: reading a frequent word's documents meant
decompressing and unpickling all its positions too, most of the time of a phrase search.

Only terms in at least MIN_DOCS documents of a segment are stored (rarer ones are one
Whoosh block: cheap as they are), which keeps the directory each searcher loads small. A
segment without the file (an index built before it existed) is read from Whoosh's
postings, as before: results are the same either way (tests/test_whoosh_positions.py)."""

from __future__ import annotations

import os
import pickle
import struct
from dataclasses import dataclass
from itertools import chain

import numpy as np
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import OverlayStorage
from whoosh.formats import Positions
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE

from index.whoosh.facets import PerSearcher

EXTENSION = ".phr"
MIN_DOCS = 128  # a term in fewer documents of a segment is read from Whoosh's postings
_MAGIC = b"NAP1"
_TAIL = struct.Struct("<4sQ")  # magic, offset of the pickled directory
# directory: (field, term bytes) -> (offset, documents, positions, bytes per position)
Entry = tuple[int, int, int, int]


@dataclass(frozen=True)
class TermPositions:
    """One term in one segment: segment document numbers (ascending), their weights, and
    their positions, those of docs[i] being positions[ends[i - 1]:ends[i]] (ascending)."""

    docs: np.ndarray
    weights: np.ndarray
    ends: np.ndarray
    positions: np.ndarray


def decode_all(values: list[bytes]) -> list[list[int]]:
    """Whoosh Positions values (a count, then a pickled list of deltas each) -> position
    deltas: one pickle.loads of them all as one list (their PROTO headers and STOP opcodes
    cut) costs a fraction of one call each."""
    if not values:
        return []
    body = b"".join(v[_INT_SIZE + 2:-1] if v.endswith(b".") else v[_INT_SIZE + 2:]
                    for v in values)
    return pickle.loads(b"\x80\x02](" + body + b"e.")


def flatten(deltas: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per-posting position deltas -> (ends, positions) as TermPositions holds them."""
    counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    ends = np.cumsum(counts)
    total = int(ends[-1]) if len(ends) else 0
    flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=total)
    running = np.cumsum(flat)
    # each posting's deltas start from 0: subtract the running sum before its first
    before = np.zeros(len(counts), dtype=np.int64)
    before[1:] = running[ends[:-1] - 1] if total else 0
    return ends, running - np.repeat(before, counts)


class TermCollector:
    """Collects a positional field's postings as Whoosh's field writer is given them and
    writes the store of one segment on close (to a temporary name, renamed when whole)."""

    def __init__(self, path: str):
        self.path = path
        self._file = None
        self._directory: dict[tuple[str, bytes], Entry] = {}
        self._key: tuple[str, bytes] | None = None
        self.docs: list[int] = []
        self.weights: list[float] = []
        self.values: list[bytes] = []

    def start(self, field: str, text: bytes) -> None:
        self._key = (field, text)
        self.docs, self.weights, self.values = [], [], []

    def finish(self) -> None:
        if self._key is None or len(self.docs) < MIN_DOCS:
            self._key = None
            return
        ends, positions = flatten(decode_all(self.values))
        width = 2 if not len(positions) or positions.max() < 1 << 16 else 4
        if self._file is None:
            self._file = open(self.path + ".tmp", "wb")  # noqa: SIM115 (closed in close())
        offset = self._file.tell()
        for array in (np.asarray(self.docs, dtype="<i4"),
                      np.asarray(self.weights, dtype="<f4"),
                      ends.astype("<u4"), positions.astype("<u2" if width == 2 else "<u4")):
            self._file.write(array.tobytes())
        self._directory[self._key] = (offset, len(self.docs), len(positions), width)
        self._key = None

    def close(self) -> None:
        if self._file is None:
            if not self._directory:
                return
            self._file = open(self.path + ".tmp", "wb")  # noqa: SIM115
        start = self._file.tell()
        self._file.write(pickle.dumps(self._directory, protocol=pickle.HIGHEST_PROTOCOL))
        self._file.write(_TAIL.pack(_MAGIC, start))
        self._file.close()
        os.replace(self.path + ".tmp", self.path)


class SegmentPositions:
    """The store of one segment, read by offset: a file of its own, or a part of the
    segment's compound file (`base`, `size`: where in it)."""

    def __init__(self, path: str, base: int = 0, size: int | None = None):
        self._fd = os.open(path, os.O_RDONLY)
        self._base = base
        size = os.fstat(self._fd).st_size - base if size is None else size
        magic, start = _TAIL.unpack(self._read(_TAIL.size, size - _TAIL.size))
        if magic != _MAGIC:
            os.close(self._fd)
            raise ValueError(f"not a phrase position store: {path}")
        self.directory: dict[tuple[str, bytes], Entry] = pickle.loads(
            self._read(size - _TAIL.size - start, start))

    def _read(self, length: int, offset: int) -> bytes:
        return os.pread(self._fd, length, self._base + offset)

    def __del__(self):
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)

    def get(self, field: str, text: bytes, positions: bool = True) -> TermPositions | None:
        """The term's arrays (without positions: only its documents and weights read),
        None when this segment does not store it."""
        entry = self.directory.get((field, text))
        if entry is None:
            return None
        offset, count, npos, width = entry
        raw = self._read(12 * count + width * npos if positions else 8 * count, offset)
        docs = np.frombuffer(raw, dtype="<i4", count=count)
        weights = np.frombuffer(raw, dtype="<f4", count=count, offset=4 * count)
        if not positions:
            return TermPositions(docs, weights, np.zeros(0, dtype="<u4"),
                                 np.zeros(0, dtype="<u4"))
        ends = np.frombuffer(raw, dtype="<u4", count=count, offset=8 * count)
        found = np.frombuffer(raw, dtype="<u2" if width == 2 else "<u4", count=npos,
                              offset=12 * count)
        return TermPositions(docs, weights, ends, found)


class Stores:
    """Per searcher: the position store of each of its segments (None: it has none)."""

    def __init__(self, searcher: Searcher):
        self.segments = [_open(leaf.reader()) for leaf, _ in searcher.leaf_searchers()]


def _open(reader) -> SegmentPositions | None:
    """A segment's store: its own file, or (a small segment) a part of its compound file
    (Whoosh packs every file of the segment into one); a folder index only."""
    segment = reader.segment() if reader.is_atomic() else None
    storage = getattr(reader, "_storage", None)
    if segment is None or storage is None:
        return None
    name = segment.make_filename(EXTENSION)
    if isinstance(storage, OverlayStorage) and isinstance(storage.a, CompoundStorage):
        folder = getattr(storage.b, "folder", None)
        if isinstance(folder, str) and name in storage.a._dir:
            base, size = storage.a.range(name)
            return SegmentPositions(os.path.join(folder, segment.make_filename(
                segment.COMPOUND_EXT)), base, size)
        storage = storage.b
    folder = getattr(storage, "folder", None)
    if isinstance(folder, str) and os.path.exists(os.path.join(folder, name)):
        return SegmentPositions(os.path.join(folder, name))
    return None


stores = PerSearcher(Stores)


def stored_format(format_) -> bool:
    """Whether a field's postings are what this store decodes (Whoosh's Positions)."""
    return type(format_) is Positions
