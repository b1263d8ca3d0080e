"""python -m conformance: MiniTwit honours every clause; a non-conforming app fails, evidenced."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # nosec B405 - reports this test just wrote
from pathlib import Path
from typing import Any

import pytest

from conformance.checks import ordered
from conformance.clause import GROUPS
from conformance.cli import main
from devtools.live import live_minitwit
from devtools.postgres import PostgresServer

from .servers import nonconforming_server

pytestmark = pytest.mark.live


def summary(out: Path) -> dict[str, Any]:
    return json.loads((out / "summary.json").read_text())


def outcomes(out: Path) -> dict[str, dict[str, Any]]:
    return {check["id"]: check for check in summary(out)["checks"]}


def test_every_group_of_the_contract_has_clauses_with_unique_ids() -> None:
    clauses = ordered(list(GROUPS))
    assert {clause.group for clause in clauses} == set(GROUPS)
    assert len({clause.id for clause in clauses}) == len(clauses)
    assert clauses[0].id == "api.latest.fresh"


def test_a_fresh_minitwit_on_sqlite_honours_every_clause(tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert main(["--out", str(out)]) == 0
    data = summary(out)
    assert data["verdict"]["status"] == "pass", data["verdict"]["headline"]
    assert data["fresh"] and data["started_here"].endswith("SQLite")
    assert all(check["passed"] and check["evidence"] for check in data["checks"])
    suites = ET.parse(out / "junit.xml").getroot()  # noqa: S314
    assert sum(int(suite.get("tests", 0)) for suite in suites) == len(data["checks"])
    assert all(suite.get("failures") == "0" for suite in suites)
    assert "<title>MiniTwit conformance: PASS</title>" in (out / "index.html").read_text()


@pytest.mark.postgres
def test_a_separately_started_minitwit_on_postgresql_as_target(
    tmp_path: Path, postgres_server: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres_server.create_database("conformance_target")
    env = {"DATABASE_URL": url, "SECRET_KEY": "conformance-test"}
    with live_minitwit(tmp_path, env) as server:
        fresh, dirty, bounded = tmp_path / "fresh", tmp_path / "dirty", tmp_path / "bounded"
        assert main(["--target", server.url, "--out", str(fresh)]) == 0
        assert summary(fresh)["verdict"]["status"] == "pass"

        capsys.readouterr()
        assert main(["--target", server.url, "--out", str(dirty)]) == 2
        assert "already has data" in capsys.readouterr().err
        assert main(["--target", server.url, "--allow-dirty", "--out", str(dirty)]) == 0
        data = summary(dirty)
        assert data["verdict"]["status"] == "limited"
        assert data["verdict"]["gaps"] == [
            "api.latest.fresh not judged: the target already had data (--allow-dirty)"
        ]

        args = ["--target", server.url, "--allow-dirty", "--max-requests", "6"]
        assert main([*args, "--only", "api", "--out", str(bounded)]) == 0
        data = summary(bounded)
        assert data["requests"] == 6 and data["groups"] == ["api"]
        assert "request budget of 6 spent" in data["verdict"]["headline"]
        assert main([*args, "--require-complete", "--out", str(bounded)]) == 1


def test_a_nonconforming_app_fails_with_the_evidence_that_decided_it(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with nonconforming_server(tmp_path) as server:
        assert main(["--target", server.url, "--out", str(out)]) == 1
    checks = outcomes(out)
    register = checks["api.register.ok"]
    assert not register["passed"]
    assert register["detail"].endswith("expected 204, got 200")
    assert "POST /register?latest=" in register["evidence"][-1]
    assert '-> 200 OK\nContent-Type: application/json\n{"ok": true}' in register["evidence"][-1]
    assert "(newest first), got ['first" in checks["api.msgs.post"]["detail"]
    assert "latest must be stored before the credentials" in checks["api.auth.required"]["detail"]
    assert checks["bad-input.body.not-json"]["detail"].endswith(
        "expected a 4xx with the JSON error shape, got 500"
    )
    assert checks["web.root.anonymous"]["detail"] == "expected a redirect to /public, got 404"
    assert checks["api.fllws"]["passed"] and checks["data.follow.twice"]["passed"]
    failures = {
        case.get("name"): case.find("failure")
        for case in ET.parse(out / "junit.xml").getroot().iter("testcase")  # noqa: S314
    }
    failure = failures["api.register.ok"]
    assert failure is not None and failure.get("message") == register["detail"]
    assert failures["api.fllws"] is None


@pytest.mark.parametrize("target", ["http://192.0.2.1:5000", "https://example.org"])
def test_a_target_that_is_not_loopback_is_refused_before_any_request(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--target", target, "--out", str(tmp_path)]) == 2
    assert "--i-own-this-target" in capsys.readouterr().err
    assert not (tmp_path / "summary.json").exists()


def test_an_unknown_group_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--only", "api,pages"]) == 2
    assert "unknown group pages" in capsys.readouterr().err
