"""The logical structMap of a METS issue read into item specs (archive.formats.issue.Spec):
which divs are items of which kind (by their TYPE, or the kind their MODS record classes
them as), which are furniture, which hold items, and which areas or linked page areas make
each item's parts, with their roles. The profiles met: BnL and the BnF (ARTICLE > HEADING
/ BODY > PARAGRAPH divs with areas), the BL (empty divs linked by smLinkGrp to page areas),
RERO (Ad divs beside the articles), Kitodo (divs linked by smLink to whole pages)."""

from __future__ import annotations

import re

from archive.formats.issue import Area, Part, Spec, clean_title
from archive.formats.mods import children, mods_title
from archive.languages import language_name

XLINK = "{http://www.w3.org/1999/xlink}"
ITEM_KINDS = {
    "article": "article", "chapter": "article", "story": "article", "editorial": "article",
    "letter": "article", "review": "article", "poem": "article",
    "advertisement": "advertisement", "advert": "advertisement", "advertising":
    "advertisement", "classified": "advertisement", "freead": "advertisement",
    "ad": "advertisement", "ads": "advertisement", "advertisment": "advertisement",
    "death_notice": "notice", "family_notice": "notice", "obituary": "notice", "notice":
    "notice", "birth_notice": "notice", "marriage_notice": "notice", "announcement":
    "notice", "official_notice": "notice",
    "illustration": "other", "picture": "other", "table": "other", "weather": "other",
    "other": "other", "map": "other", "chart": "other", "cartoon": "other",
    "photograph": "other", "graphic": "other", "table_of_contents": "other",
}
FURNITURE_KINDS = {
    "title_section": "masthead", "titlesection": "masthead", "masthead": "masthead",
    "header": "masthead", "page_header": "running-head", "running_title": "running-head",
    "page_footer": "footer", "footer": "footer", "publishing_stmt": "printer",
    "page_number": "page-number", "folio": "page-number"}
# Divs that hold items rather than being part of one.
_CONTAINERS = frozenset({"issue", "volume", "newspaper", "periodical", "section", "content",
                         "supplement", "part", "edition", "body", "body_content"})
# Part roles by div TYPE (and by physical area LABEL, BL): every other part is body text.
_ROLES = {"title": "headline", "headline": "headline", "main_title": "headline",
          "overline": "overline", "kicker": "overline", "subheadline": "subtitle",
          "subtitle": "subtitle", "subheading": "subtitle", "author": "byline",
          "byline": "byline"}
# Div TYPEs of the parts of an item (besides _ROLES): never an item of their own.
_PART_TYPES = frozenset({"heading", "body", "body_content", "paragraph", "text", "textblock",
                         "caption", "image", "inside_heading", "insideheading"})


def struct_maps(root, kind: str):
    return [m for m in root.iter("{*}structMap") if (m.get("TYPE") or "").lower() == kind]


