"""What a request did, said where it happens; telemetry (or a test) listens or reads.

Two kinds of saying, neither of which counts or logs:

- Events: blinker signals (Flask's own signalling library) that views send on their success
  paths, with the application as sender. With no listener connected (telemetry switched
  off) a send costs a dictionary lookup.
- Facts about the request itself, which every simulator request has: which command it is
  and the ``latest`` it stored. ``note`` writes them into the request's WSGI environ for
  whoever reads them when the request ends (telemetry's response hook). A note costs about
  1 us; a signal with a listener about 6 us on the request's path, three of them per tweet
  (docs/benchmarks.md, "Hot path").
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace, Signal
from flask import current_app, request

FACTS = "minitwit.facts"
"""WSGI environ key: the facts noted about this request, a dict (see ``note``)."""

_signals = Namespace()

user_registered = _signals.signal("user-registered")
"""A user (``username``) was registered through a ``surface``: ``api`` or ``web``."""
message_posted = _signals.signal("message-posted")
"""A message was recorded (``surface``)."""
user_followed = _signals.signal("user-followed")
"""A follow was accepted (``surface``)."""
user_unfollowed = _signals.signal("user-unfollowed")
"""An unfollow was accepted (``surface``)."""

login_succeeded = _signals.signal("login-succeeded")
"""A web login succeeded (``username``)."""
login_failed = _signals.signal("login-failed")
"""A web login was refused (``username`` as sent; ``reason``: unknown_user, wrong_password)."""
auth_throttled = _signals.signal("auth-throttled")
"""The throttle refused a web ``action`` (login, registration) before it was tried
(``username`` as sent; ``reason``: the limit, see minitwit.throttle)."""
logged_out = _signals.signal("logged-out")
"""A logged-in user logged out (``username``)."""


def record(signal: Signal, **data: Any) -> None:
    """Tell the current application's listeners that ``signal`` happened."""
    signal.send(current_app._get_current_object(), **data)  # type: ignore[attr-defined]


def note(**facts: Any) -> None:
    """Note facts about the current request: ``command``, the simulator command it is (a name
    in commands.COMMANDS); ``latest``, the simulator's value it stored."""
    environ = request.environ
    noted = environ.get(FACTS)
    if noted is None:
        environ[FACTS] = facts
    else:
        noted.update(facts)


def noted(environ: dict[str, Any]) -> dict[str, Any]:
    """The facts noted about the request of this WSGI environ (empty when none)."""
    facts: dict[str, Any] = environ.get(FACTS) or {}
    return facts
