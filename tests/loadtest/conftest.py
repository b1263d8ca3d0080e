"""Fixtures for the load-test tests: a live MiniTwit (optionally wrapped) and a Locust runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devtools.live import LiveServer, gunicorn_app

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = ROOT / "loadtest" / "locustfile.py"


@contextmanager
def wrapped_minitwit(workdir: Path, workers: int = 2, **env: str) -> Iterator[LiveServer]:
    """Migrate a fresh SQLite database, then serve tests.loadtest.wrapped_app with gunicorn."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": "loadtest",
        "MINITWIT_INSTANCE_PATH": str(workdir / "instance"),
        "DATABASE_URL": f"sqlite:///{workdir / 'minitwit.sqlite'}",
        **env,
    }
    subprocess.run(
        [sys.executable, "-m", "minitwit", "migrate"],
        env=environment,
        check=True,
        capture_output=True,
        timeout=60,
    )
    with gunicorn_app(
        "tests.loadtest.wrapped_app:app", workdir, workers, environment, cwd=ROOT
    ) as server:
        yield server


@dataclass
class LocustRun:
    """A finished Locust run: exit code, output and the replay's summary.json."""

    returncode: int
    output: str
    report_dir: Path

    @property
    def summary(self) -> dict[str, Any]:
        return json.loads((self.report_dir / "summary.json").read_text())


def run_locust(host: str, report_dir: Path, *args: str, timeout: float = 180) -> LocustRun:
    """Run the locustfile headless against ``host`` (its own report dir) and wait for it."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "--spawn-rate",
        "100",
        "--only-summary",
        "--report-dir",
        str(report_dir),
        "--run-time",
        f"{int(timeout) - 20}s",
        *args,
    ]
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return LocustRun(done.returncode, done.stdout + done.stderr, report_dir)


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """A short generated scenario (300 actions by 12 users)."""
    from loadtest.generate import write_generated

    return write_generated(tmp_path / "scenario.csv", actions=300, users=12, seed=7)


def read_record(path: Path) -> list[tuple[int, str, float, float, str]]:
    """The wrapped app's request log: (latest, path, start, end, status)."""
    rows = []
    for line in path.read_text().splitlines():
        latest, route, start, end, status = line.split("\t")
        rows.append((int(latest), route, float(start), float(end), status))
    return rows
