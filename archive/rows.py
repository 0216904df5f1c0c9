"""The rows of a read file as the store writes them, made where the file is read (in the
worker processes of a parallel ingest), so that the one writer only inserts them; with
them, what clustering needs of each article (its near-duplicate signature)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from archive import minhash_many, schema
from archive.model import Article, Outcome
from archive.problem_list import summary

# Called through this module global (not schema.article_row) so tests can make it fail.
_row = schema.article_row


class FileRows(NamedTuple):
    """One file's outcome as the store writes it: its rows, plain values in tuples.

    Readers build it (file_rows), in the worker processes of a parallel ingest, so the one
    writer only inserts. Tuples of strings also cross the pipe from a worker several times
    cheaper than an Outcome's dataclasses, above all to unpickle, which the writer does.
    """

    path: str
    sha256: str  # of the file; of the whole unit for a METS issue (see archive.units)
    size: int
    reason: str | None  # why the file is rejected; None when it was parsed
    encoding: str | None = None
    articles: tuple[tuple, ...] = ()  # articles-table rows (schema.article_row), file order
    stripped: tuple[tuple[str, str, str], ...] = ()  # stripped-table rows
    parser: str | None = None  # the reader's tag ("pressreader/3")
    members: tuple[tuple, ...] = ()  # unit_files rows but the unit: (href, path, sha, size,
    #                                  problem)
    problems: str | None = None  # parts of an ingested unit that could not be read
    # (article id, near-duplicate signature or None, ISO date): what clustering needs, worked
    # out where the file is read (archive.minhash), beside parsing
    signatures: tuple[tuple[str, bytes | None, str | None], ...] = ()


def file_rows(outcome: Outcome) -> FileRows:
    """The rows of a read file. Never raises for what the file holds: a file whose rows
    cannot be built is rejected as one the store could not take."""
    return file_rows_many([outcome])[0]


def file_rows_many(outcomes: Sequence[Outcome]) -> list[FileRows]:
    """file_rows() of many files, their articles' signatures worked out together (a
    worker's chunk of files: numpy called per chunk, not per article)."""
    rows = [_unsigned_rows(outcome) for outcome in outcomes]
    signed = [(number, outcome.parsed.articles) for number, (outcome, found)
              in enumerate(zip(outcomes, rows, strict=True))
              if found.reason is None and outcome.parsed is not None]
    signed_rows = iter(signatures([a for _, articles in signed for a in articles]))
    for number, articles in signed:
        rows[number] = rows[number]._replace(
            signatures=tuple(next(signed_rows) for _ in articles))
    return rows


def _unsigned_rows(outcome: Outcome) -> FileRows:
    """file_rows() but the signatures."""
    members = tuple(outcome.members)
    if outcome.parsed is None:
        return FileRows(outcome.path, outcome.sha256, outcome.size, outcome.reason or "unknown",
                        parser=outcome.parser, members=members)
    path, parsed = outcome.path, outcome.parsed
    try:
        articles = tuple(_row(article, path, position)
                         for position, article in enumerate(parsed.articles))
    except Exception as error:
        return FileRows(path, outcome.sha256, outcome.size,
                        f"could not be stored ({type(error).__name__}: {error})",
                        parser=outcome.parser, members=members)
    return FileRows(path, outcome.sha256, outcome.size, None, parsed.encoding, articles,
                    tuple((path, s.kind, s.text) for s in parsed.stripped), outcome.parser,
                    members, summary(parsed.problems) or None)


def signatures(articles: Sequence[Article]) -> list[tuple[str, bytes | None, str | None]]:
    """What clustering needs of articles: (id, near-duplicate signature, ISO date)."""
    # word_count: the store's count, worked out by the reader (minhash.words, uncounted)
    sigs = minhash_many.signatures([article.paragraphs for article in articles],
                                   [article.word_count for article in articles])
    return [(article.id, sig, article.date.isoformat() if article.date else None)
            for article, sig in zip(articles, sigs, strict=True)]
