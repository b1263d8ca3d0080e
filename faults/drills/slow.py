"""Drill 5: 200 slow connections against the load balancer and against a bare ``minitwit serve``."""

from __future__ import annotations

import time
from contextlib import ExitStack

from devtools.simulator import SIMULATOR_AUTH
from devtools.slowclients import slow_clients
from faults.drill import Context, DrillResult, Skip, drill
from faults.records import TrafficResult
from faults.servers import bare_server
from faults.traffic import Plan, Traffic

BUDGET = 0.3  # the simulator's timeout: p99 of normal clients must stay under it


def _measure(url: str, count: int, seconds: float) -> tuple[TrafficResult, int, int]:
    """Normal traffic while ``count`` slow clients hold connections: half trickle headers, half
    a 30-byte body with the simulator's credentials (so the app must wait to read it)."""
    with ExitStack() as stack:
        heads = stack.enter_context(slow_clients(url, count // 2, 1.0, limit=seconds + 30))
        bodies = stack.enter_context(
            slow_clients(
                url,
                count - count // 2,
                1.0,
                body=True,
                limit=seconds + 30,
                length=30,
                headers=SIMULATOR_AUTH,
            )
        )
        time.sleep(0.5)  # let them settle in
        traffic = Traffic(url, Plan(threads=4, rate=60.0, seconds=seconds))
        with traffic.running():
            traffic.wait(seconds + 5)
        opened, dropped = heads.opened + bodies.opened, heads.dropped + bodies.dropped
    return traffic.result, opened, dropped


def _judge(result: DrillResult, label: str, outcome: TrafficResult, opened: int) -> None:
    p99 = outcome.latency_percentile(0.99)
    shown = None if p99 is None else round(p99 * 1000, 1)
    result.check(
        f"{label}: p99 of normal clients", p99 is not None and p99 < BUDGET, shown, "< 300 ms"
    )
    result.check(f"{label}: no failed normal request", not outcome.failed, len(outcome.failed), 0)
    result.details[label] = {**outcome.summary(), "slow_connections": opened}


@drill("slow-clients", "200 slow connections vs the load balancer and a bare minitwit serve")
def slow(context: Context) -> DrillResult:
    """Hold slowloris connections open while normal clients replay: p99 stays under 0.3 s."""
    result = DrillResult("slow-clients", "200 slow connections")
    count, seconds = (100, 2.0) if context.quick else (200, 10.0)
    result.injected = (
        f"{count} connections trickling, one line or byte per second: half their headers, half "
        "an authenticated 30-byte body the app must read"
    )
    failed = 0
    try:
        with context.cluster(context.workdir / "slow-clients") as running:
            context.say(result.name, f"{count} slow clients against the load balancer")
            outcome, opened, _dropped = _measure(running.url, count, seconds)
            _judge(result, "load balancer", outcome, opened)
            failed += len(outcome.failed)
            result.series = outcome.series()
    except Skip as reason:
        result.verdict.gap(f"load balancer not measured: {reason}")
    with bare_server(context.workdir / "slow-clients-bare") as server:
        context.say(result.name, f"{count} slow clients against a bare minitwit serve")
        outcome, opened, _dropped = _measure(server.url, count, seconds)
        _judge(result, "bare serve", outcome, opened)
        failed += len(outcome.failed)
        result.series = result.series or outcome.series()
    result.failed_requests = failed
    result.window = (0.0, seconds)
    figures = "; ".join(
        f"{label}: p99 {d['p99_ms']} ms, {d['failed_requests']} failed"
        for label, d in result.details.items()
    )
    result.effect = f"normal clients under slow connections: {figures}"
    return result
