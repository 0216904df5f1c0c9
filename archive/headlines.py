"""Whether a scanned issue's heading (or catalogue title) can stand as an article's headline,
and the headline an item gets when it cannot.

OCR of old pages and the METS zoning around it give headings that are no headline: debris
("'.:'_~.", "i~"), one or two characters, broken word shapes ("maladd6lhim.m-__",
"Unita( *t4tesli."), words read at low confidence, the paper's own title or a running head
("THE STATESMAN", "THE EXAMINER, SATURDAY, MAY 2, 1874."), or a line of running text cut
off at its start ("mveyed the I is was that of hi"). fault() names what is wrong, by
measurable rules. A reader that holds its headlines to it (archive.formats.issue: METS and
DIDL issues) keeps a heading it sets aside as text; the finishing (archive.articles) then
takes the first words of the first paragraph that pass (noted, as for any item printed
without a heading), else the label UNTITLED."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from archive.model import RawItem
from archive.segmentation.datelines import DAY_WORDS, MONTH_NUMBERS
from archive.text import ends_sentence

# How strictly a reader's headings are held: STRICT (METS and DIDL issues, whose zoning
# makes headings of anything) by every rule of fault(); DEBRIS (pages segmented by their
# layout, whose headings are set in larger type) only by the rules against debris: a
# heading read with an OCR error ("FRANZ JOSIIP1I VERY SICK.") or cut at its start still
# says more than the first words of its text would.
STRICT, DEBRIS = "strict", "debris"
UNTITLED = "[untitled]"  # slugify() makes it "untitled", as for any headline of no word
FIRST_WORDS = "headline taken from the first words of the text"  # the notes saying so
NO_HEADLINE = ("no readable headline: neither a heading nor the opening words of a "
               "paragraph pass as one")
FIRST_SENTENCE = "headline taken from the first readable sentence of the text"
DECK_RAISED = "headline taken from the deck under the heading"
CHOSEN = frozenset({FIRST_WORDS, FIRST_SENTENCE, NO_HEADLINE})  # notes of a made headline
HEADLINE_WORDS = 12  # a headline made from the first words of an item holds no more
OPENING_WORDS = 40  # a headline is looked for among a paragraph's first words, no further
MIN_LETTERS = 3  # fewer letters is a stray mark or a letter from the next column
MIN_ALNUM_SHARE = 0.6  # of the characters other than spaces
MIN_LETTER_SHARE = 0.5  # of the characters other than spaces (a row of a table is none)
MIN_SHAPED_SHARE = 0.8  # of the letters, in words of a printed shape
MIN_CONFIDENCE = 0.45  # mean word confidence (ALTO WC) of a heading's words
# Words that never make a headline alone ("THE", "OF THE", "de la").
_FUNCTION_WORDS = frozenset(
    "a an and the of in on to for by at or with from as is be it not no but this that "
    "le la les de des du et un une au aux en ou par pour sur l d "
    "der die das und ein eine einer von im in zu den dem des mit auf".split())
_SINGLE_LETTERS = frozenset("aAIàyY&")  # words of one letter that are words
# A word's core: what lies between its leading and trailing punctuation.
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_SEPARATORS = re.compile(r"[.'’\-–—&/]{1,2}")
_WEEKDAYS = DAY_WORDS
_MONTHS = DAY_WORDS | frozenset(MONTH_NUMBERS)  # a running head's words
_YEAR = re.compile(r"\b1[6-9]\d\d\b|\b20\d\d\b")
_WORD = re.compile(r"[^\W\d_]+")


# A line wholly in brackets is a note, never a headline ("[TO BE CONTINUED.]", "(From our
# own Correspondent.)", "[Special Dispatch.]"); the OCR reads a closing bracket as "J" or "|".
_BRACKETED = re.compile(r"[\[(][^\[\]()]{1,80}[\])J|]\.?")

def fault(text: str, *, confidence: float | None = None, publication: str | None = None,
          heading: bool = False, rule: str = STRICT) -> str | None:
    """Why a text cannot be a headline, or None when it can. `heading`: the text was set as
    a heading (or catalogued as a title), so it must also not read as running text cut off
    (a lower-case start: a headline opens with a capital or a digit). rule=DEBRIS: only
    the rules against debris (letters, marks, figures, a word of three letters)."""
    chars = "".join(text.split())
    if not chars:
        return "empty"
    if _BRACKETED.fullmatch(text.strip()):  # "[TO BE CONTINUED.]", "(From our Correspondent.)"
        return "a note in brackets"
    letters = sum(map(str.isalpha, chars))
    # a printed heading of three letters may be a word ("WAR."); opening words that short
    # are a scrap ("him , .")
    if letters < MIN_LETTERS + (not heading):
        return f"{letters} letter(s)"
    if sum(map(str.isalnum, chars)) < MIN_ALNUM_SHARE * len(chars):
        return "mostly not letters or digits"
    if letters < MIN_LETTER_SHARE * len(chars):
        return "mostly figures"
    if rule == DEBRIS:
        return None if any(len(word) >= 3 and word not in _FUNCTION_WORDS
                           for word in _words(text)) else "no word of three letters or more"
    shaped, content = _shapes(text)
    if shaped < MIN_SHAPED_SHARE * letters:
        return "broken word shapes"
    if not content:
        return "no word of three letters or more"
    if confidence is not None and confidence < MIN_CONFIDENCE:
        return f"OCR confidence {confidence:.2f}"
    if publication and masthead(text, publication):
        return "the paper's title or a running head"
    if heading:
        first = next((c for c in text if c.isalnum()), "")  # ("3rd Regiment": a digit)
        if first.islower():
            return "running text (a lower-case start)"
    return None


def _shapes(text: str) -> tuple[int, bool]:
    """(letters in words of a printed shape, whether a content word is among them).

    A word has a printed shape when its letters between separators (an apostrophe, a
    hyphen, a full stop) do (_shaped) and it holds no digit: "Sub-Lieut.", "O'NEILL",
    "M.P.S." do; "TcEsney", "t4tesli", "maladd6lhim" do not."""
    shaped, content = 0, False
    for token in text.split():
        core = _EDGES.sub("", token)
        if not core or not any(c.isalpha() for c in core):
            continue
        if len(core) == 1:
            shaped += core in _SINGLE_LETTERS
            continue
        parts = _SEPARATORS.split(core)
        if not all(p and p.isalpha() and _shaped(p) for p in parts):
            continue
        shaped += sum(map(str.isalpha, core))
        content = content or (sum(map(str.isalpha, core)) >= 3
                              and core.casefold() not in _FUNCTION_WORDS)
    return shaped, content


def _shaped(part: str) -> bool:
    """Whether letters between separators have a printed shape: all small, all capitals,
    a capital then small letters, a Scots or Irish prefix before one of those
    ("McDONALD", "MacLeod"), or letters of a script without case (Arabic, Chinese)."""
    if part.islower() or part.isupper() or (part[0].isupper() and part[1:].islower()):
        return True
    for prefix in ("Mc", "Mac"):
        rest = part[len(prefix):]
        if part.startswith(prefix) and len(rest) > 1 and rest[0].isupper() and (
                rest.isupper() or rest[1:].islower()):
            return True
    return not any(c.isupper() or c.islower() for c in part)  # a caseless script


def masthead(text: str, publication: str) -> bool:
    """Whether a text is the paper's title or a running head: its words are the title's
    words (OCR errors allowed), dates, numbers and small words, and it holds at least two
    of the title's words (all of them when the title has one), or one of them with a
    weekday and a year (a running head: "THE EXAMINER, SATURDAY, MAY 2, 1874.")."""
    title = [w for w in _words(publication) if w not in _FUNCTION_WORDS]
    if not title:
        return False
    matched: set[str] = set()
    every = _words(text)
    words = [w for w in every if w not in _MONTHS and w not in _FUNCTION_WORDS and len(w) > 1]
    n = 0
    while n < len(words):
        # a title word the OCR split in two ("LIVER POOL") is looked for whole too
        for size in (1, 2):
            word = "".join(words[n:n + size])
            best = max(title, key=lambda t: _similarity(word, t))
            if _similarity(word, best) >= 0.66:
                matched.add(best)
                n += size
                break
        else:
            return False  # a word of its own: a heading that names the paper, or more
    if len(matched) >= min(2, len(set(title))):
        return True
    return bool(matched) and any(w in _WEEKDAYS for w in every) and bool(_YEAR.search(text))


def _similarity(word: str, other: str) -> float:
    return difflib.SequenceMatcher(None, word, other).ratio()


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


# A stop that ends no sentence: an initial ("Mrs. Leota P. Smith", "the U. S."), a title
# or an abbreviation before what it names.
_ABBREVIATION = re.compile(r"[\"'“‘(]*(?:[A-Z]|Mr|Mrs|Messrs|Dr|St|Gen|Col|Capt|Lieut|Gov|"
                           r"Sen|Rep|Rev|Hon|Prof|Jr|Sr|Co|No|Mt|Ft|Jan|Feb|Mar|Apr|Aug|"
                           r"Sept?|Oct|Nov|Dec)\.$")


def first_words(paragraph: str) -> str:
    """A headline for an item printed without one: its first words, up to a sentence end."""
    words = paragraph.split()
    shown: list[str] = []
    for word in words[:HEADLINE_WORDS]:
        shown.append(word)
        if ends_sentence(word) and len(shown) >= 3 and not _ABBREVIATION.match(word):
            break
    text = " ".join(shown)
    return text if len(shown) == len(words) or ends_sentence(text) else text + " …"


def first_readable(paragraphs: list[str], publication: str | None,
                   rule: str = STRICT) -> tuple[str, str]:
    """(headline, note) for an item held to fault() without a heading that passes: the
    first words of its first paragraph whose first words pass, or of the first sentence
    that passes among a paragraph's opening words (debris before it: "MoNDAT. itlt d p i
    BYRNE V. TAMES. ..."), else UNTITLED."""
    for paragraph in paragraphs:
        words = paragraph.split()
        starts = [0] + [n + 1 for n, word in enumerate(words[:OPENING_WORDS])
                        if ends_sentence(word)]
        for start in starts:
            if start >= len(words):
                break
            # one word past the most a headline holds, so first_words knows it goes on
            text = first_words(" ".join(words[start:start + HEADLINE_WORDS + 1]))
            # a sentence within the text must also open as a heading would (a capital)
            if fault(text, publication=publication, heading=start > 0, rule=rule) is None:
                return text, FIRST_WORDS if start == 0 else FIRST_SENTENCE
    return UNTITLED, NO_HEADLINE


def settle(item: RawItem, publication: str | None, rule: str = STRICT) -> RawItem:
    """An issue's item held to fault(): a headline that fails it (an unplaced run's
    heading, an article text's title) opens the text instead, and the headline is read
    after it. (The reader's unit says RawUnit.headline_rule, so that the finishing
    takes no first words that fail it either.)"""
    if item.headline is None or CHOSEN.intersection(item.notes) or (
            why := fault(item.headline, publication=publication, heading=True,
                         rule=rule)) is None:
        return item  # (first words a reader chose were held to the rule there)
    set_aside = f"heading not used as headline ({why}): kept as text"
    if item.subtitle and fault(item.subtitle, publication=publication, heading=True,
                               rule=rule) is None:
        # the deck under it was printed as a headline: it says more than the first words
        return replace(item, headline=item.subtitle, subtitle=None,
                       blocks=((item.headline,), *item.blocks),
                       notes=(*item.notes, set_aside, DECK_RAISED))
    headline, note = first_readable([" ".join(block) for block in item.blocks], publication,
                                    rule)
    return replace(item, headline=headline, blocks=((item.headline,), *item.blocks),
                   notes=(*item.notes, set_aside, note))
