"""Release scenario actions as soon as the actions they depend on have completed.

An action depends on the previous action of the same user (its actor) and on the
registration of every other user it names. The last action of a scenario also
waits for every other action, so that the server's final ``latest`` is its id.
With a speedup F > 0 an action is also not released before its recorded time / F.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .scenario import REGISTER, Action


@dataclass(slots=True)
class _Entry:
    """An action read from the scenario and not yet completed, with its dependency counts."""

    action: Action
    due: float
    waiting: int = 0
    dependents: list[int] = field(default_factory=list)


class Scheduler:
    """Dependency-ordered, streaming release of actions (not thread-safe; one owner)."""

    def __init__(self, actions: Iterable[Action], speedup: float = 0.0, window: int = 20_000):
        if speedup < 0:
            raise ValueError("speedup must be >= 0 (0 = as fast as possible)")
        self._source: Iterator[Action] = iter(actions)
        self._speedup = speedup
        self._window = max(window, 2)
        self._entries: dict[int, _Entry] = {}  # read, not completed: waiting, ready or in flight
        self._ready: list[int] = []
        self._in_flight: set[int] = set()
        self._last_of_user: dict[str, int] = {}
        self._registration_of: dict[str, int] = {}
        self._held: Action | None = None
        self._held_due = 0.0
        self._elapsed_ms = 0
        self._exhausted = False
        self._final: _Entry | None = None
        self.read = 0
        self.last_id: int | None = None
        self.completed = 0
        self.max_completed_id = -1
        self._refill()

    @property
    def finished(self) -> bool:
        """Whether every action has been released and completed."""
        return self._exhausted and not self._entries and self._held is None

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    @property
    def ready(self) -> int:
        return len(self._ready)

    def in_flight_actions(self) -> list[Action]:
        """Actions released but not yet completed."""
        return [self._entries[ident].action for ident in self._in_flight]

    def take(self, limit: int, now: float = float("inf")) -> list[Action]:
        """Up to ``limit`` released actions, lowest id first, due at ``now`` (s since start)."""
        taken: list[Action] = []
        while self._ready and len(taken) < limit:
            entry = self._entries[self._ready[0]]
            if entry.due > now:
                break
            heapq.heappop(self._ready)
            self._in_flight.add(entry.action.id)
            taken.append(entry.action)
        return taken

    def next_due(self) -> float | None:
        """When the first ready action is due (s since start), or None if none is ready."""
        return self._entries[self._ready[0]].due if self._ready else None

    def complete(self, ident: int) -> Action:
        """Record that a released action finished (whatever its outcome); return it."""
        if ident not in self._in_flight:
            raise KeyError(f"action {ident} is not in flight")
        self._in_flight.discard(ident)
        entry = self._entries.pop(ident)
        self.completed += 1
        self.max_completed_id = max(self.max_completed_id, ident)
        action = entry.action
        if self._last_of_user.get(action.username) == ident:
            del self._last_of_user[action.username]
        if self._registration_of.get(action.username) == ident:
            del self._registration_of[action.username]
        for dependent in entry.dependents:
            self._unblock(self._entries[dependent])
        self._refill()
        if self._final is not None and len(self._entries) == 1:
            final, self._final = self._final, None
            self._unblock(final)
        return action

    def _unblock(self, entry: _Entry) -> None:
        entry.waiting -= 1
        if entry.waiting == 0:
            heapq.heappush(self._ready, entry.action.id)

    def _refill(self) -> None:
        while not self._exhausted and len(self._entries) < self._window:
            action = next(self._source, None)
            if action is None:
                self._exhausted = True
                self._release_held(final=True)
                return
            self.read += 1
            self.last_id = action.id
            self._elapsed_ms += action.delay_ms
            self._release_held(final=False)
            self._held = action
            self._held_due = self._elapsed_ms / 1000 / self._speedup if self._speedup else 0.0

    def _release_held(self, final: bool) -> None:
        action, self._held = self._held, None
        if action is None:
            return
        if action.id in self._entries:
            raise ValueError(f"duplicate action id {action.id} in the scenario")
        entry = _Entry(action, self._held_due)
        self._entries[action.id] = entry
        for ident in self._dependencies(action):
            self._entries[ident].dependents.append(action.id)
            entry.waiting += 1
        self._last_of_user[action.username] = action.id
        if action.command == REGISTER:
            self._registration_of[action.username] = action.id
        if final and len(self._entries) > 1:
            entry.waiting += 1  # the barrier: released when it is the only action left
            self._final = entry
        elif entry.waiting == 0:
            heapq.heappush(self._ready, action.id)

    def _dependencies(self, action: Action) -> set[int]:
        found = set()
        previous = self._last_of_user.get(action.username)
        if previous is not None:
            found.add(previous)
        for name in action.named_users[1:]:
            registration = self._registration_of.get(name)
            if registration is not None:
                found.add(registration)
        return found
