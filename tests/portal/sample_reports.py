"""Report folders as the pipelines write them, for the portal's tests (no tool is run).

Each writer is the pipeline's own where it can run without servers (security, faults,
conformance, load page, quality gate); the fuzz report is Schemathesis' JSON shape as
security/api_fuzz.py reads it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

from analysis import gate as quality_gate
from analysis import summary as quality_summary
from conformance import report as conformance_report
from conformance.runner import Result
from devtools.verdict import Verdict
from faults.cli import main as faults_main
from loadtest.page import write_page as write_load_page
from loadtest.report import write_summary
from security import report as security_report
from security.findings import NOT_RUN, RAN, Finding, ToolRun
from security.gate import decide

from ..analysis.test_report import sample
from ..faults.test_report import failing, passing, registry, skipping

WHEN = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def quality(reports: Path) -> Path:
    """A quality run whose gate failed (findings in the sample), as python -m analysis writes it."""
    out = reports / "quality"
    out.mkdir(parents=True)
    results = sample()
    figures = quality_summary.summarise(results)
    verdict = quality_gate.evaluate(figures, {})
    data = {**figures, "commit": "abc123def456", "verdict": verdict.as_dict()}
    (out / "summary.json").write_text(json.dumps(data))
    found = [asdict(f) for f in quality_summary.all_findings(results)]
    (out / "findings.json").write_text(json.dumps({"findings": found}))
    (out / "index.html").write_text("<!doctype html><title>quality</title>")
    return out


def security(reports: Path) -> Path:
    """A security run that passed with ZAP not run: limited."""
    out = reports / "security"
    low = Finding("bandit", "B110-try_except_pass", "low", "Try, Except, Pass", "app/x.py", line=3)
    runs = [ToolRun("bandit", RAN, "scanned app", 2.0, [low]), ToolRun("zap", NOT_RUN, "no Docker")]
    verdict = decide([low], [], runs, WHEN.date())
    security_report.write(out, [low], runs, verdict, WHEN)
    return out


def faults(reports: Path) -> Path:
    """One drill held, one failed, one skipped (stand-in drills, no servers)."""
    out = reports / "faults"
    entries = [("good", passing), ("bad", failing), ("skipped", skipping)]
    faults_main(["--out", str(out)], registry(*entries))
    return out


def load(reports: Path) -> Path:
    """A replay that met its SLOs: summary.json and the page as loadtest.results.write writes them.

    (loadtest.results itself imports Locust, whose gevent patching must come first.)
    """
    out = reports / "load"
    verdict = Verdict()
    verdict.add("p95", True, 9.0, 300.0)
    summary = {
        "verdict": verdict.as_dict(),
        "host": "http://127.0.0.1:5000",
        "requests": 400,
        "failures": 0,
        "failure_ratio": 0.0,
        "requests_per_s": 40.04,
        "percentiles_ms": {"p50": 4, "p95": 9, "p99": 15},
        "max_ms": 20,
        "errors_by_category": {"http": 2},
        "errors_by_command": {},
        "integrity": None,
    }
    write_summary(out / "summary.json", summary)
    write_load_page(out, summary, verdict)
    return out


def conformance(reports: Path) -> Path:
    """Two clauses passed, one could not be judged."""
    out = reports / "conformance"
    results = [
        Result("api-1", "api", "answers 204", True),
        Result("web-1", "web", "shows the timeline", True),
        Result("web-2", "web", "paginates", None, "needs more data"),
    ]
    verdict = Verdict()
    for result in results:
        if result.passed is None:
            verdict.gap(f"{result.id}: {result.detail}")
        else:
            verdict.add(result.id, result.passed)
    data = conformance_report.summary(
        results, verdict, target="http://127.0.0.1:1", started_here=True, groups=["api", "web"],
        fresh=True, requests=12, seconds=1.0, bounds={"requests": 100, "seconds": 60},
        out_of_scope=[],
    )  # fmt: skip
    conformance_report.write(out, results, verdict, data)
    return out


def fuzz(reports: Path, failures: int = 1, tested: int = 8) -> Path:
    """A Schemathesis JSON report: 480 cases over ``tested`` of 8 operations."""
    out = reports / "fuzz"
    out.mkdir(parents=True)
    report = {
        "operations": {"tested": tested, "total": 8},
        "test_cases": {"generated": 480},
        "failures": [
            {"code": "server_error", "severity": "high", "operations": ["POST /register"]}
        ][:failures],
        "errors": [],
    }
    (out / "json-20261203T120000.json").write_text(json.dumps(report))
    return out


def ui(reports: Path) -> Path:
    """Two screenshots."""
    out = reports / "ui"
    out.mkdir(parents=True)
    for name in ("public-desktop.png", "public-phone.png"):
        (out / name).write_bytes(b"\x89PNG\r\n")
    return out


BUILDERS = {
    "quality": quality,
    "security": security,
    "faults": faults,
    "load": load,
    "conformance": conformance,
    "fuzz": fuzz,
    "ui": ui,
}
