"""Run each checker in a subprocess of the current interpreter and parse what it prints."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import parsers
from .findings import Results

PACKAGE = "app/minitwit"  # the product: coverage, typing, complexity, duplication, dead code
SYMILAR_MIN_LINES = "6"
# Names only reached through frameworks (Flask decorators, Peewee Meta, gunicorn hooks).
VULTURE_IGNORE_DECORATORS = (
    "@*.get,@*.post,@*.put,@*.patch,@*.delete,@*.route,@*.before_request,"
    "@*.after_request,@*.teardown_request,@*.errorhandler,@*.command,@*.group,"
    "@*.before_app_request,@*.after_app_request,@*.app_errorhandler,"
    "@*.context_processor,@*.template_filter,@*.app_template_filter,@*.fixture"
)
VULTURE_IGNORE_NAMES = (
    "Meta,table_name,primary_key,indexes,legacy_table_names,session_interface,"
    "get_cookie_secure,ensure_sync,test_client_class,load_config,load,access"
)


@dataclass
class Outcome:
    """What a tool printed and how it exited."""

    returncode: int
    stdout: str
    stderr: str


def run(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Outcome:
    """Run ``python -m <args>`` in ``cwd`` and capture its output."""
    done = subprocess.run(  # noqa: S603 - fixed tool names from this module
        [sys.executable, "-m", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def run_streaming(args: Sequence[str], cwd: Path, log: Path, env: dict[str, str]) -> Outcome:
    """Run ``python -m <args>``, echoing its output as it comes and keeping it in ``log``."""
    lines: list[str] = []
    with (
        log.open("w") as sink,
        subprocess.Popen(  # noqa: S603 - fixed tool names from this module
            [sys.executable, "-m", *args],
            cwd=cwd,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as process,
    ):
        assert process.stdout is not None  # noqa: S101 - set by stdout=PIPE
        for line in process.stdout:
            print(line, end="", flush=True)
            sink.write(line)
            lines.append(line)
    return Outcome(process.returncode, "".join(lines), "")


def python_files(root: Path, folder: str) -> list[str]:
    """Python files under ``folder`` relative to ``root``, sorted."""
    return sorted(p.relative_to(root).as_posix() for p in (root / folder).rglob("*.py"))


def run_tests(root: Path, out: Path, pytest_args: Sequence[str], results: Results) -> None:
    """The test suite with branch coverage of the app package; fills coverage figures."""
    coverage_json = out / "coverage.json"
    coverage_json.unlink(missing_ok=True)
    (out / "coverage.xml").unlink(missing_ok=True)
    log = out / "pytest.txt"
    print(f"[quality] tests under branch coverage (also written to {log})", flush=True)
    outcome = run_streaming(
        [
            "pytest",
            "-p",
            "no:cacheprovider",
            "--cov=minitwit",
            "--cov-branch",
            f"--cov-report=json:{coverage_json}",
            f"--cov-report=xml:{out / 'coverage.xml'}",
            "--cov-report=term",
            *pytest_args,
        ],
        root,
        log,
        {"COVERAGE_FILE": str(out / ".coverage")},
    )
    results.tests_passed = outcome.returncode == 0
    tail = [line for line in outcome.stdout.splitlines() if line.strip()]
    results.tests_outcome = tail[-1].strip("= ") if tail else outcome.stderr.strip()[-300:]
    if coverage_json.exists():
        load_coverage(coverage_json, root, results)


def load_coverage(coverage_json: Path, root: Path, results: Results) -> None:
    """Read a coverage.py JSON report into ``results``."""
    results.coverage, results.coverage_percent = parsers.parse_coverage(
        coverage_json.read_text(), root
    )


def run_ruff(root: Path, results: Results) -> None:
    """Lint findings and unformatted files over the whole repository."""
    check = run(["ruff", "check", "--output-format", "json", "--no-fix", "."], root)
    results.ruff = parsers.parse_ruff(check.stdout, root)
    fmt = run(["ruff", "format", "--check", "--output-format", "json", "."], root)
    results.unformatted = parsers.parse_ruff_format(fmt.stdout, root)


def run_mypy(root: Path, results: Results) -> None:
    """mypy (configured strict in pyproject.toml) on the app package."""
    outcome = run(["mypy", "--no-error-summary", "--no-color-output", PACKAGE], root)
    results.mypy = parsers.parse_mypy(outcome.stdout)


def run_radon(root: Path, results: Results) -> None:
    """Cyclomatic complexity per block and maintainability index per module."""
    results.blocks = parsers.parse_radon_cc(run(["radon", "cc", "-j", PACKAGE], root).stdout)
    results.maintainability = parsers.parse_radon_mi(
        run(["radon", "mi", "-j", PACKAGE], root).stdout
    )


def run_symilar(root: Path, results: Results) -> None:
    """Duplicated blocks in the app package (pylint's similarity checker)."""
    flags = ["-d", SYMILAR_MIN_LINES, "-i", "--ignore-docstrings", "--ignore-imports"]
    files = python_files(root, PACKAGE)
    outcome = run(["pylint.checkers.symilar", *flags, *files], root)
    results.duplicates, results.duplicated_lines, results.total_lines = parsers.parse_symilar(
        outcome.stdout
    )


def run_vulture(root: Path, results: Results) -> None:
    """Dead code in the app package; names used by the tests count as used."""
    args = [
        "vulture",
        PACKAGE,
        "tests",
        "--min-confidence",
        "60",
        "--ignore-decorators",
        VULTURE_IGNORE_DECORATORS,
        "--ignore-names",
        VULTURE_IGNORE_NAMES,
    ]
    findings = parsers.parse_vulture(run(args, root).stdout)
    results.dead_code = [f for f in findings if f.path.startswith(PACKAGE)]


def collect(
    root: Path, out: Path, pytest_args: Sequence[str], coverage_json: Path | None = None
) -> Results:
    """Run every checker; with ``coverage_json`` the tests are not run and that report is read."""
    out.mkdir(parents=True, exist_ok=True)
    results = Results()
    if coverage_json is None:
        run_tests(root, out, pytest_args, results)
    else:
        load_coverage(coverage_json, root, results)
        results.tests_outcome = f"coverage read from {coverage_json}"
    for step in (run_ruff, run_mypy, run_radon, run_symilar, run_vulture):
        print(f"[quality] {step.__name__.removeprefix('run_')}", flush=True)
        step(root, results)
    return results
