"""The segmentation benchmark: its metrics on hand-made cases (ARI, recovered for a split
and a merge, leak, advertisement precision/recall), the text alignment against repaired
text, the ground truth read from tiny METS/ALTO (BL and BnL profiles) and hOCR fixtures
written here, an end-to-end run on such a fixture, and a slow run on the shared corpus."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.__main__ import main
from bench.alignment import Index, Predicted, assign, stored_tokens
from bench.seg_metrics import ari, score, summary
from bench.segmentation import COLLECTIONS, run
from bench.truth import FURNITURE, Issue, Item, Line, Page, normalise, tokens_of
from bench.truth_alto import render_text
from bench.truth_hocr import read_hocr_issue
from bench.truth_mets import read_mets

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


# --- metrics on hand-made cases ---------------------------------------------------------

def test_ari_of_identical_labelings_is_one_whatever_the_names():
    assert ari(list("aabbcc"), list("aabbcc")) == 1.0
    assert ari(list("aabbcc"), list("xxyyzz")) == 1.0


def test_ari_of_independent_labelings_is_at_most_zero():
    # every true pair is split and every predicted pair crosses the truth
    assert ari(list("aabb"), list("xyxy")) == pytest.approx(-0.5)
    assert ari([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(0.2424242, abs=1e-6)


def test_ari_degenerate_partitions():
    assert ari(list("aaaa"), list("xxxx")) == 1.0  # one cluster each: the same partition
    assert ari(list("abcd"), list("wxyz")) == 1.0  # all singletons each
    assert ari(list("aaaa"), list("wxyz")) == 0.0
    with pytest.raises(ValueError):
        ari(list("ab"), list("a"))


def _line(number: int, label: str, text: str, block: str = "b1") -> Line:
    tokens = tuple(tokens_of(text))
    return Line(f"l{number}", block, text, tokens, (label,) * len(tokens))


def _issue(lines: list[Line], items: dict[str, str]) -> Issue:
    return Issue("fixture", None, None, (Page(1, Path("p1"), tuple(lines)),),
                 {k: Item(k, kind) for k, kind in items.items()})


A = ["harbour works begin on the north quay today",
     "the council approved the plan after a long debate",
     "engineers expect the new berths to open next spring"]
B = ["oil prices rose sharply in early trading on monday",
     "markets weighed the supply figures from the ministry"]
FURNITURE_LINE = "price five cents daily herald"
AD = "buy fine woollen suits at smith and sons market street"


def _case() -> Issue:
    lines = [_line(0, FURNITURE, FURNITURE_LINE, "mast")]
    lines += [_line(1 + i, "A", t, "ba") for i, t in enumerate(A)]
    lines += [_line(4 + i, "B", t, "bb") for i, t in enumerate(B)]
    lines += [_line(6, "AD", AD, "bc")]
    return _issue(lines, {"A": "article", "B": "article", "AD": "advertisement"})


def _items(*texts: tuple[str, str, list[str]]) -> list[Predicted]:
    return [Predicted(key, kind, tuple(tokens_of(" ".join(parts))))
            for key, kind, parts in texts]


def _score(issue: Issue, items: list[Predicted]) -> dict:
    return summary(score(issue, {1: items}, items))


def test_exact_segmentation_recovers_everything_and_leaks_nothing():
    result = _score(_case(), _items(("s1", "article", A), ("s2", "article", B),
                                    ("s3", "advertisement", [AD])))
    assert result["recovered"] == 1.0 and result["true_articles"] == 2
    assert result["ari"] == 1.0
    assert result["leak"] == 0.0
    assert result["ad_precision"] == 1.0 and result["ad_recall"] == 1.0
    assert result["kept"] == 1.0
    assert result["stored_by_kind"] == {"advertisement": 1, "article": 2}


def test_a_split_article_is_not_recovered():
    result = _score(_case(), _items(("s1", "article", A[:1]), ("s1b", "article", A[1:]),
                                    ("s2", "article", B)))
    assert result["recovered_articles"] == 1  # B only: no item holds 80% of A
    assert result["ari"] < 1.0
    assert result["kept"] == 1.0


def test_a_merge_recovers_only_the_article_that_dominates_the_item():
    big = A + ["the works will cost four million pounds over five years",
               "the harbour board meets again on friday to sign the contracts"]
    issue = _issue([_line(i, "A", t, "ba") for i, t in enumerate(big)]
                   + [_line(9, "B", "short notice of the sailing", "bb")],
                   {"A": "article", "B": "article"})
    merged = _items(("s", "article", big + ["short notice of the sailing"]))
    result = _score(issue, merged)
    # A is > 80% of the merged item: recovered; B is all in it but is 10% of the item
    assert result["true_articles"] == 2
    assert result["recovered_articles"] == 1
    even = _score(_case(), _items(("s", "article", A + B)))
    assert even["recovered_articles"] == 0  # neither is 80% of the item


def test_a_page_of_several_articles_stored_as_one_item_is_counted_whole():
    exact = _score(_case(), _items(("s1", "article", A), ("s2", "article", B)))
    assert (exact["whole_pages"], exact["pages_of_several"]) == (0, 1)
    whole = _score(_case(), _items(("s", "article", [FURNITURE_LINE] + A + B + [AD])))
    assert (whole["whole_pages"], whole["pages_of_several"]) == (1, 1)
    big = _issue([_line(i, "A", t, "ba") for i, t in enumerate(A + A)]
                 + [_line(9, "B", "short notice of the sailing", "bb")],
                 {"A": "article", "B": "article"})
    dwarfed = _score(big, _items(("s", "article", A + A)))  # 90% of the page, one article
    assert (dwarfed["whole_pages"], dwarfed["pages_of_several"]) == (0, 1)
    one = _issue([_line(i, "A", t, "ba") for i, t in enumerate(A)], {"A": "article"})
    alone = _score(one, _items(("s", "article", A)))  # a page of one article is no case
    assert (alone["whole_pages"], alone["pages_of_several"]) == (0, 0)


def test_furniture_and_ads_in_an_article_leak():
    result = _score(_case(), _items(("s1", "article", [FURNITURE_LINE] + A),
                                    ("s2", "article", B + [AD])))
    furniture_and_ad = len(tokens_of(FURNITURE_LINE)) + len(tokens_of(AD))
    assert result["furniture_ad_tokens"] == furniture_and_ad
    assert result["leak"] == 1.0
    assert result["ad_recall"] == 0.0 and result["ad_precision"] is None
    half = _score(_case(), _items(("s1", "article", [FURNITURE_LINE] + A),
                                  ("s2", "article", B), ("s3", "notice", [AD])))
    assert half["leak"] == pytest.approx(len(tokens_of(FURNITURE_LINE)) / furniture_and_ad,
                                         abs=1e-4)


def test_an_advertisement_stored_as_an_article_lowers_ad_precision():
    result = _score(_case(), _items(("s1", "advertisement", A), ("s2", "article", B),
                                    ("s3", "advertisement", [AD])))
    ad_tokens = len(tokens_of(AD))
    assert result["ad_recall"] == 1.0
    assert result["ad_precision"] == pytest.approx(
        ad_tokens / (ad_tokens + len(tokens_of(" ".join(A)))), abs=1e-4)


def test_dropped_lines_are_not_kept():
    result = _score(_case(), _items(("s2", "article", B)))
    assert result["kept"] == pytest.approx(len(tokens_of(" ".join(B))) / len(
        tokens_of(" ".join(A + B))), abs=1e-4)
    assert result["recovered_articles"] == 1



def test_by_page_parts_an_item_printed_on_two_pages():
    first = Page(1, Path("p1"), (_line(0, "A", A[0]), _line(1, FURNITURE, FURNITURE_LINE)))
    second = Page(2, Path("p2"), (_line(0, "A", A[1]), _line(1, "B", B[0], "bb")))
    issue = Issue("fixture", None, None, (first, second),
                  {"A": Item("A", "article"), "B": Item("B", "advertisement")})
    paged = issue.by_page()
    assert paged.items == {"A p1": Item("A p1", "article"), "A p2": Item("A p2", "article"),
                           "B": Item("B", "advertisement")}
    assert [line.label for page in paged.pages for line in page.lines] == [
        "A p1", FURNITURE, "A p2", "B"]
    single = Issue("fixture", None, None, (first,), {"A": Item("A", "article")})
    assert single.by_page() is single
    # a reader of single pages that keeps each page's part whole recovers both parts
    parts = {1: _items(("s1", "article", [A[0]])), 2: _items(("s2", "article", [A[1]]),
                                                             ("s3", "advertisement", [B[0]]))}
    stored = parts[1] + parts[2]
    assert summary(score(paged, parts, stored))["recovered_articles"] == 2
    assert summary(score(issue, parts, stored))["recovered_articles"] == 0


# --- alignment ---------------------------------------------------------------------------

def test_normalise_ignores_case_quotes_and_punctuation():
    assert normalise("“Don’t”") == "dont"
    assert normalise("Govern-") == "govern"
    assert normalise("N°.") == "n"
    assert normalise("ﬁne") == "fine"  # NFKC: a ligature is its letters
    assert normalise("---") == ""
    assert tokens_of("KUWAIT  CITY, -- Nov 4") == ["kuwait", "city", "nov", "4"]


def test_lines_are_placed_in_repaired_text():
    printed = ["KUWAIT CITY, Nov 4, (KUNA): The", "minister said the new hous-",
               "ing plan would start in spring.", "3"]
    lines = [_line(0, "A", printed[0]),
             Line("l1", "b1", printed[1], ("minister", "said", "the", "new", "housing"),
                  ("A",) * 5),
             Line("l2", "b1", printed[2], ("plan", "would", "start", "in", "spring"),
                  ("A",) * 5),
             _line(3, FURNITURE, printed[3], "folio")]
    stored = Predicted("x", "article", stored_tokens(
        "Housing plan", None, None, "KUWAIT CITY, Nov 4, (KUNA)",
        ["The minister said the new housing plan would start in spring."]))
    other = Predicted("y", "article", tuple(tokens_of("the minister said nothing in 3 days")))
    assert assign(lines, Index([other, stored])) == [1, 1, 1, None]


def test_a_short_line_goes_with_its_block_neighbour_or_the_item_it_heads():
    lines = [_line(0, "A", "the council approved the plan", "b"),
             _line(1, "A", "today.", "b"),
             _line(2, FURNITURE, "today", "c"),
             _line(3, "B", "WEATHER", "d"),  # a headline block: file order is no help
             _line(4, "A", "after a long debate", "b")]
    items = [Predicted("x", "article", tuple(tokens_of("the council approved the plan "
                                                       "today after a long debate"))),
             Predicted("y", "article", tuple(tokens_of("weather rain is expected tonight")))]
    assert assign(lines, Index(items)) == [0, 0, None, 1, 0]


# --- ground truth from METS/ALTO -----------------------------------------------------------

BL_PAGE_1 = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Layout>
<Page ID="P1" HEIGHT="1000" WIDTH="800"><PrintSpace ID="P1_PS00001">
<TextBlock ID="P1_TB00001"><TextLine ID="P1_TL00001">
 <String ID="P1_ST00001" CONTENT="DAILY"/><SP/><String ID="P1_ST00002" CONTENT="HERALD."/>
</TextLine></TextBlock>
<TextBlock ID="P1_TB00002">
 <TextLine ID="P1_TL00002"><String ID="word000001" CONTENT="HARBOUR"/><SP/>
  <String ID="word000002" CONTENT="WORKS"/><SP/><String ID="word000003" CONTENT="BEGIN."/>
 </TextLine>
 <TextLine ID="P1_TL00003"><String ID="word000004" CONTENT="The"/><SP/>
  <String ID="word000005" CONTENT="council"/><SP/>
  <String ID="word000006" CONTENT="ap" SUBS_TYPE="HypPart1" SUBS_CONTENT="approved"/>
  <HYP CONTENT="-"/></TextLine>
 <TextLine ID="P1_TL00004">
  <String ID="word000007" CONTENT="proved" SUBS_TYPE="HypPart2" SUBS_CONTENT="approved"/>
  <SP/><String ID="word000008" CONTENT="the"/><SP/><String ID="word000009" CONTENT="plan"/>
  <SP/><String ID="word000010" CONTENT="on"/><SP/><String ID="word000011" CONTENT="Friday."/>
 </TextLine></TextBlock>
<TextBlock ID="P1_TB00003">
 <TextLine ID="P1_TL00005"><String ID="word000012" CONTENT="Oil"/><SP/>
  <String ID="word000013" CONTENT="prices"/><SP/><String ID="word000014" CONTENT="rose"/>
  <SP/><String ID="word000015" CONTENT="in"/><SP/><String ID="word000016" CONTENT="early"/>
  <SP/><String ID="word000017" CONTENT="trading."/></TextLine></TextBlock>
<ComposedBlock ID="P1_CB00001" TYPE="Advertisement"><TextBlock ID="P1_TB00004">
 <TextLine ID="P1_TL00006"><String ID="word000018" CONTENT="Fine"/><SP/>
  <String ID="word000019" CONTENT="woollen"/><SP/><String ID="word000020" CONTENT="suits."/>
 </TextLine></TextBlock></ComposedBlock>
</PrintSpace></Page></Layout></alto>
"""

