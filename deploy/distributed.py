"""Locust's distributed mode against the cluster: a master and N workers, separate processes.

    python -m deploy.distributed --host http://127.0.0.1:8080 [--workers 2] [-- LOCUST ARGS]

The master reads the scenario and hands actions to the workers (loadtest/dispatch.py), as it
would across machines; only their addresses would change. Exit code: the master's, which
is the replay's SLO verdict (integrity check included).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from devtools.ports import free_port

from . import processes

ROOT = Path(__file__).resolve().parent.parent
LOCUST = [sys.executable, "-m", "locust", "-f", str(ROOT / "loadtest" / "locustfile.py")]


def replay(
    host: str, locust_args: Sequence[str] = (), workers: int = 2, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run a master and ``workers`` worker processes on loopback until the master ends."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    master_command = [*LOCUST, "--headless", "--master", "--master-bind-host", "127.0.0.1"]
    master_command += ["--master-bind-port", str(port), "--expect-workers", str(workers)]
    master_command += ["--host", host, *locust_args]
    worker_command = [*LOCUST, "--worker", "--master-host", "127.0.0.1"]
    worker_command += ["--master-port", str(port)]
    master = subprocess.Popen(  # noqa: S603 - Locust with our arguments
        master_command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    started = [
        subprocess.Popen(  # noqa: S603 - Locust with our arguments
            worker_command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(workers)
    ]
    try:
        output, _ = master.communicate(timeout=timeout)
    finally:
        if master.poll() is None:
            master.kill()
            master.wait()
        for worker in started:  # they quit with the master; kill any that hang
            if not processes.exited(worker, 10):
                processes.kill_group(worker)
            worker.wait()
    text = output.decode(errors="replace") if output else ""
    return subprocess.CompletedProcess(master_command, master.returncode, text, "")


def main(argv: list[str] | None = None) -> int:
    """Replay through ``--host`` with a master and workers; print the master's output."""
    parser = argparse.ArgumentParser(prog="python -m deploy.distributed", description=__doc__)
    parser.add_argument("--host", required=True, help="the load balancer's URL")
    parser.add_argument("--workers", type=int, default=2, help="Locust worker processes")
    parser.add_argument("locust_args", nargs=argparse.REMAINDER, help="passed to the master")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    done = replay(args.host, [a for a in args.locust_args if a != "--"], args.workers)
    print(done.stdout)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
