"""Where things live: the data folder (store + index) and the defaults of the app."""

from __future__ import annotations

from pathlib import Path

from index.library import INDEX_NAME, STORE_NAME

# The site's public address (scheme, host, port, optional path prefix): every absolute URL
# the site writes (citations, feeds, sitemaps, JSON links, redirects) starts with it, never
# with the request's Host header (a shared cache would keep a forged Host's links for
# everyone). Set it in instance/config.py or NEWSARCHIVE_CANONICAL_URL; `newsarchive serve`
# without it uses the address it listens on; anything else (flask run, tests) this default.
CANONICAL_URL = "CANONICAL_URL"
DEFAULT_CANONICAL_URL = "http://localhost"

# Seconds one search may take: past it the engine answers with the results found so far,
# marked partial (Whoosh; tantivy cannot stop a search and is kept cheap by the query
# limits instead). Set in instance/config.py or NEWSARCHIVE_SEARCH_TIME_LIMIT; 0: none.
SEARCH_TIME_LIMIT = "SEARCH_TIME_LIMIT"
DEFAULT_SEARCH_TIME_LIMIT = 2.0


def data_dir_default() -> Path:
    """The Flask instance folder of the `web` package: the default data folder."""
    from flask import Flask

    return Path(Flask("web", instance_relative_config=True).instance_path)


def store_path(data_dir: Path) -> Path:
    return Path(data_dir) / STORE_NAME


def index_root(data_dir: Path) -> Path:
    return Path(data_dir) / INDEX_NAME
