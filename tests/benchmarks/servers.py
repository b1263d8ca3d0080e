"""Start the servers that benchmarks compare, each under gunicorn with the same settings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from devtools.live import LiveServer, gunicorn_app, live_minitwit

SHARED_SCENARIO = Path(__file__).resolve().parents[3] / "shared" / "data" / "minitwit_scenario.csv"


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
