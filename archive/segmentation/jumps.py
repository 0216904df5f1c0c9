"""Jump lines as the OCR misread them: "(Contlnued on Bccond fage.)", "CONT tED ON PAGE
TWO.", "Continued 0:1 Page 6", "[Continued on Pa#e IS]", "(Continued on pace 4, Cot 3.)".

A jump line says where a story goes on ("Continued on Page 6"); the exact forms are
furniture's (archive.segmentation.furniture.JUMP, archive.formats.ocr_lines). Misread, it
stood as a headline or a deck over the text after it, or ended a story's text. Read word
by word instead: the verb within two edits ("Continuel", "Continurit"; never a verb of
the text, "continues to be", "concluded that"), its link ("on", "0:1", "from"), then
only a page word within two edits ("Pago", "rage", "I'affc") with its number, ordinal or
column ("Second", "15]", "Col. 3", "first section"), or nothing at all when the line
breaks after "(Continued on".

Every line of a page's text is asked: what most lines fail (their first word's length and
letters) is looked at first, and the words are folded (name_variants.fold) once."""

from __future__ import annotations

import functools
import re

from archive.name_variants import fold, folded_within

MAX_WORDS = 9
_VERBS = tuple(fold(v) for v in ("continued", "concluded"))
_VERB_SIZES = range(min(map(len, _VERBS)) - 2, max(map(len, _VERBS)) + 3)
# Forms of the verbs that run on in the text; within two edits of "continued" too
_TEXT_FORMS = frozenset(fold(w) for w in (
    "continue", "continues", "continuing", "continual", "contained", "contend",
    "conclude", "concludes", "concluding"))
_LINKS = frozenset({"on", "ol", "to", "from", "in"})  # folded: "0n", "o:i" and "0:1" too
_FROM = fold("from")
_PAGE = fold("page")
_NUMBERS = frozenset(fold(w) for w in (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty first second third fourth fifth "
    "sixth seventh eighth ninth tenth eleventh twelfth last next back").split())
_LONG_NUMBERS = tuple(n for n in _NUMBERS if len(n) >= 4)
_PLACES = tuple(fold(w) for w in ("column", "col", "section", "sec", "part"))  # on a page


def misread_jump(text: str) -> bool:
    """Whether a line is a jump line the OCR misread (see the module's rule)."""
    if not _OPENING.match(text):
        return False  # most lines: no verb of a jump line opens them
    raw = text.split()
    while len(raw) > 2 and sum(map(str.isalnum, raw[0])) <= 1:  # "i (Continued", "1 ("
        raw.pop(0)
    if not 2 <= len(raw) <= MAX_WORDS + 2:  # (specks of punctuation are no words)
        return False
    if not _may_open(raw[0], raw[1]):
        return False  # most lines: no verb of a jump line opens them (nothing folded yet)
    words = [w for w in map(fold, raw) if w]
    if not 2 <= len(words) <= MAX_WORDS:
        return False
    at = _verb_end(words)
    if at is None or at >= len(words) or not (
            words[at] in _LINKS or folded_within(words[at], _FROM, 1)):
        return False
    rest = words[at + 1:]
    if rest and rest[0] == "the":
        rest = rest[1:]
    if not rest:  # broken after its link: only the verb read right says so
        return words[0] in _VERBS and at == 1
    paged = False
    odd = 0  # short tokens that are none of these ("ret": "first" read so)
    for word in rest:
        if not paged and 2 <= len(word) <= 6 and folded_within(word, _PAGE, 2):
            paged = True
        elif word in _NUMBERS or any(c.isdigit() for c in word) and len(word) <= 3 \
                or len(word) >= 4 and any(folded_within(word, n, 1) for n in _LONG_NUMBERS) \
                or any(folded_within(word, p, 2) for p in _PLACES if len(word) >= len(p) - 1):
            continue
        elif len(word) <= 3 and odd == 0:
            odd += 1
        else:
            return False
    return paged


def _may_open(first: str, second: str) -> bool:
    """Whether a line's first words may be a jump line's verb, by their letters' count and
    a few of them (fast: asked of every line)."""
    size = sum(map(str.isalnum, first))
    low = first.lower()
    if size in _VERB_SIZES:
        return "nt" in low or "nu" in low or "ued" in low or "co" in low[:3]
    # "Cont.", or the verb broken in two ("CONT IED", "Co tinued")
    return 2 <= size <= 5 and low.lstrip(_SPECKS)[:1] == "c" and (
        low.strip(_SPECKS) in ("cont", "contd", "cont'd")
        or size + sum(map(str.isalnum, second)) in _VERB_SIZES)


# What a jump line's first letters hold, read or misread: a "c", or letters of its verb
_OPENING = re.compile(r".{0,10}?(?:c|nt|nu|ued)", re.IGNORECASE)
_SPECKS = "([{'\"|.,;:-_*"


def _verb_end(words: list[str]) -> int | None:
    """Where the verb of a jump line ends (the index of the word after it), or None:
    "Contlnued", "Cont." alone, or broken in two ("CONT tED")."""
    first = words[0]
    for size, word in ((1, first), (2, first + words[1])):
        if _verb(word):
            return size
    return 1 if first in ("cont", "contd") else None


@functools.lru_cache(maxsize=4096)
def _verb(word: str) -> bool:
    """Whether a folded word is a jump line's verb as the OCR read it (a page's words
    repeat: "president", "country")."""
    return len(word) in _VERB_SIZES and word not in _TEXT_FORMS \
        and any(folded_within(word, verb, 2) for verb in _VERBS)
