"""bench_versions' worktrees: a revision is checked out beside the repository and removed after."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .bench_versions import REPOSITORY, worktree


def test_a_revision_is_checked_out_and_removed_afterwards(tmp_path: Path) -> None:
    folder = tmp_path / "tree"
    with worktree("HEAD", folder) as tree:
        assert (tree / "app" / "minitwit" / "__init__.py").is_file()
        listed = subprocess.run(
            ["git", "-C", str(REPOSITORY), "worktree", "list"], capture_output=True, text=True
        ).stdout
        assert str(folder) in listed
    assert not folder.exists()
    listed = subprocess.run(
        ["git", "-C", str(REPOSITORY), "worktree", "list"], capture_output=True, text=True
    ).stdout
    assert str(folder) not in listed
