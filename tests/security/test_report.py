"""The merged report: summary, HTML, SARIF and JSON agree with the findings and the verdict."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from security import report
from security.findings import NOT_RUN, RAN, Finding, ToolRun
from security.gate import decide
from security.risks import AcceptedRisk

WHEN = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
PLANTED = Finding(
    "bandit",
    "B602-subprocess_popen_with_shell_equals_true",
    "high",
    "shell=True",
    "app/minitwit/planted.py",
    "subprocess.call(x, shell=True)",
    "Use a list argv.",
    9,
)
CSRF = Finding("wapiti", "csrf", "medium", "Lack of anti CSRF token", "POST /login")
RISK = AcceptedRisk("wapiti:csrf", "POST /*", "contract forbids tokens <b>", dt.date(2027, 5, 31))


def build(tmp_path: Path, findings: list[Finding]) -> Path:
    def of(tool: str) -> list[Finding]:
        return [f for f in findings if f.tool == tool]

    runs = [
        ToolRun("bandit", RAN, seconds=3.2, findings=of("bandit")),
        ToolRun("wapiti", RAN, seconds=40, findings=of("wapiti")),
        ToolRun("zap", NOT_RUN, "ZAP: not run (needs Docker)"),
    ]
    verdict = decide(findings, [RISK], runs, dt.date(2026, 11, 29))
    report.write(tmp_path, findings, runs, verdict, WHEN)
    return tmp_path


def test_summary_names_the_file_and_says_fail(tmp_path: Path) -> None:
    summary = (build(tmp_path, [PLANTED, CSRF]) / "summary.md").read_text()
    assert summary.startswith("## Security gate: FAIL")
    assert "app/minitwit/planted.py:9" in summary
    assert "| zap | not run |" in summary and "needs Docker" in summary


def test_accepted_medium_alone_passes_and_is_marked_in_html(tmp_path: Path) -> None:
    out = build(tmp_path, [CSRF])
    assert (out / "summary.md").read_text().startswith("## Security gate: PASS")
    page = (out / "index.html").read_text()
    assert "accepted until 2027-05-31" in page
    assert "contract forbids tokens &lt;b&gt;" in page  # escaped


def test_sarif_has_one_run_per_tool_that_ran_with_file_regions(tmp_path: Path) -> None:
    sarif = json.loads((build(tmp_path, [PLANTED, CSRF]) / "findings.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    runs = {run["tool"]["driver"]["name"]: run for run in sarif["runs"]}
    assert set(runs) == {"bandit", "wapiti"}  # zap did not run
    [result] = runs["bandit"]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app/minitwit/planted.py"
    assert location["region"]["startLine"] == 9
    assert result["level"] == "error"
    assert runs["wapiti"]["results"][0]["level"] == "warning"


def test_json_lists_findings_most_severe_first_with_acceptance(tmp_path: Path) -> None:
    data = json.loads((build(tmp_path, [CSRF, PLANTED]) / "findings.json").read_text())
    assert data["verdict"] == "fail"
    assert [f["severity"] for f in data["findings"]] == ["high", "medium"]
    assert data["findings"][1]["accepted"]["expires"] == "2027-05-31"
    assert data["counts"]["bandit"]["high"] == 1
    assert {tool["tool"]: tool["status"] for tool in data["tools"]}["zap"] == "not run"


def test_a_pass_without_zap_says_limited_everywhere(tmp_path: Path) -> None:
    out = build(tmp_path, [CSRF])
    assert (
        (out / "summary.md")
        .read_text()
        .startswith("## Security gate: PASS, limited: zap: ZAP: not run (needs Docker)")
    )
    data = json.loads((out / "findings.json").read_text())
    assert data["verdict"] == "limited" and data["complete"] is False
    assert data["scope"] == ["zap: ZAP: not run (needs Docker)"]
    page = (out / "index.html").read_text()
    assert "PASS, LIMITED" in page and "not a full pass" in page


def test_html_groups_findings_and_explains_each_accepted_risk_once(tmp_path: Path) -> None:
    second = Finding("wapiti", "csrf", "medium", "Lack of anti CSRF token", "POST /register")
    page = (build(tmp_path, [CSRF, second]) / "index.html").read_text()
    assert page.count("contract forbids tokens &lt;b&gt;") == 1
    assert page.count('href="#A1"') == 2
    assert "csrf: Lack of anti CSRF token (2)" in page
