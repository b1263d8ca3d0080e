"""The audit trail: one log line and one count per sign-in, failure, throttle, sign-up, sign-out.

The views say what happened through ``minitwit.events``; this module listens. A line carries
the event, the username (as sent, at most ``MAX_NAME`` printable characters), the client
address (after ``TRUST_PROXY``'s ProxyFix, if set), the reason, and the request id that
logs.RequestContext adds. It is written at once, not when the response closes: the trail of
an attack must not depend on the attacker reading the answer.
"""

from __future__ import annotations

import logging
from typing import Any

from blinker import Signal
from flask import Flask, request

from .. import events
from . import metrics as m

MAX_NAME = 64
"""Characters of a username kept in a line (registration allows no longer ones)."""


def init_app(app: Flask, logger: logging.Logger) -> None:
    """Connect a listener per auth signal; each writes a line under ``minitwit.audit``."""
    audit = logger.getChild("audit")
    counters = {event: m.AUTH.labels(event) for event in m.AUTH_EVENTS}
    listened: tuple[tuple[Signal, str | None], ...] = (
        (events.login_succeeded, "login_succeeded"),
        (events.login_failed, "login_failed"),
        (events.auth_throttled, None),  # login_throttled or registration_throttled
        (events.user_registered, "registered"),
        (events.logged_out, "logged_out"),
    )
    for signal, event in listened:
        signal.connect(_Audit(event, audit, counters), sender=app, weak=False)


def bounded(name: str) -> str:
    """A username fit for a log line: printable characters only, at most ``MAX_NAME``."""
    shown = "".join(ch if ch.isprintable() else "\ufffd" for ch in name[:MAX_NAME])
    return shown + ("..." if len(name) > MAX_NAME else "")


class _Audit:
    """A listener that writes one audit line and counts the event."""

    def __init__(self, event: str | None, logger: logging.Logger, counters: dict[str, Any]) -> None:
        self.event, self.logger, self.counters = event, logger, counters

    def __call__(self, _app: Flask, *, username: str = "", **details: Any) -> None:
        action = details.pop("action", None)
        event = self.event or f"{action}_throttled"
        if event not in self.counters:  # the label stays bounded whatever a caller sends
            event = "other"
            self.counters[event] = m.AUTH.labels(event)
        self.counters[event].inc()
        if self.logger.isEnabledFor(logging.INFO):
            fields = {"event": event, "username": bounded(username), "client": request.remote_addr}
            fields |= {key: value for key, value in details.items() if value is not None}
            self.logger.info("auth", extra=fields)
