"""The reports portal as a person sees it: verdict first, no sideways scrolling at desktop and
phone width, no serious axe-core violation, trends drawn, readable without JavaScript."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devtools.portal import history
from devtools.portal.page import build

from ..portal.sample_reports import BUILDERS
from .browser import REPORTS, VIEWPORTS, describe, serious_violations


def portal(reports: Path) -> Path:
    """Every pipeline but the benchmarks ran; a few earlier runs in the history."""
    for builder in BUILDERS.values():
        builder(reports)
    for n, coverage in enumerate((95.1, 95.8, 96.2, 96.66)):
        figures = {"coverage_branch_percent": coverage, "ruff_findings": 3 - n, "mypy_errors": 0}
        history.record(reports / "quality", "quality", "pass", figures, f"c{n}")
        history.record(reports / "load", "load", "pass", {"p95_ms": 9 + n, "requests_per_s": 40})
    return build(reports)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_portal_shows_its_verdict_first_and_fits(
    browser: Any, axe: str, tmp_path: Path, viewport: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport], java_script_enabled=False)
    page = context.new_page()
    page.goto(portal(tmp_path / "reports").as_uri())
    REPORTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REPORTS / f"portal-{viewport}.png"), full_page=True)
    banner = page.get_by_role("region", name="verdict")
    box = banner.bounding_box()
    words = banner.inner_text().split("\n")[0]
    charts = page.locator("figure img").evaluate_all(
        "images => images.filter(i => i.complete && i.naturalWidth > 0).length"
    )
    not_run = page.get_by_text("not run", exact=True).count()
    context.close()
    checked = browser.new_page(viewport=VIEWPORTS[viewport])  # axe needs JavaScript
    checked.goto((tmp_path / "reports" / "index.html").as_uri())
    violations = serious_violations(checked, axe)
    overflow = checked.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    checked.close()
    assert words == "FAIL"
    assert box is not None and box["y"] + box["height"] <= VIEWPORTS[viewport]["height"]
    assert charts >= 4, "the quality and load trends are drawn"
    assert not_run == 1, "the benchmarks did not run"
    assert violations == [], describe(violations)
    assert overflow <= 0, f"the portal scrolls sideways by {overflow}px at {viewport} width"
