"""The ingester over real corpora (../shared/corpus): it never crashes and accounts for every
file. Tehran Times also checks furniture, headlines and datelines, and prints pages/s."""

from __future__ import annotations

import hashlib
import re
import tarfile
import time
from pathlib import Path

import pytest

from archive.formats.pressreader import ReadOptions
from archive.ingest import discover, ingest
from archive.store import Store

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TEHRAN = CORPUS / "tehran-times" / "Kmahmoudi__Tehran-Times-Dataset" / "data.tar.gz"
BBC = CORPUS / "news-bulk" / "moztom__bbc_ml" / "bbc.tar.gz"
CHRONAM = CORPUS / "chronam-ocr" / "dchud__chronam-text" / "dates-1916-01.tar.gz"
BIG = 500_000  # bytes: every Tehran file over this is ingested, beyond the sample
TEHRAN_DATELINE = re.compile(r"^\s*TEHRAN\s+[–-]\s")


def _sampled(name: str, one_in: int) -> bool:
    """A deterministic, order-free sample: by a hash of the member name."""
    return int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) % one_in == 0


def extract_sample(archive: Path, target: Path, one_in: int, limit: int | None = None,
                   big: int | None = None) -> list[Path]:
    """Extract regular files chosen by name hash (and all over `big` bytes); in one pass."""
    if not archive.is_file():
        pytest.skip(f"corpus not found: {archive} (the shared corpus is not on this machine)")
    chosen = []
    with tarfile.open(archive, "r|gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            take = _sampled(member.name, one_in) and (limit is None or len(chosen) < limit)
            if take or (big is not None and member.size > big):
                if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse odd members
                    tar.extract(member, target, filter="data")
                else:
                    tar.extract(member, target)
                chosen.append(target / member.name)
    assert chosen, f"nothing sampled from {archive}"
    return chosen


def run(tmp_path: Path, folder: Path, options: ReadOptions) -> tuple[Store, object]:
    store = Store(tmp_path / "store.sqlite3")
    report = ingest(store, [folder], options)
    return store, report


def assert_accounted(store: Store, report, files: list[Path]) -> None:
    paths = {str(p.resolve()) for p in files}
    assert report.seen == len(files) == report.accounted
    assert {r.path for r in store.sources()} == paths
    assert sum(r.articles for r in store.sources()) + _duplicates(store) >= store.count()
    for record in store.sources():
        assert record.status in {"ingested", "rejected"}
        assert record.status == "ingested" or record.reason


def _duplicates(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM duplicates").fetchone()[0]


def test_tehran_times(tmp_path, capsys):
    files = extract_sample(TEHRAN, tmp_path / "tehran", one_in=11, big=BIG)
    assert any(f.stat().st_size > BIG for f in files)
    started = time.perf_counter()
    store, report = run(tmp_path, tmp_path / "tehran", ReadOptions(publication="Tehran Times"))
    seconds = time.perf_counter() - started
    try:
        assert_accounted(store, report, files)
        articles = list(store.articles())
        by_source = {a.source: a for a in articles}
        for article in articles:
            assert article.publication == "Tehran Times" and article.country == "Iran"
            for text in (article.headline, article.subtitle or "", *article.paragraphs):
                assert "Creative Commons" not in text and "All Content by" not in text
        named = [a for a in articles if "headline taken from the file name" in a.notes]
        assert len(named) > 0.95 * len(files)
        with_dateline = [f for f in files if TEHRAN_DATELINE.match(
            f.read_text("utf-8", errors="replace")[:200])]
        assert len(with_dateline) > 0.5 * len(files)
        places = [by_source[str(f.resolve())].place for f in with_dateline
                  if str(f.resolve()) in by_source]
        assert len(places) > 0.99 * len(with_dateline)
        assert all(place == "Tehran" for place in places)
    finally:
        store.close()
    with capsys.disabled():
        print(f"\nTehran Times: {len(files)} files in {seconds:.1f} s = "
              f"{len(files) / seconds:.0f} pages/s; {report.ingested} ingested, "
              f"{len(report.rejected)} rejected, {len(articles)} articles")


def test_bbc(tmp_path):
    files = extract_sample(BBC, tmp_path / "bbc", one_in=4, limit=500)
    store, report = run(tmp_path, tmp_path / "bbc", ReadOptions(publication="BBC"))
    try:
        assert_accounted(store, report, files)
    finally:
        store.close()


def test_chronam_1916(tmp_path):
    files = extract_sample(CHRONAM, tmp_path / "chronam", one_in=11, limit=200)
    store, report = run(tmp_path, tmp_path / "chronam", ReadOptions())
    try:
        assert_accounted(store, report, files)
        for article in store.articles():  # whatever it read, the date came from the path
            assert article.date_source == "path" and article.date.year == 1916
    finally:
        store.close()


def test_second_run_over_a_corpus_is_all_unchanged(tmp_path):
    files = extract_sample(BBC, tmp_path / "bbc", one_in=20, limit=100)
    store, first = run(tmp_path, tmp_path / "bbc", ReadOptions(publication="BBC"))
    try:
        again = ingest(store, [tmp_path / "bbc"], ReadOptions(publication="BBC"))
        assert again.unchanged == first.ingested and again.new == again.changed == 0
        assert again.seen == len(discover([tmp_path / "bbc"])[0]) == len(files)
    finally:
        store.close()
