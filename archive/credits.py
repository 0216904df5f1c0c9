"""Wire credits set as a line of their own ("[United Press Leased Wire Service.]", "By
Associated Press.", "(By the Associated Press.)", "Associated Press by Federal Wireless",
"[By Wm. G. Shepherd, United Press Staff Correspondent]"): how papers of the early
twentieth century named the agency that sent a story, under its headline or over its
text, where later papers put it in the dateline ("(AP) -").

A credit line is no headline and no text: the story's agency (archive.dateline's
canonical names: "UP", "AP", "INS"), and the correspondent it names, if any."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from archive.dateline import canonical_agency
from archive.name_variants import fold, folded_within, near

CREDIT_WORDS = 10  # a credit line is short; a longer line naming an agency is a sentence
_AGENCY = (r"(?P<agency>associated\W{0,3}press|united\W{0,3}press(?:\W{1,3}associations?)?|"
           # "A. P." and "U. P." before the wire ("Republican A. P. Leased Wire")
           r"[au]\.\s?p\.(?=\s*(?:leased|wire|service|dispatch))|"
           r"international\W{1,3}news(?:\W{1,3}service)?|reuters?|havas|wolff|"
           r"press\W{1,3}association|central\W{1,3}news|exchange\W{1,3}telegraph)")
# What may follow the agency's name in a credit: how it came ("Leased Wire", "by Federal
# Wireless", "Cable"), what it is ("Service", "Dispatch", "Staff Correspondent").
_TAIL = (r"(?:leased|special|private|direct|full|night|day|federal|wireless|wire|service|"
         r"cable|cablegram|dispatch|telegram|report|staff|correspondent|correspondence|by|"
         r"to|the|via|news|exclusive)")
# The agency as a credit names it: "the Associated Press's Leased Wire Service", and the
# paper that took its wire, "(By Republican Associated Press Leased Wire)" (a word before
# an agency's name without it names a heading: "Correspondance Havas.").
_CREDITED = (rf"(?:the\s+)?(?:[a-z]+\s+(?=.*\bwire\b))?{_AGENCY}(?:['’]s)?"
             rf"(?:[\W_]{{1,3}}{_TAIL}\b)*")
# "By" as the OCR reads it: "Br", "Bv", "Hy", "Ity", "Ily", "I!y", "liy", "Uy", "P.y".
OCR_BY = r"(?:b[yvr]|hy|[il1][tl!]y|l[i!]y|uy|p\.y)"
# A bracket or two the OCR may misread as a letter ("XUnited Press ...]") may open it.
_CREDIT = re.compile(
    rf"^[\W_]{{0,3}}(?:[A-Z](?=[A-Z][a-z]))?[\W_]{{0,2}}(?:{OCR_BY}\s+)?{_CREDITED}[\W_]*$",
    re.IGNORECASE)
# "[By Wm. G. Shepherd, United Press Staff Correspondent]": a correspondent of an agency.
_SIGNED = re.compile(
    rf"^[\W_]{{0,3}}by\s+(?P<name>[A-Z][\w.'’ -]{{2,40}}?),\s*(?P<role>{_CREDITED})[\W_]*$",
    re.IGNORECASE)


# A line that opens with "By" (after a bracket or a speck the OCR read: "iBy"; as the OCR
# reads it, OCR_BY), and what follows it
_BY = re.compile(rf"^[\W_]{{0,3}}[a-z]?[\W_]{{0,2}}{OCR_BY}\s+(?P<rest>[^\W\d_][^\d]{{2,40}}?)"
                 r"[\W_]*$", re.IGNORECASE)


# A credit in brackets set on one line with a headline or a deck, before or after it
# ("Sank Italian Destroyer. (By Associated Press.)", "(BY ASSOCIATED PRESS) MONTANA WOMAN
# IS OUT"), its closing bracket sometimes lost at the line's end; "By" as the OCR reads it.
_BRACKETED = re.compile(
    rf"[(\[{{]\s*(?:{OCR_BY}|bt)\.?\s+(?P<rest>[^()\[\]{{}}]{{6,60}}?)[\s.,;:]*(?:[)\]}}]|$)",
    re.IGNORECASE)


# A paper's own correspondent's credit: "Special to the Telegraph", "[Special to The
# Times-Dispatch.]", "(Special Staff Correspondent.)", "(By Cable to The Tribune.)": no
# agency, and no headline or deck either (the OCR sets it as one, or on a deck's line).
_SPECIAL = (r"[\[({]?\s*(?:special\s+(?:(?:staff\s+)?correspondent|correspondence|dispatch|"
            r"telegram|cable|wire)?\s*(?:to|of|from)\s+(?:the\s+)?(?-i:[A-Z])[^\[\](){}]{1,50}?"
            r"|special\s+(?:staff\s+)?correspondent"
            r"|by\s+(?:cable|wireless|telegraph)\s+to\s+(?:the\s+)?(?-i:[A-Z])[^\[\](){}]{1,40}?)"
            r"[\s.,]*[\])}]?[\s.,;]*")
_SPECIAL_LINE = re.compile(_SPECIAL, re.IGNORECASE)
_SPECIAL_AT_END = re.compile(rf"(?:(?<=[.!?])|(?<=[.!?][\"'”’]))\s+(?P<credit>{_SPECIAL})\s*$",
                             re.IGNORECASE)


def special_credit(text: str) -> tuple[str, str] | None:
    """A paper's own correspondent's credit (see _SPECIAL) that is a line of its own, or
    ends a deck after its sentence ("... as They Leave. Special to Times-Republican."):
    (what is left of the line, "" for nothing; the credit as printed), or None."""
    text = text.strip()
    if len(text) > 160 or "pecial" not in text and "able" not in text and "ireless" \
            not in text and "elegraph" not in text and "PECIAL" not in text:
        return None
    if _SPECIAL_LINE.fullmatch(text):
        return "", text
    if match := _SPECIAL_AT_END.search(text):
        return text[:match.start()].rstrip(), match["credit"]
    return None


class Credit(NamedTuple):
    """What a credit line says."""

    agency: str  # the canonical name: "UP"
    name: str | None = None  # the correspondent: "Wm. G. Shepherd"
    role: str | None = None  # as printed: "United Press Staff Correspondent"


def credit(text: str) -> Credit | None:
    """What a credit line says ("[United Press Leased Wire Service.]" -> UP), or None
    when the text is no credit line. Every credit names its agency early on, or opens
    with "By": most lines are let go by a look for those words (_MARKS; the plain-text
    reader asks this of each line)."""
    if len(text) > 120:
        return None
    low = text[:64].lower()
    if not _MARKS.search(low) and not _BY.match(low):
        return None
    return _credit(text)


# What every credit line holds, read or misread ("Assoclsted", "Internatieual", "Unite.)")
_MARKS = re.compile("press|news|reuter|havas|wolff|telegraph|wire|unit|unlt|nited|nlted|"
                    "ulted|soci|socl|ternat")
# A line that opens with "The" and no bracket is a sentence ("The Associated Press
# correspondent / at Berlin says"), however much of it reads like a credit.
_SENTENCE = re.compile(r"the\s", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _credit(text: str) -> Credit | None:
    if len(text.split()) > CREDIT_WORDS:
        return None
    text = text.strip()
    if _SENTENCE.match(text):
        return None
    if match := _CREDIT.match(text):
        return Credit(_canonical(match["agency"]))
    if match := _SIGNED.match(text):
        return Credit(_canonical(match["agency"]), " ".join(match["name"].split()),
                      " ".join(match["role"].split()))
    return _misread(text)


def heading_credit(text: str) -> tuple[Credit, str, str] | None:
    """A wire credit set as a heading or deck line, or in brackets on one line with one
    (the OCR read them as one: "Sank Italian Destroyer. (By Associated Press.)"): what it
    credits, the words of the line left ("" for none) and the credit as printed; or None."""
    if said := credit(text):
        return said, "", text
    for end in _SENTENCE_END.finditer(text):  # the words after a sentence of the line
        tail = text[end.end():]
        if len(tail.split()) <= CREDIT_WORDS and (said := credit(tail)):
            return said, text[:end.end()].rstrip(), tail
    if "(" not in text and "[" not in text and "{" not in text:
        return None
    for match in _BRACKETED.finditer(text):
        said = credit(f"By {match['rest']}") or _worn(match["rest"].split())
        if said is not None:
            rest = " ".join(f"{text[:match.start()]} {text[match.end():]}".split())
            rest = _LEFT_OVER.sub("", rest.strip(" ,;:-—"))
            return said, rest, match.group(0)
    return None


# Where a sentence of a heading line ends, after which the OCR may have read a credit set
# under it onto its line: "Troops on the Offensive. International News Service:"
_SENTENCE_END = re.compile(r"[.!?][\"'”’]?\s+")
_LEFT_OVER = re.compile(r"(?<=[.!?])(?:\s*[^\w\s])+$")  # "Destroyer. ." -> "Destroyer."


# What "(By ..." in brackets credits when its second word is worn past reading
# ("Associated Prvaa", "ASSOCIATED PRI8S"): the first word and the second's first letter.
_WORN = (("associated", "p", "AP"), ("united", "p", "UP"), ("international", "n", "INS"))
WORN_LETTERS = 7  # the worn word is no longer ("Press", "News" as the OCR read them)


def _worn(words: list[str]) -> Credit | None:
    """The agency of a bracketed credit of two words whose second is worn (see _WORN)."""
    words = _without_the(words)
    if len(words) != 2 or len(second := words[1].strip(".,;:")) > WORN_LETTERS \
            or not (words[0][:1].isupper() and second[:1].isupper()):  # a name's capitals
        return None
    for name, initial, agency in _WORN:
        if second[:1].lower() == initial and near(words[0], name):
            return Credit(agency)
    return None


# The agencies whose names the OCR garbles in credits often enough to look for them so:
# their two words, and the edits each may be away (the first, long and rare, says most).
_WIRES = tuple(((fold(first), reach), (fold(second), second_reach), len(first + second), agency)
               for (first, reach), (second, second_reach), agency in (
                   (("associated", 2), ("press", 2), "AP"), (("united", 1), ("press", 2), "UP"),
                   (("international", 3), ("news", 1), "INS")))
# The words a credit goes on with (_TAIL's) as the OCR may read them, with their reach.
_TAIL_READINGS = tuple((fold(word), len(word) // 3) for word in (
    "leased", "special", "private", "direct", "federal", "wireless", "wire", "service",
    "cable", "cablegram", "dispatch", "telegram", "report", "staff", "correspondent",
    "correspondence", "exclusive", "associations", "association"))
_LINKS = frozenset({"by", "to", "the", "via"})  # tail words that end no credit
_OPENING = frozenset("([{'\"‘“")


def _misread(text: str) -> Credit | None:
    """A credit line as the OCR misread it, every word of it: "By" as anything short
    ending like it ("ISy", "3y", "Hv", "( V"), after a speck or two; the agency's two
    words within a few edits ("Assoclsted Preaa", "Internatieual Nws"), or broken
    ("United Pi ess"); then only words of a credit, read as loosely ("Servlee", "redersl
    Wireleaa", "Stuff Correspondent", "Serv ice"), and specks. "The" opens it only after
    "By" or a bracket ("The Associated Press correspondent ..." is a sentence), and no
    credit ends on "to" or "the"."""
    words = text.split()
    opened = bool(words) and words[0][0] in _OPENING
    read = [(word, folded) for word in words if (folded := fold(word))]  # no specks
    while len(read) > 2 and len(read[0][1]) <= 1:  # "I By", "J* By"
        read.pop(0)
    by = bool(read) and len(read[0][0]) <= 4 and read[0][1][-1:] in ("y", "v", "r")
    read = read[1:] if by else read
    if (by or opened) and read and folded_within(read[0][1], "the", 1):
        read = read[1:]
    while read and len(read[-1][1]) <= 1:  # specks the OCR read at the end: "j", "i"
        read.pop()
    folded = [f for _, f in read]
    for size in range(2, min(len(folded), 4) + 1):
        named = "".join(folded[:size])
        for (first, reach), (second, second_reach), length, agency in _WIRES:
            # (read whole, about as long as the agency's name, its last word still
            # that word, "International law" no "International News", a word more
            # worn when a credit's own words follow it: "Nena Service")
            slack = 1 if size < len(folded) else 0
            if abs(len(named) - length) <= 2 \
                    and folded_within(folded[size - 1], second, second_reach + slack) \
                    and folded_within(named, first + second, reach + second_reach) \
                    and _credit_tail(folded[size:]):
                return Credit(agency)
    return None


def _credit_tail(words: list[str]) -> bool:
    """Whether folded words are all a credit's own after its agency (_TAIL_READINGS), a
    word the OCR broke in two read whole ("serv ice")."""
    if words and words[-1] in _LINKS:
        return False
    at = 0
    while at < len(words):
        if _tail_word(words[at]):
            at += 1
        elif at + 1 < len(words) and _tail_word(words[at] + words[at + 1]):
            at += 2
        else:
            return False
    return True


def _tail_word(word: str) -> bool:
    return word in _LINKS or any(folded_within(word, w, r) for w, r in _TAIL_READINGS)


def _without_the(words: list[str]) -> list[str]:
    return words[1:] if words and words[0].lower() == "the" else words


def _canonical(agency: str) -> str:
    words = re.split(r"\W+", agency.lower().strip(" ."))
    if all(len(word) == 1 for word in words):  # "A. P.", "U. P."
        return _INITIALS.get("".join(words), "".join(words).upper())
    return canonical_agency(" ".join(words).strip())


_INITIALS = {"ap": "AP", "up": "UP"}


# A byline that names no one: the paper's own correspondent, or where the story came from
# ("From our own Correspondent", "By a Staff Reporter", "From the London Times", "De notre
# correspondant", "Von unserem Korrespondenten").
_ANONYMOUS = re.compile(
    r"^\W*(?:(?:by|from|de|von|van|dal|del)\s+)?(?:(?:our|a|an|the|notre|nos|unserem|unseren|"
    r"einem|onzen|onze|nostro|nuestro)\b(?:\s+[\w.'’-]+){0,3}?\s+(?:correspondents?|"
    r"reporters?|representatives?|contributors?|correspondante?s?|korrespondenten?|"
    r"berichterstatter|corrispondente|corresponsal|staff)\W*$|the\s+\w)", re.IGNORECASE)


def personal_byline(byline: str | None) -> str | None:
    """The byline as an author's name for a citation; None when it names no one (a
    correspondent's title, a source paper): the page still shows it as printed."""
    text = " ".join((byline or "").split())
    if not text or _ANONYMOUS.match(text):
        return None
    return text
