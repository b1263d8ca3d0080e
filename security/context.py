"""What every tool runner is handed: where to write, what to scan, how to log in."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Target:
    """A live MiniTwit and the accounts the pipeline seeded in it."""

    url: str
    username: str
    password: str
    simulator_user: str
    simulator_password: str
    external: bool = False  # named by --target: not started here, serves no schema of ours


@dataclass
class Context:
    """Paths and settings shared by the runners."""

    root: Path
    out: Path
    target: Target | None = None
    zap_report: Path | None = None
    budget_seconds: float = 120.0
    python: str = field(default_factory=lambda: sys.executable)

    def raw(self, name: str) -> Path:
        """Where a tool's raw output goes (``reports/security/raw/<name>``)."""
        path = self.out / "raw" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path


def run_command(
    argv: Sequence[str],
    log: Path,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> tuple[int, float]:
    """Run a tool with its output in ``log``; return (exit code, seconds). 124 on timeout."""
    started = time.monotonic()
    with log.open("w") as sink:
        try:
            completed = subprocess.run(  # noqa: S603 - argv built by the pipeline, no shell
                list(argv),
                stdout=sink,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=env,
                timeout=timeout,
                check=False,
            )
            code = completed.returncode
        except subprocess.TimeoutExpired:
            sink.write(f"\n[pipeline] timed out after {timeout:.0f} s\n")
            code = 124
    return code, time.monotonic() - started
