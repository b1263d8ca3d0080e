"""The GitHub workflows, dependabot and pre-commit files validate offline and stay pinned."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def check_jsonschema() -> list[str]:
    """The check-jsonschema command, or skip (fail under MINITWIT_REQUIRE_TOOLS=1)."""
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    found = found or shutil.which("check-jsonschema")
    if found is None:
        if os.environ.get("MINITWIT_REQUIRE_TOOLS") == "1":
            pytest.fail("check-jsonschema is required here (pyproject test group)")
        pytest.skip("check-jsonschema is not installed")
    return [found]


def validate(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*check_jsonschema(), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_expected_workflows_exist() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {"ci.yml", "load.yml", "release.yml"} <= names


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_validates_against_the_github_schema(workflow: Path) -> None:
    done = validate("vendor.github-workflows", workflow)
    assert done.returncode == 0, done.stdout + done.stderr


def test_dependabot_validates_and_covers_pip_actions_and_docker() -> None:
    config = ROOT / ".github" / "dependabot.yml"
    done = validate("vendor.dependabot", config)
    assert done.returncode == 0, done.stdout + done.stderr
    ecosystems = set(re.findall(r"package-ecosystem:\s*(\S+)", config.read_text()))
    assert ecosystems == {"pip", "github-actions", "docker"}


def test_a_broken_workflow_is_rejected(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps:\n      - run: echo hi\n")
    done = validate("vendor.github-workflows", broken)
    assert done.returncode != 0
    assert "runs-on" in done.stdout + done.stderr


def test_pre_commit_pins_match_pyproject() -> None:
    pins = {
        name: version
        for group in tomllib.loads((ROOT / "pyproject.toml").read_text())[
            "dependency-groups"
        ].values()
        for item in group
        if isinstance(item, str)
        for name, version in [item.split("==")]
    }
    config = (ROOT / ".pre-commit-config.yaml").read_text()
    used = re.findall(r'"([A-Za-z0-9_.-]+)==([^"]+)"', config)
    assert used, "pre-commit hooks must pin their packages"
    for name, version in used:
        if name in pins:
            assert pins[name] == version, f"{name}: pre-commit {version}, pyproject {pins[name]}"
    assert ("ruff", pins["ruff"]) in used


def test_ci_runs_the_nox_sessions_with_tools_required() -> None:
    ci = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    for session in ("tests", "lint", "typecheck", "quality"):
        assert f"nox -s {session}" in ci
    assert 'MINITWIT_REQUIRE_POSTGRES: "1"' in ci and 'MINITWIT_REQUIRE_TOOLS: "1"' in ci
