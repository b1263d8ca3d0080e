"""Start the servers that benchmarks compare, all under one HTTP server with the same settings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from devtools.live import LiveServer, live_minitwit, wsgi_app
from minitwit.server import DEFAULT_SERVER, SERVERS

SHARED_SCENARIO = Path(__file__).resolve().parents[3] / "shared" / "data" / "minitwit_scenario.csv"


@contextmanager
def served(
    kind: str,
    workdir: Path,
    workers: int = 2,
    env: Mapping[str, str] | None = None,
    server: str = DEFAULT_SERVER,
    threads: int | None = None,
    serve_args: tuple[str, ...] = (),
) -> Iterator[LiveServer]:
    """``minitwit`` (the real thing), ``reference`` (the original's way), ``null`` (the floor)
    or ``flask`` (the floor with Flask: what the framework alone costs).

    ``server`` is one of ``minitwit serve --server``'s choices; every kind runs under it.
    ``serve_args`` go to MiniTwit's ``serve`` only (e.g. ``--slow-body-slots 0``).
    """
    if server not in SERVERS:
        raise ValueError(f"server must be one of {', '.join(SERVERS)}, not {server!r}")
    folder = workdir / f"{kind}-{server}"
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "minitwit":
        args = ["--server", server, *(["--threads", str(threads)] if threads else [])]
        args += serve_args
        minitwit_env = {"SECRET_KEY": "bench", **(env or {})}
        with live_minitwit(folder, minitwit_env, workers, args=args) as running:
            yield running
        return
    target = {
        "reference": "tests.benchmarks.reference_app:app",
        "null": "tests.benchmarks.null_app:app",
        "flask": "tests.benchmarks.flask_floor:app",
    }[kind]
    root = str(Path(__file__).resolve().parents[2])
    extra = {"PYTHONPATH": root, "REFERENCE_DB": str(folder / "reference.sqlite")}
    with wsgi_app(
        target, folder, server, workers, {**extra, **(env or {})}, threads=threads
    ) as running:
        yield running
