"""The article page at its permalink, with `.json` and `.txt` twins at the same path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, abort, current_app, make_response, redirect, request
from markupsafe import Markup

from archive.model import Article
from archive.text import crosshead
from index.engine import (
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    Hit,
    PageOutOfRange,
    SearchError,
    SearchRequest,
)
from index.highlight import highlighter
from index.query import QueryError
from web import caching, citations_export, matches, urls
from web.cite import citations
from web.errors import SCRIPT_CSP, error_response
from web.formatting import kind_label, long_date, page_span, percent
from web.records import article_record, hit_path, printing_record, same_headline
from web.resources import library
from web.state import Limits, parse_hit, parse_search
from web.views import html_page, json_twin, relative

bp = Blueprint("article", __name__)

CROSSHEAD_SHARE = 4  # crossheads are at most a quarter of a text's paragraphs
SAME_PAGE_LIMIT = 100  # items listed under "On the same page" (a page of small ads has more)
SAME_STORY_LIMIT = 50  # other printings listed (a notice printed daily has hundreds)
DATE_SOURCES = {"sidecar": "date from the page's metadata file",
                "path": "date from the file name", "page": "date printed on the page",
                "option": "date given when the page was loaded",
                "inferred": "year inferred from the text"}


@bp.get(urls.ARTICLE_RULE)
def article(pub: str, datepart: str, leaf: str):
    """One article; any other spelling of its path redirects (301) to the permalink, an
    article removed from the archive is 410 Gone, an id never seen 404. Answers carry
    validators (a 304 when the reader's copy is current) and may be cached an hour."""
    lib = library()
    article_id, suffix = urls.split_leaf(leaf)
    found = lib.article(article_id) if article_id else None
    if found is None and article_id:
        found = lib.successor(article_id)  # a former id: redirected below
    if found is None:
        if article_id and (gone := lib.gone(article_id)) is not None:
            return _gone_answer(gone)
        abort(404, description="There is no article at this address.")
    canonical = urls.permalink(found, suffix)
    if request.path != canonical:  # an old headline slug, a moved date, a bare id ...
        query = request.query_string.decode("ascii", "replace")
        return redirect(urls.as_uri(canonical + (f"?{query}" if query else "")), 301)
    etag, modified = caching.article_validators(
        lib, found, dated_today=not suffix or suffix in citations_export.WRITERS)
    if (current := caching.not_modified(etag, modified)) is not None:
        return current
    data = _data(found)
    if suffix == ".json":
        response = json_twin(data)
    elif suffix == ".txt":
        response = Response(_text(found, data["url"]), mimetype="text/plain")
    elif suffix in citations_export.WRITERS:  # .ris, .bib: for reference managers
        response = citations_export.download(found, suffix)
    else:
        response = make_response(_html(found, data))
        response.headers["Content-Security-Policy"] = SCRIPT_CSP  # matches.js
    return caching.validated(response, etag, modified)


def _gone_answer(gone: Article):
    """410 Gone: what the article was, and a search for its headline (its story may be
    in the archive in another printing, or under a new reading of its page)."""
    search_url = urls.headline_search(gone.headline)
    when = long_date(gone.date) if gone.date else "undated"
    message = (f"“{gone.headline}” ({gone.publication}, {when}) was in the archive until a "
               "rebuild removed it: its page was withdrawn, or read again without it. The "
               "same story may be in the archive in another printing.")
    return error_response(410, message, data={
        "id": gone.id, "headline": gone.headline, "publication": gone.publication,
        "date": gone.date.isoformat() if gone.date else None,
        "search_url": urls.absolute(search_url)},
        template="gone.html", article=gone, search_url=search_url)


def _data(article: Article) -> dict[str, Any]:
    """The JSON twin: the export record plus the links around the article."""
    record = article_record(article)
    record["url"] = urls.absolute(record["url"])
    links: dict[str, str | None] = {
        "html": record["url"], "json": urls.absolute(urls.permalink(article, ".json")),
        "txt": urls.absolute(urls.permalink(article, ".txt")),
        "ris": urls.absolute(urls.permalink(article, ".ris")),
        "bib": urls.absolute(urls.permalink(article, ".bib")),
        "issue": None, "previous_in_issue": None, "next_in_issue": None}
    if article.date:
        before, after, _, _, _ = _issue_neighbours(article)
        links["issue"] = urls.absolute(urls.issue_path(article.publication_slug, article.date))
        links["previous_in_issue"] = urls.absolute(urls.permalink(before)) if before else None
        links["next_in_issue"] = urls.absolute(urls.permalink(after)) if after else None
    record["links"] = links
    record["same_page"] = _same_page(article, urls.absolute)
    record["same_story"] = _same_story(article, urls.absolute)
    return record


def _same_story(article: Article, link: Callable[[str], str]) -> dict[str, Any] | None:
    """The other printings of the article's story, first printing first, each marked when
    its headline differs from this one; None when it was printed once (or its cluster
    changed since the index was built and it is alone now)."""
    if not article.cluster_id or article.cluster_size < 2:
        return None
    story = library().stories([article.cluster_id], SAME_STORY_LIMIT + 1).get(
        article.cluster_id)
    others = story.others(article.id, SAME_STORY_LIMIT) if story else ()
    if not story or not others:
        return None
    first = story.printings[0]
    items = [{**printing_record(p, link), "first": p.id == first.id,
              "headline_differs": not same_headline(p.headline, article.headline)}
             for p in others]
    return {"cluster_id": story.cluster_id, "printings": story.size,
            "is_first": first.id == article.id,
            "first_date": first.date.isoformat() if first.date else None,
            "first_publication": first.publication,
            "more": story.size - 1 - len(items), "items": items,
            "url": link(urls.story(story.cluster_id))}


def _issue_neighbours(article: Article) -> tuple[Article | None, Article | None, int, int,
                                                   bool]:
    """(previous, next, position from 1, items, whether any is not an article) of an
    article within its issue."""
    issue = library().issue(article.publication_slug, article.date)
    ids = [a.id for a in issue]
    mixed = any(a.kind != "article" for a in issue)
    if article.id not in ids:
        return None, None, 0, len(issue), mixed
    i = ids.index(article.id)
    return (issue[i - 1] if i > 0 else None, issue[i + 1] if i + 1 < len(issue) else None,
            i + 1, len(issue), mixed)


def _same_page(article: Article, link: Callable[[str], str]) -> dict[str, Any] | None:
    """The items printed on the article's page, in reading order, this one marked; None
    when nothing else is on it. An undated item's page is only known within its own source
    unit (no issue ties it to others); an item whose page number is unknown shares its
    page with the other unnumbered items of its file (a page file holds one page)."""
    if article.page is not None:
        found = library().page_items(article.publication_slug, article.date, article.page,
                                     source=None if article.date else article.source)
    elif article.source:
        found = library().file_items(article.source)
    else:
        return None
    if not any(a.id != article.id for a in found):
        return None
    shown = found[:SAME_PAGE_LIMIT]
    if article.id not in {a.id for a in shown}:  # far down a long page: keep it listed
        shown = [*shown[:-1], article]
    page_url = None
    if article.date and article.page is not None:
        page_url = link(urls.issue_path(article.publication_slug, article.date)
                        + f"#page-{article.page}")
    return {"page": article.page, "issue_page_url": page_url, "more": len(found) - len(shown),
            "items": [{"id": a.id, "headline": a.headline, "kind": a.kind, "page": a.page,
                       "pages": list(a.pages), "url": link(urls.permalink(a)),
                       "current": a.id == article.id,
                       "note": _continued(a, article.page)} for a in shown]}


def _continued(item: Article, page: int | None) -> str:
    """'continued from page 2' for an item that started on an earlier page; else where
    else it is printed ('page 1, continued on page 3'), or ''."""
    if item.page is not None and item.page != page:
        return f"continued from page {item.page}"
    return page_span(item.page, item.pages) if len(item.pages) > 1 else ""


def _html(article: Article, data: dict[str, Any]):
    q = request.args.get(urls.Q, "")[: current_app.config["MAX_QUERY_LENGTH"]]
    mark = highlighter(q) if q.strip() else None

    def show(text: str) -> Markup:
        return Markup(mark(text)) if mark else Markup.escape(text)

    texts = list(article.paragraphs)
    if len(texts) > 1 and same_headline(texts[0], article.headline):
        texts = texts[1:]  # the headline printed as the text's first line: shown once
    paragraphs, match_count = [show(p) for p in texts], 0
    if mark:  # the text's matches numbered, #match-1 ..., each with links to the next
        # (not the headline's: it is in view already, and its heading keeps its own name)
        paragraphs, match_count = matches.number(paragraphs)
    # A crosshead heads the text under it (the last paragraph heads nothing: a signature,
    # "LORD SANDON."); a text of many short lines in capitals (a list of names, an
    # advertisement's display lines) is set as printed, not as a row of headings.
    crossheads = [crosshead(p) for p in texts[:-1]] + [False] * bool(texts)
    if sum(crossheads) * CROSSHEAD_SHARE > len(texts):
        crossheads = [False] * len(texts)

    issue = None
    if article.date:
        before, after, position, count, mixed = _issue_neighbours(article)
        issue = {"url": urls.issue_path(article.publication_slug, article.date),
                 "year_url": urls.year_path(article.publication_slug, article.date.year),
                 "position": position, "count": count, "noun": "Item" if mixed else "Article",
                 "prev": _link(before), "next": _link(after)}
    permalink = data["url"]
    extra = {
        "article": article, "headline_html": show(article.headline),
        "paragraphs": list(zip(paragraphs, crossheads, strict=True)),
        "highlighted": bool(mark), "first_match": urls.FIRST_MATCH,
        "match_count": match_count,
        "q": q, "permalink": permalink, "plain_permalink": urls.permalink(article),
        "issue": issue, "context": _context(article),
        "same_page": _same_page(article, relative),
        "same_story": data["same_story"] and _same_story(article, relative),
        "printed_on": page_span(article.page, article.pages, across="printed across"),
        "date_note": DATE_SOURCES.get(article.date_source or "", ""),
        "publication_url": urls.publication_path(article.publication_slug),
        "place_url": _filtered("place", article.place),
        "agency_urls": [(a, _filtered("agency", a)) for a in article.agencies],
        # the settings page comes back here (with the search, for its highlighting)
        "settings_url": urls.settings(back=request.full_path.rstrip("?")),
        "citations": citations(article, permalink, dt.date.today(),
                               current_app.config["SITE_NAME"]),
    }
    alternates = [("application/json", urls.permalink(article, ".json"), "This article as JSON"),
                  ("text/plain", urls.permalink(article, ".txt"), "This article as plain text")]
    return html_page("article.html", {}, alternates, canonical=permalink, **extra)


def _link(article: Article | None) -> dict[str, str] | None:
    if article is None:
        return None
    return {"url": relative(urls.permalink(article)), "headline": article.headline}


def _filtered(facet: str, value: str | None) -> str | None:
    return urls.search_for(filters=((facet, (value,)),)) if value else None


def _context(article: Article) -> dict[str, Any] | None:
    """Where the article stood in the search it was opened from: previous/next result."""
    if urls.HIT not in request.args:
        return None
    req, errors = parse_search(request.args, Limits.from_config(current_app.config))
    rank, error = parse_hit(request.args)  # checked before any search: 400, not a search
    if error:
        abort(400, description=error)
    if errors or rank is None:
        return None
    before, after, total, description = _neighbours(req, rank)
    if not total:
        return None

    def link(hit: Hit | None, at: int) -> dict[str, str] | None:
        if hit is None:
            return None
        anchor = urls.FIRST_MATCH if req.q else ""
        return {"url": urls.in_search(hit_path(hit), req, at, anchor), "headline": hit.headline}

    page = (rank - 1) // req.page_size + 1
    return {"rank": rank, "total": total, "description": description,
            "prev": link(before, rank - 1), "next": link(after, rank + 1),
            "results_url": urls.search(replace(req, page=page), anchor=f"hit-{rank}")}


def _neighbours(req: SearchRequest, rank: int) -> tuple[Hit | None, Hit | None, int, str]:
    """(previous hit, next hit, total, description) around a rank of a search; total 0
    when the search cannot be run (no index, a changed syntax) or the rank is past its end.
    One search fetches ranks 1..rank+1 for the usual shallow ranks."""
    try:
        if rank + 1 <= MAX_PAGE_SIZE:
            results = library().search(replace(req, page=1, page_size=rank + 1,
                                               snippets=False, facet_limit=1))
            hits = results.hits
            if len(hits) < rank:
                return None, None, 0, ""
            before = hits[rank - 2] if rank > 1 else None
            after = hits[rank] if len(hits) > rank else None
            return before, after, results.listed, results.description
        window = library().search(replace(req, page=rank - 1, page_size=1, snippets=False,
                                          facet_limit=1))
        after_hits: tuple[Hit, ...] = ()
        if rank < min(window.listed, MAX_RESULT_WINDOW):
            after_hits = library().search(replace(req, page=rank + 1, page_size=1,
                                                  snippets=False, facet_limit=1)).hits
        if rank > window.listed:
            return None, None, 0, ""
        return (window.hits[0] if window.hits else None, after_hits[0] if after_hits else None,
                window.listed, window.description)
    except (PageOutOfRange, QueryError, SearchError):
        return None, None, 0, ""


def _text(article: Article, url: str) -> str:
    """The .txt twin: a plain, readable copy with its source line and permalink."""
    lines = [article.headline]
    if article.subtitle:
        lines.append(article.subtitle)
    if article.byline:
        lines.append(article.byline)
    where = [article.publication, long_date(article.date)]
    if printed := page_span(article.page, article.pages):
        where.append(printed)
    lines += ["", ", ".join(where)]
    if article.kind != "article":
        lines.append(f"Item type: {kind_label(article.kind)}")
    if article.dateline:
        lines.append(f"Dateline: {article.dateline.text}")
    if article.confidence is not None:
        lines.append(f"OCR confidence: {percent(article.confidence)}")
    lines += ["", *"\n\n".join(article.paragraphs).split("\n"), "", f"Permalink: {url}", ""]
    return "\n".join(lines)
