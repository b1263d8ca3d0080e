"""--target for the live security tools: a server started elsewhere is fuzzed and scanned.

Schemathesis runs for real against loopback servers with a small time budget (the full
budgets belong to ``nox -s fuzz`` and ``nox -s security``).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from devtools.live import live_minitwit
from security import api_fuzz, fuzz, pipeline
from security.context import Target
from tests.conformance.servers import nonconforming_server

needs_schemathesis = pytest.mark.skipif(
    importlib.util.find_spec("schemathesis") is None,
    reason="schemathesis is not installed (dependency group 'security')",
)


def test_a_target_is_fuzzed_against_the_projects_own_openapi_file() -> None:
    target = Target("http://127.0.0.1:9", "", "", "sim", "pw", external=True)
    command = api_fuzz.argv(
        "python", target, Path("out"), max_examples=1, max_time=1, seed=None, formats="json"
    )
    index = command.index("run")
    assert command[index + 1 : index + 4] == [str(api_fuzz.OPENAPI), "--url", target.url]
    assert api_fuzz.OPENAPI.is_file()


@pytest.mark.live
@needs_schemathesis
def test_fuzzing_a_nonconforming_target_names_its_crash_and_its_wrong_status(
    tmp_path: Path,
) -> None:
    out = tmp_path / "fuzz"
    with nonconforming_server(tmp_path) as server:
        args = ["--target", server.url, "--out", str(out), "--operation", "POST /register"]
        code = fuzz.main([*args, "--max-examples", "10", "--max-time", "10", "--seed", "1"])
    assert code == 1
    report = json.loads(next(out.glob("json-*.json")).read_text())
    found = {(f.rule, f.location) for f in api_fuzz.parse(report)}
    assert {location for _, location in found} == {"POST /register"}  # --operation held
    assert ("ST101", "POST /register") in found  # a body that is not JSON crashes it
    assert ("ST103", "POST /register") in found  # 200 where the contract says 204


@pytest.mark.live
@needs_schemathesis
def test_the_pipeline_scans_a_running_minitwit_and_says_what_it_judged(tmp_path: Path) -> None:
    out = tmp_path / "security"
    with live_minitwit(tmp_path, {"SECRET_KEY": "scan-target"}) as server:
        args = ["--target", server.url, "--tools", "schemathesis", "--budget", "6"]
        assert pipeline.main([*args, "--out", str(out)]) == 0
    page = (out / "index.html").read_text()
    assert f"live tools (wapiti, Schemathesis) judged {server.url}" in page
    assert "static tools (bandit, pip-audit) judged this repository" in page
    findings = json.loads((out / "findings.json").read_text())
    assert any(
        run["tool"] == "schemathesis" and run["status"] == "ran" for run in findings["tools"]
    )


@pytest.mark.parametrize("main", [fuzz.main, pipeline.main])
def test_a_target_that_is_not_loopback_is_refused(
    main: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--target", "http://203.0.113.9", "--out", str(tmp_path / "out")]
    assert main(args) == 2  # type: ignore[operator]
    assert "--i-own-this-target" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
