"""Stories for the Whoosh engine: which documents are printings of one story, read once per
searcher from the `shared` field (only printings of a story printed more than once hold
it, so its lexicon is a few thousand clusters, not one term per article), as an array of
cluster ordinals by document number and a bitset of those documents. Counting the stories
among a search's matches is then a few numpy passes over the clustered matches alone."""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from index.collapse import distinct_count
from index.whoosh.facets import PerSearcher, facet_bits, positions

SHARED = "shared"  # index field: the cluster id of printings of a story printed 2+ times


class ClusterMap:
    """Per searcher: document number -> cluster ordinal (-1: the story's only printing)."""

    def __init__(self, searcher: Searcher):
        bits = facet_bits(searcher)
        self.size = bits.size
        self.ordinals = np.full(self.size, -1, dtype=np.int64)
        reader = searcher.reader()
        ordinal = 0
        if SHARED in reader.schema:
            for btext in reader.lexicon(SHARED):
                ids = np.fromiter(reader.postings(SHARED, btext).all_ids(), dtype=np.int64)
                self.ordinals[ids] = ordinal
                ordinal += 1
        self.clusters = ordinal
        self.clustered = bits.bits(np.flatnonzero(self.ordinals >= 0).tolist()) & bits.live
        # the whole archive's printings and stories: a first guess for a ranking's length
        self.documents = bits.live.bit_count()
        self.stories = self.count(bits.live)[0]

    def key(self, docnum: int) -> int:
        """The story of a document: its cluster's ordinal, or a key of its own (< 0)."""
        found = int(self.ordinals[docnum])
        return found if found >= 0 else -1 - docnum

    def count(self, matched: int) -> tuple[int, np.ndarray]:
        """(stories among the matched documents, matched printings per cluster ordinal)."""
        clustered = matched & self.clustered
        if not clustered:
            return matched.bit_count(), np.zeros(0, dtype=np.int64)
        ordinals = self.ordinals[positions(clustered, self.size)]
        distinct, counts = distinct_count(ordinals)
        return matched.bit_count() - clustered.bit_count() + distinct, counts

    def matched(self, docnum: int, counts: np.ndarray) -> int:
        """How many matched printings a document's story has (1 for a story alone)."""
        found = int(self.ordinals[docnum])
        return int(counts[found]) if 0 <= found < counts.size else 1


cluster_map = PerSearcher(ClusterMap)  # the searcher's ClusterMap, built on first use
