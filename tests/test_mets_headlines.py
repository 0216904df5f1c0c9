"""Headlines of scanned issues (issue 12): a METS heading or title that is OCR debris, the
paper's own title, words read at low confidence or running text cut off is not used as the
headline; its words stay the article's text, and the headline is the first readable words
(noted) or "[untitled]". The issue below is invented: a BnL-style METS (ARTICLE > HEADING /
BODY > PARAGRAPH naming ALTO blocks) with one ALTO v3 page, written here."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from archive.articles import finish
from archive.headlines import (
    CHOSEN,
    DEBRIS,
    DECK_RAISED,
    FIRST_SENTENCE,
    FIRST_WORDS,
    NO_HEADLINE,
    STRICT,
    UNTITLED,
    fault,
    first_words,
    masthead,
    settle,
)
from archive.ingest import read_file
from archive.model import PageMeta, RawItem, RawUnit, ReadOptions
from archive.slugs import slugify

# block id -> printed lines, each of (word, WC)
Lines = list[list[tuple[str, float]]]


def _line(text: str, wc: float = 0.9) -> list[tuple[str, float]]:
    return [(word, wc) for word in text.split()]


BLOCKS: dict[str, Lines] = {
    # 1: a heading of debris over a story
    "TB01": [_line("'.:'_~. ~ '~")],
    "TB02": [_line("The mayor opened the new bridge over the"),
             _line("river on Tuesday before a large crowd.")],
    # 2: a heading of two lines, the first debris
    "TB03": [_line("Aibil.-..___ TcEsney"), _line("HARBOUR DUES.")],
    "TB04": [_line("The harbour board raised its dues on coal.")],
    # 3: a heading read at low confidence (WC 0.2), catalogued as it was read
    "TB05": [_line("MARKET REPORT.", 0.2)],
    "TB06": [_line("Wheat was dearer and barley unchanged.")],
    # 4: the paper's own title set as a heading (a running head the zoning took)
    "TB07": [_line("THE HARBOUR GAZETE,")],
    "TB08": [_line("Our readers will find the tide table inside.")],
    # 5: an item of nothing but debris, without a heading
    "TB09": [_line("i~ ' ."), _line("1 I )")],
    # 6: a heading that is running text cut off at its start
    "TB10": [_line("fleet came in at noon")],
    "TB11": [_line("Ten boats were counted by the harbour master.")],
    # 7: good short headings stay
    "TB12": [_line("WAR.")],
    "TB13": [_line("The news from the front was grave.")],
    # 8: no heading part; the catalogue title is debris, the text is not
    "TB14": [_line("A concert was given at the town hall.")],
    # 9: heading debris and text debris: nothing readable but a later paragraph
    "TB15": [_line("Ey s")],
    "TB16": [_line("1'52 • 11 .")],
    "TB17": [_line("Tide tables for the week.")],
}
# (id, MODS title or None, heading blocks, paragraph blocks)
ARTICLES = [
    ("ART1", None, ["TB01"], ["TB02"]),
    ("ART2", None, ["TB03"], ["TB04"]),
    ("ART3", "MARKET REPORT.", ["TB05"], ["TB06"]),
    ("ART4", None, ["TB07"], ["TB08"]),
    ("ART5", None, [], ["TB09"]),
    ("ART6", None, ["TB10"], ["TB11"]),
    ("ART7", None, ["TB12"], ["TB13"]),
    ("ART8", "Ti 1F S rATESM AN", [], ["TB14"]),
    ("ART9", None, ["TB15"], ["TB16", "TB17"]),
]


def _alto() -> str:
    out, n, vpos = [], 0, 100
    for block, lines in BLOCKS.items():
        out.append(f'<TextBlock ID="{block}" HPOS="50" VPOS="{vpos}" WIDTH="1200" '
                   f'HEIGHT="{40 * len(lines)}">')
        for line in lines:
            out.append(f'<TextLine HPOS="50" VPOS="{vpos}" WIDTH="1200" HEIGHT="35">')
            hpos = 50
            for word, wc in line:
                n += 1
                out.append(f'<String ID="ST{n:04}" HPOS="{hpos}" VPOS="{vpos}" WIDTH="90" '
                           f'HEIGHT="30" CONTENT={quoteattr(word)} WC="{wc}"/>')
                hpos += 100
            out.append("</TextLine>")
            vpos += 40
        out.append("</TextBlock>")
        vpos += 20
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Description>'
            '<MeasurementUnit>mm10</MeasurementUnit></Description><Layout>'
            f'<Page ID="P1" HEIGHT="{vpos + 100}" WIDTH="1300" PHYSICAL_IMG_NR="1">'
            f'<PrintSpace HPOS="0" VPOS="0" WIDTH="1300" HEIGHT="{vpos + 100}">'
            + "\n".join(out) + "</PrintSpace></Page></Layout></alto>\n")


def _area(block: str) -> str:
    return f'<fptr><area BEGIN="{block}" BETYPE="IDREF" FILEID="ALTO1"/></fptr>'


def _mets() -> str:
    dmd, divs = [], []
    for art, title, heads, paragraphs in ARTICLES:
        dmdid = ""
        if title:
            dmd.append(f'<dmdSec ID="MODS_{art}"><mdWrap MDTYPE="MODS"><xmlData><mods:mods>'
                       f'<mods:titleInfo><mods:title>{title}</mods:title></mods:titleInfo>'
                       '</mods:mods></xmlData></mdWrap></dmdSec>')
            dmdid = f' DMDID="MODS_{art}"'
        head = "".join(f'<div TYPE="HEADING"><div TYPE="TITLE">{_area(b)}</div></div>'
                       for b in heads)
        body = "".join(f'<div TYPE="PARAGRAPH"><div TYPE="TEXT">{_area(b)}</div></div>'
                       for b in paragraphs)
        divs.append(f'<div ID="{art}" TYPE="ARTICLE"{dmdid}>{head}<div TYPE="BODY">'
                    f'<div TYPE="BODY_CONTENT">{body}</div></div></div>')
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<mets xmlns="http://www.loc.gov/METS/" xmlns:mods="http://www.loc.gov/mods/v3" '
            'xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<dmdSec ID="MODS_ISSUE"><mdWrap MDTYPE="MODS"><xmlData><mods:mods>'
            '<mods:titleInfo><mods:nonSort>The</mods:nonSort><mods:title>Harbour Gazette'
            '</mods:title></mods:titleInfo><mods:originInfo><mods:dateIssued keyDate="yes">'
            '1901-03-14</mods:dateIssued></mods:originInfo></mods:mods></xmlData></mdWrap>'
            '</dmdSec>' + "".join(dmd) +
            '<fileSec><fileGrp ID="ALTOGRP" USE="Text"><file ID="ALTO1" MIMETYPE="text/xml">'
            '<FLocat LOCTYPE="URL" xlink:href="file://./text/page-0001.xml"/></file>'
            '</fileGrp></fileSec>'
            '<structMap TYPE="PHYSICAL"><div TYPE="Newspaper"><div ID="PAGE1" ORDER="1" '
            'TYPE="PAGE"><fptr><area BEGIN="P1" BETYPE="IDREF" FILEID="ALTO1"/></fptr></div>'
            '</div></structMap>'
            '<structMap TYPE="LOGICAL"><div TYPE="Newspaper"><div DMDID="MODS_ISSUE" '
            'TYPE="ISSUE"><div TYPE="CONTENT">' + "".join(divs) +
            '</div></div></div></structMap></mets>\n')


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The finished articles of the invented issue, by the first words of their text."""
    folder = tmp_path_factory.mktemp("issue")
    (folder / "text").mkdir()
    (folder / "text" / "page-0001.xml").write_text(_alto(), encoding="utf-8")
    (folder / "issue-mets.xml").write_text(_mets(), encoding="utf-8")
    outcome = read_file(Path(folder / "issue-mets.xml"), folder, ReadOptions())
    assert outcome.parsed is not None, outcome.reason
    return list(outcome.parsed.articles)


