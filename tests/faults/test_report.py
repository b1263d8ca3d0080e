"""`python -m faults` and its report: fields, exit codes, skipped drills, plots.

The drills here are stand-ins that return fixed results without servers, so the tests judge
the runner and the report, not MiniTwit (the real drills are in the other test modules).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faults.cli import main
from faults.drill import Context, DrillResult, Entry, Skip

SERIES = [
    {"t": t, "requests": 10, "ok": 10 - (t == 2) * 4, "errors": (t == 2) * 4} for t in range(5)
]


def passing(_context: Context) -> DrillResult:
    result = DrillResult("good", "A drill that holds", injected="nothing", window=(1.0, 3.0))
    result.series, result.failed_requests, result.acknowledged_lost = SERIES, 4, 0
    result.recovery_seconds = 0.5
    result.check("held", True, 1, 1)
    return result


def failing(_context: Context) -> DrillResult:
    result = DrillResult("bad", "A drill that fails", window=(2.0, 2.0))
    result.series, result.acknowledged_lost = SERIES, 3
    result.check("every acknowledged write is there", False, "3 lost", "0 lost")
    return result


def skipping(_context: Context) -> DrillResult:
    raise Skip("nginx is not installed")


def registry(*entries: tuple[str, object]) -> dict[str, Entry]:
    return {name: Entry(name, name, run) for name, run in entries}  # type: ignore[arg-type]


def run(
    tmp_path: Path, *entries: tuple[str, object], args: tuple[str, ...] = ()
) -> tuple[int, dict]:
    code = main(["--out", str(tmp_path), *args], registry(*entries))
    return code, json.loads((tmp_path / "summary.json").read_text())


def test_summary_has_the_promised_fields_per_drill(tmp_path: Path) -> None:
    code, summary = run(tmp_path, ("good", passing))
    assert code == 0
    (drill,) = summary["drills"]
    fields = {"name", "passed", "acknowledged_lost", "failed_requests", "recovery_seconds"}
    assert fields <= set(drill)
    assert (drill["passed"], drill["acknowledged_lost"], drill["recovery_seconds"]) == (
        True,
        0,
        0.5,
    )
    assert drill["window"] == [1.0, 3.0] and drill["injected"] == "nothing"


def test_a_failing_drill_makes_the_exit_code_non_zero(tmp_path: Path) -> None:
    code, summary = run(tmp_path, ("good", passing), ("bad", failing))
    assert code == 1
    assert summary["verdict"]["status"] == "fail"
    assert [d["status"] for d in summary["drills"]] == ["passed", "failed"]


def test_a_skipped_drill_is_shown_as_skipped_never_passed(tmp_path: Path) -> None:
    code, summary = run(tmp_path, ("good", passing), ("cluster", skipping))
    assert code == 0
    skipped = summary["drills"][1]
    assert (skipped["status"], skipped["passed"]) == ("skipped", False)
    assert summary["scope"]["skipped"] == {"cluster": "nginx is not installed"}
    assert summary["verdict"]["status"] == "limited"
    assert "Skipped, so not a pass: nginx is not installed" in (tmp_path / "index.html").read_text()


def test_require_complete_fails_a_run_with_a_skipped_drill(tmp_path: Path) -> None:
    code, _summary = run(
        tmp_path, ("good", passing), ("cluster", skipping), args=("--require-complete",)
    )
    assert code == 1


def test_only_runs_the_named_drills_and_lists_the_rest_as_not_selected(tmp_path: Path) -> None:
    code, summary = run(tmp_path, ("good", passing), ("bad", failing), args=("--only", "good"))
    assert code == 0
    assert summary["scope"]["ran"] == ["good"]
    assert summary["scope"]["skipped"] == {"bad": "not selected (--only)"}


def test_an_unknown_drill_name_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--out", str(tmp_path), "--only", "nope"], registry(("good", passing)))
    assert exit_.value.code == 2


def test_plots_are_written_and_shown_in_the_page(tmp_path: Path) -> None:
    run(tmp_path, ("good", passing), ("bad", failing))
    page = (tmp_path / "index.html").read_text()
    for name in ("good", "bad"):
        plot = tmp_path / f"{name}.png"
        assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="{name}.png"' in page
    assert "3 lost" in page
