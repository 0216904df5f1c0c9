"""The lines of plain page OCR text, one by one: furniture (rules, bare numbers, jump lines,
noise), headline type, datelines and column bleed, for archive.formats.ocr_text (what a
masthead prints: archive.formats.ocr_masthead).

Only what a single line shows is judged here; what its neighbours say is the segmenter's
business."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from archive.credits import credit
from archive.furniture import SMALL_WORDS
from archive.segmentation.datelines import DATELINE
from archive.segmentation.jumps import misread_jump
from archive.segmentation.text_kinds import printed_word
from archive.text import ends_sentence

# A sentence ended and another begun inside the line ("ONSLOW.—The Hon. Gentleman"):
# running text, however many capitals it holds.
_SENTENCE_INSIDE = re.compile(r"\w[.!?][\"'”’]?\s*[—–]+\s*\S")

# Column rules, ornaments and box edges: no letter or digit at all.
_ORNAMENT = re.compile(r"^[\W_]+$")
_BARE_NUMBER = re.compile(r"^[\W_]*\d{1,5}[\W_]*$")
_FIGURES = re.compile(r"\d+(?:[.,]\d+)*")
ROW_FIGURES = 2  # figures on a line without letters that make it a row of a table
# "(Continued on Page 6.)", "Continued from page one", "See WAR on Page 4", "(Concluded on
# Page Eight.)", as the OCR may read them ("(Continued, on Pag 7.)"): a story's jump to or
# from another page.
_NUMBER_WORD = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" \
               r"thirteen|fourteen|fifteen|sixteen|[a-z]+teen|twenty[\w-]*)"
_PAGE_WORD = r"(?:p[au][gc][eko]?|[prt]age|i'age|paee)"  # "page" read so, or loosely
_JUMP = re.compile(
    rf"^[\W_]*(?:(?:continued|concluded|turn(?:ed)?)[,;:]?\s+(?:on|to|from)\s+(?:the\s+)?"
    # "Page Five" as the OCR reads it: "Pago 3", "PACK riVB", "Puge Twol"
    rf"(?:(?:pag[eo]?|[\w'’]{{3,5}})\s+{_NUMBER_WORD}|{_PAGE_WORD}\s+\w{{2,5}}"
    rf"|(?:next|last|\w+)\s+page|{_NUMBER_WORD}(?:th|st|nd|rd)?\s+page)"
    rf"|see\s+.{{1,40}}\s+on\s+page\s+{_NUMBER_WORD})[\W_]*$",
    re.IGNORECASE)
# A folio: "PAGE 6", "Page Six" alone on a line (never "PAGES", a count of pages).
FOLIO = re.compile(rf"^[\W_]*page\s+(?P<page>{_NUMBER_WORD})[\W_]*$", re.IGNORECASE)
_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}

_TRAILING_SPECKS = re.compile(r"(?:\s+[^\w\s]{1,2})+$")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_ALNUM = re.compile(r"[\W_]+")
_FIRST_LETTER = re.compile(r"[^\W\d_]")
SYMBOLS = 0.85  # a line with fewer letters and digits than this among its marks is checked
# A token that is a word: letters (joined by apostrophes or hyphens), in quotes or
# brackets, before punctuation.
_WORDLIKE = re.compile(r"(?<!\S)[\"'“”‘’(\[]*[^\W\d_]{2,}(?:['’-][^\W\d_]+)*"
                       r"[\"'“”‘’.,;:!?)\]—-]*(?!\S)")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A letter from the neighbouring column at the start of a line ("H An Independent Paper",
# "B The Last"): one capital standing alone before a capitalised word; "A" and "I" are words.
_BLEED = re.compile(r"^[^\w\s]{0,2}\s*[B-HJ-NP-Z]\s+(?=[A-Z\"“'(])")
# A lower-case letter or speck bled from the next column before a headline set in capitals
# ("r GROWING NAVAL BILL", "j TRAFFIC IS TIED UP"): a word of a line in capitals is set in
# capitals too ("I", "A", "Y"), so a lone small letter there is no word.
_SMALL_BLEED = re.compile(r"^[|/\\,.]{0,2}[a-z]\s+(?=\S)")
# The last word of a column's text read onto one line with the headline beside it ("ity.
# BROWNS CARRY BIG PAY ROLL": the end of "abil-ity." and a headline of the next column).
_TAIL_BESIDE = re.compile(r"^(?P<tail>[a-z][a-z'’]{0,14}[.!?,;][\"'”’]?)\s+(?P<rest>\S.*)$")
_TAIL_ENDS = ".!?,;\"'”’"  # what the tail's word ends with
BLED_LETTERS = 8  # letters a line in capitals holds at least, for the repairs above
# A signature: a name (capitalised words, initials, "& Co.") and the office of the one who
# signs ("MAWDSLEY, Solicitor.", "JOHN SMITH, Secretary.", "By order, T. BROWN, Clerk.",
# "P. WIRTGEN, notaire."), or a letter's close ("Yours truly,", "Your obedient servant,").
# It ends the notice, letter or advertisement above it; it heads nothing.
_OFFICE = (
    r"(?i:solicitors?|secretary|sec\.|chairman|clerk|agents?|brokers?|auctioneers?|"
    r"proprietors?|treasurer|president|manager|directors?|mayor|editor|sheriff|registrar|"
    r"commissioners?|assignees?|executors?|executrix|administrat(?:or|rix)|trustees?|"
    r"attorneys?|notary|collector|overseers?|churchwardens?|esq\.?|notaire|maire|"
    r"secr[ée]taire|pr[ée]sident|b[üu]rgermeister|sekret[äa]r|vorstand|syndic)")
# The name: one to five capitalised words or initials, joined by commas, "&" or "and".
_SIGNER = r"(?:[A-Z][\w.'’-]*\s*(?:,|&|and|et|und)?\s+){1,5}"
_SIGNATURE = re.compile(
    rf"^[\W\d]{{0,8}}(?:(?i:by\s+order|for|pour|per|pp\.?)[\w\s]{{0,40}}?[\s,]+)?"
    rf"(?P<name>{_SIGNER})(?i:sole\s+|hon\.?\s+)?{_OFFICE}(?P<end>[\s.,;]*)$"
    r"|^[\W]{0,3}(?i:(?:i\s+am,?\s+)?(?:sir|gentlemen|madam)?,?\s*)"
    r"(?i:yours|your\s+(?:most\s+)?obedient)[\s,]+(?i:very\s+|most\s+)?"
    r"(?i:truly|faithfully|respectfully|sincerely|obediently|servant|humble\s+servant)?"
    r"[\s.,]*$")
_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.")
# The last word of a signature (an office, an "Esq.") or of a letter's close.
_SIGNATURE_LAST = frozenset(
    "solicitor solicitors secretary sec chairman clerk agent agents broker brokers "
    "auctioneer auctioneers proprietor proprietors treasurer president manager director "
    "directors mayor editor sheriff registrar commissioner commissioners assignee assignees "
    "executor executors executrix administrator administratrix trustee trustees attorney "
    "attorneys notary collector overseer overseers churchwarden churchwardens esq notaire "
    "maire secrétaire secretaire président bürgermeister burgermeister sekretär sekretar "
    "vorstand syndic truly faithfully respectfully sincerely obediently servant yours"
    .split())
# A letter's heading, however the OCR garbled the paper's name after it.
_TO_EDITOR = re.compile(r"^\W{0,3}to\s+the\s+editors?\b", re.IGNORECASE)
# A letter's close at a line's end: "... the THRONE.—I am, &c.", "Your obedient servant,",
# "Yours truly,"; the lines under it sign the letter.
_CLOSE = re.compile(
    r"(?:\bi\s+am,?\s+(?:(?:sir|sirs|gentlemen|madam),?\s+)?(?:&c|etc)\b"
    r"|\byours,?\s+(?:&c|etc|very\s+truly|truly|faithfully|respectfully|sincerely|obediently)"
    r"|\bobedient\s+(?:and\s+)?(?:humble\s+)?servants?)[\W_]*$", re.IGNORECASE)
_CLOSE_LAST = frozenset("c etc truly faithfully respectfully sincerely obediently servant "
                        "servants".split())
SIGNATURE_WORDS = 9  # a signature line is no longer


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line and what it shows by itself."""

    text: str
    block: int  # blank-line block it lies in (0 for text without blank lines)
    letters: int
    caps: bool  # set in capitals (most of its letters)
    title: bool  # title case: its words but the small ones capitalised
    title_tail: bool  # title case after its first word ("struction in Great Italian")
    ends: bool  # ends a sentence (. ! ? or a closing quote; not : ; ,)
    open_end: bool  # ends in a comma, a hyphen or a small word: the text goes on
    dateline: bool  # opens with a dateline, or is a wire credit (archive.credits)
    lower_start: bool  # starts with a lower-case letter (a sentence going on)
    after_rule: bool = False  # a rule or ornament line stood above it (a cut-off rule)
    signature: bool = False  # a signature or a letter's close: it ends what is above
    # Lines under it too garbled to tell what they are ("garbled" by read_line): its text,
    # wherever it goes, but nothing the segmenter weighs.
    garbled: tuple[str, ...] = ()


