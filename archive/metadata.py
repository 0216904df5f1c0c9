"""What is known of a page before it is read: its sidecar (`page.txt.json`), the manifests
(`manifest.json`) of its folder and the folders above, the MODS records beside an XML page
(archive.formats.mods_records), the catalogue's record of its title (archive.titles), and
the date in its path.

Every value is checked against the field's type and range; a bad one rejects the page
with a reason naming the file and the field ("manifest manifest.json: field 'page': ...")."""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata
from collections.abc import Callable, Container
from pathlib import Path

from archive.dates import date_from_path
from archive.formats import mods_records
from archive.model import PageMeta, Rejected
from archive.titles import catalogue_number, page_lccn, title_name
from archive.walk import MANIFEST_NAMES, Listing

MAX_PAGE = 9999
MAX_TEXT = 200  # characters in a name, section, language or country
MAX_JSON_BYTES = 1 << 20  # a sidecar or manifest larger than this is not metadata
FIRST_YEAR = 1600  # the first newspapers; an issue date before it is a typing error


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_kind(value)}")
    text = " ".join(value.split())
    if not text or len(text) > MAX_TEXT:
        raise ValueError(f"must be 1 to {MAX_TEXT} characters of text")
    # Control characters and lone surrogates: SQLite cannot store the one (UTF-8 has no
    # surrogates) and no page shows the other. Format characters (ZWNJ) are real text.
    for at, char in enumerate(text):
        if unicodedata.category(char) in ("Cc", "Cs") or _noncharacter(char):
            raise ValueError(f"holds the character U+{ord(char):04X} at character {at + 1}, "
                             "which is not text")
    return text


def _noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _date(value: object) -> dt.date:
    if isinstance(value, str) and len(value) <= 32:
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            last = dt.date.today().year + 1
            if not FIRST_YEAR <= date.year <= last:
                raise ValueError(f"{value!r} is not an issue date ({FIRST_YEAR} to {last})")
            return date
    raise ValueError(f"{_shown(value)} is not a date as YYYY-MM-DD")


