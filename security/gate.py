"""The gate: High fails, an unaccepted Medium fails, an expired acceptance fails, a tool that
crashed fails; a tool that did not run or could not check everything limits the verdict's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from devtools.verdict import Verdict

from .findings import BLOCKING, FAILED, NOT_RUN, PARTIAL, Finding, ToolRun
from .risks import AcceptedRisk, acceptance


@dataclass
class SecurityVerdict(Verdict):
    """The shared verdict plus which accepted risk covers which Medium finding."""

    accepted: dict[Finding, AcceptedRisk] = field(default_factory=dict)

    @property
    def reasons(self) -> list[str]:
        """Why the gate failed, one line per failed check."""
        return [check.detail or check.name for check in self.failures]


def _described(finding: Finding) -> str:
    where = finding.location + (f":{finding.line}" if finding.line else "")
    return f"{finding.severity} {finding.key} at {where}: {finding.title}"


def decide(
    findings: list[Finding],
    risks: list[AcceptedRisk],
    runs: list[ToolRun],
    today: dt.date,
    require_complete: bool = False,
) -> SecurityVerdict:
    """Judge the merged findings against the accepted risks on ``today``."""
    verdict = SecurityVerdict(strict=require_complete)
    for run in runs:
        if run.status == FAILED:
            verdict.add(
                f"{run.tool} ran",
                False,
                run.status,
                detail=f"{run.tool} failed to run: {run.reason}",
            )
        elif run.status in (NOT_RUN, PARTIAL):
            verdict.gap(f"{run.tool}: {run.reason or run.status}")
    blocking = [f for f in findings if f.severity in BLOCKING]
    unaccepted = []
    for finding in findings:
        if finding.severity != "medium":
            continue
        risk = acceptance(finding, risks)
        if risk is None:
            unaccepted.append(finding)
        else:
            verdict.accepted[finding] = risk
    expired = [
        f"accepted risk {risk.rule} ({risk.scope}) expired on {risk.expires}"
        for risk in risks
        if risk.expired(today)
    ]
    verdict.add("accepted risks in date", not expired, len(expired), 0, "; ".join(expired))
    verdict.add(
        "high or critical findings",
        not blocking,
        len(blocking),
        0,
        "; ".join(_described(f) for f in blocking),
    )
    verdict.add(
        "medium findings without an accepted risk",
        not unaccepted,
        len(unaccepted),
        0,
        "; ".join(f"{_described(f)} (not an accepted risk)" for f in unaccepted),
    )
    return verdict
