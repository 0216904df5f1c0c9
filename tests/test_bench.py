"""The engine benchmark harness end to end on a small generated corpus: the JSON carries
every required figure with sane values, the markdown has a row per engine, hit counts
repeat between runs, and an engine that cannot be built is recorded, not fatal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.__main__ import main
from bench.corpus import generate
from bench.measure import p50_p95, percentile
from bench.queries import KINDS, make_queries
from bench.raw_tantivy import available as tantivy_available
from bench.report import markdown
from bench.run import Options, agree, compare_hits, run

pytestmark = pytest.mark.slow  # each test runs the benchmark on a generated corpus

ARTICLES = 1000
PER_KIND = 4
ENGINE_KEYS = ("ingest_pages_per_s", "build_articles_per_s", "build_seconds", "index_mib",
               "build_rss_mib", "serve_rss_mib", "query_ms", "http_ms", "http_rps", "hits")
HTTP_KEYS = ("serve_rss_mib", "http_ms", "http_rps", "http_hits_same")
BASELINE = "whoosh-stock"  # bench/stock_whoosh.py: built and timed in-process, not served


def _engines() -> list[str]:
    """whoosh, plus tantivy once both the package and our engine for it exist."""
    names = ["whoosh"]
    try:
        from index.engines import ENGINES  # type: ignore[import-not-found]
    except ImportError:
        return names
    if tantivy_available() and "tantivy" in ENGINES:
        names.append("tantivy")
    return names


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench") / "pages"
    generate(folder, ARTICLES, seed=7)
    return folder


@pytest.fixture(scope="module")
def first(pages: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """A full run through the CLI, HTTP included, with few queries and passes."""
    out = tmp_path_factory.mktemp("out") / "bench.json"
    result = CliRunner().invoke(main, [
        "run", "--corpus", str(pages), "--engines", ",".join([BASELINE, *_engines()]),
        "--out", str(out),
        "--queries-per-kind", str(PER_KIND), "--passes", "1", "--clients", "2",
        "--server-threads", "2", "--server-workers", "2", "--seed", "7"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return json.loads(out.read_text()), out


def _latencies(cells: dict) -> None:
    assert set(cells) == set(KINDS)
    for cell in cells.values():
        assert 0 < cell["p50"] <= cell["p95"]


def test_json_has_every_figure(first: tuple[dict, Path]) -> None:
    data, _ = first
    assert data["articles"] == ARTICLES
    assert 0.9 * ARTICLES < data["store_articles"] <= ARTICLES  # a few bad pages
    assert {"cpu_count", "python", "date"} <= set(data["machine"])
    assert data["notes"] and all(isinstance(n, str) for n in data["notes"])
    assert data["options"]["server_workers"] == 2
    assert any("(gunicorn, 2 workers x 2 threads)" in n for n in data["notes"])
    assert list(data["engines"]) == [BASELINE, *_engines()]
    assert any(n.startswith(f"{BASELINE}: the benchmark's own baseline") for n in data["notes"])
    for name, entry in data["engines"].items():
        assert "error" not in entry, (name, entry["error"])
        served = name != BASELINE
        assert {k for k in ENGINE_KEYS if served or k not in HTTP_KEYS} <= set(entry), name
        for key in ("ingest_pages_per_s", "build_articles_per_s", "build_seconds",
                    "index_mib", "build_rss_mib", "serve_rss_mib", "http_rps"):
            assert not served and key in HTTP_KEYS or entry[key] > 0, (name, key)
        assert entry["indexed"] == data["store_articles"]
        _latencies(entry["query_ms"])
        if not served:
            assert not set(HTTP_KEYS) & set(entry), name
            assert sum(entry["hits"]["common"]) > 0
            continue
        _latencies(entry["http_ms"])
        _latencies(entry["http_first_ms"])  # each query's first request, on its own
        assert {k: len(v) for k, v in entry["hits"].items()} == dict.fromkeys(KINDS, PER_KIND)
        assert all(isinstance(n, int) for v in entry["hits"].values() for n in v)
        assert sum(entry["hits"]["common"]) > 0
        # the server answered from the index just measured: the same totals
        assert entry["http_hits_same"] == {"same": PER_KIND * len(KINDS),
                                           "of": PER_KIND * len(KINDS)}
        assert "http_errors" not in entry and "query_errors" not in entry


def test_our_two_engines_find_the_same_totals(first: tuple[dict, Path]) -> None:
    """They share one analysis (index.analysis), so they agree on every query."""
    data, _ = first
    if "tantivy" not in data["engines"]:
        pytest.skip("tantivy is not installed")
    assert data["engines"]["tantivy"]["hits_agree"]["vs"] == BASELINE
    agreed = data["engines"]["whoosh"]["hits_agree_same_analysis"]
    assert agreed["vs"] == "tantivy"
    assert all(k["agree"] == k["of"] == PER_KIND for k in agreed["kinds"].values())


def test_with_the_stock_baseline_our_engines_are_also_compared_with_each_other() -> None:
    totals = {kind: [10, 0, 500] for kind in KINDS}
    stock = {kind: [10, 3, 400] for kind in KINDS}  # another stemmer: other totals
    engines = {"whoosh-stock": {"hits": stock}, "whoosh": {"hits": totals},
               "tantivy": {"hits": totals}}
    compare_hits(engines)
    assert engines["whoosh"]["hits_agree"]["kinds"]["common"] == {"agree": 1, "of": 3}
    same = engines["whoosh"]["hits_agree_same_analysis"]
    assert same["vs"] == "tantivy" and same["kinds"]["common"] == {"agree": 3, "of": 3}
    machine = {"cpu_count": 2, "python": "3", "date": "today"}
    table = markdown({"engines": engines, "articles": 1, "pages": 1, "machine": machine})
    assert "whoosh hits agree with the engine of the same analysis: 21/21 vs tantivy" in table


def test_markdown_has_a_row_per_engine(first: tuple[dict, Path]) -> None:
    data, out = first
    table = out.with_suffix(".md").read_text()
    for name in data["engines"]:
        assert f"\n| {name} | " in table
        if data["engines"][name].get("http_first_ms"):
            assert f"\n| {name} (first request of each query) | " in table


def test_hits_repeat_and_a_failing_engine_is_recorded(
        pages: Path, first: tuple[dict, Path], tmp_path: Path) -> None:
    out = tmp_path / "again.json"
    data = run(Options(engines=("whoosh", "no-such-engine"), out=out, corpus=pages,
                       work=tmp_path / "work", queries_per_kind=PER_KIND, passes=1,
                       skip_http=True, seed=7), say=lambda line: None)
    assert data["engines"]["whoosh"]["hits"] == first[0]["engines"]["whoosh"]["hits"]
    assert data["queries"] == first[0]["queries"]
    failed = data["engines"]["no-such-engine"]
    assert failed["error"].startswith("build: ") and "query_ms" not in failed
    assert "http_ms" not in data["engines"]["whoosh"]
    assert (tmp_path / "work" / "engines" / "whoosh" / "index").is_dir()  # --work is kept
    assert "| no-such-engine | failed: build: " in out.with_suffix(".md").read_text()


def test_percentiles_and_agreement() -> None:
    assert percentile([5.0], 0.95) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert p50_p95([float(n) for n in range(1, 101)]) == {"p50": 50.5, "p95": 95.05}
    assert agree(100, 102) and agree(0, 0) and not agree(100, 103)
    assert not agree(None, 5)


def test_queries_are_deterministic_and_of_every_kind() -> None:
    import random

    from archive.model import Article

    rng = random.Random(1)
    words = [f"{a}{b}" for a in ("oil", "gas", "port", "bank", "rain") for b in
             ("field", "price", "deal", "talks", "board", "crowd")]
    articles = [Article(id=f"a{i:03d}", publication="Arab Times", publication_slug="arab-times",
                        headline=" ".join(rng.sample(words, 4)),
                        paragraphs=(" ".join(rng.choices(words, k=60)),), source=f"{i}.txt")
                for i in range(200)]
    queries = make_queries(articles, 5, seed=3)
    assert queries == make_queries(articles, 5, seed=3)
    assert [q.kind for q in queries] == [k for k in KINDS for _ in range(5)]
    assert all(q.request.page_size == 10 for q in queries)
    assert all(q.request.date_from and q.request.date_to for q in queries if q.kind == "date")
    assert all(q.request.q.startswith('"') for q in queries if q.kind == "phrase")
    assert [q.request.facets for q in queries] == [q.kind == "facets" for q in queries]


def test_generating_without_the_shared_corpus_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """Figures from the built-in sentences are not comparable with the corpora's."""
    from bench import corpus

    monkeypatch.setattr(corpus, "CORPUS", tmp_path / "nowhere")
    found, headlines = corpus.sentences()
    assert found and headlines
    assert f"no shared corpus at {tmp_path / 'nowhere'}" in capsys.readouterr().err


def test_alto_speed_times_the_pages_it_can_read_and_counts_the_others(tmp_path: Path) -> None:
    """A page the reader rejects (no words) is counted, not timed, and stops nothing."""
    from bench.alto_speed import page_stages

    def page(words: str) -> bytes:
        strings = "".join(f'<String CONTENT="{w}" HPOS="{10 * n}" VPOS="10" WIDTH="9" '
                          f'HEIGHT="10"/>' for n, w in enumerate(words.split()))
        return (f'<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout><Page '
                f'ID="P1" WIDTH="1000" HEIGHT="1000"><PrintSpace><TextBlock ID="b1">'
                f'<TextLine>{strings}</TextLine></TextBlock></PrintSpace></Page></Layout>'
                f'</alto>').encode()

    root = tmp_path / "alto"
    root.mkdir()
    (root / "p1.xml").write_bytes(page("The harbour was busy all day with ships"))
    (root / "p2.xml").write_bytes(page(""))
    stages = page_stages([root / "p1.xml", root / "p2.xml"], root, repeat=1)
    assert stages["rejected"] == 1
    assert stages["total"] > 0
    assert stages["total"] == pytest.approx(sum(stages[s] for s in (
        "parse", "layout", "segment", "finish")), abs=0.05)
