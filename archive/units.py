"""Ingest units: most files are read on their own, but a METS (or DIDL) issue file is read
together with the page files it names, which are then not read again on their own; and
the page files of one issue (hOCR, ALTO or OCR text pages whose names differ only by the
page number: "x-1.hocr", "x-2.hocr") are read together as a page series (archive.series),
so that what one page prints of the issue (its title, its date) reaches the others.

Planning a run sniffs the XML files the walk found; a unit reader lists the members of each
issue file. A unit's hash covers its main file and every member, so changing or removing
any file of the issue reads the issue again."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import os
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from archive.formats import Member, Reader, choose
from archive.formats.page_names import page_and_series
from archive.formats.sniff import HEAD_BYTES
from archive.model import Rejected

# Files whose names may hold an issue: only these are sniffed when a run is planned.
UNIT_SUFFIXES = (".xml", ".xml.gz", ".xml.bz2", ".mets", ".didl")
GZIP_MAGIC = b"\x1f\x8b"
_BZIP2_MAGIC = re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)")  # a block, or an empty stream
# The readers of single page files whose pages may make a series (PressReader's files are
# articles, not pages; METS and DIDL are issues already).
SERIES_READERS = frozenset({"alto", "hocr", "ocr-text", "abbyy", "page-xml"})


@dataclass
class Plan:
    """Which files are units with members, and which files are those members."""

    members: dict[str, tuple[Member, ...]] = field(default_factory=dict)  # unit -> members
    claimed: dict[str, str] = field(default_factory=dict)  # member file -> its unit


def plan(names: Iterable[str]) -> Plan:
    """Find the issue files among the walked files and the page files each reads.

    A file that cannot be listed here (unreadable, malformed) is left to be read on its
    own: its worker rejects it with the reason. Of two issue files naming the same pages,
    one that records no items while the other does is read as a part of the other
    (_fold_plain); otherwise a page named by two issues is read with each of them, and
    listed as a part of the first (in walk order)."""
    names = list(names)  # walked twice: issue files, then page series
    found = Plan()
    forms: dict[str, str] = {}  # file -> its reader, for those sniffed here
    units: dict[str, Reader] = {}
    for name in names:
        if not name.lower().endswith(UNIT_SUFFIXES) or name in found.claimed:
            continue
        try:
            reader = choose(name, read_head(name))
            forms[name] = reader.name
            if reader.members is None:
                continue
            members = tuple(reader.members(name, read_bytes(name, reader.max_bytes)))
        except (Rejected, OSError):
            continue
        found.members[name] = members
        units[name] = reader
        for member in members:
            if member.path is not None and member.path != name:
                found.claimed.setdefault(member.path, name)
    _fold_plain(found, units)
    for head, members in page_series((n for n in names if n not in found.claimed
                                      and n not in found.members), forms).items():
        found.members[head] = members
        for member in members:
            found.claimed[member.path] = head  # type: ignore[index]
    return found


def _fold_plain(found: Plan, units: dict[str, Reader]) -> None:
    """Pages that an issue file recording no items shares with one that records theirs
    are read once, by the latter, with their articles. (BnF delivers an issue as
    manifest.xml, naming the files and pages, beside toc/T....xml, the articles on the
    same pages.) When all its pages are shared, the plain file becomes a member of the
    other (a change to it still reads the issue again); else it keeps its other pages,
    and names the shared ones as read with the other file."""
    pages = {name: {m.path for m in members if m.path is not None}
             for name, members in found.members.items()}
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for name, own in pages.items():
        for path in own:
            owners[path].add(name)
    sharing = set().union(*(names for names in owners.values() if len(names) > 1))
    shared = [name for name in found.members if name in sharing]  # in walk order
    if not shared:
        return
    records = {name: _places_items(name, units[name]) for name in shared}
    for plain in (name for name in shared if records[name] is False):
        host = next((other for other in shared if records[other] and other != plain
                     and pages[plain] & pages[other]), None)
        if host is None:
            continue
        if pages[plain] <= pages[host]:
            members = found.members.pop(plain)
            found.members[host] += (Member(os.path.relpath(plain, os.path.dirname(host)),
                                           plain),)
            found.claimed[plain] = host
        else:
            why = f"read with {os.path.relpath(host, os.path.dirname(plain))}, which " \
                  "records its articles"
            members = tuple(m for m in found.members[plain] if m.path in pages[host])
            found.members[plain] = tuple(
                Member(m.href, None, why, m.page) if m.path in pages[host] else m
                for m in found.members[plain])
        for member in members:
            if member.path is not None:
                found.claimed[member.path] = host


def _places_items(name: str, reader: Reader) -> bool | None:
    """Whether an issue file records its pages' items (None: it cannot be read here)."""
    if reader.places_items is None:
        return True
    try:
        return reader.places_items(read_bytes(name, reader.max_bytes))
    except (Rejected, OSError):
        return None


