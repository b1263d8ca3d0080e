"""Run the application under gunicorn (the production server)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from . import config

# gunicorn's own log lines (worker boot, exits) as JSON on stdout, like the app's.
LOGCONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "minitwit.telemetry.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "minitwit.telemetry.logs.StdoutHandler", "formatter": "json"},
        "error_console": {"class": "minitwit.telemetry.logs.StdoutHandler", "formatter": "json"},
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}


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
        from .wsgi import app

        return app


def prepare_metrics_dir() -> str:
    """Give the workers an empty multiprocess metrics folder (stale files from a past run go)."""
    folder = Path(config.metrics_multiproc_dir(os.environ))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    # Before any worker imports prometheus_client: it picks its storage from this variable.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return str(folder)


def child_exit(_server: Any, worker: Any) -> None:
    """Drop a dead worker's live gauges from the shared metric files."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def _log_line(message: str, **fields: Any) -> str:
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"
    entry = {"ts": stamp, "level": "info", "logger": "minitwit.server", "msg": message}
    return json.dumps(entry | fields)


def run(host: str, port: int, workers: int) -> int:
    """Serve until a signal stops the server; return the exit status."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    prepare_metrics_dir()

    def when_ready(server: Any) -> None:
        for listener in server.LISTENERS:
            bound_host, bound_port = listener.sock.getsockname()[:2]
            shown = f"[{bound_host}]" if ":" in bound_host else bound_host
            url = f"http://{shown}:{bound_port}/"
            print(
                _log_line(
                    f"MiniTwit is serving on {url} ({workers} workers)", url=url, workers=workers
                ),
                flush=True,
            )

    options = {
        "bind": bind,
        "workers": workers,
        "worker_class": "sync",
        "graceful_timeout": 10,
        "timeout": 30,
        "limit_request_line": 8190,  # the most gunicorn allows; longer lines get its HTML 400
        "when_ready": when_ready,
        "child_exit": child_exit,
        "logconfig_dict": LOGCONFIG,
        "logger_class": _QuietAccessLogger,
        "proc_name": "minitwit",
        "control_socket_disable": True,
    }
    _Gunicorn(options).run()
    return 0
