"""Which search engine builds and answers: the one registry of engines, by name. Each is
imported only when asked for, so a process loads the one engine it runs. Adding an engine
is one line here (and its folder)."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

from index.engine import Engine
from index.pipeline import Texts


@dataclass(frozen=True)
class Registered:
    """Where an engine's class lives ("module:Class") and what it needs to run."""

    where: str
    server: bool = False  # answers from running servers (a cluster), not a folder alone


REGISTRY: dict[str, Registered] = {
    "whoosh": Registered("index.whoosh.engine:WhooshEngine"),
    "tantivy": Registered("index.tantivy.engine:TantivyEngine"),  # optional speed
    "sphinx": Registered("index.sphinx.engine:SphinxEngine", server=True),  # index/sphinx/
}
ENGINES = tuple(REGISTRY)
DEFAULT_ENGINE = "whoosh"
ENV = "NEWSARCHIVE_ENGINE"


def engine_name(name: str | None = None) -> str:
    """`name`, else $NEWSARCHIVE_ENGINE, else Whoosh; an unknown name is a clear error."""
    chosen = (name or os.environ.get(ENV) or DEFAULT_ENGINE).strip().lower()
    if chosen not in REGISTRY:
        raise ValueError(f"unknown search engine {chosen!r} (from {ENV} or --engine): "
                         f"choose one of {', '.join(ENGINES)}")
    return chosen


def engine_class(name: str) -> type:
    """The class of a registered engine, imported now."""
    if name not in REGISTRY:
        raise ValueError(f"unknown search engine {name!r}: choose one of {', '.join(ENGINES)}")
    module, _, attribute = REGISTRY[name].where.partition(":")
    return getattr(importlib.import_module(module), attribute)


def make_engine(name: str, path: str | Path, texts: Texts | None = None) -> Engine:
    """An engine of this kind on the index folder `path` (built or to be built)."""
    return engine_class(name)(path, texts=texts)
