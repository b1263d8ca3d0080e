"""The gate: High fails, an unaccepted Medium fails, an expired acceptance fails."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .findings import BLOCKING, FAILED, Finding, ToolRun
from .risks import AcceptedRisk, acceptance


@dataclass
class Verdict:
    """The gate's decision and every reason behind a failure."""

    passed: bool
    reasons: list[str] = field(default_factory=list)
    accepted: dict[Finding, AcceptedRisk] = field(default_factory=dict)


def decide(
    findings: list[Finding], risks: list[AcceptedRisk], runs: list[ToolRun], today: dt.date
) -> Verdict:
    """Judge the merged findings against the accepted risks on ``today``."""
    reasons: list[str] = []
    accepted: dict[Finding, AcceptedRisk] = {}
    for risk in risks:
        if risk.expired(today):
            reasons.append(f"accepted risk {risk.rule} ({risk.scope}) expired on {risk.expires}")
    for finding in findings:
        where = f"{finding.location}" + (f":{finding.line}" if finding.line else "")
        if finding.severity in BLOCKING:
            reasons.append(f"{finding.severity} {finding.key} at {where}: {finding.title}")
        elif finding.severity == "medium":
            risk = acceptance(finding, risks)
            if risk is None:
                reasons.append(
                    f"medium {finding.key} at {where} is not an accepted risk: {finding.title}"
                )
            else:
                accepted[finding] = risk
    for run in runs:
        if run.status == FAILED:
            reasons.append(f"{run.tool} failed to run: {run.reason}")
    return Verdict(not reasons, reasons, accepted)
