"""What a request did, said where it happens; telemetry (or a test) listens.

Views send these blinker signals (Flask's own signalling library) on their success paths,
with the application as sender. Nothing here counts or logs: with no listener connected
(telemetry switched off) a send costs a dictionary lookup.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace, Signal
from flask import current_app

_signals = Namespace()

simulator_command = _signals.signal("simulator-command")
"""The request is this simulator command (``name``), sent before anything can fail."""
latest_stored = _signals.signal("latest-stored")
"""The simulator's ``latest`` value was stored (``value``)."""
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
