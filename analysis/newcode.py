"""The new-code gate ("clean as you code"): judge what a change adds, not the whole legacy.

Against a base ref (``--new-code-base main``):

- diff coverage: at least 90 % of the lines the change adds or edits in measured code are run
  by the tests (diff-cover over coverage.xml, ``git diff REF...``, untracked files included);
- no new finding of medium severity or worse (ruff and mypy findings are medium);
- no new block of complexity above C (radon rank D or worse).

"New" is decided by fingerprint (devtools/portal/fingerprints.py: tool, rule, file and
normalised message, no line number), against the same static tools run on a git worktree of
the base ref, so a finding that only moved is not new and nothing needs the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from devtools.portal import base, fingerprints
from devtools.report import current_commit
from devtools.verdict import Verdict

from . import runners, summary
from .findings import Results, rank_index

DIFF_COVERAGE_FLOOR = 90.0
Step = Callable[[Path, Results], None]
STATIC_STEPS: tuple[Step, ...] = (
    runners.run_ruff,
    runners.run_mypy,
    runners.run_radon,
    runners.run_symilar,
    runners.run_vulture,
)
MEDIUM_TOOLS = frozenset({"ruff", "mypy"})


@dataclass
class DiffCoverage:
    """What diff-cover measured: percent of changed lines run, how many, which were not."""

    percent: float
    lines: int
    uncovered: dict[str, list[int]] = field(default_factory=dict)


def severity(finding: dict[str, Any]) -> str:
    """``high`` for complexity above C, ``medium`` for ruff and mypy, ``low`` for the rest."""
    if finding["tool"] == "radon":
        above_c = rank_index(str(finding["code"]).removeprefix("CC-")) > rank_index("C")
        return "high" if above_c else "low"
    return "medium" if finding["tool"] in MEDIUM_TOOLS else "low"


def findings_at(root: Path, steps: Sequence[Step] = STATIC_STEPS) -> list[dict[str, Any]]:
    """The static findings of the tree at ``root`` (no tests run)."""
    results = Results()
    for step in steps:
        step(root, results)
    return [asdict(finding) for finding in summary.all_findings(results)]


def base_findings(
    root: Path, ref: str, steps: Sequence[Step] = STATIC_STEPS
) -> tuple[str, list[dict[str, Any]]]:
    """(commit, findings) of ``ref``, from the static tools run on a worktree of it."""
    with base.checkout(root, ref) as tree:
        return current_commit(tree), findings_at(tree, steps)


def diff_coverage(root: Path, ref: str, coverage_xml: Path, out: Path) -> DiffCoverage:
    """diff-cover's figures for the change against ``ref`` (``out/diff-coverage.json`` kept)."""
    report = out / "diff-coverage.json"
    report.unlink(missing_ok=True)
    args = [
        "diff_cover.diff_cover_tool",
        str(coverage_xml),
        f"--compare-branch={ref}",
        "--include-untracked",
        "--format",
        f"json:{report}",
        "--quiet",
    ]
    outcome = runners.run(args, root)
    if not report.exists():
        raise RuntimeError(f"diff-cover wrote no report: {outcome.stderr.strip()[-300:]}")
    data = json.loads(report.read_text())
    uncovered = {
        path: sorted(stats["violation_lines"])
        for path, stats in data.get("src_stats", {}).items()
        if stats.get("violation_lines")
    }
    percent = float(data.get("total_percent_covered", 100))
    return DiffCoverage(percent, int(data.get("total_num_lines", 0)), uncovered)


def judge(
    verdict: Verdict,
    comparison: fingerprints.Comparison,
    diff: DiffCoverage | None,
    floor: float = DIFF_COVERAGE_FLOOR,
) -> None:
    """Add the new-code checks to ``verdict``."""
    describe = fingerprints.describe_quality
    if diff is None:
        verdict.gap("diff coverage not measured: no coverage.xml (the tests did not run here)")
    else:
        missing = "; ".join(f"{path}: {lines}" for path, lines in diff.uncovered.items())
        verdict.add(
            "new code: diff coverage",
            diff.percent >= floor,
            f"{diff.percent:.1f} % of {diff.lines} changed lines",
            f"at least {floor:g} %",
            f"not run by the tests: {missing}" if missing else "",
        )
    medium = [f for f in comparison.new if severity(f) != "low" and f["tool"] != "radon"]
    verdict.add(
        "new code: no new finding of medium severity or worse",
        not medium,
        len(medium),
        0,
        "; ".join(describe(f) for f in medium[:10]),
    )
    complex_ = [f for f in comparison.new if f["tool"] == "radon" and severity(f) == "high"]
    verdict.add(
        "new code: no new complexity above C",
        not complex_,
        len(complex_),
        0,
        "; ".join(describe(f) for f in complex_),
    )


def apply(
    root: Path,
    out: Path,
    ref: str,
    verdict: Verdict,
    head: list[dict[str, Any]],
    coverage_xml: Path | None,
    steps: Sequence[Step] = STATIC_STEPS,
) -> tuple[dict[str, Any], list[str]]:
    """Add the new-code checks to ``verdict``; return summary.json figures, summary.md lines."""
    print(f"[quality] new code against {ref}: static tools on a worktree of it", flush=True)
    try:
        commit, found = base_findings(root, ref, steps)
    except base.BaseUnavailable as exc:
        verdict.add("new code: base ref available", False, detail=str(exc))
        return {}, []
    fingerprints.write_base(out, ref, commit, found)
    comparison = fingerprints.compare(head, found, fingerprints.of_quality)
    has_xml = coverage_xml is not None and coverage_xml.exists()
    diff = diff_coverage(root, ref, coverage_xml, out) if coverage_xml and has_xml else None
    judge(verdict, comparison, diff)
    figures: dict[str, Any] = {"since_base": comparison.counts(), "base": f"{ref} ({commit})"}
    figures["diff_coverage_percent"] = round(diff.percent, 2) if diff else None
    lines = fingerprints.markdown(comparison, fingerprints.describe_quality, f"{ref} ({commit})")
    if diff is not None:
        lines += [f"Diff coverage: {diff.percent:.1f} % of {diff.lines} changed lines.", ""]
        lines += [f"- not run: `{path}` lines {ln}" for path, ln in diff.uncovered.items()]
    return figures, lines
