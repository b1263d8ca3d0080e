"""Request hooks: request ids, metrics by route template, and one JSON log line per request.

What a request was (a simulator command, a stored ``latest``, a registration...) is said
by the views through ``minitwit.events``; the hooks only listen, read, time and write. Metrics
and the log line are written once the WSGI server closes the response, after the client
has its answer: that work stays off the client's latency.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, request

from .. import events
from . import metrics as m
from .logs import REQUEST_ID_KEY
from .simulator import code_class, error_reason

REQUEST_ID_HEADER = "X-Request-ID"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_BUSINESS = {
    events.user_registered: m.REGISTRATIONS,
    events.message_posted: m.MESSAGES,
    events.user_followed: m.FOLLOWS,
    events.user_unfollowed: m.UNFOLLOWS,
}


@dataclass(slots=True)
class Observed:
    """What one request's views said it did, kept until the request is published."""

    started: float
    business: list[Any] = field(default_factory=list)  # counter children to increment
    statements: list[tuple[Any, float]] = field(default_factory=list)  # (histogram, seconds)


_current: ContextVar[Observed | None] = ContextVar("minitwit_observed", default=None)
"""The record of the request being served (None outside requests). A context variable, not
``g``: it is read once per statement and per event, and reading ``g`` through Flask's proxy
costs about 1 us each time (docs/benchmarks.md, "Hot path")."""


def init_app(app: Flask, logger: logging.Logger) -> None:
    """Time every request from the first hook to the last and listen to what the views say."""

    def start() -> None:
        _current.set(Observed(time.perf_counter()))
        environ = request.environ
        environ[REQUEST_ID_KEY] = request_id_of(environ)

    def finish(response: Response) -> Response:
        record_request(response, logger)
        return response

    def forget(_exc: BaseException | None) -> None:
        _current.set(None)

    app.before_request(start)
    app.after_request(finish)
    app.teardown_request(forget)
    for signal, counter in _BUSINESS.items():
        signal.connect(_counting(counter), sender=app, weak=False)


def observe_statement(histogram: Any, seconds: float) -> None:
    """Time a statement: kept on the request's record and observed once the answer is sent
    (observed at once outside a request, e.g. by a migration)."""
    observed = _current.get()
    if observed is None:
        histogram.observe(seconds)
    else:
        observed.statements.append((histogram, seconds))


def _counting(counter: Any) -> Callable[..., None]:
    """A listener that counts a business event by the surface it came through (a function,
    not a callable object: blinker asks each listener whether it is a coroutine, and asks a
    function quickest)."""

    def count(_app: Flask, *, surface: str, **_details: Any) -> None:
        if (observed := _current.get()) is not None:  # None outside a request
            observed.business.append(child(counter, surface))

    return count


def request_id_of(environ: dict[str, Any]) -> str:
    """The client's X-Request-ID when it is a sane token, else a fresh one."""
    offered = environ.get("HTTP_X_REQUEST_ID")
    return offered if offered and _SAFE_ID.fullmatch(offered) else os.urandom(16).hex()


def record_request(response: Response, logger: logging.Logger) -> None:
    """Echo the request id now; count, time and log the request once the answer is sent."""
    observed = _current.get() or Observed(time.perf_counter())
    seconds = time.perf_counter() - observed.started
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
    environ = req.environ
    request_id = environ.get(REQUEST_ID_KEY) or request_id_of(environ)
    response.headers[REQUEST_ID_HEADER] = request_id
    rule = req.url_rule
    fields: dict[str, Any] = {
        "method": req.method,
        "route": rule.rule if rule is not None else m.UNMATCHED_ROUTE,
        "path": req.path,
        "status": response.status_code,
        "duration_ms": round(seconds * 1000, 3),
        "request_id": request_id,
    }
    facts = events.noted(environ)
    if "command" in facts:
        fields["command"] = facts["command"]
        if "latest" in facts:
            fields["latest"] = facts["latest"]
    response.call_on_close(functools.partial(publish, fields, seconds, observed, logger))


def publish(
    fields: dict[str, Any], seconds: float, observed: Observed, logger: logging.Logger
) -> None:
    """Count and log one answered request (``fields`` as ``record_request`` gathered them)."""
    try:
        count_request(fields, seconds)
        if "command" in fields:
            count_simulator(fields["command"], fields.get("latest"), fields["status"], seconds)
        for counter in observed.business:
            counter.inc()
        for histogram, statement_seconds in observed.statements:
            histogram.observe(statement_seconds)
        level = logging.ERROR if fields["status"] >= 500 else logging.INFO
        if logger.isEnabledFor(level):  # a record without logging's caller lookup (findCaller)
            extra = {"fields": fields}
            logger.handle(
                logger.makeRecord(logger.name, level, "", 0, "request", (), None, extra=extra)
            )
    except Exception:  # the answer is out already; never let telemetry break the worker
        logger.exception("recording a request failed")


def count_request(fields: dict[str, Any], seconds: float) -> None:
    """The HTTP view of a request: counter and latency by method, route template and status."""
    method = fields["method"] if fields["method"] in _METHODS else "other"
    labels = (method, fields["route"], str(fields["status"]))
    child(m.HTTP_REQUESTS, *labels).inc()
    child(m.HTTP_DURATION, *labels).observe(seconds)


@functools.lru_cache(maxsize=8192)  # bounded: every label comes from a closed set
def child(metric: Any, *labels: str) -> Any:
    """``metric.labels(*labels)``, remembered: prometheus_client validates and locks on every
    ``labels()`` call (about 3 us, several times per request; bench_inprocess)."""
    return metric.labels(*labels)


def count_simulator(command: str, latest: int | None, status: int, seconds: float) -> None:
    """The simulator's view of a request: its command, its errors, the ``latest`` it stored."""
    child(m.SIMULATOR_REQUESTS, command, code_class(status)).inc()
    child(m.SIMULATOR_DURATION, command).observe(seconds)
    reason = error_reason(command, status, seconds)
    if reason is not None:
        child(m.SIMULATOR_ERRORS, command, reason).inc()
    if latest is not None:
        m.LATEST.set(latest)
