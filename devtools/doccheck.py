"""Run the commands the README and docs/ show, in a fresh clone, as a new user would.

    python -m devtools.doccheck [--all] [--keep] [--repo PATH]

Every command in a ``sh`` block of README.md and docs/*.md must match one rule below: it is
run (and must exit 0), served (started, probed over HTTP, stopped), run only with ``--all``
(slow), or skipped with the reason (needs Docker, another machine, your own server). A command
no rule knows fails the check, so a new command in the docs cannot go unchecked.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
RUN, SERVE, SLOW, SKIP = "run", "serve", "slow", "skip"
FENCE = re.compile(r"^```(?:sh|bash)\n(.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Command:
    """One documented command: where it is shown and its text (comments and line breaks gone)."""

    page: str
    text: str


@dataclass(frozen=True)
class Rule:
    """How commands matching ``pattern`` are checked."""

    pattern: str
    how: str
    why: str = ""


RULES = (
    Rule(r"nox -s serve$", SERVE),
    Rule(r"^minitwit serve( --server \w+)?( --threads \d+)?$", SERVE),
    Rule(r"nox -s tests$", SLOW, "the whole suite, about 5 minutes"),
    Rule(r"^\.venv/bin/pytest ", SLOW, "a part of the suite"),
    Rule(r"nox -s (lint|typecheck)$", RUN),
    Rule(r"nox -s report$", RUN),
    Rule(r"python -m devtools\.portal\b", RUN),
    Rule(r"nox -s load$", RUN),
    Rule(r"python -m loadtest\.generate ", RUN),
    Rule(r"nox -s load -- ", SLOW, "a 20,000-action replay on PostgreSQL"),
    Rule(r"nox -s security -- --tools bandit,pip-audit$", RUN),
    Rule(r"nox -s (quality|security|bench|fuzz|faults)\b", SLOW, "minutes"),
    Rule(r"nox -s cluster\b", SLOW, "runs until Ctrl-C"),
    Rule(r"python -m deploy\.distributed\b", SKIP, "needs a running cluster (tests/deploy do)"),
    Rule(r"python -m deploy\b", SLOW, "runs until Ctrl-C"),
    Rule(r"python -m faults --list$", SKIP, "needs the load group installed (nox -s faults does)"),
    Rule(r"python -m devtools\.doccheck\b", SKIP, "this check itself"),
    Rule(r"python -m faults\b", SLOW, "fault drills take minutes"),
    Rule(r"nox -s conformance\b", SLOW, "runs the contract against a server you started"),
    Rule(r"reference_app:app &$", SKIP, "starts the original's re-creation for the next command"),
    Rule(r"--zap-report ", SKIP, "needs a ZAP report, which needs Docker"),
    Rule(r"^locust .*--(master|worker)\b", SKIP, "needs several machines"),
    Rule(r"^docker ", SKIP, "needs a Docker engine (the compose file is validated by the tests)"),
    Rule(r"\$EDITOR", SKIP, "interactive"),
    Rule(r"^createdb |^DATABASE_URL=postgresql://", SKIP, "needs your own PostgreSQL server"),
    Rule(r"^minitwit unlock ", SKIP, "needs the servers' database and key (tests/test_cli.py)"),
)


def commands(root: Path = ROOT) -> list[Command]:
    """Every command in the sh blocks of README.md and docs/*.md."""
    found = []
    for page in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for block in FENCE.findall(page.read_text()):
            joined = block.replace("\\\n", " ")
            for line in joined.splitlines():
                text = re.sub(r"\s+#.*$", "", line).strip()
                if text and not text.startswith("#"):
                    found.append(Command(str(page.relative_to(root)), re.sub(r"\s+", " ", text)))
    return found


def rule_for(command: Command) -> Rule | None:
    """The first rule whose pattern matches the command, or None."""
    return next((rule for rule in RULES if re.search(rule.pattern, command.text)), None)


def _serve(text: str, clone: Path, timeout: float) -> str:
    """Start a serving command, wait for /readyz, check two pages, stop it; '' when all is well."""
    environment = {**os.environ, "PATH": f"{clone / '.nox' / 'serve' / 'bin'}:{os.environ['PATH']}"}
    process = subprocess.Popen(  # noqa: S602 - the documented command, verbatim, in our clone
        text, shell=True, cwd=clone, env=environment, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urlopen("http://127.0.0.1:5000/readyz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None:
                    return f"exited with {process.returncode} before serving"
                time.sleep(1)
        else:
            return f"not ready within {timeout:.0f} s"
        for path, expected in (("/public", b"MiniTwit"), ("/latest", b'"latest"')):
            with urlopen("http://127.0.0.1:5000" + path, timeout=5) as answer:
                if expected not in answer.read():
                    return f"{path} did not show {expected!r}"
        return ""
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _run(text: str, clone: Path, timeout: float) -> str:
    """Run a command to completion; '' when it exited 0."""
    try:
        done = subprocess.run(  # noqa: S602 - the documented command, verbatim, in our clone
            text, shell=True, cwd=clone, capture_output=True, text=True, timeout=timeout,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"still running after {timeout:.0f} s"
    return "" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[-300:]}"


def check(clone: Path, run_slow: bool, timeout: float) -> int:
    """Check every documented command in ``clone``; print a line each; 1 if any failed."""
    failed = 0
    for command in commands(clone):
        rule = rule_for(command)
        started = time.monotonic()
        if rule is None:
            outcome, failed = "FAIL: no rule says how to check this command", failed + 1
        elif rule.how == SKIP or (rule.how == SLOW and not run_slow):
            outcome = f"skipped: {rule.why}" + (" (--all runs it)" if rule.how == SLOW else "")
        else:
            runner = _serve if rule.how == SERVE else _run
            problem = runner(command.text, clone, timeout)
            outcome = f"FAIL: {problem}" if problem else "ok"
            failed += bool(problem)
        took = time.monotonic() - started
        print(f"[doccheck] {outcome:<60} {took:6.1f} s  {command.page}: {command.text}", flush=True)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Clone the repository into a temporary folder and check its documented commands there."""
    parser = argparse.ArgumentParser(prog="python -m devtools.doccheck", description=__doc__)
    parser.add_argument("--all", action="store_true", help="also run the slow commands")
    parser.add_argument("--keep", action="store_true", help="keep the clone afterwards")
    parser.add_argument("--repo", type=Path, default=ROOT, help="what to clone (its HEAD)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per command")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="minitwit-doccheck-"))
    clone = folder / "minitwit"
    try:
        subprocess.run(["git", "clone", "-q", str(args.repo), str(clone)], check=True)
        print(f"[doccheck] fresh clone of {args.repo} at {clone}", flush=True)
        return check(clone, args.all, args.timeout)
    finally:
        if args.keep:
            print(f"[doccheck] kept {clone}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
