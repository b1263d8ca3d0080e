"""The deliberately non-conforming app on loopback, for the conformance, load and fuzz tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools.live import LiveServer, gunicorn_app

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def nonconforming_server(workdir: Path) -> Iterator[LiveServer]:
    """tests/conformance/nonconforming_app.py under gunicorn (one worker: its state is memory)."""
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    with gunicorn_app(
        "tests.conformance.nonconforming_app:app", workdir, workers=1, env=env, cwd=ROOT
    ) as server:
        yield server