def _by_text(articles, start: str):
    return next(a for a in articles if a.body.startswith(start))


def test_a_heading_of_debris_opens_the_text(articles) -> None:
    story = _by_text(articles, "'.:'_~.")
    # the first words (twelve at most, as for any item printed without a heading)
    assert story.headline == "The mayor opened the new bridge over the river on Tuesday " \
                             "before …"
    # the heading's words are kept, first (the finishing may join them to the text after)
    assert story.body.startswith("'.:'_~. ~ '~") and "a large crowd." in story.body
    assert any(n.startswith("heading not used as headline (") for n in story.notes)
    assert FIRST_WORDS in story.notes


def test_the_readable_line_of_a_heading_is_kept(articles) -> None:
    story = next(a for a in articles if a.headline == "HARBOUR DUES.")
    assert story.paragraphs == ("Aibil.-..___ TcEsney",
                                "The harbour board raised its dues on coal.")
    assert any(n.startswith("heading not used as headline (broken word shapes)")
               for n in story.notes)


def test_a_heading_read_at_low_confidence(articles) -> None:
    story = _by_text(articles, "MARKET REPORT.")
    assert story.headline == "Wheat was dearer and barley unchanged."
    assert any("OCR confidence 0.20" in n for n in story.notes)
    assert "catalogue title not used as headline (the heading set aside): MARKET REPORT." \
        in story.notes


