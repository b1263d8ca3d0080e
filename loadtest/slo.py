"""Service-level objectives for a replay, judged into the shared verdict that sets the exit code."""

from __future__ import annotations

from dataclasses import dataclass

from devtools.verdict import Verdict


@dataclass(frozen=True)
class Thresholds:
    """What a run must meet: simulator errors, Locust failure ratio, p95 latency."""

    max_errors: int = 0
    max_failure_ratio: float = 0.0
    p95_ms: float = 300.0
    require_complete: bool = True
    require_integrity: bool = True


def judge(
    thresholds: Thresholds,
    *,
    errors: int,
    failure_ratio: float,
    p95_ms: float | None,
    complete: bool | None,
    progress: str,
    integrity_ok: bool | None,
) -> Verdict:
    """Apply the thresholds; ``None`` means 'not measured' (a check that cannot pass)."""
    verdict = Verdict()
    verdict.add("simulator errors", errors <= thresholds.max_errors, errors, thresholds.max_errors)
    verdict.add(
        "failure ratio",
        failure_ratio <= thresholds.max_failure_ratio,
        round(failure_ratio, 6),
        thresholds.max_failure_ratio,
    )
    verdict.add(
        "p95 latency ms",
        p95_ms is not None and p95_ms <= thresholds.p95_ms,
        p95_ms,
        thresholds.p95_ms,
    )
    if complete is not None:
        verdict.add(
            "scenario complete",
            complete or not thresholds.require_complete,
            progress,
            "all actions" if thresholds.require_complete else "partial allowed",
        )
    if integrity_ok is not None:
        verdict.add(
            "integrity",
            bool(integrity_ok) or not thresholds.require_integrity,
            {True: "matches", False: "mismatch", None: "not checked"}[integrity_ok],
            "server state matches the replay",
        )
    return verdict
