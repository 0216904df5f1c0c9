"""The benchmark's own engines (yardsticks, not registered in index.engines, never served):
name -> class, and their full build in a child process, reported as bench.buildproc
reports a real engine's: `python -m bench.baselines DATA_DIR NAME` prints one JSON line."""

from __future__ import annotations

import importlib
import json
import shutil
import sys
import time
from pathlib import Path

from bench.buildproc import in_child

BASELINES = {"whoosh-stock": "bench.stock_whoosh:StockWhooshEngine"}
FOLDER = "baseline-index"  # beside the data folder's store: not a snapshot the site serves


def is_baseline(name: str) -> bool:
    return name in BASELINES


def engine_class(name: str) -> type:
    module, _, attribute = BASELINES[name].partition(":")
    return getattr(importlib.import_module(module), attribute)


def index_path(data_dir: Path, name: str) -> Path:
    return data_dir / FOLDER / name


def build(data_dir: Path, name: str, timeout: float | None = None) -> dict:
    """Full build of the baseline `name` from `data_dir`'s store in a fresh interpreter."""
    return in_child("bench.baselines", data_dir, name, timeout)


def _child(data_dir: Path, name: str) -> dict:
    from archive.store import Store
    from bench.measure import peak_rss_mib
    from index.library import STORE_NAME

    path = index_path(data_dir, name)
    shutil.rmtree(path, ignore_errors=True)
    store = Store(data_dir / STORE_NAME)
    try:
        started = time.perf_counter()
        stats = engine_class(name)(path).build(store.articles(), expected=store.count())
        seconds = time.perf_counter() - started
    finally:
        store.close()
    own, workers = peak_rss_mib()
    return {"engine": name, "seconds": round(seconds, 3), "indexed": stats.indexed,
            "articles": stats.indexed, "snapshot": str(path), "rss_mib": own,
            "workers_rss_mib": workers}


if __name__ == "__main__":
    print(json.dumps(_child(Path(sys.argv[1]), sys.argv[2])), flush=True)
