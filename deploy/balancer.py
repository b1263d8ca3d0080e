"""nginx as the cluster's load balancer: write its local config files and run it.

The shared ``deploy/nginx/nginx.conf`` is copied unchanged into a prefix folder next to two
generated files, ``upstream.conf`` (the replicas on 127.0.0.1) and ``listen.conf``; the compose
stack mounts the same nginx.conf next to ``deploy/nginx/compose/``'s versions of those two.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import processes

NGINX_DIR = Path(__file__).resolve().parent / "nginx"
SHARED_CONF = NGINX_DIR / "nginx.conf"
SERVER_OPTIONS = "max_fails=1 fail_timeout=1s"  # passive health check, as in compose/upstream.conf


class NginxUnavailable(RuntimeError):
    """nginx is not installed here."""


def find_nginx() -> str:
    """The nginx binary (Debian puts it in /usr/sbin, often not on a user's PATH)."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise NginxUnavailable("nginx is not installed (Debian package `nginx`)")


def upstream_conf(ports: Iterable[int]) -> str:
    """The ``upstream minitwit`` block for replicas on these loopback ports."""
    servers = "".join(f"    server 127.0.0.1:{port} {SERVER_OPTIONS};\n" for port in ports)
    return f"upstream minitwit {{\n    zone minitwit 64k;\n{servers}}}\n"


def write_config(prefix: Path, port: int, replica_ports: Iterable[int]) -> Path:
    """Put nginx.conf, upstream.conf and listen.conf into ``prefix``; return nginx.conf's path."""
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    shutil.copyfile(SHARED_CONF, conf)
    (prefix / "upstream.conf").write_text(upstream_conf(replica_ports))
    (prefix / "listen.conf").write_text(f"listen 127.0.0.1:{port};\n")
    return conf


def command(conf: Path, *extra: str) -> list[str]:
    """The nginx command line for ``conf`` with its folder as the prefix (pid, temp files)."""
    return [find_nginx(), "-p", f"{conf.parent}/", "-c", str(conf), "-e", "stderr", *extra]


def test_config(conf: Path) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` of a config (exit code and nginx's message)."""
    return subprocess.run(  # noqa: S603 - nginx with our own files
        command(conf, "-t", "-q", "-g", "daemon off;"),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@dataclass
class Nginx:
    """A running nginx: its master process; the access log holds one JSON line per request."""

    process: subprocess.Popen[bytes]
    access_log: Path
    error_log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 10) -> None:
        """Graceful stop (SIGQUIT), then SIGKILL of its process group if it hangs."""
        processes.stop(self.process, signal.SIGQUIT, timeout)


def start_nginx(conf: Path, logs: Path) -> Nginx:
    """Start nginx in the foreground of its own session; access lines go to ``logs``."""
    logs.mkdir(parents=True, exist_ok=True)
    access, error = logs / "nginx-access.log", logs / "nginx-error.log"
    with access.open("ab") as out, error.open("ab") as err:
        process = subprocess.Popen(  # noqa: S603 - nginx with our own files
            command(conf, "-g", "daemon off;"),
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    return Nginx(process, access, error)
