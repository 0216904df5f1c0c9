"""Articles as reference-manager records: RIS (Zotero, EndNote, Mendeley) and BibTeX/biblatex,
for an article's `.ris` and `.bib` twins and a search's whole result set."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from archive.credits import personal_byline
from archive.model import Article
from web.formatting import page_span

RIS_MIME = "application/x-research-info-systems"
BIBTEX_MIME = "application/x-bibtex"
FORMATS = {".ris": RIS_MIME, ".bib": BIBTEX_MIME}
_BIB_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
               "dec")
# A RIS field is one line: line breaks and other control characters would end it early.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_BIB_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
_BIB_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def _ris_value(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def _pages(article: Article) -> str:
    """'3', '2–3' or '1, continued on page 5': where it was printed, as the site says."""
    return page_span(article.page, article.pages).removeprefix("pages ").removeprefix("page ")


def _note(article: Article) -> str:
    """The dateline and wire agencies, which no reference field holds."""
    parts = []
    if article.place:
        parts.append(f"Dateline: {article.place}")
    if article.agencies:
        parts.append(f"Agency: {', '.join(article.agencies)}")
    return "; ".join(parts)


def ris(article: Article, url: str, accessed: dt.date, site: str) -> str:
    """One RIS record (TY NEWS ... ER), lines ended by CR LF as the format asks."""
    fields: list[tuple[str, str]] = [("TY", "NEWS"), ("TI", article.headline)]
    if author := personal_byline(article.byline):
        fields.append(("AU", author))
    fields.append(("T2", article.publication))
    if article.date:
        fields += [("PY", f"{article.date.year:04d}"),
                   ("DA", article.date.strftime("%Y/%m/%d"))]
    if pages := _pages(article):
        fields.append(("SP", pages))
    if article.section:
        fields.append(("SE", article.section))
    if article.language:
        fields.append(("LA", article.language))
    if note := _note(article):
        fields.append(("N1", note))
    fields += [("UR", url), ("Y2", accessed.strftime("%Y/%m/%d")), ("DB", site),
               ("ID", article.id)]
    lines = [f"{tag}  - {_ris_value(value)}" for tag, value in fields if _ris_value(value)]
    return "\r\n".join([*lines, "ER  - ", ""])


def bib_escape(text: str) -> str:
    """Text as a BibTeX field value: the special characters escaped, braces balanced."""
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES.get(m.group(1), "\\" + m.group(1)),
                            _CONTROL.sub(" ", text).strip())


def bib_key(article: Article) -> str:
    """A citation key from the publication, year, first headline word and the id
    (ASCII letters and digits only: every BibTeX reads it): arabtimes2017russian0591daa3."""
    def plain(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]", "", folded.lower())

    words = [plain(w) for w in article.headline.split()]
    first = next((w for w in words if len(w) > 2), next((w for w in words if w), ""))
    year = f"{article.date.year:04d}" if article.date else "nd"
    return f"{plain(article.publication_slug)[:20]}{year}{first[:15]}{plain(article.id)[:8]}"


def bibtex(article: Article, url: str, accessed: dt.date, site: str) -> str:
    """One @article entry of subtype newspaper (biblatex; plain BibTeX reads it as an
    article in a journal named after the paper)."""
    fields: list[tuple[str, str]] = [("title", "{" + bib_escape(article.headline) + "}")]
    if author := personal_byline(article.byline):
        fields.append(("author", "{" + bib_escape(author) + "}"))
    fields += [("journal", bib_escape(article.publication)),
               ("journaltitle", bib_escape(article.publication)),
               ("entrysubtype", "newspaper")]
    if article.date:
        fields += [("date", article.date.isoformat()), ("year", f"{article.date.year:04d}"),
                   ("month", _BIB_MONTHS[article.date.month - 1])]
    if pages := _pages(article):
        fields.append(("pages", bib_escape(pages.replace("–", "--"))))
    if article.language:
        fields.append(("language", bib_escape(article.language)))
    if note := _note(article):
        fields.append(("note", bib_escape(note)))
    fields += [("url", url.replace("%", r"\%").replace("#", r"\#")),
               ("urldate", accessed.isoformat()),
               ("organization", bib_escape(site))]
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}"
                      for name, value in fields)
    return f"@article{{{bib_key(article)},\n{body}\n}}\n"


Writer = Callable[[Article, str, dt.date, str], str]
WRITERS: dict[str, Writer] = {".ris": ris, ".bib": bibtex}


def filename(article: Article, suffix: str) -> str:
    """The file a browser saves: the citation key, e.g. arabtimes2017russian0591daa3.ris."""
    return bib_key(article) + suffix


def download(article: Article, suffix: str):
    """The .ris or .bib answer for one article (a Flask response, saved as a file)."""
    from flask import Response, current_app

    from web import urls

    text = WRITERS[suffix](article, urls.absolute(urls.permalink(article)), dt.date.today(),
                           current_app.config["SITE_NAME"])
    response = Response(text, mimetype=FORMATS[suffix])
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{filename(article, suffix)}"'
    return response
