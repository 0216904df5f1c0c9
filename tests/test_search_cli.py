"""The `newsarchive search` contract: JSON shape, human form, paging, sorting, exit codes."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from click.testing import CliRunner
from commands import newsarchive
from index_helpers import BY_KEY, CORPUS, build_data_dir, write_corpus

from index.engine import FACETS
from web.cli import main

ITEM_KEYS = {"id", "headline", "date", "place", "agencies", "snippet", "url"}
TOP_KEYS = {"total", "page", "page_size", "description", "items", "facets", "suggestion"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    write_corpus(root / "pages")
    build_data_dir(root / "data", [root / "pages"])
    return root / "data"


def run(data_dir, *args):
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "search", *args])
    return result


def search_json(data_dir, *args) -> dict:
    result = run(data_dir, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_shape(data_dir):
    data = search_json(data_dir, "bombers")
    assert TOP_KEYS <= set(data)
    assert (data["total"], data["page"], data["page_size"]) == (1, 1, 20)
    assert data["description"] == "articles matching “bombers”"
    assert data["suggestion"] is None
    [item] = data["items"]
    assert ITEM_KEYS <= set(item)
    spec = BY_KEY["bombers"]
    assert item["id"] == spec.id
    assert item["headline"] == "Russian bombers strike"
    assert item["date"] == "2017-11-04"
    assert item["place"] == "Moscow"
    assert item["agencies"] == ["Agencies"]
    assert item["url"] == f"/arab-times/2017-11-04/russian-bombers-strike-{spec.id}"
    assert '<mark class="match term0">bombers</mark>' in item["snippet"]
    assert list(data["facets"]) == list(FACETS)
    for values in data["facets"].values():
        for value in values:
            assert {"value", "count"} <= set(value)
            assert isinstance(value["count"], int)
    assert data["facets"]["agency"] == [{"value": "Agencies", "count": 1, "selected": False}]
    assert data["facets"]["section"][0]["value"] == "World"
    assert data["facets"]["page"][0]["value"] == "12"


def test_query_words_are_joined(data_dir):
    assert search_json(data_dir, "bombers", "strike")["total"] == 1
    assert search_json(data_dir, "bombers", "harbour")["total"] == 0
    assert search_json(data_dir, "bombers OR harbour")["total"] == 2


def test_empty_query_lists_everything_newest_first(data_dir):
    data = search_json(data_dir)
    assert data["total"] == len(CORPUS)
    dates = [item["date"] for item in data["items"]]
    assert dates == sorted(dates, reverse=True)
    assert data["description"] == "all articles"
    assert sum(v["count"] for v in data["facets"]["language"]) == len(CORPUS)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort(data_dir, sort):
    dates = [i["date"] for i in search_json(data_dir, "--sort", sort, "--page-size", "100")
             ["items"]]
    assert dates == sorted(dates, reverse=sort == "newest")
    assert len(dates) == len(CORPUS)


def test_relevance_sort(data_dir):
    items = search_json(data_dir, "ministry", "--sort", "relevance")["items"]
    assert [i["id"] for i in items] == [BY_KEY["script"].id, BY_KEY["bombers"].id]


def test_paging(data_dir):
    pages = [search_json(data_dir, "--page-size", "5", "--page", str(p)) for p in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [5, 5, 3]
    assert [(p["page"], p["page_size"]) for p in pages] == [(1, 5), (2, 5), (3, 5)]
    ids = [i["id"] for p in pages for i in p["items"]]
    assert sorted(ids) == sorted(s.id for s in CORPUS)


def test_page_past_the_end(data_dir):
    result = run(data_dir, "--page-size", "5", "--page", "4")
    assert result.exit_code == 1
    assert "page 4 is past the last page (3)" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args", [["--page", "0"], ["--page-size", "0"],
                                  ["--page-size", "101"], ["--sort", "random"]])
def test_bad_options(data_dir, args):
    assert run(data_dir, "x", *args).exit_code == 2


@pytest.mark.parametrize("q, message", [
    ("headline:(", "Unclosed '('"),
    ("oil AND", "'AND' needs a search term on both sides"),
    ("foo:bar", "Unknown field 'foo:'"),
    ('"oil prices', "Unterminated quote"),
])
def test_bad_query_exits_2_with_the_message_on_stderr(data_dir, q, message):
    for args in ([q], ["--json", q]):
        result = run(data_dir, *args)
        assert result.exit_code == 2
        assert message in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""


def test_suggestion(data_dir):
    data = search_json(data_dir, "goverment")
    assert data["total"] == 0 and data["items"] == []
    assert data["suggestion"] == "govemment"
    result = run(data_dir, "goverment")
    assert "Did you mean: govemment" in result.stdout


def test_filters_in_the_description_and_fields(data_dir):
    data = search_json(data_dir, "agency:reuters date:2017-11")
    assert data["total"] == 1
    assert data["items"][0]["agencies"] == ["Reuters"]
    assert "November 2017" in data["description"]


def test_arabic_query(data_dir):
    data = search_json(data_dir, "مستشفي")
    assert [i["id"] for i in data["items"]] == [BY_KEY["hospital"].id]
    assert data["items"][0]["url"].startswith("/al-rai/2017-11-07/")
    assert data["facets"]["language"] == [{"value": "Arabic", "count": 1, "selected": False}]


def test_human_form(data_dir):
    result = run(data_dir, "bomber")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("1 result(s): articles matching “bomber”")
    assert "1. Russian bombers strike" in out
    assert "Arab Times, 2017-11-04 — Moscow, Agencies" in out
    assert "<mark" not in out and "Russian long-range bombers struck" in out
    assert f"/arab-times/2017-11-04/russian-bombers-strike-{BY_KEY['bombers'].id}" in out


def test_human_form_escapes_nothing_twice(data_dir):
    out = run(data_dir, "hackers").stdout
    assert "Hackers <script> attack ministry site" in out
    assert "<script>alert(1)</script>" in out  # plain text on a terminal, tags as written
    html = search_json(data_dir, "hackers")["items"][0]["snippet"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_no_index_yet(tmp_path):
    result = run(tmp_path / "empty")
    assert result.exit_code == 1
    assert "newsarchive rebuild" in result.stderr


@pytest.mark.slow
def test_real_command(data_dir):
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir)}
    exe = newsarchive()
    done = subprocess.run([*exe, "search", "--json", "--page-size", "2", "harb*"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["total"], data["page_size"]) == (1, 2)
    assert data["items"][0]["id"] == BY_KEY["harbour"].id
    done = subprocess.run([*exe, "search", "oil AND"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "needs a search term" in done.stderr and done.stdout == ""
