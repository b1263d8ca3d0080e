"""Course-style sequential replay: MiniTwit against the original's way and a do-nothing floor.

One request at a time with ``Connection: close`` (like the course simulator), all three
apps under one HTTP server (``--server``, default: ``minitwit serve``'s), 2 workers, SQLite.
They run side by side and take turns,
1,000 actions each, so that the machine getting faster or slower hits all of them alike
(each still sees every action in order). Prints ms per action for each server, and
MiniTwit's time above the floor as a share of the reference's (the target: at most 1/4)
beside the whole-time ratio. Results: reports/bench/sequential.json.

    python -m tests.benchmarks.bench_sequential [--actions N] [--scenario PATH] [--server S]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import statistics
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from devtools.simulator import basic_auth
from loadtest.generate import generate
from loadtest.scenario import Action, read_scenario
from loadtest.simulator import DEFAULT_TIMEOUT, build_request, classify
from minitwit.server import DEFAULT_SERVER, SERVERS

from .servers import SHARED_SCENARIO, served

AUTH = basic_auth()
TARGET = 0.25
"""MiniTwit's time above the do-nothing floor, at most this share of the reference's."""


def send(url: str, actions: list[Action]) -> tuple[float, list[float], Counter[str]]:
    """Send every action in order, a new connection each; count errors like the simulator.

    Returns the wall time, each request's duration and the simulator's error categories.
    """
    host, port = url.removeprefix("http://").split(":")
    errors: Counter[str] = Counter()
    durations = []
    started = time.perf_counter()
    for action in actions:
        request = build_request(action, AUTH, close=True)
        begin = time.perf_counter()
        status, error = 0, None
        connection = http.client.HTTPConnection(host, int(port), timeout=DEFAULT_TIMEOUT)
        try:
            connection.request(request.method, request.path, request.body, request.headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError as exc:
            error = exc
        finally:
            connection.close()
        durations.append(time.perf_counter() - begin)
        category = classify(action.command, status, error)
        if category:
            errors[category] += 1
    return time.perf_counter() - started, durations, errors


def summary(elapsed: float, durations: list[float], errors: Counter[str]) -> dict[str, Any]:
    """ms per action (wall time over the actions), p50/p99 of single requests, errors."""
    durations = sorted(durations)
    return {
        "actions": len(durations),
        "seconds": round(elapsed, 2),
        "ms_per_action": round(1000 * elapsed / len(durations), 3),
        "p50_ms": round(1000 * statistics.median(durations), 3),
        "p99_ms": round(1000 * durations[int(0.99 * (len(durations) - 1))], 3),
        "errors": dict(errors),
    }


def replay_in_turns(
    urls: dict[str, str], actions: list[Action], turn: int = 1000
) -> dict[str, dict[str, Any]]:
    """Replay ``actions`` against every server, ``turn`` actions at a time each, in rotation."""
    turns: dict[str, list[float]] = {name: [] for name in urls}
    durations: dict[str, list[float]] = {name: [] for name in urls}
    errors: dict[str, Counter[str]] = {name: Counter() for name in urls}
    for number, start in enumerate(range(0, len(actions), turn)):
        names = list(urls)
        for name in names[number % len(names) :] + names[: number % len(names)]:
            seconds, times, counts = send(urls[name], actions[start : start + turn])
            turns[name].append(seconds)
            durations[name] += times
            errors[name].update(counts)
        done = min(start + turn, len(actions))
        if number % 5 == 4 or done == len(actions):
            print(f"  ... {done:,} of {len(actions):,} actions", flush=True)
    results = {}
    for name in urls:
        results[name] = summary(sum(turns[name]), durations[name], errors[name])
        results[name]["turn_seconds"] = turns[name]
    return results


def load_actions(path: str | None, count: int) -> tuple[list[Action], str]:
    """The first ``count`` actions of the scenario (all when 0)."""
    if path or SHARED_SCENARIO.exists():
        source = Path(path) if path else SHARED_SCENARIO
        actions = read_scenario(source)
        name = str(source)
    else:
        actions = generate(count or 25_922, users=200, seed=1)
        name = "generated (seed 1)"
    return list(itertools.islice(actions, count or None)), name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=5000, help="0 = the whole scenario")
    parser.add_argument("--scenario", help="scenario file (default: the course's, if present)")
    parser.add_argument("--out", default="reports/bench/sequential.json")
    parser.add_argument("--server", choices=SERVERS, default=DEFAULT_SERVER)
    args = parser.parse_args()
    actions, source = load_actions(args.scenario, args.actions)
    print(f"sequential replay of {len(actions):,} actions from {source}, {args.server}", flush=True)
    kinds = ("null", "reference", "minitwit")
    with tempfile.TemporaryDirectory(prefix="bench-seq-") as tmp, ExitStack() as stack:
        urls = {
            kind: stack.enter_context(served(kind, Path(tmp), server=args.server)).url
            for kind in kinds
        }
        results: dict[str, Any] = replay_in_turns(urls, actions)
    for kind in kinds:
        row = results[kind]
        print(
            f"  {kind:9s} {row['ms_per_action']:7.3f} ms/action  p50 {row['p50_ms']:.3f} "
            f"p99 {row['p99_ms']:.3f} ms  errors {row['errors'] or 0}",
            flush=True,
        )
    floor = results["null"]["ms_per_action"]
    ratio = results["minitwit"]["ms_per_action"] / results["reference"]["ms_per_action"]
    over_floor = results["minitwit"]["ms_per_action"] - floor
    above_floor_ratio = over_floor / (results["reference"]["ms_per_action"] - floor)
    per_turn = sorted(
        (mine - low) / (theirs - low)
        for mine, theirs, low in zip(
            results["minitwit"]["turn_seconds"],
            results["reference"]["turn_seconds"],
            results["null"]["turn_seconds"],
            strict=True,
        )
    )
    results["ratio_minitwit_to_reference"] = round(ratio, 4)
    results["above_floor_ratio_minitwit_to_reference"] = round(above_floor_ratio, 4)
    results["minitwit_ms_over_floor"] = round(over_floor, 3)
    verdict = "met" if above_floor_ratio <= TARGET else "NOT met"
    print(
        f"Above the do-nothing floor MiniTwit takes {above_floor_ratio:.3f} of the reference's "
        f"time (target <= {TARGET}: {verdict}; per turn of 1,000 actions "
        f"{per_turn[0]:.3f}-{per_turn[-1]:.3f}, median {statistics.median(per_turn):.3f}); "
        f"whole time {ratio:.3f} of the reference's; MiniTwit costs {over_floor:.2f} ms/action "
        "above the floor"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"source": source, "server": args.server, **results}, indent=2) + "\n"
    )
    print(f"written {out}")


if __name__ == "__main__":
    main()
