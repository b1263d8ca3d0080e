"""After a run (master or single process): summarise it, judge it, write the reports.

``summarise`` gathers the figures into a :class:`Summary`, ``judge`` applies the SLO
thresholds, ``announce`` prints the verdict and ``write`` puts summary.json, the plots
and index.html in the report folder. ``replay.on_quitting`` calls them in that order.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from gevent.pool import Pool
from locust.env import Environment

from devtools.portal import history
from devtools.simulator import basic_auth
from devtools.verdict import Verdict

from . import slo
from .integrity import IntegrityResult, check
from .page import write_page
from .report import Sample, plot, samples_as_dicts, write_summary
from .state import Replay

log = logging.getLogger("loadtest.results")
PERCENTILES = (0.5, 0.9, 0.95, 0.99)


@dataclass(frozen=True)
class Summary:
    """A finished run in figures: what summary.json holds besides the verdict."""

    host: str | None
    requests: int
    failures: int
    failure_ratio: float
    percentiles_ms: dict[str, float | None]
    max_ms: float | None
    requests_per_s: float
    errors_by_category: dict[str, int] = field(default_factory=dict)
    errors_by_command: dict[str, dict[str, int]] = field(default_factory=dict)
    integrity: IntegrityResult | None = None
    complete: bool | None = None  # None: nothing was replayed (e.g. only WebUser)
    progress: str = ""  # "completed/total actions"
    replay: dict[str, Any] | None = None
    timeline: list[Sample] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Simulator errors of every category."""
        return sum(self.errors_by_category.values())

    def as_dict(self, verdict: Verdict) -> dict[str, Any]:
        """summary.json's content."""
        shown: dict[str, Any] = {
            "verdict": verdict.as_dict(),
            "host": self.host,
            "requests": self.requests,
            "failures": self.failures,
            "failure_ratio": self.failure_ratio,
            "percentiles_ms": self.percentiles_ms,
            "max_ms": self.max_ms,
            "requests_per_s": self.requests_per_s,
            "errors_by_category": self.errors_by_category,
            "errors_by_command": self.errors_by_command,
            "integrity": None if self.integrity is None else self.integrity.as_dict(),
        }
        if self.replay is not None:
            shown["replay"] = self.replay
        if self.timeline:
            shown["timeline"] = samples_as_dicts(self.timeline)
        return shown


def thresholds_from(options: Any) -> slo.Thresholds:
    """The SLO thresholds named on the command line."""
    return slo.Thresholds(
        max_errors=options.slo_max_errors,
        max_failure_ratio=options.slo_max_failure_ratio,
        p95_ms=options.slo_p95_ms,
        require_complete=not options.allow_partial,
        require_integrity=not options.no_integrity,
    )


def check_integrity(environment: Environment, replay: Replay) -> IntegrityResult | None:
    """Compare the server's users with what the replayed actions imply."""
    options, coordinator = environment.parsed_options, replay.coordinator
    if coordinator is None or options is None or options.no_integrity or not environment.host:
        return None
    session = requests.Session()
    session.headers["Authorization"] = basic_auth(options.sim_username, options.sim_password)
    base = environment.host.rstrip("/")

    def fetch(path: str) -> Any:
        response = session.get(base + path, timeout=30)
        response.raise_for_status()
        return response.json()

    scheduler = coordinator.scheduler
    final = scheduler.last_id if scheduler.finished else None
    try:
        return check(fetch, coordinator.expected, final, map_users=Pool(8).imap)
    finally:
        session.close()


def summarise(environment: Environment, replay: Replay) -> Summary:
    """The run's figures: Locust's totals, the replay's errors and progress, integrity."""
    total, coordinator = environment.stats.total, replay.coordinator
    answered = bool(total.num_requests)
    percentiles: dict[str, float | None] = {
        f"p{int(q * 100)}": total.get_response_time_percentile(q) if answered else None
        for q in PERCENTILES
    }
    by_category: Counter[str] = Counter()
    by_command: dict[str, dict[str, int]] = {}
    complete, progress, figures = None, "", None
    if coordinator is not None:
        for (command, category), count in coordinator.errors.items():
            by_category[category] += count
            by_command.setdefault(command, {})[category] = count
        scheduler, duration = coordinator.scheduler, coordinator.finished_at
        complete = scheduler.finished
        progress = f"{scheduler.completed}/{replay.total} actions"
        options = environment.parsed_options
        figures = {
            "scenario": replay.scenario_name,
            "actions": replay.total,
            "completed": scheduler.completed,
            "sent_by_command": dict(coordinator.sent),
            "complete": scheduler.finished,
            "duration_s": duration,
            "speedup": options.speedup if options is not None else None,
            "actions_per_s": scheduler.completed / duration if duration else None,
        }
    return Summary(
        host=environment.host,
        requests=total.num_requests,
        failures=total.num_failures,
        failure_ratio=total.fail_ratio,
        percentiles_ms=percentiles,
        max_ms=total.max_response_time if answered else None,
        requests_per_s=total.total_rps,
        errors_by_category=dict(by_category),
        errors_by_command=by_command,
        integrity=check_integrity(environment, replay),
        complete=complete,
        progress=progress,
        replay=figures,
        timeline=list(replay.timeline.samples) if replay.timeline is not None else [],
    )


def judge(summary: Summary, thresholds: slo.Thresholds) -> Verdict:
    """The SLO verdict on a run."""
    return slo.judge(
        thresholds,
        errors=summary.errors,
        failure_ratio=summary.failure_ratio,
        p95_ms=summary.percentiles_ms["p95"],
        complete=summary.complete,
        progress=summary.progress,
        integrity_ok=None if summary.integrity is None else summary.integrity.ok,
    )


def announce(summary: Summary, verdict: Verdict) -> None:
    """Print the verdict (and the first integrity mismatches) for the operator."""
    print(verdict.text("SLO verdict"), flush=True)
    checked = summary.integrity
    if checked is not None and not checked.ok:
        print(
            f"integrity: {len(checked.mismatches)} mismatches, error={checked.error}; "
            f"first: {checked.mismatches[:3]}",
            flush=True,
        )


def write(directory: Path, summary: Summary, verdict: Verdict, p95_limit_ms: float) -> Path:
    """Write summary.json, the plots and index.html into ``directory``; return the page."""
    shown = summary.as_dict(verdict)
    write_summary(directory / "summary.json", shown)
    if summary.timeline:
        try:
            plot(directory, summary.timeline, summary.errors_by_category, p95_limit_ms)
        except Exception:  # a plot must not change the verdict
            log.exception("could not draw the plots")
    page = write_page(directory, shown, verdict)
    history.snapshot(directory, "load")
    return page