def page_series(names: Iterable[str], forms: dict[str, str] | None = None
                ) -> dict[str, tuple[Member, ...]]:
    """The page series among files: two or more page files of one form (hOCR, ALTO, OCR
    text) whose paths are the same but for the page number (page_names.page_and_series),
    each naming another page. The first page's file is the unit, the others its members.

    Only the files of a possible series are sniffed (a run of article files costs a name
    match each), and not again when `forms` already names their reader. Files of another
    form, or two files naming one page, are read alone."""
    forms = forms or {}
    candidates: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
    for name in names:
        found = page_and_series(name)
        if found is not None:
            candidates[found[1]].append((found[0], name))
    series: dict[str, tuple[Member, ...]] = {}
    for pages in candidates.values():
        if len(pages) < 2 or len({page for page, _ in pages}) < len(pages):
            continue
        by_form: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        for page, name in sorted(pages):
            try:
                form = forms.get(name) or choose(name, read_head(name)).name
            except (Rejected, OSError):
                continue  # read alone, its worker says why
            if form in SERIES_READERS:
                by_form[form].append((page, name))
        for group in by_form.values():
            if len(group) >= 2:
                head = group[0][1]
                series[head] = tuple(
                    Member(os.path.relpath(name, os.path.dirname(head)), name, page=page)
                    for page, name in group[1:])
    return series


def read_head(name: str, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of a file, decompressed when it is gzipped or bzip2-compressed."""
    with open(name, "rb") as stream:
        return head_of(stream.read(size), size)


def read_bytes(name: str, limit: int) -> bytes:
    """A whole file (decompressed); Rejected when it is over limit bytes."""
    with open(name, "rb", buffering=0) as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > limit:
            raise Rejected(too_large(size, limit))
        data = stream.read()
    return decompress(data, limit)


def compression(data: bytes) -> str | None:
    """How data is compressed: "gzip" or "bzip2" when it starts as such a stream does, else
    None."""
    if data[:2] == GZIP_MAGIC:
        return "gzip"
    if data[:3] == b"BZh" and _BZIP2_MAGIC.match(data):  # (every file is asked: cheap first)
        return "bzip2"
    return None


def head_of(data: bytes, size: int = HEAD_BYTES) -> bytes:
    """The first size bytes of data, decompressed when it is compressed (the start of a
    compressed file, for sniffing)."""
    kind = compression(data)
    try:
        if kind == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, size)
        if kind == "bzip2":
            return bz2.BZ2Decompressor().decompress(data, size)
    except (zlib.error, OSError, EOFError) as error:
        raise Rejected(f"broken {kind} file: {error}") from error
    return data


def decompress(data: bytes, limit: int) -> bytes:
    """Data decompressed when it is gzip or bzip2, refusing more than limit bytes (a
    compression bomb stops there); other data as it is."""
    kind = compression(data)
    if kind is None:
        return data
    raw = io.BytesIO(data)
    try:
        with gzip.GzipFile(fileobj=raw) if kind == "gzip" else bz2.BZ2File(raw) as stream:
            out = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise Rejected(f"broken {kind} file: {error}") from error
    if len(out) > limit:
        raise Rejected(f"too large once decompressed: over the {limit:,}-byte limit")
    return out


def too_large(size: int, limit: int) -> str:
    return (f"too large: {size:,} bytes, over the {limit:,}-byte limit for this kind of "
            "file (raise it with --max-bytes)")


def member_limit(reader: Reader, max_bytes: int | None = None) -> int:
    """The largest member file of a unit read (decompressed): --max-bytes when given, as
    for the unit's main file, else the reader's own limit."""
    return max_bytes or reader.member_max_bytes or reader.max_bytes


def read_members(reader: Reader, members: tuple[Member, ...], max_bytes: int | None = None
                 ) -> tuple[dict[str, bytes | str], list[tuple]]:
    """The members' bytes (or why each could not be read) by href, and their unit_files
    rows (href, path, sha256, size, problem)."""
    data: dict[str, bytes | str] = {}
    rows: list[tuple] = []
    limit = member_limit(reader, max_bytes)
    for member in members:
        row, raw = _member(member, limit)
        rows.append(row)
        if isinstance(raw, bytes):
            try:
                raw = decompress(raw, limit)
            except Rejected as error:
                raw = str(error)
        data[member.href] = raw
    return data, rows


def member_rows(reader: Reader, members: tuple[Member, ...], max_bytes: int | None = None
                ) -> list[tuple]:
    """The unit_files rows read_members would give, without keeping the bytes (to tell
    whether a stored unit is unchanged)."""
    limit = member_limit(reader, max_bytes)
    return [_member(member, limit)[0] for member in members]


def _member(member: Member, limit: int) -> tuple[tuple, bytes | str]:
    """(unit_files row, the member's raw bytes or why they could not be read)."""
    if member.path is None:
        problem = member.problem or "not found"
        return (member.href, None, "", 0, problem), problem
    try:
        with open(member.path, "rb", buffering=0) as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > limit:
                problem = too_large(size, limit)
                return (member.href, member.path, "", size, problem), problem
            raw = stream.read()
    except OSError as error:
        problem = f"cannot read: {error.strerror or error}"
        return (member.href, member.path, "", 0, problem), problem
    return (member.href, member.path, hashlib.sha256(raw).hexdigest(), len(raw), None), raw


def unit_digest(main_sha256: str, rows: Iterable[tuple]) -> str:
    """The hash of a unit: its main file's and every member's (a missing member counts as
    missing, so it appearing later changes the hash)."""
    digest = hashlib.sha256(main_sha256.encode())
    for href, _path, sha, _size, problem in rows:
        digest.update(f"\x1f{href}\x1e{sha}\x1e{problem or ''}".encode())
    return digest.hexdigest()
