"""Read a request's body before the app runs, and let a few requests run at once per worker.

granian reads request heads in Rust, but hands a request to a Python thread as soon as its
head is in; a client that then trickles its body holds that thread, and granian has no body
read timeout. So a granian worker gets many threads (cheap while they wait on a socket) and
this middleware: each thread first reads the whole body (at most the app's limit), then waits
its turn for one of ``concurrency`` slots to run the app. Stalled bodies cost a waiting
thread each; the app's work runs as if the worker had ``concurrency`` threads, which keeps
SQLite writes and the GIL from being contended (docs/servers.md has the figures).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class BodyFirst:
    """WSGI middleware: buffer the body (up to ``limit`` bytes), then run the app in a slot."""

    def __init__(self, app: WSGIApp, limit: int, concurrency: int) -> None:
        self.app = app
        self.limit = limit
        self.slots = threading.BoundedSemaphore(concurrency)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        self._buffer(environ)
        with self.slots:
            return self.app(environ, start_response)

    def _buffer(self, environ: dict[str, Any]) -> None:
        """Replace ``wsgi.input`` by the body read in full; over the limit, leave it to the app."""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return  # the app answers a malformed length itself
        if length > self.limit or (not length and not chunked):
            return  # no body, or one the app refuses (413) without reading it
        body = environ["wsgi.input"].read(length if length else self.limit + 1)
        environ["wsgi.input"] = io.BytesIO(body)
        if chunked:
            environ["CONTENT_LENGTH"] = str(len(body))
