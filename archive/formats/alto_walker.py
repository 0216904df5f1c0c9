"""What the two ALTO builders share (archive.formats.alto_columns and alto_layout): one
pass over the blocks of a parsed ALTO document in document order, with the role the
margins and ComposedBlocks around each give it (Walker), and the reading of an element's
box, a String's confidence and hyphen part, and the page's number."""

from __future__ import annotations

from archive.formats.xmlsafe import local
from archive.layout import Box, is_rule

_MARGINS = frozenset({"TopMargin", "BottomMargin", "LeftMargin", "RightMargin"})
HYPHENS = ("-", "¬", "\u00ad")  # a word ending in one of these needs no HYP's hyphen
PLAIN = (0, None)  # AltoPage.hyphens of a word not hyphenated across a line end
# A page of this many words or more whose every WC is one value (RERO's 0.5 on each of
# 3,300 words) was given a placeholder, not confidences: no OCR engine is that even.
PLACEHOLDER_WORDS = 50
# The most words of a ComposedBlock that is a picture and its caption (more: an advert
# drawn round a cut); a picture paper's captions run to a hundred words (Excelsior, 1910).
CAPTION_WORDS = 150


class Walker:
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
                if kind == "illustration":
                    self.illustration(child)
                inner = role if role == "margin" else (
                    "caption" if kind == "illustration" or (not kind and pictured(child))
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

    def illustration(self, element) -> None:
        """A ComposedBlock of TYPE Illustration (BL: the picture itself, its outline
        given as a Shape, the lines printed on or under it inside)."""


def pictured(composed) -> bool:
    """Whether a ComposedBlock of no TYPE is a picture with its caption (BnF: an
    Illustration and the few lines printed under it): it holds a picture and little text
    (an advertisement drawn round a cut holds more)."""
    if not any(local(child.tag) == "Illustration" or (
            local(child.tag) == "GraphicalElement" and not is_rule(element_box(child)))
            for child in composed):
        return False
    return sum(1 for element in composed.iter() if local(element.tag) == "String") \
        <= CAPTION_WORDS


def hyphen_part(subs: str, get) -> tuple[int, str | None]:
    """(part, whole word) of a String by its SUBS_TYPE (HypPart1, HypPart2), or PLAIN."""
    subs = subs.strip()
    if subs == "HypPart1":
        return 1, (get(b"SUBS_CONTENT") or "").strip() or None
    if subs == "HypPart2":
        return 2, None
    return PLAIN


def finite(value: str | None) -> float | None:
    """A finite number, or None."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number - number == 0 else None  # not NaN, not infinite


def unit_interval(value: str | None) -> float | None:
    """A confidence 0..1 (WC, PC); None when absent or not a number."""
    number = finite(value)
    return None if number is None else min(1.0, max(0.0, number))


def word_confidence(get, known: dict[str | None, float | None]) -> float | None:
    """A String's confidence from its WC (a page repeats few values: `known` holds them),
    else from its CC."""
    wc = get(b"WC")
    try:
        confidence = known[wc]
    except KeyError:
        confidence = known[wc] = unit_interval(wc)
    return from_cc(get(b"CC")) if confidence is None else confidence


def placeholder(known: dict[str | None, float | None], words: int) -> bool:
    """Whether the WC values a page's words gave (known: each value read) are one
    placeholder on PLACEHOLDER_WORDS words or more, not confidences."""
    return words >= PLACEHOLDER_WORDS and len(
        {value for value in known.values() if value is not None}) == 1 and None not in known


def from_cc(value: str | None) -> float | None:
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


def element_box(element) -> Box | None:
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
