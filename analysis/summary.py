"""Figures for the whole package and per module, from the collected results."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .findings import RANKS, Block, FileCoverage, Finding, Results, rank_index, worse_rank

COMPLEX_FROM = "C"  # blocks ranked C or worse are listed as findings and counted


@dataclass
class Module:
    """One source file with its figures and findings."""

    path: str
    coverage: FileCoverage | None = None
    maintainability: float | None = None
    blocks: list[Block] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def worst_rank(self) -> str:
        """The worst radon rank among this module's blocks (A when it has none)."""
        worst = "A"
        for block in self.blocks:
            worst = worse_rank(worst, block.rank)
        return worst

    @property
    def max_complexity(self) -> int:
        """The highest cyclomatic complexity of a block in this module."""
        return max((block.complexity for block in self.blocks), default=0)


def complexity_findings(blocks: list[Block]) -> list[Finding]:
    """Blocks ranked C or worse, as findings."""
    return [
        Finding("radon", b.path, b.line, f"CC-{b.rank}", f"{b.name} has complexity {b.complexity}")
        for b in blocks
        if rank_index(b.rank) >= rank_index(COMPLEX_FROM)
    ]


def duplicate_findings(results: Results) -> list[Finding]:
    """One finding per place of each duplicated block, naming the other places."""
    findings = []
    for dup in results.duplicates:
        for path, line in dup.places:
            others = ", ".join(f"{p}:{n}" for p, n in dup.places if (p, n) != (path, line))
            message = f"{dup.lines} duplicated lines (also at {others})"
            findings.append(Finding("symilar", path, line, "duplicate", message))
    return findings


def all_findings(results: Results) -> list[Finding]:
    """Every finding of the run, sorted by file and line."""
    found = [
        *results.ruff,
        *results.unformatted,
        *results.mypy,
        *complexity_findings(results.blocks),
        *duplicate_findings(results),
        *results.dead_code,
    ]
    return sorted(found, key=lambda f: (f.path, f.line, f.tool, f.code))


def modules(results: Results, package: str) -> list[Module]:
    """Per-module view of the app package (other files appear when they have findings)."""
    table: dict[str, Module] = {}

    def module(path: str) -> Module:
        return table.setdefault(path, Module(path))

    for path, cov in results.coverage.items():
        module(path).coverage = cov
    for path, mi in results.maintainability.items():
        module(path).maintainability = mi
    for block in results.blocks:
        module(block.path).blocks.append(block)
    for finding in all_findings(results):
        module(finding.path).findings.append(finding)
    inside = sorted(p for p in table if p.startswith(package))
    outside = sorted(p for p in table if not p.startswith(package))
    return [table[p] for p in inside + outside]


def summarise(results: Results) -> dict[str, Any]:
    """The figures other tools read (summary.json) and the gate judges."""
    worst = "A"
    for block in results.blocks:
        worst = worse_rank(worst, block.rank)
    mi = list(results.maintainability.values())
    complexities = [block.complexity for block in results.blocks]
    duplicated = (
        100.0 * results.duplicated_lines / results.total_lines if results.total_lines else 0.0
    )
    ranks = Counter(block.rank for block in results.blocks)
    return {
        "tests_passed": results.tests_passed,
        "tests_outcome": results.tests_outcome,
        "coverage_branch_percent": round(results.coverage_percent or 0.0, 2),
        "ruff_findings": len(results.ruff),
        "ruff_unformatted_files": len({f.path for f in results.unformatted}),
        "mypy_errors": len(results.mypy),
        "worst_complexity": worst,
        "complex_blocks": len(complexity_findings(results.blocks)),
        "complexity_ranks": {rank: ranks.get(rank, 0) for rank in RANKS},
        "average_complexity": round(sum(complexities) / len(complexities), 2)
        if complexities
        else 0,
        "maintainability_min": round(min(mi), 2) if mi else 100.0,
        "maintainability_average": round(sum(mi) / len(mi), 2) if mi else 100.0,
        "duplicated_lines_percent": round(duplicated, 2),
        "duplicated_blocks": len(results.duplicates),
        "dead_code_findings": len(results.dead_code),
    }
