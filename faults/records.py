"""What traffic saw: one record per request, the acknowledged writes, per-second series."""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from loadtest.scenario import Action
from loadtest.simulator import TIMEOUT


@dataclass(frozen=True, slots=True)
class Record:
    """One request: when it started (s since the timed phase began), how long, what came back."""

    start: float
    latency: float
    command: str
    status: int  # 0: no answer
    error: str | None  # the simulator's error category, None when not an error

    @property
    def end(self) -> float:
        return self.start + self.latency


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


@dataclass
class TrafficResult:
    """Everything one traffic run recorded; thread-safe to fill."""

    url: str
    run_id: str
    timeout: float
    duration: float = 0.0
    records: list[Record] = field(default_factory=list)
    acknowledged: list[Action] = field(default_factory=list)
    unacknowledged: list[Action] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, record: Record) -> None:
        with self._lock:
            self.records.append(record)

    def acknowledge(self, action: Action) -> None:
        """A write answered 204: it must be in the database from now on."""
        with self._lock:
            self.acknowledged.append(action)

    def uncertain(self, action: Action) -> None:
        """A write with no clear answer (timeout, error): it may or may not have happened."""
        with self._lock:
            self.unacknowledged.append(action)

    @property
    def failed(self) -> list[Record]:
        return [r for r in self.records if r.error is not None]

    def errors(self) -> dict[str, int]:
        """Failed requests by simulator category."""
        return dict(Counter(r.error for r in self.failed if r.error))

    def latency_percentile(self, fraction: float, ok_only: bool = False) -> float | None:
        """A latency percentile in seconds; a timeout counts as the full timeout."""
        values = [
            self.timeout if r.error == TIMEOUT else r.latency
            for r in self.records
            if not ok_only or r.error is None
        ]
        return percentile(values, fraction)

    def recovery_after(self, moment: float, ignore: tuple[str, ...] = ()) -> float | None:
        """Seconds from ``moment`` until the first request from which every later one succeeded.

        Errors in ``ignore`` (e.g. timeouts of a busy machine) do not count as failures here.
        None when the last request failed (no recovery seen) or nothing was sent after ``moment``.
        """
        ordered = sorted(self.records, key=lambda r: r.start)

        def good(record: Record) -> bool:
            return record.error is None or record.error in ignore

        if not ordered or not good(ordered[-1]) or ordered[-1].start < moment:
            return None
        first_good = len(ordered) - 1
        while first_good > 0 and good(ordered[first_good - 1]):
            first_good -= 1
        return round(max(0.0, ordered[first_good].start - moment), 2)

    def between(self, begin: float, end: float) -> list[Record]:
        """Records that started in [begin, end]."""
        return [r for r in self.records if begin <= r.start <= end]

    def series(self) -> list[dict[str, Any]]:
        """Per second: requests, successes, errors, timeouts, 5xx and p99 latency (ms)."""
        seconds = int(max((r.start for r in self.records), default=0.0)) + 1
        rows: list[dict[str, Any]] = []
        buckets: list[list[Record]] = [[] for _ in range(seconds)]
        for record in self.records:
            buckets[int(record.start)].append(record)
        for second, bucket in enumerate(buckets):
            errors = [r for r in bucket if r.error is not None]
            p99 = percentile([r.latency for r in bucket if r.error != TIMEOUT], 0.99)
            rows.append(
                {
                    "t": second,
                    "requests": len(bucket),
                    "ok": len(bucket) - len(errors),
                    "errors": len(errors),
                    "timeouts": sum(1 for r in errors if r.error == TIMEOUT),
                    "status_5xx": sum(1 for r in bucket if r.status >= 500),
                    "p99_ms": None if p99 is None else round(p99 * 1000, 1),
                }
            )
        return rows

    def summary(self) -> dict[str, Any]:
        """Counts and percentiles for the report."""
        p50, p99 = self.latency_percentile(0.5), self.latency_percentile(0.99)
        return {
            "requests": len(self.records),
            "failed_requests": len(self.failed),
            "errors": self.errors(),
            "acknowledged_writes": len(self.acknowledged),
            "unacknowledged_writes": len(self.unacknowledged),
            "p50_ms": None if p50 is None else round(p50 * 1000, 1),
            "p99_ms": None if p99 is None else round(p99 * 1000, 1),
            "seconds": round(self.duration, 2),
        }