def test_the_papers_own_title_is_no_headline(articles) -> None:
    story = _by_text(articles, "THE HARBOUR GAZETE,")
    assert story.headline == "Our readers will find the tide table inside."
    assert any("the paper's title or a running head" in n for n in story.notes)


def test_an_item_of_debris_is_untitled_and_keeps_its_text(articles) -> None:
    item = _by_text(articles, "i~")
    assert item.headline == UNTITLED and NO_HEADLINE in item.notes
    assert "1 I)" in item.body  # (its bracket set against the word before: specks.close_up)
    assert slugify(item.headline) == "untitled"


def test_running_text_set_as_a_heading(articles) -> None:
    story = _by_text(articles, "fleet came in at noon")
    assert story.headline == "Ten boats were counted by the harbour master."


def test_good_headings_stay(articles) -> None:
    story = next(a for a in articles if a.headline == "WAR.")
    assert story.paragraphs == ("The news from the front was grave.",)
    assert not any("not used" in n for n in story.notes)


def test_a_catalogue_title_of_debris(articles) -> None:
    story = _by_text(articles, "A concert")
    assert story.headline == "A concert was given at the town hall."
    assert any(n.startswith("catalogue title not used as headline (broken word shapes)")
               for n in story.notes)


def test_the_first_readable_paragraph_gives_the_headline(articles) -> None:
    story = _by_text(articles, "Ey s")
    assert story.headline == "Tide tables for the week."
    assert story.paragraphs[:2] == ("Ey s", "1'52 • 11 .")


def test_no_headline_of_the_issue_fails_the_rule(articles) -> None:
    for article in articles:
        if article.headline != UNTITLED:
            assert fault(article.headline, publication=article.publication,
                         heading=FIRST_WORDS not in article.notes) is None, article


@pytest.mark.parametrize("text, why", [
    ("'.:'_~.", "0 letter(s)"),
    ("i", "1 letter(s)"),
    ("11 1", "0 letter(s)"),
    ("- „ • . ~ ' Abcd", "mostly not letters or digits"),
    ("1'52 • past 11 .", "mostly figures"),
    ("maladd6lhim.m-__", "broken word shapes"),
    ("Unita( *t4tesli.", "broken word shapes"),
    ("POLICE I.Nr-ELLIOENcE.", "broken word shapes"),
    ("THE", "3 letter(s)"),  # as opening words; as a heading:
    ("The pr", "no word of three letters or more"),
    # a note in brackets, as printed and as the OCR read its closing bracket
    ("[TO BE CONTINUED.]", "a note in brackets"), ("[TO bft COHTIHUKD.J", "a note in brackets"),
    ("(From our own Correspondent.)", "a note in brackets"),
])
def test_fault_rules(text: str, why: str) -> None:
    assert fault(text) == why


