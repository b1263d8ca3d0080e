"""Run the chosen clauses one after another; each ends passed, failed, or not judged (a gap)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import requests

from devtools.verdict import Verdict

from .clause import Clause, Mismatch, NotJudged, Probe
from .client import BudgetExhausted

EVIDENCE_EXCHANGES = 2  # the deciding exchange and the one before it


@dataclass
class Result:
    """One clause's outcome: ``passed`` is None when the run could not judge it."""

    id: str
    group: str
    clause: str
    passed: bool | None
    detail: str = ""
    evidence: list[str] = field(default_factory=list)
    requests: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _evidence(probe: Probe, start: int, deciding: Any) -> list[str]:
    log = probe.client.log[start:]
    if deciding is not None and deciding in log:
        log = log[: log.index(deciding) + 1]
    return [exchange.text() for exchange in log[-EVIDENCE_EXCHANGES:]]


def judge(clause: Clause, probe: Probe) -> Result:
    """Run one clause's check and say how it ended, with the exchanges that decided it."""
    start = len(probe.client.log)
    result = Result(clause.id, clause.group, clause.text, True)
    deciding = None
    try:
        clause.check(probe)
        result.detail = "honoured"
    except Mismatch as exc:
        result.passed, result.detail, deciding = False, str(exc), exc.exchange
    except NotJudged as exc:
        result.passed, result.detail = None, f"not judged: {exc}"
    except BudgetExhausted:
        raise
    except requests.RequestException as exc:
        result.passed, result.detail = False, f"no answer: {type(exc).__name__}: {exc}"
    result.evidence = _evidence(probe, start, deciding)
    result.requests = len(probe.client.log) - start
    return result


def run(clauses: Iterable[Clause], probe: Probe) -> list[Result]:
    """Judge every clause in order; once the budget is spent the rest are not judged."""
    results: list[Result] = []
    stopped = ""
    for clause in clauses:
        if stopped:
            results.append(Result(clause.id, clause.group, clause.text, None, stopped))
            continue
        try:
            results.append(judge(clause, probe))
        except BudgetExhausted as exc:
            stopped = f"not judged: {exc}"
            results.append(Result(clause.id, clause.group, clause.text, None, stopped))
    return results


def verdict(results: list[Result], strict: bool = False) -> Verdict:
    """Every judged clause is a check; every clause not judged is a gap in the verdict."""
    outcome = Verdict(strict=strict)
    for result in results:
        if result.passed is None:
            outcome.gap(f"{result.id} {result.detail}")
        else:
            outcome.add(result.id, result.passed, detail=result.detail)
    return outcome
