"""A loopback HTTP server that speaks Loki's push API (Loki itself cannot run here)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _PushHandler(BaseHTTPRequestHandler):
    server: _Receiver
    protocol_version = "HTTP/1.1"  # keep-alive, as Loki does

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        is_json = self.headers.get_content_type() == "application/json"
        if self.path != "/loki/api/v1/push" or not is_json:
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.server.pushes.append(json.loads(body))
        self.send_response(204)  # what Loki answers to a good push
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True
    pushes: list[dict[str, Any]]


@contextmanager
def loki_receiver() -> Iterator[_Receiver]:
    """Accept pushes on 127.0.0.1; ``.pushes`` holds every decoded payload."""
    server = _Receiver(("127.0.0.1", 0), _PushHandler)
    server.pushes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def silent_receiver() -> Iterator[str]:
    """A socket that accepts connections and never answers; yields its URL."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()
