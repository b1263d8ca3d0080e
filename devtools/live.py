"""Start a real ``minitwit serve`` (real server, real sockets) for end-to-end tests and tools."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from .ports import free_port
from .postgres import start_postgres


def exit_on_sigterm() -> None:
    """Make SIGTERM unwind like Ctrl-C does, so the servers a tool started stop with it.

    Python's default for SIGTERM ends the process at once, skipping the ``with`` blocks that
    stop what it started (a ``minitwit serve``, a throwaway PostgreSQL, Locust). For the
    command-line entry points of tools that start servers; tests keep pytest's own handling.
    """

    def _exit(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


@dataclass
class LiveServer:
    """A running server: its base URL and process."""

    url: str
    process: subprocess.Popen[str]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_until_ready(url: str, process: subprocess.Popen[str], timeout: float = 30) -> None:
    """Poll ``/readyz`` until it answers 200; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"minitwit serve exited with {process.returncode}")
        try:
            with urlopen(url + "/readyz", timeout=1) as response:  # noqa: S310 - loopback URL
                if response.status == 200:
                    return
        except (URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise TimeoutError(f"{url} was not ready within {timeout} s")


@contextmanager
def _running(
    command: list[str],
    port: int,
    log: Path,
    cwd: Path,
    env: Mapping[str, str],
    new_session: bool = False,
) -> Iterator[LiveServer]:
    """Start a server process, wait for /readyz, and stop it with SIGTERM when the block ends.

    ``new_session``: the server leads its own process group (id = its PID), so a test can
    ``os.killpg`` it and all its workers at once.
    """
    with log.open("w") as sink:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=dict(env),
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=new_session,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until_ready(server.url, process)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def live_minitwit(
    workdir: Path,
    env: Mapping[str, str] | None = None,
    workers: int = 2,
    port: int | None = None,
    args: Sequence[str] = (),
    new_session: bool = False,
) -> Iterator[LiveServer]:
    """Run ``python -m minitwit serve [args]`` in ``workdir`` until the block ends (SIGTERM)."""
    port = port or free_port()
    environment = {**os.environ, "MINITWIT_INSTANCE_PATH": str(workdir / "instance"), **(env or {})}
    command = [sys.executable, "-m", "minitwit", "serve", "--port", str(port)]
    command += ["--workers", str(workers), *args]
    log = workdir / f"serve-{port}.log"
    with _running(command, port, log, workdir, environment, new_session) as server:
        yield server


def wsgi_command(
    target: str, port: int, server: str = "gunicorn", workers: int = 2, threads: int | None = None
) -> list[str]:
    """The command serving ``module:app`` on loopback the way ``minitwit serve --server`` does."""
    if server == "granian":
        command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--http", "1"]
        command += ["--blocking-threads", str(threads or 1), "--host", "127.0.0.1"]
        return [*command, "--port", str(port), "--workers", str(workers), target]
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind"]
    command += [f"127.0.0.1:{port}", "--no-control-socket"]
    if server == "gthread":
        command += ["--worker-class", "gthread", "--threads", str(threads or 4)]
    return [*command, target]


@contextmanager
def wsgi_app(
    target: str,
    workdir: Path,
    server: str = "gunicorn",
    workers: int = 2,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    threads: int | None = None,
) -> Iterator[LiveServer]:
    """Serve ``module:app`` with ``server`` (gunicorn, gthread or granian) until the block ends."""
    port = free_port()
    command = wsgi_command(target, port, server, workers, threads)
    log = workdir / f"{target.replace(':', '_')}-{server}.log"
    with _running(command, port, log, cwd or workdir, {**os.environ, **(env or {})}) as running:
        yield running


@contextmanager
def gunicorn_app(
    target: str,
    workdir: Path,
    workers: int = 2,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[LiveServer]:
    """Serve ``module:app`` with gunicorn (sync workers) until the block ends."""
    with wsgi_app(target, workdir, "gunicorn", workers, env, cwd) as server:
        yield server


@contextmanager
def fresh_minitwit(
    prefix: str,
    postgres: bool = False,
    database_url: str = "",
    workers: int = 2,
    env: Mapping[str, str] | None = None,
) -> Iterator[tuple[LiveServer, str]]:
    """A new MiniTwit for one run of a tool, and the name of its database kind.

    A new SQLite file in a temporary folder by default, ``database_url`` when given, or a
    throwaway PostgreSQL (``postgres=True``; raises PostgresUnavailable without the binaries).
    Everything is stopped and removed when the block ends.
    """
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
        kind, url = "SQLite", database_url or f"sqlite:///{folder / 'minitwit.sqlite'}"
        if database_url:
            kind = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        if postgres:
            server = start_postgres()
            stack.callback(server.stop)
            kind, url = "PostgreSQL", server.create_database("minitwit")
        settings = {"SECRET_KEY": os.environ.get("SECRET_KEY", f"{prefix}only"), **(env or {})}
        live = stack.enter_context(
            live_minitwit(folder, {**settings, "DATABASE_URL": url}, workers)
        )
        yield live, kind
