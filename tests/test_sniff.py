"""The reader is chosen from a file's first bytes: markup by its root element, never read as
text; files that are no page are rejected saying what they seem to be."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from archive.formats import Input, choose, ocr_text
from archive.formats.sniff import root_element, sniff
from archive.model import ReadOptions, Rejected

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_c10b1a1efda8d5c8.txt"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@pytest.mark.parametrize(("head", "reader"), [
    (DECLARATION + b'<mets:mets xmlns:mets="http://www.loc.gov/METS/" TYPE="Newspaper">',
     "mets"),
    (DECLARATION + b'<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#">', "alto"),
    (DECLARATION + b'<alto xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
     b'xsi:noNamespaceSchemaLocation="alto-1-4.xsd">', "alto"),  # BL: no namespace
    (b'<?xml version="1.0"?><alto xmlns="http://schema.ccs-gmbh.com/ALTO">', "alto"),
    (b'\xef\xbb\xbf' + DECLARATION + b'<!-- made by hand -->\n<alto>', "alto"),
    (DECLARATION + b'<didl:DIDL xmlns:didl="urn:mpeg:mpeg21:2002:02-DIDL-NS">', "didl"),
    (DECLARATION + b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
     b'    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
     b'<html xmlns="http://www.w3.org/1999/xhtml"><head>'
     b"<meta name='ocr-system' content='tesseract 4.1.1' /></head>", "hocr"),
    (b"<html><body><div class='ocr_page' title='bbox 0 0 10 10'>", "hocr"),
    (DECLARATION + b'<!DOCTYPE alto [<!ENTITY a "b">]>\n<alto>', "alto"),
])
def test_markup_is_told_by_its_root_element(head, reader):
    assert sniff("page.xml", head) == reader


@pytest.mark.parametrize(("name", "head", "reason"), [
    ("feed.xml", DECLARATION + b'<rss version="2.0"><channel>', "root is <rss>"),
    ("x.xml", DECLARATION + b'<tei:TEI xmlns:tei="http://www.tei-c.org/ns/1.0">',
     "root is <TEI> in namespace http://www.tei-c.org/ns/1.0"),
    ("index.html", b"<!DOCTYPE html><html><head><title>Home</title>",
     "an HTML document without hOCR"),
    ("README.md", b"# Sample data\n\nThese files ...", "a Markdown document"),
    # a data set's documentation, whatever it holds: by its name alone, or in capitals
    ("data/README", b"Sample Data\n\nThese files hold the news of a year.", "documentation"),
    ("readme.txt", b"AG News Topic Classification\n\nThe corpus ...", "documentation"),
    ("bbc-README.TXT", b"BBC Datasets\n\nAll rights reserved.", "documentation"),
    ("LICENCE.txt.gz", b"Public Domain\n\nThis work is in the public domain.", "documentation"),
    ("titles.csv", b'"lccn","title"\n"sn1","The Sun"\n', "a CSV table"),
    ("data.txt", b'{"files": []}', "JSON data"),
    ("0001_manifest.txt", b"sha256 (0001.jp2) = " + b"a" * 64 + b"\nsha256 (0001.xml) = "
     + b"b" * 64 + b"\n", "a list of checksums"),
    # a delivery's records beside its pages (archive.formats.mods_records reads them)
    ("p.mods.xml", b'<mods:mods xmlns:mods="http://www.loc.gov/mods/v3"><mods:part>',
     "a MODS record"),
    ("p.mix.xml", b'<mix:mix xmlns:mix="http://www.loc.gov/mix/v20">', "technical metadata"),
    # one file's checksum beside it, as deliveries write them (md5sum's format)
    ("p-0010B.alto.xml.md5", b"d41d8cd98f00b204e9800998ecf8427e  ./reel-14/1795-06-15-01/"
     b"p-0010B.alto.xml\n", "a list of checksums"),
    ("scan.jp2", b"\x00\x00\x00\x0cjP  \r\n", "an image"),
    # a delivery package's own files, whatever they hold (one is UTF-16, with NUL bytes)
    ("pkg/bagit.txt", "BagIt-Version: 0.97\n".encode("utf-16"), "a BagIt package"),
    ("pkg/Bag-Info.txt", b"Payload-Oxum: 38629.61\nBagging-Date: 2018-01-26\n",
     "a BagIt package's description"),
    # page coordinates (Olive's OlvData.txt), however text-like its name
    ("Res/PDF/OlvData.txt", b"23 Olive segmentation file\n213\n12\n" + b"".join(
        b"(0 %d.12 %d.56 0 5)" % (500 + i, 300 + i) for i in range(40)), "data, not text"),
    # what a workspace or a package holds beside its pages: its scripts, build files,
    # logs, lists of files to fetch, a few figures (a frame's coordinates)
    ("ws/build.sh", b'fileGrp="IMG"\nfor f in *.tif; do echo "$f"; done\n', "program code"),
    ("ws/run", b"#!/usr/bin/env python3\nimport sys\n", "a script"),
    ("ws/Makefile", b"help:\n\t@echo targets\n", "a build or project file"),
    ("pkg/fetch.txt", b"http://example.org/p1.xml  7260  data/p1.xml\n", "files to fetch"),
    ("ws/LOG", b"05:02:08.654 INFO bags - start\n05:02:08.658 INFO bags - renaming a\n"
     b"05:02:08.659 INFO bags - renaming b\n", "a log"),
    ("ws/run.txt", b"2026-12-07 22:10:01 INFO start\n2026-12-07 22:10:02 INFO read p1\n"
     b"2026-12-07 22:10:03 WARN p2 empty\n", "a log"),
    ("ws/frame-pf.dat", b"168\t410\t1235\t2147\n", "no word in it"),
    # a run's report over a delivery's folders: a heading or two, then the files
    ("current_data.txt", b"".join(b"Directory: %d\nSample files:\n" % n + b"".join(
        b"/mnt/original/BL/%07d/1808/0427/WO1_%d-000%d.xml\n" % (n, n, k) for k in range(5))
        for n in range(3)), "a list of files"),
])
def test_what_is_no_page_is_rejected_saying_what_it_is(name, head, reason):
    with pytest.raises(Rejected, match=reason):
        sniff(name, head)


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_page_ocr_is_told_whatever_ends_its_lines(end):
    """Lines ended as Unix, Windows or the classic Mac OS (CR alone: old OCR exports)
    end them: the shape of page OCR is the same."""
    column = [b"MAYOR OPENS THE NEW PIER", b"Crowd of Thousands Attends", b"The mayor opened",
              b"the new pier on Mon-", b"day before a crowd of", b"thousands who came",
              b"from every part of", b"the county to see it."] * 3
    assert sniff("page.txt", end.join(column)) == "ocr-text"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_page_ocr_in_utf16_is_told_and_read_as_page_ocr(codec):
    """FineReader saves "Unicode text" as UTF-16 (with or without a byte-order mark):
    its lines are told as any text's, and the reader decodes them."""
    column = ["MAYOR OPENS THE NEW PIER", "Crowd of Thousands Attends", "The mayor opened",
              "the new pier on Mon-", "day before a crowd of", "thousands who came",
              "from every part of", "the county to see it."] * 3
    data = "\r\n".join(column).encode(codec)
    assert sniff("page.txt", data[:4096]) == "ocr-text"
    unit = ocr_text.read(Input("page.txt", data), ReadOptions())
    assert unit.items[0].headline == "MAYOR OPENS THE NEW PIER"
    assert unit.encoding.startswith("utf-16")


