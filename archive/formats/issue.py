"""An issue's ALTO pages made into items: what reading a METS or a DIDL issue shares once the
issue file has said which areas of which pages make each article.

An issue file names its pages (members, found on disk beside it) and, per article, parts:
runs of ALTO elements (BEGIN..END IDs: blocks or words) with a role (headline, body ...).
Here the parts become a RawItem: headline, paragraphs of printed lines, pages, confidence.
Every word of every page is accounted for: the words no article claims become furniture or
items of kind "other" (see orphans), never silently dropped."""

from __future__ import annotations

import os
import statistics
from collections.abc import Container
from dataclasses import dataclass, field

from archive import headlines
from archive.formats.alto import PLAIN, AltoPage, read_alto
from archive.formats.issue_files import MISSING
from archive.formats.merged_columns import by_column
from archive.furniture import section_name
from archive.layout import Box
from archive.model import RawItem, Rejected, Stripped
from archive.segmentation.paragraphs import cut

# Roles of the parts of an item; every other role is body text.
HEAD_ROLES = ("headline", "overline", "subtitle", "byline")


@dataclass(frozen=True)
class Area:
    """A run of an ALTO page's elements: BEGIN through END (IDs of blocks or words)."""

    file: str  # the key the issue file gives the page (METS FILEID, DIDL href)
    begin: str | None  # None: the whole page
    end: str | None = None


@dataclass(frozen=True)
class Part:
    """One part of an item: areas read in order, with a role."""

    role: str  # a HEAD_ROLES role, or "body" (also captions, tables ...)
    areas: tuple[Area, ...]
    joined: bool = False  # the areas make one paragraph (METS PARAGRAPH), not one a block
    linked: bool = False  # named through a structLink (a BL page area), not in the div


@dataclass(frozen=True)
class Spec:
    """What the issue file says one item is."""

    kind: str  # archive.model.KINDS, or "furniture"
    parts: tuple[Part, ...]
    title: str | None = None  # the catalogue's title (MODS, DC): the fallback headline
    section: str | None = None
    furniture: str = "masthead"  # the Stripped kind, for kind "furniture"
    label: str = ""  # how problems name it ("article art0003")
    language: str | None = None  # the item's own, when the issue file gives one


@dataclass
class IssuePage:
    """A page of the issue and how far it has been placed in items."""

    key: str
    number: int | None
    name: str  # the file, as problems name it
    alto: AltoPage | None = None
    problem: str | None = None
    used: bytearray = field(default_factory=bytearray)  # per word: placed in an item

    def describe(self) -> str:
        """How problems name the page: "page 3 (x_0003.xml)"."""
        where = f"page {self.number}" if self.number is not None else "a page"
        return f"{where} ({self.name})"


def load_pages(files: list[tuple[str, str, int | None]], members: dict[str, bytes | str],
               layout: Container[str] = ()) -> dict[str, IssuePage]:
    """The issue's pages, (key, href, number) each, read from their members' bytes; a page
    that cannot be read keeps its problem and the others are read all the same.

    A page's words are read at once, its layout (boxes, for segmentation) when first asked
    for, which parses it again: `layout` names the pages (keys) whose layout is sure to be
    needed (those the issue file places nothing on), read at once instead."""
    pages: dict[str, IssuePage] = {}
    for key, href, number in files:
        page = IssuePage(key, number, os.path.basename(href.rstrip("/")) or href)
        data = members.get(href)
        if data is None:
            page.problem = MISSING
        elif isinstance(data, str):
            page.problem = data
        else:
            try:
                page.alto = read_alto(data, layout=key in layout)
            except Rejected as error:
                page.problem = str(error)
            else:
                if page.number is None:
                    page.number = page.alto.number
                page.used = bytearray(page.alto.size)
                if not page.alto.size:
                    page.problem = "no text: the ALTO page holds no words"
        pages[key] = page
    return pages


Run = tuple["IssuePage", int, int]  # words [start, end) of a page, in page order
# A printed line as an item holds it: runs of one page's words [start, end), in order (one
# run, unless the item names parts of the line apart). Its text is joined from the page's
# columns (AltoPage.texts): making a Word of every word of an issue cost more than all
# the rest of reading it.
LineRuns = list[tuple[AltoPage, int, int]]


