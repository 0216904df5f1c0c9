"""The two builders of archive.formats.alto, one pass each over a parsed ALTO document:
Columns reads its words into flat lists with the ID of every element indexed (what an
issue reader needs), Layout builds its blocks of lines of words with their boxes and font
sizes (what segmentation needs). Both walk the blocks in document order with the role the
margins and ComposedBlocks around each give them (_Walker). Kept apart from the reader so
that each module stays small."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from dataclasses import replace

from archive.formats.xmlsafe import local
from archive.layout import Block, Box, Line, Page, Word, new_box, new_word

_MARGINS = frozenset({"TopMargin", "BottomMargin", "LeftMargin", "RightMargin"})
# A GraphicalElement this many times longer than thick is a rule (a separator); a squarer
# one is a picture or an ornament, which column finding must not take for a rule.
RULE_ELONGATION = 8.0
_HYPHENS = ("-", "¬", "\u00ad")  # a word ending in one of these needs no HYP's hyphen
PLAIN = (0, None)  # AltoPage.hyphens of a word not hyphenated across a line end
# A page of this many words or more whose every WC is one value (RERO's 0.5 on each of
# 3,300 words) was given a placeholder, not confidences: no OCR engine is that even.
PLACEHOLDER_WORDS = 50
# The most words of a ComposedBlock that is a picture and its caption (more: an advert
# drawn round a cut); a picture paper's captions run to a hundred words (Excelsior, 1910).
CAPTION_WORDS = 150


class _Walker:
    """One pass over the blocks of an ALTO document in document order, with the role the
    margins and ComposedBlocks around each give it: what both builders share."""

    def __init__(self, root) -> None:
        self.root = root
        # Every element of an ALTO document is in the root's namespace (or none): comparing
        # whole tags costs far less than taking local names, and pages hold 10,000 words.
        prefix = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        self.block_tag, self.line_tag = prefix + "TextBlock", prefix + "TextLine"
        self.string_tag, self.hyp_tag = prefix + "String", prefix + "HYP"
        # HYP elements are few (one ends some lines): knowing their lines up front spares
        # the String loop a tag test per word. lxml gives one proxy per element while one
        # is alive, so the set finds a line by identity.
        self.hyp_lines = {hyp.getparent() for hyp in root.iter(self.hyp_tag)}
        self.blocks = 0  # blocks met so far
        self.pages = list(root.iter("{*}Page"))

    def walk(self) -> None:
        for page in self.pages:
            self._walk(page, None)

    def _walk(self, element, role: str | None) -> None:
        self.enter(element)
        for child in element:
            if child.tag == self.block_tag:
                self.block(child, role)
                self.blocks += 1
                continue
            name = local(child.tag)
            if name in _MARGINS:
                self._walk(child, "margin")
            elif name == "ComposedBlock":
                kind = (child.get("TYPE") or "").strip().lower()
                inner = role if role == "margin" else (
                    "caption" if kind == "illustration" or (not kind and _pictured(child))
                    else kind or role)
                self._walk(child, inner)
            elif name == "PrintSpace":
                self._walk(child, role)
            elif name == "GraphicalElement":
                self.graphic(child)
            elif name == "Illustration":
                self.picture(child)
        self.leave(element)

    def enter(self, element) -> None:
        """Before the children of a Page, PrintSpace, margin or ComposedBlock."""

    def leave(self, element) -> None:
        """After them."""

    def block(self, element, role: str | None) -> None:
        """A TextBlock."""

    def graphic(self, element) -> None:
        """A GraphicalElement."""

    def picture(self, element) -> None:
        """An Illustration."""


class Columns(_Walker):
    """The words of an ALTO document into AltoPage's columns, with the ID of every element
    indexed: no Word, Box or Line is made (an issue reader needs none of them)."""

    def __init__(self, root) -> None:
        super().__init__(root)
        self.texts: list[str] = []
        self.confidences: list[float | None] = []
        self.hyphens: dict[int, tuple[int, str | None]] = {}
        self.lines: list[tuple[int, int, int, int]] = []
        self.line_boxes: list[Box | None] = []  # per printed line (paragraph breaks)
        self.spans: dict[str, tuple[int, int]] = {}
        self.block_spans: list[tuple[int, int]] = []
        self.block_boxes: list[Box | None] = []
        self.block_roles: list[str | None] = []
        self.starts: list[int] = []  # per element entered: its first word
        # WC value -> confidence: a page prints a few hundred distinct values, each read once
        self.known: dict[str | None, float | None] = {}

    def walk(self) -> None:
        super().walk()
        if placeholder(self.known, len(self.texts)):
            self.confidences = [None] * len(self.confidences)

    def enter(self, element) -> None:
        self.starts.append(len(self.texts))

    def leave(self, element) -> None:
        start = self.starts.pop()
        if element_id := element.get("ID"):
            self.spans[element_id] = (start, len(self.texts))

    def graphic(self, element) -> None:
        # wordless, but a METS area may name it (BnF: an ILLUSTRATION's picture): an
        # empty run where it stands, so that it is known and adds no word
        if element_id := element.get(b"ID"):
            self.spans[element_id] = (len(self.texts), len(self.texts))

    picture = graphic

    def block(self, element, role: str | None) -> None:
        index = len(self.block_spans)
        texts, lines, spans = self.texts, self.lines, self.spans
        start = len(texts)
        printed = 0  # the block's lines that hold a word
        for line in element.iterchildren(self.line_tag):
            line_start = len(texts)
            if line in self.hyp_lines:
                self._hyphenated(line)
            else:
                self._words(line)
            end = len(texts)
            if line_id := line.get(b"ID"):
                spans[line_id] = (line_start, end)
            if end > line_start:  # a line without words is no printed line
                lines.append((index, printed, line_start, end))
                self.line_boxes.append(_box(line))
                printed += 1
        if element_id := element.get(b"ID"):
            spans[element_id] = (start, len(texts))
        self.block_spans.append((start, len(texts)))
        self.block_boxes.append(_box(element))
        self.block_roles.append(role)

    def _words(self, line) -> None:
        """The Strings of a TextLine without a HYP into the columns. This loop runs for
        every word of every page: it reads the four attributes every reader needs (five
        with a HypPart; bytes keys: lxml would encode a str key to UTF-8 at every call)."""
        texts, confidences, spans, known = self.texts, self.confidences, self.spans, self.known
        append_text, append_confidence = texts.append, confidences.append
        position = len(texts)
        for child in line.iterchildren(self.string_tag):  # not SP: half the elements
            get = child.get
            text = get(b"CONTENT")
            text = text.strip() if text else ""
            if element_id := get(b"ID"):
                spans[element_id] = (position, position + 1) if text else (position, position)
            if not text:
                continue
            if subs := get(b"SUBS_TYPE"):
                self._hyphen(position, subs, get)
            confidence = _confidence(get, known)
            append_text(text)
            append_confidence(confidence)
            position += 1

    def _hyphenated(self, line) -> None:
        """The children of a TextLine that holds a HYP: its Strings, and the HYP's hyphen
        written onto the word before it when that does not end in one."""
        texts, start = self.texts, len(self.texts)
        for child in line.iterchildren(self.string_tag, self.hyp_tag):
            if child.tag == self.hyp_tag:
                if len(texts) > start and not texts[-1].endswith(_HYPHENS):
                    texts[-1] += "-"
                continue
            get = child.get
            text = get(b"CONTENT")
            text = text.strip() if text else ""
            position = len(texts)
            if element_id := get(b"ID"):
                self.spans[element_id] = (position, position + 1 if text else position)
            if not text:
                continue
            if subs := get(b"SUBS_TYPE"):
                self._hyphen(position, subs, get)
            confidence = _unit(get(b"WC"))
            texts.append(text)
            self.confidences.append(_from_cc(get(b"CC")) if confidence is None else confidence)

    def _hyphen(self, position: int, subs: str, get) -> None:
        part, whole = _hyphen_part(subs, get)
        if part:
            self.hyphens[position] = (part, whole)


def _pictured(composed) -> bool:
    """Whether a ComposedBlock of no TYPE is a picture with its caption (BnF: an
    Illustration and the few lines printed under it): it holds a picture and little text
    (an advertisement drawn round a cut holds more)."""
    if not any(local(child.tag) == "Illustration" or (
            local(child.tag) == "GraphicalElement" and not _rule(_box(child)))
            for child in composed):
        return False
    return sum(1 for element in composed.iter() if local(element.tag) == "String") \
        <= CAPTION_WORDS


def _rule(box: Box | None) -> bool:
    """Whether a GraphicalElement's box is a rule (a separator): much longer than thick."""
    return box is not None and box.width > 0 and box.height > 0 and \
        max(box.width, box.height) >= RULE_ELONGATION * min(box.width, box.height)


