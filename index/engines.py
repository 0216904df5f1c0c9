"""Which search engine builds and answers: Whoosh (the default), tantivy, or the stock
Whoosh baseline the benchmarks compare against. The only place engines are named."""

from __future__ import annotations

import os
from pathlib import Path

from index.engine import Engine
from index.whoosh_engine import Texts, WhooshEngine

ENGINES = ("whoosh", "tantivy", "whoosh-stock", "sphinx")
DEFAULT_ENGINE = "whoosh"
ENV = "NEWSARCHIVE_ENGINE"


def engine_name(name: str | None = None) -> str:
    """`name`, else $NEWSARCHIVE_ENGINE, else Whoosh; an unknown name is a clear error."""
    chosen = (name or os.environ.get(ENV) or DEFAULT_ENGINE).strip().lower()
    if chosen not in ENGINES:
        raise ValueError(f"unknown search engine {chosen!r} (from {ENV} or --engine): "
                         f"choose one of {', '.join(ENGINES)}")
    return chosen


def make_engine(name: str, path: str | Path, texts: Texts | None = None) -> Engine:
    """An engine of this kind on the index folder `path` (built or to be built)."""
    if name == "whoosh":
        return WhooshEngine(path, texts=texts)
    if name == "whoosh-stock":
        return WhooshEngine(path, texts=texts, stock=True)
    if name == "tantivy":
        from index.tantivy_engine import TantivyEngine  # only when asked: optional speed

        return TantivyEngine(path, texts=texts)
    if name == "sphinx":  # a cluster of searchd processes (index/sphinx/), named by env
        from index.sphinx.engine import SphinxEngine

        return SphinxEngine(path, texts=texts)
    raise ValueError(f"unknown search engine {name!r}: choose one of {', '.join(ENGINES)}")
