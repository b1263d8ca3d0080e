"""Request hooks: request ids, metrics by route template, and one JSON log line per request.

The hooks only gather; metrics and the line are written once the response is closed.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import time
from typing import Any

from flask import Flask, Request, Response, has_request_context, request

from ..api import STORED_LATEST
from . import metrics as m
from .logs import REQUEST_ID_KEY
from .simulator import code_class, command_of, error_reason

REQUEST_ID_HEADER = "X-Request-ID"
STARTED = "minitwit.started"  # WSGI environ key: when the first hook ran
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
        environ = request.environ
        environ[STARTED] = time.perf_counter()
        environ[REQUEST_ID_KEY] = request_id_of(environ)

    def finish(response: Response) -> Response:
        record_request(request._get_current_object(), response, logger)  # type: ignore[attr-defined]
        return response

    # First before-request hook, last after-request hook (Flask runs those in reverse).
    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request_funcs.setdefault(None, []).insert(0, finish)


def request_id_of(environ: dict[str, Any]) -> str:
    """The client's X-Request-ID when it is a sane token, else a fresh one."""
    offered = environ.get("HTTP_X_REQUEST_ID")
    return offered if offered and _SAFE_ID.fullmatch(offered) else os.urandom(16).hex()


def record_request(req: Request, response: Response, logger: logging.Logger) -> None:
    """Echo the request id now; count, time and log the request once the answer is sent.

    What the request was is read here, while the request is current. Writing the metrics
    and the log line waits for the WSGI server to close the response, which it does after
    the client has its answer: that work stays off the client's latency.
    """
    environ = req.environ
    started = environ.get(STARTED)
    seconds = time.perf_counter() - started if started is not None else 0.0
    request_id = environ.get(REQUEST_ID_KEY) or request_id_of(environ)
    response.headers[REQUEST_ID_HEADER] = request_id
    rule = req.url_rule
    route = rule.rule if rule is not None else m.UNMATCHED_ROUTE
    status = response.status_code
    fields: dict[str, object] = {
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
        if STORED_LATEST in environ:
            fields["latest"] = environ[STORED_LATEST]
        business = None
    else:
        business = web_action(req, response)
    response.call_on_close(functools.partial(publish, fields, seconds, business, logger))


_PENDING: list[tuple[Any, float]] = []
_MAX_PENDING = 256


def observe_later(histogram: Any, seconds: float) -> None:
    """Observe a duration when the current request is published (at once outside requests)."""
    if has_request_context() and len(_PENDING) < _MAX_PENDING:
        _PENDING.append((histogram, seconds))
    else:
        histogram.observe(seconds)


def flush_queries() -> None:
    """Observe the durations held back while requests were served."""
    while _PENDING:
        histogram, seconds = _PENDING.pop()
        histogram.observe(seconds)


def publish(fields: dict[str, Any], seconds: float, business: Any, logger: logging.Logger) -> None:
    """Count and log one answered request (``fields`` as ``record_request`` gathered them)."""
    try:
        method = fields["method"] if fields["method"] in _METHODS else "other"
        counter, histogram = _http_children(method, fields["route"], fields["status"])
        counter.inc()
        histogram.observe(seconds)
        if "command" in fields:
            record_simulator(fields, seconds)
        elif business is not None:
            business.inc()
        flush_queries()
        level = logging.ERROR if fields["status"] >= 500 else logging.INFO
        if logger.isEnabledFor(level):  # makeRecord + handle: no caller lookup for this line
            record = logger.makeRecord(logger.name, level, "", 0, "request", (), None)
            record.fields = fields
            logger.handle(record)
    except Exception:  # the answer is out already; never let telemetry break the worker
        logger.exception("recording a request failed")


@functools.lru_cache(maxsize=4096)  # label sets are bounded: methods x routes x statuses
def _http_children(method: str, route: str, status: int) -> tuple[Any, Any]:
    """The request counter and histogram children for one label set."""
    return (
        m.HTTP_REQUESTS.labels(method, route, str(status)),
        m.HTTP_DURATION.labels(method, route, str(status)),
    )


@functools.lru_cache(maxsize=256)  # commands x statuses
def _simulator_children(command: str, status: int) -> tuple[Any, Any, Any]:
    """The simulator counter and histogram children for one command and status, and the
    business counter a successful action of this command increments (or None)."""
    action = _API_ACTIONS.get(command) if status == 204 else None
    return (
        m.SIMULATOR_REQUESTS.labels(command, code_class(status)),
        m.SIMULATOR_DURATION.labels(command),
        action.labels("api") if action is not None else None,
    )


def record_simulator(fields: dict[str, Any], seconds: float) -> None:
    """Simulator view of a request: command counters, errors, business events, latest."""
    command, status = fields["command"], fields["status"]
    counter, histogram, action = _simulator_children(command, status)
    counter.inc()
    histogram.observe(seconds)
    reason = error_reason(command, status, seconds)
    if reason is not None:
        m.SIMULATOR_ERRORS.labels(command, reason).inc()
    if action is not None:
        action.inc()
    if "latest" in fields:
        m.LATEST.set(fields["latest"])


def web_action(req: Request, response: Response) -> Any:
    """The business counter an HTML page's action increments (they answer with a redirect)."""
    if response.status_code != 302:
        return None
    endpoint = req.endpoint
    if endpoint in _WEB_ACTIONS:
        return _WEB_ACTIONS[endpoint].labels("web")
    if endpoint == "web.register" and req.method == "POST":
        if (response.location or "").rstrip("/").endswith("/login"):
            return m.REGISTRATIONS.labels("web")
    elif endpoint == "web.add_message" and req.form.get("text"):
        return m.MESSAGES.labels("web")
    return None
