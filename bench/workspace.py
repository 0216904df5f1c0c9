"""The folder a benchmark run works in: the one asked for (kept afterwards, to look into),
or a temporary one removed when the run ends, failed or not."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def work_folder(kept: Path | None, name: str) -> Iterator[Path]:
    """`kept` (created if missing), else a fresh newsarchive-NAME-* temporary folder."""
    folder = kept or Path(tempfile.mkdtemp(prefix=f"newsarchive-{name}-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    finally:
        if kept is None:
            shutil.rmtree(folder, ignore_errors=True)
