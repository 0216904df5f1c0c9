"""`newsarchive rebuild` tells the operator when the archive has outgrown the Whoosh engine
(the threshold is lowered through its environment variable, not by building 100k)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from index_helpers import CORPUS, write_corpus

from web.cli import WHOOSH_ADVISED_MAX, WHOOSH_ADVISED_MAX_ENV, engine_advice, main


def test_advice_names_tantivy_and_the_cluster_above_the_threshold(monkeypatch):
    monkeypatch.delenv(WHOOSH_ADVISED_MAX_ENV, raising=False)
    assert engine_advice("whoosh", WHOOSH_ADVISED_MAX) is None
    line = engine_advice("whoosh", WHOOSH_ADVISED_MAX + 1)
    assert line is not None and "\n" not in line
    assert "--engine tantivy" in line and "Sphinx cluster" in line
    assert f"{WHOOSH_ADVISED_MAX + 1:,} articles" in line
    # the engines that hold such archives are not told to move
    assert engine_advice("tantivy", 10 * WHOOSH_ADVISED_MAX) is None
    assert engine_advice("sphinx", 10 * WHOOSH_ADVISED_MAX) is None


@pytest.mark.parametrize("limit, advised", [(len(CORPUS) - 1, True), (len(CORPUS), False)])
def test_rebuild_prints_the_advice_only_past_the_threshold(tmp_path, monkeypatch, limit,
                                                           advised):
    write_corpus(tmp_path / "pages")
    monkeypatch.setenv(WHOOSH_ADVISED_MAX_ENV, str(limit))
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "data"), "rebuild",
                                       "--engine", "whoosh", str(tmp_path / "pages")])
    assert result.exit_code == 0, result.output
    advice = [line for line in result.output.splitlines() if line.startswith("Advice:")]
    if advised:
        assert len(advice) == 1
        assert f"{len(CORPUS):,} articles" in advice[0] and "--engine tantivy" in advice[0]
    else:
        assert advice == []
