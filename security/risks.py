"""Accepted risks: ``security/accepted-risks.yml`` entries, their scope and their expiry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding

REQUIRED = ("rule", "scope", "justification", "expires")


class RiskFileError(ValueError):
    """The accepted-risks file is malformed."""


@dataclass(frozen=True)
class AcceptedRisk:
    """One accepted Medium: which rule, where (glob on the location), why, and until when."""

    rule: str
    scope: str
    justification: str
    expires: dt.date

    def expired(self, today: dt.date) -> bool:
        """An entry is valid up to and including its expiry date."""
        return today > self.expires

    def covers(self, finding: Finding) -> bool:
        """Whether this entry names the finding's ``tool:rule`` and its location is in scope."""
        return fnmatchcase(finding.key, self.rule) and fnmatchcase(finding.location, self.scope)


def parse_risks(data: Any) -> list[AcceptedRisk]:
    """Validate the YAML document (``{risks: [...]}``) and build the entries."""
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("risks", []), list):
        raise RiskFileError("accepted-risks.yml must be a mapping with a 'risks' list")
    risks = []
    for index, entry in enumerate(data.get("risks") or []):
        if not isinstance(entry, dict):
            raise RiskFileError(f"risk #{index + 1} is not a mapping")
        missing = [key for key in REQUIRED if not entry.get(key)]
        if missing:
            raise RiskFileError(f"risk #{index + 1} lacks {', '.join(missing)}")
        expires = entry["expires"]
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError as exc:
                raise RiskFileError(f"risk #{index + 1}: expires must be YYYY-MM-DD") from exc
        if not isinstance(expires, dt.date):
            raise RiskFileError(f"risk #{index + 1}: expires must be YYYY-MM-DD")
        risks.append(
            AcceptedRisk(
                str(entry["rule"]),
                str(entry["scope"]),
                " ".join(str(entry["justification"]).split()),
                expires,
            )
        )
    return risks


def load_risks(path: Path) -> list[AcceptedRisk]:
    """Read the accepted-risks file (a missing file accepts nothing)."""
    if not path.exists():
        return []
    return parse_risks(yaml.safe_load(path.read_text()))


def acceptance(finding: Finding, risks: list[AcceptedRisk]) -> AcceptedRisk | None:
    """The entry that accepts this finding, if any (expired entries still match, and fail)."""
    return next((risk for risk in risks if risk.covers(finding)), None)