class Logical:
    """The logical structMap read into item specs, in document order."""

    def __init__(self, root, texts: set[str]) -> None:
        self.texts = texts  # the FILEIDs of the page text files (ALTO)
        self.dmd = {d.get("ID"): d for d in root.iter("{*}dmdSec") if d.get("ID")}
        self.physical = {d.get("ID"): d for m in struct_maps(root, "physical")
                         for d in m.iter("{*}div") if d.get("ID")}
        self.links = _struct_links(root)
        self.maps = struct_maps(root, "logical")
        self.out: list[Spec] = []

    def specs(self) -> list[Spec]:
        for struct_map in self.maps:
            for div in children(struct_map, "div"):
                self._walk(div, None)
        return self.out

    def _walk(self, div, section: str | None) -> None:
        kind = (div.get("TYPE") or "").strip().lower()
        label = f"{kind or 'div'} {div.get('ID') or ''}".strip()
        if kind in FURNITURE_KINDS:
            self.out.append(Spec("furniture", tuple(self._parts(div, None)),
                                 furniture=FURNITURE_KINDS[kind], label=label))
            return
        if kind in ITEM_KINDS or (kind not in _CONTAINERS and not self._holds_items(div)):
            title = self._title(div) or _label_title(div)
            parts = self._parts(div, None)
            if ITEM_KINDS.get(kind) == "advertisement" and len(parts) > 1 and not len(div) \
                    and all(p.linked for p in parts):
                # BL: one ADVERT div links every advertisement area of the issue; each
                # area is an advertisement of its own
                self.out.extend(Spec("advertisement", (part,), section=section,
                                     label=f"{label} area {n}")
                                for n, part in enumerate(parts, 1))
                return
            kind_of = self._classified(div) or ITEM_KINDS.get(kind, "other")
            self.out.append(Spec(kind_of, tuple(parts), title=title, section=section, label=label,
                                 language=self._language(div)))
            return
        # A container (issue, section ...): its items are walked, its own parts (a
        # section's heading and opening text) make an item of their own, first.
        title = self._title(div) or clean_title(div.get("LABEL")) if kind == "section" \
            else None
        inner = title.rstrip(" .:;,") if title else section
        at = len(self.out)
        own: list[Part] = list(self._areas_part(div, None))
        for child in children(div, "div"):
            child_kind = (child.get("TYPE") or "").strip().lower()
            if child_kind in ITEM_KINDS or child_kind in FURNITURE_KINDS \
                    or self._holds_items(child) or self._described(child):
                self._walk(child, inner)
            else:
                own.extend(self._parts(child, None))
        if own:
            body = any(p.role not in ("headline", "overline", "subtitle") for p in own)
            self.out.insert(at, Spec("article" if body else "furniture", tuple(own),
                                 title=title, section=section, furniture="section-heading",
                                 label=f"{kind} {div.get('ID') or ''}".strip()))

    def _described(self, div) -> bool:
        """Whether a div of a TYPE not known here has a catalogue record of its own (a
        DMDID naming MODS), as the items of an issue have and their parts do not: it is
        an item, never text of the section around it."""
        kind = (div.get("TYPE") or "").strip().lower()
        return kind not in _ROLES and kind not in _PART_TYPES and bool(self._mods(div))

    def _holds_items(self, div) -> bool:
        return any((d.get("TYPE") or "").strip().lower() in ITEM_KINDS or
                   (d.get("TYPE") or "").strip().lower() in FURNITURE_KINDS
                   for d in div.iter("{*}div") if d is not div)

    def _parts(self, div, role: str | None) -> list[Part]:
        """The parts of an item div, in document order: its own areas, its child divs',
        and the physical areas a structLink ties it to."""
        kind = (div.get("TYPE") or "").strip().lower()
        role = _ROLES.get(kind, role)
        if kind == "heading":
            role = role or "headline"
        if kind == "paragraph" or (role and kind in _ROLES):  # one part of all its areas
            areas = tuple(a for fptr in div.iter("{*}fptr") for a in self._areas(fptr))
            parts = [Part(role or "body", areas, joined=kind == "paragraph")] if areas else []
        else:
            parts = list(self._areas_part(div, role))
            for child in children(div, "div"):
                parts.extend(self._parts(child, role))
        for target in self.links.get(div.get("ID"), ()):
            parts.extend(self._linked(target))
        return parts

    def _areas_part(self, div, role: str | None) -> list[Part]:
        areas = tuple(a for fptr in children(div, "fptr") for a in self._areas(fptr))
        return [Part(role or "body", areas)] if areas else []

    def _areas(self, fptr) -> list[Area]:
        """The ALTO areas of a file pointer (area, or seq/par of areas, or the file)."""
        areas = [a for a in fptr.iter("{*}area") if a.get("FILEID") in self.texts]
        if not areas and fptr.get("FILEID") in self.texts:
            return [Area(fptr.get("FILEID"), None)]
        # An area without BEGIN names the whole file, unless it says how it would point
        # (BETYPE, SHAPE): then it names nothing (BL: a page area where OCR found no word).
        return [Area(a.get("FILEID"), a.get("BEGIN") or None, a.get("END") or None)
                for a in areas if a.get("BEGIN") or not (a.get("BETYPE") or a.get("SHAPE"))]

    def _linked(self, target: str) -> list[Part]:
        """The parts of a physical div a structLink names: a page area (its LABEL gives
        the role: Headline, Textblock ...) or a whole page."""
        div = self.physical.get(target)
        if div is None:
            return []
        if (div.get("TYPE") or "").lower() != "pagearea":
            areas = tuple(a for fptr in children(div, "fptr") for a in self._areas(fptr))
            return [Part("body", areas)] if areas else []
        role = _ROLES.get((div.get("LABEL") or "").strip().lower(), "body")
        areas = tuple(a for fptr in div.iter("{*}fptr") for a in self._areas(fptr))
        return [Part(role, areas, linked=True)] if areas else []

    def _title(self, div) -> str | None:
        """The title of a div's MODS record."""
        for mods in self._mods(div):
            if title := mods_title(mods):
                return clean_title(title)
        return None

    def _classified(self, div) -> str | None:
        """The kind the item's MODS record classes it as, when that says more than its div
        TYPE (BnF: an ARTICLE div whose record says <classification>freead</...>)."""
        for mods in self._mods(div):
            for element in mods.iter("{*}classification", "{*}genre"):
                if found := ITEM_KINDS.get((element.text or "").strip().lower()):
                    return found
        return None

    def _language(self, div) -> str | None:
        """The language the item's own MODS record gives (BnL: fr or de per article)."""
        for mods in self._mods(div):
            term = next((t.text for t in mods.iter("{*}languageTerm") if t.text), None)
            if term:
                return language_name(term)
        return None

    def _mods(self, div) -> list:
        """The MODS records of a div's DMDID."""
        found = []
        for dmd_id in (div.get("DMDID") or "").split():
            dmd = self.dmd.get(dmd_id)
            mods = next(dmd.iter("{*}mods"), None) if dmd is not None else None
            if mods is not None:
                found.append(mods)
        return found


