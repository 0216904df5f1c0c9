"""Reading a MODS record (the catalogue record METS issues, DIDL-free deliveries and
page sidecars carry): its title, its issue date, the page number it gives a page."""

from __future__ import annotations

import datetime as dt

from archive.dates import year_first
from archive.formats.xmlsafe import local


def children(element, name: str) -> list:
    """An element's children of a local name."""
    return [child for child in element if local(child.tag) == name]


def mods_title(mods) -> str | None:
    """The first title of a MODS record (its own, not a related item's), with nonSort."""
    for info in children(mods, "titleInfo"):
        if (info.get("type") or "") in ("abbreviated", "alternative"):
            continue
        words = [" ".join((child.text or "").split()) for child in info
                 if local(child.tag) in ("nonSort", "title")]
        title = " ".join(w for w in words if w)
        if title:
            return title
    return None


def mods_date(mods) -> dt.date | None:
    """The issue date of a MODS record (its keyDate first), if one is a real date."""
    dates = [d for info in children(mods, "originInfo") for d in children(info, "dateIssued")]
    dates.sort(key=lambda d: d.get("keyDate") != "yes")
    return next((d for element in dates if (d := year_first(element.text))), None)


def mods_page(mods) -> str | None:
    """The page number a MODS record gives its page (part/extent[@unit=pages]/start, or
    part/detail[@type=page]/number), as written."""
    for part in children(mods, "part"):
        for child in part:
            kind = local(child.tag)
            if kind == "extent" and (child.get("unit") or "").lower() in ("pages", "page"):
                start = next((c.text for c in child if local(c.tag) == "start"), None)
            elif kind == "detail" and (child.get("type") or "").lower() in ("page",
                                                                            "page number"):
                start = next((c.text for c in child if local(c.tag) == "number"), None)
            else:
                continue
            if start and start.strip():
                return start.strip()
    return None
