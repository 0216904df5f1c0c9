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
from index.tantivy.order import TOTAL_AGGREGATION, total_of
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
TOTAL = "__total"  # the answer counting the matches, when `total` is not given


class FacetCounter:
    """The facet counts of the commits of one index folder; what each commit tells once
    (its constant facets, its fields) is kept for it."""

    def __init__(self, path: Path):
        self.path = path
        self._constants: tuple[Stamp, dict[str, str | None]] = (None, {})
        self._fields: tuple[Stamp, frozenset[str]] = (None, frozenset())

    def counts(self, searcher: tantivy.Searcher, stamp: Stamp, schema: tantivy.Schema,
               query: tantivy.Query, request: SearchRequest, total: int | None,
               also: dict | None = None) -> tuple[results.Counts, dict]:
        """Facet name -> value -> matches, for a request whose query (without its
        filters) is `query` and whose hits number `total` (None: counted here, answer
        TOTAL); and the answers of the aggregations `also`, made in the same pass over
        the request's whole query (one evaluation of it the fewer)."""
        counts: results.Counts = {}
        answers: dict = {}
        for names, skip in pipeline.facet_groups(request):
            extra: dict = {}
            fixed: dict[str, str | None] = {}
            if skip is None:  # the whole request's query: its count is `total`
                extra = dict(also or {})
                if total is None:
                    extra[TOTAL] = TOTAL_AGGREGATION
                constant = self._constant(searcher, stamp)
                fixed = {n: constant[n] for n in names if n in constant}
                names = [n for n in names if n not in fixed]
            years = "year" in names and "month" in names
            if years:
                names.remove("year")
            if not names and not extra:
                counts.update(_constants(fixed, total or 0))
                continue
            sets = "agency" in names and AGENCY_SET in self._fields_of(stamp)
            aggs = {n: {"terms": {"field": _counted_field(n, sets), "size": FACET_BUCKETS}}
                    for n in names}
            narrowed = restrict(query, filters(schema, request, skip))
            found = searcher.aggregate(narrowed, aggs | extra)
            if skip is None:
                answers = {name: found[name] for name in extra}
                if total is None:
                    total = total_of(answers[TOTAL])
                counts.update(_constants(fixed, total))
            for name in names:
                counts[name] = _values(found[name])
            if sets:
                counts["agency"] = _agencies(searcher, narrowed, found["agency"])
            if "ocr" in names:
                counts["ocr"] = cumulative(counts["ocr"])
            if years:
                counts["year"] = pipeline.years_of(counts["month"])
        return counts, answers

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


def _constants(fixed: dict[str, str | None], total: int) -> results.Counts:
    """The counts of facets with one value in every article (or none in any)."""
    return {name: {value: total} if value is not None and total else {}
            for name, value in fixed.items()}


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
