"""The shared vocabulary of the pipeline: findings, severities and tool runs."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low", "info")
BLOCKING = frozenset({"critical", "high"})

RAN = "ran"
PARTIAL = "partial"  # ran, but could not check everything (e.g. packages not audited)
NOT_RUN = "not run"
FAILED = "failed"


def severity_rank(severity: str) -> int:
    """0 for critical up to 4 for info (unknown values sort last)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def normalise_severity(value: str | int | None) -> str:
    """Map a tool's severity word to ours; anything unrecognised becomes ``info``."""
    word = str(value or "").strip().lower()
    aliases = {
        "informational": "info",
        "information": "info",
        "warning": "low",
        "moderate": "medium",
        "error": "high",
        "undefined": "info",
    }
    word = aliases.get(word, word)
    return word if word in SEVERITIES else "info"


@dataclass(frozen=True)
class Finding:
    """One problem a tool reported, in the pipeline's common shape."""

    tool: str
    rule: str
    severity: str
    title: str
    location: str
    evidence: str = ""
    fix: str = ""
    line: int | None = None

    @property
    def key(self) -> str:
        """The ``tool:rule`` name that accepted-risk entries refer to."""
        return f"{self.tool}:{self.rule}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ToolRun:
    """What happened when the pipeline tried one tool."""

    tool: str
    status: str
    reason: str = ""
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    artefacts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = len(self.findings)
        return data
