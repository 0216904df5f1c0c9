"""Decoding page bytes and repairing decoded text: UTF-8 first (with or without a
byte-order mark, UTF-16 told by its zero bytes), then Arabic cp1256 or Western cp1252;
binary data refused; mojibake, stray controls, DEL, noncharacters and line ends repaired,
and NFC. repair() does the same for text a parser decoded (an XML page's words)."""

from __future__ import annotations

import re
import unicodedata

from archive.model import Rejected
from archive.mojibake import NOT_PLAIN, fix_lines

# Bytes undefined in cp1252; a file containing them is not cp1252 text.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")
_CONTROL_BYTES = bytes(sorted(frozenset(range(0, 32)) - frozenset(b"\t\n\r\x0c")))


def decode(data: bytes) -> tuple[str, str]:
    """Decode page bytes: UTF-8 first, then a sensible legacy guess; (text, encoding).

    Raises Rejected when the bytes are binary data or no encoding fits.
    """
    if data.isspace() or not data:  # not data.strip(), without copying the page
        raise Rejected("empty file (no text)")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _finish(data.decode(codec, errors="replace")), codec
    sample = data[:65536]
    if b"\x00" in sample:
        if codec := _bomless_utf16(sample):
            return _finish(data.decode(codec, errors="replace")), codec
        raise Rejected("binary data: contains NUL bytes, not a text page")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(sample) // 100):
        raise Rejected(f"binary data: {controls} control bytes in the first "
                       f"{len(sample)} bytes, not a text page")
    try:
        return _finish(data.decode("utf-8"), data), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte and bad <= max(3, len(text) // 1000):
        # Mostly UTF-8 with a few broken bytes: keep it, the note records the loss.
        return _finish(text), f"utf-8 ({bad} undecodable bytes replaced)"
    if multibyte:
        # Valid UTF-8 beside many invalid bytes: no single encoding reads this file.
        raise Rejected(f"undecodable: mixed encodings ({bad} invalid UTF-8 sequences "
                       f"among {multibyte} valid ones)")
    codec = _legacy_codec(data)
    return _finish(data.decode(codec, errors="replace")), codec


def _bomless_utf16(sample: bytes) -> str | None:
    """UTF-16 without a byte-order mark, told by its zero bytes: the high byte of nearly
    every character of a Latin script (every second byte), and nearly no other."""
    even, odd = sample[0:4096:2], sample[1:4096:2]
    if len(odd) < 8:
        return None
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd >= 0.9 and zero_even <= 0.1:
        return "utf-16-le"
    if zero_even >= 0.9 and zero_odd <= 0.1:
        return "utf-16-be"
    return None


def _legacy_codec(data: bytes) -> str:
    """Tell Arabic cp1256 from Western cp1252: Arabic words are runs of high bytes."""
    high = [i for i, b in enumerate(data) if b > 0x7F]
    if any(data[i] in _CP1252_HOLES for i in high):
        return "cp1256"
    in_runs = sum(1 for i in high if (i + 1 < len(data) and data[i + 1] > 0x7F)
                  or (i > 0 and data[i - 1] > 0x7F))
    return "cp1256" if high and in_runs / len(high) > 0.6 else "cp1252"


# The ASCII characters of mojibake.NOT_PLAIN's plain text: most of a page's bytes.
_PLAIN_ASCII = bytes(b for b in range(0x80) if not NOT_PLAIN.match(chr(b)))


def _finish(text: str, utf8: bytes | None = None) -> str:
    """Repair decoded text: mojibake, line ends, DEL characters, NFC.

    utf8: the bytes text was decoded from, if UTF-8. The plain-text test then runs on what
    is left of them without their plain ASCII (a few bytes, ASCII removed whole so the rest
    still decodes), instead of on every character of the text (tests/test_fast_paths.py).
    """
    if utf8 is not None and not NOT_PLAIN.search(
            utf8.translate(None, _PLAIN_ASCII).decode("utf-8")):
        # Plain text: nothing for ftfy (fix_lines would return it as it is), no DEL, and
        # NFC already (no plain character decomposes or combines). Only line ends are left,
        # looked for in the bytes, far faster than in the text.
        if b"\r" in utf8:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text
    return _repaired(text).replace("\r\n", "\n").replace("\r", "\n")


# What text a parser decoded needs repair for: C1 controls and DEL, a UTF-8 lead byte read
# as Latin-1 or cp1252 before a continuation byte read the same way (mojibake: "Ã©",
# "Ã\x89", "â€™"), combining marks (text that may not be NFC), noncharacters. Far
# cheaper to look for than running ftfy's own tests on every line of a page in French.
_CP1252_HIGH = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014" \
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_REPAIR_HINT = re.compile(f"[\x7f-\x9f\u0300-\u036f\ufdd0-\ufdef\ufffe\uffff]"
                          f"|[\xc2-\xf4][\xa0-\xbf{_CP1252_HIGH}]")


def needs_repair(text: str) -> bool:
    """Whether repair() may change text a parser decoded (see _REPAIR_HINT)."""
    return _REPAIR_HINT.search(text) is not None


def repair(text: str) -> str:
    """What decode() repairs, for text that came another way (the words of an XML page,
    decoded by its parser as its declaration says: a page of UTF-8 declared ISO-8859-1
    reads "SUPPLÃ\x89MENT"): mojibake, stray controls, DEL, noncharacters, NFC."""
    return _repaired(text) if NOT_PLAIN.search(text) else text


def _repaired(text: str) -> str:
    text = fix_lines(text).replace("\x7f", "")
    if _NONCHARACTERS.search(text):  # rare: one scan in C to find out
        text = _NONCHARACTERS.sub("", text)
    return unicodedata.normalize("NFC", text)


# Unicode noncharacters (U+FDD0..U+FDEF and the last two code points of every plane): never
# text, invalid in XML 1.0 where U+FFFE/U+FFFF are concerned, shown as boxes in a browser.
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]")
