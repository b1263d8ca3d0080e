"""OWASP ZAP baseline: ingest its JSON report when one is given (ZAP itself needs Docker)."""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

from .context import Context
from .findings import FAILED, NOT_RUN, RAN, Finding, ToolRun

RISKS = {"3": "high", "2": "medium", "1": "low", "0": "info"}
NOT_RUN_REASON = "ZAP: not run (needs Docker)"


def _text(value: Any) -> str:
    """ZAP writes HTML fragments (``<p>...</p>``) into its JSON: keep the words."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", str(value or ""))).split())


def parse(report: dict[str, Any]) -> list[Finding]:
    """One finding per alert and instance URL in a ZAP traditional JSON report."""
    findings = []
    for site in report.get("site", []):
        for alert in site.get("alerts", []):
            instances = alert.get("instances") or [{"uri": site.get("@name", ""), "method": ""}]
            for instance in instances:
                url = urlsplit(str(instance.get("uri", "")))
                findings.append(
                    Finding(
                        tool="zap",
                        rule=str(alert.get("pluginid", "?")),
                        severity=RISKS.get(str(alert.get("riskcode", "0")), "info"),
                        title=_text(alert.get("alert") or alert.get("name")),
                        location=f"{instance.get('method') or 'GET'} {url.path or '/'}",
                        evidence=_text(instance.get("evidence") or alert.get("desc"))[:400],
                        fix=_text(alert.get("solution"))[:400],
                    )
                )
    unique = {(f.rule, f.location, f.title): f for f in findings}
    return list(unique.values())


def run(ctx: Context) -> ToolRun:
    """Read the ZAP report given with ``--zap-report``, or say why ZAP did not run."""
    if ctx.zap_report is None:
        return ToolRun("zap", NOT_RUN, NOT_RUN_REASON)
    if not ctx.zap_report.exists():
        return ToolRun("zap", FAILED, f"ZAP report {ctx.zap_report} does not exist")
    try:
        data = json.loads(ctx.zap_report.read_text())
    except json.JSONDecodeError as exc:
        return ToolRun("zap", FAILED, f"ZAP report is not JSON: {exc}")
    return ToolRun(
        "zap", RAN, f"ingested {ctx.zap_report.name}", 0.0, parse(data), [str(ctx.zap_report)]
    )
