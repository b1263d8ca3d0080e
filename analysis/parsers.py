"""Turn each tool's raw output into findings, blocks and figures (pure functions)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .findings import Block, Duplicate, FileCoverage, Finding

MYPY_LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+)(?::\d+)?: error: (?P<msg>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)
VULTURE_LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<msg>.*) \((?P<conf>\d+)% confidence"
)
SYMILAR_HEAD = re.compile(r"^(?P<lines>\d+) similar lines in \d+ files$")
SYMILAR_PLACE = re.compile(r"^==(?P<path>.+):\[(?P<start>\d+):(?P<end>\d+)\]$")
SYMILAR_TOTAL = re.compile(r"^TOTAL lines=(?P<total>\d+) duplicates=(?P<dup>\d+) percent=")


def relative(path: str, root: Path) -> str:
    """``path`` relative to ``root`` when it lies inside it, with forward slashes."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(root)
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix()


def parse_ruff(text: str, root: Path) -> list[Finding]:
    """Findings from ``ruff check --output-format json``."""
    items: list[dict[str, Any]] = json.loads(text or "[]")
    return [
        Finding(
            "ruff",
            relative(item["filename"], root),
            int(item["location"]["row"]),
            str(item.get("code") or "syntax"),
            str(item["message"]),
        )
        for item in items
    ]


def parse_ruff_format(text: str, root: Path) -> list[Finding]:
    """Files that ``ruff format --check --output-format json`` would reformat (first change)."""
    return [
        Finding("ruff-format", f.path, f.line, "format", "file would be reformatted")
        for f in parse_ruff(text, root)
    ]


def parse_mypy(text: str) -> list[Finding]:
    """Errors from mypy's default output (notes and the summary line are skipped)."""
    findings = []
    for line in text.splitlines():
        match = MYPY_LINE.match(line.strip())
        if match:
            code = match["code"] or "error"
            findings.append(Finding("mypy", match["path"], int(match["line"]), code, match["msg"]))
    return findings


def parse_radon_cc(text: str) -> list[Block]:
    """Functions and methods (with their closures) from ``radon cc -j``; classes are sums."""
    data: dict[str, Any] = json.loads(text or "{}")
    blocks: list[Block] = []
    for path, entries in sorted(data.items()):
        if isinstance(entries, dict):  # {"error": "..."}: radon could not parse the file
            continue
        for entry in entries:
            if entry["type"] != "class":
                blocks.extend(_with_closures(path, entry, ""))
    return blocks


def _with_closures(path: str, entry: dict[str, Any], outer: str) -> Iterable[Block]:
    owner = entry.get("classname")
    name = f"{owner}.{entry['name']}" if owner else entry["name"]
    name = f"{outer}.{name}" if outer else name
    yield Block(path, name, int(entry["lineno"]), int(entry["complexity"]), entry["rank"])
    for closure in entry.get("closures", []):
        yield from _with_closures(path, closure, name)


def parse_radon_mi(text: str) -> dict[str, float]:
    """Maintainability index (0..100, higher is better) per file from ``radon mi -j``."""
    data: dict[str, Any] = json.loads(text or "{}")
    return {path: float(entry["mi"]) for path, entry in data.items() if "mi" in entry}


def parse_symilar(text: str) -> tuple[list[Duplicate], int, int]:
    """Duplicated blocks plus (duplicated lines, total lines) from pylint's ``symilar``."""
    duplicates: list[Duplicate] = []
    lines = 0
    places: list[tuple[str, int]] = []
    total = duplicated = 0
    for raw in text.splitlines():
        line = raw.strip()
        if head := SYMILAR_HEAD.match(line):
            _flush(duplicates, lines, places)
            lines, places = int(head["lines"]), []
        elif place := SYMILAR_PLACE.match(line):
            places.append((place["path"], int(place["start"]) + 1))
        elif totals := SYMILAR_TOTAL.match(line):
            total, duplicated = int(totals["total"]), int(totals["dup"])
    _flush(duplicates, lines, places)
    return duplicates, duplicated, total


def _flush(duplicates: list[Duplicate], lines: int, places: list[tuple[str, int]]) -> None:
    if lines and places:
        duplicates.append(Duplicate(lines, tuple(places)))


def parse_vulture(text: str) -> list[Finding]:
    """Unused code from vulture's output."""
    findings = []
    for line in text.splitlines():
        match = VULTURE_LINE.match(line.strip())
        if match:
            message = f"{match['msg']} ({match['conf']}% confidence)"
            findings.append(Finding("vulture", match["path"], int(match["line"]), "dead", message))
    return findings


def parse_coverage(text: str, root: Path) -> tuple[dict[str, FileCoverage], float | None]:
    """Per-file branch coverage and the total percent from ``coverage json``."""
    data: dict[str, Any] = json.loads(text)
    files: dict[str, FileCoverage] = {}
    for path, entry in data.get("files", {}).items():
        summary = entry["summary"]
        files[relative(path, root)] = FileCoverage(
            statements=int(summary["num_statements"]),
            missing_statements=int(summary["missing_lines"]),
            branches=int(summary.get("num_branches", 0)),
            missing_branches=int(summary.get("missing_branches", 0)),
            missing_lines=[int(n) for n in entry.get("missing_lines", [])],
        )
    totals = data.get("totals")
    percent = float(totals["percent_covered"]) if totals else None
    return files, percent
