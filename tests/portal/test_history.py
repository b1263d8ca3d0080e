"""reports/history/<pipeline>.jsonl: one line per run, bounded, never losing earlier lines."""

from __future__ import annotations

import json
from pathlib import Path

from devtools.portal import history

from .sample_reports import conformance, faults


def test_a_run_appends_one_record_with_commit_time_verdict_and_figures(tmp_path: Path) -> None:
    entry = history.record(tmp_path / "quality", "quality", "pass", {"coverage": 97.5}, "abc")
    path = tmp_path / "history" / "quality.jsonl"
    assert json.loads(path.read_text()) == entry
    assert entry["commit"] == "abc" and entry["verdict"] == "pass" and "time" in entry


def test_appending_keeps_every_earlier_line_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "load.jsonl"
    history.append(path, {"time": "1", "verdict": "pass"})
    before = path.read_bytes()
    history.append(path, {"time": "2", "verdict": "fail"})
    assert path.read_bytes().startswith(before)
    assert [e["time"] for e in history.read(path)] == ["1", "2"]


def test_the_file_is_trimmed_to_the_newest_records(tmp_path: Path) -> None:
    path = tmp_path / "load.jsonl"
    for n in range(7):
        history.append(path, {"time": str(n)}, keep=5)
    assert [e["time"] for e in history.read(path)] == ["2", "3", "4", "5", "6"]
    assert [p.name for p in tmp_path.iterdir()] == ["load.jsonl"]  # no temporary file left


def test_a_torn_last_line_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "load.jsonl"
    history.append(path, {"time": "1"})
    with path.open("a") as sink:
        sink.write('{"time": "2", "verd')  # a crash in the middle of a write
    assert [e["time"] for e in history.read(path)] == ["1"]


def test_the_pipelines_writers_record_their_runs(tmp_path: Path) -> None:
    faults(tmp_path)
    conformance(tmp_path)
    drills = history.read(tmp_path / "history" / "faults.jsonl")
    clauses = history.read(tmp_path / "history" / "conformance.jsonl")
    assert [e["verdict"] for e in drills] == ["fail"]
    assert drills[0]["figures"] == {"drills_passed": 1, "drills_failed": 1, "drills_skipped": 1}
    assert clauses[0]["verdict"] == "limited" and clauses[0]["figures"]["clauses_passed"] == 2


def test_a_folder_without_a_report_records_nothing(tmp_path: Path) -> None:
    assert history.snapshot(tmp_path / "load", "load") is None
    assert not (tmp_path / "history").exists()