@pytest.mark.parametrize("name", ["license-fees-rise.txt", "readmeister.txt",
                                  "authors_meeting.txt", "sn83045211-ed-1_seq-1.txt"])
def test_a_page_named_after_its_headline_is_no_documentation(name):
    assert sniff(name, b"Licence Fees Rise\n\nThe council raised the fees on Monday.\n") \
        == "pressreader"


def test_a_timetable_a_price_list_or_a_short_note_is_text_not_a_log_or_figures():
    """Hours and minutes open a timetable's lines (no seconds: no log); a few words are
    words however short the file."""
    timetable = b"RAILWAY TIME TABLE\n10:30 a.m. Express to Dover\n11:15 a.m. Local\n" \
        b"12:40 p.m. Mail to Folkestone\n"
    assert sniff("times.txt", timetable) in ("ocr-text", "pressreader")  # read, not refused
    assert sniff("note.txt", b"No issue today.") == "pressreader"
    # dates and fractions alone on their lines are no paths
    prices = b"MARKET PRICES\n3/4\n10/12/16\n1/2/3\nwheat 1/2/3\n5/6/7\n8/9/10\nOats firm.\n"
    assert sniff("prices.txt", prices) in ("ocr-text", "pressreader")


def test_text_is_read_as_text():
    assert sniff(SEED.name, SEED.read_bytes()) == "pressreader"
    assert sniff("page.txt", "Arab Times\n\nHeadline\n".encode("utf-16")) == "pressreader"
    assert sniff("page.txt", "Arab Times\n\nHeadline\n".encode("utf-16-be")) == "pressreader"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-16-le"])
