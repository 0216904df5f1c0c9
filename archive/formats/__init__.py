"""Readers, one per input form, chosen by sniffing a file's first bytes.

A reader turns a source unit (one file, or a METS issue with the ALTO pages it names) into
raw items (archive.model.RawUnit); the shared finishing (archive.articles) makes articles
of them. Each reader has its own version: changing one re-reads only its files.

Adding a form: a module in this package that defines READER, a line in _MODULES, and a
test in archive.formats.sniff that recognises its bytes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from archive.formats.sniff import sniff
from archive.model import PageMeta, RawUnit, ReadOptions, Rejected

MB = 1024 * 1024


@dataclass(frozen=True)
class Member:
    """A file a unit names besides itself (an ALTO page of a METS issue)."""

    href: str  # as the unit names it
    path: str | None  # the file on disk, or None when it cannot be read (see problem)
    problem: str | None = None  # "missing", "outside the folder" ...
    page: int | None = None  # the page it holds, when the unit says


@dataclass(frozen=True)
class Input:
    """What a reader reads: the unit's main file and the member files it named."""

    name: str  # the source key of the unit's main file
    data: bytes  # its bytes, decompressed
    meta: PageMeta = PageMeta()  # sidecar, manifest and path metadata
    # href -> the member's bytes, or the reason they could not be read
    members: dict[str, bytes | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reader:
    name: str
    version: str  # bump when what the reader makes of a file changes
    max_bytes: int  # the largest file of this form that is read (decompressed)
    read: Callable[[Input, ReadOptions], RawUnit]  # raises Rejected for what it cannot read
    # A unit reader: the other files a main file names (read with it, not on their own).
    members: Callable[[str, bytes], list[Member]] | None = None
    member_max_bytes: int = 0  # the largest member file
    # Whether a unit file records its pages' items (None: a unit reader's files always do).
    # Of two issue files naming the same pages, one that does not is read with the other.
    places_items: Callable[[bytes], bool] | None = None

    @property
    def tag(self) -> str:
        """What the store records as the parser of a file: name and version."""
        return f"{self.name}/{self.version}"


# Reader name -> module (imported when first needed: a run of text pages loads no XML code).
_MODULES = {
    "pressreader": "archive.formats.pressreader",  # article text (the seed layout)
    "ocr-text": "archive.formats.ocr_text",  # plain page OCR text (Chronicling America)
    "mets": "archive.formats.mets",  # a METS issue with its ALTO pages
    "didl": "archive.formats.didl",  # a KB-style DIDL issue with its ALTO pages
    "alto": "archive.formats.alto",  # an ALTO page on its own
    "hocr": "archive.formats.hocr",  # a Tesseract hOCR page
    "page-xml": "archive.formats.page_xml",  # a PAGE XML page (Transkribus, OCR-D)
    "abbyy": "archive.formats.abbyy",  # ABBYY FineReader XML (the Internet Archive's)
    "olive": "archive.formats.olive",  # an Olive issue: TOC.xml with its entity files
    "olive-entity": "archive.formats.olive_entity",  # an Olive entity file alone
    "gale": "archive.formats.gale",  # Gale's issue XML (Times Digital Archive, BL 19th c.)
    "bl-article": "archive.formats.bl_article",  # a BL article file (JISC newspapers)
    "pdftotext": "archive.formats.pdf_words",  # a born-digital PDF's word boxes
}
_loaded: dict[str, Reader] = {}


def reader(name: str) -> Reader:
    """The reader of a name sniff() gave."""
    found = _loaded.get(name)
    if found is None:
        if name not in _MODULES:
            raise KeyError(f"no reader named {name!r}")
        try:
            module = importlib.import_module(_MODULES[name])
        except ModuleNotFoundError as error:
            if error.name != _MODULES[name]:
                raise
            raise Rejected(f"{name}: no reader for this form in this version") from error
        found = _loaded[name] = module.READER
    return found


def choose(name: str, head: bytes) -> Reader:
    """The reader for a file from its name and first bytes (decompressed); Rejected, with
    what the file seems to be, when no reader takes it."""
    return reader(sniff(name, head))


def is_current(tag: str | None) -> bool:
    """Whether a file stored with this reader tag would be read the same way today."""
    name, _, _ = (tag or "").partition("/")
    try:
        return name in _MODULES and reader(name).tag == tag
    except Rejected:
        return False


__all__ = ["MB", "Input", "Member", "Reader", "Rejected", "choose", "is_current", "reader"]