def _hyphen_part(subs: str, get) -> tuple[int, str | None]:
    """(part, whole word) of a String by its SUBS_TYPE (HypPart1, HypPart2), or PLAIN."""
    subs = subs.strip()
    if subs == "HypPart1":
        return 1, (get(b"SUBS_CONTENT") or "").strip() or None
    if subs == "HypPart2":
        return 2, None
    return PLAIN


class Layout(_Walker):
    """The layout of an ALTO document: blocks of lines of words with their boxes and font
    sizes, and the rules (nothing of AltoPage's columns or ID index is made)."""

    def __init__(self, root, only: Container[int] | None = None) -> None:
        super().__init__(root)
        self.only = only  # the blocks (their places among the page's) to build, or all
        self.sizes: dict[str, float] = {}  # TextStyle ID -> FONTSIZE (points), when given
        for style in root.iter("{*}TextStyle"):
            size = finite(style.get("FONTSIZE"))
            if size and size > 0 and style.get("ID"):
                self.sizes[style.get("ID")] = size
        self.rules: list[Box] = []
        self.pictures: list[Box] = []
        self.known: dict[str | None, float | None] = {}  # WC value -> confidence
        self.style_of: dict[str | None, float | None] = {}  # STYLEREFS -> its size, likewise
        # per block: its element, role and lines (words, line box, HEIGHT, the mode of
        # its words' style sizes)
        self.found: list[tuple[object, str | None, list]] = []

    def build(self) -> Page:
        self.walk()
        if placeholder(self.known, sum(len(words) for _, _, lines in self.found
                                       for words, _, _, _ in lines)):
            self.found = [(element, role, [(tuple(replace(word, confidence=None)
                                                  for word in words), *rest)
                                           for words, *rest in lines])
                          for element, role, lines in self.found]
        first = self.pages[0] if self.pages else None
        if first is None:
            return Page(blocks=self._blocks(), rules=tuple(self.rules),
                        pictures=tuple(self.pictures), ordered=True)
        return Page(blocks=self._blocks(), width=finite(first.get("WIDTH")),
                    height=finite(first.get("HEIGHT")), number=page_number(first),
                    rules=tuple(self.rules), pictures=tuple(self.pictures),
                    confidence=_unit(first.get("PC")),
                    id=first.get("ID"), ordered=True)

    def graphic(self, element) -> None:
        box = _box(element)
        if _rule(box):
            self.rules.append(box)
        elif box is not None and box.width > 0 and box.height > 0:
            self.pictures.append(box)

    def picture(self, element) -> None:
        box = _box(element)
        if box is not None and box.width > 0 and box.height > 0:
            self.pictures.append(box)

    def block(self, element, role: str | None) -> None:
        if self.only is not None and self.blocks not in self.only:
            return
        sizes = self.sizes
        block_style = _style(element.get("STYLEREFS"), sizes) if sizes else None
        lines: list = []
        for line in element.iterchildren(self.line_tag):
            line_style = (_style(line.get("STYLEREFS"), sizes) if sizes else None) \
                or block_style
            if line in self.hyp_lines:
                words, styles = self._hyphenated(line, line_style)
            else:
                words, styles = self._words(line, line_style)
            if words:  # a line without words is no printed line
                lines.append((tuple(words), _box(line), finite(line.get("HEIGHT")),
                              _mode(styles) if sizes else line_style))
        self.found.append((element, role, lines))

    def _words(self, line, line_style: float | None) -> tuple[list[Word], list]:
        """The Words of a TextLine without a HYP (and, when the page's styles give sizes,
        each word's style size). This loop runs for every word of every page."""
        known, sizes = self.known, self.sizes
        words: list[Word] = []
        styles: list[float | None] = []
        for child in line.iterchildren(self.string_tag):  # not SP: half the elements
            get = child.get
            text = get(b"CONTENT")
            if not text or not (text := text.strip()):
                continue
            part, whole = _hyphen_part(subs, get) if (subs := get(b"SUBS_TYPE")) else PLAIN
            confidence = _confidence(get, known)
            try:  # the word's box (_box, spelt out)
                left, top = float(get(b"HPOS")), float(get(b"VPOS"))
                right, bottom = left + float(get(b"WIDTH")), top + float(get(b"HEIGHT"))
            except (TypeError, ValueError):  # absent (None) or not a number
                box = None
            else:
                width, height = right - left, bottom - top
                box = new_box(left, top, right, bottom) if width - width == 0 \
                    and height - height == 0 else None  # (finite: not NaN, not infinite)
            words.append(new_word(text, box, confidence, get(b"ID"), whole, part))
            if sizes:  # (no STYLEREFS names a size on a page whose styles give none)
                styles.append(self._style_size(get(b"STYLEREFS")) or line_style)
        return words, styles

    def _hyphenated(self, line, line_style: float | None) -> tuple[list[Word], list]:
        """The Words of a TextLine that holds a HYP: the HYP's hyphen is written onto the
        word before it when that does not end in one."""
        words: list[Word] = []
        styles: list[float | None] = []
        for child in line.iterchildren(self.string_tag, self.hyp_tag):
            if child.tag == self.hyp_tag:
                if words and not words[-1].text.endswith(_HYPHENS):
                    last = words[-1]
                    words[-1] = Word(last.text + "-", last.box, last.confidence, last.id,
                                     last.hyphen_whole, last.hyphen_part)
                continue
            get = child.get
            text = (get(b"CONTENT") or "").strip()
            if not text:
                continue
            part, whole = _hyphen_part(subs, get) if (subs := get(b"SUBS_TYPE")) else PLAIN
            confidence = _unit(get(b"WC"))
            if confidence is None:
                confidence = _from_cc(get(b"CC"))
            words.append(Word(text, _box(child), confidence, get(b"ID"), whole, part))
            if self.sizes:
                styles.append(self._style_size(get(b"STYLEREFS")) or line_style)
        return words, styles

    def _style_size(self, refs: str | None) -> float | None:
        """The size of a word's style (_style), each STYLEREFS value looked up once."""
        try:
            return self.style_of[refs]
        except KeyError:
            size = self.style_of[refs] = _style(refs, self.sizes) if refs else None
            return size

    def _blocks(self) -> tuple[Block, ...]:
        """The layout's blocks. Lines get their font size in points when the page's styles
        give every line one, else every line gets its height: one unit throughout a page,
        so sizes compare."""
        points = any(lines for _, _, lines in self.found) and all(
            size is not None for _, _, lines in self.found for _, _, _, size in lines)
        blocks = []
        for index, (element, role, lines) in enumerate(self.found):
            language = element.get("LANG") or element.get("language") or element.get(
                "{http://www.w3.org/XML/1998/namespace}lang")
            blocks.append(Block(element.get("ID") or f"block{index + 1}", tuple(
                Line(words, box, size if points else height)
                for words, box, height, size in lines), _box(element), role, language))
        return tuple(blocks)


