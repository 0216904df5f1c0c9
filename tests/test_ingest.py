"""The ingest contract: report, incremental runs, stable ids, duplicates, rollback, accounting,
exports and the store itself."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import archive.rows
import archive.store
from archive.formats.pressreader import ReadOptions
from archive.ingest import discover, ingest, read_file
from archive.store import SCHEMA_VERSION, Store
from web.cli import main
from web.config import store_path

PAGES = Path(__file__).parent / "fixtures" / "pages"
REPORT = re.compile(r"Files seen: (?P<seen>\d+)  new: (?P<new>\d+)  changed: (?P<changed>\d+)  "
                    r"unchanged: (?P<unchanged>\d+)  removed: (?P<removed>\d+)  "
                    r"rejected: (?P<rejected>\d+)\n"
                    r"Articles: (?P<added>\d+) added, (?P<gone>\d+) removed, "
                    r"(?P<total>\d+) in the store")


def page(headline: str, body: str, masthead: str = "Arab Times") -> str:
    return (f"{masthead}\n\n{headline}\n\n-\n\nKUWAIT CITY, Nov 5: {body}\n\n"
            "Newspapers in English\n\nNewspapers from Kuwait\n")


def run(data: Path, *args: str) -> tuple[dict[str, int], str]:
    """Ingest through the CLI; the report's counts and the full output."""
    result = CliRunner().invoke(main, ["--data-dir", str(data), "ingest", *args])
    assert result.exit_code == 0, result.output
    match = REPORT.search(result.output)
    assert match, result.output
    return {k: int(v) for k, v in match.groupdict().items()}, result.output


