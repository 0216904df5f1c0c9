"""The one Library of an app: opened on first use, shared by every request and thread,
closed when the app goes away (not per request: opening the index is the slow part)."""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

from flask import Flask, current_app

from index.engine import IndexMissing
from index.library import Library
from web.config import store_path

_KEY = "newsarchive.library"
_LOCK = threading.Lock()
NO_ARCHIVE = "there is no archive here yet: run `newsarchive rebuild`"


def library() -> Library:
    """The app's Library; IndexMissing (503) while no article store exists."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(_KEY)
    if found is not None:
        return found
    with _LOCK:
        found = app.extensions.get(_KEY)
        if found is None:
            data_dir = Path(app.config["DATA_DIR"])
            # Opening a Store creates the file; a mistyped data folder should not.
            if not store_path(data_dir).is_file():
                raise IndexMissing(NO_ARCHIVE)
            found = Library(data_dir)
            app.extensions[_KEY] = found
            weakref.finalize(app, found.close)  # also runs at interpreter exit
    return found


def close_library(app: Flask) -> None:
    """Close the app's Library now (tests, server shutdown); the next use reopens it."""
    with _LOCK:
        found = app.extensions.pop(_KEY, None)
    if found is not None:
        found.close()
