"""One reader per pipeline: its report folder in, its current state (verdict, figures) out.

A reader returns None when the folder holds no report: the portal shows that pipeline as
"not run", never as passing. Figures are the few numbers a reviewer looks at first; the
same figures go into the pipeline's history.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NOT_RUN, NO_VERDICT = "not run", "no verdict"


@dataclass
class Pipeline:
    """A pipeline's latest report as the portal shows it."""

    name: str
    title: str
    status: str  # pass, limited, fail, no verdict, not run
    headline: str
    figures: dict[str, Any] = field(default_factory=dict)
    link: str | None = None  # the full report, relative to reports/
    time: str | None = None
    commit: str | None = None
    files: list[str] = field(default_factory=list)  # screenshots, benchmark outputs


Parse = Callable[[Path, Path, Any], Pipeline]


def _json(path: Path) -> Any:
    return json.loads(path.read_text())


def _written(path: Path) -> str:
    """When ``path`` was last written, in UTC (ISO 8601, seconds)."""
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return stamp.isoformat(timespec="seconds")


def _page(folder: Path) -> str | None:
    return f"{folder.name}/index.html" if (folder / "index.html").exists() else None


def reads(name: str) -> Callable[[Parse], Callable[[Path], Pipeline | None]]:
    """Make a reader of ``folder/name`` from ``parse(folder, path, data)``; None when missing."""

    def wrap(parse: Parse) -> Callable[[Path], Pipeline | None]:
        @functools.wraps(parse)
        def reader(folder: Path) -> Pipeline | None:
            path = folder / name
            return parse(folder, path, _json(path)) if path.exists() else None

        return reader

    return wrap


def _verdict(data: dict[str, Any]) -> tuple[str, str]:
    """(status, headline) from a summary that holds the shared ``Verdict.as_dict()``."""
    verdict = data.get("verdict") or {}
    return str(verdict.get("status", "fail")), str(verdict.get("headline", "no verdict recorded"))


@reads("summary.json")
def quality(folder: Path, path: Path, data: Any) -> Pipeline:
    """reports/quality/summary.json (``nox -s quality``)."""
    status, headline = _verdict(data)
    keys = (
        "coverage_branch_percent",
        "ruff_findings",
        "mypy_errors",
        "complex_blocks",
        "duplicated_lines_percent",
        "dead_code_findings",
    )
    figures = {key: data[key] for key in keys if key in data}
    figures.update({f"{k}_since_base": v for k, v in (data.get("since_base") or {}).items()})
    if data.get("diff_coverage_percent") is not None:
        figures["diff_coverage_percent"] = data["diff_coverage_percent"]
    return Pipeline(
        "quality", "Quality", status, headline, figures, _page(folder), _written(path),
        str(data.get("commit") or "") or None,
    )  # fmt: skip


@reads("findings.json")
def security(folder: Path, path: Path, data: Any) -> Pipeline:
    """reports/security/findings.json (``nox -s security``)."""
    found = Counter(finding.get("severity", "info") for finding in data.get("findings", []))
    figures: dict[str, Any] = {
        sev: found[sev] for sev in ("critical", "high", "medium", "low", "info")
    }
    figures.update({f"{k}_since_base": v for k, v in (data.get("since_base") or {}).items()})
    return Pipeline(
        "security", "Security", str(data.get("verdict", "fail")),
        str(data.get("headline", "")), figures, _page(folder),
        str(data.get("generated") or _written(path)),
    )  # fmt: skip


def fuzz(folder: Path) -> Pipeline | None:
    """The newest Schemathesis JSON report in reports/fuzz/ (``nox -s fuzz``)."""
    reports = sorted(folder.glob("json-*.json"))
    if not reports:
        return None
    data = _json(reports[-1])
    failures = len(data.get("failures") or [])
    errors = len(data.get("errors") or [])
    operations = data.get("operations") or {}
    figures = {
        "cases": (data.get("test_cases") or {}).get("generated", 0),
        "failures": failures,
        "errors": errors,
        "operations_tested": operations.get("tested", 0),
    }
    total = operations.get("total")
    partial = total is None or figures["operations_tested"] < total  # e.g. fuzz --operation
    status = "fail" if failures or errors else "limited" if partial else "pass"
    headline = (
        f"{figures['cases']} cases over {figures['operations_tested']}/"
        f"{total if total is not None else '?'} operations: {failures} failures, {errors} errors"
    )
    html = sorted((folder / "html").glob("*.html")) if (folder / "html").is_dir() else []
    link = f"{folder.name}/html/{html[-1].name}" if html else None
    return Pipeline("fuzz", "API fuzzing", status, headline, figures, link, _written(reports[-1]))