def finite(value: str | None) -> float | None:
    """A finite number, or None."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number - number == 0 else None  # not NaN, not infinite


def _unit(value: str | None) -> float | None:
    """A confidence 0..1 (WC, PC); None when absent or not a number."""
    number = finite(value)
    return None if number is None else min(1.0, max(0.0, number))


def _confidence(get, known: dict[str | None, float | None]) -> float | None:
    """A String's confidence from its WC (a page repeats few values: `known` holds them),
    else from its CC."""
    wc = get(b"WC")
    try:
        confidence = known[wc]
    except KeyError:
        confidence = known[wc] = _unit(wc)
    return _from_cc(get(b"CC")) if confidence is None else confidence


def placeholder(known: dict[str | None, float | None], words: int) -> bool:
    """Whether the WC values a page's words gave (known: each value read) are one
    placeholder on PLACEHOLDER_WORDS words or more, not confidences."""
    return words >= PLACEHOLDER_WORDS and len(
        {value for value in known.values() if value is not None}) == 1 and None not in known


def _from_cc(value: str | None) -> float | None:
    """A word confidence from its character confidences: digits from 0 (sure) to 9 (unsure),
    written together ("0012") or apart ("0 0 1 2")."""
    if not value:
        return None
    digits = value.split() if any(c.isspace() for c in value.strip()) else list(value.strip())
    numbers = [finite(d) for d in digits]
    known = [n for n in numbers if n is not None and 0 <= n <= 9]
    if not known:
        return None
    return 1.0 - sum(known) / len(known) / 9.0


def _box(element) -> Box | None:
    get = element.get
    try:
        left, top = float(get("HPOS")), float(get("VPOS"))
        right, bottom = left + float(get("WIDTH")), top + float(get("HEIGHT"))
    except (TypeError, ValueError):  # absent (None) or not a number
        return None
    width, height = right - left, bottom - top
    if width - width != 0 or height - height != 0:  # NaN or infinite (1e309 reads as inf)
        return None
    return Box(left, top, right, bottom)


def _style(refs: str | None, sizes: dict[str, float]) -> float | None:
    """The font size of the first of an element's STYLEREFS that has one."""
    if not refs:
        return None
    for ref in refs.split():
        if ref in sizes:
            return sizes[ref]
    return None


def _mode(values: list[float | None]) -> float | None:
    if values and values.count(values[0]) == len(values):
        return values[0]  # one style throughout the line, as in most lines
    known = Counter(v for v in values if v is not None)
    if not known:
        return None
    return max(known.items(), key=lambda item: (item[1], item[0]))[0]


# ALTO in the namespace of CCS's profile, as NDNP (Chronicling America) delivers it: there
# PHYSICAL_IMG_NR counts the frames of a microfilm reel (529 for an issue's third page).
_REEL_NAMESPACE = "{http://schema.ccs-gmbh.com/ALTO}"


def page_number(page) -> int | None:
    """The page's number: PRINTED_IMG_NR, else PHYSICAL_IMG_NR where it counts images of
    the issue rather than frames of a reel."""
    if page is None:
        return None
    reel = isinstance(page.tag, str) and page.tag.startswith(_REEL_NAMESPACE)
    for attribute in ("PRINTED_IMG_NR",) if reel else ("PRINTED_IMG_NR", "PHYSICAL_IMG_NR"):
        value = (page.get(attribute) or "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None