def _struct_links(root) -> dict[str, list[str]]:
    """Logical div ID -> the physical div IDs its smLinkGrp (or smLink) ties it to."""
    links: dict[str, list[str]] = {}
    for group in root.iter("{*}smLinkGrp"):
        locators = {loc.get(XLINK + "label"): (loc.get(XLINK + "href") or "").lstrip("#")
                    for loc in group.iter("{*}smLocatorLink")}
        for arc in group.iter("{*}smArcLink"):
            source = locators.get(arc.get(XLINK + "from"))
            target = locators.get(arc.get(XLINK + "to"))
            if source and target:
                links.setdefault(source, []).append(target)
    for link in root.iter("{*}smLink"):
        source = (link.get(XLINK + "from") or "").lstrip("#")
        target = (link.get(XLINK + "to") or "").lstrip("#")
        if source and target:
            links.setdefault(source, []).append(target)
    return links


# What a div's LABEL says when it names no title: its kind, its page or its number.
_GENERIC_LABEL = re.compile(
    r"^(?:article|advertisement|advert|ad|illustration|picture|section|chapter|item|"
    r"page|seite|artikel|anzeige|annonce|artikkel|text|content|heading|title|untitled|"
    r"paragraph|body|unknown|unbekannt|inconnu|none|null|beilage|titelseite|\W|\d)*"
    r"\W*(?:\d+\w?)?\W*$", re.IGNORECASE)


def _label_title(div) -> str | None:
    """A div's LABEL as its title, when its MODS gives none: the METS spec's label for a
    reader, which the DFG viewer's profile (Kitodo, Goobi) and Princeton's sets to the
    article's title; not one that only names the div's kind or numbers it ("Article",
    "Page 3", BnL's "Publicité 1 Page 4")."""
    label = clean_title(div.get("LABEL"))
    if label is None or _GENERIC_LABEL.match(label) or \
            label.casefold() == (div.get("TYPE") or "").strip().casefold():
        return None
    if label.endswith(("...", "…")):  # an excerpt of the text (RERO's), not a title
        return None
    # a count in a word or two is a numbering in any language ("Publicité 1 Page 4")
    words = [word for word in label.split() if any(c.isalpha() for c in word)]
    if len(words) <= 2 and any(c.isdigit() for c in label):
        return None
    return label
