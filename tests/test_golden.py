"""Golden-file test: the seed page, ingested through the CLI, gives the hand-checked record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.store import Store
from web.cli import main
from web.config import store_path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_c10b1a1efda8d5c8.txt"
GOLDEN = json.loads((Path(__file__).parent / "golden" / "seed.json").read_text("utf-8"))
# Fields whose value does not depend on where the file lies or on the machine.
STABLE = ("id", "publication", "publication_slug", "country", "language", "date",
          "date_source", "page", "section", "headline", "subtitle", "byline", "byline_role",
          "dateline", "place", "agencies", "paragraphs", "word_count", "source_sha256")
FURNITURE = ("Newspapers in English", "Newspapers from Kuwait", "PressReader")


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """(export record, stripped furniture) of the seed page ingested alone."""
    tmp = tmp_path_factory.mktemp("golden")
    pages = tmp / "pages"
    pages.mkdir()
    shutil.copy(SEED, pages / SEED.name)
    data = tmp / "data"
    runner = CliRunner()
    result = runner.invoke(main, ["--data-dir", str(data), "ingest", str(pages)])
    assert result.exit_code == 0, result.output
    exported = runner.invoke(main, ["--data-dir", str(data), "export", "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    records = [json.loads(line) for line in exported.output.splitlines()]
    assert len(records) == 1
    store = Store(store_path(data))
    try:
        stripped = store.stripped(records[0]["source"])
    finally:
        store.close()
    return records[0], stripped


@pytest.mark.parametrize("field", STABLE)
def test_seed_field_matches_golden(seed_run, field):
    record, _ = seed_run
    assert record[field] == GOLDEN[field]


def test_seed_source_is_the_file(seed_run):
    record, _ = seed_run
    assert Path(record["source"]).name == GOLDEN["source_name"]


def test_column_break_paragraph_is_joined(seed_run):
    record, _ = seed_run
    joined = [p for p in record["paragraphs"] if "still fully controlled by" in p]
    assert joined == [p for p in GOLDEN["paragraphs"] if "still fully controlled by" in p]
    assert joined[0].endswith("still fully controlled by Abu Bakr al-Baghdadi’s jihadist group.")
    assert not any(p.startswith("Abu Bakr") for p in record["paragraphs"])


def test_word_count_counts_the_paragraphs(seed_run):
    record, _ = seed_run
    assert record["word_count"] == sum(len(p.split()) for p in record["paragraphs"])


def test_no_furniture_anywhere(seed_run):
    record, _ = seed_run
    texts = [record["headline"], record["subtitle"] or "", record["byline"] or "",
             *record["paragraphs"]]
    for text in texts:
        for furniture in FURNITURE:
            assert furniture not in text
    for paragraph in record["paragraphs"]:
        assert paragraph.strip() not in {"Arab Times", "-", ""}
        assert "MOSCOW, Nov 4" not in paragraph  # the dateline became metadata


def test_typographic_quotes_are_kept(seed_run):
    record, _ = seed_run
    body = "\n".join(record["paragraphs"])
    assert "“caliphate”" in body and "Russia’s" in body


def test_stripped_furniture_is_recorded(seed_run):
    _, stripped = seed_run
    assert [list(s) for s in stripped] == GOLDEN["stripped"]
