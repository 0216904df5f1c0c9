"""Slugs for names and headlines: lower-case ASCII words joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_WORDS = 10
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_WORD = re.compile(r"\w+")


def slugify(text: str, max_words: int = MAX_SLUG_WORDS) -> str:
    """ "Russian bombers strike" -> "russian-bombers-strike"; non-Latin text keeps its letters."""
    text = text.replace("’", "").replace("'", "")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    # Arabic (or any script with no ASCII form) keeps its own letters rather than vanishing.
    source = ascii_text if _ASCII_ALNUM.search(ascii_text) else text
    words = _WORD.findall(source.lower())
    return "-".join(words[:max_words]) or "untitled"
