"""`python -m bench profile`: folded stacks read into a call tree, shares counted once per
stack, Rust symbols demangled, flame graphs drawn; and every scenario recorded for real
under py-spy (slow)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import build_archive

from bench import flame
from bench.__main__ import main
from bench.corpus import generate

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PAGES = 1000

FOLDED = """\
thread (1): MainThread;<module> (run.py:3);search (lib.py:10);fetch (a.py:5) 6
thread (1): MainThread;<module> (run.py:3);search (lib.py:11);count (a.py:9) 3
thread (1): MainThread;<module> (run.py:3);search (lib.py:10);walk (b.py:1);walk (b.py:2) 2
thread (1): MainThread;<module> (run.py:4);load (c.py:1) 4
not a stack line
"""


def test_read_folded_merges_lines_of_a_function_and_drops_threads() -> None:
    root = flame.read_folded(FOLDED.splitlines())
    assert root.samples == 15
    assert list(root.children) == ["<module> (run.py)"]
    module = root.children["<module> (run.py)"]
    assert module.samples == 15
    search = module.children["search (lib.py)"]  # lines 10 and 11: one frame
    assert search.samples == 11
    assert {name: node.samples for name, node in search.children.items()} == {
        "fetch (a.py)": 6, "count (a.py)": 3, "walk (b.py)": 2}
    with_threads = flame.read_folded(FOLDED.splitlines(), threads=True)
    assert list(with_threads.children) == ["thread (1): MainThread"]


def test_start_up_and_native_frames_below_python_are_left_out() -> None:
    folded = [
        "0x7f01 (libc.so.6);main (python.c);<module> (run.py:3);work (a.py:1) 5",
        "0x7f02 (libc.so.6);<module> (run.py:3);work (a.py:2);malloc (libc.so.6) 2",
        "<module> (run.py:1);_find_and_load (<frozen importlib._bootstrap>:1);x (b.py:1) 3",
        "0x7f03 (libc.so.6) 1",  # no Python frame at all: kept as sampled
    ]
    root = flame.read_folded(folded)
    assert (root.samples, root.skipped) == (8, 3)
    assert sorted(root.children) == ["0x7f03 (libc.so.6)", "<module> (run.py)"]
    work = root.children["<module> (run.py)"].children["work (a.py)"]
    assert (work.samples, list(work.children)) == (7, ["malloc (libc.so.6)"])
    assert flame.read_folded(folded, skip=None).skipped == 0


def test_shares_count_a_recursive_frame_once_and_focus_under_a_frame() -> None:
    root = flame.read_folded(FOLDED.splitlines())
    shares, total = flame.inclusive(root)
    assert total == 15
    assert shares["walk (b.py)"] == 2  # twice on its stack, counted once
    assert shares["<module> (run.py)"] == 15
    rows = flame.summary(root, "search (lib.py)", top=10)
    assert rows[0] == (100.0, "search (lib.py)")
    assert dict((name, round(share, 1)) for share, name in rows) == {
        "search (lib.py)": 100.0, "fetch (a.py)": 54.5, "count (a.py)": 27.3,
        "walk (b.py)": 18.2}
    assert flame.summary(root, "absent (x.py)") == []
    assert [name for _, name in flame.summary(root, None, match=r"^load")] == ["load (c.py)"]


def test_rust_symbols_are_demangled_without_their_generic_arguments() -> None:
    union = ("_RINvNtNtNtCskrKLAw2XkKT_7tantivy5query5union14buffered_union6refillNtNtNtB6_"
             "10term_query11term_scorer10TermScorerNtNtB6_14score_combiner11SumCombinerEB8_")
    assert flame.frame_name(f"{union} (tantivy.so)") == \
        "tantivy::query::union::buffered_union::refill::<…> (tantivy.so)"
    qualified = ("_RNvYINtNtNtNtCs3ZoBXdHXHht_16tantivy_columnar13column_values9u64_based9"
                 "bitpacked15BitpackedReaderKh4_ENtB9_12ColumnValues8get_valsBb_")
    assert flame.frame_name(qualified) == (
        "<tantivy_columnar::column_values::u64_based::bitpacked::BitpackedReader<…> as "
        "tantivy_columnar::column_values::ColumnValues>::get_vals")
    assert flame.frame_name("_Rnot a symbol (x.so)") == "_Rnot a symbol (x.so)"
    assert flame.frame_name("malloc (libc.so.6)") == "malloc (libc.so.6)"


def test_flame_graph_draws_every_frame_wide_enough_with_its_share() -> None:
    root = flame.read_folded(FOLDED.splitlines())
    picture = flame.svg(root, "a <test>")
    assert picture.startswith("<svg") and picture.endswith("</svg>")
    assert "a &lt;test&gt; (15 samples)" in picture
    titles = re.findall(r"<title>(.*?)</title>", picture)
    assert "search (lib.py) (73.3%)" in titles
    assert "walk (b.py) (13.3%)" in titles  # the inner walk: its own frame, 2 of 15
    assert len(titles) == 8  # all, <module>, search, fetch, count, walk, walk, load
    # a frame is drawn above its caller, as wide as its share
    rects = dict(re.findall(r'<title>([^<]*)</title><rect x="[^"]*" y="(\d+)"', picture))
    assert int(rects["fetch (a.py) (40.0%)"]) < int(rects["search (lib.py) (73.3%)"])


def _profile(tmp_path: Path, *arguments: str) -> tuple[str, str, str]:
    out = tmp_path / "profiles"
    result = CliRunner().invoke(main, ["profile", *arguments, "--out", str(out)])
    denied = ("operation not permitted", "permission denied")
    if result.exit_code != 0 and any(d in result.output.lower() for d in denied):
        pytest.skip("py-spy may not read its child's memory on this machine")
    assert result.exit_code == 0, result.output + repr(result.exception)
    name = arguments[0]
    assert (out / f"{name}.folded").stat().st_size > 0
    picture = (out / f"{name}.svg").read_text()
    assert picture.startswith("<svg") and "<rect" in picture
    return result.output, (out / f"{name}.md").read_text(), picture


def _shares(summary: str) -> dict[str, float]:
    return {name: float(share) for share, name in
            re.findall(r"^\| ([\d.]+) \| `(.*)` \|$", summary, re.MULTILINE)}


@pytest.mark.slow
def test_profile_search_samples_the_engines_search(archive_dir: Path, tmp_path: Path) -> None:
    output, summary, picture = _profile(
        tmp_path, "search", "--data", str(archive_dir), "--kinds", "common,rare,and",
        "--queries-per-kind", "3", "--seconds", "2")
    assert re.search(r"search: \d+ requests, [\d.]+ ms CPU each", output)
    assert "<title>search (index/library.py) (" in picture
    assert "## under search (index/library.py)" in summary
    assert _shares(summary)["search_twin (web/views/search.py)"] > 50


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """1,000 generated pages, and an archive built from them: enough work for a build or
    an ingest to be sampled hundreds of times, however fast the machine."""
    root = tmp_path_factory.mktemp("profiled")
    generate(root / "pages", PAGES, seed=7)
    build_archive(root / "data", root / "pages")
    return root / "pages", root / "data"


@pytest.mark.slow
def test_profile_build_and_ingest(generated: tuple[Path, Path], tmp_path: Path) -> None:
    pages, data = generated
    output, summary, picture = _profile(tmp_path, "build", "--data", str(data),
                                        "--engine", "tantivy", "--articles", str(PAGES))
    assert re.search(rf"build: {PAGES} articles in [\d.]+ s", output)
    assert "<title>build (index/tantivy/engine.py) (" in picture
    assert "## under build (index/tantivy/engine.py)" in summary
    assert _shares(summary)["to_document (index/tantivy/schema.py)"] > 10
    output, summary, _ = _profile(tmp_path, "ingest", "--pages", str(pages), "--jobs", "1")
    assert re.search(rf"ingest: {PAGES} files in [\d.]+ s", output)
    assert _shares(summary)["_ingest (archive/ingest.py)"] > 50


@pytest.mark.slow
@pytest.mark.skipif(not (CORPUS / "alto").is_dir(), reason="needs ../shared/corpus/alto")
def test_profile_alto_reads_the_corpus(tmp_path: Path) -> None:
    output, summary, _ = _profile(tmp_path, "alto", "--corpus", str(CORPUS), "--rounds", "1")
    assert re.search(r"alto: CPU ms a page: alone [\d.]+, in METS issues [\d.]+", output)
    assert _shares(summary)["segment (archive/segmentation/__init__.py)"] > 5


def test_profile_says_what_a_scenario_needs(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["profile", "search", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "search needs --data" in result.output
    result = CliRunner().invoke(main, ["profile", "search", "--data", str(tmp_path),
                                       "--kinds", "common,often", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--kinds: choose among common, rare" in result.output
