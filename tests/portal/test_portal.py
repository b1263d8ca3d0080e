"""The portal on a checkout where some pipelines ran and others did not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools.portal import history
from devtools.portal.__main__ import main
from devtools.portal.page import build, overall
from devtools.portal.readers import READERS, read

from .sample_reports import BUILDERS, fuzz, quality, security

FIGURES = {
    "quality": {"coverage_branch_percent": 90.0, "ruff_findings": 1, "mypy_errors": 1},
    "security": {"critical": 0, "high": 0, "medium": 0, "low": 1},
    "faults": {"drills_passed": 1, "drills_failed": 1, "drills_skipped": 1},
    "load": {"p95_ms": 9, "requests_per_s": 40.0, "simulator_errors": 2},
    "conformance": {"clauses_passed": 2, "clauses_failed": 0, "clauses_not_judged": 1},
    "fuzz": {"cases": 480, "failures": 1, "operations_tested": 8},
    "ui": {"screenshots": 2},
}
STATUS = {
    "quality": "fail",
    "security": "limited",
    "faults": "fail",
    "load": "pass",
    "conformance": "limited",
    "fuzz": "fail",
    "ui": "no verdict",
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_each_pipelines_report_is_read_with_its_verdict_and_figures(
    tmp_path: Path, name: str
) -> None:
    BUILDERS[name](tmp_path)
    found = read(tmp_path, name)
    assert found.status == STATUS[name]
    assert FIGURES[name].items() <= found.figures.items()
    assert found.time is not None


@pytest.mark.parametrize("name", list(READERS))
def test_a_pipeline_without_a_report_is_not_run(tmp_path: Path, name: str) -> None:
    found = read(tmp_path, name)
    assert found.status == "not run" and found.figures == {}
    assert f"nox -s {name}" in found.headline


@pytest.mark.parametrize(("tested", "status"), [(8, "pass"), (1, "limited")])
def test_fuzzing_that_reached_only_some_operations_is_limited(
    tmp_path: Path, tested: int, status: str
) -> None:
    fuzz(tmp_path, failures=0, tested=tested)  # e.g. nox -s fuzz -- --operation "POST /register"
    found = read(tmp_path, "fuzz")
    assert found.status == status
    assert f"over {tested}/8 operations" in found.headline


def test_the_page_shows_who_ran_and_who_did_not(tmp_path: Path) -> None:
    quality(tmp_path)
    security(tmp_path)
    page = build(tmp_path).read_text()
    rows = {row.split("</strong>")[0]: row for row in page.split("<strong>")[1:]}
    assert '<span class="tag fail">FAIL</span>' in rows["Quality"]
    assert '<span class="tag limited">PASS, limited</span>' in rows["Security"]
    for title in ("API fuzzing", "Load test", "Fault drills", "Conformance", "Benchmarks"):
        assert '<span class="tag not-run">not run</span>' in rows[title], title
    assert 'href="quality/index.html"' in page and "abc123def456" in page


def test_a_limited_pipeline_never_reads_as_a_plain_pass(tmp_path: Path) -> None:
    security(tmp_path)
    verdict = overall([read(tmp_path, name) for name in READERS])
    assert verdict.status == "limited"
    assert "Security: zap: no Docker" in verdict.gaps
    assert "Load test: not run" in verdict.gaps


def test_nothing_run_is_not_a_pass(tmp_path: Path) -> None:
    verdict = overall([read(tmp_path, name) for name in READERS])
    assert verdict.status == "fail"


def test_every_pipeline_that_ran_is_in_the_summary_for_pull_requests(tmp_path: Path) -> None:
    for builder in BUILDERS.values():
        builder(tmp_path)
    assert main(["--reports", str(tmp_path)]) == 0
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("## Reports: FAIL: 3 checks failed")
    assert "| Load test | pass | p95 ms 9, requests per s 40.0" in summary
    assert "| Benchmarks | not run |" in summary


def test_a_report_without_its_commit_takes_it_from_the_runs_history_record(
    tmp_path: Path,
) -> None:
    folder = fuzz(tmp_path)
    history.snapshot(folder, "fuzz")
    page = build(tmp_path).read_text()
    recorded = history.read(tmp_path / "history" / "fuzz.jsonl")[-1]
    assert recorded["commit"] in page.split("API fuzzing</strong>")[1].split("</tr>")[0]


def test_new_since_the_base_is_listed_on_the_page_and_in_the_summary(tmp_path: Path) -> None:
    folder = quality(tmp_path)
    head = json.loads((folder / "findings.json").read_text())["findings"]
    fixed = {**head[0], "code": "E999", "message": "gone now"}
    base = {"base": "main", "commit": "0123456789ab", "findings": [*head[1:], fixed]}
    (folder / "base-findings.json").write_text(json.dumps(base))
    page = build(tmp_path).read_text()
    summary = (tmp_path / "summary.md").read_text()
    assert "Quality: new since main (0123456789ab)" in summary
    assert f"1 new, 1 fixed, {len(head) - 1} remaining." in summary
    assert "gone now" in summary and "gone now" in page
