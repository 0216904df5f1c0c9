r"""ftfy's repairs (mojibake, stray controls), run only on the lines ftfy would change.

ftfy fixes text line by line and was half the cost of parsing a page, yet it leaves nearly
every line alone. A line is passed over only when ftfy provably returns it unchanged:

1. Lines of printable ASCII plus the typographic quotes, dashes and ellipsis of news text
   (most lines): ASCII holds no mojibake and these characters match none of ftfy's badness
   patterns (checked exhaustively in tests/test_fast_paths.py).
2. Other lines that hold nothing one of ftfy's fixers other than fix_encoding acts on (its
   own control-character and ligature tables, C1 controls, surrogates, escapes, line
   separators), are NFC already, and do not look bad to ftfy: fix_encoding then keeps the
   line and nothing else changes it. ftfy's is_bad() scans the whole line with one large
   regex; every badness pattern holds a non-ASCII character and spans at most
   _BADNESS_WIDTH characters, so only the stretches around non-ASCII characters are
   searched.

\r is left alone here: ftfy would turn it into \n, and the caller replaces line ends the
same way. That cannot make a line look bad: no badness pattern names either character,
and where one takes any space (\s) or any character (.), \r does as well as \n.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy.badness import BADNESS_RE
from ftfy.chardata import CONTROL_CHARS, LIGATURES

# ftfy repairs mojibake ("â€™" -> "’") but must keep typographic quotes in the stored
# text: folding them is the index's job.
FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False,
                                   unescape_html=False, explain=False)

_PLAIN = "\t\x0c\r\x20-\x7e\u2018\u2019\u201c\u201d\u2013\u2014\u2026"
NOT_PLAIN = re.compile(f"[^{_PLAIN}\n]")  # a character of a line fix_lines looks at
# What fixers other than fix_encoding act on (fix_line_breaks's \r is handled by the caller).
_FIXED_BY_FTFY = re.compile("[" + "".join(
    re.escape(chr(c)) for c in sorted(set(CONTROL_CHARS) | set(LIGATURES)))
    + "\x80-\x9f\x1b\x85\u2028\u2029\ud800-\udfff]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_BADNESS_WIDTH = 7  # the longest badness match (tests check it against ftfy's pattern)


def fix_lines(text: str) -> str:
    """ftfy.fix_text(text) with the config above: the same segments (lines), the same
    result, but ftfy runs only on the lines it can change."""
    out: list[str] = []
    pos = 0  # always the start of a line
    while match := NOT_PLAIN.search(text, pos):
        start = text.rfind("\n", pos, match.start()) + 1 or pos
        end = text.find("\n", match.start()) + 1 or len(text)
        line = text[start:end]
        out.append(text[pos:start])
        out.append(ftfy.fix_text(line, FTFY_CONFIG) if _ftfy_may_change(line) else line)
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _ftfy_may_change(line: str) -> bool:
    return (_FIXED_BY_FTFY.search(line) is not None
            or not unicodedata.is_normalized("NFC", line)
            or looks_bad(line))


def looks_bad(line: str) -> bool:
    """ftfy.badness.is_bad(line), searching only around the non-ASCII characters."""
    for run in _NON_ASCII_RUN.finditer(line):
        start = max(0, run.start() - _BADNESS_WIDTH + 1)
        if BADNESS_RE.search(line, start, run.end() + _BADNESS_WIDTH - 1):
            return True
    return False
