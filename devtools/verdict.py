"""One shape for every gate: checks with what was measured against what was required, and the
scope of the judgement (what did not run or could not be checked).

A partial run is never a plain pass: a verdict whose checks all passed but that has gaps reads
"PASS, limited: ...", and ``strict=True`` (``--require-complete``) makes the gaps fail it.
Each pipeline keeps its own rules (baseline ratchet, severities and accepted risks, SLOs) and
states them as checks here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PASS, LIMITED, FAIL = "pass", "limited", "fail"


@dataclass(frozen=True)
class Check:
    """One judged figure or rule: passed or not, what was measured, the limit, a readable detail."""

    name: str
    passed: bool
    measured: Any = None
    limit: Any = None
    detail: str = ""

    def line(self) -> str:
        """``[ok  ] name: detail``, or ``name: measured (limit L)`` when there is no detail."""
        text = f"[{'ok  ' if self.passed else 'FAIL'}] {self.name}"
        if self.detail:
            return f"{text}: {self.detail}"
        if self.measured is not None or self.limit is not None:
            text += f": {self.measured}"
            text += f" (limit {self.limit})" if self.limit is not None else ""
        return text


@dataclass
class Verdict:
    """Every check, and the gaps in what was judged; ``strict`` turns gaps into a failure."""

    checks: list[Check] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    strict: bool = False

    def add(
        self, name: str, passed: bool, measured: Any = None, limit: Any = None, detail: str = ""
    ) -> Check:
        """Record one check and return it."""
        check = Check(name, bool(passed), measured, limit, detail)
        self.checks.append(check)
        return check

    def gap(self, text: str) -> None:
        """Record something this verdict could not judge (a tool not run, a figure not measured)."""
        self.gaps.append(text)

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def passed(self) -> bool:
        """Every check passed (and, when strict, nothing was left unjudged)."""
        return not self.failures and (self.complete or not self.strict)

    @property
    def status(self) -> str:
        """``pass``, ``limited`` (passed, with gaps) or ``fail``."""
        if not self.passed:
            return FAIL
        return PASS if self.complete else LIMITED

    def headline(self) -> str:
        """The verdict with its scope, e.g. ``PASS, limited: ZAP not run``."""
        if self.status == PASS:
            return "PASS"
        if self.status == LIMITED:
            return "PASS, limited: " + "; ".join(self.gaps)
        failed = len(self.failures)
        text = f"FAIL: {failed} check{'s' if failed != 1 else ''} failed"
        if self.gaps:
            text += (
                "; incomplete (required): " if self.strict else "; also limited: "
            ) + "; ".join(self.gaps)
        return text

    def text(self, title: str) -> str:
        """A console verdict: the headline, then one line per check."""
        return "\n".join([f"{title}: {self.headline()}", *("  " + c.line() for c in self.checks)])

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "passed": self.passed,
            "complete": self.complete,
            "headline": self.headline(),
            "gaps": list(self.gaps),
            "checks": [asdict(check) for check in self.checks],
        }
