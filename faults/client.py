"""One HTTP request on a fresh loopback connection, as the simulator sends it (no keep-alive)."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

from loadtest.scenario import REGISTER
from loadtest.simulator import classify


def exchange(
    url: str,
    method: str,
    path: str,
    timeout: float,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes, str | None]:
    """(status, body, None) for an answer; (0, b"", simulator error category) for none."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), None
    except (OSError, http.client.HTTPException) as exc:
        return 0, b"", classify(REGISTER, 0, exc)
    finally:
        connection.close()


def post_json(
    url: str, path: str, payload: dict[str, Any], headers: dict[str, str], timeout: float
) -> tuple[int, Any]:
    """POST a JSON body; (status, decoded JSON body or None)."""
    status, body, _error = exchange(
        url,
        "POST",
        path,
        timeout,
        json.dumps(payload).encode(),
        {"Content-Type": "application/json", "Connection": "close", **headers},
    )
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, None
