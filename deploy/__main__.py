"""``python -m deploy``: run a local cluster (PostgreSQL, N replicas, nginx) until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

from .balancer import NginxUnavailable
from .cluster import DATABASES, start_cluster


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    """Stop waiting; a second Ctrl-C or SIGTERM must not cut the cleanup short."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Start the cluster, print what runs where, wait for Ctrl-C or SIGTERM, stop everything."""
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__)
    parser.add_argument("--replicas", type=int, default=3, help="app replicas (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="workers per replica (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--database", choices=DATABASES, default="postgres")
    parser.add_argument("--workdir", type=Path, help="logs and config here (default: temporary)")
    args = parser.parse_args(argv)
    if args.replicas < 1 or args.workers < 1 or not 0 < args.port < 65536:
        parser.error("--replicas and --workers must be >= 1, --port in 1..65535")
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    with tempfile.TemporaryDirectory(prefix="minitwit-cluster-") as scratch:
        workdir = args.workdir or Path(scratch)
        try:
            with start_cluster(
                workdir, args.replicas, args.workers, args.database, port=args.port
            ) as cluster:
                note = "" if args.workdir else " (a temporary folder: --workdir keeps the logs)"
                print(cluster.describe() + note, "\nCtrl-C stops everything.", flush=True)
                while True:
                    signal.pause()
        except KeyboardInterrupt:
            print("cluster stopped", file=sys.stderr, flush=True)
        except NginxUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