BL_PAGE_2 = """<?xml version="1.0" encoding="UTF-8"?>
<alto><Layout><Page ID="P2"><PrintSpace>
<TextBlock ID="P2_TB00001"><TextLine ID="P2_TL00001">
 <String ID="word000001" CONTENT="Parliament"/><SP/><String ID="word000002" CONTENT="met"/>
 <SP/><String ID="word000003" CONTENT="late"/><SP/><String ID="word000004" CONTENT="into"/>
 <SP/><String ID="word000005" CONTENT="the"/><SP/><String ID="word000006" CONTENT="night."/>
</TextLine></TextBlock></PrintSpace></Page></Layout></alto>
"""


def _pagearea(area: str, page: int, begin: str, end: str) -> str:
    return (f'<mets:div ID="{area}" TYPE="pagearea" LABEL="Textblock"><mets:fptr>'
            f'<mets:area FILEID="img000{page}-alto" BETYPE="IDREF" BEGIN="{begin}" '
            f'END="{end}"/></mets:fptr></mets:div>')


def _link(logical: str, *physical: str) -> str:
    locators = "".join(f'<mets:smLocatorLink xlink:href="#{p}" xlink:label="area{i}" '
                       f'xlink:type="locator"/>' for i, p in enumerate(physical))
    arcs = "".join(f'<mets:smArcLink xlink:type="arc" xlink:from="item" xlink:to="area{i}"/>'
                   for i in range(len(physical)))
    return (f'<mets:smLinkGrp><mets:smLocatorLink xlink:href="#{logical}" xlink:label="item" '
            f'xlink:type="locator"/>{locators}{arcs}</mets:smLinkGrp>')


