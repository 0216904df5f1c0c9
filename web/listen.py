"""Whether `newsarchive serve` can listen where it is told, said before it tries."""

from __future__ import annotations

import errno
import socket


def cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, in one line with what to do (None:
    it can). Asked before gunicorn starts, which would retry for seconds and print raw
    errors."""
    if port == 0:
        return None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                why = (f"port {port} is already in use on {host} (is another server "
                       "running?): stop it, or choose another port with --port (--port 0 "
                       "picks a free one)")
            elif error.errno == errno.EACCES:
                why = (f"this user may not listen on port {port} (ports below 1024 need "
                       "more rights): choose another with --port, e.g. --port 8080")
            else:
                why = f"cannot listen on {host} port {port}: {error.strerror or error}"
            return why[0].upper() + why[1:]
    return None
