"""The base branch as a folder: a detached ``git worktree`` of a ref, removed afterwards.

The static tools run there exactly as on the change, so "new since main" compares like with
like and needs no network and no saved file.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class BaseUnavailable(RuntimeError):
    """The base ref cannot be checked out (unknown ref, shallow clone, not a git repository)."""


@contextmanager
def checkout(root: Path, ref: str) -> Iterator[Path]:
    """A temporary worktree of ``ref`` from the repository at ``root``."""
    folder = Path(tempfile.mkdtemp(prefix="minitwit-base-")) / "tree"
    added = subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(folder), ref],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if added.returncode != 0:
        folder.parent.rmdir()
        raise BaseUnavailable(f"cannot check out {ref!r}: {added.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(folder)],
            cwd=root,
            capture_output=True,
            check=False,
        )
        subprocess.run(["git", "worktree", "prune"], cwd=root, capture_output=True, check=False)
        shutil.rmtree(folder.parent, ignore_errors=True)
