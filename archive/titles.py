"""Title records: the catalogue's record of a newspaper title, delivered beside its pages.

Chronicling America names every page file by its title's LCCN (Library of Congress Control
Number: "sn83045211-ed-1_seq-1.txt") and publishes each title's record as JSON
(/lccn/sn83045211.json: "name": "Evening public ledger.", "place_of_publication", its
issues). Collections fetched from it keep those records in a `titles/` folder beside the
pages (`titles/sn83045211.json`). The OCR seldom reads a masthead's display type, so most
pages print no readable name: the record names their publication, as a catalogue does.

A page takes the record of the LCCN its file name opens with (or, in Chronicling
America's own layout, the folder it lies under: "sn83045211/1916-01-05/ed-1/seq-1/ocr.txt"),
found in a `titles/` folder in its own folder or any folder above it up to the walked
root. The record is read once per process (a daily's record lists ten thousand issues:
megabytes of JSON). A record that cannot be read rejects the pages it would name, with
the reason, as a bad manifest does.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Container

from archive.dates import valid_date
from archive.model import Rejected

TITLES_FOLDER = "titles"
MAX_TITLE_BYTES = 32 << 20  # a record lists every issue of its title: a daily's is megabytes
# An LCCN as Chronicling America writes it: a prefix of up to three letters, then eight or
# ten digits (sn83045211, 2004260419).
_LCCN = re.compile(r"[a-z]{0,3}\d{8}(?:\d\d)?")
# Cataloguing marks on a title's name: the closing stop, "[volume]" (printed as "volume").
_MARKS = re.compile(r"(?:[\s.;:,/]|(?<=\.\s)\[?volume\]?)+$", re.IGNORECASE)
_SMALL = frozenset("a an and as at by de del des di du el en et for from in la las le les "
                   "los of on or the to und von y".split())


def lccn_of(name: str) -> str | None:
    """The LCCN a page file's name opens with ("sn83045211-ed-1_seq-1.txt"), or None."""
    match = _LCCN.match(name)
    if match is None or match.end() == len(name) or name[match.end()] not in "-_.":
        return None
    return match.group(0)


def page_lccn(page: str, root: str | None) -> str | None:
    """The LCCN a page's file name opens with, else that of the nearest folder under the
    walked root named by one alone (Chronicling America's own layout:
    "sn83045211/1916-01-05/ed-1/seq-1/ocr.txt")."""
    found = lccn_of(os.path.basename(page))
    if found is None and root is not None:
        found = _folder_lccn(os.path.dirname(page), root)
    return found


@functools.lru_cache(maxsize=4096)
def _folder_lccn(folder: str, root: str) -> str | None:
    """The LCCN of the nearest folder from `folder` up to `root` (excluded) named by one
    alone; the pages of one folder share it, so it is worked out once per folder."""
    while folder != root and folder != os.path.dirname(folder):
        name = os.path.basename(folder)
        if (_LCCN.fullmatch(name) and not name.isdigit()) or (
                len(name) == 10 and name.isdigit() and not _issue_folder(name)):
            return name  # (a bare eight digits is a date folder: "19160105")
        folder = os.path.dirname(folder)
    return None


def _issue_folder(name: str) -> bool:
    """Ten digits that are a date and an edition: an NDNP issue folder ("1887030401", 4
    March 1887, edition 1), not an LCCN (whose ten digits are a year and a serial number
    that reads as no date: "2010218519")."""
    return valid_date(int(name[:4]), int(name[4:6]), int(name[6:8])) is not None


def catalogue_number(lccn: str | None) -> str | None:
    """A page's LCCN (page_lccn) when it is surely one: letters and eight digits
    ("sn83045211") or ten digits (not a bare eight: a file named by its date,
    "20170115-page1.txt", names no title)."""
    return lccn if lccn is not None and (not lccn.isdigit() or len(lccn) == 10) else None


def is_title_record(path: str) -> bool:
    """A title record: `titles/<LCCN>.json` (metadata, read with the pages it names)."""
    folder, name = os.path.split(path)
    return os.path.basename(folder) == TITLES_FOLDER and name.endswith(".json") and \
        _LCCN.fullmatch(name[:-len(".json")]) is not None


def title_name(page: str, lccn: str | None, root: str | None,
               listing: Container[str] | None) -> str | None:
    """The publication the title record of a page's LCCN (page_lccn) names, or None (no
    LCCN, no record). listing: the .json files under root (archive.walk.find), so that
    looking costs no system call; without it the record is looked for on disk."""
    if lccn is None:
        return None
    folder = os.path.dirname(page)
    while True:
        record = os.path.join(folder, TITLES_FOLDER, lccn + ".json")
        if record in listing if listing is not None else os.path.isfile(record):
            try:
                stat = os.stat(record)
            except OSError as error:
                raise Rejected(f"title record {record} cannot be read: "
                               f"{error.strerror or error}") from None
            return _read_name(record, stat.st_size, stat.st_mtime_ns)
        if folder == root or folder == os.path.dirname(folder) or root is None:
            return None
        folder = os.path.dirname(folder)


@functools.lru_cache(maxsize=1024)
def _read_name(record: str, size: int, mtime_ns: int) -> str:
    """The name a title record gives (size and mtime: a changed record is read again)."""
    where = f"title record {os.path.basename(record)}"
    if size > MAX_TITLE_BYTES:
        raise Rejected(f"{where} is over {MAX_TITLE_BYTES:,} bytes: not a title record")
    try:
        with open(record, "rb") as stream:
            data = json.loads(stream.read(MAX_TITLE_BYTES + 1).decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError) as error:
        raise Rejected(f"{where} is not valid JSON: {error}") from None
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not (shown := catalogue_name(name)):
        raise Rejected(f"{where} names no title (its 'name' must be text)")
    return shown


def catalogue_name(name: str) -> str:
    """A title as the catalogue writes it, as a reader would: "Evening public ledger." ->
    "Evening Public Ledger", "French Broad hustler. [volume]" -> "French Broad Hustler";
    what is already in capitals stays ("L'Abeille de la Nouvelle-Orléans")."""
    words = _MARKS.sub("", " ".join(name.split())).split(" ")
    return " ".join(
        word if n and word.lower() in _SMALL else "-".join(
            part[:1].upper() + part[1:] for part in word.split("-"))
        for n, word in enumerate(words) if word)[:200]
