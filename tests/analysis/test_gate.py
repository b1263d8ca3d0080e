"""The gate: absolute floors and "no new debt" against the baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analysis import gate

BASELINE_FILE = Path(__file__).resolve().parents[2] / "analysis" / "baseline.json"


def figures(**changes: Any) -> dict[str, Any]:
    """A clean summary, with ``changes`` applied."""
    clean: dict[str, Any] = {
        "tests_passed": True,
        "tests_outcome": "10 passed",
        "coverage_branch_percent": 95.0,
        "ruff_findings": 0,
        "ruff_unformatted_files": 0,
        "mypy_errors": 0,
        "worst_complexity": "B",
        "complex_blocks": 1,
        "maintainability_min": 40.0,
        "duplicated_lines_percent": 1.0,
        "dead_code_findings": 2,
    }
    return {**clean, **changes}


BASELINE = {
    "metrics": figures(),
    "tolerances": {"coverage_branch_percent": 0.5, "maintainability_min": 2.0},
}


def failed(summary: dict[str, Any], baseline: dict[str, Any] | None = None) -> list[str]:
    return [
        c.name
        for c in gate.evaluate(summary, BASELINE if baseline is None else baseline).checks
        if not c.passed
    ]


def test_a_run_equal_to_the_baseline_passes() -> None:
    assert failed(figures()) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"coverage_branch_percent": 89.99}, "floor:coverage_branch_percent"),
        ({"ruff_findings": 1}, "floor:ruff_findings"),
        ({"ruff_unformatted_files": 1}, "floor:ruff_unformatted_files"),
        ({"mypy_errors": 1}, "floor:mypy_errors"),
        ({"worst_complexity": "D"}, "floor:worst_complexity"),
    ],
)
def test_floors_fail_whatever_the_baseline_says(change: dict[str, Any], expected: str) -> None:
    assert expected in failed(figures(**change), {})


def test_complexity_c_is_still_within_the_floor() -> None:
    assert "floor:worst_complexity" not in failed(figures(worst_complexity="C"), {})


def test_coverage_may_drop_within_its_tolerance_but_not_beyond() -> None:
    assert failed(figures(coverage_branch_percent=94.5)) == []
    assert failed(figures(coverage_branch_percent=94.4)) == ["baseline:coverage_branch_percent"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"complex_blocks": 2}, "baseline:complex_blocks"),
        ({"dead_code_findings": 3}, "baseline:dead_code_findings"),
        ({"duplicated_lines_percent": 1.01}, "baseline:duplicated_lines_percent"),
        ({"maintainability_min": 37.9}, "baseline:maintainability_min"),
        ({"worst_complexity": "C"}, "baseline:worst_complexity"),
    ],
)
def test_new_debt_against_the_baseline_fails(change: dict[str, Any], expected: str) -> None:
    assert failed(figures(**change)) == [expected]


def test_improvements_never_fail() -> None:
    better = figures(coverage_branch_percent=99.0, complex_blocks=0, worst_complexity="A")
    assert failed(better) == []


def test_failed_tests_fail_the_gate() -> None:
    assert failed(figures(tests_passed=False, tests_outcome="1 failed")) == ["tests"]


def test_figures_missing_from_the_baseline_are_only_held_to_floors() -> None:
    names = [c.name for c in gate.evaluate(figures(dead_code_findings=50), {"metrics": {}}).checks]
    assert not any(name.startswith("baseline:") for name in names)
    assert "floor:coverage_branch_percent" in names


def test_new_baseline_records_every_gated_figure_and_keeps_tolerances() -> None:
    old = {"tolerances": {"coverage_branch_percent": 0.25}}
    fresh = gate.new_baseline(figures(), old, "abc123")
    assert fresh["commit"] == "abc123"
    assert set(fresh["metrics"]) == {rule.key for rule in gate.RULES}
    assert fresh["tolerances"]["coverage_branch_percent"] == 0.25
    assert fresh["tolerances"]["duplicated_lines_percent"] == 0.5


def test_the_committed_baseline_covers_every_rule_and_states_its_commit() -> None:
    baseline = json.loads(BASELINE_FILE.read_text())
    assert set(baseline["metrics"]) == {rule.key for rule in gate.RULES}
    assert baseline["commit"]
    assert gate.load_baseline(BASELINE_FILE) == baseline


def test_without_a_baseline_the_gate_says_its_scope_is_limited() -> None:
    verdict = gate.evaluate(figures(), {})
    assert verdict.passed and verdict.status == "limited"
    assert verdict.headline() == "PASS, limited: no baseline: only the absolute floors were judged"
    assert gate.evaluate(figures(), BASELINE).headline() == "PASS"
