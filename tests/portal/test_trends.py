"""The trend charts: one record is a marked point with its value, many records a line."""

from __future__ import annotations

import re
from pathlib import Path

from devtools.portal.trends import TRENDS, Trend, describe, draw

COVERAGE = Trend("quality", "Branch coverage (%)", ("coverage_branch_percent",))


def runs(*values: float) -> list[dict[str, object]]:
    return [
        {"time": str(n), "figures": {"coverage_branch_percent": v}} for n, v in enumerate(values)
    ]


def points(svg: str, key: str = "coverage_branch_percent") -> list[tuple[str, str]]:
    """The points of the figure's line (its SVG group is named after the figure)."""
    group = re.search(rf'<g id="{key}">\s*<path d="([^"]+)"', svg)
    assert group is not None, "no data line in the SVG"
    return re.findall(r"[ML] ([\d.]+) ([\d.]+)", group.group(1))


def test_one_record_draws_a_point_with_its_value(tmp_path: Path) -> None:
    svg = draw(COVERAGE, runs(96.66), tmp_path)
    assert svg is not None
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert len(points(text)) == 1
    assert "96.66" in text  # the value is written beside it
    assert describe(COVERAGE, runs(96.66)) == (
        "Branch coverage (%) over 1 run: coverage branch percent 96.66"
    )


def test_many_records_draw_a_line_through_every_run(tmp_path: Path) -> None:
    values = [95.0, 95.5, 96.0, 96.7, 96.66]
    svg = draw(COVERAGE, runs(*values), tmp_path)
    assert svg is not None
    assert len(points(svg.read_text())) == len(values)
    assert describe(COVERAGE, runs(*values)).endswith("96.66 (first 95)")


def test_a_run_that_did_not_measure_a_figure_is_skipped_not_drawn_as_zero(tmp_path: Path) -> None:
    records = [*runs(95.0), {"time": "x", "figures": {}}, *runs(96.0)]
    svg = draw(COVERAGE, records, tmp_path)
    assert svg is not None
    assert len(points(svg.read_text())) == 2  # runs 1 and 3


def test_no_chart_when_no_record_has_the_figures(tmp_path: Path) -> None:
    assert draw(COVERAGE, [{"time": "1", "figures": {"other": 1}}], tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_the_same_history_draws_the_same_file(tmp_path: Path) -> None:
    first = draw(COVERAGE, runs(95.0, 96.0), tmp_path / "a")
    second = draw(COVERAGE, runs(95.0, 96.0), tmp_path / "b")
    assert first is not None and second is not None
    assert first.read_bytes() == second.read_bytes()


def test_the_issue_asks_for_these_trends() -> None:
    keys = {(t.pipeline, key) for t in TRENDS for key in t.keys}
    wanted = {
        ("quality", "coverage_branch_percent"),
        ("security", "high"),
        ("load", "p95_ms"),
        ("load", "requests_per_s"),
        ("fuzz", "cases"),
        ("fuzz", "failures"),
        ("faults", "drills_failed"),
    }
    assert wanted <= keys
