"""What a file is, from its name and first bytes: which reader takes it, or why none does.

Markup is told by its root element and namespace (never read as text); text by its shape:
page OCR (many short lines, as a column prints them) or article text (paragraphs)."""

from __future__ import annotations

import re

from archive.model import Rejected

HEAD_BYTES = 64 * 1024  # what sniff() looks at

# Names whose form says they are no page, whatever they hold.
_NOT_PAGES = {
    ".md": "a Markdown document", ".markdown": "a Markdown document",
    ".rst": "a reStructuredText document", ".csv": "a CSV table", ".tsv": "a TSV table",
    ".json": "JSON data", ".jsonl": "JSON lines", ".py": "program code", ".js": "program code",
    ".css": "a style sheet", ".pdf": "a PDF document", ".jp2": "an image", ".jpg": "an image",
    ".jpeg": "an image", ".png": "an image", ".tif": "an image", ".tiff": "an image",
    ".gif": "an image", ".zip": "a zip archive", ".tar": "a tar archive",
    ".xsd": "an XML schema", ".xsl": "an XSLT style sheet", ".dtd": "an XML DTD",
}

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Before the root element: the XML declaration, processing instructions, comments, a
# DOCTYPE (with an internal subset in brackets), white space.
_PROLOG = re.compile(rb"\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>)\s*)*",
                     re.DOTALL | re.IGNORECASE)
_START_TAG = re.compile(rb"<(?:(?P<prefix>[\w.-]+):)?(?P<local>[\w.-]+)(?P<attrs>[^>]*)>?",
                        re.DOTALL)
_XMLNS = re.compile(rb"""xmlns(?::(?P<prefix>[\w.-]+))?\s*=\s*["'](?P<uri>[^"']*)["']""")
_HOCR = re.compile(rb"""ocr_page|ocr-system|ocr-capabilities""")
_CHECKSUM_LINE = re.compile(rb"^\s*(?:(?:sha\d*|md5)\s*\(.+\)\s*=\s*[0-9a-f]{16,}"
                            rb"|[0-9a-f]{32,}\s+\*?\S.*)\s*$", re.IGNORECASE)


def sniff(name: str, head: bytes) -> str:
    """The reader name for a file (see archive.formats), or Rejected saying what it is."""
    lowered = name.lower().removesuffix(".gz")
    for suffix, what in _NOT_PAGES.items():
        if lowered.endswith(suffix):
            raise Rejected(f"not a page: {what} (by its name)")
    start = head
    for bom in _BOMS:
        if start.startswith(bom):
            start = start[len(bom):]
            break
    if start.startswith(b"\xff\xfe") or b"\x00" in start[:2]:
        return "pressreader"  # UTF-16 text: decoded and read as text
    if start.lstrip()[:1] == b"<":
        return _markup(start)
    if start.lstrip()[:1] in (b"{", b"["):
        raise Rejected("not a page: JSON data")
    if _checksums(start):
        raise Rejected("not a page: a list of checksums (a delivery manifest)")
    return "pressreader"


def root_element(head: bytes) -> tuple[str, str | None, str]:
    """(local name, namespace URI or None, prefix) of the document's root element, read
    from its first bytes without parsing the document."""
    prolog = _PROLOG.match(head)
    at = prolog.end() if prolog else 0
    match = _START_TAG.match(head, at)
    if match is None:
        raise Rejected("not a page: markup without a readable root element")
    prefix = (match["prefix"] or b"").decode("ascii", "replace")
    namespaces = {(m["prefix"] or b"").decode("ascii", "replace"): m["uri"].decode(
        "utf-8", "replace") for m in _XMLNS.finditer(match["attrs"])}
    return match["local"].decode("ascii", "replace"), namespaces.get(prefix), prefix


def _markup(head: bytes) -> str:
    local, namespace, _ = root_element(head)
    name = local.lower()
    if name == "mets":
        return "mets"
    if name == "alto":
        return "alto"
    if name == "didl":
        return "didl"
    if name == "html":
        if _HOCR.search(head):
            return "hocr"
        raise Rejected("not a page: an HTML document without hOCR (no ocr_page)")
    where = f" in namespace {namespace}" if namespace else ""
    raise Rejected(f"not a page: an XML document whose root is <{local}>{where}; this archive "
                   "reads METS, ALTO, DIDL and hOCR")


def _checksums(head: bytes) -> bool:
    lines = [line for line in head.split(b"\n")[:50] if line.strip()]
    return len(lines) >= 2 and sum(1 for line in lines if _CHECKSUM_LINE.match(line)) \
        >= 0.8 * len(lines)