@pytest.mark.parametrize("text", [
    "WAR.", "DIED.", "LATEST LONDON . NEWS.", "Sub-Lieut. O'NEILL RETURNS", "M.P.S. MEETING",
    "Paris, 4 décembre 1858.", "Kölnische Zeitung.", "SEEDS, &c.", "ASSEMBLÉE DES ÉTATS.",
    "WAR OFFICE, FEB. 18, 1824.", "1874: A YEAR IN REVIEW", "FIRE AT LISCARD (CHESHIRE)",
    "(Updated) Oil Prices Rise",
    # a digit first, a Scots prefix, scripts without case
    "3rd Regiment Returns", "McDONALD WINS AGAIN", "MacLeod at the Hustings",
    "الحكومة تعلن عن خطة جديدة", "政府宣布新计划", "Правительство объявило план",
])
def test_headlines_that_pass(text: str) -> None:
    assert fault(text, heading=True, publication="The Harbour Gazette") is None


def test_confidence_and_heading_rules() -> None:
    assert fault("MARKET REPORT.", confidence=0.3) == "OCR confidence 0.30"
    assert fault("MARKET REPORT.", confidence=0.9) is None
    assert fault("mveyed the I is was", heading=True) == "running text (a lower-case start)"
    assert fault("mveyed the I is was") is None  # as opening words, running text is fine
    assert fault("him , .") == "3 letter(s)"  # opening words that short are a scrap
    assert fault("WAR.", heading=True) is None


@pytest.mark.parametrize("text, publication, expected", [
    ("THE STATESMAN", "The Statesman", True),
    ("THE LIVERPOOL STANDARD", "The Liverpool Standard and General Commercial Advertiser",
     True),
    (".LIVER POOL STANDARD, „ it t ;", "The Liverpool Standard", True),
    ("THE EXAMINER, SATURDAY, MAY 2, 1874.", "The South Staffordshire Examiner", True),
    ("THE EXAMINER.", "The South Staffordshire Examiner", False),
    ("THE EXAMINER, SATURDAY, MAY 2, 1874.", "The Examiner", True),
    ("ORED NEWS", "Colored News", True),
    ("Kölnische Zeitung.", "Luxemburger Zeitung – Journal de Luxembourg", False),
    ("Frankfurter Postzeitung", "Luxemburger Zeitung – Journal de Luxembourg", False),
    ("LIVERPOOL MARKETS.", "The Liverpool Standard", False),
    ("Paris, 4 décembre 1858.", "Journal de Paris", False),
])
def test_masthead(text: str, publication: str, expected: bool) -> None:
    assert masthead(text, publication) is expected


def test_settle_an_item_whose_heading_is_debris() -> None:
    """An unplaced run's (or an article text's) heading that fails opens the text."""
    item = RawItem(blocks=(("~11131 I.",), ("LOCAL NEWS. The fair opened.",)),
                   headline="ImMIL", kind="other")
    settled = settle(item, "The Harbour Gazette")
    assert settled.headline == "LOCAL NEWS. The fair opened."  # the first readable words
    assert settled.blocks == (("ImMIL",), *item.blocks)
    assert settled.notes == ("heading not used as headline (broken word shapes): kept as "
                             "text", FIRST_WORDS)
    # debris before a sentence within a paragraph: the sentence
    item = RawItem(blocks=(("MoNDAT. itlt d p i.", "BYRNE V. TAMES. Mr. Pas opened."),),
                   headline="i~")
    assert settle(item, None).headline == "BYRNE V. TAMES."
    assert settle(item, None).notes[-1] == FIRST_SENTENCE
    assert FIRST_SENTENCE in CHOSEN
    assert settle(replace(item, headline="LOCAL NEWS."), None).headline == "LOCAL NEWS."
    assert settle(replace(item, headline=None), None).headline is None  # the finishing's


