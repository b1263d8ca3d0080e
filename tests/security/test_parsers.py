"""Each tool's output becomes findings with the right rule, severity and location.

The wapiti and schemathesis samples are trimmed from real runs against MiniTwit. The ZAP and
the vulnerable pip-audit samples are written by hand in those tools' report formats: ZAP needs
Docker and no advisory service is reachable here, so no real report of either can be made.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from security import api_fuzz, audit, bandit, wapiti, zap

DATA = Path(__file__).with_name("data")


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def test_bandit_result_keeps_rule_severity_file_and_line() -> None:
    report = {
        "results": [
            {
                "filename": "/repo/app/minitwit/planted.py",
                "line_number": 7,
                "test_id": "B602",
                "test_name": "subprocess_popen_with_shell_equals_true",
                "issue_severity": "HIGH",
                "issue_confidence": "HIGH",
                "issue_text": "subprocess call with shell=True",
                "code": "subprocess.call(cmd, shell=True)",
                "more_info": "https://bandit.docs/b602",
            }
        ]
    }
    [finding] = bandit.parse(report, Path("/repo"))
    assert (finding.rule, finding.severity, finding.location, finding.line) == (
        "B602-subprocess_popen_with_shell_equals_true",
        "high",
        "app/minitwit/planted.py",
        7,
    )
    assert "shell=True" in finding.evidence


@pytest.mark.parametrize(
    ("level", "severity"),
    [(4, "critical"), (3, "high"), (2, "medium"), (1, "low"), (0, "info"), ("x", "info")],
)
def test_wapiti_levels_map_to_severities(level: object, severity: str) -> None:
    assert wapiti.severity(level) == severity


def test_wapiti_report_yields_vulnerabilities_and_anomalies() -> None:
    findings = wapiti.parse(load("wapiti.json"))
    by_key = {(f.rule, f.location): f for f in findings}
    csrf = by_key[("csrf", "POST /login")]
    assert csrf.severity == "medium"
    assert "CSRF" in csrf.title
    assert csrf.fix  # the classification's solution text
    assert by_key[("cookieflags", "GET /")].severity == "low"
    assert by_key[("xss", "GET /boom")].severity == "high"  # a 500 anomaly
    assert findings[0].severity == "high"  # most severe first


def test_zap_alerts_become_one_finding_per_instance() -> None:
    findings = zap.parse(load("zap.json"))
    assert {(f.rule, f.severity, f.location) for f in findings} == {
        ("10038", "medium", "GET /robots.txt"),
        ("10036", "low", "GET /public"),
        ("10036", "low", "GET /login"),
    }
    csp = next(f for f in findings if f.rule == "10038")
    assert "<p>" not in csp.fix and "Content-Security-Policy" in csp.fix


def test_pip_audit_vulnerability_with_fix_is_high_and_without_fix_is_medium() -> None:
    findings = {f.location: f for f in audit.parse(load("pip-audit-vulnerable.json"))}
    assert findings["jinja2==3.1.2"].severity == "high"
    assert "3.1.3" in findings["jinja2==3.1.2"].fix
    assert findings["peewee==4.5.3"].severity == "medium"
    assert "flask==3.1.3" not in findings


def test_pip_audit_skipped_packages_are_not_audited_never_clean() -> None:
    pins = {"flask": "3.1.3", "peewee": "4.5.3", "gunicorn": "27.0.1"}
    status = audit.package_status(load("pip-audit-unreachable.json"), pins, unreachable=False)
    assert set(status) == {"flask==3.1.3", "peewee==4.5.3", "gunicorn==27.0.1"}
    assert all(text.startswith(audit.NOT_AUDITED) for text in status.values())
    assert not any("no known vulnerabilities" in text for text in status.values())


def test_pip_audit_connection_failure_marks_every_package_not_audited() -> None:
    pins = {"flask": "3.1.3", "werkzeug": "3.1.9"}
    status = audit.package_status(None, pins, unreachable=True)
    assert status == {"flask==3.1.3": audit.NOT_AUDITED, "werkzeug==3.1.9": audit.NOT_AUDITED}
    assert audit.UNREACHABLE.search("requests.exceptions.ConnectionError: Max retries exceeded")


def test_pip_audit_clean_package_is_reported_clean_only_when_audited() -> None:
    report = {"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}]}
    assert audit.package_status(report, {"flask": "3.1.3"}, unreachable=False) == {
        "flask==3.1.3": "no known vulnerabilities"
    }


def test_runtime_closure_lists_the_pinned_runtime_dependencies() -> None:
    pins = audit.runtime_closure()
    assert pins["flask"] == "3.1.3"
    assert "werkzeug" in pins  # transitive
    assert "pytest" not in pins


def test_schemathesis_failures_carry_severity_operation_and_evidence() -> None:
    findings = api_fuzz.parse(load("schemathesis.json"), DATA / "schemathesis-junit.xml")
    by_key = {(f.rule, f.location): f for f in findings}
    assert by_key[("ST202", "POST /fllws/{username}")].severity == "medium"
    assert "NUL characters" in by_key[("ST202", "POST /fllws/{username}")].evidence
    assert all(f.tool == "schemathesis" for f in findings)


def test_schemathesis_server_error_is_critical() -> None:
    report = {
        "failures": [
            {
                "code": "ST101",
                "title": "Server error",
                "severity": "critical",
                "operations": ["GET /msgs"],
            }
        ]
    }
    [finding] = api_fuzz.parse(report)
    assert (finding.severity, finding.location) == ("critical", "GET /msgs")


def test_schemathesis_runtime_errors_are_listed() -> None:
    assert api_fuzz.errors({"errors": [{"title": "Runtime Error", "count": 2}]}) == [
        "Runtime Error x2"
    ]


def test_wapiti_secrets_starting_with_a_dash_stay_values(tmp_path: Path) -> None:
    from security.context import Context, Target

    ctx = Context(tmp_path, tmp_path, Target("http://127.0.0.1:1", "u", "-pw", "sim", "-sim"))
    anonymous = wapiti.scan_argv(Path("wapiti"), ctx, "anonymous", 60)
    logged_in = wapiti.scan_argv(Path("wapiti"), ctx, "logged-in", 60)
    assert "--auth-password=-sim" in anonymous
    assert "--form-password=-pw" in logged_in