def test_markup_in_utf16_is_told_by_its_root_not_read_as_text(codec):
    head = '<?xml version="1.0" encoding="UTF-16"?>\n<mets xmlns="http://www.loc.gov/METS/">'
    assert sniff("issue.xml", head.encode(codec)) == "mets"


def test_root_element_reads_prefix_and_namespace_without_parsing():
    head = DECLARATION + b'<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:x="y">'
    assert root_element(head) == ("mets", "http://www.loc.gov/METS/", "mets")
    with pytest.raises(Rejected, match="root element"):
        root_element(b"<?xml version='1.0'?>")


def test_a_gzipped_page_is_sniffed_from_its_decompressed_head(tmp_path):
    from archive.units import read_head

    path = tmp_path / "0001.xml.gz"
    path.write_bytes(gzip.compress(DECLARATION + b"<alto><Layout/></alto>"))
    assert choose(str(path), read_head(str(path))).name == "alto"


def test_page_ocr_that_opens_with_a_speck_of_markup_is_text():
    lines = [b"<?Ut%i", b"THE VALLEY HERALD", b"VOL. 12 NO. 4 FRIDAY, JANUARY 7, 1916"]
    lines += [b"The council met last night and voted", b"to build the new bridge over the"] * 30
    assert sniff("sn1-ed-1_seq-1.txt", b"\n".join(lines)) == "ocr-text"


def test_a_strip_of_scraps_between_blank_lines_is_page_ocr_not_an_article():
    # A column cut by the scan's edge: every OCR line a few characters, each its own block.
    scraps = [b"SHIPPING NEWS", b"sailed f", b"from the Ha", b"arriv- a", b"cargo of",
              b"wheat and", b"bound wi", b"3 brig", b"at anch"]
    assert sniff("page-0003.txt", b"\n\n".join(scraps)) == "ocr-text"
    # A short article in the seed layout keeps its reader, however short its lines.
    brief = [b"Results", b"Arsenal 2 Chelsea 1", b"Leeds 0 Everton 0", b"Fulham 3 Derby 1",
             b"Hull 1 Stoke 1", b"Wigan 2 Bury 2", b"Bolton 1 Luton 0", b"Crewe 0 Leyton 2",
             b"Newspapers in English", b"Printed and distributed by PressReader"]
    assert sniff("results.txt", b"\n\n".join(brief)) == "pressreader"


@pytest.mark.parametrize("declaration", [DECLARATION, b""])
def test_xml_of_a_form_not_read_here_is_rejected_never_read_as_text(declaration):
    # Pretty-printed XML is made of short lines in runs, the shape of page OCR: it must be
    # told by its markup (PDFlib TET's text of a PDF here) and refused, not stored with its
    # tags.
    lines = [b'<TET xmlns="http://www.pdflib.com/XML/TET3/TET-3.0">',
             b"  <Metadata>", b"    <Creator>scanner</Creator>", b"  </Metadata>",
             b'  <Page imageFilename="p1.tif">']
    lines += [b'    <TextRegion id="r1">', b"      <TextEquiv>", b"        <Unicode>The "
              b"council met</Unicode>", b"      </TextEquiv>", b"    </TextRegion>"] * 12
    head = declaration + b"\n".join([*lines, b"  </Page>", b"</TET>"])
    with pytest.raises(Rejected, match=r"root is <TET> in namespace .*pdflib"):
        sniff("page-0001.xml", head)


def test_compressed_files_other_than_gzip_and_bzip2_say_so():
    data = __import__("lzma").compress(DECLARATION + b"<alto><Layout/></alto>")
    with pytest.raises(Rejected, match="a xz-compressed file .*gzip and bzip2 are read"):
        sniff("page_2.xml.xz", data)


@pytest.mark.parametrize("compress", ["gzip", "bz2"])
def test_compressed_pages_are_read_decompressed(tmp_path, compress):
    """A page stored gzipped or bzip2-compressed (BCUL ships .xml.bz2) is read as if it
    were not; a compression bomb stops at the limit; a broken stream is told as such."""
    from archive.units import decompress, read_head

    module = __import__(compress)
    page = DECLARATION + b"<alto><Layout/></alto>"
    path = tmp_path / f"page_2.xml.{'gz' if compress == 'gzip' else 'bz2'}"
    path.write_bytes(module.compress(page))
    assert sniff(path.name, read_head(str(path))) == "alto"
    assert decompress(path.read_bytes(), 1000) == page
    with pytest.raises(Rejected, match="too large once decompressed"):
        decompress(module.compress(b"x" * 5000), 1000)
    with pytest.raises(Rejected, match="broken"):
        decompress(module.compress(page)[:20] + b"\x00" * 30, 1000)
