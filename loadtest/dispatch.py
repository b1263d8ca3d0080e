"""Hand scenario actions to users: in one process, or from a Locust master to its workers.

The master (or the only process) owns the :class:`Scheduler`. Each node that runs
users announces a credit (how many actions it may hold); the master sends it ready
actions up to that credit and releases dependents when the node reports outcomes.
Every action is assigned to exactly one node, once; the actions of a node that
disappears are counted as ``lost`` and never sent again.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import gevent
from gevent.queue import Empty, Queue

from .integrity import ExpectedState
from .scenario import Action
from .schedule import Scheduler
from .simulator import LOST

ACTIONS, DONE, CREDIT = "replay_actions", "replay_done", "replay_credit"
Send = Callable[[list[Action]], None]


class Outcome(NamedTuple):
    """How one action ended, as a node reports it (a plain list on Locust's message wire)."""

    action_id: int
    status: int  # 0: no answer
    category: str | None  # the simulator's error category, None when not an error


def outcomes_of(rows: Iterable[Sequence[object]]) -> list[Outcome]:
    """Outcomes from their wire (or tuple) form."""
    return [Outcome(*row) for row in rows]  # type: ignore[arg-type]


@dataclass
class Node:
    """A process that runs users: how much it may hold and what it holds now."""

    send: Send
    credit: int = 0
    holding: set[int] = field(default_factory=set)


class Coordinator:
    """Owns the scheduler; assigns ready actions to nodes and applies their outcomes."""

    def __init__(
        self,
        scheduler: Scheduler,
        expected: ExpectedState,
        on_finished: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
    ):
        self.scheduler = scheduler
        self.expected = expected
        self.nodes: dict[str, Node] = {}
        self.errors: Counter[tuple[str, str]] = Counter()  # (command, category) -> count
        self.sent: Counter[str] = Counter()
        self.started: float | None = None
        self.finished_at: float | None = None
        self._on_finished = on_finished
        self._clock = clock
        self._timer: gevent.Greenlet | None = None

    def elapsed(self) -> float:
        return 0.0 if self.started is None else self._clock() - self.started

    def attach(self, node_id: str, send: Send, credit: int) -> None:
        """Add a node or change its credit, then hand out work."""
        node = self.nodes.setdefault(node_id, Node(send))
        node.credit = max(credit, 0)
        self.pump()

    def detach(self, node_id: str) -> int:
        """Forget a node; its unreported actions count as lost. Returns how many."""
        node = self.nodes.pop(node_id, None)
        if node is None:
            return 0
        lost = [Outcome(ident, 0, LOST) for ident in node.holding]
        self._apply(lost)
        self.pump()
        return len(lost)

    def report(self, node_id: str, outcomes: Iterable[Sequence[object]]) -> None:
        """Apply outcomes reported by a node, then hand out more work."""
        node = self.nodes.get(node_id)
        if node is None:
            return  # a node already declared lost: its actions were accounted for
        known = [o for o in outcomes_of(outcomes) if o.action_id in node.holding]
        node.holding.difference_update(o.action_id for o in known)
        self._apply(known)
        self.pump()

    def _apply(self, outcomes: list[Outcome]) -> None:
        for ident, status, category in outcomes:
            action = self.scheduler.complete(ident)
            self.expected.apply(action, status or None, category)
            if category is not None:
                self.errors[(action.command, category)] += 1
        if self.scheduler.finished and self.finished_at is None:
            self.finished_at = self.elapsed()
            self._on_finished()

    def pump(self) -> None:
        """Send ready, due actions to nodes with room, the emptiest first."""
        if not self.nodes or self.finished_at is not None:
            return
        if self.started is None:
            self.started = self._clock()
        now = self.elapsed()
        for node_id in sorted(self.nodes, key=lambda n: len(self.nodes[n].holding)):
            node = self.nodes[node_id]
            room = node.credit - len(node.holding)
            if room <= 0:
                continue
            batch = self.scheduler.take(room, now)
            if not batch:
                break
            node.holding.update(action.id for action in batch)
            self.sent.update(action.command for action in batch)
            node.send(batch)
        self._arm_timer()

    def _arm_timer(self) -> None:
        due = self.scheduler.next_due()
        if due is None or self._timer is not None:
            return
        wait = due - self.elapsed()
        if wait > 0:  # due now: the next report pumps it; due later: wake up then
            self._timer = gevent.spawn_later(min(wait, 1.0), self._tick)

    def _tick(self) -> None:
        self._timer = None
        self.pump()


class LocalSource:
    """Actions for the users of one process; outcomes go to ``report`` (maybe batched)."""

    def __init__(
        self,
        report: Callable[[list[Outcome]], None],
        batch_delay: float = 0.0,
        announce: Callable[[int], None] | None = None,
    ):
        self.queue: Queue[Action] = Queue()
        self._report = report
        self._batch_delay = batch_delay
        self.announce = announce
        self._pending: list[Outcome] = []
        self._flusher: gevent.Greenlet | None = None
        self.credit = 0

    def deliver(self, actions: list[Action]) -> None:
        for action in actions:
            self.queue.put(action)

    def get(self, timeout: float = 1.0) -> Action | None:
        """The next action for a user, or None after ``timeout`` seconds without one."""
        try:
            action: Action = self.queue.get(timeout=timeout)
            return action
        except Empty:
            return None

    def done(self, ident: int, status: int, category: str | None) -> None:
        self._pending.append(Outcome(ident, status, category))
        if not self._batch_delay:
            self.flush()
        elif self._flusher is None:
            self._flusher = gevent.spawn_later(self._batch_delay, self.flush)

    def flush(self) -> None:
        self._flusher = None
        pending, self._pending = self._pending, []
        if pending:
            self._report(pending)

    def add_credit(self, amount: int) -> None:
        """Users joining (positive) or leaving (negative) change how much work we take."""
        self.credit += amount
        if self.announce is not None:
            self.announce(self.credit)
