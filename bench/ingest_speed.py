"""Ingest throughput: pages per second into a fresh store (rerunnable; numbers, not asserts).

Wall time varies with whatever else the machine runs; the CPU time per page of the writer
(this process) and of the reading workers varies far less, so both are reported.

    python -m bench.ingest_speed PAGES_DIR [--jobs N] [--store PATH]

`measure_ingest` is what `python -m bench run` calls.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from archive.ingest import ingest
from archive.store import Store


def measure_ingest(pages_dir: str | Path, store_path: str | Path | None = None,
                   jobs: int | None = None) -> dict:
    """Ingest pages_dir into a fresh store (store_path is replaced); pages, seconds, pages/s.

    The store path defaults to a temporary file; jobs=None means every core.
    """
    with tempfile.TemporaryDirectory(prefix="ingest-speed-") as scratch:
        path = Path(store_path) if store_path else Path(scratch) / "store.sqlite3"
        for suffix in ("", "-wal", "-shm"):  # a fresh store: nothing counts as unchanged
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        store = Store(path)
        try:
            children = _children_cpu()
            cpu = time.process_time()
            started = time.perf_counter()
            report = ingest(store, [pages_dir], jobs=jobs)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            children = _children_cpu() - children
        finally:
            store.close()
    return {"pages": report.seen, "seconds": round(seconds, 3),
            "pages_per_s": round(report.seen / seconds, 1) if seconds else 0.0,
            "jobs": jobs or os.cpu_count(), "articles": report.articles_total,
            "rejected": len(report.rejected),
            "writer_cpu_us_per_page": round(cpu / max(1, report.seen) * 1e6),
            "workers_cpu_us_per_page": round(children / max(1, report.seen) * 1e6)}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers, once they are joined
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages_dir")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--store", default=None, help="store file to (re)create")
    args = parser.parse_args()
    print(json.dumps(measure_ingest(args.pages_dir, args.store, args.jobs)))


if __name__ == "__main__":
    main()
