"""reports/faults/: summary.json, index.html (one section per drill) and the plots."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devtools.portal import history
from devtools.report import write_page
from devtools.verdict import Verdict

from .drill import DrillResult

TEMPLATES = Path(__file__).with_name("templates")


def overall(results: list[DrillResult], strict: bool = False) -> Verdict:
    """One check per drill that ran; each skipped drill is a gap (strict: a failure)."""
    verdict = Verdict(strict=strict)
    for result in results:
        if result.skipped is not None:
            verdict.gap(f"{result.name} skipped: {result.skipped}")
            continue
        failed = [check.name for check in result.verdict.failures]
        verdict.add(result.name, result.passed, detail="; ".join(failed) or result.effect)
        verdict.gaps.extend(f"{result.name}: {gap}" for gap in result.verdict.gaps)
    return verdict


def plot(result: DrillResult, directory: Path) -> Path | None:
    """Requests, successes and errors per second with the fault window shaded (PNG)."""
    if not result.series:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    seconds = [row["t"] for row in result.series]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(seconds, [row["ok"] for row in result.series], label="successful requests/s")
    ax.plot(seconds, [row["errors"] for row in result.series], label="errors/s", color="tab:red")
    if result.window is not None:
        start, end = result.window
        if end - start < 0.2:
            ax.axvline(start, color="tab:orange", label="fault")
        else:
            ax.axvspan(start, end, color="tab:orange", alpha=0.25, label="fault window")
    ax.set(title=result.title, xlabel="seconds since traffic began", ylabel="per second")
    ax.legend(loc="best")
    fig.tight_layout()
    target = directory / f"{result.name}.png"
    fig.savefig(target, dpi=90)
    plt.close(fig)
    return target


def summary(results: list[DrillResult], selected: list[str], verdict: Verdict) -> dict[str, Any]:
    """The machine-readable report: the verdict, the scope, one object per drill."""
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "verdict": verdict.as_dict(),
        "scope": {
            "ran": [r.name for r in results if r.skipped is None],
            "skipped": {r.name: r.skipped for r in results if r.skipped is not None},
            "selected": selected,
        },
        "drills": [r.as_dict() for r in results],
    }


def write(
    out: Path, results: list[DrillResult], selected: list[str], strict: bool = False
) -> Verdict:
    """Write the plots, summary.json and index.html into ``out``; return the overall verdict."""
    out.mkdir(parents=True, exist_ok=True)
    for result in results:
        image = plot(result, out)
        result.plots = [image.name] if image else []
    verdict = overall(results, strict)
    data = summary(results, selected, verdict)
    (out / "summary.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    write_page(
        out,
        TEMPLATES,
        "faults.html",
        title="MiniTwit fault drills",
        scope_note=f"{len(data['scope']['ran'])} of {len(results)} drills ran",
        verdict=verdict,
        drills=results,
    )
    history.snapshot(out, "faults")
    return verdict
