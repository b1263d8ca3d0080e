"""The pipelines' HTML reports as a person sees them: verdict and scope on the first screen,
no sideways scrolling at desktop and phone width, no serious axe-core violation, a screenshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from analysis import gate as quality_gate
from analysis import report_html as quality_page
from analysis import summary as quality_summary
from conformance.cli import main as conformance_main
from faults.cli import main as faults_main
from loadtest.page import write_page as write_load_page
from loadtest.report import Sample, plot
from loadtest.slo import Thresholds, judge
from security import report as security_report
from security.findings import NOT_RUN, PARTIAL, RAN, Finding, ToolRun
from security.gate import decide
from security.risks import AcceptedRisk

from ..analysis.test_report import PKG, sample
from ..faults.test_report import failing, passing, registry, skipping
from .browser import REPORTS, VIEWPORTS, describe, serious_violations

TODAY = dt.date(2026, 12, 3)
LONG_EVIDENCE = "GET /public?q=" + "A" * 400 + " HTTP/1.1\nUser-Agent: wapiti"


def security_offline(out: Path) -> Path:
    """An offline run: the dependency audit could not reach its database and ZAP did not run."""
    csrf = [
        Finding(
            "wapiti", "csrf", "medium", "Lack of anti CSRF token", f"POST /{page}", LONG_EVIDENCE
        )
        for page in ("login", "register", "add_message")
    ]
    low = Finding("bandit", "B110-try_except_pass", "low", "Try, Except, Pass", "app/x.py", line=3)
    runs = [
        ToolRun("bandit", RAN, "scanned app", 2.0, [low]),
        ToolRun(
            "pip-audit",
            PARTIAL,
            "23 of 23 packages not audited: advisory service unreachable",
            notes=[
                f"package{n}==1.0: not audited: advisory service unreachable" for n in range(23)
            ],
        ),
        ToolRun("wapiti", RAN, "two scans", 60.0, csrf),
        ToolRun("zap", NOT_RUN, "ZAP: not run (needs Docker)"),
    ]
    risk = AcceptedRisk(
        "wapiti:csrf", "POST /*", "The contract forbids tokens.", TODAY.replace(2027)
    )
    findings = [*csrf, low]
    verdict = decide(findings, [risk], runs, TODAY)
    security_report.write(out, findings, runs, verdict, dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    return out / "index.html"


def load_run(out: Path) -> Path:
    """A short replay that passed its SLOs, with its plots."""
    samples = [Sample(t, t * 40, 0, t * 40, t * 40, 0, 4.0, 9.0, 15.0) for t in range(1, 11)]
    plot(out, samples, {}, 300.0)
    verdict = judge(
        Thresholds(),
        errors=0,
        failure_ratio=0.0,
        p95_ms=9.0,
        complete=True,
        progress="400/400 actions",
        integrity_ok=True,
    )
    summary = {
        "host": "http://127.0.0.1:5000",
        "requests": 400,
        "failures": 0,
        "requests_per_s": 40.0,
        "percentiles_ms": {"p50": 4, "p95": 9, "p99": 15},
        "errors_by_command": {},
        "integrity": {"ok": True, "checked_users": 20, "skipped_users": 0},
        "replay": {
            "scenario": "generated (400 actions, 20 users, seed 1)",
            "actions": 400,
            "completed": 400,
            "duration_s": 10.0,
            "speedup": 0,
            "sent_by_command": {"register": 20, "tweet": 200, "follow": 120, "unfollow": 60},
        },
    }
    return write_load_page(out, summary, verdict)


def quality_run(out: Path) -> Path:
    """A gate that failed on a few findings."""
    results = sample()
    figures = quality_summary.summarise(results)
    verdict = quality_gate.evaluate(figures, {})
    page = quality_page.render(figures, verdict, quality_summary.modules(results, PKG), "abc123")
    target = out / "index.html"
    target.write_text(page)
    return target


def faults_run(out: Path) -> Path:
    """One drill that held, one that failed, one skipped (stand-in drills, no servers)."""
    entries = [("good", passing), ("bad", failing), ("skipped", skipping)]
    faults_main(["--out", str(out)], registry(*entries))
    return out / "index.html"


def conformance_run(out: Path) -> Path:
    """The contract run against a fresh MiniTwit (SQLite), as `nox -s conformance` does."""
    assert conformance_main(["--out", str(out)]) == 0
    return out / "index.html"


REPORT_BUILDERS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "security": (security_offline, "PASS, LIMITED"),
    "load": (load_run, "PASS"),
    "quality": (quality_run, "FAIL"),
    "faults": (faults_run, "FAIL"),
    "conformance": (conformance_run, "PASS"),
}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(REPORT_BUILDERS))
def test_report_shows_its_verdict_first_and_fits(
    browser: Any, axe: str, tmp_path: Path, name: str, viewport: str
) -> None:
    build, word = REPORT_BUILDERS[name]
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    page.goto(build(tmp_path).as_uri())
    REPORTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REPORTS / f"report-{name}-{viewport}.png"), full_page=True)
    banner = page.get_by_role("region", name="verdict")
    box = banner.bounding_box()
    violations = serious_violations(page, axe)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    text = banner.inner_text()
    page.close()
    assert text.split("\n")[0] == word
    assert box is not None and box["y"] + box["height"] <= VIEWPORTS[viewport]["height"]
    assert violations == [], describe(violations)
    assert overflow <= 0, f"the {name} report scrolls sideways by {overflow}px at {viewport} width"


def test_an_offline_security_run_names_what_it_could_not_judge(
    browser: Any, tmp_path: Path
) -> None:
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(security_offline(tmp_path).as_uri())
    banner = page.get_by_role("region", name="verdict").inner_text()
    disclosure = page.get_by_text("23 detail lines").count()
    package_shown = page.get_by_text("package7==1.0").is_visible()
    page.close()
    assert "not a full pass" in banner
    assert "pip-audit: 23 of 23 packages not audited" in banner
    assert "zap: ZAP: not run (needs Docker)" in banner
    assert disclosure == 1 and not package_shown, "the 23 'not audited' lines sit behind one line"
