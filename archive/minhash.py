"""Near-duplicate signatures of article bodies: OCR-folded character shingles, one-permutation
MinHash (numpy), and the similarity estimates and LSH band keys computed from them.

Pure functions of the text, cheap enough to run beside parsing in the ingest workers.

How a body becomes a signature (signature()):
- Fold: lower case; characters OCR confuses are made one (0/o, 1/l/i/I/|, 5/s, e/c, rn/m,
  vv/w, cl/d); everything but letters and digits is dropped, spaces included, so words
  merged or split by the OCR or by a column join change nothing. In text that is nearly
  all ASCII the odd non-ASCII character (curly quotes, a pound sign, an accent) is dropped
  too; text in another script keeps its letters, lower-cased.
- Shingles: every run of SHINGLE_BYTES consecutive bytes of the folded text (about one and
  a half words), read as a uint64 and hashed (multiply, xor-shift, multiply).
- One-permutation MinHash with SLOTS bins (the top bits of a hash pick its bin, the least
  hash of each bin is kept, its next 16 bits stored), empty bins filled by optimal
  densification (Shrivastava 2017): one hash per shingle instead of one per shingle and
  slot, which is what makes it cheap (see bench/clustering.py for datasketch's cost).
  Similarity is estimated from these slots: the share of equal slots estimates Jaccard.
- The lead (the first LEAD_BYTES of folded text) gets LEAD_SLOTS slots of its own, from
  other hashes: LSH bands over it find a copy whose end was cut, which the whole body's
  Jaccard hides. They serve the band keys only.
- The number of the body's shingles is kept too, to estimate containment (a trimmed copy).
  Repeats count: news prose repeats few runs of 8 letters, so the count is within a few per
  cent of the distinct ones, which stores signed before this counted (both compare alike).
  Counting distinct shingles took a sort of each body, a third of the cost of signing, and
  changed no decision on bench/clustering.py (20k printings: the same pairs joined).

Layout: version byte, the body's shingles (uint32 LE), SLOTS + LEAD_SLOTS x uint16 LE.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence

import numpy as np

VERSION = 2
SLOTS = 128  # MinHash values of the body: the estimate's standard error is ~0.044 at 0.5
LEAD_BYTES = 600  # the lead: the first 600 folded bytes (~100 words), what a cut keeps
LEAD_SLOTS = 18  # MinHash values of the lead (18 bins of 128), for band keys only
SHINGLE_BYTES = 8  # a shingle: 8 bytes of folded text (one uint64, read without arithmetic)
BAND_ROWS = 3  # slots per LSH band
# Band rows cost the store most (an index row each, written and looked up per article):
# 12 bands, 6 of the body and 6 of the lead, gave the recall of 16 of the body alone. 8
# (5 + 3) cost the ingest's writer ~17% less CPU for clustering (a third fewer band rows
# to write and look up) for pairwise recall 0.976 instead of 0.988 on bench/clustering.py
# (20k printings; precision 0.999 both), lost mostly on copies under heavy OCR noise (88%
# joined instead of 93%) and cut ones (95% instead of 97%); 4 + 4 gave the same recall,
# 3 + 3 still 0.962.
BODY_BANDS = 5  # bands of body slots: P(candidate) = 1 - (1 - J^3)^5: 0.49 at J=0.5
LEAD_BANDS = 3  # bands of lead slots: a copy cut at the end keeps its lead whole
#                 (J ~0.85 under OCR noise: P 0.94)
BANDS = BODY_BANDS + LEAD_BANDS
# A band's number (in its keys' high bits): body bands from 0, lead bands from 6, as when
# there were 6 of each, so the band rows a store kept then still match the bands used now
# (the ones no longer used are only never looked up).
_BAND_NUMBERS = np.concatenate([np.arange(BODY_BANDS), 6 + np.arange(LEAD_BANDS)]
                               ).astype(np.int64) << (16 * BAND_ROWS)
MIN_WORDS = 30  # bodies shorter than this are not clustered: too little text to tell apart

_HEADER = struct.Struct("<BI")
SIZE = _HEADER.size + 2 * (SLOTS + LEAD_SLOTS)
_M1, _M2, _M3 = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB),
                 np.uint64(0xD6E8FEB86659FD93))
_S1, _S32, _S56 = np.uint64(1), np.uint64(32), np.uint64(56)
# One sort and one search serve the body and the lead: the body's hashes get the top bit 0,
# the lead's 1, so the top 8 bits make 128 bins of each; the slots kept are the body's
# 128 and the lead's first LEAD_SLOTS.
_TOP = np.uint64(1 << 63)
_STARTS = np.append(np.arange(2 * SLOTS, dtype=np.uint64) << _S56, np.uint64(2**64 - 1))
_KEEP = np.concatenate([np.arange(SLOTS), SLOTS + np.arange(LEAD_SLOTS)])
_PROBES = 64  # densification tries per empty bin before falling back to the next full bin
# For each bin, a fixed pseudo-random order of bins of its half to borrow from when it is
# empty: the same for every document, so two documents borrow alike (the estimator stays
# unbiased).
_PROBE = (np.random.default_rng(1977).integers(0, SLOTS, size=(2 * SLOTS, _PROBES))
          + (np.arange(2 * SLOTS) // SLOTS * SLOTS)[:, None]).astype(np.intp)

# Folding: ASCII upper to lower, the single characters OCR confuses to one, punctuation and
# spaces deleted (bytes.translate: one pass in C).
_FOLD = bytearray(range(256))
for _c in range(ord("A"), ord("Z") + 1):
    _FOLD[_c] = _c + 32
for _a, _b in {"0": "o", "O": "o", "1": "l", "I": "l", "i": "l", "|": "l", "5": "s",
               "E": "c", "e": "c"}.items():
    _FOLD[ord(_a)] = ord(_b)
_TABLE = bytes(_FOLD)
_DELETE = bytes(b for b in range(128) if not chr(b).isalnum() and chr(b) != "|")
_DELETE_HIGH = _DELETE + bytes(range(128, 256))
# Letter pairs OCR reads as one letter (and back), applied after the table (so "el" is "cl"
# by then, and folds to "d" too: harmless, both sides fold alike). Each costs a pass over
# the text (~3 us); the last two bought 0.7 points of recall in bench/clustering.py.
_PAIRS = ((b"rn", b"m"), (b"vv", b"w"), (b"cl", b"d"))
# Typographic marks news text is full of (UTF-8 is self-synchronising, so a character's
# bytes only match that character); other non-ASCII characters are kept as they are.
_MARKS = re.compile("|".join(re.escape(c) for c in "‘’“”–—…•«»،؛").encode())


def words(paragraphs: Sequence[str]) -> int:
    """Words in a body, as the store counts them (parts between spaces)."""
    # Finished paragraphs have their words parted by single spaces (archive.articles): the
    # store's word count, and 4x cheaper than split().
    return sum(p.count(" ") + 1 for p in paragraphs if p)


def fold(text: str) -> bytes:
    """The text as shingles see it: folded for case and OCR confusions, letters only."""
    data = text.encode("utf-8", "surrogatepass")
    extra = len(data) - len(text)  # bytes beyond one per character: non-ASCII is rare
    if not extra:
        data = data.translate(_TABLE, _DELETE)
    elif extra * 16 < len(text):  # ASCII text with typographic quotes, a £, an accent:
        data = data.translate(_TABLE, _DELETE_HIGH)  # drop them all, in one pass
    else:  # another script: its letters stay (lower() only here: the table lowers ASCII)
        data = _MARKS.sub(b"", text.lower().encode("utf-8", "surrogatepass"))
        data = data.translate(_TABLE, _DELETE)
    for pair, one in _PAIRS:
        data = data.replace(pair, one)
    return data


def signature(headline: str, paragraphs: Sequence[str]) -> bytes | None:
    """The body's near-duplicate signature, or None when it has fewer than MIN_WORDS words.

    The headline takes no part (a reprint often gets a new one); it is a parameter so that
    callers pass what they have and the rule can change without changing them."""
    del headline
    text = " ".join(paragraphs)
    # words(paragraphs), from the joined text in one pass: the joins add a space each
    if text.count(" ") + 1 - paragraphs.count("") < MIN_WORDS:
        return None
    return sketch(fold(text))


def sketch(data: bytes) -> bytes | None:
    """The signature of folded text (None when shorter than a shingle)."""
    size = len(data)
    if size < SHINGLE_BYTES:
        return None
    # Every run of 8 bytes as one little-endian uint64: a view with a stride of one byte
    # (no copy, no loop); multiply, xor-shift, multiply: each output bit hangs on every
    # input bit, and the first product is the one pass that reads the unaligned view.
    x = np.ndarray((size - SHINGLE_BYTES + 1,), "<u8", buffer=data, strides=(1,)) * _M1
    x ^= x >> _S32
    lead = x[:LEAD_BYTES - SHINGLE_BYTES + 1] * _M3  # other hashes: other samples
    lead >>= _S1
    lead |= _TOP
    x *= _M2
    x >>= _S1
    z = np.concatenate((x, lead))
    z.sort()
    # The least hash of each bin: sorted, it is the first at or after the bin's start.
    at = np.searchsorted(z, _STARTS)
    full = at[1:] > at[:-1]
    slots = (np.take(z, at[:-1], mode="clip") >> _S32).astype(np.uint16)  # 16 bits kept
    if not full[_KEEP].all():  # optimal densification: borrow along the bin's probe order
        empty = _KEEP[~full[_KEEP]]
        probes = _PROBE[empty]
        hit = full[probes]
        chosen = probes[np.arange(empty.size), hit.argmax(axis=1)]
        missed = ~hit.any(axis=1)
        for index in np.flatnonzero(missed):  # all probes empty (a tiny text): the next
            half = empty[index] // SLOTS * SLOTS  # full bin of its half, circularly
            order = half + np.flatnonzero(full[half:half + SLOTS])
            chosen[index] = order[np.searchsorted(order, empty[index]) % order.size]
        slots[empty] = slots[chosen]
    return _HEADER.pack(VERSION, min(x.size, 0xFFFFFFFF)) + slots[_KEEP].astype(
        "<u2").tobytes()


def unpack(sig: bytes) -> tuple[int, np.ndarray]:
    """(the body's shingles, slots) of a signature."""
    version, count = _HEADER.unpack_from(sig)
    if version != VERSION or len(sig) != SIZE:
        raise ValueError(f"not a version-{VERSION} signature ({len(sig)} bytes)")
    return count, np.frombuffer(sig, "<u2", SLOTS, _HEADER.size)  # the body's slots


def jaccard(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two bodies' shingle sets (a multiple of 1/SLOTS)."""
    return int(np.count_nonzero(unpack(a)[1] == unpack(b)[1])) / SLOTS


def containment(size_a: int, size_b: int, jaccard: float) -> float:
    """Estimated share of the smaller shingle set found in the larger one."""
    if jaccard <= 0.0:
        return 0.0
    shared = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, shared / max(1, min(size_a, size_b)))


def band_keys(slots: np.ndarray) -> np.ndarray:
    """LSH keys of unpacked signatures' slots (n, SLOTS + LEAD_SLOTS) -> (n, BANDS): the
    band number in the high bits, the band's BAND_ROWS 16-bit slots below (exact: keys
    collide only when the slots do). Body bands first, then lead bands."""
    chosen = np.concatenate([slots[:, : BODY_BANDS * BAND_ROWS],
                             slots[:, SLOTS: SLOTS + LEAD_BANDS * BAND_ROWS]], axis=1)
    values = chosen.astype(np.int64).reshape(-1, BANDS, BAND_ROWS)
    keys = np.zeros(values.shape[:2], np.int64)
    for row in range(BAND_ROWS):
        keys = (keys << 16) | values[:, :, row]
    return keys | _BAND_NUMBERS


# When two bodies count as printings of one story (J: estimated Jaccard of the shingle sets;
# containment: the share of the smaller set in the larger). Calibrated on the corpus of
# bench/reprints.py (20k printings): copies under OCR noise score J 0.6-0.95, a copy with
# its last paragraph cut 0.4-0.85 with containment mostly above 0.8; of 7,377 pairs of
# different stories on one topic or sharing a paragraph of background, 21 score J above 0.4
# and 152 containment above 0.7 (a short story that is mostly the shared paragraph). The
# rule took 99.3% of the copy pairs and 24 of those near-miss pairs.
SAME_JACCARD = 0.5  # alike enough on their own
CONTAINED = 0.8  # or most of the shorter body lies in the longer one (a trimmed copy) ...
CONTAINED_JACCARD = 0.3  # ... and they still share this much (not a brief inside a feature)


def unpack_many(sigs: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(the bodies' shingles, slots) of many signatures: arrays of shape (n,) and
    (n, SLOTS + LEAD_SLOTS); similarity is the first SLOTS columns'."""
    if not sigs:
        return np.zeros(0, np.int64), np.zeros((0, SLOTS + LEAD_SLOTS), np.uint16)
    rows = np.frombuffer(b"".join(sigs), np.uint8).reshape(len(sigs), SIZE)
    if (rows[:, 0] != VERSION).any():
        raise ValueError(f"not a version-{VERSION} signature")
    sizes = rows[:, 1:_HEADER.size].copy().view("<u4")[:, 0].astype(np.int64)
    return sizes, rows[:, _HEADER.size:].copy().view("<u2")


def similarities(sig: bytes, others: Sequence[bytes]) -> list[float]:
    """jaccard() of one signature with each of others."""
    if not others:
        return []
    _, slots = unpack_many(others)
    return (np.count_nonzero(slots[:, :SLOTS] == unpack(sig)[1], axis=1) / SLOTS).tolist()


def compare(sizes_a: np.ndarray, slots_a: np.ndarray, sizes_b: np.ndarray,
            slots_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(estimated Jaccard, same story) of row-aligned pairs of unpacked signatures."""
    similar = np.count_nonzero(slots_a[:, :SLOTS] == slots_b[:, :SLOTS], axis=1) / SLOTS
    shared = similar * (sizes_a + sizes_b) / (1.0 + similar)
    contained = shared / np.maximum(1, np.minimum(sizes_a, sizes_b))
    same = (similar >= SAME_JACCARD) | ((contained >= CONTAINED)
                                        & (similar >= CONTAINED_JACCARD))
    return similar, same
