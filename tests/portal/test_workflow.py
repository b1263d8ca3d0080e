"""The reports workflow: history restored before the build, Pages on main, one PR comment.

(Its schema is checked with every other workflow in tests/analysis/test_ci_config.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "reports.yml"


def steps(job: str) -> list[dict[str, object]]:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    return list(jobs[job]["steps"])


def test_every_action_is_pinned_to_a_version() -> None:
    used = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text())
    assert used and all(re.search(r"@v\d+(\.\d+)*$", action) for action in used), used


def test_the_history_is_restored_before_the_pipelines_append_to_it() -> None:
    runs = [str(step.get("run", "")) for step in steps("build")]
    restore = next(n for n, text in enumerate(runs) if "/history/$name.jsonl" in text)
    first_pipeline = next(n for n, text in enumerate(runs) if "nox -s quality" in text)
    build = next(n for n, text in enumerate(runs) if "nox -s report" in text)
    assert restore < first_pipeline < build


def test_main_publishes_the_portal_to_pages_and_pull_requests_get_one_comment() -> None:
    text = WORKFLOW.read_text()
    assert "actions/upload-pages-artifact@" in text and "actions/deploy-pages@" in text
    comment = [step for step in steps("comment") if "sticky-pull-request-comment" in str(step)]
    assert len(comment) == 1
    assert comment[0]["with"] == {"header": "minitwit-reports", "path": "reports/summary.md"}
    assert "--new-code-base origin/{0}" in text
