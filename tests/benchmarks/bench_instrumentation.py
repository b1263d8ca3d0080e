"""Instrumentation overhead: p50 of GET /latest and GET /msgs with telemetry on vs off.

Two real `minitwit serve` (2 gunicorn workers, SQLite) run side by side with the same
data: one with TELEMETRY_ENABLED=0, one with metrics, JSON logs and Loki shipping to a
loopback receiver. Requests alternate between them in small rounds so that noise from
other work on the machine hits both alike. Prints the figures; the target is <= +10 %.

    nox -s bench -- instrumentation        (or: python -m tests.benchmarks.bench_instrumentation)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import requests

from devtools.live import live_minitwit
from devtools.simulator import SIMULATOR_AUTH
from tests.observability.loki_receiver import loki_receiver

AUTH = {**SIMULATOR_AUTH, "Connection": "close"}
ENDPOINTS = ("/latest", "/msgs")
ROUNDS = 20
PER_ROUND = 25
TARGET = 1.10


def seed(base: str) -> None:
    """The same 20 users and 200 messages on each server."""
    for i in range(20):
        requests.post(
            f"{base}/register",
            json={"username": f"user{i}", "email": "u@x", "pwd": "p"},
            headers=AUTH,
            timeout=10,
        )
    for j in range(200):
        requests.post(
            f"{base}/msgs/user{j % 20}",
            params={"latest": j},
            json={"content": f"message {j}"},
            headers=AUTH,
            timeout=10,
        )


def timed(base: str, path: str, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = requests.get(base + path, headers=AUTH, timeout=10)
        timings.append(time.perf_counter() - started)
        response.raise_for_status()
    return timings


def worker_cpu_seconds(server_pid: int) -> float:
    """CPU time of the gunicorn workers (all their threads), from the scheduler's ns counters."""
    total = 0
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    for child in children:
        for task in Path(f"/proc/{child}/task").iterdir():
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def main() -> int:
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        receiver = stack.enter_context(loki_receiver())
        loki = f"http://127.0.0.1:{receiver.server_address[1]}"
        variants = {
            "off": {"TELEMETRY_ENABLED": "0"},
            "on": {"TELEMETRY_ENABLED": "1", "LOKI_URL": loki, "APP_ENV": "bench"},
            "no-loki": {"TELEMETRY_ENABLED": "1"},  # for the breakdown only
        }
        servers = {}
        for name, env in variants.items():
            (work / name).mkdir()
            servers[name] = stack.enter_context(
                live_minitwit(work / name, {"SECRET_KEY": "bench", **env}, workers=2)
            )
            seed(servers[name].url)
        samples: dict[tuple[str, str], list[float]] = {
            (v, p): [] for v in servers for p in ENDPOINTS
        }
        for name in servers:  # warm-up
            for path in ENDPOINTS:
                timed(servers[name].url, path, 50)
        round_ratios: dict[str, list[float]] = {path: [] for path in ENDPOINTS}
        cpu: dict[str, float] = dict.fromkeys(servers, 0.0)
        no_loki: dict[str, list[float]] = {path: [] for path in ENDPOINTS}
        for number in range(ROUNDS):
            order = list(servers)[number % 3 :] + list(servers)[: number % 3]
            for path in ENDPOINTS:
                medians = {}
                for name in order:  # alternate who goes first: drift hits both alike
                    before = worker_cpu_seconds(servers[name].process.pid)
                    timings = timed(servers[name].url, path, PER_ROUND)
                    cpu[name] += worker_cpu_seconds(servers[name].process.pid) - before
                    samples[(name, path)] += timings
                    medians[name] = statistics.median(timings)
                round_ratios[path].append(medians["on"] / medians["off"])
                no_loki[path].append(medians["no-loki"] / medians["off"])
        pushed = sum(len(s["values"]) for p in receiver.pushes for s in p["streams"])

    print(
        f"instrumentation overhead, {ROUNDS * PER_ROUND} requests per endpoint and variant, "
        f"2 workers each, Connection: close; {pushed} lines reached the Loki receiver"
    )
    print(
        f"{'endpoint':10} {'off p50 ms':>11} {'on p50 ms':>10} {'ratio':>7} "
        f"{'paired':>7} {'off p90 ms':>11} {'on p90 ms':>10}"
    )
    worst = 0.0
    for path in ENDPOINTS:
        off, on = samples[("off", path)], samples[("on", path)]
        ratio = statistics.median(on) / statistics.median(off)
        paired = statistics.median(round_ratios[path])  # median of per-round p50 ratios
        worst = max(worst, ratio)
        p50_off, p50_on = statistics.median(off) * 1000, statistics.median(on) * 1000
        print(
            f"{path:10} {p50_off:11.2f} {p50_on:10.2f}"
            f" {ratio:7.3f} {paired:7.3f} {_p90(off) * 1000:11.2f} {_p90(on) * 1000:10.2f}"
        )
    per_request = {name: cpu[name] / (ROUNDS * PER_ROUND * len(ENDPOINTS)) for name in cpu}
    print(
        "worker CPU per request (all threads, scheduler counters): "
        + ", ".join(f"{name} {seconds * 1e6:.0f} us" for name, seconds in per_request.items())
    )
    print(
        "breakdown, metrics + JSON logs without Loki, paired p50 ratio: "
        + ", ".join(f"{path} {statistics.median(no_loki[path]):.3f}" for path in ENDPOINTS)
    )
    verdict = "within" if worst <= TARGET else "OVER"
    print(
        f"worst p50 ratio {worst:.3f}: {verdict} the +10 % target "
        f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    return 0


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


if __name__ == "__main__":
    sys.exit(main())
