"""A local cluster of real parts: a throwaway PostgreSQL, N ``minitwit serve`` replicas, nginx.

    with start_cluster(workdir, replicas=3) as cluster:
        cluster.url                   # nginx, round robin over the replicas
        cluster.replicas[0].kill()    # SIGKILL of that replica's server and workers
        cluster.rolling_restart()

Every replica shares one SECRET_KEY and the database, trusts nginx's X-Forwarded-* headers
(TRUST_PROXY=1) and logs to ``workdir/logs``. Everything stops when the block ends, also on
an exception or Ctrl-C. ``database="sqlite"`` shares one SQLite file: fine for replicas on one
machine, impossible across machines (SQLite's locking needs one host's file system).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devtools.live import wait_until_ready
from devtools.ports import free_port
from devtools.postgres import PostgresServer, start_postgres

from . import balancer, processes

DATABASES = ("postgres", "sqlite")


@dataclass
class Replica:
    """One ``minitwit serve`` (a server process and its workers) on a fixed loopback port."""

    name: str
    port: int
    workers: int
    env: dict[str, str]
    cwd: Path
    log: Path
    serve_args: tuple[str, ...] = ()
    process: processes.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """The PID (and process group id) of the server this replica last started."""
        if self.process is None:
            raise RuntimeError(f"{self.name} was never started")
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def start(self, timeout: float = 60) -> None:
        """Start the server on this replica's port and wait until /readyz answers 200."""
        if self.running:
            raise RuntimeError(f"{self.name} is already running (pid {self.pid})")
        command = [sys.executable, "-m", "minitwit", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", str(self.workers)]
        command += list(self.serve_args)
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(  # noqa: S603 - our own CLI
                command,
                cwd=self.cwd,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_ready(self.url, self.process, timeout)  # type: ignore[arg-type]
        except (RuntimeError, TimeoutError) as exc:
            self.kill()
            tail = self.log.read_text(errors="replace")[-2000:]
            message = f"{self.name} did not start: {exc}; {self.log} ends:\n{tail}"
            raise RuntimeError(message) from exc

    def kill(self) -> None:
        """SIGKILL the whole replica at once: the server and every worker (its process group)."""
        if self.process is not None:
            processes.kill_group(self.process)

    def stop(self, timeout: float = 20) -> bool:
        """Graceful stop (SIGTERM to the server), SIGKILL after ``timeout``; True if graceful."""
        if self.process is None:
            return True
        return processes.stop(self.process, signal.SIGTERM, timeout)

    def restart(self, timeout: float = 20) -> None:
        """Stop gracefully, then start again on the same port."""
        self.stop(timeout)
        self.start()


@dataclass
class Cluster:
    """The running parts: nginx's URL, the database, the replicas and where they log."""

    url: str
    database_url: str
    replicas: list[Replica]
    logs: Path
    nginx: balancer.Nginx
    postgres: PostgresServer | None = None
    secret_key: str = field(default="", repr=False)

    def rolling_restart(self, pause: float = 2.0) -> None:
        """Restart the replicas one at a time, each ready before the next one stops.

        ``pause`` (after each replica) should outlast nginx's fail_timeout (1 s, counted in
        whole seconds): a replica refused connections while down, and nginx avoids it until
        then; restart the next one sooner and every replica can be out of rotation at once.
        """
        for replica in self.replicas:
            replica.restart()
            time.sleep(pause)

    def stop_database(self) -> None:
        """Stop PostgreSQL (``pg_ctl stop -m fast``), keeping its data and port."""
        self._postgres().stop_server("fast")

    def start_database(self) -> None:
        """Start PostgreSQL again on the same data directory and port."""
        self._postgres().start_server()

    def _postgres(self) -> PostgresServer:
        if self.postgres is None:
            raise RuntimeError("this cluster runs on SQLite: there is no database server to stop")
        return self.postgres

    def access_log(self) -> list[dict[str, Any]]:
        """nginx's access log so far: one dict per request (upstream, statuses, times)."""
        lines = self.nginx.access_log.read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def describe(self) -> str:
        """What runs where, for people (the database URL without its password)."""
        rows = [f"MiniTwit cluster at {self.url} (nginx pid {self.nginx.pid})"]
        rows += [f"  {r.name}: {r.url} pid {r.pid} ({r.workers} workers)" for r in self.replicas]
        rows.append(f"  database: {_without_password(self.database_url)}")
        rows.append(f"  logs: {self.logs}")
        return "\n".join(rows)


def _without_password(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"


@contextmanager
def start_cluster(
    workdir: Path,
    replicas: int = 3,
    workers: int = 2,
    database: str = "postgres",
    env: Mapping[str, str] | None = None,
    port: int | None = None,
) -> Iterator[Cluster]:
    """Start PostgreSQL (or SQLite), the replicas and nginx; stop all of it when the block ends."""
    if database not in DATABASES:
        raise ValueError(f"database must be one of {', '.join(DATABASES)}, not {database!r}")
    if replicas < 1 or workers < 1:
        raise ValueError("replicas and workers must be at least 1")
    workdir = Path(workdir).resolve()
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        postgres: PostgresServer | None = None
        if database == "postgres":
            postgres = start_postgres()
            stack.callback(_stop_postgres, postgres)
            database_url = postgres.create_database("minitwit")
        else:
            database_url = f"sqlite:///{workdir / 'minitwit.sqlite'}"
        secret_key = secrets.token_hex(32)
        shared = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": secret_key,
            "TRUST_PROXY": "1",
            **(env or {}),
        }
        _migrate(shared, workdir, logs)
        members = [
            _replica(f"replica-{n}", workers, shared, workdir, logs) for n in range(1, replicas + 1)
        ]
        stack.callback(_stop_all, members)
        for replica in members:
            replica.start()
        port = port or free_port()
        conf = balancer.write_config(workdir / "nginx", port, [r.port for r in members])
        nginx = balancer.start_nginx(conf, logs)
        stack.callback(nginx.stop)
        url = f"http://127.0.0.1:{port}"
        _wait_for_nginx(url, nginx)
        yield Cluster(url, database_url, members, logs, nginx, postgres, secret_key)


def _replica(
    name: str, workers: int, shared: Mapping[str, str], workdir: Path, logs: Path
) -> Replica:
    """A replica with its own port, instance folder (metrics files) and log."""
    instance = workdir / name
    instance.mkdir(exist_ok=True)
    env = {**shared, "MINITWIT_INSTANCE_PATH": str(instance)}
    # nginx buffers request bodies: no threads need to wait for slow ones (docs/servers.md).
    behind_nginx = ("--slow-body-slots", "0")
    return Replica(name, free_port(), workers, env, workdir, logs / f"{name}.log", behind_nginx)


def _migrate(env: Mapping[str, str], workdir: Path, logs: Path) -> None:
    """Upgrade the schema once, before the replicas start (they would race on it)."""
    with (logs / "migrate.log").open("ab") as sink:
        subprocess.run(
            [sys.executable, "-m", "minitwit", "migrate"],
            cwd=workdir,
            env={**env, "MINITWIT_INSTANCE_PATH": str(workdir / "migrate")},
            stdout=sink,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=120,
        )


def _wait_for_nginx(url: str, nginx: balancer.Nginx, timeout: float = 15) -> None:
    """Wait until a request through nginx reaches a ready replica."""
    wait_until_ready(url, nginx.process, timeout)  # type: ignore[arg-type]


def _stop_all(replicas: list[Replica], timeout: float = 15) -> None:
    """SIGTERM every replica at once, then wait for each (SIGKILL of its group after timeout)."""
    running = [r.process for r in replicas if r.running and r.process is not None]
    for process in running:
        with suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in running:
        processes.exited(process, max(deadline - time.monotonic(), 0))
        processes.kill_group(process)


def _stop_postgres(server: PostgresServer) -> None:
    """Stop the server and remove its folder (it may already be stopped by a drill)."""
    with suppress(subprocess.CalledProcessError):
        server.stop()
