"""The replay's state in this process, kept in one named place.

Locust runs one environment per process; like Locust's own ``custom_messages`` example,
the replay keeps its state at module level instead of hanging it on the Environment.
``begin`` makes a fresh one (each Locust ``init``), ``current`` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dispatch import Coordinator, LocalSource
from .report import Timeline


@dataclass
class Replay:
    """What this process holds of a replay: a source of actions, and on the master the rest."""

    source: LocalSource | None = None  # processes that run users
    coordinator: Coordinator | None = None  # the master, or the only process
    timeline: Timeline | None = None  # with the coordinator
    scenario_name: str = ""
    total: int = 0  # actions in the scenario


_current: Replay | None = None


def begin() -> Replay:
    """Start this process's replay state afresh and return it."""
    global _current
    _current = Replay()
    return _current


def current() -> Replay | None:
    """This process's replay state, or None before Locust's ``init``."""
    return _current
