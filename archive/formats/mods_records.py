"""MODS records beside page files: what a delivery without METS says of each page and issue.

Some national libraries deliver ALTO pages with MODS records beside them instead of one METS
file per issue. The Royal Danish Library's newspaper batches, for one, hold in each issue's
folder `paper-1795-06-15-01-0010B.alto.xml` with `paper-1795-06-15-01-0010B.mods.xml` (the
page's number and section) and `paper-1795-06-15-01.edition.xml` (the issue's title, place
and date). A page takes its number and section from the record named as it is, and its
publication and issue date from that record, else from the folder's records that name one
(when they agree). The records themselves are no pages (archive.formats.sniff says so)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

from lxml import etree

from archive.formats.mods import mods_date, mods_page, mods_title
from archive.formats.xmlsafe import local, parse
from archive.model import Rejected

RECORD_SUFFIXES = (".mods.xml", ".edition.xml")
MAX_RECORD_BYTES = 1 << 20  # a MODS record of a page or an issue is a few KB
MAX_RECORDS = 2000  # records read in one folder (a folder of an issue's pages holds tens)
Check = Callable[[object], object]


def values(page: str, checks: dict[str, Check]) -> dict[str, object]:
    """The fields (publication, date, page, section) the MODS records beside a page file
    give it, each passed through checks[field] (a value that fails is left out)."""
    folder, name = os.path.split(page)
    lowered = name.lower()
    if not lowered.endswith(".xml") or lowered.endswith(RECORD_SUFFIXES):
        return {}
    try:
        stamp = os.stat(folder or ".").st_mtime_ns
    except OSError:
        return {}
    records = _records(folder or ".", stamp)
    if not records:
        return {}
    stem = lowered.removesuffix(".xml").removesuffix(".alto")
    found = dict(records.get(stem, {}))
    for field in ("publication", "date"):  # the issue's, when the page's own says nothing
        if field not in found:
            given = {r[field] for r in records.values() if field in r}
            if len(given) == 1:
                found[field] = given.pop()
    checked = {}
    for field, value in found.items():
        try:
            checked[field] = checks[field](value)
        except ValueError:
            continue
    return checked


@functools.lru_cache(maxsize=64)
def _records(folder: str, stamp: int) -> dict[str, dict[str, object]]:
    """The fields of each MODS record in a folder, by its name without the suffix
    (lower case). stamp: the folder's mtime, so that a changed folder is read again."""
    del stamp
    found: dict[str, dict[str, object]] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        lowered = entry.name.lower()
        suffix = next((s for s in RECORD_SUFFIXES if lowered.endswith(s)), None)
        if suffix is None or len(found) >= MAX_RECORDS:
            continue
        try:
            if not entry.is_file() or entry.stat().st_size > MAX_RECORD_BYTES:
                continue
            with open(entry.path, "rb") as stream:
                root = parse(stream.read(), "MODS")
        except (OSError, Rejected, etree.LxmlError):
            continue  # read on its own, the file is rejected with its reason
        if local(root.tag) == "mods":
            found[lowered.removesuffix(suffix)] = _fields(root)
    return found


def _fields(mods: etree._Element) -> dict[str, object]:
    """What one record says: its own title and issue date, a page's number and section."""
    fields: dict[str, object] = {}
    if title := mods_title(mods):
        fields["publication"] = title.rstrip(" .,;:/")
    if date := mods_date(mods):
        fields["date"] = date.isoformat()
    if page := mods_page(mods):
        fields["page"] = page
    for part in (c for c in mods if local(c.tag) == "part"):
        for child in part:
            if local(child.tag) == "detail" and (child.get("type") or "").lower() in (
                    "section", "sectionlabel"):
                number = next((" ".join(c.text.split()) for c in child
                               if local(c.tag) == "number" and c.text and c.text.strip()),
                              None)
                if number:
                    fields.setdefault("section", number)
    return fields
