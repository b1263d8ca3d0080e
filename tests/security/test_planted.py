"""A planted vulnerable module in a scratch copy of the repository fails the gate, by name."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PLANTED = '''"""Deliberately vulnerable: shell injection, eval, weak hash, unsafe YAML."""
import hashlib
import subprocess

import yaml


def run(user_input):
    subprocess.call("ls " + user_input, shell=True)
    return eval(user_input)


def digest(data):
    return hashlib.md5(data).hexdigest()


def load(text):
    return yaml.load(text)
'''


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A copy of what the pipeline's bandit run reads, plus what its imports need."""
    if importlib.util.find_spec("bandit") is None:
        if os.environ.get("MINITWIT_REQUIRE_TOOLS") == "1":
            pytest.fail("bandit is not installed (dependency group 'security')")
        pytest.skip("bandit is not installed (dependency group 'security')")
    copy = tmp_path / "repo"
    for name in ("app", "security"):
        shutil.copytree(
            ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    shutil.copytree(
        ROOT / "devtools",
        copy / "devtools",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def gate(copy: Path) -> tuple[int, str, dict]:
    out = copy / "reports" / "security"
    completed = subprocess.run(
        [sys.executable, "-m", "security.pipeline", "--tools", "bandit", "--out", str(out)],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    summary = (out / "summary.md").read_text() if (out / "summary.md").exists() else ""
    data = json.loads((out / "findings.json").read_text()) if summary else {}
    return completed.returncode, summary, data


def test_clean_copy_passes_the_bandit_gate(scratch: Path) -> None:
    code, summary, _ = gate(scratch)
    assert code == 0, summary


def test_planted_vulnerable_module_fails_the_gate_and_is_named(scratch: Path) -> None:
    (scratch / "app" / "minitwit" / "planted.py").write_text(PLANTED)
    code, summary, data = gate(scratch)
    assert code == 1
    assert "FAIL" in summary
    assert "app/minitwit/planted.py" in summary
    rules = {
        f["rule"].split("-")[0]
        for f in data["findings"]
        if f["location"] == "app/minitwit/planted.py"
    }
    assert {"B602", "B307", "B324", "B506"} <= rules  # shell, eval, md5, yaml.load
    assert (scratch / "reports" / "security" / "findings.sarif").exists()
    assert (scratch / "reports" / "security" / "index.html").exists()
