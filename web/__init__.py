"""Web front end: faceted search, permalinked articles and browse pages (Flask)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from index.engine import MAX_PAGE_SIZE
from index.query import MAX_QUERY_LENGTH
from web.config import DEFAULT_SEARCH_TIME_LIMIT

DEFAULTS: dict[str, Any] = {
    "SITE_NAME": "Newspaper Archive",
    "MAX_QUERY_LENGTH": MAX_QUERY_LENGTH,  # characters; longer queries get a 400
    "MAX_PAGE_SIZE": MAX_PAGE_SIZE,  # results per page
    "MAX_PAGE": 1000,  # deeper pages cost more than they help: export instead
    "MAX_FILTER_VALUES": 50,
    "MAX_FACET_LIMIT": 1000,
    "EXPORT_LIMIT": 100_000,  # articles in one CSV / JSONL export
    "SEARCH_TIME_LIMIT": DEFAULT_SEARCH_TIME_LIMIT,  # seconds a search may take; 0: none
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The app: defaults, then instance/config.py, then NEWSARCHIVE_* environment
    variables, then test_config. DATA_DIR (store + index) defaults to the instance folder."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS, DATA_DIR=app.instance_path)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("NEWSARCHIVE")
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["DATA_DIR"] = os.fspath(app.config["DATA_DIR"])
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented order
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    from web import errors, formatting, urls
    from web.views import api, article, browse, reading, search

    app.url_map.converters.update(urls.CONVERTERS)
    app.jinja_env.filters.update(formatting.FILTERS)
    app.jinja_env.globals.update(urls=urls, site_name=app.config["SITE_NAME"])
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    for blueprint in (search.bp, browse.bp, api.bp, article.bp, reading.bp):
        app.register_blueprint(blueprint)
    errors.init_app(app)
    return app