def _page(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{_shown(value)} is not a page number (1-{MAX_PAGE})")
    # A short run of decimal digits before int(): int() also reads "²" wrongly, and
    # refuses numbers of more than 4300 digits with an error about its own limits.
    text = value.strip() if isinstance(value, str) else str(value) if 0 < value <= MAX_PAGE \
        else ""
    if not (text.isdecimal() and len(text) <= 6 and 1 <= int(text) <= MAX_PAGE):
        raise ValueError(f"{_shown(value)} is not a page number (1-{MAX_PAGE})")
    return int(text)


def _shown(value: object) -> str:
    """A value as a reason quotes it: short, whatever it is."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 40:
        return f"a number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# The fields a sidecar or manifest may set, with their checks (each returns the value).
FIELDS: dict[str, Callable[[object], object]] = {
    "publication": _text, "date": _date, "page": _page, "section": _text,
    "language": _text, "country": _text}


def page_meta(path: Path, root: Path | None, listing: Container[str] | None = None
              ) -> PageMeta:
    """Metadata from a sidecar or manifest (strongest), the publication from its title's
    record if they name none, the date in the path if they give none.

    listing: the .json files under root (see archive.walk.find), so that looking for
    manifests and sidecars costs no system call; without it they are looked for on disk.
    """
    is_file = listing.__contains__ if listing is not None and root is not None \
        else os.path.isfile
    here = str(path)
    found: dict[str, object] = {}
    for folder in _manifest_folders_up(os.path.dirname(here), root, listing):
        for name in MANIFEST_NAMES:
            manifest = os.path.join(folder, name)
            if is_file(manifest):
                values = _manifest_values(Path(manifest), os.path.relpath(here, folder))
                for key, value in values.items():
                    found.setdefault(key, value)  # the nearest manifest that names it wins
    # A walk that met no .json file at all (the common case) has no sidecar to look for.
    sidecars = () if listing is not None and root is not None and not listing \
        else (here + ".json", str(path.with_suffix(".json")))
    for sidecar in sidecars:
        if sidecar != here and is_file(sidecar):
            data = _load_json(Path(sidecar), "sidecar")
            found.update(_checked(data, f"sidecar {Path(sidecar).name}"))
            break
    # MODS records beside an XML page (a delivery without METS): after the JSON ones
    for key, value in mods_records.values(here, FIELDS).items():
        found.setdefault(key, value)
    lccn = None
    if "publication" not in found:  # the catalogue's record of the page's title
        top = str(root) if root is not None else None
        number = page_lccn(here, top)
        title = title_name(here, number, top, listing if root is not None else None)
        if title is None:
            lccn = catalogue_number(number)
        else:
            try:
                found["publication"] = _text(title)
            except ValueError as error:
                raise Rejected(f"the title record of {os.path.basename(here)}: its name "
                               f"{error}") from None
    date, date_source = found.get("date"), None
    if date is not None:
        date_source = "sidecar"
    elif (date := date_from_path(here[len(os.path.join(os.path.dirname(str(root)), "")):]
                                 if root else here)):  # the path from root's parent on
        date_source = "path"
    return PageMeta(publication=found.get("publication"), date=date,  # type: ignore[arg-type]
                    date_source=date_source, page=found.get("page"),  # type: ignore[arg-type]
                    section=found.get("section"), language=found.get("language"),
                    country=found.get("country"), lccn=lccn)  # type: ignore[arg-type]


def _manifest_values(manifest: Path, relative: str) -> dict[str, object]:
    """The checked values a manifest gives one file: its entry's, then the manifest's own."""
    where = f"manifest {manifest.name} (in {manifest.parent})"
    data = _load_json(manifest, "manifest")
    files = data.get("files", {})
    if not isinstance(files, dict):
        raise Rejected(f"{where}: 'files' must be an object mapping file names to their "
                       f"metadata, not {_kind(files)}")
    entry = files.get(relative, {})
    if not isinstance(entry, dict):
        raise Rejected(f"{where}: the entry for {relative!r} must be a JSON object, not "
                       f"{_kind(entry)}")
    values = _checked(data, where)
    values.update(_checked(entry, f"{where}, entry {relative!r}"))
    return values


def _checked(data: dict, where: str) -> dict[str, object]:
    """The known fields of a metadata object, each checked (null means not given)."""
    values: dict[str, object] = {}
    for key, check in FIELDS.items():
        value = data.get(key)
        if value is None:
            continue
        try:
            values[key] = check(value)
        except ValueError as error:
            raise Rejected(f"{where}: field {key!r} {error}") from None
    return values


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _manifest_folders_up(folder: str, root: Path | None,
                         listing: Container[str] | None) -> list[str]:
    """The folders whose manifests apply to a file in folder, nearest first: the folder and
    its parents up to the walked root, but only those a walk's listing shows one in."""
    if isinstance(listing, Listing) and root is not None:
        if not listing.manifest_folders:  # most walks meet no manifest at all
            return []
        return [f for f in _folders_up(folder, str(root)) if f in listing.manifest_folders]
    return _folders_up(folder, str(root) if root else None)


def _folders_up(folder: str, root: str | None) -> list[str]:
    """The file's folder and its parents up to the walked root (nearest first)."""
    chain = [folder]
    while root is not None and chain[-1] != root \
            and chain[-1] != os.path.dirname(chain[-1]):
        chain.append(os.path.dirname(chain[-1]))
    return chain


def _load_json(path: Path, what: str) -> dict:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_JSON_BYTES + 1)
        if len(data) > MAX_JSON_BYTES:
            raise Rejected(f"{what} {path.name} is over {MAX_JSON_BYTES:,} bytes: not "
                           "metadata for one page")
        data = json.loads(data.decode("utf-8-sig"))
    except (OSError, ValueError) as error:
        raise Rejected(f"{what} {path.name} is not valid JSON: {error}") from error
    except RecursionError:
        raise Rejected(f"{what} {path.name} is not valid JSON: nested too deep") from None
    if not isinstance(data, dict):
        raise Rejected(f"{what} {path.name} must hold a JSON object, not {_kind(data)}")
    return data
