"""Walk source trees, parse every page, keep the articles in the store; incremental by file
hash. Every file seen is accounted for: ingested, unchanged, or rejected with a reason."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from archive.dates import date_from_path
from archive.formats.pressreader import ReadOptions, read_page
from archive.model import IngestReport, PageMeta, ParsedFile, Rejected
from archive.store import Store
from archive.text import decode

# Bump when parsing changes what comes out of a page: every file is then read again.
PARSER_VERSION = "2"
MAX_BYTES = 5 * 1024 * 1024  # one article page; a bigger file is not a page
MANIFEST_NAMES = ("manifest.json", "newsarchive.json")
_META_KEYS = ("publication", "date", "page", "section", "language", "country")

Progress = Callable[[str, str], None]  # (path, outcome) after each file


@dataclass(frozen=True)
class Outcome:
    """What reading one file gave: its articles, or the reason it was rejected."""

    path: str
    sha256: str
    size: int
    parsed: ParsedFile | None = None
    reason: str | None = None


def discover(sources: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(page files, walked folders) under the given files and folders, in a stable order.

    Sidecars (`page.txt.json`, `page.json`) and manifests are metadata, not pages.
    """
    files: list[Path] = []
    roots: list[Path] = []
    for source in sources:
        path = Path(source).resolve()
        if path.is_dir():
            roots.append(path)
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not _is_meta(p))
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {source}")
    return list(dict.fromkeys(files)), roots


def source_key(path: Path) -> str:
    """The path as the store and the report name it; bytes a file name holds that are not
    UTF-8 are shown as \\xNN escapes (SQLite cannot store the surrogates Python uses)."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return text


def _is_meta(path: Path) -> bool:
    if path.name in MANIFEST_NAMES:
        return True
    if path.suffix != ".json":
        return False
    stem = path.name[: -len(".json")]
    return (path.with_name(stem).exists()
            or any(path.with_name(stem + ext).exists() for ext in (".txt", ".txt.gz")))


def page_meta(path: Path, root: Path | None) -> PageMeta:
    """Metadata from a sidecar or manifest (strongest), else the date in the path."""
    found: dict[str, object] = {}
    for folder in _folders_up(path.parent, root):
        for name in MANIFEST_NAMES:
            manifest = folder / name
            if manifest.is_file():
                data = _load_json(manifest)
                files = data.get("files", {})
                entry = files.get(str(path.relative_to(folder)), {}) \
                    if isinstance(files, dict) else {}
                if not isinstance(entry, dict):
                    raise Rejected(f"manifest {manifest.name}: the entry for this file must "
                                   "be a JSON object")
                for key in _META_KEYS:
                    if found.get(key) is None:  # the nearest manifest that names it wins
                        found[key] = entry.get(key, data.get(key))
    for sidecar in (path.with_name(path.name + ".json"), path.with_suffix(".json")):
        if sidecar != path and sidecar.is_file():
            data = _load_json(sidecar)
            found.update({k: data[k] for k in _META_KEYS if data.get(k) is not None})
            break
    values = {k: v for k, v in found.items() if v is not None}
    date, date_source = None, None
    if "date" in values:
        try:
            date = dt.date.fromisoformat(str(values["date"]))
        except ValueError as error:
            raise Rejected(f"sidecar date {values['date']!r} is not YYYY-MM-DD") from error
        date_source = "sidecar"
    elif (date := date_from_path(str(root and path.relative_to(root.parent) or path))):
        date_source = "path"
    page = values.get("page")
    if page is not None and not str(page).strip().isdigit():
        raise Rejected(f"metadata page {page!r} is not a page number")
    return PageMeta(publication=values.get("publication"), date=date, date_source=date_source,
                    page=int(page) if page is not None else None,
                    section=values.get("section"), language=values.get("language"),
                    country=values.get("country"))


def _folders_up(folder: Path, root: Path | None) -> list[Path]:
    """The file's folder and its parents up to the walked root (nearest first)."""
    chain = [folder]
    while root is not None and chain[-1] != root and chain[-1] != chain[-1].parent:
        chain.append(chain[-1].parent)
    return chain


