"""The new-code gate in a scratch git repository: real git, a real coverage run, real ruff
and radon, judged against ``main`` as ``nox -s quality -- --new-code-base main`` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import newcode, runners
from devtools.verdict import Verdict

STEPS = (runners.run_ruff, runners.run_radon)  # the fast static tools; mypy adds nothing here
ADD = "def add(a, b):\n    return a + b\n"
SUB = "\n\ndef sub(a, b):\n    if a:\n        return a - b\n    return -b\n"
TEST_ADD = "from app.minitwit.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
TEST_SUB = (
    "from app.minitwit.calc import sub\n\n\ndef test_sub():\n"
    "    assert sub(3, 1) == 2\n    assert sub(0, 1) == -1\n"
)
BRANCHY = "\n\ndef pick(n):\n" + "".join(
    f"    if n == {i}:\n        return {i}\n" for i in range(22)
) + "    return -1\n"  # fmt: skip


def sh(root: Path, *args: str) -> None:
    """Run a command in the scratch repository, without the outer run's coverage settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the scratch tests need none; starts 4x faster
    subprocess.run(args, cwd=root, env=env, check=True, capture_output=True, timeout=120)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose ``main`` holds a tested ``add`` in app/minitwit/calc.py."""
    root = tmp_path / "repo"
    root.mkdir()
    sh(root, "git", "init", "-q", "-b", "main")
    sh(root, "git", "config", "user.email", "gate@example.com")
    sh(root, "git", "config", "user.name", "gate")
    files = {"app/minitwit/__init__.py": "", "app/minitwit/calc.py": ADD}
    write(root, {**files, "tests/test_add.py": TEST_ADD})
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-q", "-m", "base")
    sh(root, "git", "checkout", "-q", "-b", "change")
    return root


def gate(root: Path, tmp_path: Path, files: dict[str, str]) -> Verdict:
    """Commit ``files`` on the change branch, run the tests under coverage, judge against main."""
    write(root, files)
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-q", "-m", "change")
    python = sys.executable
    sh(root, python, "-m", "coverage", "run", "--branch", "--source=app/minitwit",
       "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")  # fmt: skip
    sh(root, python, "-m", "coverage", "xml", "-o", "coverage.xml")
    out = tmp_path / "out"
    out.mkdir()
    head = newcode.findings_at(root, STEPS)
    verdict = Verdict()
    newcode.apply(root, out, "main", verdict, head, root / "coverage.xml", STEPS)
    return verdict


def failed(verdict: Verdict) -> list[str]:
    return [check.name for check in verdict.failures]


def test_a_tested_change_passes(repo: Path, tmp_path: Path) -> None:
    verdict = gate(
        repo, tmp_path, {"app/minitwit/calc.py": ADD + SUB, "tests/test_sub.py": TEST_SUB}
    )
    assert verdict.status == "pass", verdict.text("gate")


def test_untested_new_lines_fail_the_diff_coverage(repo: Path, tmp_path: Path) -> None:
    verdict = gate(repo, tmp_path, {"app/minitwit/calc.py": ADD + SUB})
    assert failed(verdict) == ["new code: diff coverage"]
    assert "app/minitwit/calc.py: [6, 7, 8]" in verdict.failures[0].detail


def test_a_new_finding_fails_even_when_covered(repo: Path, tmp_path: Path) -> None:
    calc = "import os\n\n\n" + ADD + SUB
    verdict = gate(repo, tmp_path, {"app/minitwit/calc.py": calc, "tests/test_sub.py": TEST_SUB})
    assert failed(verdict) == ["new code: no new finding of medium severity or worse"]
    assert "F401" in verdict.failures[0].detail


def test_new_complexity_above_c_fails(repo: Path, tmp_path: Path) -> None:
    test = "from app.minitwit.calc import pick\n\n\ndef test_pick():\n" + "".join(
        f"    assert pick({i}) == {i}\n" for i in range(-1, 22)
    )
    verdict = gate(repo, tmp_path, {"app/minitwit/calc.py": ADD + BRANCHY, "tests/test_p.py": test})
    assert failed(verdict) == ["new code: no new complexity above C"]


def test_an_old_finding_that_only_moved_is_not_new(repo: Path, tmp_path: Path) -> None:
    write(repo, {"app/minitwit/calc.py": "import os\n\n\n" + ADD})
    sh(repo, "git", "checkout", "-q", "main")
    sh(repo, "git", "commit", "-q", "-am", "an unused import on main")
    sh(repo, "git", "checkout", "-q", "change")
    sh(repo, "git", "reset", "-q", "--hard", "main")
    moved = '"""Arithmetic."""\n\nimport os\n\n\n' + ADD + SUB
    verdict = gate(repo, tmp_path, {"app/minitwit/calc.py": moved, "tests/test_sub.py": TEST_SUB})
    assert verdict.status == "pass", verdict.text("gate")


def test_an_unknown_base_fails_the_gate_with_the_reason(repo: Path, tmp_path: Path) -> None:
    verdict = Verdict()
    newcode.apply(repo, tmp_path, "no-such-branch", verdict, [], None, STEPS)
    assert failed(verdict) == ["new code: base ref available"]
    assert "no-such-branch" in verdict.failures[0].detail
