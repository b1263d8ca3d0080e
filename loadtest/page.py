"""reports/load/index.html: the verdict and its checks, the run's figures per command, the plots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devtools import report
from devtools.verdict import Verdict

TEMPLATES = Path(__file__).with_name("templates")
PLOTS = (
    ("throughput.png", "Requests and failures per second"),
    ("latency.png", "Response time percentiles per interval, with the SLO's p95 limit"),
    (
        "progress.png",
        "Replay progress: highest completed id (what /latest reports) and actions done",
    ),
    ("errors.png", "Simulator errors by category"),
)


def write_page(directory: Path, summary: dict[str, Any], verdict: Verdict) -> Path:
    """Render the load report next to summary.json and the plots; return its path."""
    replay = summary.get("replay")
    sent = (replay or {}).get("sent_by_command", {})
    return report.write_page(
        directory,
        TEMPLATES,
        "load.html",
        title="MiniTwit load test",
        scope_note=f"target {summary.get('host')}",
        verdict=verdict,
        summary=summary,
        replay=replay,
        commands=sorted(sent.items()),
        plots=[(name, caption) for name, caption in PLOTS if (directory / name).exists()],
    )
