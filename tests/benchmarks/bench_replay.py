"""Locust replay throughput: MiniTwit versus a do-nothing WSGI app, both on one HTTP server.

The whole course scenario (``../shared/data/minitwit_scenario.csv`` when present,
else a generated one of the same size) is replayed with 8 users as fast as the
dependencies allow (simulator timeout 0.3 s) against MiniTwit on SQLite (or, with
``--postgres``, on a throwaway PostgreSQL), against ``null_app`` (the ceiling for this
server and this client) and against ``flask_floor`` (the ceiling for any Flask app), each
with 2 workers of ``--server`` (default: ``minitwit serve``'s). Prints actions/s, p50, p99,
errors and the ratios; results: reports/bench/replay.json (replay-postgres.json).

    python -m tests.benchmarks.bench_replay [--users 8] [--workers 2] [--server S] [--postgres]
        [--set TELEMETRY_ENABLED=0]     (settings for MiniTwit only, repeatable)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from devtools.postgres import start_postgres
from loadtest.generate import write_generated
from minitwit.server import DEFAULT_SERVER, SERVERS

from .servers import SHARED_SCENARIO, served

ROOT = Path(__file__).resolve().parents[2]


def replay(url: str, scenario: Path, users: int, report: Path, integrity: bool) -> dict[str, Any]:
    """One headless Locust replay; its summary.json plus wall time and exit code."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--headless",
        "--host",
        url,
        "-u",
        str(users),
        "-r",
        "100",
        "--only-summary",
        "--scenario",
        str(scenario),
        "--report-dir",
        str(report),
        "--run-time",
        "15m",
        "--html",
        str(report / "locust.html"),
        "--csv",
        str(report / "locust"),
    ]
    if not integrity:
        command.append("--no-integrity")
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    wall = time.perf_counter() - started
    summary = json.loads((report / "summary.json").read_text())
    replayed = summary["replay"]
    return {
        "exit_code": done.returncode,
        "wall_s": round(wall, 2),
        "replay_s": round(replayed["duration_s"] or 0, 2),
        "actions": replayed["completed"],
        "actions_per_s": round(replayed["actions_per_s"] or 0, 1),
        "p50_ms": summary["percentiles_ms"]["p50"],
        "p95_ms": summary["percentiles_ms"]["p95"],
        "p99_ms": summary["percentiles_ms"]["p99"],
        "errors": summary["errors_by_category"],
        "errors_by_command": summary["errors_by_command"],
        "integrity": summary["integrity"] and summary["integrity"]["ok"],
        "verdict": summary["verdict"]["passed"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", type=Path, default=None)
    parser.add_argument("--server", choices=SERVERS, default=DEFAULT_SERVER)
    parser.add_argument(
        "--slow-body-slots", type=int, default=None, help="MiniTwit serve's (default: its own)"
    )
    parser.add_argument(
        "--postgres", action="store_true", help="MiniTwit on a throwaway PostgreSQL"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an environment setting for MiniTwit (not the floors), e.g. TELEMETRY_ENABLED=0",
    )
    args = parser.parse_args()
    if bad := [item for item in args.set if "=" not in item]:
        parser.error(f"--set takes KEY=VALUE, not {bad[0]!r}")
    serve_args = (
        () if args.slow_body_slots is None else ("--slow-body-slots", str(args.slow_body_slots))
    )
    out = ROOT / "reports" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-replay-")))
        minitwit_env = dict(item.split("=", 1) for item in args.set)
        if args.postgres:
            postgres = start_postgres()
            stack.callback(postgres.stop)
            minitwit_env["DATABASE_URL"] = postgres.create_database("replay")
        scenario = args.scenario or (
            SHARED_SCENARIO
            if SHARED_SCENARIO.exists()
            else write_generated(workdir / "generated.csv", 25_922, 200, 0)
        )
        results: dict[str, Any] = {
            "scenario": str(scenario),
            "users": args.users,
            "server": args.server,
            "workers": args.workers,
            "serve_args": serve_args,
            "database": "postgresql" if args.postgres else "sqlite",
            "settings": args.set,
            "load_average_before": os.getloadavg(),
        }
        for kind in ("null", "flask", "minitwit"):
            env = minitwit_env if kind == "minitwit" else {}
            with served(
                kind, workdir, args.workers, env, server=args.server, serve_args=serve_args
            ) as server:
                results[kind] = replay(
                    server.url,
                    scenario,
                    args.users,
                    out / f"replay-{kind}",
                    integrity=kind == "minitwit",
                )
            print(f"{kind:>9}: {json.dumps(results[kind])}", flush=True)
        results["load_average_after"] = os.getloadavg()
    minitwit, null, flask = results["minitwit"], results["null"], results["flask"]
    for floor in ("null", "flask"):
        rate = results[floor]["actions_per_s"]
        ratio = round(minitwit["actions_per_s"] / rate, 3) if rate else None
        results[f"throughput_ratio_minitwit_over_{floor}"] = ratio
    written = out / f"replay{'-postgres' if args.postgres else ''}.json"
    written.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"MiniTwit ({results['database']}) replay: {minitwit['replay_s']} s for "
        f"{minitwit['actions']} actions "
        f"({minitwit['actions_per_s']}/s, p50 {minitwit['p50_ms']} ms, p99 {minitwit['p99_ms']} "
        f"ms, errors {minitwit['errors'] or 0}); null app: {null['actions_per_s']}/s "
        f"(p50 {null['p50_ms']} ms, p99 {null['p99_ms']} ms); Flask floor: "
        f"{flask['actions_per_s']}/s; throughput ratio to the null app "
        f"{results['throughput_ratio_minitwit_over_null']}, to the Flask floor "
        f"{results['throughput_ratio_minitwit_over_flask']}; load average "
        f"{results['load_average_before'][0]:.1f} (shared machine: noisy)"
    )
    print(f"written: {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
