"""Slugs for names and headlines: lower-case ASCII words joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_WORDS = 10
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_WORD = re.compile(r"\w+")


# Latin letters NFKD leaves whole (no base letter and a mark to drop), spelled out as the
# languages that use them spell them in ASCII: "Straßburger" -> "strassburger", "L'Œuvre"
# -> "loeuvre", "Þjóðólfur" -> "thjodolfur" (dropped, they made "straburger", "luvre").
_SPELLED = str.maketrans({
    "ß": "ss", "ẞ": "SS", "Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o",
    "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "Th", "þ": "th",
    "ı": "i", "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t", "Ŋ": "N", "ŋ": "n", "ĸ": "k"})


def slugify(text: str, max_words: int = MAX_SLUG_WORDS) -> str:
    """ "Russian bombers strike" -> "russian-bombers-strike"; non-Latin text keeps its letters."""
    return id_slug(text.translate(_SPELLED), max_words)


def id_slug(text: str, max_words: int = MAX_SLUG_WORDS) -> str:
    """The slug an article's id is made from (archive.articles.article_id): slugify as it
    was before the letters of _SPELLED were spelled out (they were dropped), kept so:
    the ids of articles already published must not change."""
    text = text.replace("’", "").replace("'", "")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    # Arabic (or any script with no ASCII form) keeps its own letters rather than vanishing.
    source = ascii_text if _ASCII_ALNUM.search(ascii_text) else text
    words = _WORD.findall(source.lower())
    return "-".join(words[:max_words]) or "untitled"
