"""Schemathesis against the live server's own /openapi.json: all phases, stateful links too.

A ``--target`` may serve no schema (or its own): the project's app/minitwit/api/openapi.json
is then the contract, sent to the target's base URL.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET  # nosec B405 - only the report our own run wrote
from pathlib import Path
from typing import Any

from .context import Context, Target, run_command
from .findings import FAILED, RAN, Finding, ToolRun, normalise_severity

CONFIG = Path(__file__).with_name("schemathesis.toml")
OPENAPI = Path(__file__).resolve().parent.parent / "app" / "minitwit" / "api" / "openapi.json"
PHASES = "examples,coverage,fuzzing,stateful"
MAX_EXAMPLES = 25  # per operation, in the security pipeline


def argv(
    python: str,
    target: Target,
    report_dir: Path,
    *,
    max_examples: int,
    max_time: int,
    seed: int | None,
    formats: str,
) -> list[str]:
    """The ``schemathesis run`` command line (auth comes from schemathesis.toml via env)."""
    command = [
        python,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        *schema(target),
        "--checks",
        "all",
        "--phases",
        PHASES,
        # The API's one required header is Authorization; the simulator contract answers
        # its absence with 403 + a fixed body, this check hard-codes 401. The 403 is
        # pinned by tests/test_api.py (test_without_credentials_403_...).
        "--exclude-checks",
        "missing_required_header",
        "--max-examples",
        str(max_examples),
        "--max-time",
        str(max_time),
        "--workers",
        "1",
        "--request-timeout",
        "5",
        "--report",
        formats,
        "--report-dir",
        str(report_dir),
        "--no-color",
    ]
    return [*command, "--seed", str(seed)] if seed is not None else command


def schema(target: Target) -> list[str]:
    """Where the contract comes from: the server we started, or our file for a --target."""
    if target.external:
        return [str(OPENAPI), "--url", target.url]
    return [f"{target.url}/openapi.json"]


def environment(target: Target) -> dict[str, str]:
    """The process environment with the simulator credentials schemathesis.toml reads."""
    return {
        **os.environ,
        "SIMULATOR_USERNAME": target.simulator_user,
        "SIMULATOR_PASSWORD": target.simulator_password,
    }


def evidence_by_case(junit: Path | None) -> dict[tuple[str, str], str]:
    """Failure text per (operation, code) from the JUnit report."""
    if junit is None or not junit.exists():
        return {}
    found = {}
    for case in ET.parse(junit).getroot().iter("testcase"):  # nosec B314 # noqa: S314
        for failure in case.findall("failure"):
            found[(case.get("name", ""), failure.get("message", ""))] = (failure.text or "").strip()
    return found


def parse(report: dict[str, Any], junit: Path | None = None) -> list[Finding]:
    """One finding per failure kind and operation, with schemathesis' own severity."""
    texts = evidence_by_case(junit)
    findings = []
    for failure in report.get("failures", []):
        code = str(failure.get("code") or failure.get("type") or "?")
        for operation in failure.get("operations") or ["(unknown operation)"]:
            findings.append(
                Finding(
                    tool="schemathesis",
                    rule=code,
                    severity=normalise_severity(failure.get("severity")),
                    title=str(failure.get("title", "")),
                    location=operation,
                    evidence=texts.get((operation, code), "")[:800],
                    fix=f"Run `st explain {code}`; fix the app or make openapi.json say the truth.",
                )
            )
    return findings


def errors(report: dict[str, Any]) -> list[str]:
    """Errors that stopped operations from being tested (not findings: the run is incomplete)."""
    return [
        f"{error.get('title', 'error')} x{error.get('count', 1)}"
        for error in report.get("errors", [])
    ]


def newest(folder: Path, prefix: str) -> Path | None:
    files = sorted(folder.glob(f"{prefix}*"))
    return files[-1] if files else None


def run(ctx: Context, max_examples: int = MAX_EXAMPLES, seed: int | None = 20261129) -> ToolRun:
    """A bounded run for the security pipeline; the verdict comes from its JSON report."""
    if ctx.target is None:
        return ToolRun("schemathesis", FAILED, "no live target")
    folder = ctx.raw("schemathesis")
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*"):
        old.unlink()
    code, seconds = run_command(
        argv(
            ctx.python,
            ctx.target,
            folder,
            max_examples=max_examples,
            max_time=int(ctx.budget_seconds),
            seed=seed,
            formats="junit,json",
        ),
        ctx.raw("schemathesis.log"),
        ctx.budget_seconds + 120,
        env=environment(ctx.target),
    )
    report_path = newest(folder, "json-")
    if report_path is None:
        return ToolRun(
            "schemathesis", FAILED, f"no report (exit {code}), see raw/schemathesis.log", seconds
        )
    report = json.loads(report_path.read_text())
    junit = newest(folder, "junit-")
    findings = parse(report, junit)
    tested = report.get("operations", {})
    phases = ", ".join(
        f"{name} {info.get('status')}" for name, info in report.get("phases", {}).items()
    )
    run = ToolRun(
        "schemathesis",
        RAN,
        f"{tested.get('tested', '?')}/{tested.get('total', '?')} operations, "
        f"{report.get('test_cases', {}).get('generated', '?')} cases, phases: {phases}",
        seconds,
        findings,
        [str(p.relative_to(ctx.out)) for p in (report_path, junit) if p is not None],
    )
    problems = errors(report)
    if problems:
        run.status, run.reason = FAILED, f"runtime errors: {'; '.join(problems)}; " + run.reason
    warnings = {k: v for k, v in (report.get("warnings") or {}).items() if v}
    run.notes = [
        f"warning {name}: {', '.join(map(str, items))}" for name, items in warnings.items()
    ]
    return run
