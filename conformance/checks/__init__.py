"""The contract's clauses, grouped as docs/contract.md is; importing this registers them all.

``api.latest.fresh`` comes first: it is the one check that needs a target nobody wrote to.
"""

from __future__ import annotations

from ..clause import CLAUSES, GROUPS, Clause
from . import api, bad_input, data, web  # noqa: F401 - importing registers the clauses
from .data import OUT_OF_SCOPE

__all__ = ["OUT_OF_SCOPE", "Clause", "ordered"]


def ordered(groups: list[str]) -> list[Clause]:
    """The clauses of ``groups`` as the contract orders them, ``api.latest.fresh`` first."""
    chosen = [clause for clause in CLAUSES if clause.group in groups]
    return sorted(chosen, key=lambda c: (c.id != "api.latest.fresh", GROUPS.index(c.group)))
