"""The page a scanned page's file name gives, for the page readers (page OCR text, an ALTO
page alone, hOCR) when the page itself says nothing stronger.

Digitisation programmes name each page image's OCR file by its place in the issue:
Chronicling America ".../seq-3/ocr.txt" or "<lccn>-ed-1_seq-3.txt", the British Library
"0002647_18240217_0003.xml", impresso "1858-12-07_01-00004.xml", a Tesseract run over an
issue's scans "dchnp71001-2.hocr". A number is taken only where it stands after a
separator at the very end of the name (or as "seq-N" anywhere in the path), has at most
three significant digits, and does not end a date ("1858-12-07.xml" names an issue, not
page 7). A name that is a long number alone ("0004927.txt", a running count) gives none."""

from __future__ import annotations

import re

MAX_PAGE = 999  # an issue's sequence: a Sunday edition has a few hundred pages at most
_SEQUENCE = re.compile(r"(?:^|[/_\\-])seq-(?P<n>\d{1,4})(?:[/_.\\]|$)", re.IGNORECASE)
# the number ending a name: after a separator, or a short name that is a number alone
_TRAILING = re.compile(r"(?:[-_ .]|^)(?:p|pg|page|seq)?[-_]?(?P<zeros>0*)(?P<n>\d{1,3})$",
                       re.IGNORECASE)
_LONE = re.compile(r"\d{1,5}")  # "0003", "12": a name that is the sequence alone
# a date at the end of the name: "1858-12-07", "18581207", "1858_12_07"
_DATE_END = re.compile(r"(?:1[5-9]|20)\d\d[-_.]?[01]\d[-_.]?[0-3]\d$")


def page_in_name(name: str) -> int | None:
    """The page (1..MAX_PAGE) a file's path names, or None."""
    found = page_and_series(name)
    return found[0] if found else None


def page_and_series(name: str) -> tuple[int, str] | None:
    """(page, series) of a path that names a page: the series is the path with the page's
    number taken out, the same for every page file of one issue ("dchnp71001-3.hocr" ->
    "dchnp71001-#.hocr", ".../ed-1/seq-3/ocr.txt" -> ".../ed-1/seq-#/ocr.txt")."""
    if (match := _SEQUENCE.search(name)) is not None:
        number = int(match["n"])
        if not 0 < number <= MAX_PAGE:
            return None
        return number, name[:match.start("n")] + "#" + name[match.end("n"):]
    start = max(name.rfind("/"), name.rfind("\\")) + 1
    stem = name[start:].split(".")[0]  # "x_0003.xml.gz" -> "x_0003"
    if not stem or _DATE_END.search(stem):
        return None
    if stem.isdigit() and not _LONE.fullmatch(stem):
        return None  # a running count, not a page
    match = _TRAILING.search(stem)
    if match is None:
        return None
    number = int(match["n"])
    if not 0 < number <= MAX_PAGE:
        return None
    # the number with its leading zeros: "_0003" and "_0012" are one series
    return number, name[:start + match.start("zeros")] + "#" + name[start + match.end("n"):]
