"""Pictures' captions on pages without METS (archive.segmentation.captions): told by the
source (an ALTO ComposedBlock of a picture and its lines) or by their place under a
picture; an item of their own, kind "other", with the article they interrupt read on
past them; the text of the headline over their picture in a picture paper; and a
headline set under a picture stays the headline of its text."""

from __future__ import annotations

from archive.formats.alto import parse_alto
from archive.layout import Box, Page
from archive.segmentation import segment
from archive.segmentation.captions import caption_title
from tests.test_segment import PITCH, block, body, heading, line, text, words_of

CAPTION_NOTE = "a picture's caption"


def _column_with_portrait(caption_gap: float) -> Page:
    """One column (x 0-400): a headline, ten lines of its story, a portrait (a picture
    box 200 high), a two-line caption under it, then the story's last ten lines, set
    `caption_gap` below the caption."""
    blocks = [heading("h", "HARBOUR BOARD MEETS.", 0, 400, 0, size=16),
              body("b1", text(40, 10, "before"), 0, 40)]
    picture = Box(100, 40 + 10 * PITCH + 20, 300, 40 + 10 * PITCH + 220)
    top = picture.bottom + 15
    blocks.append(block("cap", [line("MR. JOHN SMITH.", 125, top),
                                line("(Photograph by Brown.)", 90, top + PITCH)]))
    blocks.append(body("b2", text(40, 10, "after"), 0, top + 2 * PITCH + caption_gap))
    return Page(tuple(blocks), width=400, height=1200, pictures=(picture,))


def test_a_caption_under_a_picture_is_an_item_of_its_own_and_the_story_reads_on() -> None:
    items, _ = segment(_column_with_portrait(caption_gap=40))
    captions = [i for i in items if CAPTION_NOTE in i.notes]
    assert len(captions) == 1
    assert captions[0].kind == "other"
    # its line in capitals is its title
    assert (captions[0].headline, words_of(captions[0])) == ("MR. JOHN SMITH.",
                                                             "(Photograph by Brown.)")
    story = next(i for i in items if i.headline == "HARBOUR BOARD MEETS.")
    assert "before0" in words_of(story) and "after0" in words_of(story)
    assert "SMITH" not in words_of(story)


def test_without_the_picture_the_same_lines_are_no_caption() -> None:
    page = _column_with_portrait(caption_gap=40)
    items, _ = segment(Page(page.blocks, width=page.width, height=page.height))
    assert not any(CAPTION_NOTE in i.notes for i in items)


def test_a_headline_set_under_a_picture_heads_its_text() -> None:
    """The lines under the picture are followed at once by running text: they head it
    (a report under its map), they are no caption."""
    items, _ = segment(_column_with_portrait(caption_gap=4))
    assert not any(CAPTION_NOTE in i.notes for i in items)


