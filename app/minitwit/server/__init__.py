"""Run MiniTwit under an HTTP server: granian (the default, chosen by benchmark) or gunicorn.

Every server gets the same surroundings from here: an empty Prometheus multiprocess
folder before the workers start, its own log lines as JSON on stdout (no access log:
the app logs each request), one "MiniTwit is serving on URL" line, and a graceful
shutdown on SIGTERM or SIGINT bounded by ``GRACEFUL_TIMEOUT``. docs/servers.md has the
measurements behind the default.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from .. import config

SERVERS = ("granian", "gunicorn", "gthread")
DEFAULT_SERVER = "granian"
GRACEFUL_TIMEOUT = 10  # seconds in-flight requests get after SIGTERM before workers are killed
REQUEST_LINE_LIMIT = 8190  # request lines this long reach the app under every server


DEFAULT_THREADS = {"granian": 1, "gunicorn": 1, "gthread": 4}
"""Python threads per worker when ``--threads`` is not given."""
SLOW_BODY_SLOTS = 128
"""granian: requests per worker that may wait on a slowly sent body (server/bodies.py)."""


def run(
    server: str,
    host: str,
    port: int,
    workers: int,
    threads: int | None = None,
    slow_body_slots: int = SLOW_BODY_SLOTS,
) -> int:
    """Serve until a signal stops the server; return the exit status."""
    if server not in SERVERS:
        raise ValueError(f"server must be one of {', '.join(SERVERS)}, not {server!r}")
    threads = threads or DEFAULT_THREADS[server]
    if server == "gunicorn" and threads != 1:
        raise ValueError("gunicorn's sync workers run one thread each: use --server gthread")
    prepare_metrics_dir()
    if server == "granian":
        from .granian import serve as serve_granian

        return serve_granian(host, port, workers, threads, slow_body_slots)
    from .gunicorn import serve as serve_gunicorn

    return serve_gunicorn(host, port, workers, threads, "sync" if server == "gunicorn" else server)


def prepare_metrics_dir() -> str:
    """Give the workers an empty multiprocess metrics folder (stale files from a past run go)."""
    folder = Path(config.metrics_multiproc_dir(os.environ))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    # Before any worker imports prometheus_client: it picks its storage from this variable.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return str(folder)


def readable_logs() -> bool:
    """Whether the server's own lines are for a person (LOG_FORMAT, or auto at a terminal)."""
    chosen = config.log_format(os.environ.get("LOG_FORMAT", ""))
    return chosen == "text" or (chosen == "auto" and sys.stdout.isatty())


def json_logconfig(*loggers: str) -> dict[str, Any]:
    """A logging dictConfig sending ``loggers`` to stdout in the app's format (JSON or text)."""
    formatter = "TextFormatter" if readable_logs() else "JsonFormatter"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"minitwit.telemetry.logs.{formatter}"}},
        "handlers": {
            "console": {"class": "minitwit.telemetry.logs.StdoutHandler", "formatter": "json"}
        },
        "loggers": {
            name: {"level": "INFO", "handlers": ["console"], "propagate": False} for name in loggers
        },
    }


def announce(host: str, port: int, workers: int, server: str) -> None:
    """Print the one line that tells people (and tools) where MiniTwit listens."""
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"
    message = f"MiniTwit is serving on {url} ({workers} workers, {server})"
    if readable_logs():
        print(message, flush=True)
        return
    entry = {"ts": stamp, "level": "info", "logger": "minitwit.server", "msg": message}
    fields = {"url": url, "workers": workers, "server": server}
    print(json.dumps(entry | fields), flush=True)
