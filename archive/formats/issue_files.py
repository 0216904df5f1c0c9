"""Where the files an issue file names lie on disk (its ALTO pages, a manifest it names):
only the issue's own files are ever read, whatever the issue file says.

The issue's files are those in the issue file's folder or below it, and those in a folder
beside it (BnF keeps an issue's METS in toc/ and its ALTO pages in ocr/: "../ocr/
X0000001.xml"). A file in the parent folder itself or further up is not the issue's, nor
is one a link inside leads out to. A URL or an absolute path (Kitodo and Goobi write where
a file lay on their server, or where it is served) is looked for by its last parts among
the issue's files, never where it points."""

from __future__ import annotations

import os
import re
import urllib.parse

OUTSIDE = "outside the issue's folder"
# A URL or an absolute path whose file is not in the folder by its last parts
REMOTE = "not in the issue's folder (a URL or another machine's path: never fetched)"
MISSING = "missing"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def member_path(unit: str, href: str) -> tuple[str | None, str | None]:
    """(the file a unit's href names, None) or (None, why it is not read).

    Only files of the issue are read: those in the unit's folder or below it, and those in
    a sibling folder (BnF keeps an issue's METS in toc/ and its ALTO pages in ocr/ beside
    it: "../ocr/X0000001.xml"). A file in the parent folder itself or a path that climbs
    further names something that is not part of the issue. An absolute path or a URL
    (Kitodo and Goobi write where the file lay on their server, or where it is served:
    "https://example.org/data/1234/alto/00000001.xml") is looked for by its last parts in
    the unit's folder ("alto/00000001.xml", then "00000001.xml"), as a delivery keeps the
    files beside their METS; never where it points. "file://./x" (docWorks METS, BnL) is
    the relative path "./x". A name that is not on disk is looked for compressed (href +
    ".gz" or ".bz2"), as archives often store pages."""
    ref = href.strip()
    if ref.lower().startswith("file://./"):
        ref = ref[len("file://"):]
    if not ref:
        return None, OUTSIDE
    folder = os.path.dirname(os.path.abspath(unit))
    if ref.startswith(("/", "\\")) or _SCHEME.match(ref):
        return _by_name(folder, ref)
    ref = urllib.parse.unquote(ref.split("#", 1)[0]).replace("\\", "/")
    path = os.path.normpath(os.path.join(folder, ref))
    if not _inside(folder, path):
        return None, OUTSIDE
    return _on_disk(folder, path) or (None, MISSING)


def _on_disk(folder: str, path: str) -> tuple[str | None, str | None] | None:
    """The file at path (or path.gz, path.bz2) when it is there, refused when a link leads
    it out of the issue; None when there is none."""
    for candidate in (path, path + ".gz", path + ".bz2"):
        if os.path.isfile(candidate):
            # a link inside the folder may still point out of it
            if not _inside(os.path.realpath(folder), os.path.realpath(candidate)):
                return None, OUTSIDE
            return candidate, None
    return None


def _by_name(folder: str, ref: str) -> tuple[str | None, str | None]:
    """An absolute path's or a URL's file, looked for in the issue's folder by the last
    two parts of its path (in it or beside it), then by its name alone (never at the place
    it names)."""
    parsed = urllib.parse.urlsplit(ref) if _SCHEME.match(ref) else None
    where = urllib.parse.unquote(parsed.path if parsed else ref).replace("\\", "/")
    parts = [p for p in where.split("/") if p not in ("", ".", "..")]
    places = [os.path.join(folder, *parts[-2:]), os.path.join(folder, *parts[-1:])]
    if len(parts) >= 2:  # in a folder beside the unit's (toc/ beside ocr/)
        places.insert(1, os.path.join(os.path.dirname(folder), *parts[-2:]))
    for path in places:
        if parts and _inside(folder, path) and (found := _on_disk(folder, path)):
            return found
    return None, REMOTE


def _inside(folder: str, path: str) -> bool:
    """Whether path lies in folder (below it) or in a folder beside it (below a sibling)."""
    if os.path.commonpath([folder, path]) == folder:
        return path != folder
    parent = os.path.dirname(folder)
    if parent == folder or os.path.commonpath([parent, path]) != parent:
        return False
    sibling = os.path.relpath(path, parent).split(os.sep)
    return len(sibling) >= 2 and sibling[0] not in (os.curdir, os.pardir)
