"""The consolidated report: index.html, summary.md, merged SARIF and JSON in reports/security/."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

from .findings import NOT_RUN, SEVERITIES, Finding, ToolRun, severity_rank
from .gate import Verdict

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
    findings: list[Finding], runs: list[ToolRun], verdict: Verdict, when: dt.datetime
) -> dict[str, Any]:
    """Everything in one machine-readable document."""
    return {
        "generated": when.isoformat(timespec="seconds"),
        "verdict": "pass" if verdict.passed else "fail",
        "reasons": verdict.reasons,
        "tools": [run.as_dict() for run in runs],
        "counts": counts(findings),
        "findings": [
            finding.as_dict() | {"accepted": _accepted(finding, verdict)}
            for finding in ordered(findings)
        ],
    }


def _accepted(finding: Finding, verdict: Verdict) -> dict[str, str] | None:
    risk = verdict.accepted.get(finding)
    if risk is None:
        return None
    return {"justification": risk.justification, "expires": risk.expires.isoformat()}


def summary_md(findings: list[Finding], runs: list[ToolRun], verdict: Verdict) -> str:
    """A pull-request comment: verdict, reasons, tools, counts."""
    lines = [f"## Security gate: {'PASS' if verdict.passed else 'FAIL'}", ""]
    lines += [f"- {reason}" for reason in verdict.reasons[:30]]
    if len(verdict.reasons) > 30:
        lines.append(f"- ... and {len(verdict.reasons) - 30} more (see index.html)")
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


def html_page(
    findings: list[Finding], runs: list[ToolRun], verdict: Verdict, when: dt.datetime
) -> str:
    """The reviewers' page: verdict first, then tools, counts and every finding."""
    e = escape
    colour = "#1a7f37" if verdict.passed else "#cf222e"
    table = counts(findings)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>MiniTwit security report</title><style>body{font:14px sans-serif;margin:2em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
        "vertical-align:top;text-align:left}pre{white-space:pre-wrap;max-width:60em;margin:0}"
        ".accepted{background:#fff8c5}</style></head><body>",
        f"<h1 style='color:{colour}'>Security gate: {'PASS' if verdict.passed else 'FAIL'}</h1>",
        f"<p>Generated {e(when.isoformat(timespec='seconds'))}.</p>",
    ]
    if verdict.reasons:
        parts.append("<ul>" + "".join(f"<li>{e(r)}</li>" for r in verdict.reasons) + "</ul>")
    parts.append(
        "<h2>Tools</h2><table><tr><th>tool</th><th>status</th><th>time</th>"
        + "".join(f"<th>{s}</th>" for s in SEVERITIES)
        + "<th>details</th></tr>"
    )
    for run in runs:
        row = table.get(run.tool, {})
        notes = "".join(f"<br>{e(n)}" for n in run.notes)
        links = "".join(f"<br><a href='{e(a)}'>{e(a)}</a>" for a in run.artefacts)
        parts.append(
            f"<tr><td>{e(run.tool)}</td><td>{e(run.status)}</td>"
            f"<td>{run.seconds:.0f} s</td>"
            + "".join(f"<td>{row.get(s, 0)}</td>" for s in SEVERITIES)
            + f"<td>{e(run.reason)}{notes}{links}</td></tr>"
        )
    parts.append(
        "</table><h2>Findings</h2><table><tr><th>severity</th><th>tool</th><th>rule</th>"
        "<th>location</th><th>finding</th><th>evidence</th><th>fix</th></tr>"
    )
    for f in ordered(findings):
        risk = verdict.accepted.get(f)
        mark = f"<br><b>accepted until {risk.expires}</b>: {e(risk.justification)}" if risk else ""
        parts.append(
            f"<tr class='{'accepted' if risk else ''}'><td>{e(f.severity)}</td>"
            f"<td>{e(f.tool)}</td><td>{e(f.rule)}</td><td>{e(where(f))}</td>"
            f"<td>{e(f.title)}{mark}</td><td><pre>{e(f.evidence)}</pre></td>"
            f"<td>{e(f.fix)}</td></tr>"
        )
    parts.append("</table></body></html>\n")
    return "\n".join(parts)


def write(
    out: Path, findings: list[Finding], runs: list[ToolRun], verdict: Verdict, when: dt.datetime
) -> None:
    """Write the four report files into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(html_page(findings, runs, verdict, when))
    (out / "summary.md").write_text(summary_md(findings, runs, verdict))
    (out / "findings.sarif").write_text(json.dumps(sarif(findings, runs), indent=2))
    (out / "findings.json").write_text(json.dumps(as_json(findings, runs, verdict, when), indent=2))
