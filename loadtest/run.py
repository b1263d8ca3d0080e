"""Start a fresh MiniTwit, replay against it with Locust, stop it; exit with Locust's verdict.

    python -m loadtest.run [--database-url URL] [--workers N] [-- LOCUST ARGS...]

Without ``--database-url`` MiniTwit gets a new SQLite file in a temporary folder. The
server is started through its own CLI (``python -m minitwit serve``), as an operator would.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from devtools.live import live_minitwit

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Serve, replay, stop; return Locust's exit code (the SLO verdict)."""
    parser = argparse.ArgumentParser(prog="python -m loadtest.run", description=__doc__)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--workers", type=int, default=2, help="server workers")
    parser.add_argument("locust_args", nargs=argparse.REMAINDER, help="passed to Locust")
    args = parser.parse_args(argv)
    locust_args = [a for a in args.locust_args if a != "--"]
    with tempfile.TemporaryDirectory(prefix="minitwit-load-") as folder:
        env = {
            "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only"),
            "DATABASE_URL": args.database_url or f"sqlite:///{Path(folder) / 'load.sqlite'}",
        }
        with live_minitwit(Path(folder), env, args.workers) as server:
            print(
                f"MiniTwit ({args.workers} workers) at {server.url}; replaying with Locust",
                flush=True,
            )
            command = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--config",
                str(ROOT / "loadtest" / "locust.conf"),
                "--host",
                server.url,
                *locust_args,
            ]
            return subprocess.call(command, cwd=ROOT)  # noqa: S603 - Locust, our arguments


if __name__ == "__main__":
    sys.exit(main())
