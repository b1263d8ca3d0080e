"""Telemetry wrapped around the app: Prometheus metrics, JSON logs, optional Loki shipping.

``init_app`` is the only entry point. With ``TELEMETRY_ENABLED`` off, no hook is
installed and ``/metrics`` answers 404 (the route stays, so "metrics" stays reserved).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask
from peewee import Database

from .. import config
from .logs import configure, json_handler

_LOGGED_STARTUP: set[int] = set()
_LOKI: dict[str, Any] = {}  # one shipper per process, keyed by its settings


def init_app(app: Flask) -> None:
    """Register /metrics and, unless switched off, the request hooks, DB timer and logging."""
    from .endpoint import bp

    app.register_blueprint(bp)
    if not app.config["TELEMETRY_ENABLED"]:
        return

    from . import audit, hooks, metrics

    logger = configure(
        app.config["LOG_LEVEL"], _loki_handlers(app.config), app.config["LOG_FORMAT"]
    )
    metrics.initialise()
    hooks.init_app(app, logger)
    audit.init_app(app, logger)
    _time_queries()
    _log_startup(app, logger)


def _loki_handlers(settings: dict[str, Any]) -> list[logging.Handler]:
    """A Loki shipper for this process when LOKI_URL is set (reused across apps)."""
    url = settings["LOKI_URL"]
    if not url:
        return []
    from .loki import LokiShipper, quiet_push_errors

    labels = {"app": "minitwit", "env": str(settings["APP_ENV"])}
    key = f"{os.getpid()} {url} {sorted(labels.items())}"
    if key not in _LOKI:
        for old in _LOKI.values():
            old.close()
        _LOKI.clear()
        _LOKI[key] = LokiShipper(url, labels)
        quiet_push_errors(json_handler())
    return [_LOKI[key]]


def _time_queries() -> None:
    """Observe every statement's latency with peewee's query hooks."""
    from ..db import database
    from .hooks import observe_statement
    from .metrics import DB_DURATION, STATEMENTS, statement_kind

    target: Database | None = database.obj
    if target is None or any(getattr(h, "minitwit_timer", False) for h in target.query_hooks):
        return

    by_kind = {kind: DB_DURATION.labels(kind) for kind in (*STATEMENTS, "other")}

    def observe(event: Any) -> None:
        observe_statement(by_kind[statement_kind(event.sql)], event.duration)

    observe.minitwit_timer = True  # type: ignore[attr-defined]
    target.query_hooks.append(observe)


def _log_startup(app: Flask, logger: logging.Logger) -> None:
    """Log this process's configuration once, secrets redacted."""
    if os.getpid() in _LOGGED_STARTUP:
        return
    _LOGGED_STARTUP.add(os.getpid())
    keys = set(config.DEFAULTS) | {"DATABASE_URL", "SECRET_KEY"}
    shown = config.redacted({key: app.config.get(key) for key in sorted(keys)})
    logger.info("startup", extra={"config": shown})
