"""The servers a drill injects faults into: a bare ``minitwit serve``, the cluster, PostgreSQL.

A bare server starts in its own session, so its PID is the id of a process group holding the
server and every worker: ``kill()`` is a SIGKILL of exactly that group (never by name). Missing
parts (nginx, PostgreSQL) become :class:`faults.drill.Skip`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from deploy import processes
from deploy.balancer import NginxUnavailable
from deploy.cluster import Cluster, start_cluster
from devtools.live import wait_until_ready
from devtools.ports import free_port
from devtools.postgres import PostgresServer, PostgresUnavailable, start_postgres

from .drill import Skip


@dataclass
class Server:
    """One ``minitwit serve`` on a fixed loopback port; restartable on the same database."""

    workdir: Path
    env: dict[str, str]
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: processes.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("the server was never started")
        return self.process.pid

    def start(self, timeout: float = 60) -> None:
        """Start (in a new session) and wait for /readyz."""
        command = [sys.executable, "-m", "minitwit", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", str(self.workers)]
        with (self.workdir / "serve.log").open("ab") as sink:
            self.process = subprocess.Popen(  # noqa: S603 - our own CLI
                command,
                cwd=self.workdir,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_ready(self.url, self.process, timeout)  # type: ignore[arg-type]

    def kill(self) -> None:
        """SIGKILL the server and all its workers at once (its process group)."""
        if self.process is not None:
            processes.kill_group(self.process)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM, then SIGKILL of the group after ``timeout``."""
        if self.process is not None:
            processes.stop(self.process, signal.SIGTERM, timeout)


@contextmanager
def bare_server(
    workdir: Path, env: Mapping[str, str] | None = None, workers: int = 2
) -> Iterator[Server]:
    """A started server (SQLite in ``workdir`` unless ``env`` names a DATABASE_URL)."""
    workdir.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "MINITWIT_INSTANCE_PATH": str(workdir / "instance"),
        "DATABASE_URL": f"sqlite:///{workdir / 'minitwit.sqlite'}",
        "SECRET_KEY": "fault-drill",
        **(env or {}),
    }
    server = Server(workdir, environment, workers)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@contextmanager
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL (Skip when not installed)."""
    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        raise Skip(str(exc)) from exc
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def cluster(workdir: Path, replicas: int = 3, **options: object) -> Iterator[Cluster]:
    """``deploy.cluster.start_cluster`` (Skip when nginx or PostgreSQL is missing)."""
    try:
        with start_cluster(workdir, replicas=replicas, **options) as running:  # type: ignore[arg-type]
            yield running
    except (NginxUnavailable, PostgresUnavailable) as exc:
        raise Skip(str(exc)) from exc
