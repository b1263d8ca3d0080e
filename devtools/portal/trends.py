"""Static SVG line charts of a pipeline's history: one point per run, oldest on the left.

One record draws a single marked point with its value written beside it, never an empty
frame; matplotlib runs headless (Agg) and the SVG carries no date, so a rebuild is identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

COLOURS = ("#0550ae", "#b42318", "#7d4e00", "#1a7f37", "#6e7781")


@dataclass(frozen=True)
class Trend:
    """One chart: which pipeline, its title, and which figures of each record it draws."""

    pipeline: str
    title: str
    keys: tuple[str, ...]
    from_zero: bool = True  # counts and rates start at 0; a percentage near 100 would flatten

    @property
    def slug(self) -> str:
        return f"{self.pipeline}-{'-'.join(self.keys)}"[:80]


TRENDS = (
    Trend("quality", "Branch coverage (%)", ("coverage_branch_percent",), from_zero=False),
    Trend("quality", "Quality findings", ("ruff_findings", "mypy_errors", "complex_blocks")),
    Trend("security", "Security findings by severity", ("critical", "high", "medium", "low")),
    Trend("fuzz", "Fuzz cases generated", ("cases",)),
    Trend("fuzz", "Fuzz failures and errors", ("failures", "errors")),
    Trend("load", "Replay p95 (ms)", ("p95_ms",)),
    Trend("load", "Replay throughput (requests/s)", ("requests_per_s",)),
    Trend("faults", "Fault drills", ("drills_passed", "drills_failed", "drills_skipped")),
    Trend("conformance", "Contract clauses", ("clauses_passed", "clauses_failed")),
)


def series(records: list[dict[str, Any]], key: str) -> list[float | None]:
    """The figure ``key`` of each record (None where a run did not measure it)."""
    values: list[float | None] = []
    for entry in records:
        value = (entry.get("figures") or {}).get(key)
        values.append(float(value) if isinstance(value, int | float) else None)
    return values


def describe(trend: Trend, records: list[dict[str, Any]]) -> str:
    """The chart in words (its alt text): the latest value of each line and the first."""
    parts = []
    for key in trend.keys:
        known = [v for v in series(records, key) if v is not None]
        if known:
            text = f"{key.replace('_', ' ')} {known[-1]:g}"
            parts.append(text + (f" (first {known[0]:g})" if len(known) > 1 else ""))
    runs = f"{len(records)} run{'s' if len(records) != 1 else ''}"
    return f"{trend.title} over {runs}: " + ("; ".join(parts) or "not measured")


def draw(trend: Trend, records: list[dict[str, Any]], out: Path) -> Path | None:
    """Write the chart as ``out/<slug>.svg``; None when no record has any of its figures."""
    if not any(v is not None for key in trend.keys for v in series(records, key)):
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    matplotlib.rcParams["svg.hashsalt"] = "minitwit-portal"
    runs = list(range(1, len(records) + 1))
    fig, ax = plt.subplots(figsize=(5.6, 2.6))
    for key, colour in zip(trend.keys, COLOURS, strict=False):
        values = series(records, key)
        points = [(x, y) for x, y in zip(runs, values, strict=True) if y is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        label = key.replace("_", " ")
        ax.plot(xs, ys, marker="o", markersize=4, linewidth=1.6, color=colour, label=label, gid=key)
        if len(points) == 1:
            ax.annotate(f"{ys[0]:g}", (xs[0], ys[0]), textcoords="offset points", xytext=(6, 4))
    ax.set_title(trend.title, fontsize=11, loc="left")
    ax.set_xlabel("run (oldest to newest)", fontsize=9)
    ax.set_xlim(0.5, max(len(records), 1) + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True, min_n_ticks=1))
    ax.margins(y=0.15)
    if trend.from_zero:
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=8)
    if len(trend.keys) > 1:
        ax.legend(fontsize=8, loc="best", frameon=False)
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{trend.slug}.svg"
    fig.savefig(target, format="svg", metadata={"Date": None})
    plt.close(fig)
    return target
