"""The servers a drill injects faults into: a bare ``minitwit serve``, the cluster, PostgreSQL.

A bare server is a :class:`deploy.cluster.Replica` on its own: it starts in its own session,
so its PID is the id of a process group holding the server and every worker, and ``kill()``
is a SIGKILL of exactly that group (never by name). Missing
parts (nginx, PostgreSQL) become :class:`faults.drill.Skip`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from deploy.balancer import NginxUnavailable
from deploy.cluster import Cluster, Replica, start_cluster
from devtools.ports import free_port
from devtools.postgres import PostgresServer, PostgresUnavailable, start_postgres

from .drill import Skip


@contextmanager
def bare_server(
    workdir: Path, env: Mapping[str, str] | None = None, workers: int = 2
) -> Iterator[Replica]:
    """A started server (SQLite in ``workdir`` unless ``env`` names a DATABASE_URL)."""
    workdir.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "MINITWIT_INSTANCE_PATH": str(workdir / "instance"),
        "DATABASE_URL": f"sqlite:///{workdir / 'minitwit.sqlite'}",
        "SECRET_KEY": "fault-drill",
        **(env or {}),
    }
    server = Replica("server", free_port(), workers, environment, workdir, workdir / "serve.log")
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
