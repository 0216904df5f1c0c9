"""Where things live: the data folder (store + index) and the defaults of the app."""

from __future__ import annotations

from pathlib import Path

from index.library import INDEX_NAME, STORE_NAME


def data_dir_default() -> Path:
    """The Flask instance folder of the `web` package: the default data folder."""
    from flask import Flask

    return Path(Flask("web", instance_relative_config=True).instance_path)


def store_path(data_dir: Path) -> Path:
    return Path(data_dir) / STORE_NAME


def index_root(data_dir: Path) -> Path:
    return Path(data_dir) / INDEX_NAME
