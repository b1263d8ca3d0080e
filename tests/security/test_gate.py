"""Gate decisions: High fails, unaccepted Medium fails, accepted Medium passes, expiry fails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from security.findings import (
    FAILED,
    NOT_RUN,
    PARTIAL,
    RAN,
    Finding,
    ToolRun,
    normalise_severity,
)
from security.gate import decide
from security.pipeline import TOOLS
from security.risks import AcceptedRisk, RiskFileError, load_risks, parse_risks

TODAY = dt.date(2026, 11, 29)
CSRF = AcceptedRisk("wapiti:csrf", "POST /*", "contract forbids tokens", dt.date(2027, 5, 31))


def finding(
    severity: str, tool: str = "wapiti", rule: str = "csrf", location: str = "POST /login"
) -> Finding:
    return Finding(tool, rule, severity, "title", location)


def test_no_findings_pass() -> None:
    assert decide([], [], [ToolRun("bandit", RAN)], TODAY).passed


@pytest.mark.parametrize("severity", ["critical", "high"])
def test_high_fails_even_when_listed_as_accepted(severity: str) -> None:
    verdict = decide([finding(severity)], [CSRF], [], TODAY)
    assert not verdict.passed
    assert "POST /login" in verdict.reasons[0]


def test_unaccepted_medium_fails_and_names_the_location() -> None:
    verdict = decide(
        [finding("medium", "bandit", "B307-eval", "app/planted.py")], [CSRF], [], TODAY
    )
    assert not verdict.passed
    assert "app/planted.py" in verdict.reasons[0]


def test_accepted_medium_passes_and_is_marked() -> None:
    medium = finding("medium")
    verdict = decide([medium], [CSRF], [], TODAY)
    assert verdict.passed
    assert verdict.accepted == {medium: CSRF}


def test_accepted_risk_scope_is_respected() -> None:
    verdict = decide([finding("medium", location="GET /login")], [CSRF], [], TODAY)
    assert not verdict.passed


@pytest.mark.parametrize("severity", ["low", "info"])
def test_low_and_info_do_not_fail(severity: str) -> None:
    assert decide([finding(severity)], [], [], TODAY).passed


def test_expired_risk_fails_even_when_nothing_matches_it() -> None:
    verdict = decide([], [CSRF], [], dt.date(2027, 6, 1))
    assert not verdict.passed
    assert "expired on 2027-05-31" in verdict.reasons[0]


def test_risk_is_valid_on_its_expiry_day() -> None:
    assert decide([finding("medium")], [CSRF], [], dt.date(2027, 5, 31)).passed


def test_failed_tool_fails_but_not_run_tool_does_not() -> None:
    assert not decide([], [], [ToolRun("wapiti", FAILED, "crashed")], TODAY).passed
    assert decide([], [], [ToolRun("zap", NOT_RUN, "needs Docker")], TODAY).passed


def test_risk_file_entries_are_parsed_with_dates() -> None:
    [risk] = parse_risks(
        {
            "risks": [
                {
                    "rule": "zap:10038",
                    "scope": "GET /*",
                    "justification": "  why\n  not ",
                    "expires": "2027-01-01",
                }
            ]
        }
    )
    assert risk == AcceptedRisk("zap:10038", "GET /*", "why not", dt.date(2027, 1, 1))


@pytest.mark.parametrize(
    "entry",
    [
        {"rule": "x", "scope": "*", "justification": "j"},
        {"rule": "x", "scope": "*", "justification": "", "expires": "2027-01-01"},
        {"rule": "x", "scope": "*", "justification": "j", "expires": "next year"},
    ],
)
def test_incomplete_or_undated_risk_entries_are_refused(entry: dict) -> None:
    with pytest.raises(RiskFileError):
        parse_risks({"risks": [entry]})


def test_committed_accepted_risks_file_parses_and_only_names_known_tools() -> None:
    risks = load_risks(Path(__file__).parents[2] / "security" / "accepted-risks.yml")
    assert risks, "the file should hold at least the documented CSRF entry"
    assert {risk.rule.split(":")[0] for risk in risks} <= set(TOOLS)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("HIGH", "high"), ("Informational", "info"), ("moderate", "medium"), ("weird", "info")],
)
def test_severity_words_are_normalised(word: str, expected: str) -> None:
    assert normalise_severity(word) == expected


def test_a_tool_that_did_not_run_limits_the_pass() -> None:
    verdict = decide([], [], [ToolRun("zap", NOT_RUN, "ZAP: not run (needs Docker)")], TODAY)
    assert verdict.passed and verdict.status == "limited"
    assert verdict.headline() == "PASS, limited: zap: ZAP: not run (needs Docker)"


def test_packages_not_audited_limit_the_pass() -> None:
    audit = ToolRun("pip-audit", PARTIAL, "23 of 23 packages not audited")
    verdict = decide([], [], [ToolRun("bandit", RAN), audit], TODAY)
    assert verdict.status == "limited"
    assert "pip-audit: 23 of 23 packages not audited" in verdict.gaps


def test_require_complete_fails_a_limited_run() -> None:
    runs = [ToolRun("bandit", RAN), ToolRun("zap", NOT_RUN, "needs Docker")]
    verdict = decide([], [], runs, TODAY, require_complete=True)
    assert not verdict.passed
    assert verdict.headline().startswith("FAIL") and "zap: needs Docker" in verdict.headline()


def test_a_complete_clean_run_is_a_plain_pass() -> None:
    verdict = decide([], [], [ToolRun("bandit", RAN), ToolRun("zap", RAN)], TODAY, True)
    assert verdict.status == "pass" and verdict.headline() == "PASS"
