"""Paragraph repair: lines joined into paragraphs (hyphenation, soft hyphens, unspaced
scripts), sentence ends, column breaks, crossheads, lost hyphens, a page's vocabulary.
Decoding bytes and repairing mojibake: archive.decoding."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Container

from archive.unspaced import has_cjk, join_unspaced

# --- paragraph repair -----------------------------------------------------------------

SOFT_HYPHEN = "\u00ad"
# What may close a sentence after its mark: quotes (English, French, German: », «, “, ‘),
# brackets
CLOSERS = "\"'”’)]」』）»«“‘"
SENTENCE_MARKS = ".!?:;…。！？．"
# What ends_sentence tells, as a regex (its reference: the tests hold them equal)
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_MARKS)}][{re.escape(CLOSERS)}]*$|[\"”’]$")
_LINE_HYPHEN = re.compile(r"(\w+)-\s*\n\s*(\w+)")  # what _sub_line_hyphens finds
_HYPHEN_BREAK = re.compile(r"-\s*\n\s*(\w+)")  # _LINE_HYPHEN from its hyphen on
# Lower-case words that can end a sentence-less fragment only when it continues.
_CONTINUES = re.compile(r"(?:,|\b(?:a|an|the|of|by|to|in|on|at|for|from|with|and|or|but|"
                        r"that|which|who|as|is|are|was|were|be|been|has|have|had|its|their|"
                        r"his|her|than|into|about|after|before|over|under|said|says))$",
                        re.IGNORECASE)


def join_lines(paragraph: str, vocabulary: Container[str] | None = None) -> str:
    """Join the lines of one paragraph, undoing line-end hyphenation ("rec-" / "ognized")."""
    paragraph = paragraph.replace(SOFT_HYPHEN + "\n", "").replace(SOFT_HYPHEN, "")
    return _join_lines(paragraph, vocabulary)


def paragraph_of(lines: list[str], vocabulary: Container[str] | None = None) -> str:
    """join_lines("\n".join(lines), vocabulary) for lines that are stripped and hold no
    soft hyphen (a reader removes those from the whole page first)."""
    if len(lines) > 1:
        return _join_lines("\n".join(lines), vocabulary)
    line = lines[0]
    # Most paragraphs are one line already in the form join_lines gives, words parted by
    # single spaces: then splitting and joining it again would change nothing. Every
    # white-space character but the space is unprintable (tests/test_fast_paths.py checks),
    # so a printable line without two spaces in a row has no other white space.
    if line.isprintable() and "  " not in line:
        return line
    return " ".join(line.split())


# A line-end hyphen printed otherwise: the not sign some OCR writes for it, the double
# oblique hyphen of Fraktur, the Unicode hyphen; or set apart from its word, as OCR that
# reads the hyphen as a word of its own writes it ("Men -" / "schen").
_OTHER_HYPHENS = "\u00ac\u2e17\u2010"
_LOOSE_HYPHEN = re.compile(f"(\\w+)([ \\t]*)([-{_OTHER_HYPHENS}])[ \\t]*\\n[ \\t]*(?=(\\w+))")


def _join_lines(paragraph: str, vocabulary: Container[str] | None) -> str:
    """join_lines for a paragraph without soft hyphens."""
    if "\n" not in paragraph:  # one line: nothing to unhyphenate
        return " ".join(paragraph.split())
    if has_cjk(paragraph):  # a line of Chinese goes on with no space where it breaks
        paragraph = join_unspaced(paragraph)
    if any(c in paragraph for c in _OTHER_HYPHENS) or " -\n" in paragraph:
        paragraph = _LOOSE_HYPHEN.sub(lambda m: _tight_hyphen(m, vocabulary), paragraph)
    if "-" not in paragraph:
        return " ".join(paragraph.split())

    def unhyphenate(head: str, tail: str) -> str:
        joined = head + tail
        if vocabulary is not None:
            if joined.lower() in vocabulary:
                return joined
            if f"{head}-{tail}".lower() in vocabulary:
                return f"{head}-{tail}"
        # "Kurdish-" / "led" is a compound; "rec-" / "ognized" is a broken word.
        if head[:1].isupper() or tail[:1].isupper() or head.isdigit() or tail.isdigit():
            return f"{head}-{tail}"
        return joined

    return " ".join(_sub_line_hyphens(paragraph, unhyphenate).split())


def _tight_hyphen(match: re.Match, vocabulary: Container[str] | None) -> str:
    """A line-end hyphen written as join_lines reads one ("word-" at the line's end). A
    hyphen set apart from its word may be a dash ("he said -" / "and"): it is a hyphen
    only where the page holds the word it would make ("Men -" / "schen")."""
    word, gap, mark, tail = match[1], match[2], match[3], match[4]
    if mark == "-" and (not gap or vocabulary is None
                        or (word + tail).lower() not in vocabulary):
        return match[0]
    return f"{word}-\n"


def _sub_line_hyphens(paragraph: str, unhyphenate: Callable[[str, str], str]) -> str:
    """_LINE_HYPHEN.sub(lambda m: unhyphenate(m[1], m[2]), paragraph), found from the hyphens.

    A search with _LINE_HYPHEN tries its leading word pattern at every letter of the paragraph,
    each time to the end of the word: slow on long OCR pages. _HYPHEN_BREAK opens with the
    hyphen itself, which the regex engine finds fast, and the word before it is then read
    backwards. It is the same match: the word must end at the hyphen, and the leftmost
    match starts where that word does (or where the previous match ended).
    """
    out: list[str] = []
    done = 0  # the paragraph is rewritten up to here
    at = 0  # look for the next hyphen from here
    while match := _HYPHEN_BREAK.search(paragraph, at):
        hyphen = start = match.start()
        while start > done and _is_word_char(paragraph[start - 1]):
            start -= 1
        if start == hyphen:  # no word ends at this hyphen
            at = hyphen + 1
            continue
        out += (paragraph[done:start], unhyphenate(paragraph[start:hyphen], match[1]))
        done = at = match.end()
    if not out:
        return paragraph
    out.append(paragraph[done:])
    return "".join(out)


def _is_word_char(char: str) -> bool:
    """What the regex word class matches (tests/test_fast_paths.py checks every character)."""
    return char.isalnum() or char == "_"




def ends_sentence(paragraph: str) -> bool:
    """True when a paragraph ends like a finished sentence."""
    # _SENTENCE_END by hand: a regex anchored at the end still tries every position of a
    # long paragraph. Its two branches: a closing quote last, or a sentence mark before
    # any run of closers (the two sets are disjoint, so the mark is the last non-closer).
    text = paragraph.rstrip()
    if text.endswith(("\"", "”", "’")):
        return True
    core = text.rstrip(CLOSERS)
    return bool(core) and core[-1] in SENTENCE_MARKS


def looks_like_heading(paragraph: str) -> bool:
    """A short crosshead inside the body ("Oil prices") rather than a broken sentence."""
    words = paragraph.split()
    return (0 < len(words) <= HEADING_WORDS and "," not in paragraph
            and words[0][:1].isupper() and not _CONTINUES.search(paragraph))


HEADING_WORDS = 8  # a crosshead holds no more words


def crosshead(paragraph: str) -> bool:
    """A paragraph printed as a crosshead: a line or two of capitals inside a story ("ISLE
    OF ELY CHAMBER OF AGRICULTURE.", "THE NEW DREDGER"), which a page shows as a heading.
    Only capitals count (a short paragraph in title case may be a sentence's end), and
    never one that holds a sentence and goes on ("DIED. On the 12th inst.")."""
    words = paragraph.split()
    if not 0 < len(words) <= CROSSHEAD_WORDS:
        return False
    letters = [c for c in paragraph if c.isalpha()]
    return len(letters) >= 4 and sum(map(str.isupper, letters)) >= CAPITALS * len(letters) \
        and not _SENTENCE_GOES_ON.search(paragraph.rstrip())


CROSSHEAD_WORDS = 16  # a crosshead of two lines holds no more words
CAPITALS = 0.8  # of its letters, at least (OCR reads some capitals small)
_SENTENCE_GOES_ON = re.compile(r"\w[.!?]\s+\S")
# _CONTINUES matches at most the last 6 letters of a paragraph (its longest word), a line end
# `$` allows after them and the character before the word (\b): a tail this long decides.
_CONTINUES_TAIL = 16


def join_column_breaks(paragraphs: list[str]) -> tuple[list[str], int]:
    """Join paragraphs split by a column break; returns (paragraphs, joins made).

    A paragraph being joined is kept as its parts and only its ends are looked at: joining
    N paragraphs costs their length, not N times it (a page of a thousand one-word
    paragraphs that all join up was quadratic: each test split the whole joined text)."""
    out: list[str] = []
    joined: _Joined | None = None
    joins = 0
    for para in paragraphs:
        if joined is not None and joined.continues(para):
            joined.add(para)
            joins += 1
            continue
        if joined is not None:
            out.append(joined.text())
        joined = _Joined(para)
    if joined is not None:
        out.append(joined.text())
    return out, joins


class _Joined:
    """A paragraph joined from column-broken parts, asked whether a paragraph goes on
    it without building its text: its last characters, and its words while they are few."""

    __slots__ = ("parts", "words")

    def __init__(self, para: str):
        self.parts = [para]
        self.words = _words_capped(para)  # capped: more is never a heading

    def text(self) -> str:
        return "".join(self.parts)

    def tail(self, size: int) -> str:
        """The last `size` characters of the text (all of it when shorter)."""
        pieces: list[str] = []
        for part in reversed(self.parts):
            if size <= 0:
                break
            pieces.append(part[-size:])
            size -= len(pieces[-1])
        return "".join(reversed(pieces))

    def continues(self, para: str) -> bool:
        """Whether para goes on this paragraph (a column break parted them)."""
        last = self.parts[-1]
        # ends_sentence reads back over trailing white space and closing marks to one
        # character more: within the last part and the character before it (a space, or
        # the word a hyphen join ran into), unless that part ends in white space.
        end = self.tail(len(last) + 2) if last[-1:].strip() else self.text()
        if ends_sentence(end) or not para:
            return False
        if para[:1].islower() or end.endswith((",", "-")):
            return True
        heading = self.words <= HEADING_WORDS and looks_like_heading(self.text())
        return not heading and not looks_like_heading(para) or bool(
            _CONTINUES.search(self.tail(_CONTINUES_TAIL)))

    def add(self, para: str) -> None:
        """Join para on, as join_column_breaks always did."""
        last = self.parts[-1]
        # Words past the cap, and one more (the hyphen join takes one), change nothing.
        count = len(para.split(None, HEADING_WORDS + 1))
        if last.endswith("-") and para[:1].islower():
            self.parts[-1] = last[:-1]  # hyphenated word split across columns: one word
            self.parts.append(para)
            count -= 1
        else:
            self.parts += (" ", para)
        self.words = min(self.words + count, HEADING_WORDS + 1)


def _words_capped(para: str) -> int:
    """min(len(para.split()), HEADING_WORDS + 1), without splitting all of a long para."""
    return len(para.split(None, HEADING_WORDS))


# A capitalised name glued to a participle when its hyphen was lost: "Britainbased".
_PARTICIPLE_WORDS = ("based", "backed", "led", "born", "owned", "controlled", "funded",
                     "sponsored", "allied", "linked", "affiliated", "registered", "listed",
                     "bound")
_PARTICIPLES = "(" + "|".join(_PARTICIPLE_WORDS) + r")\b"
_GLUED = re.compile(r"\b([A-Z][a-z]{3,})" + _PARTICIPLES)
# The same without the leading \b and groups, which the regex engine scans for over twice
# as fast; any _GLUED match holds one, so a paragraph without it needs no substitution.
_GLUED_HINT = re.compile(r"[A-Z][a-z]{3,}" + _PARTICIPLES)
_NOT_GLUED = frozenset({"stubborn", "firstborn", "westbound", "eastbound", "northbound",
                        "southbound", "inbound", "outbound", "homebound", "spellbound"})


# _GLUED_HINT runs over every paragraph of every page, and a regex that opens with a set of
# characters ([A-Z]) tries its set at each position, which is slow. Read backwards, a match
# opens with a fixed participle instead ("desab" for "based"), which the regex engine looks
# for as fast as str.find: so the hint is searched for in the reversed text, one regex per
# first letter of the reversed participles (all but "born" end in "d") to keep a literal
# prefix. Without the hint's final \b it may say yes where the hint says no, never the
# reverse (tests/test_fast_paths.py checks).
_REVERSED_HINTS = tuple(
    re.compile(re.escape(last) + "(?:" + "|".join(re.escape(word[-2::-1]) for word in words)
               + ")[a-z]{3,}[A-Z]")
    for last, words in itertools.groupby(sorted(_PARTICIPLE_WORDS, key=lambda w: w[-1]),
                                         key=lambda w: w[-1]))


def may_have_lost_hyphens(paragraphs: list[str]) -> bool:
    """False when restore_lost_hyphens would change none of the paragraphs (one fast pass
    over all of them; True means it may)."""
    backwards = "\n".join(paragraphs)[::-1]  # no match spans a line end
    return any(hint.search(backwards) for hint in _REVERSED_HINTS)


def restore_lost_hyphens(paragraph: str) -> str:
    """Put back a hyphen a scan lost between a name and a participle ("Britain-based")."""
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.lower() in _NOT_GLUED:
            return word
        return f"{match.group(1)}-{match.group(2)}"

    if not _GLUED_HINT.search(paragraph):
        return paragraph
    return _GLUED.sub(fix, paragraph)


class Vocabulary:
    """`word in vocabulary_of(text)` for lower-case words, without building the vocabulary
    (a slow \\w regex over the whole page) while a plain substring test can answer.

    Each substring test reads the whole page, so after a few of them the vocabulary is
    built instead: a page with thousands of hyphenated line ends stays linear in its size.
    """

    SUBSTRING_TESTS = 8  # substring tests before the vocabulary is built

    def __init__(self, text: str):
        self._text = text
        self._lower: str | None = None  # the page lower-cased, once a word is looked up
        self._words: set[str] | None = None
        self._tests = 0

    def __contains__(self, word: object) -> bool:
        if self._words is None and self._tests < self.SUBSTRING_TESTS:
            self._tests += 1
            # A word no token lower-cases to unless the lower-cased page holds it:
            # str.lower() maps character by character, except a capital sigma, whose form
            # depends on what follows it (then the substring test could miss: not used).
            if self._lower is None and "\u03a3" not in self._text:
                self._lower = self._text.lower()
            if self._lower is not None and isinstance(word, str) and word not in self._lower:
                return False
        if self._words is None:
            self._words = vocabulary_of(self._text)
        return word in self._words


def vocabulary_of(text: str) -> set[str]:
    """Lower-cased words (hyphenated ones too) of a text: evidence for unhyphenation."""
    return {w.lower() for w in re.findall(r"\w+(?:-\w+)*", text)}
