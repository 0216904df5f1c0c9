"""hOCR page(s) (Tesseract and other OCR engines' XHTML) -> archive.layout.Page, and the
reader of an hOCR file, whose articles are found by layout segmentation (archive.segmentation).

Elements are told by their class (ocr_page, ocr_carea, ocr_par, ocr_line and its kin,
ocrx_word) and read through the properties in their title ("bbox 0 0 5150 8000; x_wconf
96"). A paragraph (ocr_par) is a Block; a run of its lines of one role (ocr_header,
ocr_caption, ocr_textfloat) is a block of that role, so that segmentation sees headers as
such. Words that are only white space are rules the OCR read as text: they become
Page.rules when long and thin, never words."""

from __future__ import annotations

import re
from collections import Counter

import lxml.html

from archive.formats import MB, Input, Reader
from archive.formats.alto_walker import finite
from archive.formats.laid_out import unit_of_pages
from archive.formats.xmlsafe import parse
from archive.layout import Block, Box, Line, Page, Word, box_from, cut_words, is_rule, new_word
from archive.model import RawUnit, ReadOptions, Rejected

MAX_BYTES = 32 * MB
_LINE_ROLES = {"ocr_line": None, "ocrx_line": None, "ocr_header": "header",
               "ocr_caption": "caption", "ocr_textfloat": "float"}
_PICTURES = frozenset({"ocr_photo", "ocr_image", "ocr_graphic", "ocr_linedrawing"})
_PROPERTY = re.compile(r"\s*([A-Za-z_]\w*)\s+([^;]*)")
# An XML declaration or the XHTML namespace: the file says it is XML, and a malformed one
# is a broken file (truncated, cut), not HTML to guess at.
_SAYS_XML = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<\?xml|xmlns\s*=\s*[\"']http://www\.w3\.org/"
                       rb"1999/xhtml")


_COMPLETE = re.compile(rb"</html>\s*$", re.IGNORECASE)


def parse_hocr(data: bytes, what: str = "hOCR") -> list[Page]:
    """The pages of an hOCR document, in document order; Rejected when it cannot be read.

    An XHTML file goes through the safe XML parser; an HTML file that is not XML (unclosed
    <meta>, <br>) through lxml's HTML parser with the network off (HTML has no entities
    to expand and loads no DTD), and so does a file that says it is XHTML but is not
    well-formed, when it is whole (ends with </html>: ocropy writes unclosed <meta>s);
    one cut short is rejected."""
    if _SAYS_XML.search(data[:4096]):
        try:
            root = parse(data, what)
        except Rejected as error:
            if not str(error).startswith("malformed") or not _COMPLETE.search(data[-1024:]):
                raise  # cut short (a broken file), or entities it declares
            root = _parse_html(data, what)  # whole, but HTML in XHTML's clothes
    else:
        try:
            root = parse(data, what)
        except Rejected:
            root = _parse_html(data, what)
    pages: list[Page] = []
    for element in root.iter():
        if "ocr_page" in _classes(element):
            pages.append(_page(element, len(pages)))
    if not pages and root is not None:
        # No ocr_page (a fragment): the whole document is one page, boxes as they come.
        pages.append(_page(root, 0))
    return pages


def _parse_html(data: bytes, what: str):
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  huge_tree=False, recover=True, default_doctype=False)
    try:
        root = lxml.html.fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise Rejected(f"malformed {what}: {error}") from error
    if root is None:
        raise Rejected(f"malformed {what}: no root element")
    return root.getroottree().getroot()


def _classes(element) -> list[str]:
    if not isinstance(element.tag, str):
        return []
    return (element.get("class") or "").split()


def properties(title: str | None) -> dict[str, str]:
    """The properties of an hOCR title: "bbox 1 2 3 4; x_wconf 96" -> {"bbox": "1 2 3 4",
    "x_wconf": "96"} (an image path in quotes is a value like any other)."""
    found: dict[str, str] = {}
    for part in (title or "").split(";"):
        match = _PROPERTY.match(part)
        if match:
            found.setdefault(match[1], match[2].strip())
    return found


