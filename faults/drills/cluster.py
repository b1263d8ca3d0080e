"""Drills 1-3 through nginx: database outage, replica kill, rolling restart."""

from __future__ import annotations

import time
from collections import Counter

from deploy.cluster import Cluster
from faults.drill import Context, DrillResult, drill
from faults.records import Record, TrafficResult
from faults.traffic import Plan, Traffic
from faults.verify import verify
from loadtest.simulator import TIMEOUT

GRACE = 5.0  # seconds after the database is back in which errors may still be seen
IN_FLIGHT = 0.05  # a request that started this soon after a kill may already have been sent


def _plan(context: Context, seconds: float) -> Plan:
    return Plan(threads=4, rate=80.0 if context.quick else 120.0, seconds=seconds + 30)


def _idle(traffic: Traffic, seconds: float) -> float:
    """Let traffic run for ``seconds``; return the traffic clock afterwards."""
    time.sleep(seconds)
    return traffic.now()


@drill("database-outage", "PostgreSQL stopped during traffic through the cluster, then started")
def database_outage(context: Context) -> DrillResult:
    """Stop PostgreSQL for a window: 503s only inside it, quick recovery, nothing lost."""
    result = DrillResult("database-outage", "PostgreSQL stopped, then started")
    pre, window, post = (2.0, 3.0, 4.0) if context.quick else (5.0, 10.0, 10.0)
    with context.cluster(context.workdir / "database-outage") as running:
        since = len(running.access_log())
        traffic = Traffic(running.url, _plan(context, pre + window + post))
        with traffic.running():
            start = _idle(traffic, pre)
            context.say(result.name, f"stopping PostgreSQL at t={start:.1f} s for {window:.0f} s")
            try:
                running.stop_database()
                time.sleep(window)
            finally:
                running.start_database()
            end = traffic.now()
            context.say(result.name, f"PostgreSQL started again at t={end:.1f} s")
            _idle(traffic, post)
        context.say(result.name, "verifying acknowledged writes")
        verification = verify(running.url, traffic.result)
        result.details["nginx_errors"] = _nginx_errors(running, since)
    outcome = traffic.result
    result.window = (start, end)
    result.injected = f"pg_ctl stop -m fast of the cluster's PostgreSQL for {window:.0f} s"
    result.record_traffic(outcome, verification)
    # Timeouts are judged apart: on a shared 2-core machine they also happen without a fault.
    result.recovery_seconds = outcome.recovery_after(end, ignore=(TIMEOUT,))
    hard = [r for r in outcome.failed if r.error != TIMEOUT]
    inside = [r for r in hard if start <= r.start <= end + GRACE]
    timeouts_in, share_in = _timeouts(outcome.between(start, end))
    outside = [r for r in outcome.records if not start <= r.start <= end]
    timeouts_out, share_out = _timeouts(outside)
    statuses = sorted({r.status for r in hard})
    result.effect = (
        f"{len(outcome.failed)} failed requests ({_categories(outcome)}), {len(inside)} of the "
        f"{len(hard)} non-timeout errors in the window + grace; timeouts {timeouts_in} in the "
        f"window, {timeouts_out} outside; recovered {result.recovery_seconds} s after the "
        f"database was back; nginx: {result.details['nginx_errors'] or 'no 5xx'}"
    )
    result.check("the outage was visible (errors in the window)", bool(inside), len(inside), "> 0")
    late = len(hard) - len(inside)
    result.check("no 5xx/connection error outside the window + grace", not late, late, 0)
    other = [r for r in hard if r.status != 503]
    result.check("errors are 503, never another status", not other, statuses, "[503]")
    result.check(
        "no more timeouts in the window than outside it (+2 %)",
        share_in <= share_out + 0.02,
        f"{share_in:.1%} vs {share_out:.1%}",
    )
    recovered = result.recovery_seconds is not None and result.recovery_seconds <= GRACE
    result.check("recovered without restart", recovered, result.recovery_seconds, f"{GRACE} s")
    return result


