"""Bandit over the application and tooling code: JSON for us, SARIF for code scanning."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from .context import Context, run_command
from .findings import FAILED, RAN, Finding, ToolRun, normalise_severity

TARGETS = (
    "app",
    "security",
    "loadtest",
    "analysis",
    "deploy",
    "faults",
    "conformance",
    "noxfile.py",
)


def parse(report: dict[str, Any], root: Path | None = None) -> list[Finding]:
    """Findings from bandit's JSON report (severity is bandit's own issue severity)."""
    findings = []
    for result in report.get("results", []):
        filename = str(result.get("filename", ""))
        if root is not None and Path(filename).is_absolute():
            with contextlib.suppress(ValueError):
                filename = str(Path(filename).relative_to(root))
        findings.append(
            Finding(
                tool="bandit",
                rule=f"{result.get('test_id', '?')}-{result.get('test_name', '')}".rstrip("-"),
                severity=normalise_severity(result.get("issue_severity")),
                title=str(result.get("issue_text", "")),
                location=filename.removeprefix("./"),
                line=result.get("line_number"),
                evidence=str(result.get("code", "")).strip()[:400],
                fix=f"See {result.get('more_info', 'the bandit docs')} "
                f"(confidence {str(result.get('issue_confidence', '?')).lower()}).",
            )
        )
    return findings


def run(ctx: Context) -> ToolRun:
    """Scan the code with the configuration in pyproject.toml."""
    targets = [name for name in TARGETS if (ctx.root / name).exists()]
    report, sarif = ctx.raw("bandit.json"), ctx.raw("bandit.sarif")
    base = [ctx.python, "-m", "bandit", "-c", "pyproject.toml", "-r", *targets, "-q"]
    code, seconds = run_command(
        [*base, "-f", "json", "-o", str(report)], ctx.raw("bandit.log"), 300, cwd=ctx.root
    )
    extra, more = run_command(
        [*base, "-f", "sarif", "-o", str(sarif)], ctx.raw("bandit-sarif.log"), 300, cwd=ctx.root
    )
    seconds += more
    # bandit exits 1 when it found something; anything else without a report is a failure.
    if code not in (0, 1) or not report.exists():
        return ToolRun("bandit", FAILED, f"exit code {code}, see raw/bandit.log", seconds)
    findings = parse(json.loads(report.read_text()), ctx.root)
    artefacts = [str(report.relative_to(ctx.out))]
    if extra in (0, 1) and sarif.exists():
        artefacts.append(str(sarif.relative_to(ctx.out)))
    return ToolRun("bandit", RAN, f"scanned {', '.join(targets)}", seconds, findings, artefacts)
