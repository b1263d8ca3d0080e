"""How the course's simulator sees a request: its command, and whether it counts as an error."""

from __future__ import annotations

from flask import Request

from ..errors import is_api_registration
from .metrics import SIMULATOR_TIMEOUT

# Endpoint -> simulator command; POST /register and POST /fllws are decided by their body.
_BY_ENDPOINT = {
    ("GET", "api.get_latest"): "latest",
    ("GET", "api.messages"): "msgs",
    ("GET", "api.user_messages"): "msgs_user",
    ("POST", "api.post_message"): "tweet",
    ("GET", "api.follows"): "fllws_user",
}
# What the simulator accepts per command; anything else it counts as an error.
_EXPECTED = {
    "register": frozenset({204, 400}),
    "tweet": frozenset({204}),
    "follow": frozenset({204}),
    "unfollow": frozenset({204}),
}


def command_of(request: Request) -> str | None:
    """The simulator command a request is, or None for web pages and other routes."""
    endpoint = request.endpoint
    if endpoint is None:
        return None
    if endpoint == "web.register":
        return "register" if is_api_registration() else None
    if endpoint == "api.change_follow" and request.method == "POST":
        body = request.get_json(force=True, silent=True)  # cached: the view parsed it already
        return "unfollow" if isinstance(body, dict) and "unfollow" in body else "follow"
    return _BY_ENDPOINT.get((request.method, endpoint))


def error_reason(command: str, status: int, seconds: float) -> str | None:
    """Why the simulator would count this answer as an error (timeout or status), or None."""
    if seconds > SIMULATOR_TIMEOUT:
        return "timeout"
    expected = _EXPECTED.get(command, frozenset({200}))
    return None if status in expected else "status"


def code_class(status: int) -> str:
    """``2xx``, ``3xx``, ``4xx`` or ``5xx``."""
    return f"{status // 100}xx"