def clean(line: str) -> str:
    """A line without surrounding space and without a letter bled from the next column."""
    text = " ".join(line.split())
    if len(text) > 3 and _BLEED.match(text):
        text = _BLEED.sub("", text, count=1)
    elif (bled := _SMALL_BLEED.match(text)) and _in_capitals(text[bled.end():]):
        text = text[bled.end():]
    return text


def split_bled(line: str) -> list[str]:
    """A line as the OCR read it, or its two lines where it ran the end of a column's text
    into the headline beside it ("ity. BROWNS CARRY BIG PAY ROLL" -> "ity.", "BROWNS
    CARRY BIG PAY ROLL"): a lower-case word ending a sentence, then a line in capitals."""
    text = line.strip()
    first = text.split(" ", 1)[0]
    if not (first[:1].islower() and first[-1:] in _TAIL_ENDS):  # (most lines: at once)
        return [line]
    match = _TAIL_BESIDE.match(text)
    if match is None or not _in_capitals(match["rest"]):
        return [line]
    return [match["tail"], match["rest"]]


def _in_capitals(text: str) -> bool:
    """Two words or more, set in capitals (as Line.caps), with BLED_LETTERS letters."""
    letters = _NOT_LETTER.sub("", text)
    return len(text.split()) >= 2 and len(letters) >= BLED_LETTERS and \
        sum(map(str.isupper, letters)) >= 0.75 * len(letters)


