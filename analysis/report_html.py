"""index.html for reports/quality/: findings first, then the gate, the charts and the modules.

Built on the shared report shell (devtools/report); the charts are inline SVG, no script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from devtools.report import render as render_page
from devtools.verdict import Verdict

from . import charts
from .report_md import ROWS
from .summary import Module

TEMPLATES = Path(__file__).with_name("templates")
COVERAGE_BANDS = (90.0, 75.0)  # green from the gate's floor, amber from here, red below
MAINTAINABILITY_BANDS = (50.0, 20.0)


def line_ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` as ``1-3, 7``."""
    parts: list[str] = []
    for n in sorted(numbers):
        if parts and parts[-1].split("-")[-1] == str(n - 1):
            parts[-1] = f"{parts[-1].split('-')[0]}-{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)


def _cards(summary: dict[str, Any], verdict: Verdict) -> list[tuple[str, Any, str]]:
    """(label, value, state) per headline figure; a figure whose check failed is 'fail'."""
    failed = {check.name.split(":", 1)[-1] for check in verdict.failures}
    failed |= {"tests_outcome"} if "tests" in failed else set()
    return [(label, summary[key], "fail" if key in failed else "pass") for label, key in ROWS]


def _charts(summary: dict[str, Any], table: list[Module]) -> list[Markup]:
    def short(module: Module) -> str:
        return module.path.rsplit("minitwit/", 1)[-1]

    cov = [(short(m), m.coverage.percent) for m in table if m.coverage]
    mi = [(short(m), m.maintainability) for m in table if m.maintainability is not None]
    svgs = [
        charts.hbars(cov, 100.0, *COVERAGE_BANDS, "Branch coverage per module (%)"),
        charts.hbars(mi, 100.0, *MAINTAINABILITY_BANDS, "Maintainability index"),
        charts.rank_histogram(summary["complexity_ranks"]),
    ]
    # analysis/charts.py builds these SVGs and escapes every label and title in them.
    return [Markup(svg) for svg in svgs]  # noqa: S704  # nosec B704


def render(summary: dict[str, Any], verdict: Verdict, table: list[Module], commit: str) -> str:
    """The whole page."""
    return render_page(
        TEMPLATES,
        "quality.html",
        title="MiniTwit quality",
        generated="Written by nox -s quality; figures in summary.json",
        commit=commit,
        scope_note="",
        verdict=verdict,
        cards=_cards(summary, verdict),
        charts=_charts(summary, table),
        findings=[f for module in table for f in module.findings],
        modules=table,
        line_ranges=line_ranges,
        coverage_bands=COVERAGE_BANDS,
        maintainability_bands=MAINTAINABILITY_BANDS,
    )
