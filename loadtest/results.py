"""After a run: integrity check, SLO verdict, summary.json and plots (master or one process)."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests
from gevent.pool import Pool
from locust.env import Environment

from .integrity import IntegrityResult, check
from .page import write_page
from .report import plot, samples_as_dicts, write_summary
from .simulator import basic_auth
from .slo import Thresholds, judge

if TYPE_CHECKING:
    from .replay import Replay

log = logging.getLogger("loadtest.results")


def thresholds_from(options: Any) -> Thresholds:
    return Thresholds(
        max_errors=options.slo_max_errors,
        max_failure_ratio=options.slo_max_failure_ratio,
        p95_ms=options.slo_p95_ms,
        require_complete=not options.allow_partial,
        require_integrity=not options.no_integrity,
    )


def integrity(environment: Environment, state: Replay) -> IntegrityResult | None:
    """Compare the server's users with what the replayed actions imply."""
    options, coordinator = environment.parsed_options, state.coordinator
    if coordinator is None or options is None or options.no_integrity or not environment.host:
        return None
    session = requests.Session()
    session.headers["Authorization"] = basic_auth(options.sim_username, options.sim_password)
    base = environment.host.rstrip("/")

    def fetch(path: str) -> Any:
        response = session.get(base + path, timeout=30)
        response.raise_for_status()
        return response.json()

    pool = Pool(8)
    scheduler = coordinator.scheduler
    final = scheduler.last_id if scheduler.finished else None
    result = check(fetch, coordinator.expected, final, map_users=pool.imap)
    session.close()
    return result


def conclude(environment: Environment, state: Replay) -> int:
    """Judge the run, print the verdict, write the reports; return the exit code."""
    options = environment.parsed_options
    if options is None:
        return 2
    coordinator, total = state.coordinator, environment.stats.total
    if state.timeline is not None:
        state.timeline.stop()
    checked = integrity(environment, state)
    errors_by_category: Counter[str] = Counter()
    errors_by_command: dict[str, dict[str, int]] = {}
    complete, progress = None, ""
    if coordinator is not None:
        for (command, category), count in coordinator.errors.items():
            errors_by_category[category] += count
            errors_by_command.setdefault(command, {})[category] = count
        scheduler = coordinator.scheduler
        complete = scheduler.finished
        progress = f"{scheduler.completed}/{state.total} actions"
    p95 = total.get_response_time_percentile(0.95) if total.num_requests else None
    verdict = judge(
        thresholds_from(options),
        errors=sum(errors_by_category.values()),
        failure_ratio=total.fail_ratio,
        p95_ms=p95,
        complete=complete,
        progress=progress,
        integrity_ok=None if checked is None else checked.ok,
    )
    summary: dict[str, Any] = {
        "verdict": verdict.as_dict(),
        "host": environment.host,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "failure_ratio": total.fail_ratio,
        "percentiles_ms": {
            f"p{int(q * 100)}": total.get_response_time_percentile(q)
            if total.num_requests
            else None
            for q in (0.5, 0.9, 0.95, 0.99)
        },
        "max_ms": total.max_response_time if total.num_requests else None,
        "requests_per_s": total.total_rps,
        "errors_by_category": dict(errors_by_category),
        "errors_by_command": errors_by_command,
        "integrity": None if checked is None else checked.as_dict(),
    }
    if coordinator is not None:
        scheduler = coordinator.scheduler
        summary["replay"] = {
            "scenario": state.scenario_name,
            "actions": state.total,
            "completed": scheduler.completed,
            "sent_by_command": dict(coordinator.sent),
            "complete": scheduler.finished,
            "duration_s": coordinator.finished_at,
            "speedup": options.speedup,
            "actions_per_s": scheduler.completed / coordinator.finished_at
            if coordinator.finished_at
            else None,
        }
    if state.timeline is not None:
        summary["timeline"] = samples_as_dicts(state.timeline.samples)
    print(verdict.text("SLO verdict"), flush=True)
    if checked is not None and not checked.ok:
        print(
            f"integrity: {len(checked.mismatches)} mismatches, error={checked.error}; "
            f"first: {checked.mismatches[:3]}",
            flush=True,
        )
    if options.report_dir:
        directory = Path(options.report_dir)
        write_summary(directory / "summary.json", summary)
        if state.timeline is not None and state.timeline.samples:
            try:
                plot(directory, state.timeline.samples, errors_by_category, options.slo_p95_ms)
            except Exception:  # a plot must not change the verdict
                log.exception("could not draw the plots")
        print(f"report: {write_page(directory, summary, verdict)}", flush=True)
    return 0 if verdict.passed else 1
