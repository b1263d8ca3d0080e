"""What bench_servers measures on one running server, besides the sequential replay.

Keep-alive throughput with wrk, normal clients' latency beside slow ones, memory per worker,
whether SIGTERM lets a request in flight finish, and whether metrics add up across workers.
Loopback only; every probe is bounded in time.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import requests

from devtools.live import LiveServer
from devtools.simulator import SIMULATOR_AUTH
from devtools.slowclients import slow_clients

POST_SCRIPT = Path(__file__).with_name("wrk_post_msgs.lua")
BENCH_USER = "wrkbench"


def wrk(url: str, seconds: int, connections: int = 8, post: bool = False) -> dict[str, Any]:
    """Requests/s, p99 and non-2xx answers of a keep-alive wrk run (GET, or POST a message)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if post:
        command += [
            "-s",
            str(POST_SCRIPT),
            "-H",
            f"Authorization: {SIMULATOR_AUTH['Authorization']}",
        ]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "p99_ms": round(float(p99.group(1)) * scale[p99.group(2)], 2) if p99 else None,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def beside_slow_clients(
    url: str, count: int, body_length: int | None = None, requests_: int = 100, budget: float = 15
) -> dict[str, Any]:
    """Latency of ``GET /latest`` (Connection: close) while ``count`` slow clients are held.

    ``body_length`` switches from slow headers to complete headers and a slow body of that
    size. Stops early after 3 requests time out (1 s each): the server is starved.
    """
    took: list[float] = []
    failed = 0
    body = body_length is not None
    with slow_clients(url, count, 0.5, body, limit=budget + 10, length=body_length or 0):
        time.sleep(0.5)
        deadline = time.monotonic() + budget
        while len(took) + failed < requests_ and failed < 3 and time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                requests.get(url + "/latest", headers={"Connection": "close"}, timeout=1)
                took.append(time.perf_counter() - start)
            except requests.RequestException:
                failed += 1
    if failed or not took:
        return {"p99_ms": None, "failed": failed, "answered": len(took), "starved": True}
    p99 = statistics.quantiles(took, n=100)[98] if len(took) > 1 else took[0]
    return {"p99_ms": round(p99 * 1000, 2), "failed": 0, "answered": len(took), "starved": False}


def rss_per_worker(master: int) -> dict[str, float]:
    """Mean resident memory of the master's children (the workers) and of the master, MiB."""
    sizes = worker_rss(master).values()
    return {"worker_mib": round(statistics.mean(sizes), 1), "master_mib": _rss_mib(master)}


def worker_rss(master: int) -> dict[str, float]:
    """Resident memory of each of the master's children (the workers), MiB by PID."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {pid: _rss_mib(int(pid)) for pid in children}


def _rss_mib(pid: int) -> float:
    """VmRSS of ``pid`` in MiB (0 when the process is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def metrics_add_up(url: str, requests_: int = 60) -> dict[str, Any]:
    """Send ``requests_`` new-connection requests; /metrics must count exactly that many."""
    before = _readyz_count(url)
    for _ in range(requests_):
        requests.get(url + "/readyz", headers={"Connection": "close"}, timeout=5)
    counted = _readyz_count(url) - before
    return {"sent": requests_, "counted": counted, "ok": counted == requests_}


def _readyz_count(url: str) -> float:
    text = requests.get(url + "/metrics", timeout=5).text
    prefix = 'minitwit_http_requests_total{method="GET",route="/readyz"'
    return sum(
        float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix)
    )


def register(url: str, username: str = BENCH_USER) -> int:
    """Register the user the POST throughput run writes as; return the status."""
    body = {"username": username, "email": f"{username}@example.com", "pwd": "pw"}
    return requests.post(
        url + "/register", json=body, headers=SIMULATOR_AUTH, timeout=5
    ).status_code


def drains_in_flight(server: LiveServer, timeout: float = 15) -> dict[str, Any]:
    """SIGTERM while a registration's body is half sent; finish it; did it get its answer?"""
    port = int(server.url.rsplit(":", 1)[1])
    body = json.dumps({"username": "drained", "email": "drained@example.com", "pwd": "pw"})
    head = (
        "POST /register HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"Authorization: {SIMULATOR_AUTH['Authorization']}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head.encode() + body[:10].encode())
        time.sleep(0.3)
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        try:
            sock.sendall(body[10:].encode())
            answer = sock.recv(64).split(b"\r\n", 1)[0].decode(errors="replace")
        except OSError as exc:
            answer = f"{type(exc).__name__}"
    code = server.process.wait(timeout=timeout + 10)
    return {
        "answer": answer,
        "drained": answer.startswith("HTTP/1.1 2"),
        "exit_code": code,
        "stop_seconds": round(time.monotonic() - started, 2),
    }
