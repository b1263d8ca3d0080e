"""Drill 4: the whole server kill -9'ed while it acknowledges writes on SQLite, then restarted."""

from __future__ import annotations

import time

from faults.drill import Context, DrillResult, drill
from faults.servers import bare_server
from faults.traffic import Plan, Traffic
from faults.verify import verify


@drill("server-kill", "Whole server kill -9'ed during writes on SQLite, restarted on the same file")
def server_kill(context: Context) -> DrillResult:
    """SIGKILL the server's process group mid-write; after a restart every 204 is still there."""
    result = DrillResult("server-kill", "Whole server kill -9'ed on SQLite, then restarted")
    pre, post = (1.5, 2.0) if context.quick else (5.0, 5.0)
    with bare_server(context.workdir / "server-kill") as server:
        plan = Plan(threads=4, rate=150.0, seconds=pre + post + 60, read_share=0.05)
        traffic = Traffic(server.url, plan)
        with traffic.running():
            time.sleep(pre)
            pid, moment = server.pid, traffic.now()
            context.say(result.name, f"kill -9 of process group {pid} at t={moment:.1f} s")
            server.kill()
            server.start()
            back = traffic.now()
            context.say(result.name, f"restarted on the same file at t={back:.1f} s")
            time.sleep(post)
        verification = verify(server.url, traffic.result)
    outcome = traffic.result
    result.window = (moment, back)
    result.injected = f"SIGKILL of the server's process group ({pid}: server and workers)"
    result.record_traffic(outcome, verification)
    result.recovery_seconds = outcome.recovery_after(back)
    acknowledged = len(outcome.acknowledged)
    result.effect = (
        f"{len(outcome.failed)} requests failed while it was down; {acknowledged} acknowledged "
        f"writes, {result.acknowledged_lost} missing after the restart"
    )
    writes_before = [r for r in outcome.between(0, moment) if r.status == 204]
    result.check(
        "writes were acknowledged before the kill", bool(writes_before), len(writes_before)
    )
    result.check(
        "served again after the restart",
        result.recovery_seconds is not None,
        result.recovery_seconds,
    )
    return result
