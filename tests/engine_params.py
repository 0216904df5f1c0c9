"""The engines a parametrised engine test runs on, and how it gets one: every engine of the
registry (index/engines.py), an engine that needs servers starting them through the session
fixture `<name>_cluster` (tests/conftest.py; Sphinx's is skipped without searchd)."""

from __future__ import annotations

from pathlib import Path

import pytest
from index_helpers import snippet_texts

from archive.model import Article
from index import engines

ENGINES = list(engines.REGISTRY)
# An engine that needs servers runs in the whole suite, not in the quick subset
# (-m "not slow"): starting and feeding a cluster costs more than the quick subset's budget.
PARAMS = [pytest.param(name, marks=pytest.mark.slow) if engines.REGISTRY[name].server
          else name for name in ENGINES]


def needs_server(request, kind: str) -> None:
    """Start (once a session) the server an engine needs."""
    if engines.REGISTRY[kind].server:
        request.getfixturevalue(f"{kind}_cluster")


def startable(request) -> list[str]:
    """The engines whose server (if any) runs here."""
    kinds = []
    for kind in ENGINES:
        try:
            needs_server(request, kind)
        except pytest.skip.Exception:
            continue
        kinds.append(kind)
    return kinds


def make_engine(kind: str, path: Path, items: list[Article]):
    """A built engine over these articles; snippets read the text from the list."""
    engine = engines.make_engine(kind, path, snippet_texts(items))
    engine.build(items)
    return engine
