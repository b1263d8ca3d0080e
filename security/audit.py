"""Dependency audit with pip-audit over the runtime closure, plus a CycloneDX SBOM."""

from __future__ import annotations

import json
import re
from importlib import metadata
from typing import Any

from packaging.requirements import Requirement

from .context import Context, run_command
from .findings import FAILED, PARTIAL, RAN, Finding, ToolRun

NOT_AUDITED = "not audited: advisory service unreachable"
UNREACHABLE = re.compile(
    r"ConnectionError|Max retries exceeded|NameResolutionError|Failed to resolve|"
    r"timed out|Temporary failure in name resolution|ServiceError",
    re.IGNORECASE,
)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(distribution: str = "minitwit") -> dict[str, str]:
    """The installed versions of a distribution's runtime requirements, transitively."""
    pins: dict[str, str] = {}
    pending = [distribution]
    while pending:
        dist = metadata.distribution(pending.pop())
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            name = _canonical(req.name)
            if name not in pins:
                pins[name] = metadata.version(req.name)
                pending.append(req.name)
    return dict(sorted(pins.items()))


def package_status(
    report: dict[str, Any] | None, pins: dict[str, str], unreachable: bool
) -> dict[str, str]:
    """One line per package: its vulnerabilities, 'no known vulnerabilities' or not audited."""
    if report is None or unreachable:
        return {f"{name}=={version}": NOT_AUDITED for name, version in pins.items()}
    status = {}
    for dep in report.get("dependencies", []):
        name = _canonical(dep.get("name", "?"))
        label = f"{name}=={dep.get('version', pins.get(name, '?'))}"
        if dep.get("skip_reason"):
            status[label] = f"{NOT_AUDITED} ({dep['skip_reason']})"
        elif dep.get("vulns"):
            status[label] = ", ".join(vuln.get("id", "?") for vuln in dep["vulns"])
        else:
            status[label] = "no known vulnerabilities"
    for name, version in pins.items():
        status.setdefault(f"{name}=={version}", NOT_AUDITED)
    return dict(sorted(status.items()))


def parse(report: dict[str, Any]) -> list[Finding]:
    """Findings for each known vulnerability: High when a fix exists (upgrade), else Medium."""
    findings = []
    for dep in report.get("dependencies", []):
        for vuln in dep.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            findings.append(
                Finding(
                    tool="pip-audit",
                    rule=str(vuln.get("id", "?")),
                    severity="high" if fixes else "medium",
                    title=f"{dep.get('name')} {dep.get('version')}: "
                    f"{(vuln.get('description') or '').strip()[:200]}",
                    location=f"{_canonical(dep.get('name', '?'))}=={dep.get('version', '?')}",
                    evidence=", ".join(vuln.get("aliases") or []),
                    fix=f"Upgrade to {', '.join(fixes)}" if fixes else "No fixed release yet.",
                )
            )
    return findings


def run(ctx: Context) -> ToolRun:
    """Audit the installed runtime closure and write the SBOM of the same set."""
    pins = runtime_closure()
    requirements = ctx.raw("runtime-requirements.txt")
    requirements.write_text("".join(f"{name}=={version}\n" for name, version in pins.items()))
    report_path, log = ctx.raw("pip-audit.json"), ctx.raw("pip-audit.log")
    code, seconds = run_command(
        [
            ctx.python,
            "-m",
            "pip_audit",
            "-r",
            str(requirements),
            "--no-deps",
            "--disable-pip",
            "-f",
            "json",
            "-o",
            str(report_path),
            "--progress-spinner",
            "off",
        ],
        log,
        300,
    )
    output = log.read_text(errors="replace")
    unreachable = bool(UNREACHABLE.search(output))
    report = json.loads(report_path.read_text()) if report_path.exists() else None
    if report is None and not unreachable:
        return ToolRun("pip-audit", FAILED, f"exit code {code}, see raw/pip-audit.log", seconds)
    sbom = ctx.out / "sbom.cdx.json"
    sbom_code, sbom_seconds = run_command(
        [
            ctx.python,
            "-m",
            "cyclonedx_py",
            "requirements",
            str(requirements),
            "--pyproject",
            str(ctx.root / "pyproject.toml"),
            "--of",
            "JSON",
            "--output-reproducible",
            "-o",
            str(sbom),
        ],
        ctx.raw("cyclonedx.log"),
        120,
    )
    status = package_status(report, pins, unreachable)
    run = ToolRun(
        "pip-audit",
        RAN,
        "",
        seconds + sbom_seconds,
        parse(report) if report and not unreachable else [],
        [str(report_path.relative_to(ctx.out))] if report else [],
    )
    not_audited = sum(value.startswith(NOT_AUDITED) for value in status.values())
    if not_audited:
        run.status = PARTIAL
    run.reason = (
        f"{not_audited} of {len(status)} packages {NOT_AUDITED}"
        if not_audited
        else f"audited {len(status)} runtime packages"
    )
    run.notes = [f"{package}: {text}" for package, text in status.items()]
    if sbom_code == 0 and sbom.exists():
        run.artefacts.append(sbom.name)
    else:
        run.notes.append(f"SBOM not written (cyclonedx-py exit {sbom_code}, see raw/cyclonedx.log)")
    return run
