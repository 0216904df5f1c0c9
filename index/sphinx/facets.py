"""Facet counts of a Sphinx search: the GROUP BY statements that count them and how their
answers become counts (index.results.Counts), including one pass over f_facets (every
facet value of a row as one key, index.sphinx.documents) for all the facets counted under
the same conditions, and the facets with one value everywhere (counted once a while)."""

from __future__ import annotations

from index import results
from index.quality import cumulative
from index.sphinx.documents import (
    AGENCY_SEPARATOR,
    FACET_KEYS,
    SINGLE,
    facet_key,
    facet_values,
    name_key,
)

CONSTANT_FACETS = tuple(SINGLE)  # (agency and ocr hold several values a row)
# One group of f_facets: its key, count, and the row values that tell which facet value
# the key stands for (documents.facet_values)
COMBINED_COLUMNS = ("GROUPBY() AS v, COUNT(*) AS c, "
                    + ", ".join(SINGLE.values()) + ", f_agencies, f_band")


def statement(name: str, where: list[str]) -> tuple[str, list[str], str]:
    """(columns, conditions, group) of one facet's counts."""
    if name == "agency":
        return "GROUPBY() AS v, COUNT(*) AS c, f_agencies", where, "f_agency"
    if name == "ocr":
        return "f_band AS v, COUNT(*) AS c", where, "f_band"
    return f"{SINGLE[name]} AS v, COUNT(*) AS c", where, SINGLE[name]


def combined_statement(where: list[str]) -> tuple[str, list[str], str]:
    """(columns, conditions, group) of the counts of every facet at once."""
    return COMBINED_COLUMNS, where, FACET_KEYS


def constant_statements(index: str) -> list[str]:
    """Statements telling which single-valued facets hold one value in every row (see
    Ranking.constants): the row count, then each facet's first two values."""
    return [f"SELECT COUNT(*) FROM {index}"] + [
        f"SELECT {SINGLE[name]}, COUNT(*) FROM {index} GROUP BY {SINGLE[name]} LIMIT 2"
        for name in CONSTANT_FACETS]


def constants_of(sets: list[list[tuple]]) -> dict[str, str | None]:
    """The answers to constant_statements() as Ranking.constants."""
    rows = int(sets[0][0][0]) if sets[0] else 0
    found: dict[str, str | None] = {}
    for name, groups in zip(CONSTANT_FACETS, sets[1:], strict=True):
        values = [(value, count) for value, count in groups if value != ""]
        if not values and sum(count for _, count in groups) == rows:
            found[name] = None
        elif len(groups) == 1 and values and values[0][1] == rows:
            found[name] = values[0][0]
    return found


def combined(rows: list[tuple], facets: list[str]) -> results.Counts:
    """The counts of `facets` from the groups of f_facets: each group's key is found among
    the keys of the values of the row that represents it."""
    counts: results.Counts = {name: {} for name in facets}
    columns = (*SINGLE.values(), "f_agencies", "f_band")
    wanted = set(facets)
    for key, count, *values in rows:
        found = facet_values(dict(zip(columns, values, strict=True)))
        for facet, names in found.items():
            if facet not in wanted:
                continue
            value = next((v for v in names if facet_key(facet, v) == key), None)
            if value is not None:
                counts[facet][value] = counts[facet].get(value, 0) + count
                break
    if "ocr" in counts:
        counts["ocr"] = cumulative(counts["ocr"])
    return counts


def counts(sets: dict[str, list[tuple]]) -> results.Counts:
    counts: results.Counts = {}
    for name, rows in sets.items():
        if name == "agency":  # the group is a name's hash: find the name it stands for
            found: dict[str, int] = {}
            for key, count, names in rows:
                name_of = {name_key(n): n for n in str(names).split(AGENCY_SEPARATOR) if n}
                if key in name_of:
                    found[name_of[key]] = found.get(name_of[key], 0) + count
            counts[name] = found
        elif name == "ocr":
            counts[name] = cumulative({str(band): count for band, count in rows if band})
        else:
            counts[name] = {str(value): count for value, count in rows if value != ""}
    return counts
