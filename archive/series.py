"""A page series read as one unit: the page files of one issue (archive.units.page_series),
each read by its reader and finished as a page of its own, with what the issue printed
once shared by every page.

Why: a scanned issue prints its title and date in the masthead of the first page and
perhaps in running heads; read alone, its other pages are undated and of an unknown
publication, so their articles would be missing from the issue's page, from the date
facet and from the date-based ids. The issue-wide fields (publication, date, country)
are the issue's, not a page's: every page gets the value most of its pages print (ties:
the earliest page), so that an OCR misreading of one running head ("1814" for "1874",
"THE EXAMINER" beside "THE SOUTH STAFFORDSHIRE EXAMINER") does not split the issue.

A page that cannot be read is named in the unit's problems and the other pages are kept;
the unit is rejected only when no page holds an article."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from dataclasses import replace
from pathlib import Path

from archive.articles import finish
from archive.formats import Input, Member, Reader, choose
from archive.formats.sniff import HEAD_BYTES
from archive.metadata import page_meta
from archive.model import PageMeta, ParsedFile, RawUnit, ReadOptions, Rejected
from archive.walk import source_key

ISSUE_FIELDS = ("publication", "date", "country")  # what a page prints of its whole issue


def read_series(reader: Reader, head: Input, members: tuple[Member, ...],
                member_data: dict[str, bytes | str], root: Path | None,
                listing: Container[str] | None, sha256: str,
                options: ReadOptions) -> ParsedFile:
    """The articles of a page series: head is its first page, members the others with
    their bytes (or why they could not be read) in member_data."""
    pages: list[tuple[str, RawUnit, PageMeta]] = []  # (how problems name it, unit, meta)
    problems: list[str] = []
    for name, what, data, meta in _inputs(head, members, member_data, root, listing):
        try:
            if isinstance(data, str):
                raise Rejected(data)
            if (form := choose(name, data[:HEAD_BYTES]).name) != reader.name:
                raise Rejected(f"now read as {form}, not as the series' {reader.name}: "
                               "it is read on its own at the next run")
            pages.append((what, reader.read(Input(name, data, meta), options), meta))
        except Rejected as error:
            problems.append(f"{what}: {error}")
    issue = _issue_print([unit.printed for _, unit, _ in pages])
    articles, stripped = [], []
    for what, unit, meta in pages:
        filled = replace(unit, printed=replace(unit.printed, **{
            field: getattr(issue, field) for field in ISSUE_FIELDS
            if getattr(issue, field) is not None}))
        try:
            parsed = finish(filled, head.name, sha256, meta, options)
        except Rejected as error:  # a page with no words of an article
            problems.append(f"{what}: {error}")
            continue
        articles += parsed.articles
        stripped += parsed.stripped
        problems += parsed.problems
    if not articles:
        raise Rejected("no page of the issue holds an article: " + "; ".join(problems))
    return ParsedFile(articles=tuple(articles), stripped=tuple(stripped),
                      encoding=pages[0][1].encoding, problems=tuple(problems))


def _inputs(head: Input, members: tuple[Member, ...], member_data: dict[str, bytes | str],
            root: Path | None, listing: Container[str] | None):
    """(source key, name in problems, bytes or why not, metadata) of each page in order."""
    yield head.name, f"page file {Path(head.name).name}", head.data, head.meta
    for member in members:
        what = f"page file {member.href}"
        data = member_data.get(member.href, "not read")
        meta = PageMeta()
        if member.path is not None and not isinstance(data, str):
            try:
                meta = page_meta(Path(member.path), root, listing)
            except Rejected as error:  # its sidecar or manifest is bad: the page is not read
                data = str(error)
        yield source_key(member.path or member.href), what, data, meta


def _issue_print(printed: list[PageMeta]) -> PageMeta:
    """What the pages print of their issue: for each field, the value most pages print."""
    values: dict[str, object] = {}
    for field in ISSUE_FIELDS:
        counts = Counter(value for meta in printed if (value := getattr(meta, field)))
        if counts:
            values[field] = counts.most_common(1)[0][0]  # ties: the earliest page's
    return PageMeta(**values)  # type: ignore[arg-type]
