"""minhash.signature() of many bodies at once: the same bytes, with numpy called a few times
per batch instead of some twenty times per body.

Why: a signature's arithmetic on a ~2 KB body takes a few microseconds; per-call overhead,
bytes.replace passes and allocations took most of the ~100 us a page cost the reading
workers of an ingest (see bench/clustering.py). Here each text is folded by one
bytes.translate (a table in numpy costs more per byte), the folded texts are laid one
after another with a separator, OCR letter pairs are found in the batch by SIMD
comparisons, and each bin's least hash comes from one scatter-minimum (np.minimum.at) over
the batch instead of a sort of each body's hashes and its bins.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

from archive.minhash import (
    _DELETE,
    _DELETE_HIGH,
    _KEEP,
    _M1,
    _M2,
    _M3,
    _MARKS,
    _PAIRS,
    _PROBE,
    _S1,
    _S32,
    _TABLE,
    _TOP,
    LEAD_BYTES,
    MIN_WORDS,
    SHINGLE_BYTES,
    SLOTS,
    VERSION,
)

_HEADER = struct.Struct("<BI")
# Folded bytes sketched in one numpy pass: its arrays take ~40 bytes a byte, so a worker's
# chunk of METS issues (thousands of articles) is sketched in parts of bounded memory.
_BATCH_BYTES = 1 << 18
_LEAD = LEAD_BYTES - SHINGLE_BYTES + 1  # shingles of a whole lead
_BINS = 2 * SLOTS  # a body's bins, then its lead's (minhash.sketch's top 8 bits)
_EMPTY = np.uint64(2**64 - 1)  # no hash in the bin (a lead hash this high: p = 2**-63)
_S56 = np.uint64(56)
_LOW16 = np.uint64(0xFFFF)

_END = b"\xff"  # after each folded text in a batch: a byte UTF-8 never holds
# A letter pair's first letter -> the one letter it becomes (minhash._PAIRS).
_BECOMES = np.arange(256, dtype=np.uint8)
for _pair, _one in _PAIRS:
    _BECOMES[_pair[0]] = _one[0]
assert len({p[0] for p, _ in _PAIRS}) == len(_PAIRS), "one pair for each first letter"


def signatures(bodies: Sequence[Sequence[str]], words: Sequence[int] | None = None
               ) -> list[bytes | None]:
    """minhash.signature(headline, paragraphs) of each body (its paragraphs), in order.

    words: each body's minhash.words(), when the caller has it (an Article's word_count):
    counting the words again costs a pass over the text."""
    found: list[bytes | None] = [None] * len(bodies)
    texts, which = [], []
    for number, paragraphs in enumerate(bodies):
        if words is not None:
            if words[number] < MIN_WORDS:
                continue
            text = " ".join(paragraphs)
        else:
            text = " ".join(paragraphs)
            # minhash.words() from the joined text in one pass, as minhash.signature counts
            if text.count(" ") + 1 - paragraphs.count("") < MIN_WORDS:
                continue
        texts.append(text)
        which.append(number)
    start = 0
    while start < len(texts):  # batches of at most _BATCH_BYTES (the last may exceed it)
        end, size = start, 0
        while end < len(texts) and (size < _BATCH_BYTES or end == start):
            size += len(texts[end])
            end += 1
        for number, sig in zip(which[start:end], _signed(texts[start:end]), strict=True):
            found[number] = sig
        start = end
    return found


def _signed(texts: list[str]) -> list[bytes | None]:
    """The signatures of joined bodies (None: folded shorter than a shingle)."""
    data, sizes = _fold(texts)
    sigs: list[bytes | None] = [None] * len(texts)
    long = sizes >= SHINGLE_BYTES
    for number, sig in zip(np.flatnonzero(long).tolist(), _sketches(data, sizes, long),
                           strict=True):
        sigs[number] = sig
    return sigs


def _fold(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """minhash.fold() of each text: (the folded texts one after another, each followed by
    _END, as an array; each text's folded length)."""
    folded = []
    for text in texts:  # bytes.translate: one pass in C, cheaper than a table in numpy
        data = text.encode("utf-8", "surrogatepass")
        extra = len(data) - len(text)
        if not extra:
            folded.append(data.translate(_TABLE, _DELETE))
        elif extra * 16 < len(text):
            folded.append(data.translate(_TABLE, _DELETE_HIGH))
        else:
            folded.append(_MARKS.sub(b"", text.lower().encode("utf-8", "surrogatepass")
                                     ).translate(_TABLE, _DELETE))
    # _END after each text (never in UTF-8): no letter pair and no shingle spans two texts
    joined = np.frombuffer(_END.join(folded) + _END, np.uint8)
    pairs = _pairs(joined)
    if pairs.size:  # a pair's first letter becomes the one letter; its second goes
        joined = joined.copy()
        joined[pairs] = _BECOMES[joined[pairs]]
        keep = np.ones(joined.size, bool)
        keep[pairs + 1] = False
        joined = joined[keep]
    ends = np.flatnonzero(joined == _END[0])
    return joined, np.diff(ends, prepend=-1) - 1


def _pairs(data: np.ndarray) -> np.ndarray:
    """Where minhash.fold's letter pairs start in folded bytes, as bytes.replace finds them
    pair after pair: no two pairs share a letter, and no letter a pair becomes starts or
    ends one, so one look finds them all; only "vv" overlaps itself ("vvv" is "wv")."""
    found = np.zeros(data.size - 1, bool)
    for (a, b), _ in _PAIRS:  # comparisons run in SIMD; a table lookup per byte does not
        found |= (data[:-1] == a) & (data[1:] == b)
    at = np.flatnonzero(found)
    if at.size > 1:
        chained = np.flatnonzero(at[1:] == at[:-1] + 1)  # only a letter paired with itself
        if chained.size:
            taken = np.ones(at.size, bool)
            for index in (chained + 1).tolist():  # rare: runs of a letter three long
                taken[index] = not taken[index - 1]
            at = at[taken]
    return at


def _sketches(data: np.ndarray, sizes: np.ndarray, long: np.ndarray) -> list[bytes]:
    """minhash.sketch() of the long texts (at least SHINGLE_BYTES) among folded ones laid
    in data as _fold lays them."""
    if not long.any():
        return []
    starts = np.cumsum(sizes + 1) - sizes - 1
    total = data.size
    padded = np.concatenate([data, np.zeros(SHINGLE_BYTES, np.uint8)])
    # Every run of 8 bytes of the batch hashed as minhash.sketch does; the runs that reach
    # past their text (the last SHINGLE_BYTES - 1 of it, and its _END) go to a bin of their
    # own, as do all of a short text's.
    x = np.ndarray((total,), "<u8", buffer=padded, strides=(1,)) * _M1
    x ^= x >> _S32
    n = int(np.count_nonzero(long))
    sizes, starts = sizes[long], starts[long]
    body = sizes - SHINGLE_BYTES + 1
    leads = np.minimum(body, _LEAD)
    lead_at = np.arange(int(leads.sum())) + np.repeat(starts - (np.cumsum(leads) - leads),
                                                       leads)
    lead = x[lead_at] * _M3
    lead >>= _S1
    lead |= _TOP
    x *= _M2
    x >>= _S1
    # The least hash of each (text, bin): bins are the top 8 bits (the lead's from SLOTS).
    where = (x >> _S56).view(np.intp)  # (astype copied it, slowly)
    owner = np.full(total, n * _BINS, np.intp)  # the bin of runs that count for no text
    for begin, end, offset in zip(starts.tolist(), (starts + body).tolist(),
                                  range(0, n * _BINS, _BINS), strict=True):
        owner[begin:end] = offset
    where += owner
    least = np.full(n * _BINS + _BINS, _EMPTY)
    np.minimum.at(least, where, x)
    where = (lead >> _S56).view(np.intp)
    where += np.repeat(np.arange(0, n * _BINS, _BINS), leads)
    np.minimum.at(least, where, lead)
    least = least[:n * _BINS].reshape(n, _BINS)
    full = least != _EMPTY
    slots = ((least >> _S32) & _LOW16).astype(np.uint16)  # minhash.sketch's 16 bits
    kept_full = full[:, _KEEP]
    if not kept_full.all():  # optimal densification, as minhash.sketch, row by row
        rows, cols = np.nonzero(~kept_full)
        empty = _KEEP[cols]
        probes = _PROBE[empty]
        hit = full[rows[:, None], probes]
        chosen = probes[np.arange(empty.size), hit.argmax(axis=1)]
        for index in np.flatnonzero(~hit.any(axis=1)):
            half = empty[index] // SLOTS * SLOTS
            order = half + np.flatnonzero(full[rows[index], half:half + SLOTS])
            chosen[index] = order[np.searchsorted(order, empty[index]) % order.size]
        slots[rows, empty] = slots[rows, chosen]
    packed = slots[:, _KEEP].astype("<u2").tobytes()
    width = 2 * _KEEP.size
    return [_HEADER.pack(VERSION, min(count, 0xFFFFFFFF)) + packed[i * width:(i + 1) * width]
            for i, count in enumerate(body.tolist())]
