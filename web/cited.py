"""Citable searches: a search's permanent link records the archive version its index was
built from, its result count and the day it was cited; opened later, it says whether the
archive changed since and which of today's results are new or updated."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from index.engine import SearchResults
from index.library import Library
from web import urls
from web.facets import Link
from web.formatting import long_date
from web.records import hit_path

_CITED = re.compile(r"([0-9]{1,15}):([0-9]{1,12}):([0-9]{4}-[0-9]{2}-[0-9]{2})")
# Telling which results are new reads every result's id and the store's change log since
# the citation: both are bounded, past them the note gives the counts only.
SCAN_LIMIT = 10_000  # results of today's search
CHANGES_LIMIT = 500_000  # store changes since the citation
LISTED = 50  # new or updated results named (JSON and page)


@dataclass(frozen=True)
class Cited:
    """What a search found when it was cited."""

    version: int  # the store change its index was built up to (index.build's change_seq)
    hits: int  # results listed (stories, when each story is listed once)
    date: dt.date

    def __str__(self) -> str:
        return f"{self.version}:{self.hits}:{self.date.isoformat()}"


def parse(text: str, today: dt.date) -> tuple[Cited | None, str | None]:
    """The citation in a `cited=` argument: (Cited, None), or (None, what is wrong with it)
    when it cannot be read (the search is shown all the same)."""
    match = _CITED.fullmatch(text.strip())
    problem = (f"The citation in this address (“{text[:60]}”) cannot be read: it should be "
               "the archive version, the number of results and the day, e.g. "
               "412:1199:2026-12-02. The search is shown as it is now.")
    if not match:
        return None, problem
    try:
        date = dt.date.fromisoformat(match.group(3))
    except ValueError:
        return None, problem
    if date > today + dt.timedelta(days=1):  # a day of slack: the citer's time zone
        return None, problem
    return Cited(int(match.group(1)), int(match.group(2)), date), None


def index_version(lib: Library) -> int | None:
    """The archive version the serving index shows: the store change it was built up to
    (it grows with every ingest that changes an article; a rebuild of the same articles
    keeps it). None before the first build."""
    snapshot = lib.snapshot()
    return snapshot.change_seq if snapshot else None


def citation(lib: Library, results: SearchResults, today: dt.date, site: str,
             link: Link) -> dict[str, Any] | None:
    """How to cite this search as it is now: its permanent link (recording version, count
    and day) and a reference; None before the first build."""
    version = index_version(lib)
    if version is None:
        return None
    cited = Cited(version, results.listed, today)
    url = urls.cited_search(results.request, str(cited))
    count = f"{cited.hits:,} result{'s' if cited.hits != 1 else ''}"
    return {"url": link(url), "absolute_url": urls.absolute(url), "cited": str(cited),
            "version": version, "hits": cited.hits, "date": today.isoformat(),
            "text": f"{site}, search for {results.description}: {count} (archive version "
                    f"{version}), {long_date(today)}. {urls.absolute(url)}"}


def compare(lib: Library, cited: Cited, results: SearchResults, link: Link,
            anchor: str = "") -> dict[str, Any]:
    """What changed since a search was cited: the counts then and now, whether the archive
    changed, and which of today's results are new or updated since (when it can tell)."""
    version = index_version(lib)
    now = results.listed
    then_text = f"Cited on {long_date(cited.date)} with {_results(cited.hits)}"
    data: dict[str, Any] = {
        "version": cited.version, "hits": cited.hits, "date": cited.date.isoformat(),
        "version_now": version, "hits_now": now, "changed": version != cited.version,
        "added": None}
    if version == cited.version:
        data["message"] = (
            f"{then_text}; the archive has not changed since: the same {_results(now)} now."
            if now == cited.hits else
            f"{then_text}; {now:,} now. The archive holds the same articles, but its index "
            "was built again since by a version of the software that counts this search "
            "differently.")
        return data
    if version is None or version < cited.version:
        data["message"] = (
            f"{then_text} (archive version {cited.version}); {now:,} now. The archive was "
            "built again from the beginning since, so what was added cannot be told.")
        return data
    data["message"] = (f"{then_text}, in version {cited.version:,} of the archive; {now:,} "
                       f"now, in version {version:,}.")
    if version - cited.version > CHANGES_LIMIT or now > SCAN_LIMIT:
        data["limit"] = (f"This search finds too many results (over {SCAN_LIMIT:,}) to tell "
                         "which are new: narrow it, e.g. to recent dates."
                         if now > SCAN_LIMIT else
                         "So much has changed since that the new results are not listed.")
        return data
    data["added"] = _added(lib, cited, results, link, anchor)
    return data


def _added(lib: Library, cited: Cited, results: SearchResults, link: Link,
           anchor: str) -> dict[str, Any]:
    """Today's results that were added or updated after the cited version, in result order
    (the store's change log names the articles; the search says which of them match)."""
    changed = lib.changed_since(cited.version)
    found: list[dict[str, Any]] = []
    count = 0
    request = replace(results.request, page=1)
    if changed:
        for rank, hit in enumerate(lib.hits(request), start=1):
            if hit.id not in changed:
                continue
            count += 1
            if len(found) < LISTED:
                path = hit_path(hit)
                found.append({"id": hit.id, "headline": hit.headline, "rank": rank,
                              "date": hit.date.isoformat() if hit.date else None,
                              "publication": hit.publication, "url": link(path),
                              "context_url": link(urls.in_search(path, request, rank,
                                                                 anchor))})
    return {"count": count, "items": found, "more": count - len(found)}


def _results(count: int) -> str:
    return f"{count:,} result{'s' if count != 1 else ''}"
