"""The shared vocabulary of the archive: frozen dataclasses that cross every layer."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from archive.budget import SECONDS_PER_MB

# Where an issue date came from, strongest first. "metadata" is the issue's own catalogue
# record (METS/MODS, DIDL); "page" is a date printed on the page itself (a running head
# such as "ARAB TIMES, SUNDAY, NOVEMBER 5, 2017").
DATE_SOURCES = ("sidecar", "metadata", "path", "page", "option", "inferred")
# What a stored item is: Trove's categories, more or less. Ads and notices stay searchable.
# What an article is filed under when nothing names its paper.
UNKNOWN_PUBLICATION = "Unknown publication"
KINDS = ("article", "advertisement", "notice", "other")


@dataclass(frozen=True)
class ReadOptions:
    """What the operator told the ingester (command-line options)."""

    publication: str | None = None  # fallback when a page has no masthead
    date: dt.date | None = None  # --date: fallback issue date
    years: tuple[int, int] = (1977, dt.date.today().year)  # range for year inference
    seconds_per_mb: float = SECONDS_PER_MB  # a file's time budget beyond a base (budget.py)


@dataclass(frozen=True)
class Stripped:
    """One piece of page furniture removed from a page, and what it told us."""

    kind: str  # masthead, category-footer, printer, copyright, running-head, page-number, ...
    text: str


@dataclass(frozen=True)
class Dateline:
    """What the opening dateline of an article says ("MOSCOW, Nov 4, (Agencies):")."""

    text: str  # the dateline exactly as printed, without the separator that follows it
    place: str | None = None  # title-cased: "Kuwait City"
    month: int | None = None
    day: int | None = None
    agencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageMeta:
    """Metadata known about a page before its text is read (sidecar, path, options)."""

    publication: str | None = None
    date: dt.date | None = None
    date_source: str | None = None
    page: int | None = None
    section: str | None = None
    language: str | None = None
    country: str | None = None
    # The LCCN its path gives (Chronicling America's layout) when no title record names
    # the title: the publication is named by it, as a last resort before "unknown"
    lccn: str | None = None


@dataclass(frozen=True)
class Article:
    """A clean article, ready for the store and the index."""

    id: str
    publication: str
    publication_slug: str
    headline: str
    paragraphs: tuple[str, ...]
    source: str
    country: str | None = None
    language: str | None = None
    date: dt.date | None = None
    date_source: str | None = None
    page: int | None = None
    section: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    byline_role: str | None = None
    dateline: Dateline | None = None
    source_sha256: str = ""
    position: int = 0  # order of the article within its source unit (reading order)
    notes: tuple[str, ...] = ()  # what was guessed or repaired, for the operator
    kind: str = "article"  # one of KINDS
    confidence: float | None = None  # mean OCR word confidence, 0..1, where the OCR gives it
    pages: tuple[int, ...] = ()  # every page its parts lie on, when more than one
    # Its story's other printings (archive.clusters): the cluster's id (its founder's
    # article id) and how many printings it holds; None and 1 for a story printed once.
    cluster_id: str | None = None
    cluster_size: int = 1

    @property
    def place(self) -> str | None:
        return self.dateline.place if self.dateline else None

    @property
    def agencies(self) -> tuple[str, ...]:
        return self.dateline.agencies if self.dateline else ()

    @functools.cached_property  # computed once, where the page is read; pickled with it
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def with_word_count(article: Article, count: int) -> Article:
    """Give an article the word_count its reader worked out for less than the formula costs
    (it must be what the formula gives): it is kept where the cached_property keeps its
    value, so reading word_count returns it. A copy made with dataclasses.replace counts
    its own words again."""
    article.__dict__["word_count"] = count
    return article


@dataclass(frozen=True)
class RawItem:
    """One item of a source unit as its reader found it: the reader's structure, before the
    shared finishing (archive.articles) repairs the text and works out the metadata."""

    blocks: tuple[tuple[str, ...], ...]  # paragraphs, each the lines it was printed in
    headline: str | None = None  # None: the finishing takes the first words of the text
    subtitle: str | None = None
    byline: str | None = None
    byline_role: str | None = None
    kind: str = "article"  # one of KINDS
    page: int | None = None  # the page it starts on
    pages: tuple[int, ...] = ()  # every page its parts lie on, when more than one
    section: str | None = None
    confidence: float | None = None  # mean word confidence, 0..1
    notes: tuple[str, ...] = ()
    language: str | None = None  # when the source says, per item (a bilingual issue)


@dataclass(frozen=True)
class RawUnit:
    """What a reader made of one source unit (a file, or a METS issue with its pages)."""

    items: tuple[RawItem, ...]  # in reading order
    stripped: tuple[Stripped, ...] = ()  # furniture the reader removed
    record: PageMeta = PageMeta()  # the unit's own catalogue record (METS/MODS, DIDL)
    printed: PageMeta = PageMeta()  # what its furniture printed (masthead, running head)
    text: str | None = None  # the whole text, as evidence for dehyphenation (else joined)
    problems: tuple[str, ...] = ()  # parts that could not be read, and why
    encoding: str = "utf-8"
    # The rule (archive.headlines.STRICT or DEBRIS) a scanned page's reader holds its items'
    # headings to (archive.headlines.fault): one that fails opens the text, and the
    # finishing takes no first words that fail it (the next paragraph's, else
    # headlines.UNTITLED). None: headings are used as the reader gives them.
    headline_rule: str | None = None


@dataclass(frozen=True)
class Publication:
    """One publication as the browse pages list it."""

    slug: str
    name: str
    articles: int
    issues: int  # distinct issue dates
    first: dt.date | None
    last: dt.date | None


@dataclass(frozen=True)
class ParsedFile:
    """What a reader made of one source file: its articles and the furniture it removed."""

    articles: tuple[Article, ...]
    stripped: tuple[Stripped, ...] = ()
    encoding: str = "utf-8"
    problems: tuple[str, ...] = ()  # parts of the unit that could not be read, and why


@dataclass(frozen=True)
class Outcome:
    """What reading one file gave: its articles, or the reason it was rejected."""

    path: str
    sha256: str  # of the file, or of the whole unit (archive.units.unit_digest)
    size: int
    parsed: ParsedFile | None = None
    reason: str | None = None
    parser: str | None = None  # the tag of the reader that read it ("pressreader/3")
    members: tuple[tuple, ...] = ()  # unit_files rows of the files a unit read besides it


class Rejected(Exception):
    """A source file that cannot be ingested; the message is shown to the operator."""


@dataclass
class IngestReport:
    """What one ingest run did with every file it saw."""

    seen: int = 0
    members: int = 0  # files read as part of a unit (a METS issue, a page series), not in seen
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    # a file stored on its own before, now read as a part of a unit: path -> the unit
    moved: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)  # path -> reason
    articles_added: int = 0
    articles_removed: int = 0
    articles_total: int = 0
    seconds: float = 0.0

    @property
    def ingested(self) -> int:
        return self.new + self.changed

    @property
    def accounted(self) -> int:
        return self.new + self.changed + self.unchanged + len(self.rejected)
