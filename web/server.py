"""Serving the app on waitress, a production WSGI server (what `newsarchive serve` runs)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from waitress.server import create_server

from index.build import current_snapshot
from web import create_app
from web.config import index_root
from web.resources import close_library


def _say(message: str, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


def run(data_dir: Path | None, host: str, port: int, threads: int,
        say: Callable[..., None] = _say) -> None:
    """Serve until interrupted; `say` gets the URL once the socket is listening."""
    app = create_app({"DATA_DIR": str(data_dir)} if data_dir else None)
    folder = Path(app.config["DATA_DIR"])
    if current_snapshot(index_root(folder)) is None:
        say(f"Note: no search index in {folder} yet: run `newsarchive rebuild` (searches "
            "answer 503 until then).", err=True)
    server = create_server(app, host=host, port=port, threads=threads, ident="newsarchive")
    shown = f"[{host}]" if ":" in host else host
    say(f"Serving {folder} on http://{shown}:{server.effective_port}/ (Ctrl+C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        close_library(app)
