"""The engine-neutral search contract: requests and results as plain dataclasses, and the
Engine protocol every search engine (Whoosh now, others later) implements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from archive.model import Article

# Facet names, in the order the UI shows them. `kind` is archive.model.KINDS; `ocr` holds
# the OCR levels an item reaches (index.quality): `ocr=80` is "OCR 80% or better".
FACETS = ("publication", "year", "month", "kind", "ocr", "place", "agency", "section", "page",
          "language", "country")
# "ocr": best OCR confidence first, items without one last (index.ordering)
SORTS = ("relevance", "newest", "oldest", "ocr")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# The deepest result any request may reach (page x page size), whoever asks: an engine
# keeps that many hits in memory to find a page (tantivy allocates them up front: a request
# for result 10^9 asked for 16 GB), as Elasticsearch's index.max_result_window. The web's
# deepest page (MAX_PAGE x MAX_PAGE_SIZE) and its export limit stay within it.
MAX_RESULT_WINDOW = 100_000


class SearchError(Exception):
    """A request the engine cannot answer; the message is meant for the reader."""


class PageOutOfRange(SearchError):
    """A page number past the last page of results."""


class IndexMissing(SearchError):
    """No index has been built yet."""


class ResultWindowExceeded(SearchError):
    """A page deeper than MAX_RESULT_WINDOW results (or no page at all)."""


def check_window(request: SearchRequest) -> None:
    """Refuse, before any work, a request whose page lies past MAX_RESULT_WINDOW results or
    that asks for no results per page; every engine calls it first."""
    page, size = request.page, request.page_size
    if page < 1 or size < 1 or request.facet_limit < 0:
        raise ResultWindowExceeded(f"Page {page}, {size} per page, {request.facet_limit} "
                                   "facet values: page and page size start at 1, facet "
                                   "values at 0")
    if page * size > MAX_RESULT_WINDOW:
        raise ResultWindowExceeded(
            f"Only the first {MAX_RESULT_WINDOW:,} results of a search can be shown; page "
            f"{page:,} of {size} per page lies past them. Narrow the search (a date range, "
            "a filter) or download it as CSV")


@dataclass(frozen=True)
class SearchRequest:
    """Everything that decides a result page; the web layer maps URL args onto it 1:1."""

    q: str = ""
    # facet name -> selected values; values of one facet combine with OR, facets with AND
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    month_day: tuple[int, int] | None = None  # "on this day": (month, day) in any year
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    facet_limit: int = 10  # values per facet; 0 = all
    snippets: bool = True
    facets: bool = True  # False: no facet counts (exports page through whole result sets)
    # Printings of one story (archive.clusters): a story is listed once, by its first
    # printing in the request's order (relevance: its best match), unless collapse=False.
    collapse: bool = True
    cluster: str | None = None  # only the printings of this story (its cluster's id)
    # Seconds a search may take before the engine answers with what it has found so far,
    # marked partial (engines that cannot stop a search bound its cost instead; see
    # index.query's expansion limits); None: no limit (exports, the CLI).
    time_limit: float | None = None

    def selected(self, facet: str) -> tuple[str, ...]:
        return dict(self.filters).get(facet, ())


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    name: str
    values: tuple[FacetValue, ...]
    total_values: int  # how many distinct values exist before facet_limit cut the list


@dataclass(frozen=True)
class Hit:
    id: str
    headline: str  # plain text
    headline_html: str  # HTML-escaped, matches wrapped in <mark>
    snippet_html: str  # HTML-escaped, matches wrapped in <mark>
    date: dt.date | None
    publication: str
    publication_slug: str
    place: str | None
    agencies: tuple[str, ...]
    byline: str | None
    section: str | None
    page: int | None
    matched_in: tuple[str, ...]  # "headline", "body", ...
    score: float = 0.0
    kind: str = "article"  # archive.model.KINDS
    confidence: float | None = None  # mean OCR word confidence 0..1; None for typed text
    # Its story (archive.clusters): the cluster's id (None: printed once), how many
    # printings the archive holds, and how many of them the search found (collapsed into
    # this line when the request collapses).
    cluster_id: str | None = None
    cluster_size: int = 1
    cluster_matches: int = 1

    @property
    def story(self) -> str:
        """The key its story is collapsed by: the cluster id, or its own id when alone."""
        return self.cluster_id or self.id


@dataclass(frozen=True)
class Capped:
    """A wildcard or fuzzy term that stands for more words of the archive than one search
    may use (index.expansion.expansion_budget): its `searched` most frequent words were."""

    term: str  # as the query writes it: harb*, polise~2, headline:a*
    searched: int

    @property
    def note(self) -> str:
        return (f"{self.term} matches more words than one search can use: only its "
                f"{self.searched:,} most frequent were searched")


def capped_note(capped: tuple[Capped, ...], named: int = 5) -> tuple[str, ...]:
    """The capped terms as one sentence (none when there are none), naming `named`."""
    if len(capped) <= 1:
        return tuple(c.note for c in capped)
    terms = ", ".join(c.term for c in capped[:named])
    more = f" and {len(capped) - named} more" if len(capped) > named else ""
    most = max(c.searched for c in capped)
    return (f"{terms}{more} match more words than one search can use: only the "
            f"{most:,} most frequent of each were searched",)


PARTIAL_NOTE = ("The search took too long and was stopped: these are the results found in "
                "the time allowed, and more may match. Narrow the search to see them all.")


@dataclass(frozen=True)
class SearchResults:
    """A result page. `total` counts printings (articles) matching, `stories` the distinct
    stories among them; the list pages through stories when the request collapses, else
    through printings (`listed`). Facet and histogram counts are of printings."""

    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...] = ()
    suggestion: str | None = None
    description: str = ""
    histogram: tuple[tuple[str, int], ...] = ()  # (year or yyyy-mm, count), in date order
    stories: int = -1  # -1: as many as total (set by __post_init__)
    capped: tuple[Capped, ...] = ()  # wildcard and fuzzy terms cut to their limit
    partial: bool = False  # the time limit stopped the search: more may match

    def __post_init__(self) -> None:
        if self.stories < 0:
            object.__setattr__(self, "stories", self.total)

    @property
    def notices(self) -> tuple[str, ...]:
        """What a reader should know about how this result was bounded, as sentences: one
        for the capped terms (a query of 26 wildcards gets one line, not 26), one if the
        time limit stopped the search."""
        return capped_note(self.capped) + ((PARTIAL_NOTE,) if self.partial else ())

    @property
    def listed(self) -> int:
        """How many entries the whole list has: stories when collapsed, else printings."""
        return self.stories if self.request.collapse else self.total

    @property
    def page_count(self) -> int:
        """Pages of the list, up to the last one within MAX_RESULT_WINDOW."""
        size = self.request.page_size
        return max(1, min((self.listed + size - 1) // size, MAX_RESULT_WINDOW // size))


@dataclass(frozen=True)
class BuildStats:
    indexed: int = 0
    deleted: int = 0
    seconds: float = 0.0
    full: bool = False

    @property
    def per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0


class Engine(Protocol):
    """A search engine over articles. No engine object leaves the `index` package."""

    name: str

    def build(self, articles: Iterable[Article], expected: int = 0,
              progress: Callable[[int], None] | None = None) -> BuildStats:
        """Index every article from scratch into this engine's (fresh) directory;
        `expected` is how many will come (a hint), `progress(n)` is called as they do."""

    def update(self, articles: Iterable[Article],
               progress: Callable[[int], None] | None = None,
               deleted: Iterable[str] = ()) -> BuildStats:
        """Add or replace these articles and remove the `deleted` ids in one commit;
        searches after it returns see the change."""

    def delete(self, ids: Iterable[str]) -> BuildStats:
        """Remove these article ids."""

    def search(self, request: SearchRequest) -> SearchResults:
        """Answer a request; raise SearchError (or a subclass) for what cannot be answered."""

    def suggest(self, q: str) -> str | None:
        """A better-spelled query built from the index's own vocabulary, or None."""

    def count(self) -> int:
        """Number of articles in the index."""

    def ids(self) -> set[str]:
        """Every article id in the index."""

    def close(self) -> None:
        """Release the index (searches still running finish first)."""


@dataclass(frozen=True)
class Where:
    """Where a snapshot's index lives, as its snapshot.json records it (index.build): its
    own folder, or for an engine whose rows live on servers, a remote index: its name
    (Sphinx: a generation's distributed index), generation, the cluster and its nodes.
    An engine with a remote index has two optional hooks the rebuild calls: `where()`
    returning this record, and `drop()` deleting the remote index (after a swap)."""

    path: str  # the snapshot folder, relative to the index root (snapshots/<name>)
    remote: str | None = None  # the remote index's name; None: the folder holds it all
    generation: int | None = None
    cluster: str | None = None  # how the engine names its cluster (a cluster.json, hosts)
    nodes: tuple[str, ...] = ()  # host:port of the servers holding it

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"path": self.path}
        if self.remote is not None:
            data.update(remote=self.remote, generation=self.generation,
                        cluster=self.cluster, nodes=list(self.nodes))
        return data

    @classmethod
    def from_json(cls, data: dict) -> Where:
        generation = data.get("generation")
        return cls(str(data["path"]), data.get("remote"),
                   None if generation is None else int(generation), data.get("cluster"),
                   tuple(data.get("nodes") or ()))
