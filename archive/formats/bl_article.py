"""The British Library's article files (the JISC 19th-century newspapers, as the BL gives
them to researchers and as alto2txt and defoe read them): one file an article,
<BL_newspaper><BL_article>, with the paper's record (title_metadata: title,
placeOfPublication), the issue's (issue_metadata: normalisedDate "1870.01.02",
issueNumber), the article's catalogue record (article_metadata/dc_metadata: dc:Title,
dc:Subject, dc:Type) and its zoned text (image_metadata: pageImage/pageSequence, the page;
articleImage/articleText, words with their boxes, <articleWord coord="x1,y1,x2,y2">),
read into printed lines and paragraphs by the words' boxes (archive.formats.word_lines).
One item a file."""

from __future__ import annotations

import re

from archive.dates import year_first
from archive.formats import MB, Input, Reader
from archive.formats.gale import kind_of, text_of
from archive.formats.issue import clean_title
from archive.formats.word_lines import box_of, paragraphs, printed_lines
from archive.formats.xmlsafe import local, parse
from archive.headlines import STRICT, settle
from archive.model import PageMeta, RawItem, RawUnit, ReadOptions, Rejected

MAX_BYTES = 32 * MB  # one article with its words' boxes
_DIGITS = re.compile(r"\d+")


def read(source: Input, options: ReadOptions) -> RawUnit:
    root = parse(source.data, "BL article XML")
    article = next((e for e in root.iter() if local(e.tag) == "BL_article"), None)
    if local(root.tag) != "BL_newspaper" or article is None:
        raise Rejected(f"not a BL article file: the root element is <{local(root.tag)}> "
                       "with no <BL_article>")
    record = _record(article, options)
    words = [(text, box_of(word.get("coord"))) for word in article.iter()
             if local(word.tag) == "articleWord" and (text := text_of(word))]
    if not words:
        raise Rejected("no text: the article holds no words (articleWord)")
    catalogue = _first(article, "dc_metadata")
    fields = {} if catalogue is None else {local(c.tag): text_of(c) for c in reversed(
        list(catalogue))}
    categories = [v for key in ("Subject", "Type") if (v := fields.get(key))]
    sequence = text_of(_first(article, "pageSequence")) or \
        text_of(_first(article, "articleSequence"))
    page = _DIGITS.search(sequence or "")
    item = RawItem(blocks=tuple(paragraphs(printed_lines(words))),
                   headline=clean_title(fields.get("Title")), kind=kind_of(categories),
                   page=int(page.group()) if page and 0 < int(page.group()) < 10000 else None,
                   section=categories[0] if categories else None)
    return RawUnit(items=(settle(item, record.publication),), record=record,
                   headline_rule=STRICT)


def _record(article, options: ReadOptions) -> PageMeta:
    """The paper's name (its title, else --publication) and the issue's date."""
    titles = _first(article, "title_metadata")
    name = text_of(_first(titles, "title")) if titles is not None else None
    return PageMeta(publication=name or options.publication,
                    date=year_first(text_of(_first(article, "normalisedDate"))))


def _first(element, name: str):
    """The first element of a local name under element, or None."""
    return next((e for e in element.iter() if local(e.tag) == name), None)


# 3: specks before a heading's first word dropped (archive.specks.without_specks)
READER = Reader(name="bl-article", version="4", max_bytes=MAX_BYTES, read=read)

__all__ = ["READER", "read"]
