"""pdftotext's word boxes (archive.formats.pdf_words): an invented born-digital issue of
two pages as `pdftotext -bbox-layout` writes it (XHTML, and the bare <doc>), segmented by
layout; a word broken with a soft hyphen joined; sniffed by content; bad input."""

from __future__ import annotations

import pytest

from archive.articles import finish
from archive.formats import Input, choose, reader
from archive.model import PageMeta, ReadOptions, Rejected

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML '
        '1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n<title></title>\n'
        '<meta name="Producer" content="Invented"/>\n</head>\n<body>\n')


def _line(text: str, top: float, size: float, left: float = 50.0) -> str:
    words, x = [], left
    for word in text.split():
        right = x + 0.5 * size * len(word)
        words.append(f'<word xMin="{x:.6f}" yMin="{top:.6f}" xMax="{right:.6f}" '
                     f'yMax="{top + size:.6f}">{word}</word>')
        x = right + 0.3 * size
    return (f'<line xMin="{left:.6f}" yMin="{top:.6f}" xMax="{x:.6f}" yMax="{top + size:.6f}">'
            + "".join(words) + "</line>")


def _block(lines: list[str], top: float, size: float) -> str:
    body = "".join(_line(text, top + n * size * 1.2, size) for n, text in enumerate(lines))
    bottom = top + len(lines) * size * 1.2
    return (f'<block xMin="50.000000" yMin="{top:.6f}" xMax="300.000000" '
            f'yMax="{bottom:.6f}">{body}</block>')


STORY = ["The harbour board met on Tuesday and agreed to de\u00ad",
         "velop the north channel before the spring tides set in,",
         "the chairman said, at a cost he called modest for the",
         "work that the pilots had asked of them for two years."]
OTHER = ["Work on the quay began on Monday morning, the council",
         "said, and the first stones of the new steps were laid",
         "before noon by the mason and his two apprentices there."]


def document(bare: bool = False) -> bytes:
    pages = [
        '<page width="612.000000" height="792.000000"><flow>'
        + _block(["HARBOUR WORKS BEGIN"], 60, 24) + _block(STORY, 100, 10)
        + "</flow></page>",
        '<page width="612.000000" height="792.000000"><flow>'
        + _block(["QUAY REPAIRS"], 60, 24) + _block(OTHER, 100, 10)
        + "</flow></page>"]
    doc = "<doc>" + "".join(pages) + "</doc>"
    return (doc if bare else HEAD + doc + "\n</body>\n</html>\n").encode()


def read(data: bytes):
    unit = reader("pdftotext").read(Input("issue.html", data), ReadOptions())
    return finish(unit, "issue.html", "0" * 64, PageMeta(), ReadOptions()).articles


@pytest.mark.parametrize("bare", [False, True])
def test_sniffed_by_content(bare: bool) -> None:
    assert choose("issue.html", document(bare)).name == "pdftotext"


def test_a_born_digital_issue_is_segmented_by_its_layout() -> None:
    articles = read(document())
    assert [(a.headline, a.page, a.confidence) for a in articles] == [
        ("HARBOUR WORKS BEGIN", 1, None), ("QUAY REPAIRS", 2, None)]
    # the word the PDF broke with a soft hyphen is one word again
    assert "agreed to develop the north channel" in articles[0].paragraphs[0]
    assert "\u00ad" not in " ".join(articles[0].paragraphs)
    assert [a.paragraphs for a in read(document(bare=True))] == [a.paragraphs for a in articles]


@pytest.mark.parametrize("data, reason", [
    (HEAD + '<doc><page width="612" height="792"></page></doc></body></html>', "no text"),
    (HEAD + "<doc><page width=", "malformed"),
])
def test_bad_files_are_rejected_saying_why(data: str, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        reader("pdftotext").read(Input("x.html", data.encode()), ReadOptions())
