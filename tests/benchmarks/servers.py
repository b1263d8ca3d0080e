"""Start the servers that benchmarks compare, each under gunicorn with the same settings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..support.live import LiveServer, live_minitwit, wait_until_ready
from ..support.postgres import free_port

SHARED_SCENARIO = Path(__file__).resolve().parents[3] / "shared" / "data" / "minitwit_scenario.csv"


@contextmanager
def gunicorn_app(
    target: str, workdir: Path, workers: int = 2, env: Mapping[str, str] | None = None
) -> Iterator[LiveServer]:
    """Serve ``module:app`` with gunicorn (sync workers) until the block ends."""
    port = free_port()
    log = workdir / f"{target.replace(':', '_')}.log"

    with log.open("w") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--no-control-socket",
                target,
            ],
            cwd=workdir,
            env={**os.environ, **(env or {})},
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until_ready(server.url, process)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def served(
    kind: str, workdir: Path, workers: int = 2, env: Mapping[str, str] | None = None
) -> Iterator[LiveServer]:
    """``minitwit`` (the real thing), ``reference`` (the original's way) or ``null`` (floor)."""
    folder = workdir / kind
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "minitwit":
        with live_minitwit(folder, {"SECRET_KEY": "bench", **(env or {})}, workers) as server:
            yield server
        return
    target = {
        "reference": "tests.benchmarks.reference_app:app",
        "null": "tests.benchmarks.null_app:app",
    }[kind]
    root = str(Path(__file__).resolve().parents[2])
    extra = {"PYTHONPATH": root, "REFERENCE_DB": str(folder / "reference.sqlite")}
    with gunicorn_app(target, folder, workers, {**extra, **(env or {})}) as server:
        yield server
