"""One clause of the contract as one named check, and the probe a check judges the target with.

A check sends requests through the probe and states what it expects; the first expectation
that does not hold ends the check with a message that says what was wanted and what came, and
the exchange that decided it becomes the evidence.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

import requests

from .client import Client, Exchange, path_of

GROUPS = ("data", "web", "api", "bad-input")


class Mismatch(Exception):
    """The target does not honour the clause; the message says how."""

    def __init__(self, message: str, exchange: Exchange | None = None):
        super().__init__(message)
        self.exchange = exchange


class NotJudged(Exception):
    """This run cannot judge the clause (e.g. the target already had data)."""


@dataclass(frozen=True)
class Clause:
    """A contract clause: an id such as ``api.register.ok``, its group and words, and its check."""

    id: str
    group: str
    text: str
    check: Callable[[Probe], None]


CLAUSES: list[Clause] = []


def clause(id: str, text: str) -> Callable[[Callable[[Probe], None]], Callable[[Probe], None]]:
    """Register a check for ``text``; the group is the id's first part."""
    group = id.split(".", 1)[0]
    if group not in GROUPS:
        raise ValueError(f"{id}: group {group!r} is not one of {GROUPS}")

    def register(check: Callable[[Probe], None]) -> Callable[[Probe], None]:
        CLAUSES.append(Clause(id, group, " ".join(text.split()), check))
        return check

    return register


def exchange_of(response: requests.Response | None) -> Exchange | None:
    return getattr(response, "exchange", None)


@dataclass
class Probe:
    """What a check works with: the client, unique names, and whether the target was fresh."""

    client: Client
    fresh: bool
    tag: str = field(default_factory=lambda: secrets.token_hex(3))
    counter: int = 0

    # names and latest values

    def name(self, base: str) -> str:
        """A username this run alone uses (``base-<run tag>-<n>``)."""
        self.counter += 1
        return f"{base}-{self.tag}-{self.counter}"

    def latest_value(self) -> int:
        """A ``latest`` value no other run is likely to send."""
        self.counter += 1
        return 1_000_000 + secrets.randbelow(900_000_000) * 10 + self.counter % 10

    # judging

    def fail(self, message: str, response: requests.Response | None = None) -> NoReturn:
        raise Mismatch(message, exchange_of(response))

    def expect(self, ok: object, message: str, response: requests.Response | None = None) -> None:
        if not ok:
            self.fail(message, response)

    def status(self, response: requests.Response, *wanted: int, what: str = "") -> None:
        """The status is one of ``wanted``."""
        if response.status_code not in wanted:
            want = " or ".join(map(str, wanted))
            label = what or f"{response.request.method} {response.request.path_url}"
            self.fail(f"{label}: expected {want}, got {response.status_code}", response)

    def json(self, response: requests.Response) -> Any:
        """The decoded JSON body, or a mismatch that quotes the body."""
        try:
            return response.json()
        except (ValueError, json.JSONDecodeError):
            shown = response.text[:80] or "an empty body"
            self.fail(f"expected a JSON body, got {shown!r}", response)

    def error_shape(
        self, response: requests.Response, status: int | None = None, what: str = ""
    ) -> str:
        """A 4xx with ``{"status": <the status>, "error_msg": <non-empty text>}``; the text."""
        if status is None:
            self.expect(
                400 <= response.status_code < 500,
                f"{what or 'bad input'}: expected a 4xx with the JSON error shape, "
                f"got {response.status_code}",
                response,
            )
        else:
            self.status(response, status)
        body = self.json(response)
        self.expect(
            isinstance(body, dict) and set(body) == {"status", "error_msg"},
            f'expected {{"status", "error_msg"}}, got {str(body)[:120]}',
            response,
        )
        self.expect(
            body["status"] == response.status_code,
            f"error body says status {body['status']!r}, the response is {response.status_code}",
            response,
        )
        self.expect(
            isinstance(body["error_msg"], str) and body["error_msg"].strip(),
            "error_msg is empty",
            response,
        )
        return str(body["error_msg"])

    # the simulator API

    def get(self, path: str, auth: bool = True, **params: Any) -> requests.Response:
        return self.client.send("GET", path, auth=auth, params=params or None)

    def post_json(
        self, path: str, body: Any, auth: bool = True, **params: Any
    ) -> requests.Response:
        return self.client.send("POST", path, auth=auth, json=body, params=params or None)

    def post_raw(self, path: str, data: bytes, **params: Any) -> requests.Response:
        headers = {"Content-Type": "application/json"}
        return self.client.send(
            "POST", path, auth=True, data=data, headers=headers, params=params or None
        )

    def latest(self) -> int:
        response = self.get("/latest", auth=False)
        self.status(response, 200)
        body = self.json(response)
        self.expect(
            isinstance(body, dict) and isinstance(body.get("latest"), int),
            f'GET /latest: expected {{"latest": <int>}}, got {str(body)[:80]}',
            response,
        )
        return int(body["latest"])

    def register(self, username: str, **params: Any) -> requests.Response:
        body = {"username": username, "email": f"{username}@example.org", "pwd": "conform-pw"}
        return self.post_json("/register", body, auth=False, **params)

    def api_user(self, base: str = "user") -> str:
        """Register a new user through the API (setup: any 2xx; api.register.ok judges the 204)."""
        username = self.name(base)
        response = self.register(username)
        self.expect(
            200 <= response.status_code < 300,
            f"setup: registering {username} through the API gave {response.status_code}",
            response,
        )
        return username

    def tweet(self, username: str, content: str, **params: Any) -> requests.Response:
        return self.post_json(f"/msgs/{path_of(username)}", {"content": content}, **params)

    def contents(self, path: str, **params: Any) -> list[str]:
        """The ``content`` of every message a ``GET /msgs...`` lists."""
        response = self.get(path, **params)
        self.status(response, 200)
        body = self.json(response)
        self.expect(
            isinstance(body, list) and all(isinstance(m, dict) for m in body),
            f"{path}: expected a JSON list of messages, got {str(body)[:80]}",
            response,
        )
        return [str(message.get("content")) for message in body]

    def follows(self, username: str, **params: Any) -> list[str]:
        response = self.get(f"/fllws/{path_of(username)}", **params)
        self.status(response, 200)
        body = self.json(response)
        self.expect(
            isinstance(body, dict) and isinstance(body.get("follows"), list),
            f'expected {{"follows": [...]}}, got {str(body)[:80]}',
            response,
        )
        return [str(name) for name in body["follows"]]
