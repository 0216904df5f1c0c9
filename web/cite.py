"""'Cite this': an article as APA, MLA and Chicago references, built from its permalink."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from archive.credits import personal_byline
from archive.model import Article
from web.formatting import MONTHS

_MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.",
               "Oct.", "Nov.", "Dec.")


@dataclass(frozen=True)
class Citation:
    style: str
    html: Markup  # titles in <i>
    text: str  # the same, plain


def _end(text: str) -> str:
    """A sentence ends with one stop: no period after ? or !."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _mla_date(date: dt.date) -> str:
    return f"{date.day} {_MLA_MONTHS[date.month - 1]} {date.year}"


def _us_date(date: dt.date) -> str:
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


def _pages(article: Article) -> tuple[str, str]:
    """(APA, MLA) page references: ', p. 3'; ', pp. 2–3' for a run of pages; for pages
    apart APA lists them (', pp. 1, 5') and MLA gives the first and a plus (', pp. 1+')."""
    numbers = sorted(set(article.pages) | ({article.page} if article.page else set()))
    if not numbers:
        return "", ""
    if len(numbers) == 1:
        return (f", p. {numbers[0]}",) * 2
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return (f", pp. {numbers[0]}–{numbers[-1]}",) * 2
    return f", pp. {', '.join(map(str, numbers))}", f", pp. {numbers[0]}+"


def citations(article: Article, url: str, accessed: dt.date, site: str) -> list[Citation]:
    """APA 7, MLA 9 and Chicago 17 (bibliography) references for an article page."""
    headline, pub, date = article.headline, article.publication, article.date
    name = personal_byline(article.byline)
    author = [_end(name)] if name else []
    page, mla_page = _pages(article)
    quoted = f"“{_end(headline)}”"

    # APA: Author. (2017, November 4). Headline. Publication, p. 3. URL
    when = f"({date.year}, {MONTHS[date.month - 1]} {date.day})." if date else "(n.d.)."
    apa = [*author, when, _end(headline)] if author else [_end(headline), when]
    # MLA: Author. “Headline.” Publication, 4 Nov. 2017, p. 3. Site, URL. Accessed 1 Dec. 2026.
    mla_date = f", {_mla_date(date)}" if date else ""
    # Chicago: Author. “Headline.” Publication, November 4, 2017. Accessed .... URL.
    us_date = f", {_us_date(date)}" if date else ""
    return [
        _citation("APA", [(" ".join(apa) + " ", False), (pub, True), (f"{page}. {url}", False)]),
        _citation("MLA", [(" ".join([*author, quoted]) + " ", False), (pub, True),
                          (f"{mla_date}{mla_page}. ", False), (site, True),
                          (f", {url}. Accessed {_mla_date(accessed)}.", False)]),
        _citation("Chicago", [(" ".join([*author, quoted]) + " ", False), (pub, True),
                              (f"{us_date}. Accessed {_us_date(accessed)}. {url}.", False)]),
    ]


def _citation(style: str, parts: list[tuple[str, bool]]) -> Citation:
    """A reference from (text, italic) parts: titles of containers are set in italics."""
    html = Markup("").join(Markup("<i>{}</i>").format(text) if italic else Markup.escape(text)
                           for text, italic in parts)
    return Citation(style, html, "".join(text for text, _ in parts))
