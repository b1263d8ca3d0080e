"""The shape of a drill and its result; the registry ``python -m faults`` runs from.

A drill is a function ``(Context) -> DrillResult``; it raises :class:`Skip` when something it
needs is missing here (nginx, PostgreSQL), and a skipped drill is never a pass. Each result
says what was injected, when (the window, in seconds of the traffic's clock), what clients saw,
and the verdict as checks (:class:`devtools.verdict.Verdict`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deploy.cluster import Cluster
from devtools.verdict import Verdict

from .records import TrafficResult
from .verify import Verification

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


class Skip(Exception):
    """This drill cannot run here; the message says why."""


@dataclass
class Context:
    """Where a drill works and how big it is: ``quick`` shortens windows and traffic.

    ``shared_cluster`` lets several drills use one running cluster (the fast tests do); each
    drill leaves it whole. Without it every cluster drill starts a fresh one.
    """

    workdir: Path
    quick: bool = False
    progress: Callable[[str], None] = print
    shared_cluster: Cluster | None = None

    def cluster(self, workdir: Path) -> AbstractContextManager[Cluster]:
        """The shared cluster, or a fresh one in ``workdir`` (Skip when parts are missing)."""
        if self.shared_cluster is not None:
            return nullcontext(self.shared_cluster)
        from .servers import cluster

        return cluster(workdir)

    def say(self, drill: str, phase: str) -> None:
        """One progress line: ``[drill] phase``."""
        self.progress(f"[{drill}] {phase}")


@dataclass
class DrillResult:
    """One drill's outcome, with the fields summary.json promises."""

    name: str
    title: str
    injected: str = ""
    effect: str = ""
    window: tuple[float, float] | None = None
    verdict: Verdict = field(default_factory=Verdict)
    acknowledged_lost: int | None = None
    failed_requests: int | None = None
    recovery_seconds: float | None = None
    series: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None
    plots: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.skipped is not None:
            return SKIPPED
        return PASSED if self.verdict.checks and self.verdict.passed else FAILED

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def check(self, name: str, passed: bool, measured: Any = None, limit: Any = None) -> None:
        """Add one check to the verdict."""
        self.verdict.add(name, passed, measured, limit)

    def record_traffic(self, traffic: TrafficResult, verification: Verification | None) -> None:
        """Take failed requests, series and (when verified) acknowledged_lost from a run."""
        self.failed_requests = len(traffic.failed)
        self.series = traffic.series()
        self.details["traffic"] = traffic.summary()
        if verification is not None:
            self.acknowledged_lost = len(verification.lost)
            self.details["verification"] = verification.as_dict()
            self.check(
                "every acknowledged write is there",
                verification.ok,
                f"{len(verification.lost)} lost of {verification.checked} checked"
                + (f" ({verification.error})" if verification.error else ""),
                "0 lost",
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "status": self.status,
            "passed": self.passed,
            "skipped_reason": self.skipped,
            "injected": self.injected,
            "window": None if self.window is None else [round(t, 2) for t in self.window],
            "effect": self.effect,
            "acknowledged_lost": self.acknowledged_lost,
            "failed_requests": self.failed_requests,
            "recovery_seconds": self.recovery_seconds,
            "checks": self.verdict.as_dict()["checks"],
            "details": self.details,
            "series": self.series,
            "plots": self.plots,
        }


Drill = Callable[[Context], DrillResult]


@dataclass(frozen=True)
class Entry:
    """A registered drill: its name (for ``--only``), title and function."""

    name: str
    title: str
    run: Drill


REGISTRY: dict[str, Entry] = {}


def drill(name: str, title: str) -> Callable[[Drill], Drill]:
    """Register a drill under ``name``; the registry keeps definition order."""

    def register(function: Drill) -> Drill:
        REGISTRY[name] = Entry(name, title, function)
        return function

    return register


def run_one(entry: Entry, context: Context) -> DrillResult:
    """Run a drill; a Skip becomes a skipped result, any other error a failed one."""
    context.say(entry.name, f"start: {entry.title}")
    try:
        result = entry.run(context)
    except Skip as reason:
        result = DrillResult(entry.name, entry.title, skipped=str(reason))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a drill that crashes is a failed drill, with the reason
        result = DrillResult(entry.name, entry.title)
        result.check("drill ran to the end", False, f"{type(exc).__name__}: {exc}")
    context.say(entry.name, f"{result.status}" + (f" ({result.skipped})" if result.skipped else ""))
    return result
