"""Memory over a long run: RSS of every ``minitwit serve`` worker under steady simulator load.

Starts ``minitwit serve`` (its default server, 2 workers, SQLite) on loopback, drives it for
``--minutes`` (default 10) with ``--clients`` clients, each cycling through the
simulator's actions (register once, then tweet, follow, unfollow, read ``/msgs``, ``/public``
and ``/latest``, one keep-alive connection per round), and samples the resident set size of
each worker every ``--interval`` seconds. Prints one line per sample and, at the end, each
worker's RSS after warm-up (the first sample past ``--warmup`` seconds) against its last
sample; target: no growth beyond noise (printed as growth in MiB and per cent). Results:
reports/bench/soak.json. Bounded in time and loopback only; stops by itself.

    python -m tests.benchmarks.bench_soak [--minutes 10] [--clients 4] [--interval 30]
"""

from __future__ import annotations

import argparse
import http.client
import json
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from devtools.live import live_minitwit
from devtools.simulator import SIMULATOR_AUTH

from .server_probes import worker_rss

ROOT = Path(__file__).resolve().parents[2]
JSON = {**SIMULATOR_AUTH, "Content-Type": "application/json"}


class Client(threading.Thread):
    """One simulator-like client, in rounds of seven requests, until ``stop`` is set."""

    def __init__(self, port: int, number: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.name_, self.stop = f"soak{number}", stop
        self.tally: Counter[str] = Counter()  # this thread's own: no lost updates
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def call(self, method: str, path: str, body: dict[str, str] | None = None) -> None:
        connection = self.connection
        try:
            payload = json.dumps(body) if body is not None else None
            connection.request(method, path, payload, JSON)
            response = connection.getresponse()
            response.read()
            self.tally[f"{response.status // 100}xx"] += 1
        except (OSError, http.client.HTTPException):
            self.tally["failed"] += 1
            connection.close()

    def run(self) -> None:
        me, other = self.name_, "soak0"
        self.call("POST", "/register", {"username": me, "email": f"{me}@x", "pwd": "pw"})
        n = 0
        while not self.stop.is_set():
            n += 1
            self.connection.close()  # a new connection per round: the server spreads them
            self.call("POST", f"/msgs/{me}?latest={n}", {"content": f"soak message {n}"})
            if me != other:
                self.call("POST", f"/fllws/{me}", {"follow": other})
                self.call("POST", f"/fllws/{me}", {"unfollow": other})
            self.call("GET", "/msgs?no=100")
            self.call("GET", f"/msgs/{me}?no=20")
            self.call("GET", "/public")
            self.call("GET", "/latest")
        self.connection.close()


def soak(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Serve, load and sample until the time is up; the samples and the request tally."""
    stop = threading.Event()
    samples: list[dict[str, Any]] = []
    env = {"SECRET_KEY": "soak", "LOG_FORMAT": "json"}
    with live_minitwit(workdir, env, args.workers) as server:
        port = int(server.url.rsplit(":", 1)[1])
        master = server.process.pid
        clients = [Client(port, number, stop) for number in range(args.clients)]
        for client in clients:
            client.start()
        started = time.monotonic()
        try:
            while (elapsed := time.monotonic() - started) < args.minutes * 60:
                tally = sum((client.tally for client in clients), Counter[str]())
                sample = {"t_s": round(elapsed), "rss_mib": worker_rss(master), **tally}
                samples.append(sample)
                print(f"[soak] {json.dumps(sample)}", flush=True)
                time.sleep(min(args.interval, max(0.0, args.minutes * 60 - elapsed)))
        finally:
            stop.set()
            for client in clients:
                client.join(timeout=15)
        samples.append({"t_s": round(time.monotonic() - started), "rss_mib": worker_rss(master)})
        tally = sum((client.tally for client in clients), Counter[str]())
    return {"samples": samples, "requests": dict(tally)}


def growth(samples: list[dict[str, Any]], warmup: float) -> dict[str, dict[str, float]]:
    """Per worker: RSS at the first sample after warm-up, at the end, and the difference."""
    settled = next((s for s in samples if s["t_s"] >= warmup), samples[0])
    last = samples[-1]
    figures = {}
    for pid, start in settled["rss_mib"].items():
        end = last["rss_mib"].get(pid, 0.0)
        change = round(end - start, 1)
        percent = round(100 * change / start, 1) if start else 0.0
        figures[pid] = {
            "after_warmup_mib": start,
            "end_mib": end,
            "growth_mib": change,
            "growth_percent": percent,
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds before the baseline")
    args = parser.parse_args()
    print(
        f"[soak] {args.minutes:g} min, {args.clients} clients, {args.workers} workers; RSS "
        f"every {args.interval:g} s",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as folder:
        result = soak(args, Path(folder))
    result["growth"] = growth(result["samples"], args.warmup)
    seconds = result["samples"][-1]["t_s"] or 1
    done = sum(result["requests"].values())
    result["settings"] = vars(args)
    print(
        f"requests: {done:,} in {seconds} s ({done / seconds:,.0f}/s); "
        f"outcomes {result['requests']}"
    )
    for pid, figure in result["growth"].items():
        print(
            f"worker {pid}: {figure['after_warmup_mib']} MiB after warm-up -> "
            f"{figure['end_mib']} MiB at the end ({figure['growth_mib']:+} MiB, "
            f"{figure['growth_percent']:+}%)"
        )
    out = ROOT / "reports" / "bench" / "soak.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