BL_METS = f"""<?xml version="1.0" encoding="UTF-8"?>
<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:mods="http://www.loc.gov/mods/v3"
 xmlns:xlink="http://www.w3.org/1999/xlink">
<mets:dmdSec ID="MODS_ISSUE"><mets:mdWrap MDTYPE="MODS"><mets:xmlData><mods:mods>
 <mods:originInfo><mods:dateIssued encoding="w3cdtf">1832-11-23</mods:dateIssued>
 </mods:originInfo></mods:mods></mets:xmlData></mets:mdWrap></mets:dmdSec>
<mets:fileSec><mets:fileGrp USE="Fulltext">
 <mets:file ID="img0001-alto"><mets:FLocat LOCTYPE="URL" xlink:href="0002088_18321123_0001.xml"/>
 </mets:file>
 <mets:file ID="img0002-alto"><mets:FLocat LOCTYPE="URL" xlink:href="0002088_18321123_0002.xml"/>
 </mets:file></mets:fileGrp></mets:fileSec>
<mets:structMap TYPE="LOGICAL"><mets:div ID="log1" TYPE="ISSUE">
 <mets:div ID="art0001" TYPE="ARTICLE"/><mets:div ID="art0002" TYPE="ARTICLE"/>
 <mets:div ID="art0003" TYPE="ARTICLE"/><mets:div ID="sect0001" TYPE="ADVERT"/>
</mets:div></mets:structMap>
<mets:structMap TYPE="PHYSICAL"><mets:div ID="phys0" TYPE="physSequence">
 <mets:div ID="phys1" ORDER="1" TYPE="page"><mets:fptr FILEID="img0001-alto"/>
  {_pagearea("pa0001001", 1, "word000001", "word000003")}
  {_pagearea("pa0001002", 1, "word000004", "word000011")}
  {_pagearea("pa0001003", 1, "word000012", "word000017")}
  {_pagearea("pa0001004", 1, "word000018", "word000020")}
  <mets:div ID="pa0001005" TYPE="pagearea" LABEL="Headline"><mets:fptr/></mets:div>
 </mets:div>
 <mets:div ID="phys2" ORDER="2" TYPE="page"><mets:fptr FILEID="img0002-alto"/>
  {_pagearea("pa0002001", 2, "word000001", "word000006")}
 </mets:div></mets:div></mets:structMap>
<mets:structLink>{_link("log1", "phys0")}{_link("art0001", "pa0001001", "pa0001002")}
 {_link("art0002", "pa0001003", "pa0001005")}{_link("sect0001", "pa0001004")}
 {_link("art0003", "phys2")}</mets:structLink>
</mets:mets>
"""