@dataclass
class _Words:
    """The runs of words an item's parts resolved to, in order, each word once."""

    found: list[Run] = field(default_factory=list)
    seen: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # page -> runs
    broken: set[str] = field(default_factory=set)  # pages it needed that cannot be read
    unknown: list[str] = field(default_factory=list)  # IDs no page holds

    def confidence(self) -> float | None:
        """The mean confidence of the words of the runs (layout.mean_confidence)."""
        return confidence_of([(page.alto, start, end) for page, start, end in self.found])


def confidence_of(runs: LineRuns) -> float | None:
    """The mean word confidence of runs of words, or None when the OCR gave none: summed
    in the words' order, as layout.mean_confidence sums, so the figure is the same."""
    known = [c for alto, start, end in runs for c in alto.confidences[start:end]
             if c is not None]
    return sum(known) / len(known) if known else None


def _resolve(part: Part, pages: dict[str, IssuePage], words: _Words) -> list[Run]:
    out: list[Run] = []
    for area in part.areas:
        page = pages.get(area.file)
        if page is None or page.alto is None:
            words.broken.add(page.describe() if page else area.file)
            continue
        span = (0, page.alto.size) if area.begin is None else page.alto.span(
            area.begin, area.end)
        if span is None:
            words.unknown.append(f"{area.begin} on {page.describe()}")
            continue
        seen = words.seen.setdefault(page.key, [])
        pieces = [span]
        for low, high in seen:  # an item names a word once, however often it is pointed at
            pieces = [piece for start, end in pieces for piece in (
                (start, min(end, low)), (max(start, high), end)) if piece[0] < piece[1]]
        seen.append(span)
        out.extend((page, start, end) for start, end in pieces)
    words.found.extend(out)
    return out


def _paragraphs(found: list[Run], joined: bool) -> list[list[LineRuns]]:
    """The printed lines of runs of words, one paragraph a block (or one in all)."""
    lines: list[tuple[tuple[str, int], LineRuns]] = []  # ((page, block), runs) per line
    where: tuple[str, int] | None = None  # (page, index of the line in AltoPage.lines)
    for page, start, end in found:
        alto = page.alto
        index = alto.line_at(start)
        while start < end:  # the run, cut at the ends of its lines
            block, _, _, line_end = alto.lines[index]
            stop = min(end, line_end)
            if (page.key, index) != where:
                where = (page.key, index)
                lines.append(((page.key, block), []))
            lines[-1][1].append((alto, start, stop))
            start = stop
            index += 1
    blocks: list[list[LineRuns]] = []
    block_of: tuple[str, int] | None = None
    for block, runs in lines:
        if not blocks or block != block_of:
            blocks.append([])
        blocks[-1].append(runs)
        block_of = block
    # A block where the OCR ran columns together is read down each column in turn, and
    # each column is cut into its paragraphs by its lines' indents. Areas that make one
    # paragraph (joined) go on from column to column and block to block, but where the
    # indents show a paragraph opens, it opens: a METS PARAGRAPH may name a whole column.
    paragraphs: list[list[LineRuns]] = []
    for lines_of in blocks:
        for column, boxes in by_column(lines_of):
            parts = _indented(column, boxes)
            if joined and paragraphs:
                paragraphs[-1].extend(parts[0])
                parts = parts[1:]
            paragraphs.extend(parts)
    return paragraphs


def _indented(lines: list[LineRuns], boxes: list[Box | None]) -> list[list[LineRuns]]:
    """A column's printed lines cut into paragraphs where their boxes show one opens
    (archive.segmentation.paragraphs); as they are when a line has no box."""
    if any(box is None for box in boxes):
        return [lines]
    unit = statistics.median(box.height for box in boxes if box is not None)
    return cut(lines, boxes, unit, [" ".join(_line_words(line)) for line in lines])


def _line_words(line: LineRuns) -> list[str]:
    """The words of a printed line, as the OCR read them."""
    if len(line) == 1:
        alto, start, end = line[0]
        return alto.texts[start:end]
    return [text for alto, start, end in line for text in alto.texts[start:end]]


def _opens_with_part_two(line: LineRuns) -> bool:
    """Whether a line opens with the second part of a word hyphenated across a break."""
    if not line:
        return False
    alto, start, _ = line[0]
    return alto.hyphens.get(start, PLAIN)[0] == 2


def _whole_at_end(line: LineRuns) -> str | None:
    """The whole word of a line's last word when that is the first part of a hyphenated
    word and the source gives the whole."""
    if not line:
        return None
    alto, _, end = line[-1]
    part, whole = alto.hyphens.get(end - 1, PLAIN)
    return whole if part == 1 else None


