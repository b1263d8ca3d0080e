"""python -m loadtest.run: its own options, Locust's arguments, and a bad scenario refused early."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

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


@pytest.mark.live
def test_sigterm_to_the_runner_stops_the_server_it_started(tmp_path: Path) -> None:
    """A paced replay runs for minutes; SIGTERM to ``python -m loadtest.run`` ends it, and the
    ``minitwit serve`` and Locust it started stop with it (before, both kept running)."""
    command = [sys.executable, "-m", "loadtest.run", "--speedup", "40000"]
    command += ["--report-dir", str(tmp_path / "report")]
    with subprocess.Popen(
        command,
        cwd=run.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its group holds what it started: cleaned up below if left
    ) as runner:
        try:
            assert runner.stdout is not None
            url = None
            deadline = time.monotonic() + 60
            while url is None and time.monotonic() < deadline:
                found = re.search(r"at (http://127\.0\.0\.1:\d+)", runner.stdout.readline())
                url = found.group(1) if found else None
            assert url is not None, "the runner never said where its server was"
            time.sleep(3)  # Locust is replaying now
            runner.send_signal(signal.SIGTERM)
            assert runner.wait(timeout=40) == 128 + signal.SIGTERM
            with pytest.raises(requests.ConnectionError):  # checked before the cleanup below
                requests.get(f"{url}/healthz", timeout=2)
        finally:  # only if the runner left something behind (the failure this test pins)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(runner.pid, signal.SIGKILL)
