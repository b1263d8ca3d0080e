"""Real MiniTwit behind a test-only WSGI middleware, served by gunicorn in the live tests.

``LOADTEST_RECORD=path``: every simulator request appends a line
``latest <TAB> path <TAB> start <TAB> end <TAB> status`` (CLOCK_MONOTONIC, shared by all
processes), so tests can check ordering and exactly-once delivery from the server's side.
``LOADTEST_FAIL_TWEETS=1``: ``POST /msgs/<user>`` answers 500 without reaching MiniTwit
(a fault injected by the test; everything else is the real app).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from minitwit.wsgi import app as minitwit_app

StartResponse = Callable[..., Any]
RECORD = os.environ.get("LOADTEST_RECORD", "")
FAIL_TWEETS = os.environ.get("LOADTEST_FAIL_TWEETS") == "1"


def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """Record the request and its timing, or inject a 500 for tweets."""
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
    latest = parse_qs(environ.get("QUERY_STRING", "")).get("latest", [""])[0]
    start = time.monotonic()
    status_seen: list[str] = []

    def recording_start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        status_seen.append(status.split(" ", 1)[0])
        return start_response(status, headers, *args)

    if FAIL_TWEETS and method == "POST" and path.startswith("/msgs/"):
        recording_start("500 Internal Server Error", [("Content-Type", "text/plain")])
        body: Iterable[bytes] = [b"injected failure"]
    else:
        body = list(minitwit_app(environ, recording_start))
    if RECORD and latest:
        line = f"{latest}\t{path}\t{start:.6f}\t{time.monotonic():.6f}\t{status_seen[0]}\n"
        with open(RECORD, "a", encoding="utf-8") as sink:
            sink.write(line)
    return body