def _without_first(line: LineRuns) -> LineRuns:
    alto, start, end = line[0]
    return ([(alto, start + 1, end)] if start + 1 < end else []) + line[1:]


def printed_lines(lines: list[LineRuns]) -> list[str]:
    """The printed lines as text, a word hyphenated across a line end joined once (as
    layout.line_texts joins them): the whole word ends the first line and the second part
    is dropped from the next."""
    out: list[str] = []
    carry = False  # the line before ended in a hyphenated word that was written whole
    for line in lines:
        if carry and _opens_with_part_two(line):
            line = _without_first(line)
        carry = False
        words = _line_words(line)
        whole = _whole_at_end(line)
        if whole:
            words = [*words[:-1], whole]
            carry = True
        # ALTO words are stripped and never empty: every word is printed (line_texts
        # drops white space words, which hOCR may hold)
        text = " ".join(words)
        if text:
            out.append(text)
    return out


def texts(paragraphs: list[list[LineRuns]]) -> list[tuple[str, ...]]:
    """Paragraphs as printed lines, a word hyphenated across a paragraph (block, column or
    page) break joined once, like printed_lines does across a line break."""
    out: list[tuple[str, ...]] = []
    carry = False
    for lines in paragraphs:
        if carry and lines and _opens_with_part_two(lines[0]):
            lines = [_without_first(lines[0]), *lines[1:]]
        printed = printed_lines(lines)
        last = next((line for line in reversed(lines) if line), None)
        carry = bool(last and _whole_at_end(last)) or (carry and not any(lines))
        if printed:
            out.append(tuple(printed))
    return out


def _heading(found: list[Run]) -> str | None:
    lines = [line for paragraph in _paragraphs(found, True) for line in paragraph]
    text = " ".join(" ".join(printed_lines(lines)).split())
    return text if any(c.isalnum() for c in text) else None


# What catalogues write where an item has no title (BnL: "Sans Titre"; docWorks and Olive
# exports, RERO's: "Untitled Article"), in the languages of the libraries that do so.
_NO_TITLE = frozenset({"untitled", "no title", "without title", "sans titre", "ohne titel",
                       "zonder titel", "senza titolo", "sin titulo", "sin título",
                       "utan titel", "uden titel", "uten tittel", "bez tytułu",
                       "untitled article", "untitled ad", "untitled advertisement",
                       "untitled picture", "untitled item"})


def clean_title(title: str | None) -> str | None:
    """A catalogue title fit for a headline: white space folded; None when it holds no
    letter or digit (OCR debris such as "'.:'_~.") or says there is none ("Sans Titre",
    "[Untitled]")."""
    if not title:
        return None
    text = " ".join(title.split())
    if " ".join(text.strip("[]().:- ").casefold().split()) in _NO_TITLE:
        return None
    return text if sum(c.isalnum() for c in text) >= 2 else None


def build_item(spec: Spec, pages: dict[str, IssuePage], publication: str | None = None
               ) -> tuple[RawItem | None, _Words]:
    """The item a spec describes (None when none of its parts holds a word). A heading
    (or catalogue title) that cannot be a headline (headlines.fault: debris, broken words,
    low confidence, the paper's title) is not used as one; a heading's words stay text."""
    words = _Words()
    head: dict[str, str] = {}
    heading: list[LineRuns] = []  # the printed lines of the headline parts
    body: list[list[LineRuns]] = []
    notes: list[str] = []
    for part in spec.parts:
        found = _resolve(part, pages, words)
        if not found:
            continue
        if part.role == "headline" and not body:  # (one after body text is a crosshead)
            heading.extend(line for lines in _paragraphs(found, True) for line in lines)
            continue
        text = _heading(found) if part.role in HEAD_ROLES and part.role != "headline" \
            else None
        if text:
            head[part.role] = f"{head[part.role]} {text}" if part.role in head else text
        else:  # body text, a crosshead within it, or a heading of no letter (kept as text)
            body.extend(_paragraphs(found, part.joined))
    if not words.found:
        return None, words
    _place(words)
    aside = None  # the text of a heading set aside
    if heading:
        text, unused, why = _readable_heading(heading, publication)
        if text:
            head["headline"] = text
        if unused:  # its words open the text
            body.insert(0, unused)
            notes.append(f"heading not used as headline ({why}): kept as text")
            aside = None if text else _line_text(unused)
    blocks = texts(body)
    headline = head.get("headline")
    if headline is None and (headline := _title(spec, publication, notes, aside)) and blocks:
        headline, blocks = _printed_title(headline, blocks)
    if headline is None and heading and blocks and not head.get("headline"):
        # the heading set aside opens the text: the headline is read after it
        headline, note = headlines.first_readable(
            [" ".join(block) for block in blocks[1:]], publication)
        notes.append(note)
    if not blocks:  # only headings were printed: they are its text
        blocks = [(text,) for text in head.values()]
        if "headline" in head:
            headline = _title(spec, publication, notes)
        head = {}
    numbers = list(dict.fromkeys(p.number for p, _, _ in words.found if p.number is not None))
    if words.broken:
        notes.append("parts on pages that could not be read are missing: "
                     + ", ".join(sorted(words.broken)))
    if not blocks:
        return None, words
    item = RawItem(blocks=tuple(blocks), headline=headline, subtitle=head.get("subtitle"),
                   byline=head.get("byline"), kind=spec.kind,
                   page=numbers[0] if numbers else None,
                   pages=tuple(sorted(numbers)) if len(numbers) > 1 else (),
                   section=section_name(spec.section or head.get("overline")),
                   confidence=words.confidence(),
                   notes=tuple(notes), language=spec.language)
    return item, words


