"""Choose MiniTwit's HTTP server by measurement: gunicorn sync, gunicorn gthread, granian.

Each candidate serves the do-nothing app (the floor) and MiniTwit on SQLite, 2 workers
each, all six running side by side and measured in turns (this machine drifts by up to
30 %): the course's sequential replay with ``Connection: close``, keep-alive throughput
with wrk (``GET /latest``, ``POST /msgs/<user>``), the p99 of normal clients while slow
clients are held (headers, then 1 KB bodies, trickled), RSS per worker, metrics adding up
across workers, and whether SIGTERM let a request in flight finish. Prints a table and
MiniTwit's ratios to the floor on the same server; results: reports/bench/servers.json.

    python -m tests.benchmarks.bench_servers [--actions 2000] [--seconds 4] [--rounds 2]
        [--slow 200] [--servers granian,gunicorn,gthread]      (or: nox -s bench -- servers)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from minitwit.server import SERVERS

from . import server_probes as probe
from .bench_sequential import load_actions, replay_in_turns
from .servers import served

APPS = ("null", "minitwit")


def rotations(keys: list[str], rounds: int) -> list[str]:
    """Every key once per round, each round starting one further along."""
    return [keys[(start + i) % len(keys)] for start in range(rounds) for i in range(len(keys))]


def throughput(urls: dict[str, str], seconds: int, rounds: int) -> dict[str, dict[str, Any]]:
    """Median wrk figures per server over ``rounds`` interleaved turns."""
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {k: {"get": [], "post": []} for k in urls}
    for key in rotations(list(urls), rounds):
        runs[key]["get"].append(probe.wrk(urls[key] + "/latest", seconds))
        post_url = f"{urls[key]}/msgs/{probe.BENCH_USER}"
        runs[key]["post"].append(probe.wrk(post_url, seconds, post=True))
        print(f"  wrk {key}: GET {runs[key]['get'][-1]['rps']:.0f}/s", flush=True)
    return {
        key: {
            f"{kind}_rps": round(statistics.median(run["rps"] for run in results), 0)
            for kind, results in runs[key].items()
        }
        | {
            f"{kind}_bad": sum(run["non_2xx"] + run["socket_errors"] for run in results)
            for kind, results in runs[key].items()
        }
        for key in urls
    }


def measure(args: argparse.Namespace, workdir: Path) -> dict[str, dict[str, Any]]:
    """Start every candidate with both apps, run each probe in turns, stop with SIGTERM."""
    keys = [f"{app}/{server}" for server in args.servers for app in APPS]
    results: dict[str, dict[str, Any]] = {key: {} for key in keys}
    with ExitStack() as stack:
        running = {
            key: stack.enter_context(served(key.split("/")[0], workdir, server=key.split("/")[1]))
            for key in keys
        }
        urls = {key: server.url for key, server in running.items()}
        actions, source = load_actions(None, args.actions)
        print(f"sequential replay of {len(actions):,} actions from {source}", flush=True)
        for key, row in replay_in_turns(urls, actions, max(1, len(actions) // 4)).items():
            row.pop("turn_seconds")
            results[key]["sequential"] = row
        for url in urls.values():
            probe.register(url)
        for key, row in throughput(urls, args.seconds, args.rounds).items():
            results[key]["keepalive"] = row
        for key in rotations(keys, 1):
            results[key]["memory"] = probe.rss_per_worker(running[key].process.pid)
            if key.startswith("minitwit/"):
                results[key]["metrics"] = probe.metrics_add_up(urls[key])
            results[key]["slow_headers"] = probe.beside_slow_clients(urls[key], args.slow)
            results[key]["slow_bodies"] = probe.beside_slow_clients(urls[key], args.slow, 1000)
            print(f"  slow clients {key}: done", flush=True)
        for key in keys:
            results[key]["sigterm"] = probe.drains_in_flight(running[key])
    return results


def show(results: dict[str, dict[str, Any]], servers: list[str]) -> None:
    """Print the table, then MiniTwit's ratios to the floor on each server."""
    print(
        f"{'app/server':18s} {'seq ms/act':>10s} {'p50':>6s} {'p99':>6s} {'GET/s':>7s} "
        f"{'POST/s':>7s} {'slowhdr p99':>11s} {'slowbody p99':>12s} {'RSS MiB':>7s} "
        f"{'SIGTERM':>8s} {'metrics':>7s}"
    )
    for key, row in results.items():
        seq, keep = row["sequential"], row["keepalive"]

        def slow(probe_row: dict[str, Any]) -> str:
            return "starved" if probe_row["starved"] else f"{probe_row['p99_ms']:.1f} ms"

        metrics = row.get("metrics", {}).get("ok")
        print(
            f"{key:18s} {seq['ms_per_action']:10.3f} {seq['p50_ms']:6.2f} {seq['p99_ms']:6.2f} "
            f"{keep['get_rps']:7.0f} {keep['post_rps']:7.0f} {slow(row['slow_headers']):>11s} "
            f"{slow(row['slow_bodies']):>12s} {row['memory']['worker_mib']:7.1f} "
            f"{'drained' if row['sigterm']['drained'] else 'LOST':>8s} "
            f"{'-' if metrics is None else 'add up' if metrics else 'WRONG':>7s}"
        )
    for server in servers:
        mine, floor = results[f"minitwit/{server}"], results[f"null/{server}"]
        over = mine["sequential"]["ms_per_action"] - floor["sequential"]["ms_per_action"]
        get = mine["keepalive"]["get_rps"] / max(floor["keepalive"]["get_rps"], 1)
        post = mine["keepalive"]["post_rps"] / max(floor["keepalive"]["post_rps"], 1)
        print(
            f"MiniTwit / floor on {server}: sequential +{over:.2f} ms/action above the floor; "
            f"keep-alive GET /latest {get:.2f}, POST /msgs {post:.2f} of the floor's throughput"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=2000, help="sequential replay length")
    parser.add_argument("--seconds", type=int, default=4, help="each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved wrk turns")
    parser.add_argument("--slow", type=int, default=200, help="slow connections held")
    parser.add_argument("--servers", default=",".join(SERVERS), help="comma-separated")
    parser.add_argument("--out", default="reports/bench/servers.json")
    args = parser.parse_args()
    args.servers = [name for name in args.servers.split(",") if name]
    if unknown := set(args.servers) - set(SERVERS):
        parser.error(f"unknown server(s) {sorted(unknown)}; choose from {', '.join(SERVERS)}")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-servers-") as tmp:
        results = measure(args, Path(tmp))
    show(results, args.servers)
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    document = {"settings": {k: v for k, v in vars(args).items() if k != "out"}, **results}
    out.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