def read_line(text: str, block: int) -> Line | str:
    """A cleaned text line's features, or the kind of furniture it is (rule, number, jump,
    noise), or "garbled": a few words among specks, or a row of figures, text to keep with
    the line above."""
    if _ORNAMENT.match(text):
        return "rule"
    if _BARE_NUMBER.match(text):
        return "number"  # a folio or a stray figure: which, the text cannot tell
    letters = _NOT_LETTER.sub("", text)
    alnum = len(_NOT_ALNUM.sub("", text))
    visible = len(text) - text.count(" ")
    if not letters and len(_FIGURES.findall(text)) >= ROW_FIGURES and alnum >= 0.5 * visible:
        return "garbled"  # a row of a table of figures ("501 2 19 10", "15 50")
    if not letters or (visible <= 2 and not text.isdigit()):
        return "noise"
    if visible >= 3 and alnum < 0.5 * visible:  # more marks than letters and figures
        return "garbled" if _holds_word(text) else "noise"
    words = _WORD.findall(text)
    if alnum < SYMBOLS * visible:  # many marks: are its tokens words at all?
        tokens = text.count(" ") + 1
        if tokens >= 3 and len(_WORDLIKE.findall(text)) < 0.4 * tokens:
            # a few words among specks: text, though too garbled to tell what else it is
            # (a headline, a dateline, a signature), read with the line above it
            return "garbled" if _holds_word(text) else "noise"
    if _JUMP.match(text) or misread_jump(text):
        return "jump"
    return _describe(text, block, letters, words)


def _holds_word(text: str) -> bool:
    """Whether a line of many marks holds a word as printed (text_kinds.printed_word:
    "sections. V ;", "H. B. JONES.", "T. M. Wood."). Initials, figures and specks outnumber
    the words of a signature, a list of names or a row of prices, which are text; a
    garbled line's letters come in short runs or mixed cases ("I. III. U ,o ll.e 111",
    "MH ViHI.v. Jih")."""
    return any(map(printed_word, text.split()))


def plain_line(text: str, block: int) -> Line:
    """A line read as running text whatever it shows (never a headline, a dateline or
    the end of a sentence): OCR noise or a row of figures the OCR set inside a block of
    text is that block's, garbled, not furniture."""
    line = _describe(text, block, _NOT_LETTER.sub("", text), _WORD.findall(text))
    return replace(line, caps=False, title=False, title_tail=False, dateline=False,
                   ends=False, signature=False)


def with_garbled(line: Line, text: str) -> Line:
    """A line with a garbled line read under it: that one's text is its text's end and,
    in running text, so is whether its sentence ends there ("bridges at four crossings
    in many" / "sections. V ;"): as read, or with its specks and stray letters set aside
    (a garbled line is mostly those: "sections. V ;" ends at "sections."), whichever ends."""
    letters = _NOT_LETTER.sub("", text)
    if line.caps or line.title or sum(map(str.isupper, letters)) >= 0.75 * len(letters):
        # under a heading (the text under it opens with them), or in capitals (a name, a
        # headline's garbled line): nothing said of where a sentence ends
        return replace(line, garbled=(*line.garbled, text))
    ends = open_end = False
    for form in (text, " ".join(t for t in text.split() if len(_NOT_ALNUM.sub("", t)) > 1)):
        if form:
            tail = _describe(form, line.block, _NOT_LETTER.sub("", form), _WORD.findall(form))
            ends, open_end = ends or tail.ends, open_end or tail.open_end
    return replace(line, garbled=(*line.garbled, text), ends=ends,
                   open_end=open_end and not ends)