def _line_text(lines: list[LineRuns]) -> str:
    return " ".join(" ".join(printed_lines(lines)).split())


def _readable_heading(lines: list[LineRuns], publication: str | None
                      ) -> tuple[str | None, list[LineRuns], str | None]:
    """(the headline a heading's printed lines give, the lines not used, why not): the
    whole heading when it passes headlines.fault (its words' OCR confidence counted), else
    the lines that pass on their own (a heading under a line of debris), else none."""
    def why_not(some: list[LineRuns]) -> str | None:
        runs = [segment for line in some for segment in line]
        return headlines.fault(_line_text(some), confidence=confidence_of(runs),
                              publication=publication, heading=True)

    why = why_not(lines)
    if why is None:
        return _line_text(lines), [], None
    if len(lines) > 1:
        good = {n for n, line in enumerate(lines) if why_not([line]) is None}
        kept = [line for n, line in enumerate(lines) if n in good]
        if kept and why_not(kept) is None:
            return _line_text(kept), [line for n, line in enumerate(lines) if n not in good], why
    return None, lines, why


def _title(spec: Spec, publication: str | None, notes: list[str],
           aside: str | None = None) -> str | None:
    """The catalogue title as a headline, unless headlines.fault finds it none, or it is
    the text of the heading set aside (BL: MODS titles are the heading's OCR, whose words'
    confidence the title does not show) (noted)."""
    title = clean_title(spec.title)
    why = headlines.fault(title, publication=publication, heading=True) if title else None
    if title and aside and _fold(title) == _fold(aside):
        why = "the heading set aside"
    if why:
        notes.append(f"catalogue title not used as headline ({why}): {title}")
        return None
    return title


def _fold(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _printed_title(title: str, blocks: list[tuple[str, ...]]
                   ) -> tuple[str, list[tuple[str, ...]]]:
    """A catalogue title that is the opening line(s) of the text (the METS gave no heading
    part, but the heading was printed): those lines become the headline, as printed, so
    that the text does not repeat it."""
    target = _fold(title)
    seen = ""
    lines = blocks[0]
    for count, line in enumerate(lines, 1):
        seen += _fold(line)
        if seen == target:
            rest = lines[count:]
            return " ".join(lines[:count]), ([rest] if rest else []) + blocks[1:]
        if not target.startswith(seen):
            break
    return title, blocks


def stripped(spec: Spec, pages: dict[str, IssuePage]) -> list[tuple[str, Stripped]]:
    """The furniture a spec names, one Stripped a block (its words are then placed), each
    with the role of its part (a masthead's "headline" is the paper's name)."""
    words = _Words()
    out: list[tuple[str, Stripped]] = []
    for part in spec.parts:
        found = _resolve(part, pages, words)
        out.extend((part.role, Stripped(spec.furniture, " ".join(paragraph)))
                   for paragraph in texts(_paragraphs(found, False)))
    _place(words)
    return out


def _place(words: _Words) -> None:
    """Mark an item's words as placed (they are no orphans)."""
    for page, start, end in words.found:
        page.used[start:end] = b"\x01" * (end - start)
