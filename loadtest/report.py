"""Samples a run four times a second and writes summary.json and PNG plots for it.

A quarter of a second keeps the plots meaningful for the default run (a few seconds) while
staying cheap for an hour-long one (14,400 samples).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import gevent


@dataclass
class Sample:
    """The state of a run at one moment (cumulative counts, interval latencies)."""

    t: float
    completed: int
    errors: int
    max_completed_id: int
    requests: int
    failures: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None


def percentile(histogram: Mapping[int, int], fraction: float) -> float | None:
    """The ``fraction`` percentile of a {value: count} histogram (None when empty)."""
    total = sum(histogram.values())
    if total <= 0:
        return None
    rank, seen = fraction * total, 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return float(value)
    return float(max(histogram))


@dataclass(frozen=True)
class Progress:
    """What a probe reports at one moment: replay counts and Locust's running totals."""

    t: float  # seconds since the replay started
    completed: int
    errors: int
    max_completed_id: int
    stats: Any  # Locust's StatsEntry for all requests (num_requests, response_times...)


class Timeline:
    """Collects a :class:`Sample` every ``interval`` seconds from a probe function."""

    def __init__(self, probe: Callable[[], Progress], interval: float = 0.25):
        self.samples: list[Sample] = []
        self._probe = probe
        self._interval = interval
        self._previous: Counter[int] = Counter()
        self._greenlet: gevent.Greenlet | None = None

    def start(self) -> None:
        if self._greenlet is None:
            self._greenlet = gevent.spawn(self._run)

    def stop(self) -> None:
        if self._greenlet is not None:
            self._greenlet.kill(block=False)
            self._greenlet = None
        self.sample()

    def _run(self) -> None:
        while True:
            gevent.sleep(self._interval)
            self.sample()

    def sample(self) -> None:
        progress = self._probe()
        total = progress.stats
        histogram = Counter(total.response_times)
        interval = histogram - self._previous
        self._previous = histogram
        self.samples.append(
            Sample(
                round(progress.t, 3),
                progress.completed,
                progress.errors,
                progress.max_completed_id,
                total.num_requests,
                total.num_failures,
                percentile(interval, 0.50),
                percentile(interval, 0.95),
                percentile(interval, 0.99),
            )
        )


def write_summary(path: Path, summary: dict[str, Any]) -> Path:
    """Write ``summary`` as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2, sort_keys=True, default=str) + "\n")
    return path


def plot(
    directory: Path,
    samples: list[Sample],
    errors: Mapping[str, int],
    p95_limit_ms: float | None = None,
) -> list[Path]:
    """Throughput, latency percentiles (with the SLO limit), progress and errors, as PNGs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    times = [s.t for s in samples]
    written: list[Path] = []

    def save(fig: Any, name: str) -> None:
        fig.tight_layout()
        target = directory / name
        fig.savefig(target, dpi=100)
        plt.close(fig)
        written.append(target)

    fig, ax = plt.subplots(figsize=(8, 4))
    rates = [0.0] + [(b.requests - a.requests) / max(b.t - a.t, 1e-9) for a, b in pairwise(samples)]
    fails = [0.0] + [(b.failures - a.failures) / max(b.t - a.t, 1e-9) for a, b in pairwise(samples)]
    ax.plot(times, rates[: len(times)], label="requests/s")
    ax.plot(times, fails[: len(times)], label="failures/s", color="tab:red")
    ax.set(title="Throughput", xlabel="seconds since start", ylabel="per second")
    ax.legend()
    save(fig, "throughput.png")

    fig, ax = plt.subplots(figsize=(8, 4))
    for field in ("p50_ms", "p95_ms", "p99_ms"):
        ax.plot(times, [getattr(s, field) for s in samples], label=field.replace("_ms", ""))
    if p95_limit_ms is not None:
        ax.axhline(
            p95_limit_ms, color="tab:red", linestyle=":", label=f"SLO p95 {p95_limit_ms:g} ms"
        )
    ax.set(
        title="Response time percentiles (per interval)", xlabel="seconds since start", ylabel="ms"
    )
    ax.legend()
    save(fig, "latency.png")

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(times, [s.max_completed_id for s in samples], label="highest completed id (latest)")
    ax.plot(times, [s.completed for s in samples], label="actions completed", linestyle="--")
    ax.set(title="Replay progress", xlabel="seconds since start", ylabel="actions")
    ax.legend()
    save(fig, "progress.png")

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.set(title="Simulator errors by category", ylabel="count")
    if any(errors.values()):
        names = list(errors)
        ax.bar(names, [errors[name] for name in names], color="tab:red")
        ax.tick_params(axis="x", labelrotation=20)
    else:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No simulator errors in this run", ha="center", va="center", fontsize=16)
    save(fig, "errors.png")
    return written


def samples_as_dicts(samples: list[Sample]) -> list[dict[str, Any]]:
    return [asdict(sample) for sample in samples]
