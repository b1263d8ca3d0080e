"""Request hooks: request ids, metrics by route template, and one JSON log line per request."""

from __future__ import annotations

import functools
import logging
import os
import re
import time
from typing import Any

from flask import Flask, Request, Response, g, request

from . import metrics as m
from .simulator import code_class, command_of, error_reason

REQUEST_ID_HEADER = "X-Request-ID"
_MAX_LATEST = 2**63 - 1
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_WEB_ACTIONS = {
    "web.follow_user": m.FOLLOWS,
    "web.unfollow_user": m.UNFOLLOWS,
}
_API_ACTIONS = {
    "register": m.REGISTRATIONS,
    "tweet": m.MESSAGES,
    "follow": m.FOLLOWS,
    "unfollow": m.UNFOLLOWS,
}


def init_app(app: Flask, logger: logging.Logger) -> None:
    """Time every request from the first hook to the last and record what it was."""

    def start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request_id_of(request)

    def finish(response: Response) -> Response:
        record_request(request, response, logger)
        return response

    # First before-request hook, last after-request hook (Flask runs those in reverse).
    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request_funcs.setdefault(None, []).insert(0, finish)


def request_id_of(req: Request) -> str:
    """The client's X-Request-ID when it is a sane token, else a fresh one."""
    offered = req.headers.get(REQUEST_ID_HEADER, "")
    return offered if offered and _SAFE_ID.fullmatch(offered) else os.urandom(16).hex()


def record_request(req: Request, response: Response, logger: logging.Logger) -> None:
    """Count, time and log one answered request; echo its id in the response."""
    started = g.request_started if "request_started" in g else None
    seconds = time.perf_counter() - started if started is not None else 0.0
    request_id = g.get("request_id") or request_id_of(req)
    response.headers[REQUEST_ID_HEADER] = request_id
    route = req.url_rule.rule if req.url_rule is not None else m.UNMATCHED_ROUTE
    status = response.status_code
    method = req.method if req.method in _METHODS else "other"  # clients may send any token
    counter, histogram = _http_children(method, route, str(status))
    counter.inc()
    histogram.observe(seconds)

    fields = {
        "method": req.method,
        "route": route,
        "path": req.path,
        "status": status,
        "duration_ms": round(seconds * 1000, 3),
        "request_id": request_id,
    }
    command = command_of(req)
    if command is not None:
        fields["command"] = command
        record_simulator(req, response, command, seconds, fields)
    else:
        record_web_action(req, response)
    level = logging.ERROR if status >= 500 else logging.INFO
    if logger.isEnabledFor(level):  # makeRecord + handle: no caller lookup for this line
        record = logger.makeRecord(logger.name, level, "", 0, "request", (), None)
        record.fields = fields
        logger.handle(record)


@functools.lru_cache(maxsize=4096)  # label sets are bounded: methods x routes x statuses
def _http_children(method: str, route: str, status: str) -> tuple[Any, Any]:
    """The request counter and histogram children for one label set."""
    return (
        m.HTTP_REQUESTS.labels(method, route, status),
        m.HTTP_DURATION.labels(method, route, status),
    )


@functools.lru_cache(maxsize=256)  # commands x status classes
def _simulator_children(command: str, status_class: str) -> tuple[Any, Any]:
    """The simulator request counter and latency histogram children for one command."""
    return m.SIMULATOR_REQUESTS.labels(command, status_class), m.SIMULATOR_DURATION.labels(command)


def record_simulator(
    req: Request, response: Response, command: str, seconds: float, fields: dict[str, object]
) -> None:
    """Simulator view of a request: command counters, errors, business events, latest."""
    status = response.status_code
    counter, histogram = _simulator_children(command, code_class(status))
    counter.inc()
    histogram.observe(seconds)
    reason = error_reason(command, status, seconds)
    if reason is not None:
        m.SIMULATOR_ERRORS.labels(command, reason).inc()
    if status == 204 and command in _API_ACTIONS:
        _API_ACTIONS[command].labels("api").inc()
    latest = _latest_of(req, command)
    if latest is not None:
        fields["latest"] = latest
        m.LATEST.set(latest)


def _latest_of(req: Request, command: str) -> int | None:
    """The simulator's ``latest`` this request stored (GET /latest only reads it)."""
    raw = req.args.get("latest") if command != "latest" else None
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    # The API stores any value that parses and fits 64 bits (except -1), before anything else.
    return value if value != -1 and abs(value) <= _MAX_LATEST else None


def record_web_action(req: Request, response: Response) -> None:
    """Business events done through the HTML pages (they answer with a redirect)."""
    if response.status_code != 302:
        return
    endpoint = req.endpoint
    if endpoint in _WEB_ACTIONS:
        _WEB_ACTIONS[endpoint].labels("web").inc()
    elif endpoint == "web.register" and req.method == "POST":
        if (response.location or "").rstrip("/").endswith("/login"):
            m.REGISTRATIONS.labels("web").inc()
    elif endpoint == "web.add_message" and req.form.get("text"):
        m.MESSAGES.labels("web").inc()