def test_a_heading_of_debris_over_a_readable_deck_gives_way_to_the_deck() -> None:
    """The deck under a heading the OCR made debris of ("Ci*Q." over "ARGUMENTS TO
    BE") was printed as a headline: it names the item, not the text's first words."""
    item = RawItem(blocks=(("Waukegan, July 14.—The jury heard the last of it.",),),
                   headline="Ci*Q.", subtitle="ARGUMENTS TO BE HEARD")
    for rule in (STRICT, DEBRIS):
        settled = settle(item, None, rule)
        assert (settled.headline, settled.subtitle) == ("ARGUMENTS TO BE HEARD", None)
        assert settled.blocks == (("Ci*Q.",), *item.blocks)  # kept, as text
        assert settled.notes[-1] == DECK_RAISED
    # a deck that is debris too: the first readable words, as before
    settled = settle(replace(item, subtitle="i~ ,'"), None, DEBRIS)
    assert settled.headline.startswith("Waukegan") and settled.notes[-1] == FIRST_WORDS


# --- pages segmented by their layout: only debris is set aside (headlines.DEBRIS) --------

@pytest.mark.parametrize(("text", "debris", "strict"), [
    ("11 ii", True, True),  # two letters
    (", 1905", True, True),
    ("S'J39'fZ", True, True),  # mostly not letters
    ("FRANZ JOSIIP1I VERY SICK.", False, True),  # an OCR error in a real heading
    ("tion. TWO ARE DEAD IN DU PONT EXPLOSION", False, True),  # cut at its start
    ("THE OF", True, True),  # no word of its own
    ("BRIDGE OPENED.", False, False),
])
def test_the_debris_rule_sets_aside_less(text: str, debris: bool, strict: bool) -> None:
    assert (fault(text, heading=True, rule=DEBRIS) is not None) is debris
    assert (fault(text, heading=True) is not None) is strict


def test_a_layout_page_s_heading_of_debris_opens_its_text() -> None:
    items = (RawItem(blocks=(("The mayor opened the new bridge over the river.",),),
                     headline="11 ii", page=2),
             RawItem(blocks=(("The vote was carried by seven to three.",),),
                     headline="COUNCIL MEETS AGIAN.", page=2))
    for rule, expected in ((DEBRIS, ["The mayor opened the new bridge over the river.",
                                     "COUNCIL MEETS AGIAN."]),
                           (None, ["11 ii", "COUNCIL MEETS AGIAN."])):
        parsed = finish(RawUnit(items=items, headline_rule=rule), "page-2.hocr", "0" * 64,
                        PageMeta(), ReadOptions())
        assert [a.headline for a in parsed.articles] == expected
    first = finish(RawUnit(items=items, headline_rule=DEBRIS), "page-2.hocr", "0" * 64,
                   PageMeta(), ReadOptions()).articles[0]
    # the heading's words are kept, as the first line of the text
    assert first.paragraphs[0].startswith("11 ii") and any(
        "heading not used as headline" in note for note in first.notes)


@pytest.mark.parametrize(("paragraph", "headline"), [
    ("Mrs. Leota P. Smith of this city left today for the coast to spend the winter.",
     "Mrs. Leota P. Smith of this city left today for the coast …"),
    ("The meetings at the U. S. hall went on. The town came.",
     "The meetings at the U. S. hall went on."),
    ("The council met. It agreed on the budget.", "The council met."),
])
def test_a_headline_from_the_first_words_ends_at_a_sentence_not_an_initial(paragraph,
                                                                           headline):
    assert first_words(paragraph) == headline
