"""Jump lines as the OCR misread them: "(Contlnued on Bccond fage.)", "CONT tED ON PAGE
TWO.", "Continued 0:1 Page 6", "[Continued on Pa#e IS]", "(Continued on pace 4, Cot 3.)".

A jump line says where a story goes on ("Continued on Page 6"); the exact forms are
furniture's (archive.segmentation.furniture.JUMP, archive.formats.ocr_lines). Misread, it
stood as a headline or a deck over the text after it, or ended a story's text. Read word
by word instead: the verb within two edits ("Continuel", "Continurit"; never a verb of
the text, "continues to be", "concluded that"), its link ("on", "0:1", "from"), then
only a page word within two edits ("Pago", "rage", "I'affc") with its number, ordinal or
column ("Second", "15]", "Col. 3", "first section"), or nothing at all when the line
breaks after "(Continued on"."""

from __future__ import annotations

from archive.name_variants import fold, within

MAX_WORDS = 9
_VERBS = ("continued", "concluded")
# Forms of the verbs that run on in the text; within two edits of "continued" too
_TEXT_FORMS = frozenset(fold(w) for w in (
    "continue", "continues", "continuing", "continual", "contained", "contend",
    "conclude", "concludes", "concluding"))
_LINKS = frozenset({"on", "ol", "to", "from", "in"})  # folded: "0n", "o:i" and "0:1" too
_NUMBERS = frozenset(fold(w) for w in (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty first second third fourth fifth "
    "sixth seventh eighth ninth tenth eleventh twelfth last next back").split())
_PLACES = ("column", "col", "section", "sec", "part")  # where on the page


def misread_jump(text: str) -> bool:
    """Whether a line is a jump line the OCR misread (see the module's rule)."""
    words = [w for w in (fold(w) for w in text.split()) if w]
    if not 2 <= len(words) <= MAX_WORDS:
        return False
    at = _verb_end(words)
    if at is None or at >= len(words) or not (
            words[at] in _LINKS or within(words[at], "from", 1)):
        return False
    rest = words[at + 1:]
    if rest and rest[0] == "the":
        rest = rest[1:]
    if not rest:  # broken after its link: only the verb read right says so
        return words[0] in (fold(v) for v in _VERBS) and at == 1
    paged = False
    odd = 0  # short tokens that are none of these ("ret": "first" read so)
    for word in rest:
        if not paged and 2 <= len(word) <= 6 and within(word, "page", 2):
            paged = True
        elif word in _NUMBERS or any(c.isdigit() for c in word) and len(word) <= 3 \
                or len(word) >= 4 and any(within(word, n, 1) for n in _NUMBERS) \
                or any(within(word, p, 2) for p in _PLACES if len(word) >= len(p) - 1):
            continue
        elif len(word) <= 3 and odd == 0:
            odd += 1
        else:
            return False
    return paged


def _verb_end(words: list[str]) -> int | None:
    """Where the verb of a jump line ends (the index of the word after it), or None:
    "Contlnued", "Cont." alone, or broken in two ("CONT tED")."""
    first = words[0]
    for size, word in ((1, first), (2, first + words[1])):
        if word not in _TEXT_FORMS and any(within(word, verb, 2) for verb in _VERBS):
            return size
    return 1 if first in ("cont", "contd") else None