def _write(path: Path, text: str, compress: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


def _bl_issue(folder: Path, compress: bool = False) -> Path:
    suffix = ".gz" if compress else ""
    _write(folder / f"0002088_18321123_0001.xml{suffix}", BL_PAGE_1, compress)
    _write(folder / f"0002088_18321123_0002.xml{suffix}", BL_PAGE_2, compress)
    return _write(folder / f"0002088_18321123_mets.xml{suffix}", BL_METS, compress)


def _labels(issue: Issue) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {f"{page.number}:{line.id}": (line.label, line.tokens)
            for page in issue.pages for line in page.lines}


def test_bl_truth_word_ranges_links_hyphens_and_furniture(tmp_path: Path):
    issue = read_mets(_bl_issue(tmp_path, compress=True))
    assert issue.date is not None and issue.date.isoformat() == "1832-11-23"
    assert [p.number for p in issue.pages] == [1, 2]
    lines = _labels(issue)
    assert lines["1:P1_TL00001"] == (FURNITURE, ("daily", "herald"))  # in no area
    assert lines["1:P1_TL00002"][0] == "art0001"
    # a hyphenated word is one token, on the line of its first part
    assert lines["1:P1_TL00003"] == ("art0001", ("the", "council", "approved"))
    assert lines["1:P1_TL00004"] == ("art0001", ("the", "plan", "on", "friday"))
    assert lines["1:P1_TL00005"][0] == "art0002"  # its empty headline area is skipped
    ad_label = lines["1:P1_TL00006"][0]
    assert issue.items[ad_label].kind == "advertisement"
    assert lines["2:P2_TL00001"][0] == "art0003"  # linked to the whole page div
    assert {i.kind for i in issue.items.values()} == {"article", "advertisement"}
    assert "log1" not in issue.items  # the issue's link to every page makes no item
    assert issue.notes == ()


def test_alto_renders_as_page_text(tmp_path: Path):
    issue = read_mets(_bl_issue(tmp_path))
    text = render_text(issue.pages[0])
    assert text.splitlines()[:5] == ["DAILY HERALD.", "", "HARBOUR WORKS BEGIN.",
                                     "The council ap-", "proved the plan on Friday."]
    assert text.count("\n\n") == 3  # four blocks
    lines = render_text(issue.pages[0], blocks=False)  # as Chronicling America's ocr.txt
    assert "\n\n" not in lines and lines.splitlines() == [t for t in text.splitlines() if t]


BNL_ALTO = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout>
<Page ID="P1"><PrintSpace ID="P1_PS00001">
<TextBlock ID="P1_TB00001"><TextLine ID="P1_TL00001">
 <String ID="P1_ST00001" CONTENT="Luxemburger"/><SP/>
 <String ID="P1_ST00002" CONTENT="Wochenblatt"/></TextLine></TextBlock>
<TextBlock ID="P1_TB00002"><TextLine ID="P1_TL00002">
 <String ID="P1_ST00003" CONTENT="Inland."/></TextLine></TextBlock>
<TextBlock ID="P1_TB00003"><TextLine ID="P1_TL00003">
 <String ID="P1_ST00004" CONTENT="Neue"/><SP/><String ID="P1_ST00005" CONTENT="Brücke"/>
</TextLine></TextBlock>
<TextBlock ID="P1_TB00004"><TextLine ID="P1_TL00004">
 <String ID="P1_ST00006" CONTENT="Die"/><SP/><String ID="P1_ST00007" CONTENT="Brücke"/>
 <SP/><String ID="P1_ST00008" CONTENT="wurde"/><SP/>
 <String ID="P1_ST00009" CONTENT="eröffnet."/></TextLine></TextBlock>
<ComposedBlock ID="P1_CB00001"><TextBlock ID="P1_TB00005"><TextLine ID="P1_TL00005">
 <String ID="P1_ST00010" CONTENT="Zu"/><SP/><String ID="P1_ST00011" CONTENT="verkaufen"/>
</TextLine></TextBlock></ComposedBlock>
</PrintSpace></Page></Layout></alto>
"""

BNL_METS = """<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:mods="http://www.loc.gov/mods/v3">
<fileSec><fileGrp ID="ALTOGRP" USE="Text">
 <file ID="ALTO00001" SEQ="1"><FLocat LOCTYPE="URL" xlink:href="file://./text/1858-12-07_01-00001.xml"/>
 </file></fileGrp></fileSec>
<structMap TYPE="PHYSICAL"><div TYPE="Newspaper"><div ID="DTL3" ORDER="1" TYPE="PAGE">
 <fptr><par><area BEGIN="P1" BETYPE="IDREF" FILEID="ALTO00001"/></par></fptr></div></div>
</structMap>
<structMap TYPE="LOGICAL"><div ID="DTL28" TYPE="Newspaper"><div ID="DTL30" TYPE="ISSUE">
 <div ID="DTL31" TYPE="TITLE_SECTION"><div ID="DTL33" TYPE="TEXTBLOCK"><fptr>
  <area BEGIN="P1_TB00001" BETYPE="IDREF" FILEID="ALTO00001"/></fptr></div></div>
 <div ID="DTL32" TYPE="CONTENT">
  <div ID="DTL39" TYPE="SECTION"><div TYPE="HEADING"><div TYPE="TITLE"><fptr>
    <area BEGIN="P1_TB00002" BETYPE="IDREF" FILEID="ALTO00001"/></fptr></div></div>
   <div ID="DTL48" TYPE="ARTICLE"><div TYPE="HEADING"><div TYPE="TITLE"><fptr>
     <area BEGIN="P1_TB00003" BETYPE="IDREF" FILEID="ALTO00001"/></fptr></div></div>
    <div TYPE="BODY"><div TYPE="BODY_CONTENT"><div TYPE="PARAGRAPH"><div TYPE="TEXT">
     <fptr><area BEGIN="P1_TB00004" BETYPE="IDREF" FILEID="ALTO00001"/></fptr>
    </div></div></div></div></div>
  </div>
  <div ID="DTL118" TYPE="ADVERTISEMENT"><fptr>
   <area BEGIN="P1_CB00001" BETYPE="IDREF" FILEID="ALTO00001"/></fptr></div>
 </div></div></div></structMap>
</mets>
"""


def test_bnl_truth_block_areas_sections_and_title_section(tmp_path: Path):
    _write(tmp_path / "text" / "1858-12-07_01-00001.xml", BNL_ALTO)
    issue = read_mets(_write(tmp_path / "issue-mets.xml", BNL_METS))
    assert issue.date is None  # no dateIssued in this record
    lines = _labels(issue)
    assert lines["1:P1_TL00001"][0] == FURNITURE  # the title section: the masthead
    assert lines["1:P1_TL00002"][0] == "DTL39"  # a section's own heading
    assert issue.items["DTL39"].kind == "other"
    assert lines["1:P1_TL00003"][0] == lines["1:P1_TL00004"][0] == "DTL48"
    assert issue.items["DTL48"].kind == "article"
    assert lines["1:P1_TL00004"][1] == ("die", "brücke", "wurde", "eröffnet")
    assert issue.items[lines["1:P1_TL00005"][0]].kind == "advertisement"


# --- ground truth from hOCR -----------------------------------------------------------------

HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta name='ocr-system' content='x'/></head>
<body><div class='ocr_page' id='page_1' title='bbox 0 0 1000 1000'>
<div class='ocr_carea' id='block_1_1' title="bbox 0 0 500 50">
 <p class='ocr_par' id='par_1_1' title="bbox 0 0 500 50">
  <span class='ocr_header' id='line_1_1' title="bbox 0 0 500 50">
   <span class='ocrx_word' id='w1' title='bbox 0 0 10 10'>THE</span>
   <span class='ocrx_word' id='w2' title='bbox 0 0 10 10'>CHRONICLE</span></span></p></div>
<div class='ocr_carea' id='block_1_2' title="bbox 0 60 500 400">
 <p class='ocr_par' id='par_1_2' title="bbox 0 60 500 200">
  <span class='ocr_line' id='line_1_2' title="bbox 0 60 500 80">
   <span class='ocrx_word' id='w3' title='bbox 0 0 10 10'>The</span>
   <span class='ocrx_word' id='w4' title='bbox 0 0 10 10'>debate</span>
   <span class='ocrx_word' id='w5' title='bbox 0 0 10 10'>was</span>
   <span class='ocrx_word' id='w6' title='bbox 0 0 10 10'>won</span>
   <span class='ocrx_word' id='w7' title='bbox 0 0 10 10'>de-</span></span>
  <span class='ocr_line' id='line_1_3' title="bbox 0 90 500 110">
   <span class='ocrx_word' id='w8' title='bbox 0 0 10 10'>cisively.</span>
   <span class='ocrx_word' id='w9' title='bbox 0 0 10 10'> </span></span></p>
 <p class='ocr_par' id='par_1_3' title="bbox 0 210 500 400">
  <span class='ocr_line' id='line_1_4' title="bbox 0 210 500 230">
   <span class='ocrx_word' id='w10' title='bbox 0 0 10 10'>Suits</span>
   <span class='ocrx_word' id='w11' title='bbox 0 0 10 10'>$10</span></span></p></div>
</div></body></html>
"""

HOCR_TRUTH = """bbox1,bbox2,bbox3,bbox4,text,articleID,category,note
0,0,500,50,THE CHRONICLE,,meta,
0,61,500,201,The debate,7,text,
0,210,500,400,Suits,,publicity,
"""


def test_hocr_truth_from_annotations(tmp_path: Path):
    _write(tmp_path / "hocr" / "paper1-1.hocr.gz", HOCR, compress=True)
    _write(tmp_path / "truth" / "paper1-1-annotated.csv", HOCR_TRUTH)
    _write(tmp_path / "hocr" / "paper1-2.hocr", HOCR)  # no annotation: left out
    _write(tmp_path / "meta.csv", "id,local_id,date\nabc,paper1,1905-12-19\n")
    issue = read_hocr_issue(tmp_path / "hocr", tmp_path / "truth", "paper1",
                            tmp_path / "meta.csv")
    assert issue.date is not None and issue.date.isoformat() == "1905-12-19"
    assert [p.number for p in issue.pages] == [1]
    lines = _labels(issue)
    assert lines["1:line_1_1"] == (FURNITURE, ("the", "chronicle"))
    # matched by overlap (the row's bbox is a pixel off); the hyphenated word is one token
    assert lines["1:line_1_2"] == ("article 7", ("the", "debate", "was", "won",
                                                 "decisively"))
    assert lines["1:line_1_3"][1] == ()  # its word went to the line before
    assert issue.items[lines["1:line_1_4"][0]].kind == "advertisement"
    assert issue.pages[0].lines[0].block == "block_1_1"


# --- the benchmark end to end -----------------------------------------------------------

def test_run_on_a_tiny_corpus_reports_every_run(tmp_path: Path):
    bl = next(c for c in COLLECTIONS if c.key == "bl-1832")
    mets = _bl_issue((tmp_path / "corpus" / bl.path).parent, compress=True)
    assert mets == tmp_path / "corpus" / bl.path
    out = tmp_path / "out" / "seg.json"
    data = run(out, tmp_path / "corpus", jobs=1, say=lambda _: None)
    assert json.loads(out.read_text()) == data
    runs = data["collections"]["bl-1832"]["runs"]
    assert set(runs) == {"perfect", "one-item-per-block", "whole-page", "mets", "alto-alone",
                         "text", "text-lines"}
    assert runs["perfect"]["recovered"] == 1.0 and runs["perfect"]["ari"] == 1.0
    assert {name: entry["truth"] for name, entry in runs.items()} == {
        "perfect": "page", "one-item-per-block": "page", "whole-page": "page",
        "mets": "issue", "alto-alone": "page", "text": "page", "text-lines": "page"}
    assert runs["whole-page"]["ari"] == 0.0
    for name in ("mets", "alto-alone", "text", "text-lines"):  # measured, or why not
        status = runs[name]["status"]
        assert status == "ok" or status.startswith(("partial:", "reader missing/rejected:"))
        assert ("recovered" in runs[name]) == (not status.startswith("reader missing"))
    assert set(data["speed"]) == {"mets", "alto-alone", "text", "text-lines"}
    assert any("hOCR 1905: not in the corpus" in note for note in data["notes"])
    table = out.with_suffix(".md").read_text()
    assert table.startswith("# Segmentation benchmark\n\n")
    assert "| BL 1832 | 2 | perfect | baseline |" in table
    again = run(tmp_path / "out2.json", tmp_path / "corpus", jobs=1, say=lambda _: None)
    for key in ("collections", "overall"):  # deterministic, but for the clock
        assert again[key] == data[key]


def test_the_command_line_writes_json_and_markdown(tmp_path: Path):
    bl = next(c for c in COLLECTIONS if c.key == "bl-1832")
    _bl_issue((tmp_path / "corpus" / bl.path).parent, compress=True)
    out = tmp_path / "results" / "segmentation.json"
    result = CliRunner().invoke(main, ["segmentation", "--out", str(out), "--corpus",
                                       str(tmp_path / "corpus"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "| BL 1832 | 2 | perfect | baseline |" in result.output
    assert json.loads(out.read_text())["benchmark"] == "segmentation"
    only = CliRunner().invoke(main, ["segmentation", "--out", str(tmp_path / "t.json"),
                                     "--corpus", str(tmp_path / "corpus"), "--jobs", "1",
                                     "--runs", "text"])
    assert only.exit_code == 0, only.output
    runs = json.loads((tmp_path / "t.json").read_text())["collections"]["bl-1832"]["runs"]
    assert "text" in runs and "mets" not in runs and "alto-alone" not in runs
    wrong = CliRunner().invoke(main, ["segmentation", "--out", str(tmp_path / "w.json"),
                                      "--runs", "text,nope"])
    assert wrong.exit_code == 2 and "unknown run(s): nope" in wrong.output


def test_an_operators_own_issues_are_measured_instead_of_the_corpus(tmp_path: Path):
    mets = _bl_issue(tmp_path / "library" / "0002088" / "1832")
    out = tmp_path / "own.json"
    result = CliRunner().invoke(main, ["segmentation", "--out", str(out), "--jobs", "1",
                                       "--runs", "mets", "--issue", str(mets)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert list(data["collections"]) == ["issue-1"]  # the corpus's collections are not read
    runs = data["collections"]["issue-1"]["runs"]
    assert runs["mets"]["status"] == "ok" and runs["perfect"]["recovered"] == 1.0
    assert "| 1832/0002088_18321123_mets.xml | 2 | mets |" in result.output


def test_an_unreadable_truth_is_noted_not_fatal(tmp_path: Path):
    bl = next(c for c in COLLECTIONS if c.key == "bl-1832")
    _write(tmp_path / "corpus" / bl.path, "<mets:mets>not closed", compress=True)
    data = run(tmp_path / "out.json", tmp_path / "corpus", jobs=1, say=lambda _: None)
    assert data["collections"] == {}
    assert any(n.startswith("BL 1832: truth unreadable") for n in data["notes"])


@pytest.mark.slow
def test_benchmark_on_the_shared_corpus(tmp_path: Path):
    if not (CORPUS / "alto").is_dir() or not (CORPUS / "hocr").is_dir():
        pytest.skip("shared corpus not present")
    out = tmp_path / "segmentation.json"
    data = run(out, CORPUS, jobs=2, say=lambda _: None)
    assert set(data["collections"]) == {c.key for c in COLLECTIONS}
    for key, collection in data["collections"].items():
        perfect = collection["runs"]["perfect"]
        assert perfect["recovered"] >= 0.95, key
        assert perfect["ari"] >= 0.95 and perfect["ari_issue"] >= 0.95, key
        assert collection["runs"]["whole-page"]["recovered"] <= 0.1, key
        assert collection["truth"]["pages"] >= 3
        expected = {"hocr"} if key.startswith("hocr") else {"mets", "alto-alone", "text",
                                                            "text-lines"}
        assert expected <= set(collection["runs"])
        for name in expected:
            assert isinstance(collection["runs"][name]["status"], str)
    pooled = data["overall"]["one-item-per-block"]
    assert 0.1 <= pooled["recovered"] <= 0.6 and 0.1 <= pooled["ari"] <= 0.6
    assert {"mets", "alto-alone", "text", "text-lines", "hocr"} == set(data["speed"])
    assert out.with_suffix(".md").read_text().startswith("# Segmentation benchmark")
