"""reports/conformance/: summary.json (per clause: id, clause, passed, evidence), JUnit, HTML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # nosec B405 - we only write XML
from pathlib import Path
from typing import Any

from devtools.portal import history
from devtools.report import write_page
from devtools.verdict import Verdict

from .clause import GROUPS
from .runner import Result

TEMPLATES = Path(__file__).with_name("templates")
TITLES = {
    "data": "Data",
    "web": "Web pages",
    "api": "Simulator API",
    "bad-input": "Bad input",
}


def summary(results: list[Result], verdict: Verdict, **run: Any) -> dict[str, Any]:
    """What summary.json holds: the verdict, the run's facts, and every clause's outcome."""
    return {"verdict": verdict.as_dict(), **run, "checks": [r.as_dict() for r in results]}


def junit(results: list[Result], seconds: float) -> str:
    """One testsuite per group, one testcase per clause; failures carry the evidence."""
    suites = ET.Element("testsuites", name="conformance", time=f"{seconds:.3f}")
    for group in GROUPS:
        chosen = [result for result in results if result.group == group]
        if not chosen:
            continue
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=group,
            tests=str(len(chosen)),
            failures=str(sum(result.passed is False for result in chosen)),
            skipped=str(sum(result.passed is None for result in chosen)),
        )
        for result in chosen:
            case = ET.SubElement(
                suite, "testcase", classname=f"conformance.{group}", name=result.id
            )
            if result.passed is False:
                failure = ET.SubElement(case, "failure", message=result.detail)
                failure.text = f"{result.clause}\n\n" + "\n\n".join(result.evidence)
            elif result.passed is None:
                ET.SubElement(case, "skipped", message=result.detail)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def write(out: Path, results: list[Result], verdict: Verdict, data: dict[str, Any]) -> Path:
    """Write the three files into ``out``; return the HTML page's path."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(data, indent=2) + "\n")
    (out / "junit.xml").write_text(junit(results, float(data.get("seconds", 0))))
    grouped = [(g, [r for r in results if r.group == g]) for g in GROUPS]
    page = write_page(
        out,
        TEMPLATES,
        "conformance.html",
        title="MiniTwit conformance",
        scope_note=f"target {data['target']}; the HTTP contract of docs/contract.md",
        verdict=verdict,
        summary=data,
        counts={
            "total": len(results),
            "passed": sum(r.passed is True for r in results),
            "failed": sum(r.passed is False for r in results),
            "gaps": sum(r.passed is None for r in results),
        },
        groups=[(group, chosen) for group, chosen in grouped if chosen],
        titles=TITLES,
    )
    history.snapshot(out, "conformance")
    return page
