"""Ground truth for the segmentation benchmark: the true items (articles, advertisements,
other) of scanned pages, line by line, read from the delivering library's own structure
(METS logical maps, hand annotations) and never from the readers being measured.

This module holds the vocabulary (items, lines, pages, issues), word normalisation and
safe XML parsing; bench.truth_mets and bench.truth_hocr read the two kinds of truth."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import lxml.etree

FURNITURE = ""  # the label of a word in no item: mastheads, folios, rules, noise
KIND_ARTICLE, KIND_AD, KIND_OTHER = "article", "advertisement", "other"

_NOT_ALNUM = re.compile(r"[\W_]+")
# A word hyphenated at a line end, as page OCR prints it ("Govern-", "Govern¬").
_LINE_END_HYPHEN = re.compile(r"[-¬\u00ad]$")


def normalise(word: str) -> str:
    """A word as the benchmark compares it: NFKC, casefolded, letters and digits only
    (so quote, dash and hyphen repairs by the ingester change nothing)."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", word).casefold())


def tokens_of(text: str) -> list[str]:
    """The normalised tokens of a text: its whitespace-separated words, empty ones out."""
    return [t for t in (normalise(w) for w in text.split()) if t]


@dataclass(frozen=True)
class Item:
    """One true item of an issue: an article, an advertisement or other text."""

    id: str  # unique within its issue
    kind: str  # article | advertisement | other (no title: results never hold corpus text)


@dataclass(frozen=True)
class Line:
    """One printed line: its text as printed, its tokens, and each token's true item."""

    id: str  # unique within its page (ALTO TextLine ID, hOCR line id)
    block: str  # the OCR block it lies in (ALTO TextBlock, hOCR ocr_carea)
    text: str  # the words joined by spaces, a line-end hyphen kept
    tokens: tuple[str, ...]  # normalised; a hyphenated word counts once, on its first line
    labels: tuple[str, ...]  # the item id of each token, FURNITURE for none

    @property
    def label(self) -> str:
        """The item most of the line's tokens belong to (the first such, on a tie)."""
        if not self.labels:
            return FURNITURE
        counts = Counter(self.labels)
        best = max(counts.values())
        return next(label for label in self.labels if counts[label] == best)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, in the issue
    file: Path  # the page file in the corpus (ALTO or hOCR)
    lines: tuple[Line, ...]  # in file order


@dataclass(frozen=True)
class Issue:
    """The truth of one issue: its pages line by line and its items."""

    name: str
    date: dt.date | None
    unit: Path | None  # the METS file, when the issue has one
    pages: tuple[Page, ...]
    items: dict[str, Item]
    notes: tuple[str, ...] = ()  # what the truth could not resolve (missing files, ids)

    def kind_of(self, label: str) -> str | None:
        """The kind of a token's item; None for furniture."""
        item = self.items.get(label)
        return item.kind if item else None

    def by_page(self) -> Issue:
        """The same truth with every item printed on several pages cut into one item per
        page ("<id> p<n>"): what a reader of single pages can find, since no page file
        says what another holds (a jump line names the page an article goes on to, and it
        is furniture)."""
        seen: dict[str, set[int]] = {}
        for page in self.pages:
            for line in page.lines:
                for label in line.labels:
                    if label in self.items:
                        seen.setdefault(label, set()).add(page.number)
        several = {label for label, numbers in seen.items() if len(numbers) > 1}
        if not several:
            return self
        items = {k: v for k, v in self.items.items() if k not in several}
        pages = []
        for page in self.pages:
            lines = []
            for line in page.lines:
                labels = tuple(f"{label} p{page.number}" if label in several else label
                               for label in line.labels)
                for old, new in zip(line.labels, labels, strict=True):
                    if old != new:
                        items.setdefault(new, Item(new, self.items[old].kind))
                lines.append(replace(line, labels=labels))
            pages.append(replace(page, lines=tuple(lines)))
        return replace(self, pages=tuple(pages), items=items)


def read_bytes(path: Path) -> bytes:
    """A corpus file's bytes, gunzipped when it is gzipped."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False,
                   "huge_tree": True, "remove_comments": True}


def parse_xml(data: bytes) -> lxml.etree._Element:
    """The root element of an XML document, never resolving entities or fetching a DTD."""
    return lxml.etree.fromstring(data, lxml.etree.XMLParser(**_PARSER_OPTIONS))


def local(tag: object) -> str:
    """An element's tag without its namespace ("" for comments and processing
    instructions)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def line_end_hyphen(word: str) -> bool:
    """Whether a word ends with a hyphen that breaks it across a line end."""
    return bool(_LINE_END_HYPHEN.search(word)) and len(word) > 1
