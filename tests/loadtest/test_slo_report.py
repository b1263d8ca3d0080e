"""The SLO verdict and the report files (real matplotlib)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from loadtest.report import Sample, percentile, plot, write_summary
from loadtest.scenario import Action
from loadtest.simulator import CONNECTION_ERROR, TIMEOUT, build_request, classify
from loadtest.slo import Thresholds, judge


def test_clean_run_passes() -> None:
    verdict = judge(
        Thresholds(),
        errors=0,
        failure_ratio=0.0,
        p95_ms=120,
        complete=True,
        progress="10/10",
        integrity_ok=True,
    )
    assert verdict.passed
    assert verdict.text("SLO verdict").startswith("SLO verdict: PASS")


def test_each_threshold_can_fail_the_run() -> None:
    base = {
        "errors": 0,
        "failure_ratio": 0.0,
        "p95_ms": 100.0,
        "complete": True,
        "progress": "",
        "integrity_ok": True,
    }
    for change in (
        {"errors": 1},
        {"failure_ratio": 0.01},
        {"p95_ms": 301.0},
        {"p95_ms": None},
        {"complete": False},
        {"integrity_ok": False},
    ):
        verdict = judge(Thresholds(), **{**base, **change})  # type: ignore[arg-type]
        assert not verdict.passed, change
        assert "FAIL" in verdict.text("SLO verdict")


def test_partial_runs_pass_when_allowed() -> None:
    verdict = judge(
        Thresholds(require_complete=False),
        errors=0,
        failure_ratio=0.0,
        p95_ms=1,
        complete=False,
        progress="5/10",
        integrity_ok=True,
    )
    assert verdict.passed


def test_simulator_requests_and_error_categories() -> None:
    request = build_request(Action(42, 0, 0, "follow", "Ann Lee", ("Bo",)), "Basic x")
    assert request.path == "/fllws/Ann%20Lee?latest=42"
    assert json.loads(request.body) == {"follow": "Bo"}
    assert request.headers["Connection"] == "close"
    register = build_request(Action(1, 0, 0, "register", "A", ("a@x", "pw")), "Basic x", False)
    assert json.loads(register.body) == {"username": "A", "email": "a@x", "pwd": "pw"}
    assert "Connection" not in register.headers
    assert classify("register", 400, None) is None
    assert classify("tweet", 400, None) == "unexpected status 400"
    assert classify("follow", 0, TimeoutError()) == TIMEOUT
    assert classify("follow", 0, ConnectionRefusedError()) == CONNECTION_ERROR


def test_percentile_of_a_histogram() -> None:
    histogram = Counter({10: 50, 20: 45, 500: 5})
    assert percentile(histogram, 0.5) == 10
    assert percentile(histogram, 0.95) == 20
    assert percentile(histogram, 0.99) == 500
    assert percentile(Counter(), 0.5) is None


def test_plots_and_summary_are_written(tmp_path: Path) -> None:
    samples = [Sample(t, t * 10, 0, t * 12, t * 10, 0, 5.0, 9.0, 12.0) for t in range(1, 6)]
    written = plot(tmp_path, samples, {"timeout": 3})
    assert sorted(p.name for p in written) == [
        "errors.png",
        "latency.png",
        "progress.png",
        "throughput.png",
    ]
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = write_summary(tmp_path / "summary.json", {"verdict": {"passed": True}})
    assert json.loads(summary.read_text()) == {"verdict": {"passed": True}}
