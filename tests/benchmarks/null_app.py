"""The floor for benchmarks: a WSGI app that does nothing but answer.

``/latest`` and ``/readyz`` answer JSON; everything else answers 204 (what the
simulator expects from a successful action). Served by gunicorn like MiniTwit,
it shows what the server and the client cost on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """Drain the body, then answer without doing any work."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    if environ["PATH_INFO"] in {"/latest", "/readyz"}:
        body = b'{"latest": -1}'
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]
    start_response("204 No Content", [])
    return []
