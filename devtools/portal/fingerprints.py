"""Which findings are new, fixed or remaining against a base, by a fingerprint that survives edits.

A fingerprint is the tool, the rule, the file (or URL) and the message with its numbers and
spacing normalised. Line numbers are left out on purpose: a finding that moved because lines
were added above it is the same finding. Two identical fingerprints in one file are told apart
by how many there are (a second copy of a finding is new).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NUMBER = re.compile(r"\d+(?:\.\d+)?")
SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The message with every number as ``N`` and runs of whitespace as one space."""
    return SPACE.sub(" ", NUMBER.sub("N", text)).strip()


def fingerprint(tool: str, rule: str, path: str, message: str) -> str:
    """A short stable id of one finding (no line number in it)."""
    key = "\x1f".join((tool, rule, path.removeprefix("./"), normalise(message)))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def of_quality(finding: dict[str, Any]) -> str:
    """The fingerprint of an analysis finding (``tool, path, line, code, message``)."""
    return fingerprint(finding["tool"], finding["code"], finding["path"], finding["message"])


def of_security(finding: dict[str, Any]) -> str:
    """The fingerprint of a security finding (``tool, rule, location, title``)."""
    return fingerprint(finding["tool"], finding["rule"], finding["location"], finding["title"])


@dataclass
class Comparison:
    """Findings of this run against the base's: new, fixed (gone since the base) and remaining."""

    new: list[dict[str, Any]] = field(default_factory=list)
    fixed: list[dict[str, Any]] = field(default_factory=list)
    remaining: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """``{"new": n, "fixed": n, "remaining": n}``."""
        return {"new": len(self.new), "fixed": len(self.fixed), "remaining": len(self.remaining)}


def compare(head: Iterable[dict[str, Any]], base: Iterable[dict[str, Any]], key: Any) -> Comparison:
    """Split ``head`` and ``base`` findings by their fingerprint ``key(finding)``."""
    result = Comparison()
    left = Counter(key(finding) for finding in base)
    for finding in head:
        mark = key(finding)
        if left[mark] > 0:
            left[mark] -= 1
            result.remaining.append(finding)
        else:
            result.new.append(finding)
    seen = Counter(key(finding) for finding in head)
    for finding in base:
        mark = key(finding)
        if seen[mark] > 0:
            seen[mark] -= 1
        else:
            result.fixed.append(finding)
    return result


def markdown(comparison: Comparison, describe: Any, base: str, limit: int = 30) -> list[str]:
    """A ``### New since BASE`` section: counts, then the new and fixed findings."""
    counts = comparison.counts()
    lines = [
        f"### New since {base}",
        "",
        f"{counts['new']} new, {counts['fixed']} fixed, {counts['remaining']} remaining.",
        "",
    ]
    for title, items in (("New", comparison.new), ("Fixed", comparison.fixed)):
        if items:
            lines += [f"{title}:", ""]
            lines += [f"- {describe(finding)}" for finding in items[:limit]]
            if len(items) > limit:
                lines.append(f"- ... and {len(items) - limit} more")
            lines.append("")
    return lines


def describe_quality(finding: dict[str, Any]) -> str:
    """``path:line tool code: message``."""
    where = f"{finding['path']}:{finding['line']}"
    return f"`{where}` {finding['tool']} {finding['code']}: {finding['message']}"


def describe_security(finding: dict[str, Any]) -> str:
    """``severity tool:rule at location[:line]: title``."""
    where = finding["location"] + (f":{finding['line']}" if finding.get("line") else "")
    rule = f"{finding['tool']}:{finding['rule']}"
    return f"{finding['severity']} {rule} at `{where}`: {finding['title']}"


KINDS = {"quality": (of_quality, describe_quality), "security": (of_security, describe_security)}
# Beside a pipeline's findings.json: {"base": ref, "commit": sha, "findings": [...]}.
BASE_FILE = "base-findings.json"


def write_base(
    folder: Path,
    ref: str,
    commit: str,
    findings: list[dict[str, Any]],
    tools: Sequence[str] | None = None,
) -> Path:
    """Save the base's findings beside the run's report (``tools``: only these were compared)."""
    target = folder / BASE_FILE
    data = {"base": ref, "commit": commit, "findings": findings, "tools": tools}
    target.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return target


def against_base(folder: Path, kind: str) -> tuple[str, Comparison] | None:
    """The run in ``folder`` compared with its saved base (None when either is missing)."""
    head, base = folder / "findings.json", folder / BASE_FILE
    if not head.exists() or not base.exists():
        return None
    key = KINDS[kind][0]
    saved = json.loads(base.read_text())
    label = f"{saved.get('base', 'base')} ({str(saved.get('commit', ''))[:12]})"
    tools = saved.get("tools")
    mine = [f for f in json.loads(head.read_text())["findings"] if not tools or f["tool"] in tools]
    return label, compare(mine, saved["findings"], key)
