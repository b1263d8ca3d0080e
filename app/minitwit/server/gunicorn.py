"""Run MiniTwit under gunicorn: sync workers (one request at a time) or gthread workers."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from . import GRACEFUL_TIMEOUT, REQUEST_LINE_LIMIT, announce, json_logconfig


class _QuietAccessLogger(Logger):
    """gunicorn's logger minus access lines: the app already logs every request as JSON."""

    def access(self, *_args: Any, **_kwargs: Any) -> None:
        return None


class _Gunicorn(BaseApplication):
    """A gunicorn application configured in code, loading ``minitwit.wsgi:app`` per worker."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from ..wsgi import app

        return app


def child_exit(_server: Any, worker: Any) -> None:
    """Drop a dead worker's live gauges from the shared metric files."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def serve(host: str, port: int, workers: int, threads: int, worker_class: str) -> int:
    """Serve under gunicorn (``sync`` or ``gthread`` workers) until a signal stops it."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    server = "gunicorn" if worker_class == "sync" else f"gunicorn gthread, {threads} threads"

    def when_ready(arbiter: Any) -> None:
        for listener in arbiter.LISTENERS:
            bound_host, bound_port = listener.sock.getsockname()[:2]
            announce(bound_host, bound_port, workers, server)

    options = {
        "bind": bind,
        "workers": workers,
        "worker_class": worker_class,
        "threads": threads,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "timeout": 30,
        "limit_request_line": REQUEST_LINE_LIMIT,  # gunicorn's maximum; longer: its HTML 400
        "when_ready": when_ready,
        "child_exit": child_exit,
        "logconfig_dict": json_logconfig("gunicorn.error", "gunicorn.access"),
        "logger_class": _QuietAccessLogger,
        "proc_name": "minitwit",
        "control_socket_disable": True,
    }
    _Gunicorn(options).run()
    return 0
