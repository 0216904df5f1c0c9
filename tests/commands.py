"""How tests run the real `newsarchive` command: the console script installed beside the
Python running the tests (the project's .venv), not whichever one PATH finds first."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def newsarchive() -> list[str]:
    """argv[0:] that runs `newsarchive` with this interpreter's installation."""
    beside = Path(sys.executable).parent / "newsarchive"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("newsarchive")
    return [found] if found else [sys.executable, "-c", "from web.cli import main; main()"]