def export(data: Path, fmt: str = "jsonl") -> str:
    result = CliRunner().invoke(main, ["--data-dir", str(data), "export", "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.output


def articles(data: Path) -> dict[str, dict]:
    """Exported articles by id."""
    return {r["id"]: r for r in map(json.loads, export(data).splitlines())}


def source_rows(data: Path) -> dict[str, dict]:
    result = CliRunner().invoke(main, ["--data-dir", str(data), "sources", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return {r["path"]: r for r in map(json.loads, result.output.splitlines())}


@pytest.fixture
def pages(tmp_path) -> Path:
    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    return folder.resolve()


def test_exit_zero_with_rejections_and_report_counts(pages, tmp_path):
    counts, output = run(tmp_path / "data", str(pages))
    files, _ = discover([pages])
    assert counts["seen"] == len(files) == 33  # sidecars and the manifest are not pages
    assert counts["rejected"] == 6 and counts["new"] == 27
    assert counts["seen"] == counts["new"] + counts["changed"] + counts["unchanged"] + \
        counts["rejected"]
    assert counts["added"] == counts["total"] == 27
    assert sum(line.startswith("  rejected: ") for line in output.splitlines()) == 6


@pytest.mark.parametrize("run_number", [1, 2])  # new files, then all unchanged
def test_progress_is_told_the_total_and_hears_of_every_file(pages, tmp_path, run_number):
    heard: list[str] = []
    totals: list[int] = []
    store = Store(tmp_path / "store.db")
    for _ in range(run_number):
        heard.clear()
        totals.clear()
        report = ingest(store, [pages], jobs=1, total=totals.append,
                        progress=lambda path, outcome: heard.append(path))
    store.close()
    assert totals == [report.seen] == [len(heard)] == [33]


def test_second_run_is_all_unchanged(pages, tmp_path):
    data = tmp_path / "data"
    first, _ = run(data, str(pages))
    before = articles(data)
    again, _ = run(data, str(pages))
    # Rejected files are read again (a fixed parser may take them); ingested ones are skipped.
    assert again["unchanged"] == first["new"] and again["new"] == again["changed"] == 0
    assert again["rejected"] == first["rejected"]
    assert again["added"] == again["gone"] == again["removed"] == 0
    assert articles(data) == before


def test_edited_file_replaces_its_article(pages, tmp_path):
    data = tmp_path / "data"
    run(data, str(pages))
    target = pages / "kuwait_local.txt"
    old = {i for i, r in articles(data).items() if r["source"] == str(target)}
    target.write_text(page("Cabinet shelves housing plan", "The Cabinet on Sunday shelved "
                           "the plan."), encoding="utf-8")
    counts, _ = run(data, str(pages))
    assert counts["changed"] == 1 and counts["unchanged"] == 26
    assert counts["added"] == 1 and counts["gone"] == 1
    now = {i: r for i, r in articles(data).items() if r["source"] == str(target)}
    assert len(now) == 1 and not set(now) & old
    assert next(iter(now.values()))["headline"] == "Cabinet shelves housing plan"
    assert source_rows(data)[str(target)]["articles"] == 1


def test_deleted_file_loses_its_articles_and_is_reported(pages, tmp_path):
    data = tmp_path / "data"
    run(data, str(pages))
    gone = pages / "london_reuters.txt"
    gone_rejected = pages / "binary.dat"
    gone.unlink()
    gone_rejected.unlink()
    counts, output = run(data, str(pages))
    assert counts["removed"] == 2 and counts["gone"] == 1 and counts["total"] == 26
    assert f"removed (file gone): {gone}" in output
    assert f"removed (file gone): {gone_rejected}" in output
    assert all(r["source"] != str(gone) for r in articles(data).values())
    assert str(gone) not in source_rows(data) and str(gone_rejected) not in source_rows(data)


def test_ingesting_one_file_does_not_remove_its_neighbours(pages, tmp_path):
    data = tmp_path / "data"
    run(data, str(pages))
    counts, _ = run(data, str(pages / "kuwait_local.txt"))
    assert counts["seen"] == 1 and counts["removed"] == 0 and counts["total"] == 27


def test_ids_do_not_depend_on_ingest_order(pages, tmp_path):
    files = sorted(str(p) for p in pages.rglob("*.txt") if p.parent == pages)
    run(tmp_path / "forward", *files)
    run(tmp_path / "backward", *reversed(files))
    forward, backward = articles(tmp_path / "forward"), articles(tmp_path / "backward")
    assert forward.keys() == backward.keys()
    assert {i: r["source"] for i, r in forward.items()} == \
        {i: r["source"] for i, r in backward.items()}


def test_ids_do_not_depend_on_where_the_file_lies(pages, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(pages, elsewhere)
    run(tmp_path / "a", str(pages))
    run(tmp_path / "b", str(elsewhere))
    assert articles(tmp_path / "a").keys() == articles(tmp_path / "b").keys()


def test_duplicate_page_is_stored_once_and_survives_removal_of_first_copy(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    text = page("Same story twice", "The same article was printed in two files.")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text, encoding="utf-8")
    (folder / "c.txt").write_text(page("Another story", "Something else."), encoding="utf-8")
    data = tmp_path / "data"
    counts, _ = run(data, str(folder))
    assert counts["new"] == 3 and counts["total"] == 2
    rows = source_rows(data)
    assert sorted(r["articles"] for r in rows.values()) == [0, 1, 1]
    assert all(r["status"] == "ingested" for r in rows.values())
    (dup_id,) = [i for i, r in articles(data).items() if r["headline"] == "Same story twice"]
    owner = articles(data)[dup_id]["source"]
    Path(owner).unlink()
    counts, output = run(data, str(folder))
    assert counts["removed"] == 1 and f"removed (file gone): {owner}" in output
    survivors = articles(data)
    assert dup_id in survivors and survivors[dup_id]["source"] != owner
    assert counts["total"] == 2
    assert source_rows(data)[survivors[dup_id]["source"]]["articles"] == 1
    third, _ = run(data, str(folder))  # and the store is settled: nothing left to redo
    assert third["unchanged"] == 2 and third["total"] == 2


def test_changed_first_copy_hands_the_duplicate_over(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    text = page("Same story twice", "The same article was printed in two files.")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    run(data, str(folder))
    (folder / "a.txt").write_text(page("A new story", "Entirely new text."), encoding="utf-8")
    counts, _ = run(data, str(folder))
    headlines = sorted(r["headline"] for r in articles(data).values())
    assert headlines == ["A new story", "Same story twice"]
    assert counts["total"] == 2


def test_failure_on_one_file_rolls_back_only_that_file(pages, tmp_path, monkeypatch):
    data = tmp_path / "data"
    run(data, str(pages))
    before = articles(data)
    target = pages / "berlin_dpa.txt"
    target.write_text(page("Exports beat forecasts again", "German exports rose again."),
                      encoding="utf-8")
    (pages / "new_page.txt").write_text(page("A page added later", "Text of a new page."),
                                        encoding="utf-8")
    real_row = archive.rows._row

    def failing_row(article, path, position):
        if article.headline == "Exports beat forecasts again":
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return real_row(article, path, position)

    monkeypatch.setattr(archive.rows, "_row", failing_row)
    counts, output = run(data, str(pages))
    assert counts["new"] == 1 and counts["rejected"] == 7
    assert f"rejected: {target}: could not be stored" in output
    after = articles(data)
    assert {r["headline"] for r in after.values()} >= {"A page added later"}
    # Every other file kept exactly what it had; the failed file kept no half-written rows.
    untouched = {i: r for i, r in before.items() if r["source"] != str(target)}
    assert {i: after[i] for i in untouched} == untouched
    assert all(r["source"] != str(target) for r in after.values())
    row = source_rows(data)[str(target)]
    assert row["status"] == "rejected" and "simulated" in row["reason"]
    store = Store(store_path(data))
    try:
        assert store.stripped(str(target)) == []
    finally:
        store.close()
    monkeypatch.undo()
    counts, _ = run(data, str(pages))  # the fault gone, the file comes back
    assert counts["changed"] == 1
    assert "Exports beat forecasts again" in {r["headline"] for r in articles(data).values()}


def test_a_parser_crash_is_a_rejection_not_a_stopped_run(pages, tmp_path, monkeypatch):
    import archive.ingest

    real = archive.ingest.finish

    def crashing(unit, path, *args):
        if path.endswith("kuwait_local.txt"):
            raise ValueError("boom")
        return real(unit, path, *args)

    monkeypatch.setattr(archive.ingest, "finish", crashing)
    counts, output = run(tmp_path / "data", str(pages))
    assert counts["rejected"] == 7 and counts["new"] == 26
    assert "internal error while parsing (ValueError: boom)" in output


def test_every_file_seen_is_accounted_for(pages, tmp_path):
    data = tmp_path / "data"
    counts, _ = run(data, str(pages))
    files, _ = discover([pages])
    rows = source_rows(data)
    assert set(rows) == {str(f) for f in files}
    assert counts["seen"] == len(rows)
    assert sum(r["articles"] for r in rows.values()) == counts["total"]
    assert {r["status"] for r in rows.values()} == {"ingested", "rejected"}
    assert all(r["reason"] for r in rows.values() if r["status"] == "rejected")


def test_library_report_accounts_for_every_file(pages, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    try:
        report = ingest(store, [pages], ReadOptions())
        assert report.seen == report.accounted == len(store.sources())
        assert report.ingested == report.new == 27
        assert set(report.rejected) == {r.path for r in store.sources() if r.status == "rejected"}
    finally:
        store.close()


def test_undecodable_file_name_is_accounted_for(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    good = page("A story with an odd file name", "The name is not UTF-8.").encode()
    try:
        (Path(os.fsdecode(bytes(folder))) / os.fsdecode(b"caf\xe9.txt")).write_bytes(good)
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses non-UTF-8 names")
    (folder / "plain.txt").write_bytes(page("A plain story", "Plain.").encode())
    data = tmp_path / "data"
    counts, output = run(data, str(folder))
    assert counts["new"] == 2
    assert "caf\\xe9.txt" in CliRunner().invoke(
        main, ["--data-dir", str(data), "sources"]).output
    again, _ = run(data, str(folder))
    assert again["unchanged"] == 2


def test_missing_source_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "data"), "ingest",
                                       str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no such file or folder" in result.output
    assert "Traceback" not in result.output


def test_read_file_never_raises_on_a_vanished_file(tmp_path):
    outcome = read_file(tmp_path / "gone.txt", None, ReadOptions())
    assert outcome.parsed is None and "cannot read" in outcome.reason


def test_csv_export_parses(pages, tmp_path):
    data = tmp_path / "data"
    run(data, str(pages))
    rows = list(csv.DictReader(io.StringIO(export(data, "csv"))))
    by_id = articles(data)
    assert len(rows) == len(by_id) == 27
    for row in rows:
        record = by_id[row["id"]]
        assert row["headline"] == record["headline"]
        assert row["paragraphs"] == "\n\n".join(record["paragraphs"])
        assert row["agencies"] == "; ".join(record["agencies"])
        assert int(row["word_count"]) == record["word_count"]


def test_jsonl_export_has_the_contract_fields(pages, tmp_path):
    data = tmp_path / "data"
    run(data, str(pages))
    required = {"id", "publication", "country", "language", "date", "date_source", "headline",
                "byline", "place", "agencies", "paragraphs", "word_count", "source"}
    for record in articles(data).values():
        assert required <= set(record)
        assert isinstance(record["agencies"], list) and isinstance(record["paragraphs"], list)
        assert record["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"])
        assert re.fullmatch(r"[0-9a-f]{12}", record["id"])


def test_store_schema_version_and_wal(pages, tmp_path):
    data = tmp_path / "data"
    run(data, str(pages))
    db = sqlite3.connect(store_path(data))
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        assert int(version) == SCHEMA_VERSION
    finally:
        db.close()


def test_newer_schema_is_a_clear_error(tmp_path):
    data = tmp_path / "data"
    Store(store_path(data)).close()
    db = sqlite3.connect(store_path(data))
    db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    result = CliRunner().invoke(main, ["--data-dir", str(data), "export"])
    assert result.exit_code == 1
    assert "schema version" in result.output and "Traceback" not in result.output


def test_data_dir_from_environment(pages, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSARCHIVE_DATA_DIR", str(tmp_path / "env-data"))
    result = CliRunner().invoke(main, ["ingest", str(pages / "kuwait_local.txt")])
    assert result.exit_code == 0, result.output
    assert store_path(tmp_path / "env-data").exists()


def test_new_parser_version_reads_every_file_again(pages, tmp_path, monkeypatch):
    import dataclasses

    import archive.formats

    data = tmp_path / "data"
    first, _ = run(data, str(pages))
    newer = dataclasses.replace(archive.formats.reader("pressreader"), version="test-next")
    monkeypatch.setitem(archive.formats._loaded, "pressreader", newer)
    again, _ = run(data, str(pages))
    assert again["changed"] == first["new"] and again["unchanged"] == 0
    assert again["total"] == first["total"]


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_nearest_manifest_wins_and_parents_fill_the_rest(tmp_path):
    folder = tmp_path / "pages"
    body = "Airport\n\n-\n\nKUWAIT CITY, Nov 8: Work is on schedule.\n"
    _write(folder, {
        "manifest.json": json.dumps({"publication": "Kuwait Times", "country": "Kuwait"}),
        "2017/manifest.json": json.dumps({"language": "English",
                                          "files": {"p.txt": {"page": 4}}}),
        "2017/p.txt": body,
    })
    run(tmp_path / "data", str(folder))
    (record,) = articles(tmp_path / "data").values()
    assert (record["publication"], record["country"], record["language"], record["page"]) == (
        "Kuwait Times", "Kuwait", "English", 4)


@pytest.mark.parametrize(("manifest", "reason"), [
    ({"files": {"p.txt": "page four"}}, "must be a JSON object"),
    ({"files": {"p.txt": {"page": "four"}}}, "not a page number"),
    ({"date": "Nov 8"}, "is not a date as YYYY-MM-DD"),
    ([1, 2, 3], "must hold a JSON object"),
])
def test_bad_manifest_is_a_clear_rejection(tmp_path, manifest, reason):
    folder = tmp_path / "pages"
    _write(folder, {"manifest.json": json.dumps(manifest),
                    "p.txt": "Airport\n\n-\n\nKUWAIT CITY, Nov 8: Work is on schedule.\n"})
    counts, _ = run(tmp_path / "data", str(folder))
    assert counts["rejected"] == 1
    (row,) = source_rows(tmp_path / "data").values()
    assert reason in row["reason"] and "internal error" not in row["reason"]


@pytest.mark.parametrize(("metadata", "reason"), [
    ({"files": []}, "manifest manifest.json (in "),
    ({"files": []}, "'files' must be an object mapping file names to their metadata, "
                    "not a list"),
    ({"files": {"p.txt": "x"}}, "the entry for 'p.txt' must be a JSON object, not text"),
    ({"publication": 3}, "field 'publication' must be text, not a number"),
    ({"country": ["Kuwait", "Iraq"]}, "field 'country' must be text, not a list"),
    ({"files": {"p.txt": {"page": 10 ** 29}}}, "entry 'p.txt': field 'page' "
                                                "100000000000000000000000000000 is not a page"),
    ({"page": True}, "field 'page' True is not a page number"),
    ({"date": 20171108}, "field 'date' 20171108 is not a date as YYYY-MM-DD"),
])
def test_bad_manifest_values_name_the_file_and_field(tmp_path, metadata, reason):
    folder = tmp_path / "pages"
    _write(folder, {"manifest.json": json.dumps(metadata),
                    "p.txt": "Airport\n\n-\n\nKUWAIT CITY, Nov 8: Work is on schedule.\n"})
    counts, _ = run(tmp_path / "data", str(folder))
    assert counts["rejected"] == 1
    (row,) = source_rows(tmp_path / "data").values()
    assert reason in row["reason"] and "internal error" not in row["reason"]
    assert "sidecar" not in row["reason"]


@pytest.mark.parametrize(("metadata", "reason"), [
    ({"publication": 3}, "sidecar p.txt.json: field 'publication' must be text, not a number"),
    ({"section": ""}, "sidecar p.txt.json: field 'section' must be 1 to 200 characters of text"),
    ({"page": "12a"}, "sidecar p.txt.json: field 'page' '12a' is not a page number (1-9999)"),
])
def test_bad_sidecar_values_name_the_sidecar_and_field(tmp_path, metadata, reason):
    folder = tmp_path / "pages"
    _write(folder, {"p.txt.json": json.dumps(metadata),
                    "p.txt": "Airport\n\n-\n\nKUWAIT CITY, Nov 8: Work is on schedule.\n"})
    counts, _ = run(tmp_path / "data", str(folder))
    assert counts["rejected"] == 1
    (row,) = source_rows(tmp_path / "data").values()
    assert row["reason"] == reason


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "pages"
    _write(folder, {"2017-11-05/a.txt": page("Readable", "The council met."),
                    "locked/b.txt": page("Unreadable", "Nobody can list this folder.")})
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):  # root can list any folder: the refusal is staged
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    counts, output = run(tmp_path / "data", str(folder))
    assert counts["new"] == 1 and counts["rejected"] == 1 and counts["seen"] == 2
    locked = str((folder / "locked").resolve())
    assert f"rejected: {locked}: folder cannot be listed: Permission denied" in output
    assert source_rows(tmp_path / "data")[locked]["status"] == "rejected"
    monkeypatch.setattr(os, "scandir", real)  # listable again: its page comes in
    counts, _ = run(tmp_path / "data", str(folder))
    assert counts["new"] == 1 and counts["removed"] == 1 and counts["rejected"] == 0
    assert locked not in source_rows(tmp_path / "data")
