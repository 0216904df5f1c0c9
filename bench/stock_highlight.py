"""Whoosh's own highlighter, as the benchmark's baseline (bench/stock_whoosh.py) marks its
hits: on the terms each hit matched, with Whoosh's fragmenters and an HTML formatter."""

from __future__ import annotations

import re
from collections.abc import Collection
from html import escape

from whoosh import highlight

from index.results import SNIPPET_CHARS

_WORD = re.compile(r"\w")


class SnippetFormatter(highlight.HtmlFormatter):
    """<mark> around matches, and "…" wherever the text goes on before, between or after
    the fragments, so a reader can tell a snippet starts mid-sentence."""

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ")

    def format(self, fragments, replace=False):
        html = super().format(fragments, replace)
        if not fragments:
            return html
        first, last = fragments[0], fragments[-1]
        if _WORD.search(first.text, 0, first.startchar):
            html = "… " + html
        tail = last.text[last.endchar:]
        html += " …" if _WORD.search(tail) else escape(tail.rstrip())
        return html


def highlight_terms(text: str, terms: Collection[str] | None, analyzer,
                    whole: bool = False) -> str:
    """Whoosh's highlighter: the whole text (headlines) or its best two fragments, with
    the tokens `analyzer` turns into one of `terms` in <mark>; "" if none match."""
    if not terms or not text:
        return ""
    if whole:
        return highlight.highlight(text, terms, analyzer,
                                   highlight.WholeFragmenter(charlimit=None),
                                   highlight.HtmlFormatter(tagname="mark"), top=1)
    fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70,
                                             charlimit=None)
    return highlight.highlight(text, terms, analyzer, fragmenter, SnippetFormatter(), top=2)
