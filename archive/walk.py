"""Find the page files under the folders and files given to ingest, in a stable order."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archive.titles import is_title_record

MANIFEST_NAMES = ("manifest.json", "newsarchive.json")


class Listing(frozenset[str]):
    """The .json files a walk met (sidecars, manifests), and the folders holding a manifest:
    looking for those costs page_meta no system call, and most folders hold none."""

    manifest_folders: frozenset[str]

    def __new__(cls, names: Iterable[str]) -> Listing:
        listing = super().__new__(cls, names)
        listing.manifest_folders = frozenset(
            os.path.dirname(name) for name in listing
            if os.path.basename(name) in MANIFEST_NAMES)
        return listing


@dataclass(frozen=True)
class Found:
    """What a walk of the sources found. Files are kept by name (str): a Path for each of a
    million files costs the walk more than listing the folders does, so ingest, which
    reads them in worker processes, makes each Path there."""

    names: list[str]  # pages (and stray metadata files, which are rejected), in order
    roots: list[Path]  # the folders walked
    root_by_name: dict[str, Path | None]  # the walked folder each file belongs to, if any
    listing: Listing  # every .json file in the walked folders (sidecars, manifests)
    # folders that could not be listed, and entries neither file nor folder -> why
    unlisted: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def files(self) -> list[Path]:
        return [Path(name) for name in self.names]

    @functools.cached_property
    def root_of(self) -> dict[Path, Path | None]:
        return dict(zip(self.files, self.root_by_name.values(), strict=True))


def discover(sources: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(page files, walked folders) under the given files and folders, in a stable order.

    Sidecars (`page.txt.json`, `page.json`) and manifests are metadata, not pages.
    """
    found = find(sources)
    return found.files, found.roots


def find(sources: Iterable[str | Path]) -> Found:
    """Walk the sources: files in sorted path order (that of sorted(rglob("*"))), each
    with its root, the first given folder that holds it."""
    found: dict[str, Path | None] = {}  # name -> root (None: given by name)
    roots: list[Path] = []
    listing: set[str] = set()
    unlisted: dict[str, str] = {}
    for source in sources:
        path = Path(source).resolve()
        if path.is_dir():
            roots.append(path)
            for name in _files_under(str(path), unlisted):
                if name in found:
                    continue
                if name.endswith(".json"):
                    listing.add(name)
                    if is_meta(Path(name)):
                        continue
                found[name] = path
        elif path.exists():
            found.setdefault(str(path), None)
        else:
            raise FileNotFoundError(f"no such file or folder: {source}")
    for name, root in found.items():
        if root is None:  # given by name; it still belongs to a folder given beside it
            parents = Path(name).parents
            found[name] = next((r for r in roots if r in parents), None)
    return Found(list(found), roots, found, Listing(listing), unlisted)


def _files_under(root: str, unlisted: dict[str, str]) -> Iterator[str]:
    """Every file under root, depth first in name order, which is sorted path order.

    Like Path.rglob("*") + is_file(): symlinked folders are not entered, symlinked files
    count. A folder that cannot be listed is skipped and noted in `unlisted` with why, as
    is what is neither a folder nor a file (a link to nothing or to a folder, a device).
    scandir knows each entry's type, so unlike is_file() this costs no system call per
    file.
    """
    stack = [_entries(root, unlisted)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif _is_dir(entry):
            stack.append(_entries(entry.path, unlisted))
        elif _is_file(entry):
            yield entry.path
        else:
            unlisted[entry.path] = _not_read(entry)


def _entries(folder: str, unlisted: dict[str, str]) -> Iterator[os.DirEntry]:
    try:
        with os.scandir(folder) as listing:
            return iter(sorted(listing, key=lambda e: e.name))
    except OSError as error:
        unlisted[folder] = f"folder cannot be listed: {error.strerror or error}"
        return iter(())


def _not_read(entry: os.DirEntry) -> str:
    """Why an entry that is neither a folder nor a file is not read."""
    try:
        if entry.is_symlink():
            if not os.path.exists(entry.path):
                return f"a link to nothing: {os.readlink(entry.path)} does not exist"
            if os.path.isdir(entry.path):
                return "a link to a folder, not followed: give the folder itself to read it"
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    return "not a file (a device, pipe or socket)"


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def is_meta(path: Path) -> bool:
    """A manifest, a title record (archive.titles), or a sidecar whose page is there: read
    with the pages, never alone."""
    if path.name in MANIFEST_NAMES or is_title_record(str(path)):
        return True
    if not path.name.endswith(".json") or path.suffix != ".json":  # ".json" has no suffix
        return False
    stem = path.name[: -len(".json")]
    return (path.with_name(stem).exists()
            or any(path.with_name(stem + ext).exists() for ext in (".txt", ".txt.gz")))


def source_key(path: str | Path) -> str:
    """The path as the store and the report name it; bytes a file name holds that are not
    UTF-8 are shown as \\xNN escapes (SQLite cannot store the surrogates Python uses)."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return text
