"""Scripts written without spaces between words (Chinese characters, Japanese hiragana):
telling text that holds them, counting its words a character at a time, joining its lines
without a space. The index takes them a character at a time too (index.analysis)."""

from __future__ import annotations

import re

# Chinese characters and Japanese hiragana: scripts written without spaces between words,
# counted (and indexed: index.analysis) a character at a time, as Lucene's standard
# tokenizer takes them (katakana and Hangul words are set apart as words are).
CJK = "\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK_CHAR = re.compile(f"[{CJK}]")
# a line break between two characters of an unspaced script (or its punctuation)
_CJK_BREAK = re.compile(rf"(?<=[{CJK}\u3000-\u303f\uff00-\uffef])[ \t]*\n[ \t]*"
                        rf"(?=[{CJK}\u3000-\u303f\uff00-\uffef])")
# (their punctuation, "，" "。", set without spaces, counts as no word)
_COUNTED = re.compile(rf"[{CJK}]|[^\s{CJK}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+")


# The UTF-8 lead bytes of those characters (U+3000-U+9FFF, U+F900-U+FFFF, the planes
# above): text without any of them holds none, told by a few memchr-fast scans.
_CJK_LEADS = tuple(bytes([lead]) for lead in (0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEF,
                                              0xF0))


def may_hold_cjk(data: bytes) -> bool:
    """False when UTF-8 bytes hold no character of a script written without spaces (a
    first look, ten times cheaper than has_cjk on the text: then ask has_cjk)."""
    return any(lead in data for lead in _CJK_LEADS)


def has_cjk(text: str) -> bool:
    """Whether a text holds a character of a script written without spaces (CJK)."""
    return not text.isascii() and _CJK_CHAR.search(text) is not None


def count_words(text: str) -> int:
    """A text's words: what spaces part, each character of a script written without
    spaces (CJK) one word."""
    return len(_COUNTED.findall(text)) if has_cjk(text) else len(text.split())


def join_unspaced(paragraph: str) -> str:
    """A paragraph's line breaks between two characters of an unspaced script (or its
    punctuation) taken out: the script puts no space where a line breaks."""
    return _CJK_BREAK.sub("", paragraph)
