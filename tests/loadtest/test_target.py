"""python -m loadtest.run --target: replay against a server started elsewhere; nothing started."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devtools.live import live_minitwit
from loadtest import run
from loadtest.scenario import FOLLOW, REGISTER, Action
from tests.conformance.servers import nonconforming_server

GENEROUS = ["--request-timeout", "10", "--slo-p95-ms", "10000"]  # a busy CI machine


def replay(target: str, report: Path, *args: str) -> tuple[int, dict[str, Any]]:
    files = ["--html", str(report / "locust.html"), "--csv", str(report / "locust")]
    code = run.main(["--target", target, "--report-dir", str(report), *files, *GENEROUS, *args])
    return code, json.loads((report / "summary.json").read_text())


def test_generated_usernames_get_the_run_tag_also_where_they_are_followed() -> None:
    follow = Action(5, 0, 0, FOLLOW, "Ann Lee", ("Bo Ek",))
    assert run.tagged(follow, "t1") == Action(5, 0, 0, FOLLOW, "Ann Lee t1", ("Bo Ek t1",))
    register = Action(1, 0, 0, REGISTER, "Ann Lee", ("ann@example.org", "pw"))
    assert run.tagged(register, "t1").args == ("ann@example.org", "pw")


@pytest.mark.live
def test_two_replays_against_one_running_minitwit_both_pass_their_integrity_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with live_minitwit(tmp_path, {"SECRET_KEY": "load-target"}) as server:
        first_code, first = replay(server.url, tmp_path / "first", "--generate-actions", "150")
        second_code, second = replay(server.url, tmp_path / "second", "--generate-actions", "150")
    assert (first_code, second_code) == (0, 0)
    for summary in (first, second):
        assert summary["host"] == server.url
        assert summary["integrity"]["ok"] and summary["integrity"]["checked_users"] > 0
        assert summary["integrity"]["skipped_users"] == 0  # unique names: nothing pre-existed
    output = capsys.readouterr().out
    assert f"against {server.url} (no server started); bounds: 150 actions" in output
    assert "at most 900s (--max-seconds)" in output


@pytest.mark.live
def test_a_nonconforming_target_fails_and_the_report_names_the_fault(tmp_path: Path) -> None:
    with nonconforming_server(tmp_path) as server:
        code, summary = replay(server.url, tmp_path / "report", "--generate-actions", "100")
    assert code == 1
    assert set(summary["errors_by_command"]["register"]) == {"unexpected status 200"}
    assert summary["verdict"]["status"] == "fail"
    assert not summary["errors_by_command"].get("tweet")


def test_a_target_that_is_not_loopback_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run.main(["--target", "http://192.0.2.7:8080", "--generate-actions", "10"]) == 2
    assert "--i-own-this-target" in capsys.readouterr().err