@reads("summary.json")
def load(folder: Path, path: Path, data: Any) -> Pipeline:
    """reports/load/summary.json (``nox -s load``)."""
    status, headline = _verdict(data)
    figures = {
        "p95_ms": (data.get("percentiles_ms") or {}).get("p95"),
        "requests_per_s": round(float(data.get("requests_per_s") or 0.0), 1),
        "failures": data.get("failures", 0),
        "simulator_errors": sum((data.get("errors_by_category") or {}).values()),
    }
    return Pipeline("load", "Load test", status, headline, figures, _page(folder), _written(path))


@reads("summary.json")
def faults(folder: Path, path: Path, data: Any) -> Pipeline:
    """reports/faults/summary.json (``nox -s faults``)."""
    status, headline = _verdict(data)
    states = Counter(drill.get("status") for drill in data.get("drills", []))
    figures = {f"drills_{word}": states[word] for word in ("passed", "failed", "skipped")}
    return Pipeline(
        "faults", "Fault drills", status, headline, figures, _page(folder),
        str(data.get("generated") or _written(path)),
    )  # fmt: skip


@reads("summary.json")
def conformance(folder: Path, path: Path, data: Any) -> Pipeline:
    """reports/conformance/summary.json (``nox -s conformance``)."""
    status, headline = _verdict(data)
    outcomes = [check.get("passed") for check in data.get("checks", [])]
    figures = {
        "clauses_passed": outcomes.count(True),
        "clauses_failed": outcomes.count(False),
        "clauses_not_judged": outcomes.count(None),
    }
    return Pipeline(
        "conformance", "Conformance", status, headline, figures, _page(folder), _written(path)
    )


def _files(folder: Path, pattern: str, name: str, title: str, what: str) -> Pipeline | None:
    """A folder of outputs with no verdict of their own (screenshots, benchmark figures)."""
    files = sorted(folder.glob(pattern))
    if not files:
        return None
    newest = max(files, key=lambda path: path.stat().st_mtime)
    headline = f"{len(files)} {what}; no verdict of their own"
    return Pipeline(
        name, title, NO_VERDICT, headline, {what: len(files)}, None, _written(newest),
        files=[f"{folder.name}/{path.name}" for path in files],
    )  # fmt: skip


def ui(folder: Path) -> Pipeline | None:
    """reports/ui/*.png, the browser tests' screenshots (their verdict is the test run's)."""
    return _files(folder, "*.png", "ui", "Browser screenshots", "screenshots")


def bench(folder: Path) -> Pipeline | None:
    """reports/bench/*.json, the benchmarks' figures (docs/benchmarks.md reads them)."""
    return _files(folder, "*.json", "bench", "Benchmarks", "result files")


READERS: dict[str, Callable[[Path], Pipeline | None]] = {
    "quality": quality,
    "security": security,
    "fuzz": fuzz,
    "load": load,
    "faults": faults,
    "conformance": conformance,
    "ui": ui,
    "bench": bench,
}
TITLES = {
    "quality": "Quality",
    "security": "Security",
    "fuzz": "API fuzzing",
    "load": "Load test",
    "faults": "Fault drills",
    "conformance": "Conformance",
    "ui": "Browser screenshots",
    "bench": "Benchmarks",
}
COMMANDS = {
    "quality": "nox -s quality",
    "security": "nox -s security",
    "fuzz": "nox -s fuzz",
    "load": "nox -s load",
    "faults": "nox -s faults",
    "conformance": "nox -s conformance",
    "ui": "nox -s ui",
    "bench": "nox -s bench",
}


def read(reports: Path, name: str) -> Pipeline:
    """The pipeline ``name`` as found under ``reports``; "not run" when it has no report."""
    found = READERS[name](reports / name)
    if found is not None:
        return found
    return Pipeline(name, TITLES[name], NOT_RUN, f"no report: run {COMMANDS[name]}")
