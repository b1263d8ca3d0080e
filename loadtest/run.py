"""Start a fresh MiniTwit, replay against it with Locust, stop it; exit with Locust's verdict.

    python -m loadtest.run [--database-url URL] [--workers N] [-- LOCUST ARGS...]

Without ``--database-url`` MiniTwit gets a new SQLite file in a temporary folder. The
server is started through its own CLI (``python -m minitwit serve``), as an operator would.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Poll /readyz until 200; fail if the server exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"minitwit serve exited with {process.returncode}")
        try:
            with urlopen(url + "/readyz", timeout=1) as response:  # noqa: S310  # nosec B310: loopback URL we built
                if response.status == 200:
                    return
        except (URLError, OSError):
            time.sleep(0.2)
    raise SystemExit(f"{url} was not ready within {timeout} s")


def main(argv: list[str] | None = None) -> int:
    """Serve, replay, stop; return Locust's exit code (the SLO verdict)."""
    parser = argparse.ArgumentParser(prog="python -m loadtest.run", description=__doc__)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("locust_args", nargs=argparse.REMAINDER, help="passed to Locust")
    args = parser.parse_args(argv)
    locust_args = [a for a in args.locust_args if a != "--"]
    with tempfile.TemporaryDirectory(prefix="minitwit-load-") as folder:
        env = {
            **os.environ,
            "MINITWIT_INSTANCE_PATH": str(Path(folder) / "instance"),
            "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only"),
            "DATABASE_URL": args.database_url or f"sqlite:///{Path(folder) / 'load.sqlite'}",
        }
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = Path(folder) / "serve.log"
        with log.open("wb") as sink:
            server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [
                    sys.executable,
                    "-m",
                    "minitwit",
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    str(args.workers),
                ],
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_ready(url, server)
            print(f"MiniTwit ({args.workers} workers) at {url}; replaying with Locust", flush=True)
            command = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--config",
                str(ROOT / "loadtest" / "locust.conf"),
                "--host",
                url,
                *locust_args,
            ]
            return subprocess.call(command, cwd=ROOT)  # noqa: S603 - Locust, our arguments
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if server.returncode not in (0, -signal.SIGTERM):
                sys.stderr.write(log.read_text(errors="replace")[-3000:])


if __name__ == "__main__":
    sys.exit(main())