def _bbox(props: dict[str, str]) -> Box | None:
    return box_from((props.get("bbox") or "").split())


def _number(props: dict[str, str], name: str) -> float | None:
    value = (props.get(name) or "").split()
    if not value:
        return None
    try:
        number = float(value[0])
    except ValueError:
        return None
    return number if number - number == 0 else None


def _mean(values: str | None) -> float | None:
    """The mean of per-character confidences ("x_confs 97 88 100"), 0-100 (kraken writes
    them 0-1), or None."""
    numbers = [n for n in map(finite, (values or "").split()) if n is not None]
    if not numbers:
        return None
    mean = sum(numbers) / len(numbers)
    return mean * 100 if max(numbers) <= 1.0 else mean


class _PageBuilder:
    """One ocr_page made into a Page."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.rules: list[Box] = []
        self.pictures: list[Box] = []  # ocr_photo, ocr_image ... (captions stand by them)
        self.fsizes: list[list[float | None]] = []  # per block, per line: x_fsize mode
        self.heights: list[list[float | None]] = []  # per block, per line: x_size

    def walk(self, element, carea: str | None, language: str | None) -> None:
        """Gather the paragraphs under element (lines outside any ocr_par make one)."""
        loose: list[tuple[object, str | None]] = []
        for child in element:
            classes = _classes(child)
            if not classes and not isinstance(child.tag, str):
                continue
            lang = child.get("lang") or child.get("{http://www.w3.org/XML/1998/namespace}"
                                                  "lang") or language
            if _PICTURES.intersection(classes):
                if (box := _bbox(properties(child.get("title")))) is not None:
                    self.pictures.append(box)
                continue
            if "ocr_par" in classes:
                self._flush(loose, carea, language)
                self.paragraph(child, child.get("id") or carea, lang)
            elif "ocr_carea" in classes or "ocr_page" in classes:
                self._flush(loose, carea, language)
                self.walk(child, child.get("id") or carea, lang)
            elif any(c in _LINE_ROLES for c in classes):
                loose.append((child, next(_LINE_ROLES[c] for c in classes if c in _LINE_ROLES)))
            elif "ocrx_word" in classes:
                loose.append((child, None))
            else:  # a span or div of no hOCR class: look inside
                self._flush(loose, carea, language)
                self.walk(child, carea, lang)
        self._flush(loose, carea, language)

    def _flush(self, loose: list, carea: str | None, language: str | None) -> None:
        if loose:
            self._add(list(loose), carea or f"block{len(self.blocks) + 1}", language, None)
            loose.clear()

    def paragraph(self, par, name: str | None, language: str | None) -> None:
        lines: list[tuple[object, str | None]] = []
        for element in par.iter():
            classes = _classes(element)
            role = next((_LINE_ROLES[c] for c in classes if c in _LINE_ROLES), "")
            if role != "":
                lines.append((element, role))
        if not lines:  # words straight under the paragraph: one line
            lines = [(par, None)]
        self._add(lines, name or f"block{len(self.blocks) + 1}", language,
                  _bbox(properties(par.get("title"))))

    def _add(self, lines: list[tuple[object, str | None]], name: str, language: str | None,
             box: Box | None) -> None:
        """Blocks of the lines: a run of lines of one role each (see the module doc)."""
        runs: list[list[tuple[Line, float | None, float | None]]] = []
        roles: list[str | None] = []
        for element, role in lines:
            line = self._line(element)
            if line is None:
                continue
            if not runs or role != roles[-1]:
                runs.append([])
                roles.append(role)
            runs[-1].append(line)
        for number, (run, role) in enumerate(zip(runs, roles, strict=True)):
            boxes = [line.box for line, _, _ in run if line.box is not None]
            run_box = box if len(runs) == 1 and box is not None else None
            if run_box is None and boxes:
                run_box = boxes[0]
                for other in boxes[1:]:
                    run_box = run_box.union(other)
            block_id = name if len(runs) == 1 else f"{name}.{number + 1}"
            self.blocks.append(Block(block_id, tuple(line for line, _, _ in run), run_box,
                                     role, language))
            self.fsizes.append([fsize for _, fsize, _ in run])
            self.heights.append([height for _, _, height in run])

    def _line(self, element) -> tuple[Line, float | None, float | None] | None:
        props = properties(element.get("title"))
        words: list[Word] = []
        sizes: list[float] = []
        candidates = [e for e in element.iter() if "ocrx_word" in _classes(e)] \
            or [element]
        for word in candidates:
            text = " ".join("".join(word.itertext()).split())
            word_props = properties(word.get("title"))
            box = _bbox(word_props)
            if not text:
                if is_rule(box):
                    self.rules.append(box)
                continue
            confidence = _number(word_props, "x_wconf")
            if confidence is None:  # kraken: a confidence per character
                confidence = _mean(word_props.get("x_confs"))
            if confidence is not None:
                confidence = min(1.0, max(0.0, confidence / 100.0))
            if word is element and " " in text:  # a line with no ocrx_word (kraken, OCRopus)
                words.extend(cut_words(text.split(), box, confidence, word.get("id")))
            else:
                words.append(new_word(text, box, confidence, word.get("id"), None, 0))
            size = _number(word_props, "x_fsize")
            if size is not None and size > 0:
                sizes.append(size)
        if not words:
            return None
        fsize = Counter(sizes).most_common(1)[0][0] if sizes else None
        height = _number(props, "x_size")
        return Line(tuple(words), _bbox(props)), fsize, height if height and height > 0 \
            else None

    def font_sizes(self) -> list[Block]:
        """Every line gets x_fsize (points) when the page gives it for every line, else its
        x_size (pixels) when that is given for every line: one unit per page, so sizes
        compare (see archive.layout.Line.font_size)."""
        for table in (self.fsizes, self.heights):
            flat = [size for sizes in table for size in sizes]
            if flat and all(size is not None for size in flat):
                return [Block(b.id, tuple(Line(line.words, line.box, size) for line, size
                                          in zip(b.lines, sizes, strict=True)),
                              b.box, b.role, b.language)
                        for b, sizes in zip(self.blocks, table, strict=True)]
        return self.blocks


def _page(element, index: int) -> Page:
    props = properties(element.get("title"))
    builder = _PageBuilder()
    builder.walk(element, None, element.get("lang"))
    if not builder.blocks:  # text straight in the page, no line or word marked: one line
        builder._add([(element, None)], element.get("id") or "block1", element.get("lang"),
                     None)
    box = _bbox(props) if "ocr_page" in _classes(element) else None
    number = _number(props, "ppageno")
    return Page(blocks=tuple(builder.font_sizes()),
                width=box.width if box else None, height=box.height if box else None,
                number=int(number) + 1 if number is not None and number >= 0 else None,
                rules=tuple(builder.rules), pictures=tuple(builder.pictures),
                id=element.get("id") or f"page_{index + 1}")


def read(source: Input, options: ReadOptions) -> RawUnit:
    """The items of an hOCR file, page by page, found by layout segmentation (ppageno counts
    the images of one OCR run from 0: a page number only when the file holds several)."""
    pages = parse_hocr(source.data)
    if not any(block.lines for page in pages for block in page.blocks):
        raise Rejected("no text: the hOCR file holds no words")
    return unit_of_pages(pages, source.name)


# 15: 'for sale' and 'to let' in more languages are words of trade (segmentation.text_kinds)
# 17: specks before a heading's first word dropped (archive.specks.without_specks)
# 18: after a brief, or under a heading of body size, a heading opens the next
#     item; a line of a few words over a paragraph is a heading (segmentation.stories)
# 20: pictures' captions are items of their own (segmentation.captions)
READER = Reader(name="hocr", version="20", max_bytes=MAX_BYTES, read=read)

__all__ = ["READER", "parse_hocr", "properties", "read"]
