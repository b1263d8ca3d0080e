"""The course simulator's requests and its error accounting, one action at a time."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from urllib.parse import quote

from gevent.timeout import Timeout as GeventTimeout

from devtools.simulator import PASSWORD, USERNAME
from minitwit import commands

from .scenario import FOLLOW, REGISTER, TWEET, UNFOLLOW, Action

DEFAULT_USERNAME, DEFAULT_PASSWORD = USERNAME, PASSWORD  # the course's public defaults
DEFAULT_TIMEOUT = commands.TIMEOUT  # the app's table of simulator commands

TIMEOUT = "timeout"
CONNECTION_ERROR = "connection error"
LOST = "lost"  # sent by a worker that disappeared before it reported the outcome
EXPECTED_STATUS = {
    name: tuple(sorted(commands.BY_NAME[name].expected))
    for name in (REGISTER, TWEET, FOLLOW, UNFOLLOW)
}
# requests (which the course simulator uses) leaves these unescaped in a path
_PATH_SAFE = "!$&'()*+,;=:@~"


class SimulatorError(Exception):
    """A simulator error; its repr is the category, which is how Locust names the failure."""

    def __repr__(self) -> str:
        return str(self.args[0])


def unexpected(status: int) -> str:
    """The category of an unexpected HTTP status."""
    return f"unexpected status {status}"


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request as the simulator sends it."""

    method: str
    path: str
    body: bytes
    headers: dict[str, str]


def build_request(action: Action, authorization: str, close: bool = True) -> Request:
    """The simulator's request for ``action``: JSON body, Basic auth, ``latest`` = action id."""
    user = quote(action.username, safe=_PATH_SAFE)
    if action.command == REGISTER:
        email, password = action.args
        path = "/register"
        payload: dict[str, str] = {"username": action.username, "email": email, "pwd": password}
    elif action.command == TWEET:
        path, payload = f"/msgs/{user}", {"content": action.args[0]}
    elif action.command in (FOLLOW, UNFOLLOW):
        path, payload = f"/fllws/{user}", {action.command: action.args[0]}
    else:
        raise ValueError(f"unknown command {action.command!r}")
    headers = {"Content-Type": "application/json", "Authorization": authorization}
    if close:
        headers["Connection"] = "close"
    body = json.dumps(payload).encode("utf-8")
    return Request("POST", f"{path}?latest={action.id}", body, headers)


def classify(command: str, status: int, error: BaseException | None) -> str | None:
    """The simulator's error category for an outcome, or None when it is not an error."""
    if error is not None and status:
        error = None  # an answer came: geventhttpclient's "bad status" error is just the status
    if error is not None:
        # geventhttpclient wraps the socket's exception (RetriesExceeded(original=...))
        while getattr(error, "original", None) is not None:
            error = error.original  # type: ignore[union-attr,attr-defined]
        if isinstance(error, GeventTimeout | socket.timeout | TimeoutError):
            return TIMEOUT
        return CONNECTION_ERROR
    if status not in EXPECTED_STATUS[command]:
        return unexpected(status)
    return None
