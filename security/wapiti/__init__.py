"""DAST with wapiti3 (own virtualenv) against the live app; its JSON, not its exit code, counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..context import Context, run_command
from ..findings import FAILED, RAN, SEVERITIES, Finding, ToolRun

REQUIREMENTS = Path(__file__).with_name("requirements.txt")
MODULES = (
    "xss,permanentxss,sql,exec,file,crlf,redirect,csrf,http_headers,cookieflags,csp,"
    "methods,backup,upload,htaccess"
)
LEVELS = {4: "critical", 3: "high", 2: "medium", 1: "low", 0: "info"}


def severity(level: Any) -> str:
    """Wapiti's levels (4 critical .. 0 info) in our words."""
    try:
        return LEVELS.get(int(level), "info")
    except (TypeError, ValueError):
        return "info"


def parse(report: dict[str, Any]) -> list[Finding]:
    """Vulnerabilities, anomalies (500s, timeouts) and additionals from a wapiti JSON report."""
    classes = report.get("classifications", {})
    solutions = {name: info.get("sol", "") for name, info in classes.items()}
    findings = []
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, items in (report.get(section) or {}).items():
            for item in items:
                parameter = f" (parameter {item['parameter']})" if item.get("parameter") else ""
                findings.append(
                    Finding(
                        tool="wapiti",
                        rule=str(item.get("module") or category).lower().replace(" ", "-"),
                        severity=severity(item.get("level")),
                        title=f"{category}: {item.get('info', '')}{parameter}",
                        location=f"{item.get('method', 'GET')} {item.get('path', '/')}",
                        evidence=str(item.get("curl_command") or item.get("http_request") or "")[
                            :600
                        ],
                        fix=" ".join(str(solutions.get(category, "")).split())[:400],
                    )
                )
    unique = {(f.rule, f.location, f.title): f for f in findings}
    return sorted(unique.values(), key=lambda f: (SEVERITIES.index(f.severity), f.location))


def ensure_venv(venv: Path) -> Path:
    """Create the wapiti virtualenv once (pinned by wapiti/requirements.txt); return the binary."""
    binary = venv / "bin" / "wapiti"
    stamp = venv / "requirements.txt"
    if binary.exists() and stamp.exists() and stamp.read_text() == REQUIREMENTS.read_text():
        return binary
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)  # noqa: S603
    pip = [str(venv / "bin" / "pip"), "install", "-q", "-r", str(REQUIREMENTS)]
    subprocess.run(pip, check=True)  # noqa: S603 - our venv's pip, our pinned file
    stamp.write_text(REQUIREMENTS.read_text())
    return binary


def scan_argv(binary: Path, ctx: Context, name: str, seconds: float) -> list[str]:
    """The command line of one bounded scan: ``anonymous`` (pages + API) or ``logged-in``."""
    if ctx.target is None:
        raise ValueError("wapiti needs a live target")
    url = ctx.target.url
    workdir = ctx.raw(f"wapiti-{name}")
    argv = [
        str(binary),
        "-u",
        f"{url}/",
        "--scope",
        "folder",
        "-m",
        MODULES,
        "-x",
        f"{url}/logout",
        "--max-scan-time",
        str(int(seconds)),
        "--max-attack-time",
        str(max(10, int(seconds / 4))),
        "-d",
        "4",
        "--tasks",
        "4",
        "-t",
        "5",
        "-f",
        "json",
        "-o",
        str(workdir) + ".json",
        "--flush-session",
        "--store-session",
        str(workdir / "session"),
        "--store-config",
        str(workdir / "config"),
        "--no-bugreport",
        "-v",
        "1",
    ]
    if name == "anonymous":
        # `--opt=value`: a random secret may start with "-", which argparse would take for a flag.
        return [
            *argv,
            "--swagger",
            f"{url}/openapi.json",
            "--auth-method",
            "basic",
            f"--auth-user={ctx.target.simulator_user}",
            f"--auth-password={ctx.target.simulator_password}",
        ]
    return [
        *argv,
        "--form-url",
        f"{url}/login",
        f"--form-user={ctx.target.username}",
        f"--form-password={ctx.target.password}",
    ]


def run(ctx: Context) -> ToolRun:
    """Two bounded scans of the live app (anonymous with the API, and logged in)."""
    if ctx.target is None:
        return ToolRun("wapiti", FAILED, "no live target")
    venv = Path(os.environ.get("SECURITY_WAPITI_VENV", ctx.root / ".nox" / "wapiti"))
    try:
        binary = ensure_venv(venv)
    except subprocess.CalledProcessError as exc:
        return ToolRun("wapiti", FAILED, f"could not install wapiti3: {exc}")
    findings: list[Finding] = []
    total, artefacts, notes = 0.0, [], []
    for name in ("anonymous", "logged-in"):
        argv = scan_argv(binary, ctx, name, ctx.budget_seconds / 2)
        report = ctx.raw(f"wapiti-{name}.json")
        code, seconds = run_command(argv, ctx.raw(f"wapiti-{name}.log"), ctx.budget_seconds + 60)
        total += seconds
        if not report.exists():
            return ToolRun("wapiti", FAILED, f"{name} scan wrote no report (exit {code})", total)
        data = json.loads(report.read_text())
        info = data.get("infos", {})
        if name == "logged-in" and not (info.get("auth") or {}).get("logged_in"):
            return ToolRun("wapiti", FAILED, "logged-in scan could not log in", total)
        notes.append(f"{name} scan: {info.get('crawled_pages_nbr', '?')} pages and forms crawled")
        findings.extend(parse(data))
        artefacts.append(str(report.relative_to(ctx.out)))
    unique = {(f.rule, f.location, f.title): f for f in findings}
    return ToolRun(
        "wapiti", RAN, f"wapiti3 modules: {MODULES}", total, list(unique.values()), artefacts, notes
    )