def _load_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Rejected(f"metadata file {path.name} is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise Rejected(f"metadata file {path.name} must hold a JSON object")
    return data


def read_file(path: Path, root: Path | None, options: ReadOptions,
              max_bytes: int = MAX_BYTES) -> Outcome:
    """Read, decode and parse one file; never raises for bad input (a pure function of
    the file, so it can run in a worker process)."""
    sha, size, key = "", 0, source_key(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Outcome(key, _sha256_file(path), size,
                           reason=f"too large: {size:,} bytes, over the {max_bytes:,}-byte "
                                  "limit for one page (raise it with --max-bytes)")
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if path.suffix == ".gz":
            data = _gunzip(data, max_bytes)
        text, encoding = decode(data)
        meta = page_meta(path, root)
        parsed = read_page(text, key, sha, meta, options)
        return Outcome(key, sha, size, ParsedFile(parsed.articles, parsed.stripped, encoding))
    except Rejected as error:
        return Outcome(key, sha, size, reason=str(error))
    except OSError as error:
        return Outcome(key, sha, size, reason=f"cannot read: {error.strerror or error}")
    except RecursionError:
        return Outcome(key, sha, size, reason="cannot parse: nesting too deep")
    except Exception as error:  # a parser bug must not stop the run; the reason says so
        return Outcome(key, sha, size,
                       reason=f"internal error while parsing ({type(error).__name__}: "
                              f"{error}); please report it")


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError) as error:
        raise Rejected(f"broken gzip file: {error}") from error
    if len(out) > max_bytes:
        raise Rejected(f"too large once decompressed: over the {max_bytes:,}-byte limit")
    return out


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def ingest(store: Store, sources: Iterable[str | Path], options: ReadOptions | None = None,
           progress: Progress | None = None, max_bytes: int = MAX_BYTES) -> IngestReport:
    """Bring the store up to date with the given files and folders."""
    started = time.perf_counter()
    options = options or ReadOptions()
    report = IngestReport()
    files, roots = discover(sources)
    seen = {source_key(f): f for f in files}
    for path in files:
        root = next((r for r in roots if r in path.parents), None)
        outcome = _ingest_one(store, path, root, options, max_bytes, report)
        if progress:
            progress(source_key(path), outcome)
    for root in roots:
        for record in store.sources(under=source_key(root)):
            if record.path not in seen:
                report.articles_removed += store.remove_source(record.path)
                report.removed.append(record.path)
    # Files holding a duplicate whose first copy just went away: read them again.
    for stale in store.stale_sources():
        if stale in seen:
            path = seen[stale]
            _ingest_one(store, path, next((r for r in roots if r in path.parents), None),
                        options, max_bytes, IngestReport())
    report.articles_total = store.count()
    report.seconds = time.perf_counter() - started
    return report


def _ingest_one(store: Store, path: Path, root: Path | None, options: ReadOptions,
                max_bytes: int, report: IngestReport) -> str:
    report.seen += 1
    previous = store.source(source_key(path))
    if previous and previous.status == "ingested" and previous.parser_version == PARSER_VERSION:
        try:
            if path.stat().st_size == previous.size and _sha256_file(path) == previous.sha256:
                report.unchanged += 1
                return "unchanged"
        except OSError:
            pass  # read_file below reports it
    outcome = read_file(path, root, options, max_bytes)
    if outcome.parsed is None:
        reason = outcome.reason or "unknown"
        report.articles_removed += store.save_rejected(outcome.path, outcome.sha256,
                                                       outcome.size, reason)
        report.rejected[outcome.path] = reason
        return "rejected"
    try:
        added, _, replaced = store.save_parsed(outcome.path, outcome.sha256, outcome.size,
                                               outcome.parsed, PARSER_VERSION)
    except Exception as error:  # the file's transaction rolled back; the run goes on
        reason = f"could not be stored ({type(error).__name__}: {error})"
        report.articles_removed += store.save_rejected(outcome.path, outcome.sha256,
                                                       outcome.size, reason)
        report.rejected[outcome.path] = reason
        return "rejected"
    report.articles_added += added
    report.articles_removed += replaced
    if previous:
        report.changed += 1
        return "changed"
    report.new += 1
    return "new"
