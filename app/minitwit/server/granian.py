"""Run MiniTwit under granian: a Rust HTTP server that reads request heads before Python.

Clients that send their headers slowly cost a Rust task each, not a Python thread, so
hundreds of them starve no one (docs/servers.md; a slowly sent body still holds a thread).
Two things gunicorn did through hooks are done here by hand: a replacement worker drops
the live gauges of workers that died (gunicorn's ``child_exit``), and a worker flushes its
log handlers when it stops (multiprocessing children leave through ``os._exit``, which
skips ``atexit``).
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path
from typing import Any

from granian import Granian
from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings

from . import GRACEFUL_TIMEOUT, announce, json_logconfig
from .bodies import BodyFirst

TARGET = "minitwit.wsgi:app"
HEADER_READ_TIMEOUT_MS = 10_000  # a client gets 10 s to send its request line and headers


def serve(host: str, port: int, workers: int, threads: int, slow_body_slots: int) -> int:
    """Serve under granian until a signal stops it; return the exit status."""
    server = Granian(
        TARGET,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads + slow_body_slots,  # the extra ones wait on slow bodies
        http=HTTPModes.http1,
        websockets=False,
        http1_settings=HTTP1Settings(header_read_timeout=HEADER_READ_TIMEOUT_MS),
        log_dictconfig=json_logconfig("_granian", "granian.access"),
        log_access=False,
        respawn_failed_workers=True,
        workers_kill_timeout=GRACEFUL_TIMEOUT,
    )
    shown = "granian" if threads == 1 else f"granian, {threads} threads"
    server.on_startup(lambda: announce(host, port, workers, shown))
    server.serve(spawn_target=_wsgi_worker, target_loader=partial(load_app, concurrency=threads))
    return 0


def _wsgi_worker(*args: Any, **kwargs: Any) -> None:
    """Run granian's WSGI worker, then flush and close the log handlers (Loki's included)."""
    try:
        Granian._spawn_wsgi_worker(*args, **kwargs)
    finally:
        logging.shutdown()


def load_app(_target: str, concurrency: int = 1) -> Any:
    """Load the app in a starting worker (after dropping the live gauges of dead workers),
    behind the middleware that reads bodies first and runs ``concurrency`` requests at once."""
    reap_dead_workers(os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""))
    from .. import MAX_BODY_BYTES
    from ..wsgi import app

    return BodyFirst(app, MAX_BODY_BYTES, concurrency)


def reap_dead_workers(folder: str) -> list[int]:
    """Call ``mark_process_dead`` for every process with live-gauge files that is gone."""
    if not folder:
        return []
    from prometheus_client import multiprocess

    pids = {int(path.stem.rsplit("_", 1)[1]) for path in Path(folder).glob("gauge_live*_*.db")}
    dead = sorted(pid for pid in pids if not _alive(pid))
    for pid in dead:
        multiprocess.mark_process_dead(pid, folder)  # type: ignore[no-untyped-call]
    return dead


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
