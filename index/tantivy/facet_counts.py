"""Exact facet counts for the tantivy engine: terms aggregations on fast fields, and what
can be known without one.

Each facet's counts apply every filter but its own, so a reader can add a second value
(OR) and see what it would bring: one aggregation for the facets without a selection, one
per facet with one. Each facet costs a pass over the hits' column (~2 ms per 400,000
hits), so what can be known without one is not aggregated: a facet with one value in
every article (one publication, one language) or in none, the years (sums of the months)
and the OCR levels (sums of the one best level of each hit). Agencies, several to an item,
are counted from one value per item (schema.AGENCY_SET)."""

from __future__ import annotations

from pathlib import Path

import tantivy

from index import pipeline, results
from index.engine import FACETS, SearchRequest
from index.quality import cumulative
from index.tantivy.query import filters, restrict
from index.tantivy.schema import (
    AGENCY_SEPARATOR,
    AGENCY_SET,
    FACET_FIELDS,
    NO_VALUE,
    OCR_BAND,
    Stamp,
    index_fields,
)

FACET_BUCKETS = 65_000  # tantivy's default bucket limit; our facets have far fewer values


class FacetCounter:
    """The facet counts of the commits of one index folder; what each commit tells once
    (its constant facets, its fields) is kept for it."""

    def __init__(self, path: Path):
        self.path = path
        self._constants: tuple[Stamp, dict[str, str | None]] = (None, {})
        self._fields: tuple[Stamp, frozenset[str]] = (None, frozenset())

    def counts(self, searcher: tantivy.Searcher, stamp: Stamp, schema: tantivy.Schema,
               query: tantivy.Query, request: SearchRequest, total: int) -> results.Counts:
        """Facet name -> value -> matches, for a request whose query (without its
        filters) is `query` and whose hits number `total`."""
        counts: results.Counts = {}
        for names, skip in pipeline.facet_groups(request):
            if skip is None:  # the whole request's query: its count is `total`
                constant = self._constant(searcher, stamp)
                for name in [n for n in names if n in constant]:
                    value = constant[name]
                    counts[name] = {value: total} if value is not None and total else {}
                    names.remove(name)
            years = "year" in names and "month" in names
            if years:
                names.remove("year")
            if not names:
                continue
            sets = "agency" in names and AGENCY_SET in self._fields_of(stamp)
            aggs = {n: {"terms": {"field": _counted_field(n, sets), "size": FACET_BUCKETS}}
                    for n in names}
            narrowed = restrict(query, filters(schema, request, skip))
            found = searcher.aggregate(narrowed, aggs)
            for name in names:
                counts[name] = _values(found[name])
            if sets:
                counts["agency"] = _agencies(searcher, narrowed, found["agency"])
            if "ocr" in names:
                counts["ocr"] = cumulative(counts["ocr"])
            if years:
                counts["year"] = pipeline.years_of(counts["month"])
        return counts

    def _constant(self, searcher: tantivy.Searcher, stamp: Stamp) -> dict[str, str | None]:
        """Facets whose count needs no aggregation, in the commit `searcher` sees: name ->
        the one value every article has, or None when no article has any."""
        cached, constant = self._constants
        if cached != stamp or stamp is None:
            aggs = {n: {"terms": {"field": FACET_FIELDS[n], "size": 2}} for n in FACETS}
            found = searcher.aggregate(tantivy.Query.all_query(), aggs)
            constant = {}
            for name in FACETS:
                buckets = [b for b in found[name]["buckets"] if b["key"] != NO_VALUE]
                if not buckets:  # (the top two of a column with gaps hold its gap)
                    constant[name] = None
                elif len(buckets) == 1 and buckets[0]["doc_count"] == searcher.num_docs:
                    constant[name] = buckets[0]["key"]
            self._constants = (stamp, constant)
        return constant

    def _fields_of(self, stamp: Stamp) -> frozenset[str]:
        """The fields of the commit with this stamp (an index built before a field was
        added lacks it)."""
        cached, fields = self._fields
        if cached != stamp or stamp is None:
            fields = index_fields(self.path)
            self._fields = (stamp, fields)
        return fields


def _counted_field(facet: str, agency_sets: bool) -> str:
    """The column a facet's terms aggregation counts."""
    if facet == "ocr":
        return OCR_BAND
    return AGENCY_SET if facet == "agency" and agency_sets else FACET_FIELDS[facet]


def _agencies(searcher: tantivy.Searcher, query: tantivy.Query, found: dict) -> dict[str, int]:
    """Agency -> matches, from the counts of the agency sets; from the `agency` column
    itself in the unlikely case of more sets than buckets."""
    if found.get("sum_other_doc_count"):
        found = searcher.aggregate(query, {"a": {"terms": {
            "field": FACET_FIELDS["agency"], "size": FACET_BUCKETS}}})["a"]
        return _values(found)
    counts: dict[str, int] = {}
    for key, count in _values(found).items():
        for agency in key.split(AGENCY_SEPARATOR):
            counts[agency] = counts.get(agency, 0) + count
    return counts


def _values(found: dict) -> dict[str, int]:
    """Value -> matches of a terms aggregation, without the items that have none."""
    return {b["key"]: b["doc_count"] for b in found["buckets"] if b["key"] != NO_VALUE}
