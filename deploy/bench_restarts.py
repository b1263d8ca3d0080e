"""Rolling restarts under traffic, with and without keep-alive connections to the replicas.

    python -m deploy.bench_restarts [--rounds 3] [--clients 4] [--replicas 3] [--pause 2]

For each variant, a fresh cluster serves ``clients`` threads that post a message and read it
back through nginx while every replica restarts, one at a time, ``rounds`` times. Prints the
failed requests by method and status, and the throughput. The ``keepalive`` variant adds
upstream keep-alive (``keepalive 16`` + HTTP/1.1) to the shipped config and reloads nginx.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

from devtools.simulator import SIMULATOR_AUTH

from .cluster import Cluster, start_cluster

KEEPALIVE_HTTP = '    proxy_http_version 1.1;\n    proxy_set_header Connection "";\n'


def enable_keepalive(cluster: Cluster) -> None:
    """Rewrite the cluster's nginx config with upstream keep-alive, then reload nginx."""
    folder = cluster.nginx.access_log.parent.parent / "nginx"
    upstream = folder / "upstream.conf"
    upstream.write_text(upstream.read_text().replace("}", "    keepalive 16;\n}"))
    conf = folder / "nginx.conf"
    conf.write_text(conf.read_text().replace("    server {", KEEPALIVE_HTTP + "\n    server {", 1))
    cluster.nginx.process.send_signal(signal.SIGHUP)
    time.sleep(1.5)


def client(url: str, name: str, stop: threading.Event, outcomes: Counter[str]) -> None:
    """Post and read until stopped; count outcomes as 'METHOD status'."""
    session = requests.Session()
    requests.post(
        f"{url}/register",
        json={"username": name, "email": f"{name}@example.com", "pwd": "secret"},
        headers=SIMULATOR_AUTH,
        timeout=10,
    )
    number = 0
    while not stop.is_set():
        number += 1
        for method, path in (("POST", f"/msgs/{name}"), ("GET", f"/msgs/{name}?no=5")):
            try:
                response = session.request(
                    method, url + path, json={"content": str(number)}, headers=SIMULATOR_AUTH
                )
                outcomes[f"{method} {response.status_code}"] += 1
            except requests.RequestException as exc:
                outcomes[f"{method} {type(exc).__name__}"] += 1


def measure(
    variant: str, rounds: int, clients: int, replicas: int, pause: float
) -> tuple[Counter[str], float]:
    """Outcomes of one variant's run and its requests per second."""
    with (
        tempfile.TemporaryDirectory(prefix="minitwit-bench-") as folder,
        start_cluster(Path(folder), replicas=replicas, workers=1) as cluster,
    ):
        if variant == "keepalive":
            enable_keepalive(cluster)
        stop, outcomes = threading.Event(), Counter[str]()
        threads = [
            threading.Thread(target=client, args=(cluster.url, f"c{n}", stop, outcomes))
            for n in range(clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            for _ in range(rounds):
                cluster.rolling_restart(pause)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        rate = sum(outcomes.values()) / (time.monotonic() - started)
        for line in cluster.nginx.error_log.read_text().splitlines():
            if "[error]" in line and "*" in line:  # what nginx met, e.g. "no live upstreams"
                reason = line.split(": *", 1)[-1].split(" ", 1)[-1]
                outcomes["nginx: " + reason.split(" while ")[0][:60]] += 1
        return outcomes, rate


def main(argv: list[str] | None = None) -> int:
    """Run both variants and print what failed."""
    parser = argparse.ArgumentParser(prog="python -m deploy.bench_restarts", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between replicas")
    args = parser.parse_args(argv)
    for variant in ("close", "keepalive"):
        outcomes, rate = measure(variant, args.rounds, args.clients, args.replicas, args.pause)
        failed = {k: v for k, v in outcomes.items() if not k.endswith((" 200", " 204"))}
        total = sum(v for k, v in outcomes.items() if not k.startswith("nginx: "))
        print(f"{variant:9} {total} requests, {rate:.0f}/s, failed: {failed or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