@drill("replica-kill", "One replica kill -9'ed during traffic through the load balancer")
def replica_kill(context: Context) -> DrillResult:
    """SIGKILL one replica's process group: only requests in flight on it may fail."""
    result = DrillResult("replica-kill", "One replica kill -9'ed")
    pre, post = (2.0, 3.0) if context.quick else (5.0, 10.0)
    with context.cluster(context.workdir / "replica-kill") as running:
        victim = running.replicas[len(running.replicas) // 2]
        since = len(running.access_log())
        traffic = Traffic(running.url, _plan(context, pre + post))
        with traffic.running():
            moment = _idle(traffic, pre)
            context.say(
                result.name, f"kill -9 of {victim.name} (pgid {victim.pid}) at t={moment:.1f}"
            )
            victim.kill()
            _idle(traffic, post)
        verification = verify(running.url, traffic.result)
        result.details["nginx_errors"] = _nginx_errors(running, since)
        victim.start()  # leave the cluster whole for whoever uses it next
    outcome = traffic.result
    result.window = (moment, moment)
    result.injected = f"SIGKILL of {victim.name}'s process group (server and workers)"
    result.record_traffic(outcome, verification)
    late = [r for r in outcome.failed if r.start > moment + IN_FLIGHT]
    in_flight = [r for r in outcome.failed if r.start <= moment + IN_FLIGHT]
    result.effect = (
        f"{len(in_flight)} requests failed that were in flight at the kill, {len(late)} later; "
        f"{len(outcome.between(moment, moment + post))} requests after it were served"
    )
    result.check("no request failed after the kill", not late, len(late), 0)
    limit = traffic.plan.threads
    result.check("only requests in flight failed", len(in_flight) <= limit, len(in_flight), limit)
    served = [r for r in outcome.between(moment + 1, moment + post) if r.error is None]
    result.check("traffic kept flowing to the others", bool(served), len(served), "> 0")
    return result


@drill("rolling-restart", "Rolling restart of every replica during traffic")
def rolling_restart(context: Context) -> DrillResult:
    """Restart the replicas one by one (SIGTERM, start, ready): no request fails."""
    result = DrillResult("rolling-restart", "Rolling restart of every replica")
    pre, post = (1.0, 1.0) if context.quick else (3.0, 5.0)
    with context.cluster(context.workdir / "rolling-restart") as running:
        since = len(running.access_log())
        traffic = Traffic(running.url, _plan(context, pre + post + 30))
        with traffic.running():
            start = _idle(traffic, pre)
            context.say(result.name, f"rolling restart of {len(running.replicas)} replicas")
            running.rolling_restart()  # pauses past nginx's fail_timeout (docs/cluster.md)
            end = traffic.now()
            context.say(result.name, f"rolling restart done at t={end:.1f} s")
            _idle(traffic, post)
        verification = verify(running.url, traffic.result)
        result.details["nginx_errors"] = _nginx_errors(running, since)
    outcome = traffic.result
    result.window = (start, end)
    result.injected = (
        f"SIGTERM, start, wait ready: each of {len(running.replicas)} replicas in turn"
    )
    result.record_traffic(outcome, verification)
    result.effect = (
        f"{len(outcome.failed)} failed requests ({_categories(outcome)}); nginx: "
        f"{result.details['nginx_errors'] or 'no 5xx'}"
    )
    during = outcome.between(start, end)
    result.check("traffic ran during the restart", bool(during), len(during), "> 0")
    result.check("no failed request", not outcome.failed, len(outcome.failed), 0)
    return result


def _nginx_errors(running: Cluster, since: int) -> dict[str, int]:
    """nginx's own account of the failed answers since entry ``since`` of its access log."""
    entries = running.access_log()[since:]
    return dict(
        Counter(
            f"{e['status']} (upstream {e.get('upstream_status') or '-'}"
            + (": no live upstream)" if e.get("upstream") == "minitwit" else ")")
            for e in entries
            if int(e.get("status", 0)) >= 500
        )
    )


def _timeouts(records: list[Record]) -> tuple[int, float]:
    """How many of ``records`` timed out, and their share."""
    count = sum(1 for r in records if r.error == TIMEOUT)
    return count, count / len(records) if records else 0.0


def _categories(outcome: TrafficResult) -> str:
    errors = outcome.errors()
    return ", ".join(f"{count} {name}" for name, count in sorted(errors.items())) or "none"
