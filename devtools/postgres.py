"""A throwaway PostgreSQL server started from the installed binaries (for tests and nox).

``initdb`` and ``pg_ctl`` refuse to run as root, so as root they run through
``runuser -u postgres --``. The data directory lives in a temporary folder and is
removed when the server stops.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .ports import free_port


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries on this machine."""


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


@dataclass
class PostgresServer:
    """A running throwaway server; ``url(name)`` gives a DATABASE_URL."""

    bindir: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> PostgresServer:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )
        return self.start_server()

    def start_server(self) -> PostgresServer:
        """Start the server on its existing data directory (again after ``stop_server``)."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "start",
        )
        return self

    def execute(self, statement: str) -> None:
        """Run one SQL statement as the superuser (psql, database ``postgres``)."""
        port = str(self.port)
        self._run("psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-q", "-c", statement)

    def create_database(self, name: str) -> str:
        """Create a database and return its URL."""
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    @property
    def log(self) -> Path:
        """The server's log file (``pg_ctl -l``)."""
        return self.root / "server.log"

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server but keep its data (``pg_ctl stop -m mode``); ``start_server`` resumes."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """Start a throwaway server; raise PostgresUnavailable when not installed."""
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailable("PostgreSQL is not installed (no initdb/pg_ctl found)")
    root = Path(tempfile.mkdtemp(prefix="minitwit-pg-"))
    server = PostgresServer(bindir, root, free_port())
    try:
        return server.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
