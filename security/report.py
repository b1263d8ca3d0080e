"""The consolidated report: index.html, summary.md, merged SARIF and JSON in reports/security/."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from devtools.report import render

from .findings import NOT_RUN, SEVERITIES, Finding, ToolRun, severity_rank
from .gate import SecurityVerdict

TEMPLATES = Path(__file__).with_name("templates")

SARIF_LEVEL = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "note",
    "info": "note",
}


def ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (severity_rank(f.severity), f.tool, f.location, f.rule))


def counts(findings: list[Finding]) -> dict[str, dict[str, int]]:
    """Findings per tool and severity."""
    table: dict[str, Counter[str]] = {}
    for finding in findings:
        table.setdefault(finding.tool, Counter())[finding.severity] += 1
    return {tool: {sev: row[sev] for sev in SEVERITIES} for tool, row in sorted(table.items())}


def where(finding: Finding) -> str:
    return finding.location + (f":{finding.line}" if finding.line else "")


def as_json(
    findings: list[Finding], runs: list[ToolRun], verdict: SecurityVerdict, when: dt.datetime
) -> dict[str, Any]:
    """Everything in one machine-readable document."""
    return {
        "generated": when.isoformat(timespec="seconds"),
        "verdict": verdict.status,
        "headline": verdict.headline(),
        "complete": verdict.complete,
        "scope": verdict.gaps,
        "reasons": verdict.reasons,
        "gate": verdict.as_dict(),
        "tools": [run.as_dict() for run in runs],
        "counts": counts(findings),
        "findings": [
            finding.as_dict() | {"accepted": _accepted(finding, verdict)}
            for finding in ordered(findings)
        ],
    }


def _accepted(finding: Finding, verdict: SecurityVerdict) -> dict[str, str] | None:
    risk = verdict.accepted.get(finding)
    if risk is None:
        return None
    return {"justification": risk.justification, "expires": risk.expires.isoformat()}


def totals(findings: list[Finding]) -> dict[str, int]:
    """Findings per severity, across tools."""
    found = Counter(finding.severity for finding in findings)
    return {severity: found[severity] for severity in SEVERITIES}


def summary_md(findings: list[Finding], runs: list[ToolRun], verdict: SecurityVerdict) -> str:
    """A pull-request comment: verdict with its scope, reasons, totals, tools."""
    lines = [f"## Security gate: {verdict.headline()}", ""]
    lines += [f"- {reason}" for reason in verdict.reasons[:30]]
    if len(verdict.reasons) > 30:
        lines.append(f"- ... and {len(verdict.reasons) - 30} more (see index.html)")
    total = totals(findings)
    lines += ["", "Findings: " + ", ".join(f"{total[sev]} {sev}" for sev in SEVERITIES)]
    lines += [
        "",
        "| tool | status | time | " + " | ".join(SEVERITIES) + " | note |",
        "|---|---|---|" + "---|" * len(SEVERITIES) + "---|",
    ]
    table = counts(findings)
    for run in runs:
        row = table.get(run.tool, {})
        cells = " | ".join(str(row.get(sev, 0)) for sev in SEVERITIES)
        lines.append(
            f"| {run.tool} | {run.status} | {run.seconds:.0f} s | {cells} | "
            f"{run.reason.replace('|', '/')} |"
        )
    accepted = [f for f in findings if f in verdict.accepted]
    if accepted:
        lines += ["", f"Accepted risks in use: {len(accepted)} (see security/accepted-risks.yml)."]
    return "\n".join(lines) + "\n"


def sarif(findings: list[Finding], runs: list[ToolRun]) -> dict[str, Any]:
    """One SARIF 2.1.0 log with a run per tool that reported something."""
    sarif_runs = []
    for run in runs:
        mine = [f for f in ordered(findings) if f.tool == run.tool]
        if run.status == NOT_RUN:
            continue
        rules = sorted({f.rule for f in mine})
        results = []
        for f in mine:
            if f.line:  # a file in the repository
                location = {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.location},
                        "region": {"startLine": f.line},
                    }
                }
            else:
                location = {"logicalLocations": [{"name": f.location, "kind": "resource"}]}
            results.append(
                {
                    "ruleId": f.rule,
                    "level": SARIF_LEVEL[f.severity],
                    "message": {"text": f"{f.title} Fix: {f.fix}".strip()},
                    "locations": [location],
                    "properties": {"severity": f.severity},
                }
            )
        sarif_runs.append(
            {
                "tool": {
                    "driver": {
                        "name": run.tool,
                        "rules": [
                            {"id": rule, "shortDescription": {"text": rule}} for rule in rules
                        ],
                    }
                },
                "results": results,
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": sarif_runs,
    }


def groups(findings: list[Finding]) -> list[tuple[str, list[tuple[str, list[Finding]]]]]:
    """Findings grouped by tool, then rule, most severe first."""
    by_tool: dict[str, dict[str, list[Finding]]] = {}
    for finding in ordered(findings):
        by_tool.setdefault(finding.tool, {}).setdefault(finding.rule, []).append(finding)
    return [(tool, list(rules.items())) for tool, rules in by_tool.items()]


def html_page(
    findings: list[Finding],
    runs: list[ToolRun],
    verdict: SecurityVerdict,
    when: dt.datetime,
    commit: str = "",
    scope_note: str = "judged this repository and a fresh MiniTwit started from it",
) -> str:
    """The reviewers' page: verdict and scope, totals, tools, findings grouped by tool and rule."""
    risks = sorted(set(verdict.accepted.values()), key=lambda risk: (risk.rule, risk.scope))
    return render(
        TEMPLATES,
        "security.html",
        title="MiniTwit security report",
        generated=f"Generated {when.isoformat(timespec='seconds')}",
        commit=commit,
        scope_note=scope_note,
        verdict=verdict,
        totals=totals(findings),
        severities=SEVERITIES,
        runs=runs,
        counts=counts(findings),
        groups=groups(findings),
        risks=risks,
        risk_ids={risk: f"A{number}" for number, risk in enumerate(risks, 1)},
        where=where,
        not_run=NOT_RUN,
    )


def write(
    out: Path,
    findings: list[Finding],
    runs: list[ToolRun],
    verdict: SecurityVerdict,
    when: dt.datetime,
    commit: str = "",
    scope_note: str | None = None,
) -> None:
    """Write the four report files into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    page = html_page(findings, runs, verdict, when, commit, *([scope_note] if scope_note else []))
    (out / "index.html").write_text(page)
    (out / "summary.md").write_text(summary_md(findings, runs, verdict))
    (out / "findings.sarif").write_text(json.dumps(sarif(findings, runs), indent=2))
    (out / "findings.json").write_text(json.dumps(as_json(findings, runs, verdict, when), indent=2))
