"""What one simulator action costs inside the app: Flask's test client, no HTTP, no server.

Times ``POST /msgs/<user>``, ``POST /fllws/<user>`` and ``GET /latest`` on a fresh SQLite
database with telemetry on (metrics and the log line, written to /dev/null), in
microseconds per request (median of ``--repeat`` rounds of ``--number`` requests). To
compare two versions, run it in both checkouts one after the other, twice, alternating.

    python -m tests.benchmarks.bench_inprocess [--number 500] [--repeat 5]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from devtools.simulator import SIMULATOR_AUTH


def measure(number: int, repeat: int) -> dict[str, float]:
    """Microseconds per request for each action, median of ``repeat`` rounds."""
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp())
    from minitwit import create_app, migrations
    from minitwit.db import connect

    url = f"sqlite:///{tempfile.mkdtemp()}/inprocess.sqlite"
    database = connect(url)
    migrations.upgrade(database)
    database.close()
    client = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"}).test_client()
    for name in ("ann", "bob"):
        client.post("/register", json={"username": name, "email": f"{name}@x", "pwd": "pw"})

    def tweet(n: int) -> None:
        client.post(f"/msgs/ann?latest={n}", json={"content": "hi"}, headers=SIMULATOR_AUTH)

    def follow(n: int) -> None:
        body = {"follow" if n % 2 else "unfollow": "bob"}
        client.post(f"/fllws/ann?latest={n}", json=body, headers=SIMULATOR_AUTH)

    def latest(_n: int) -> None:
        client.get("/latest")

    actions: dict[str, Callable[[int], None]] = {"tweet": tweet, "follow": follow, "latest": latest}
    figures = {}
    for name, action in actions.items():
        for n in range(200):  # warm up
            action(n)
        rounds = []
        for _ in range(repeat):
            started = time.perf_counter()
            for n in range(number):
                action(n)
            rounds.append((time.perf_counter() - started) / number * 1e6)
        figures[name] = statistics.median(rounds)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_inprocess")
    parser.add_argument("--number", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        figures = measure(args.number, args.repeat)
    for name, micros in figures.items():
        print(f"{name:>7}: {micros:7.1f} us per request (in-process, telemetry on)")


if __name__ == "__main__":
    main()
