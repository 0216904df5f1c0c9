"""The tantivy engine through the real rebuild and Library path: NEWSARCHIVE_ENGINE picks it,
the snapshot records it, a long-lived Library sees an incremental update made by another
process, and switching engine (either way) builds in full and answers the same."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from commands import newsarchive
from index_helpers import BY_KEY, CORPUS, Spec, build_data_dir, expected_counts, write_corpus

from index.build import META, current_snapshot
from index.engine import SearchRequest
from index.library import INDEX_NAME, Library
from web.cli import main

MARK = re.compile(r"<mark[^>]*>(.*?)</mark>")
NEW = Spec("desal", CORPUS[0].date, "Desalination plant opens",
           ("A desalination plant opened in Doha, the ministry said.",),
           "KUWAIT CITY, Nov 4, (KUNA):", section="Local", page=7)
PROBES = ["", "harbour", "kuwait", '"crude prices"', "harb*", "polise~1", "place:moscow",
          "date:2017-11 -agency:kuna", "امطار"]


def rebuild(data: Path, *args: str) -> dict[str, object]:
    """`newsarchive rebuild` in this process; what its report says."""
    result = CliRunner().invoke(main, ["--data-dir", str(data), "rebuild", *args])
    assert result.exit_code == 0, result.output
    match = re.search(r"Index: (full build|incremental update), (\d+) articles indexed, "
                      r"(\d+) removed, (\d+) in the index", result.output)
    assert match, result.output
    return {"full": match[1] == "full build", "indexed": int(match[2]),
            "removed": int(match[3]), "total": int(match[4])}


def engine_of(data: Path) -> str:
    return json.loads((current_snapshot(data / INDEX_NAME) / META).read_text())["engine"]


def answers(data: Path) -> dict[str, tuple[int, set[str]]]:
    library = Library(data)
    try:
        found = {}
        for q in PROBES:
            results = library.search(SearchRequest(q=q, page_size=50))
            found[q] = (results.total, {h.id for h in results.hits})
        return found
    finally:
        library.close()


def test_tantivy_rebuild_and_library_end_to_end(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSARCHIVE_ENGINE", "tantivy")
    pages, data = tmp_path / "pages", tmp_path / "data"
    write_corpus(pages)
    result = build_data_dir(data, [pages])
    assert (result.stats.full, result.articles) == (True, len(CORPUS))
    assert engine_of(data) == "tantivy"
    library = Library(data)  # long-lived, as in the web server
    try:
        assert library.engine().name == "tantivy"
        hits = library.search(SearchRequest(q="harbour")).hits
        assert [h.id for h in hits] == [BY_KEY["harbour"].id]
        assert "harbour" in MARK.findall(hits[0].snippet_html)  # text from the store
        counts = {f.name: {v.value: v.count for v in f.values}
                  for f in library.search(SearchRequest(facet_limit=0)).facets}
        for facet in ("section", "agency", "year", "place"):
            assert counts[facet] == expected_counts(CORPUS, facet, {}), facet
        assert library.search(SearchRequest(q="goverment")).suggestion == "govemment"

        # another process applies an incremental update to the snapshot in use
        NEW.write(pages)
        removed = BY_KEY["bombers"].write(pages)
        removed.unlink()
        removed.with_name(removed.name + ".json").unlink()
        done = subprocess.run([*newsarchive(), "--data-dir", str(data), "rebuild", str(pages)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "incremental update, 1 articles indexed, 1 removed" in done.stdout
        assert library.search(SearchRequest(q="desalination")).total == 1
        assert library.search(SearchRequest(q="bombers")).total == 0
        assert library.search(SearchRequest()).total == len(CORPUS)
        # words the update brought are in the vocabulary: fuzzy terms and suggestions
        assert library.search(SearchRequest(q="desalinatoin~2")).total == 1
        assert library.search(SearchRequest(q="desalinaton")).suggestion == "desalination"
    finally:
        library.close()


@pytest.mark.parametrize("first, second", [("whoosh", "tantivy"), ("tantivy", "whoosh")])
def test_switching_engine_builds_in_full_with_the_same_answers(tmp_path, monkeypatch,
                                                                first, second):
    monkeypatch.delenv("NEWSARCHIVE_ENGINE", raising=False)
    pages, data = tmp_path / "pages", tmp_path / "data"
    write_corpus(pages)
    assert rebuild(data, str(pages), "--engine", first)["full"] is True
    assert engine_of(data) == first
    before = answers(data)
    assert before["harbour"][0] == 1 and before[""][0] == len(CORPUS)

    monkeypatch.setenv("NEWSARCHIVE_ENGINE", second)
    assert rebuild(data) == {"full": True, "indexed": len(CORPUS), "removed": 0,
                             "total": len(CORPUS)}
    assert engine_of(data) == second
    assert answers(data) == before  # the same hits whichever engine answers
    assert rebuild(data)["full"] is False  # same engine again: incremental