def _text_block(block_id: str, top: int, texts: list[str], height: int = 20) -> str:
    """An ALTO TextBlock at x 100 of lines `texts`, each word 10 units a letter wide."""
    out = []
    for n, words in enumerate(texts):
        y, x, strings = top + (height + 10) * n, 100, []
        for word in words.split():
            width = (height // 2) * len(word)
            strings.append(f'<String CONTENT="{word}" HPOS="{x}" VPOS="{y}" WIDTH="{width}" '
                           f'HEIGHT="{height}"/>')
            x += width + height // 2
        out.append(f'<TextLine HPOS="100" VPOS="{y}" WIDTH="{x - 100}" HEIGHT="{height}">'
                   + "".join(strings) + "</TextLine>")
    return (f'<TextBlock ID="{block_id}" HPOS="100" VPOS="{top}" WIDTH="1000" '
            f'HEIGHT="{(height + 10) * len(texts)}">' + "".join(out) + "</TextBlock>")


def _alto(composed: str) -> bytes:
    """A page one column wide: a headline set large, a picture (`composed`: its
    ComposedBlock, {caption} where the caption's block goes), then a story."""
    return ('<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout><Page ID="p" '
            'WIDTH="1200" HEIGHT="2400"><PrintSpace>'
            + _text_block("h", 10, ["THE FLOODS AT THE BRIDGE"], height=44)
            + composed.format(caption=_text_block("c", 1020, ["The bridge at noon, from the",
                                                              "east bank, yesterday."]))
            + _text_block("s", 1600, text(90, 24, "story"))
            + "</PrintSpace></Page></Layout></alto>").encode()


PICTURE = '<Illustration ID="i" HPOS="100" VPOS="80" WIDTH="1000" HEIGHT="920"/>'


def test_a_composed_block_of_a_picture_and_its_lines_makes_them_a_caption() -> None:
    """BnF's form: the picture and its caption in one ComposedBlock of no TYPE. Under the
    headline over the picture, the caption is that headline's text, and the story under
    them (with no headline of its own) reads on from it."""
    page = parse_alto(_alto(f'<ComposedBlock ID="cb">{PICTURE}{{caption}}</ComposedBlock>'))
    assert [b.role for b in page.blocks] == [None, "caption", None]
    assert len(page.pictures) == 1
    items, _ = segment(page)
    first = items[0]
    assert first.headline == "THE FLOODS AT THE BRIDGE"
    assert words_of(first).startswith("The bridge at noon, from the east bank, yesterday. "
                                      "story0 story1")
    assert first.kind == "article" and len(items) == 1


def test_a_composed_block_holding_much_text_beside_a_picture_is_no_caption() -> None:
    """An advertisement drawn round a cut: more than a caption's words."""
    long = _text_block("t", 1100, text(90, 16, "advert"))
    page = parse_alto(_alto(f'<ComposedBlock ID="cb">{PICTURE}{{caption}}{long}'
                            f"</ComposedBlock>"))
    assert "caption" not in [b.role for b in page.blocks]


def test_a_rule_is_no_picture() -> None:
    """A long thin GraphicalElement is a rule (column finding), not a picture."""
    page = parse_alto(_alto('<GraphicalElement ID="g" HPOS="100" VPOS="1000" WIDTH="1000" '
                            'HEIGHT="4"/>{caption}'))
    assert page.pictures == () and len(page.rules) == 1


def test_a_captions_title_is_its_opening_lines_in_capitals() -> None:
    blocks = (("S. A. I. THE GRAND DUCHESS, RECEIVED", "BY THE EMPEROR AT HIS PALACE"),
              ("The grand duchess took the veil after", "the death of her husband."))
    assert caption_title(blocks) == ("S. A. I. THE GRAND DUCHESS, RECEIVED BY THE EMPEROR "
                                     "AT HIS PALACE", blocks[1:])
    assert caption_title((("THE BRIDGE AT NOON",),)) == (None, (("THE BRIDGE AT NOON",),))
    plain = (("The bridge at noon, from the east bank.",),)
    assert caption_title(plain) == (None, plain)


def _hocr(photo: bool) -> bytes:
    """An hOCR page (one column): a story of 24 lines whose 13th Tesseract calls a
    caption, and (photo) a picture standing over that line, the story cut around it."""
    out, top = [], 100
    lines = text(60, 24, "story")
    for n, words in enumerate(lines):
        if n == 12:  # (a picture is a block of its own, between the text's blocks)
            out.append("</p></div>")
            if photo:
                out.append(f"<div class='ocr_photo' title='bbox 100 {top} 900 {top + 400}'>"
                           "</div>")
                top += 420
            out.append("<div class='ocr_carea'><p class='ocr_par'>")
        kind = "ocr_caption" if n == 12 else "ocr_line"
        spans, left = [], 100
        for word in words.split():
            spans.append(f"<span class='ocrx_word' title='bbox {left} {top} "
                         f"{left + 10 * len(word)} {top + 20}; x_wconf 90'>{word}</span>")
            left += 10 * (len(word) + 1)
        out.append(f"<span class='{kind}' title='bbox 100 {top} {left} {top + 20}'>"
                   + " ".join(spans) + "</span>")
        top += 30
    return ("<html><body><div class='ocr_page' title='bbox 0 0 1000 2000'>"
            "<div class='ocr_carea'><p class='ocr_par'>" + "".join(out)
            + "</p></div></div></body></html>").encode()


def test_a_line_the_ocr_calls_a_caption_is_one_only_beside_a_picture() -> None:
    """Tesseract calls lines of running text captions, and its hOCR marks no picture: a
    caption standing by no picture is read as the text it is. Under an ocr_photo it is
    the picture's caption."""
    from archive.formats.hocr import parse_hocr
    plain, _ = segment(parse_hocr(_hocr(photo=False))[0])
    assert not any(CAPTION_NOTE in i.notes for i in plain)
    assert len(plain) == 1
    page = parse_hocr(_hocr(photo=True))[0]
    assert len(page.pictures) == 1
    pictured, _ = segment(page)
    captions = [i for i in pictured if CAPTION_NOTE in i.notes]
    assert len(captions) == 1 and words_of(captions[0]).startswith("story")


def test_a_composed_block_of_type_illustration_is_the_picture() -> None:
    """The BL's form: a ComposedBlock TYPE Illustration outlined by a Shape, its lines
    inside: the block is the picture, its lines its caption."""
    page = parse_alto(_alto('<ComposedBlock ID="cb" TYPE="Illustration" HPOS="100" VPOS="80" '
                            'WIDTH="1000" HEIGHT="1010"><Shape/>{caption}</ComposedBlock>'))
    assert page.pictures == (Box(100, 80, 1100, 1090),)
    assert [b.role for b in page.blocks] == [None, "caption", None]


def test_page_xml_image_regions_are_pictures() -> None:
    from archive.formats.page_xml import parse_page
    data = (b'<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">'
            b'<Page imageWidth="1000" imageHeight="2000"><ImageRegion id="i"><Coords '
            b'points="100,100 900,100 900,500 100,500"/></ImageRegion><TextRegion id="t">'
            b'<Coords points="100,520 900,520 900,560 100,560"/><TextLine id="l"><Coords '
            b'points="100,520 900,520 900,560 100,560"/><TextEquiv><Unicode>The bridge at '
            b'noon.</Unicode></TextEquiv></TextLine></TextRegion></Page></PcGts>')
    assert parse_page(data).pictures == (Box(100, 100, 900, 500),)