def _describe(text: str, block: int, letters: str, words: list[str]) -> Line:
    upper = sum(map(str.isupper, letters))
    capitalised = lowered = 0
    for word in words:
        if word[0].isupper():
            capitalised += 1
        elif word[0].islower() and word.lower() not in SMALL_WORDS:
            lowered += 1
    caps = len(letters) >= 3 and upper >= 0.75 * len(letters)
    # Every word capitalised but the small ones ("Lined Up Along Tracks and"), two at
    # least: body lines full of names ("Mr. BARING rose to put") hold a lower-case word.
    title = not caps and capitalised >= 2 and lowered == 0
    first_lower = bool(words) and words[0][0].islower()
    # After a lower-case first word (the end of a word broken at the line above), the rest
    # in title case: "struction in Great Italian"; or one capitalised word: "City".
    title_tail = not caps and not title and bool(words) and (
        (first_lower and lowered == (words[0].lower() not in SMALL_WORDS)
         and capitalised >= 1) or (len(words) == 1 and capitalised == 1))
    if (caps or title or title_tail) and _SENTENCE_INSIDE.search(text):
        caps = title = title_tail = False
    last = words[-1].lower() if words else ""
    core = _TRAILING_SPECKS.sub("", text)  # "company. . -": the sentence ended at "."
    first = _FIRST_LETTER.search(text)
    # A wire credit ("[United Press Leased Wire Service.]") opens a dispatch as a dateline
    # does, and is never a headline.
    dateline = bool(DATELINE.match(text)) or credit(text) is not None
    return Line(text=text, block=block, letters=len(letters), caps=caps, title=title,
                title_tail=title_tail,
                ends=ends_sentence(core) and not core.endswith((":", ";")),
                open_end=core.endswith((",", "-", "—")) or (
                    last in SMALL_WORDS and text.endswith(words[-1])),
                dateline=dateline,
                lower_start=first is not None and first[0].islower()
                and not text[:1].isupper(),
                signature=not dateline and _signature(words, text, caps))


def _signature(words: list[str], text: str, caps: bool) -> bool:
    """Whether a line (its words) is a signature: a name and its office after a comma
    ("MAWDSLEY, Solicitor.") or after an initial ("D. STAFFORD Sole Agent."), or a
    letter's close. Without either, a name and an office make a heading ("THE MAYOR",
    "Work Elects Directors.")."""
    if not words or len(text.split()) > SIGNATURE_WORDS \
            or words[-1].lower() not in _SIGNATURE_LAST:
        return False  # most lines, told at once
    match = _SIGNATURE.match(text)
    if match is None:
        return False
    if match["name"] is None:
        return True  # a letter's close
    return "," in match["name"] or (not caps and _INITIAL.search(match["name"]) is not None)


def opens_letter(text: str) -> bool:
    """Whether a line heads a letter to the paper ("To the Editor of the Standard:")."""
    return _TO_EDITOR.match(text) is not None


def closes_letter(text: str) -> bool:
    """Whether a line ends with a letter's close ("I am, Sir, your obedient servant,")."""
    last = _WORD.findall(text[-16:])
    return bool(last) and last[-1].lower() in _CLOSE_LAST and _CLOSE.search(text) is not None


def goes_on(line: Line, above: Line) -> bool:
    """Whether a line goes on with the sentence of the line above it: in its block (a
    block after a blank line may go on from another column), it opens with a word in lower
    case of two letters or more (not an OCR speck, "j", nor a garbled capital, "mJ"), and
    it is not the next line of a deck whose word broke at the line end ("ization From
    Strike Situation.")."""
    if line.block != above.block or not line.lower_start or line.title_tail:
        return False
    word = line.text.split(None, 1)[0].rstrip(",;:.")
    return len(word) >= 2 and word.isalpha() and word.islower()


def folio_page(text: str) -> int | None:
    """The page a folio line prints ("PAGE 6", "Page Six"), or None."""
    match = FOLIO.match(text)
    if match is None:
        return None
    value = match["page"].lower()
    number = int(value) if value.isdigit() else _NUMBERS.get(value)
    return number if number else None
