"""HTTP to the target, bounded in requests and seconds, every exchange kept as evidence."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

TRIM = 400  # characters of a body kept as evidence
SHOWN_HEADERS = ("Content-Type", "Location", "Authorization", "Cookie", "Set-Cookie", "Allow")


class BudgetExhausted(Exception):
    """The run's request or time bound is reached; nothing more is sent."""


@dataclass
class Budget:
    """At most ``requests`` requests until ``seconds`` have passed since the start."""

    requests: int
    seconds: float
    used: int = 0
    started: float = field(default_factory=time.monotonic)

    def spend(self) -> None:
        """Count one request, or raise :class:`BudgetExhausted` when a bound is reached."""
        if self.used >= self.requests:
            raise BudgetExhausted(f"request budget of {self.requests} spent")
        if time.monotonic() - self.started > self.seconds:
            raise BudgetExhausted(f"time budget of {self.seconds:g} s spent")
        self.used += 1


def _trim(text: str) -> str:
    return text if len(text) <= TRIM else f"{text[:TRIM]}... ({len(text)} characters)"


@dataclass
class Exchange:
    """One request and its response (or the error that replaced it), trimmed for a report."""

    request: str
    response: str

    def text(self) -> str:
        return f"{self.request}\n-> {self.response}"


def _headers(headers: Any, secret: str) -> list[str]:
    lines = []
    for name in SHOWN_HEADERS:
        value = headers.get(name)
        if value is not None:
            lines.append(f"{name}: {'(simulator credentials)' if value == secret else value}")
    return lines


def describe(prepared: requests.PreparedRequest, secret: str) -> str:
    """The request line, the headers that matter and the body, trimmed."""
    lines = [f"{prepared.method} {prepared.path_url}", *_headers(prepared.headers, secret)]
    body = prepared.body
    if body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        lines.append(_trim(text))
    return "\n".join(lines)


class Client:
    """Sends requests to one base URL; a cookie jar per browser session; no redirects followed."""

    def __init__(self, base: str, budget: Budget, authorization: str, timeout: float = 10.0):
        self.base = base
        self.budget = budget
        self.authorization = authorization
        self.timeout = timeout
        self.log: list[Exchange] = []
        self._api = requests.Session()

    def browser(self) -> requests.Session:
        """A new cookie jar, as a fresh browser has."""
        return requests.Session()

    def send(
        self,
        method: str,
        path: str,
        *,
        session: requests.Session | None = None,
        auth: bool = False,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send one request, record it in ``log``, and return the response (never follow it)."""
        self.budget.spend()
        sender = session or self._api
        all_headers = {"Authorization": self.authorization} if auth else {}
        all_headers.update(headers or {})
        request = requests.Request(method, self.base + path, headers=all_headers, **kwargs)
        prepared = sender.prepare_request(request)
        shown = describe(prepared, self.authorization)
        try:
            response = sender.send(prepared, allow_redirects=False, timeout=self.timeout)
        except requests.RequestException as exc:
            self.log.append(Exchange(shown, f"no answer: {type(exc).__name__}: {exc}"))
            raise
        lines = [f"{response.status_code} {response.reason}", *_headers(response.headers, "")]
        if response.content:
            lines.append(_trim(response.text))
        self.log.append(Exchange(shown, "\n".join(lines)))
        response.exchange = self.log[-1]  # type: ignore[attr-defined]
        return response


def path_of(username: str) -> str:
    """A username as a path segment, quoted as the course's simulator (requests) sends it."""
    return quote(username, safe="!$&'()*+,;=:@~")
