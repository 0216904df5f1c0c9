"""Shared fixtures: a small archive built through the real CLI (seeds, fixture pages and a few
pages written here: several years, one issue with two articles, script payloads), the Flask
app and client on it, and an app with no archive at all."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from hypothesis import settings

from web import create_app
from web.cli import main
from web.resources import close_library

# Every property test draws the same examples on every run and machine (a test that
# fails must fail everywhere, every time): derandomized, and no example database (which
# would replay a developer's local finds). Settings a test gives itself add to these.
settings.register_profile("fixed", derandomize=True, database=None)
settings.load_profile("fixed")

ROOT = Path(__file__).resolve().parent.parent
PAYLOAD = "<script>alert('xss')</script>"


def seed_page(headline: str, *paragraphs: str, publication: str = "Arab Times") -> str:
    """A page in the seed layout: masthead, headline, empty byline, paragraphs, footers."""
    return "\n\n".join([publication, headline, "-", *paragraphs, "Newspapers in English",
                        "Newspapers from Kuwait"]) + "\n"


# path (the issue date is read from the folder name) -> page text
EXTRA_PAGES = {
    "2015-03-10/page_01.txt": seed_page(
        "Oil exporters meet in Vienna",
        "VIENNA, March 9, (Reuters): Oil ministers from the exporting countries met in "
        "Vienna on Monday to discuss output as prices kept falling.",
        "Delegates said no decision on production cuts was expected before June."),
    "2015-06-21/page_02.txt": seed_page(
        "Heatwave grips the Gulf",
        "KUWAIT CITY, June 20: Temperatures passed 50 degrees on Saturday as a heatwave "
        "gripped the Gulf, and the ministry urged workers to rest at midday.",
        "Power demand reached a record, the electricity ministry said."),
    "2016-02-14/page_03.txt": seed_page(
        "Harbour expansion approved",
        "KUWAIT CITY, Feb 13: The cabinet approved the expansion of the Shuwaikh harbour on "
        "Saturday, and the harbor authority said work would start in spring.",
        "Oil tankers will use a separate terminal."),
    "2016-11-04/page_01.txt": seed_page(
        "Parliament elections set for November",
        "KUWAIT CITY, Nov 3, (KUNA): The government set the date of the parliament "
        "elections on Thursday after the Amir dissolved the assembly.",
        "Candidates will register next week."),
    "2018-11-04/page_05.txt": seed_page(
        "Museum marks its anniversary",
        "KUWAIT CITY, Nov 3: The national museum marked its anniversary on Saturday with an "
        "exhibition of old newspapers and oil company photographs.",
        "Entry is free for the whole week."),
    "2019-07-01/page_01.txt": seed_page(
        f"Officials warn about {PAYLOAD} in messages",
        f"KUWAIT CITY, June 30: Officials said a message containing {PAYLOAD} & <b>bold</b> "
        '"quoted" text was circulating, and warned readers not to open it.',
        "The ministry said <img src=x onerror=alert(2)> was harmless in its own systems."),
    "2019-07-01/page_02.txt": seed_page(
        "Oil refinery reopens after maintenance",
        "AHMADI, June 30, (KUNA): The Ahmadi oil refinery reopened on Sunday after three "
        "weeks of maintenance, the oil company said.",
        "Exports will resume at full rate next week."),
}


def write_extra_pages(folder: Path) -> Path:
    """Write EXTRA_PAGES under folder; returns folder."""
    for name, text in EXTRA_PAGES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@contextlib.contextmanager
def served(data_dir: Path, *sources: Path) -> Iterator[FlaskClient]:
    """A test client on an archive built from `sources` alone through the CLI."""
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "rebuild",
                                       *map(str, sources)])
    assert result.exit_code == 0, result.output
    application = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    try:
        yield application.test_client()
    finally:
        close_library(application)


def build_archive(data_dir: Path, pages: Path) -> None:
    """Ingest seeds/, the fixture pages and `pages`, and build the index, through the CLI."""
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "rebuild",
                                       str(ROOT / "seeds"), str(ROOT / "tests/fixtures/pages"),
                                       str(pages)])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with a built archive (store + index), shared by the session."""
    base = tmp_path_factory.mktemp("archive")
    data_dir = base / "data"
    build_archive(data_dir, write_extra_pages(base / "extra"))
    return data_dir


@pytest.fixture(scope="session")
def app(archive_dir: Path) -> Iterator:
    """The app on the built archive (read-only: tests must not change the data)."""
    application = create_app({"TESTING": True, "DATA_DIR": str(archive_dir)})
    yield application
    close_library(application)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator:
    """An app whose data folder holds nothing yet (before the first rebuild)."""
    application = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "nothing")})
    yield application
    close_library(application)


@pytest.fixture(scope="session")
def sphinx_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A two-node Sphinx cluster, each shard mirrored on the other node, on free loopback
    ports, named by NEWSARCHIVE_SPHINX for the session's sphinx engines; skipped without
    searchd (Debian package sphinxsearch). Generous generation slots: every engine built
    in a test takes one and tests never drop theirs."""
    import os
    import shutil

    if shutil.which("searchd") is None:
        pytest.skip("searchd is not installed (Debian package sphinxsearch): no Sphinx cluster")
    pytest.importorskip("pymysql", reason="PyMySQL is not installed: no Sphinx client")
    from index.sphinx import cluster

    started = cluster.start(tmp_path_factory.mktemp("sphinx"), nodes=2, replicas=2,
                            generations=64)
    before = os.environ.get("NEWSARCHIVE_SPHINX")
    os.environ["NEWSARCHIVE_SPHINX"] = started.spec
    yield started
    if before is None:
        os.environ.pop("NEWSARCHIVE_SPHINX", None)
    else:
        os.environ["NEWSARCHIVE_SPHINX"] = before
    cluster.stop(started.folder)
