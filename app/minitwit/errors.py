"""One path for errors: JSON bodies on the API, HTML pages elsewhere, never a traceback.

An unavailable database (refused, dropped, too slow, locked) is an outage, not a bug: it
answers 503 with ``Retry-After``, one log line and a count by reason, from here only.
"""

from __future__ import annotations

import sqlite3

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from peewee import InterfaceError, OperationalError, PeeweeException
from playhouse.pool import MaxConnectionsExceeded
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from . import commands
from .db import connection_broken, database, discard_connection

ERROR_PAGES = frozenset({400, 401, 403, 404})
"""Codes with a friendly HTML page; others keep werkzeug's plain one. The API keeps its JSON."""
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "The database is unavailable right now; please try again in a few seconds."
UNAVAILABLE_REASONS = (
    "unreachable",  # no connection could be opened (refused, connect timeout, too many clients)
    "connection_lost",  # an open connection died (server stopped or restarted, network)
    "timeout",  # a statement ran past statement_timeout or waited past lock_timeout
    "locked",  # SQLite: the write lock stayed taken past busy_timeout
    "overloaded",  # PostgreSQL: out of resources, or a transaction aborted by a conflict
    "pool_exhausted",  # every pooled connection stayed in use past the wait
)
# SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_TIMEOUT_CODES = frozenset({"57014", "55P03"})  # query_canceled, lock_not_available
_LOST_CODES = frozenset({"57P01", "57P02", "57P03"})  # admin/crash shutdown, cannot connect now
_LOST_CLASS, _RESOURCES_CLASS, _ROLLBACK_CLASS = "08", "53", "40"


def json_error(status: int, message: str) -> Response:
    """The simulator API's error shape: ``{"status": n, "error_msg": text}``."""
    response = jsonify({"status": status, "error_msg": message})
    response.status_code = status
    return response


def is_api_registration() -> bool:
    """A POST to /register that is not a browser form is the simulator's JSON registration."""
    return (
        request.method == "POST"
        and request.path == "/register"
        and request.mimetype not in FORM_TYPES
    )


def api_prefixes() -> set[str]:
    """The simulator's first path segments (``/register`` is shared with the web form).

    Read from the command table on every call (errors only), so a command added to the
    table is an API path at once (tests/observability/test_commands.py adds one).
    """
    prefixes = {"/" + command.route.split("/")[1] for command in commands.COMMANDS}
    return prefixes - {"/register"} | {"/openapi.json"}


def wants_json() -> bool:
    """The one JSON-or-HTML decision: does the current request expect JSON errors?"""
    path = request.path
    first = path if path.count("/") < 2 else path[: path.index("/", 1)]
    return first in api_prefixes() or request.is_json or is_api_registration()


def driver_error(exc: BaseException) -> BaseException:
    """The driver's own exception behind a peewee one (peewee keeps it as ``orig``)."""
    original = getattr(exc, "orig", None)
    return original if isinstance(original, BaseException) else exc


def unavailable_reason(exc: BaseException) -> str | None:
    """Why the database could not serve (one of UNAVAILABLE_REASONS), or None for a bug."""
    if isinstance(exc, MaxConnectionsExceeded):
        return "pool_exhausted"
    if not isinstance(exc, OperationalError | InterfaceError | sqlite3.OperationalError):
        return "connection_lost" if connection_broken() else None
    driver = driver_error(exc)
    code = str(getattr(driver, "pgcode", None) or "")
    text = str(driver).lower()
    if code in _TIMEOUT_CODES:
        return "timeout"
    if "database is locked" in text or "database table is locked" in text:
        return "locked"
    if database.obj is not None and database.is_closed():
        return "unreachable"  # the failure was opening the connection
    return _open_connection_reason(code)


def _open_connection_reason(code: str) -> str | None:
    """Why a driver error on an open connection is an outage (by SQLSTATE), or None for a bug."""
    if code in _LOST_CODES or code.startswith(_LOST_CLASS) or connection_broken():
        return "connection_lost"
    if code.startswith((_RESOURCES_CLASS, _ROLLBACK_CLASS)):
        return "overloaded"
    return None  # e.g. SQLite's "no such table": a bug or a missed migration, not an outage


def unavailable(reason: str, exc: BaseException) -> Response:
    """The 503 for an unavailable database, logged once and counted by reason."""
    discard_connection()
    detail = str(driver_error(exc)).strip().splitlines()
    current_app.logger.warning(
        "database unavailable",
        extra={
            "reason": reason,
            "error": detail[0][:200] if detail else type(exc).__name__,
            "method": request.method,
            "path": request.path,
        },
    )
    if current_app.config["TELEMETRY_ENABLED"]:
        from .telemetry.metrics import DATABASE_UNAVAILABLE

        DATABASE_UNAVAILABLE.labels(reason).inc()
    if wants_json():
        response = json_error(503, UNAVAILABLE)
    else:
        g.setdefault("user", None)  # the user could not be loaded: the page shows none
        page = render_template("error.html", error=ServiceUnavailable(UNAVAILABLE))
        response = Response(page, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | HTTPException:
        if wants_json():
            response = json_error(exc.code or 500, exc.description or exc.name)
            if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
                response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
            return response
        if exc.code in ERROR_PAGES:
            g.setdefault("user", None)  # the error may have come before the user was loaded
            page = render_template("error.html", error=exc)
            return Response(page, status=exc.code, mimetype="text/html")
        return exc

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response | HTTPException:
        if isinstance(exc, PeeweeException | sqlite3.Error | MaxConnectionsExceeded):
            reason = unavailable_reason(exc)
            if reason is not None:
                return unavailable(reason, exc)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _http_error(InternalServerError())
