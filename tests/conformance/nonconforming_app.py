"""A deliberately non-conforming MiniTwit simulator API, written only for the tests.

Plain WSGI, no Flask and nothing of MiniTwit's code, in memory (run it with one worker):
the stand-in for another team's implementation. It gets most of the API right and has
four faults, each of which a tool must name:

1. ``POST /register`` answers 200 with ``{"ok": true}`` instead of 204 with an empty body.
2. ``GET /msgs`` and ``GET /msgs/<username>`` list messages oldest first.
3. A body that is not JSON crashes the handler: a 500 with an HTML page.
4. ``latest`` is stored only after the credentials were accepted (a 403 loses it).

It has no web pages at all (every page is a 404).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, unquote

AUTH = "Basic " + base64.b64encode(b"simulator:super_safe!").decode()
FORBIDDEN = {"status": 403, "error_msg": "You are not authorized to use this resource!"}

Start = Callable[[str, list[tuple[str, str]]], Any]
STATE: dict[str, Any] = {"latest": -1, "users": {}, "messages": [], "follows": set()}


class Reply(Exception):
    """Stop handling and answer with this status and body."""

    def __init__(self, status: int, body: Any = None):
        super().__init__(status)
        self.status, self.body = status, body


def store_latest(query: dict[str, list[str]]) -> None:
    value = int(query.get("latest", ["-1"])[0])
    if value != -1:
        STATE["latest"] = value


def user(name: str) -> str:
    if name not in STATE["users"]:
        raise Reply(404, {"status": 404, "error_msg": f"unknown user {name}"})
    return name


def messages(author: str | None, limit: int) -> list[dict[str, Any]]:
    chosen = [m for m in STATE["messages"] if author is None or m["user"] == author]
    return chosen[:limit]  # fault 2: oldest first


def handle(method: str, path: str, query: dict[str, list[str]], body: bytes, auth: str) -> Any:
    if path == "/readyz":
        return {"status": "ok"}
    if path == "/latest":
        return {"latest": STATE["latest"]}
    if path == "/register" and method == "POST":
        store_latest(query)
        data = json.loads(body)  # fault 3: not JSON is a crash
        if data.get("username") in STATE["users"]:
            raise Reply(400, {"status": 400, "error_msg": "The username is already taken"})
        STATE["users"][data["username"]] = data
        return {"ok": True}  # fault 1: 200 and a body
    parts = path.strip("/").split("/")
    if parts[0] not in ("msgs", "fllws") or len(parts) > 2:
        raise Reply(404)
    if auth != AUTH:
        raise Reply(403, FORBIDDEN)  # fault 4: before latest is stored
    store_latest(query)
    limit = int(query.get("no", ["100"])[0])
    if parts == ["msgs"]:
        return messages(None, limit)
    name = user(unquote(parts[1]))
    if parts[0] == "msgs" and method == "GET":
        return messages(name, limit)
    if parts[0] == "msgs":
        text = json.loads(body)["content"]
        STATE["messages"].append({"content": text, "pub_date": int(time.time()), "user": name})
        raise Reply(204)
    if method == "GET":
        return {"follows": sorted(whom for who, whom in STATE["follows"] if who == name)[:limit]}
    data = json.loads(body)
    if "follow" in data:
        STATE["follows"].add((name, user(data["follow"])))
    else:
        STATE["follows"].discard((name, user(data["unfollow"])))
    raise Reply(204)


def app(environ: dict[str, Any], start_response: Start) -> Iterable[bytes]:
    """The WSGI entry point."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    try:
        status, payload = (
            200,
            handle(
                environ["REQUEST_METHOD"],
                environ.get("PATH_INFO", "/"),
                parse_qs(environ.get("QUERY_STRING", "")),
                body,
                environ.get("HTTP_AUTHORIZATION", ""),
            ),
        )
    except Reply as reply:
        status, payload = reply.status, reply.body
    except (ValueError, KeyError, TypeError, AttributeError):
        start_response("500 Internal Server Error", [("Content-Type", "text/html")])
        return [b"<h1>Internal Server Error</h1>"]
    reason = {200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden", 404: "Not Found"}
    if payload is None:
        start_response(f"{status} {reason[status]}", [])
        return [b""]
    start_response(f"{status} {reason[status]}", [("Content-Type", "application/json")])
    return [json.dumps(payload).encode()]
