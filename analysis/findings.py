"""The data the runners produce and the reports and the gate read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

RANKS = "ABCDEF"


@dataclass(frozen=True)
class Finding:
    """One problem a tool reported, pinned to a file and line."""

    tool: str
    path: str
    line: int
    code: str
    message: str


@dataclass(frozen=True)
class Block:
    """A function, method or class with its cyclomatic complexity and radon rank."""

    path: str
    name: str
    line: int
    complexity: int
    rank: str


@dataclass(frozen=True)
class Duplicate:
    """A block of lines that appears in more than one place."""

    lines: int
    places: tuple[tuple[str, int], ...]


@dataclass
class FileCoverage:
    """Branch coverage of one file, as coverage.py counts it."""

    statements: int
    missing_statements: int
    branches: int
    missing_branches: int
    missing_lines: list[int] = field(default_factory=list)

    @property
    def percent(self) -> float:
        """Covered statements and branches over all of them, in percent."""
        total = self.statements + self.branches
        if total == 0:
            return 100.0
        covered = total - self.missing_statements - self.missing_branches
        return 100.0 * covered / total


@dataclass
class Results:
    """Everything the runners collected in one run."""

    coverage: dict[str, FileCoverage] = field(default_factory=dict)
    coverage_percent: float | None = None
    tests_passed: bool = True
    tests_outcome: str = ""
    ruff: list[Finding] = field(default_factory=list)
    unformatted: list[Finding] = field(default_factory=list)
    mypy: list[Finding] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    maintainability: dict[str, float] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    duplicated_lines: int = 0
    total_lines: int = 0
    dead_code: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (for debugging and the raw dump next to the report)."""
        return asdict(self)


def worse_rank(first: str, second: str) -> str:
    """The worse of two radon ranks (A is best, F is worst)."""
    return first if RANKS.index(first) >= RANKS.index(second) else second


def rank_index(rank: str) -> int:
    """Position of a radon rank, 0 for A up to 5 for F."""
    return RANKS.index(rank)
