"""Serving the app on gunicorn (what `newsarchive serve` runs).

A master process binds the socket and forks worker processes; each worker answers up to
`threads` requests at once (gunicorn's gthread worker). Searching is CPU-bound Python under
the GIL, so more processes use more cores. The app and the code it runs (Flask, the
engine's modules) are loaded in the master before the fork (preload_app), so the workers
share those pages instead of each loading its own; each worker opens the index itself,
after the fork (no file, connection or searcher crosses it), and follows a rebuild's swap
on its next request.

Absolute URLs (feeds, citations, redirects) use the configured CANONICAL_URL; without one
they use the address the server listens on.

Ctrl+C (SIGINT) stops the workers at once and exits; SIGTERM lets requests in progress
finish first (at most 30 s; idle keep-alive connections are closed within 2 s)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from index.build import current_snapshot
from web import create_app
from web.config import CANONICAL_URL, index_root
from web.urls import site_root

MAX_DEFAULT_WORKERS = 4  # each worker holds its own copy of the open index (RSS)


def default_workers() -> int:
    """One worker per CPU this process may run on, at most MAX_DEFAULT_WORKERS."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_WORKERS))


def _say(message: str, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


class _Gunicorn(BaseApplication):
    """gunicorn's documented custom-application interface: settings from `options`, the
    app made once in the master (preload_app: load() runs before the fork)."""

    def __init__(self, app_config: dict[str, Any] | None, options: dict[str, Any]):
        self.app_config = app_config
        self.options = options
        self.app = None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # The Library (store, index) opens on the worker's first request and is closed at
        # the worker's exit (web.resources), after its request threads have finished.
        self.app = create_app(self.app_config)
        _import_engine(Path(self.app.config["DATA_DIR"]))
        return self.app


def _import_engine(data_dir: Path) -> None:
    """Import the serving snapshot's engine code now, in the master, so that the workers
    share it; it opens nothing. Any trouble is left for the workers to report."""
    try:
        from index.build import snapshot_meta
        from index.engines import engine_class

        snapshot = current_snapshot(index_root(data_dir))
        if snapshot is not None:
            engine_class(snapshot_meta(snapshot).get("engine", "whoosh"))
    except Exception:  # noqa: BLE001 - a worker's first request says what is wrong
        pass


def listening_address(host: str, port: int) -> str:
    """The canonical address of a server configured with none: where it listens, by the
    name `localhost` when it listens on every interface (no public name is known)."""
    if host in ("", "0.0.0.0", "::"):
        host = "localhost"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def run(data_dir: Path | None, host: str, port: int, threads: int, workers: int | None = None,
        say: Callable[..., None] = _say) -> None:
    """Serve until interrupted; `say` gets the URL once the socket is listening."""
    app_config: dict[str, Any] = {"DATA_DIR": str(data_dir)} if data_dir else {}
    # Only to read the configuration: this app is never served, and it opens nothing.
    config = create_app(app_config).config
    folder = Path(config["DATA_DIR"])
    canonical = config.get(CANONICAL_URL)
    try:
        site_root(config)
    except ValueError as error:
        say(f"Error: {error}", err=True)
        raise SystemExit(2) from None
    if current_snapshot(index_root(folder)) is None:
        say(f"Note: no search index in {folder} yet: run `newsarchive rebuild` (searches "
            "answer 503 until then).", err=True)
    shown = f"[{host}]" if ":" in host else host

    def when_ready(arbiter) -> None:  # in the master, once the socket listens
        bound = arbiter.LISTENERS[0].sock.getsockname()[1]  # the real port (for --port 0)
        if not canonical:  # the workers, forked after this, serve the app with it
            app_config[CANONICAL_URL] = listening_address(host, bound)
            if server.app is not None:  # made before the socket's port was known
                server.app.config[CANONICAL_URL] = app_config[CANONICAL_URL]
        say(f"Serving {folder} on http://{shown}:{bound}/ (Ctrl+C to stop)")

    options = {
        "bind": [f"{shown}:{port}"],
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": threads,
        "when_ready": when_ready,
        "loglevel": "warning",  # errors and worker trouble on stderr; no access log
        "accesslog": None,
        "errorlog": "-",
        "control_socket_disable": True,  # no gunicornc socket shared between servers
        "default_proc_name": "newsarchive",
        "preload_app": True,
    }
    server = _Gunicorn(app_config, options)
    server.run()  # exits (SystemExit) when stopped
