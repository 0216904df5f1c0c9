"""minhash.signature() of many bodies at once: the same bytes, with numpy called a few times
per batch instead of some twenty times per body.

Why: a signature's arithmetic on a ~2 KB body takes a few microseconds; numpy's per-call
overhead took most of the ~60 us a body cost, in the reading workers of every ingest (see
bench/clustering.py). Only the sorts stay per body: sorting each body's hashes is cheaper
than one sort of all.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

from archive.minhash import (
    _KEEP,
    _M1,
    _M2,
    _M3,
    _PROBE,
    _S1,
    _S32,
    _S56,
    _TOP,
    LEAD_BYTES,
    MIN_WORDS,
    SHINGLE_BYTES,
    SLOTS,
    VERSION,
    fold,
)

_HEADER = struct.Struct("<BI")
# Folded bytes sketched in one numpy pass: its arrays take ~30 bytes a byte, so a worker's
# chunk of METS issues (thousands of articles) is sketched in parts of bounded memory.
_BATCH_BYTES = 1 << 18
_LEAD = LEAD_BYTES - SHINGLE_BYTES + 1  # shingles of a whole lead
_LAST = np.uint64(2**64 - 1)  # minhash.sketch's last bin ends before this value


def signatures(bodies: Sequence[Sequence[str]]) -> list[bytes | None]:
    """minhash.signature(headline, paragraphs) of each body (its paragraphs), in order."""
    found: list[bytes | None] = [None] * len(bodies)
    texts, which = [], []
    for number, paragraphs in enumerate(bodies):
        text = " ".join(paragraphs)
        # minhash.words() from the joined text in one pass, as minhash.signature counts
        if text.count(" ") + 1 - paragraphs.count("") >= MIN_WORDS:
            texts.append(text)
            which.append(number)
    # Folding stays per text: it is one pass in C over the bytes, and folding a batch's
    # texts joined measured no cheaper.
    signed = [(number, data) for number, data in zip(which, map(fold, texts), strict=True)
              if len(data) >= SHINGLE_BYTES]
    start = 0
    while start < len(signed):  # batches of at most _BATCH_BYTES (the last may exceed it)
        end, size = start, 0
        while end < len(signed) and (size < _BATCH_BYTES or end == start):
            size += len(signed[end][1])
            end += 1
        part = signed[start:end]
        for (number, _), sig in zip(part, _sketches([d for _, d in part]), strict=True):
            found[number] = sig
        start = end
    return found


def _sketches(texts: list[bytes]) -> list[bytes]:
    """minhash.sketch() of folded texts, each at least SHINGLE_BYTES long."""
    if not texts:
        return []
    n = len(texts)
    sizes = np.fromiter(map(len, texts), np.int64, n)
    ends = np.cumsum(sizes)
    starts = ends - sizes
    total = int(ends[-1])
    data = b"".join(texts) + bytes(SHINGLE_BYTES)  # the last runs read padding, not past
    # Every run of 8 bytes of the batch hashed as minhash.sketch does; the runs that span
    # two texts (the last SHINGLE_BYTES - 1 of each text's place) are left out below.
    x = np.ndarray((total,), "<u8", buffer=data, strides=(1,)) * _M1
    x ^= x >> _S32
    body = sizes - SHINGLE_BYTES + 1
    leads = np.minimum(body, _LEAD)
    lead_ends = np.cumsum(leads)
    lead_starts = lead_ends - leads
    lead = x[np.arange(int(lead_ends[-1])) + np.repeat(starts - lead_starts, leads)] * _M3
    lead >>= _S1
    lead |= _TOP
    x *= _M2
    x >>= _S1
    # The body's hashes (top bit 0) and the lead's (1) sort apart as they would together.
    for begin, end in zip(starts.tolist(), (starts + body).tolist(), strict=True):
        x[begin:end].sort()
    for begin, end in zip(lead_starts.tolist(), lead_ends.tolist(), strict=True):
        lead[begin:end].sort()
    # Hashes per (text, bin); the runs spanning two texts, and a lead hash equal to _LAST
    # (past minhash.sketch's last bin), count in an extra bin SLOTS.
    bins = (x >> _S56).astype(np.int64)
    bins[((starts + body)[:, None] + np.arange(SHINGLE_BYTES - 1)).ravel()] = SLOTS
    owner = np.repeat(np.arange(0, n * (SLOTS + 1), SLOTS + 1), sizes)
    counts = np.bincount(owner + bins, minlength=n * (SLOTS + 1)).reshape(n, SLOTS + 1)
    lead_bins = (lead >> _S56).astype(np.int64) - SLOTS + (lead == _LAST)
    lead_owner = np.repeat(np.arange(0, n * (SLOTS + 1), SLOTS + 1), leads)
    lead_counts = np.bincount(lead_owner + lead_bins,
                              minlength=n * (SLOTS + 1)).reshape(n, SLOTS + 1)
    # The least hash of a bin is its first, sorted: at the count of the bins before it.
    firsts = np.cumsum(counts, axis=1) - counts + starts[:, None]
    lead_firsts = np.cumsum(lead_counts, axis=1) - lead_counts + lead_starts[:, None]
    full = np.concatenate([counts[:, :SLOTS] > 0, lead_counts[:, :SLOTS] > 0], axis=1)
    slots = (np.concatenate([np.take(x, firsts[:, :SLOTS], mode="clip"),
                             np.take(lead, lead_firsts[:, :SLOTS], mode="clip")], axis=1)
             >> _S32).astype(np.uint16)
    # Distinct body hashes: 1 + the places where a sorted body's next hash differs.
    steps = np.flatnonzero(x[1:] != x[:-1])  # (a cumsum of the booleans cost 10x more)
    distinct = (np.searchsorted(steps, starts + body - 1) - np.searchsorted(steps, starts)
                + 1).tolist()
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
            for i, count in enumerate(distinct)]
