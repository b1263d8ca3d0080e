"""The quality gate: absolute floors plus "no new debt" against analysis/baseline.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devtools.verdict import Check, Verdict

from .findings import rank_index


@dataclass(frozen=True)
class Rule:
    """How one figure is judged: which way is better, and its absolute floor (if any)."""

    key: str
    better: str  # "higher", "lower" or "rank" (A best)
    floor: float | str | None = None


RULES = (
    Rule("coverage_branch_percent", "higher", 90.0),
    Rule("ruff_findings", "lower", 0),
    Rule("ruff_unformatted_files", "lower", 0),
    Rule("mypy_errors", "lower", 0),
    Rule("worst_complexity", "rank", "C"),
    Rule("complex_blocks", "lower"),
    Rule("maintainability_min", "higher"),
    Rule("duplicated_lines_percent", "lower"),
    Rule("dead_code_findings", "lower"),
)

DEFAULT_TOLERANCES: dict[str, float] = {
    "coverage_branch_percent": 0.5,
    "maintainability_min": 2.0,
    "duplicated_lines_percent": 0.5,
}


def _worse_by(rule: Rule, actual: Any, reference: Any) -> float:
    """How much worse ``actual`` is than ``reference`` (negative or zero when not worse)."""
    if rule.better == "rank":
        return float(rank_index(actual) - rank_index(reference))
    if rule.better == "higher":
        return float(reference) - float(actual)
    return float(actual) - float(reference)


def check_floor(rule: Rule, actual: Any) -> Check | None:
    """The absolute floor of ``rule`` (None when it has none)."""
    if rule.floor is None:
        return None
    worse = _worse_by(rule, actual, rule.floor)
    relation = {"higher": "at least", "lower": "at most", "rank": "no worse than"}[rule.better]
    message = f"{rule.key} = {actual} (floor: {relation} {rule.floor})"
    return Check(f"floor:{rule.key}", worse <= 0, actual, f"{relation} {rule.floor}", message)


def check_baseline(rule: Rule, actual: Any, baseline: dict[str, Any]) -> Check | None:
    """Whether ``actual`` is worse than the baseline by more than its tolerance."""
    reference = baseline.get("metrics", {}).get(rule.key)
    if reference is None:
        return None
    tolerance = float(baseline.get("tolerances", {}).get(rule.key, 0.0))
    worse = _worse_by(rule, actual, reference)
    message = f"{rule.key} = {actual} (baseline {reference}, tolerance {tolerance:g})"
    limit = f"baseline {reference} ± {tolerance:g}"
    return Check(f"baseline:{rule.key}", worse <= tolerance + 1e-9, actual, limit, message)


def evaluate(summary: dict[str, Any], baseline: dict[str, Any]) -> Verdict:
    """Every check of the gate for ``summary``; the gate passes when all pass."""
    outcome = summary["tests_outcome"]
    verdict = Verdict()
    verdict.add("tests", bool(summary["tests_passed"]), outcome, "all pass", f"tests: {outcome}")
    for rule in RULES:
        actual = summary[rule.key]
        for check in (check_floor(rule, actual), check_baseline(rule, actual, baseline)):
            if check is not None:
                verdict.checks.append(check)
    if not baseline.get("metrics"):
        verdict.gap("no baseline: only the absolute floors were judged")
    return verdict


def load_baseline(path: Path) -> dict[str, Any]:
    """The baseline file, or an empty baseline when there is none yet."""
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def new_baseline(summary: dict[str, Any], old: dict[str, Any], commit: str) -> dict[str, Any]:
    """A baseline holding the gated figures of ``summary``; tolerances are kept."""
    tolerances = {**DEFAULT_TOLERANCES, **old.get("tolerances", {})}
    return {
        "commit": commit,
        "metrics": {rule.key: summary[rule.key] for rule in RULES},
        "tolerances": tolerances,
    }
