"""The sparse helpers of the Whoosh engine's fast paths agree with the plain dense
computations they replace: bitset -> document numbers, unions and intersections of
(documents, scores) with their scores added, and the intersection of posting lists with
each value's place in each list."""

from __future__ import annotations

import numpy as np
import pytest

from index.whoosh.facets import positions
from index.whoosh.phrases import _intersect_all
from index.whoosh.ranking import _both, _either

SIZE = 5003  # not a multiple of 8: the last byte is partly used


def _bits(docs: np.ndarray) -> int:
    flags = np.zeros(SIZE, dtype=bool)
    flags[docs] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def _sparse(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    docs = np.sort(rng.choice(SIZE, count, replace=False)).astype(np.int64)
    return docs, rng.random(count) * 10


def _dense(found: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    mask = np.zeros(SIZE, dtype=bool)
    mask[found[0]] = True
    scores = np.zeros(SIZE)
    scores[found[0]] = found[1]
    return mask, scores


@pytest.mark.parametrize("count", [0, 1, 7, 100, 1000, 4000, SIZE])
def test_positions_are_the_set_bits(count: int) -> None:
    docs = np.sort(np.random.default_rng(count).choice(SIZE, count, replace=False))
    bits = _bits(docs)
    raw = np.frombuffer(bits.to_bytes((SIZE + 8) // 8, "little"), dtype=np.uint8)
    expected = np.flatnonzero(np.unpackbits(raw, bitorder="little"))
    found = positions(bits, SIZE)
    assert found.tolist() == docs.tolist() == expected.tolist()


# short lists go through binary searches, long ones (for the span they cover) through
# dense arrays: both ways are compared
@pytest.mark.parametrize("sizes", [(0, 0), (0, 50), (50, 0), (5, 20), (20, 5), (40, 60),
                                   (3, 3000), (3000, 3), (200, 4000), (2000, 2500), (SIZE, 10)])
def test_union_and_intersection_match_dense_sums(sizes: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(sizes))
    a, b = _sparse(rng, sizes[0]), _sparse(rng, sizes[1])
    (mask_a, scores_a), (mask_b, scores_b) = _dense(a), _dense(b)
    union = _either(a, b)
    dense_union = scores_a + scores_b
    assert union[0].tolist() == np.flatnonzero(mask_a | mask_b).tolist()
    assert union[1].tolist() == dense_union[union[0]].tolist()  # to the bit
    both = _both(a, b)
    assert both[0].tolist() == np.flatnonzero(mask_a & mask_b).tolist()
    assert both[1].tolist() == dense_union[both[0]].tolist()


@pytest.mark.parametrize("sizes", [(10, 400, 300), (400, 10), (0, 30), (500, 500, 500, 20)])
def test_intersect_all_gives_each_list_place(sizes: tuple[int, ...]) -> None:
    rng = np.random.default_rng(len(sizes) + sum(sizes))
    lists = [_sparse(rng, n)[0] for n in sizes]
    lists.append(lists[0])  # a word repeated in the phrase
    candidates, places = _intersect_all(lists)
    expected = lists[0]
    for values in lists[1:]:
        expected = np.intersect1d(expected, values)
    assert candidates.tolist() == expected.tolist()
    if len(candidates):
        for values, at in zip(lists, places, strict=True):
            assert values[at].tolist() == candidates.tolist()
