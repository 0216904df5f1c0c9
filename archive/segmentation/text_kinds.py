"""What an item of plain page OCR text is, from its words and the look of its lines
(archive.formats.ocr_lines.Line): an advertisement (prices, the words of trade, lines in
capitals, few sentences of prose) or a notice (its heading or its opening words); and
which of a page's OCR blocks read as advertisements or as stanzas of verse, for the
plain-text segmenter (archive.formats.ocr_segment)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the reader's lines; imported for the types only (no import cycle)
    from archive.formats.ocr_lines import Line

# The formulas of French and German legal notices (a bailiff's writ, a notary's public
# sale, an official announcement), as the OCR reads them (accents often lost), and the
# words of French and German advertising: patterns shared with the layout reader's
# (archive.segmentation.headlines).
LEGAL_NOTICE = (r"\b[aà]\s+la\s+requ[eê]te\s+d|\bexploit\s+d\S{0,3}\s+\S{0,2}huissier|"
                r"\bpar[-\s]devant\s+(?:me|maître|maitre|m\.)\s|\bvente\s+publique\b|"
                r"\badjudication\s+publique\b|\böffentliche\s+(?:versteigerung|bekanntmachung)|"
                r"\bbekanntmachung\b|\bgerichtsvollzieher")
# "For sale", "to let" and the like as the papers of each language print them at the head
# of a small advertisement (Dutch, Danish and Norwegian, Swedish, Italian, Spanish,
# Portuguese, Finnish; "tilkiøbs" is the Danish of the 18th century).
FOREIGN_AD_WORDS = (r"à\s+(?:vendre|louer)|on\s+demande|s['’]adresser|bon\s+marché|magasin|"
                    r"prix|zu\s+(?:verkaufen|vermieten|haben)|empfiehlt|preise?|"
                    r"beehrt\s+sich|te\s+(?:koop|huur)|til\s+(?:salgs|leie)|sælges|selges|"
                    r"tilki[øo]bs|tilkj[øo]bs|till\s+salu|säljes|uthyres|vendesi|affittasi|"
                    r"se\s+(?:vende|alquila)|vende-se|aluga-se|myydään|vuokrataan")
# German and Dutch words of "sale", compounds too (Landverkauf, Ausverkauf, Hausverkoop),
# matched where they end a word ("verkaufte" in a report is no sign).
SALE_WORDS = r"(?:verkauf|verkoop)\b"
# Prices ("$1.25", "25c", "10 cents", "£9 10s.", "per yard"), the words of advertisements,
# and the openings of legal and official notices.
PRICE = re.compile(r"(?:[$£]\s?\d|\b\d+\s?(?:c|cts)\b|\b\d+\s+cents\b|\b\d+s\.\s*(?:\d+d\b)?|"
                   r"\bper\s+(?:yard|pair|lb|dozen|doz|pound|bushel|ton|gallon|box)\b|"
                   r"\b\d+\s*%\s*off\b)", re.IGNORECASE)
# (AD_WORDS is matched on text put in lower case, count_ad_words: a pattern told to ignore
# case folds every character it tries, and this one runs over the whole text of every
# item: 2.6x faster)
AD_WORDS = re.compile(
    r"\b(?:for\s+sale|for\s+rent|to\s+let|wanted|bargains?|sale|store|phone|telephone|"
    r"prices?|cash|buy|special|free|cheap|guaranteed|sold\s+by|call\s+(?:on|at)|"
    r"street|st\.|ave\.|avenue|co\.|company|stock|goods|our|your|we|"
    r"(?:this\s+day|just)\s+(?:is\s+|are\s+)?published|to\s+be\s+(?:sold|let)|by\s+auction|"
    r"apply\s+to|may\s+be\s+had|begs?\s+(?:leave\s+)?to|respectfully|warranted|"
    r"billigst?|" + FOREIGN_AD_WORDS + r")\b|" + SALE_WORDS)


def count_ad_words(text: str) -> int:
    """How many words of trade (AD_WORDS) a text holds."""
    return len(AD_WORDS.findall(text.lower()))


NOTICE_HEAD = re.compile(
    r"^\W*(?:(?:legal|public|official|special|election|annual)\s+)?(?:notice|notices)\b|"
    r"\bnotice\s+(?:to|of)\b|\bsheriff'?s\s+sale\b|\bsummons\b|\bordinance\s+no\b|"
    r"\bproposals\s+for\b|\bbankruptcy\s+notice\b|\bin\s+(?:re|the\s+matter\s+of)\b",
    re.IGNORECASE)
NOTICE_TEXT = re.compile(
    r"\bnotice\s+is\s+hereby\s+given\b|\bto\s+whom\s+it\s+may\s+concern\b|"
    r"\bin\s+(?:re|the\s+matter\s+of)\b|\bhaving\s+been\s+appointed\b|" + LEGAL_NOTICE,
    re.IGNORECASE)
# The headings of a paper's classified columns: what stands under one is advertising
# ("AMUSEMENTS.", "SUMMER RESORTS.", "STEAMBOAT LINES.", "FOR RENT.", "WANTED.").
CLASSIFIED_HEAD = re.compile(
    r"^\W*(?:amusements?|summer\s+resorts?|steamboat\s+lines?|excursions?|"
    r"for\s+(?:sale|rent)|to\s+let|(?:help|situations?)\s+wanted|wanted|"
    r"lost\s+and\s+found|boarding|business\s+chances|money\s+to\s+loan|"
    r"professional\s+cards|special\s+notices|new\s+advertisements|advertisements|"
    r"classified(?:\s+ads?)?|anzeigen|annonces)\W*$", re.IGNORECASE)
FRAGMENT_WORDS = 4  # an item of fewer words is no article: a fragment (kind "other")
DEBRIS_WORDS = 8  # an item of fewer words with no word as printed is OCR debris ("other")
PRINTED_WORD = 4  # the letters of a word as printed (printed_word)
_EDGE_MARKS = "\"'“”‘’()[].,;:!?—-"
AD_SCORE = 1.5
# Without prices or capitals, this many words of trade, and this share of the words, make
# an advertisement ("We carry everything ... Hardware Store. Your account is due.")
TRADE_WORDS, TRADE_SHARE = 5, 0.08
# ... of them this many of selling (not "we", "our", a street: a party's platform, a
# parade's route)
SELLING_WORDS = 3
_SELLING = re.compile(r"\b(?:sales?|store|buy|cash|free|cheap|goods|stock|bargains?|"
                      r"prices?|guaranteed|phone|purchase|merchandise|save)\b", re.IGNORECASE)
VERSE = 0.9  # the share of a block's lines opening with a capital that makes it verse
NEAR_VERSE = 0.75  # nearly verse: a stanza with a garbled line (near_stanza)
_BROKEN_WORD = re.compile(r"[^\W\d_]-$")  # a word broken at the line's end
STANZA_LINES = 3  # a block of fewer lines is too short to tell verse from a list
AD_BLOCK_LINES = 4  # a block of fewer lines is too short to tell advertising by its words
AD_BLOCK_WORDS = 2  # and uses this many words of trade at least


def ad_like(lines: list[Line]) -> bool:
    """Whether lines read as an advertisement: prices, the words of trade, lines in
    capitals, few sentences."""
    text = " ".join(line.text for line in lines)
    words = len(text.split())
    prices = len(PRICE.findall(text))
    ad_words = count_ad_words(text)
    loud = sum(1 for line in lines if line.caps) / len(lines)
    # A line ending in a price ("12s. 6d.") or an abbreviation ("&c.") ends no sentence.
    sentences = sum(1 for line in lines if line.ends and sentence_end(line.text)
                    ) / len(lines)
    # Prices count thrice: news quotes a sum now and then, advertisements in every line.
    score = (3 * prices + ad_words) / max(words, 20) * 10 + loud - sentences
    return score >= AD_SCORE and (prices >= 2 or loud >= 0.5 or (
        ad_words >= TRADE_WORDS and ad_words >= TRADE_SHARE * words
        and len(_SELLING.findall(text)) >= SELLING_WORDS))


def sentence_end(text: str) -> bool:
    """Whether a line ends a sentence of prose: its last word is in lower case, of three
    letters or more ("... the shortest notice."; not "12s. 6d.", "&c.", "HEDNESFORD.",
    "Brownhills (opposite Mount Zion Chapel).")."""
    words = text.split()
    last = words[-1].strip(".!?\"'”’)]»") if words else ""
    return len(last) >= 3 and last.isalpha() and last.islower()


def ad_blocks(lines: list[Line]) -> set[int]:
    """The blocks of AD_BLOCK_LINES lines or more that read as advertisements (ad_like)
    and use AD_BLOCK_WORDS words of trade at least (a market report's table of prices
    uses none)."""
    by_block: dict[int, list[Line]] = {}
    for line in lines:
        by_block.setdefault(line.block, []).append(line)
    return {block for block, members in by_block.items()
            if len(members) >= AD_BLOCK_LINES and ad_like(members) and count_ad_words(
                " ".join(line.text for line in members)) >= AD_BLOCK_WORDS}


def verse_blocks(lines: list[Line], near: bool = False) -> set[int]:
    """The blocks that are stanzas (see stanza) of STANZA_LINES lines or more; near: that
    read nearly so (near_stanza)."""
    by_block: dict[int, list[Line]] = {}
    for line in lines:
        by_block.setdefault(line.block, []).append(line)
    test = near_stanza if near else stanza
    return {block for block, members in by_block.items()
            if len(members) >= STANZA_LINES and test(members)}


def stanza(lines: list[Line]) -> bool:
    """Lines set as verse: nearly all open with a capital and none ends in a hyphen, as
    verse lines do and the lines of running prose (which go on mid-sentence, mid-word) do
    not."""
    return not any(line.text.endswith("-") for line in lines) and sum(
        1 for line in lines if not line.lower_start) >= VERSE * len(lines)


def near_stanza(lines: list[Line]) -> bool:
    """Lines set nearly as verse: a stanza whose OCR garbled a line or two (a first letter
    read in lower case, a dash read as a hyphen): NEAR_VERSE of them open with a capital
    and one at most ends in a word broken by a hyphen."""
    broken = sum(1 for line in lines if _BROKEN_WORD.search(line.text))
    return broken <= 1 and sum(1 for line in lines if not line.lower_start) \
        >= NEAR_VERSE * len(lines)


def stanzas_joined(paragraphs: list[list[Line]]) -> list[list[Line]]:
    """Paragraphs (OCR blocks) with each run of stanzas (stanza) made one; a run opens
    with a stanza of STANZA_LINES lines or more (a shorter block could as well be a list's
    entry) and goes on over a stanza whose OCR garbled a line (near_stanza)."""
    out: list[list[Line]] = []
    verse = False  # the paragraph before was verse
    for paragraph in paragraphs:
        like = stanza(paragraph) or verse and near_stanza(paragraph)
        if like and verse:
            out[-1] = out[-1] + paragraph
        else:
            out.append(paragraph)
        verse = like and (verse or len(paragraph) >= STANZA_LINES)
    return out


def printed_word(token: str) -> bool:
    """Whether a token is a word as printed, punctuation at its edges aside: PRINTED_WORD
    letters or more, in one case, capitalised, or in a script without case ("sections.",
    "JONES.", "Wood", not "Jii", "ViHI.v", "ll.e")."""
    word = token.strip(_EDGE_MARKS)
    return len(word) >= PRINTED_WORD and word.isalpha() and (
        word.islower() or word.isupper() or word[1:].islower() or word.lower() == word.upper())


def debris(text: str) -> bool:
    """Whether a short item's text is OCR debris: under DEBRIS_WORDS tokens, none of them a
    word as printed ("k- . = ili Jii", read off the rule at a column's foot)."""
    tokens = text.split()
    return len(tokens) < DEBRIS_WORDS and not any(map(printed_word, tokens))
