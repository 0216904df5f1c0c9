"""One full index build in a child process, so its peak memory is its own:
`python -m bench.buildproc DATA_DIR ENGINE` prints one JSON line with the build time, the
snapshot and the peak RSS; `build()` runs it from the benchmark and reads that line."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class BuildFailed(Exception):
    """The child could not build the index; the message is its error."""


def build(data_dir: Path, engine: str, timeout: float | None = None,
          env: dict[str, str] | None = None) -> dict:
    """Full rebuild of `data_dir`'s index with `engine` in a fresh interpreter; `env` adds
    variables to its environment (NEWSARCHIVE_SPHINX: the cluster to build in)."""
    return in_child("bench.buildproc", data_dir, engine, timeout, env)


def in_child(module: str, data_dir: Path, name: str, timeout: float | None = None,
             env: dict[str, str] | None = None) -> dict:
    """`python -m MODULE DATA_DIR NAME` in a fresh interpreter: the JSON line it prints
    last, or BuildFailed with its last line of error."""
    done = subprocess.run([sys.executable, "-m", module, str(data_dir), name],
                          cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          check=False, env={**os.environ, **(env or {})})
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise BuildFailed(f"build exited with {done.returncode}: {tail}")
    return json.loads(lines[-1])


def _child(data_dir: Path, engine: str) -> dict:
    from archive.store import Store
    from bench.measure import peak_rss_mib
    from index.build import rebuild, snapshot_meta
    from index.library import INDEX_NAME, STORE_NAME

    extra = {}
    # `engine=` is being added to rebuild() with index/engines.py; before that, only the
    # default engine can be built and asking for another must fail rather than mislabel.
    if "engine" in inspect.signature(rebuild).parameters:
        extra["engine"] = engine
    elif engine != "whoosh":
        raise SystemExit(f"index.build.rebuild() has no engine= parameter yet: cannot build "
                         f"{engine!r} (only 'whoosh')")
    store = Store(data_dir / STORE_NAME)
    try:
        started = time.perf_counter()
        result = rebuild(store, data_dir / INDEX_NAME, full=True, **extra)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    built = snapshot_meta(result.snapshot).get("engine")
    if built != engine:
        raise SystemExit(f"asked for engine {engine!r} but the snapshot says {built!r}")
    own, workers = peak_rss_mib()
    return {"engine": engine, "seconds": round(seconds, 3), "indexed": result.stats.indexed,
            "articles": result.articles, "snapshot": str(result.snapshot),
            "rss_mib": own, "workers_rss_mib": workers}


if __name__ == "__main__":
    print(json.dumps(_child(Path(sys.argv[1]), sys.argv[2])), flush=True)
