"""summary.md: the gate and the figures, short enough for a pull request comment."""

from __future__ import annotations

from typing import Any

from devtools.verdict import Verdict

from .summary import Module

ROWS = (
    ("Tests", "tests_outcome"),
    ("Branch coverage (%)", "coverage_branch_percent"),
    ("Ruff findings", "ruff_findings"),
    ("Files ruff would reformat", "ruff_unformatted_files"),
    ("mypy errors (strict)", "mypy_errors"),
    ("Worst complexity rank", "worst_complexity"),
    ("Blocks ranked C or worse", "complex_blocks"),
    ("Lowest maintainability index", "maintainability_min"),
    ("Duplicated lines (%)", "duplicated_lines_percent"),
    ("Dead code findings", "dead_code_findings"),
)


def render(
    summary: dict[str, Any], verdict: Verdict, table: list[Module], since: list[str] | None = None
) -> str:
    """The Markdown summary."""
    lines = [
        f"## Quality gate: {verdict.headline()}",
        "",
        "| Figure | Value |",
        "| --- | --- |",
        *(f"| {label} | {summary[key]} |" for label, key in ROWS),
        "",
    ]
    if verdict.failures:
        failed = (f"- {c.name}: {c.detail}" for c in verdict.failures)
        lines += ["### Failed checks", "", *failed, ""]
    lines += since or []
    findings = [f for module in table for f in module.findings]
    lines.append(f"### Findings ({len(findings)})")
    lines.append("")
    lines += [f"- `{f.path}:{f.line}` {f.tool} {f.code}: {f.message}" for f in findings[:50]]
    if len(findings) > 50:
        lines.append(f"- ... and {len(findings) - 50} more in index.html")
    return "\n".join(lines) + "\n"
