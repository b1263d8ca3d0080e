"""python -m loadtest.run: its own options, Locust's arguments, and a bad scenario refused early."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadtest import run


def test_runner_options_are_its_own_and_the_rest_goes_to_locust() -> None:
    args, rest = run.parse_args(["--postgres", "--workers", "4", "-u", "8", "--", "--speedup=2"])
    assert args.postgres and args.workers == 4
    assert rest == ["-u", "8", "--speedup=2"]


def test_a_missing_scenario_is_refused_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.csv"
    assert run.main(["--postgres", "--scenario", str(missing)]) == 2
    error = capsys.readouterr().err
    assert f"--scenario {missing}: no such file" in error
    assert "python -m loadtest.generate" in error


@pytest.mark.live
def test_a_short_generated_replay_passes_and_writes_its_page(tmp_path: Path) -> None:
    report = tmp_path / "report"
    generous = ["--request-timeout", "10", "--slo-p95-ms", "10000"]  # a busy CI machine
    files = ["--html", str(report / "locust.html"), "--csv", str(report / "locust")]
    code = run.main(["--generate-actions", "200", "--report-dir", str(report), *files, *generous])
    assert code == 0
    assert "<title>MiniTwit load test: PASS</title>" in (report / "index.html").read_text()
