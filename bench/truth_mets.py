"""The true items of a METS/ALTO issue, from its METS logical structure (our own parsing:
nothing from archive.formats, whose readers are what the benchmark measures).

Two profiles are met, and read by one set of rules:
- BL: empty logical divs (ARTICLE, ADVERT, OTHER) linked by structLink smLinkGrp to
  physical "pagearea" divs (or a whole page div), whose area points into an ALTO file by
  BETYPE="IDREF" BEGIN/END word ids: the words from BEGIN to END in document order.
- BnL: logical ARTICLE > HEADING / BODY / ... with areas whose BEGIN is an ALTO TextBlock
  or ComposedBlock id: every word inside it. ADVERTISEMENT divs; SECTION divs whose own
  heading and text (outside their articles) are one "other" item.

An area belongs to the deepest logical div that reaches it (by containment or by a link)
and lies in an item div; words no item reaches are furniture (mastheads, publishing
statements, folios). One ADVERT div may gather every advertisement of an issue (BL), so
each area of an advertisement div is an advertisement of its own."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

from bench.truth import (
    FURNITURE,
    KIND_AD,
    KIND_ARTICLE,
    KIND_OTHER,
    Issue,
    Item,
    Page,
    local,
    parse_xml,
    read_bytes,
)
from bench.truth_alto import page_lines, read_alto

XLINK = "{http://www.w3.org/1999/xlink}"
ITEM_KINDS = {"ARTICLE": KIND_ARTICLE, "ADVERT": KIND_AD, "ADVERTISEMENT": KIND_AD,
              "AD": KIND_AD, "OTHER": KIND_OTHER}  # AD: RERO's advertisements
SECTION = "SECTION"
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _href_path(mets: Path, href: str) -> Path | None:
    """The corpus file a METS FLocat names (delivered names lack the .gz added here)."""
    href = re.sub(r"^file:(//)?", "", href).lstrip("/") if href.startswith("file:") else href
    base = (mets.parent / href).resolve()
    for candidate in (base, base.with_name(base.name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def read_mets(path: Path) -> Issue:
    """The truth of a METS issue and the ALTO pages its areas point into."""
    root = parse_xml(read_bytes(path))
    hrefs = {f.get("ID"): loc.get(XLINK + "href") for f in root.iter()
             if local(f.tag) == "file" for loc in f if local(loc.tag) == "FLocat"}
    maps = {(m.get("TYPE") or "").upper(): m for m in root.iter()
            if local(m.tag) == "structMap"}
    logical, physical = maps.get("LOGICAL"), maps.get("PHYSICAL")
    if logical is None:
        raise ValueError(f"{path.name}: no logical structMap")
    # every logical div, by its ID (a div without one gets a name by document order)
    names = {d: d.get("ID") or f"div{n}" for n, d in enumerate(
        e for e in logical.iter() if local(e.tag) == "div")}
    divs = {d.get("ID"): d for d in names if d.get("ID")}
    physical_divs = {} if physical is None else {
        d.get("ID"): d for d in physical.iter() if local(d.tag) == "div" and d.get("ID")}
    reach: dict[int, list] = defaultdict(list)  # id(area) -> logical divs reaching it
    areas = {}
    for div in names:
        for area in _areas(div):
            areas[id(area)] = area
            reach[id(area)].append(div)
    for log_id, phys_id in _links(root):
        if log_id in divs and phys_id in physical_divs:
            for area in _areas(physical_divs[phys_id], nested=True):
                areas[id(area)] = area
                reach[id(area)].append(divs[log_id])
    items: dict[str, Item] = {}
    by_file: dict[str, list[tuple[object, str]]] = defaultdict(list)  # file id -> (area,
    #                                                                     item id)
    # in document order, so that the numbers of advertisement areas are stable
    for number, (key, area) in enumerate(sorted(areas.items(),
                                                key=lambda kv: kv[1].sourceline or 0)):
        owner = _owner(reach[key])
        if owner is None:
            continue
        kind, div = owner
        item_id = names[div] if kind != KIND_AD else f"{names[div]}/{number}"
        items.setdefault(item_id, Item(item_id, kind))
        by_file[area.get("FILEID")].append((area, item_id))
    pages, notes = _pages(path, root, physical, hrefs, by_file)
    return Issue(name=path.name.removesuffix(".gz"), date=_issue_date(root), unit=path,
                 pages=pages, items=items, notes=tuple(notes))


def _areas(div, nested: bool = False) -> list:
    """The IDREF areas of a div itself (with those of its child divs only when nested)."""
    found = []
    for child in div:
        name = local(child.tag)
        if name == "area":
            if (child.get("BETYPE") or "").upper() == "IDREF":
                found.append(child)
        elif name != "div" or nested:
            found += _areas(child, nested)
    return found


def _links(root) -> list[tuple[str, str]]:
    """(logical id, physical id) pairs of structLink (smLinkGrp arcs, or smLink), in
    both directions (the caller keeps the pairs whose ends are of the right maps)."""
    pairs = []
    for element in root.iter():
        name = local(element.tag)
        if name == "smLink":
            a, b = (element.get(XLINK + k, "").lstrip("#") for k in ("from", "to"))
            pairs += [(a, b), (b, a)]
        elif name == "smLinkGrp":
            labels: dict[str, list[str]] = defaultdict(list)
            every = []
            for child in element:
                if local(child.tag) == "smLocatorLink":
                    target = (child.get(XLINK + "href") or "").lstrip("#")
                    labels[child.get(XLINK + "label") or target].append(target)
                    every.append(target)
            arcs = [(child.get(XLINK + "from"), child.get(XLINK + "to")) for child in element
                    if local(child.tag) == "smArcLink"]
            ends = [(a, b) for f, t in arcs for a in labels.get(f, []) for b in labels.get(t, [])]
            if not arcs:  # no arcs: every locator of the group is linked to every other
                ends = [(a, b) for a in every for b in every if a != b]
            pairs += ends + [(b, a) for a, b in ends]
    return pairs


def _owner(reaching: list) -> tuple[str, object] | None:
    """(kind, item div) of an area: that of the deepest reaching div inside an item div
    (an ARTICLE, ADVERT...; else a SECTION's own content, kind "other"); None: furniture."""
    best = None
    for div in reaching:
        owner = _item_div(div)
        if owner is not None:
            depth = sum(1 for _ in div.iterancestors())
            if best is None or depth > best[0]:
                best = (depth, owner)
    return best[1] if best else None


def _item_div(div) -> tuple[str, object] | None:
    chain = [div, *div.iterancestors()]
    for element in chain:
        kind = ITEM_KINDS.get((element.get("TYPE") or "").upper())
        if kind and local(element.tag) == "div":
            return kind, element
    for element in chain:
        if local(element.tag) == "div" and (element.get("TYPE") or "").upper() == SECTION:
            return KIND_OTHER, element
    return None


def _pages(path: Path, root, physical, hrefs: dict, by_file: dict
           ) -> tuple[tuple[Page, ...], list[str]]:
    """Every ALTO page of the issue, in page order, its words labelled by item."""
    notes: list[str] = []
    numbers = _page_numbers(physical, set(by_file) | _idref_files(root))
    pages = []
    for file_id, number in sorted(numbers.items(), key=lambda kv: kv[1]):
        href = hrefs.get(file_id)
        page_path = _href_path(path, href) if href else None
        if page_path is None:
            notes.append(f"page {number}: file {href or file_id} not found")
            continue
        alto = read_alto(read_bytes(page_path))
        labels = [FURNITURE] * len(alto.words)
        missing = 0
        for area, item_id in by_file.get(file_id, []):
            begin, end = area.get("BEGIN"), area.get("END") or area.get("BEGIN")
            if not begin:  # an empty area (BL: a headline area the OCR found no words in)
                continue
            if begin not in alto.spans or end not in alto.spans:
                missing += 1
                continue
            low, high = alto.spans[begin][0], alto.spans[end][1]
            for i in range(low, high + 1):
                if labels[i] == FURNITURE:
                    labels[i] = item_id
        if missing:
            notes.append(f"page {number}: {missing} area(s) name ALTO ids the page lacks")
        pages.append(Page(number, page_path, page_lines(alto, labels)))
    return tuple(pages), notes


def _idref_files(root) -> set[str]:
    return {a.get("FILEID") for a in root.iter() if local(a.tag) == "area"
            and (a.get("BETYPE") or "").upper() == "IDREF" and a.get("FILEID")}


def _page_numbers(physical, alto_files: set[str]) -> dict[str, int]:
    """ALTO file id -> page number, from the physical map's page divs (ORDER)."""
    numbers: dict[str, int] = {}
    if physical is not None:
        for div in physical.iter():
            if local(div.tag) != "div" or (div.get("TYPE") or "").lower() != "page":
                continue
            order = div.get("ORDER") or str(len(numbers) + 1)
            for element in div.iter():
                file_id = element.get("FILEID")
                if file_id in alto_files and file_id not in numbers and order.isdigit():
                    numbers[file_id] = int(order)
    for file_id in sorted(alto_files - set(numbers)):  # not in the map: after the rest
        numbers[file_id] = max(numbers.values(), default=0) + 1
    return numbers


def _issue_date(root) -> dt.date | None:
    for element in root.iter():
        if local(element.tag) == "dateIssued" and element.text:
            match = _DATE.search(element.text)
            if match:
                return dt.date(*map(int, match.groups()))
    return None
