"""Bounded simulator traffic: every request recorded, every acknowledged write remembered.

Each thread owns its own users (a generated scenario from :mod:`loadtest.generate`, names
prefixed so runs and threads never collide), registers them first (setup, generous timeout),
then sends their tweets, follows and unfollows in scenario order, mixed with reads and fresh
registrations, exactly as the course simulator sends them (:func:`loadtest.simulator
.build_request`) with its 0.3 s timeout. A 204 is an acknowledged write. Traffic stops by
itself after ``seconds`` or ``max_requests``, or when the ``running()`` block ends.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from devtools.simulator import SIMULATOR_AUTH
from loadtest.generate import generate
from loadtest.scenario import FOLLOW, REGISTER, UNFOLLOW, Action
from loadtest.simulator import DEFAULT_TIMEOUT, build_request, classify, unexpected

from .client import exchange
from .records import Record, TrafficResult

READS = ("latest", "msgs")
SETUP_TIMEOUT = 10.0


@dataclass
class Plan:
    """How much traffic: bounded in requests and seconds; ``rate`` is the total requests/s."""

    threads: int = 4
    users_per_thread: int = 8
    rate: float = 120.0
    seconds: float = 30.0
    max_requests: int = 20_000
    timeout: float = DEFAULT_TIMEOUT
    read_share: float = 0.2
    register_share: float = 0.03
    seed: int = 0


@dataclass
class _Lane:
    """One thread's users and actions."""

    setup: list[Action]
    actions: list[Action]
    users: list[str] = field(default_factory=list)


def _lanes(plan: Plan, run: str) -> list[_Lane]:
    lanes = []
    per_thread = max(1, plan.max_requests // plan.threads)
    for index in range(plan.threads):
        prefix = f"{run}{index} "
        actions = [
            _prefixed(action, prefix)
            for action in generate(
                per_thread + plan.users_per_thread, plan.users_per_thread, plan.seed + index
            )
        ]
        setup = [a for a in actions if a.command == REGISTER]
        lanes.append(_Lane(setup, [a for a in actions if a.command != REGISTER]))
    return lanes


def _prefixed(action: Action, prefix: str) -> Action:
    args = action.args
    if action.command in (FOLLOW, UNFOLLOW):
        args = (prefix + args[0],)
    return replace(action, username=prefix + action.username, args=args)


class Traffic:
    """Simulator traffic against ``url``; use ``with traffic.running():`` around the fault."""

    def __init__(self, url: str, plan: Plan | None = None) -> None:
        parts = urlsplit(url)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError(f"fault traffic only goes to loopback, not {parts.hostname!r}")
        self.url, self.plan = url, plan or Plan()
        self.host, self.port = parts.hostname, parts.port or 80
        self.run_id = "f" + secrets.token_hex(3)
        self.result = TrafficResult(url=url, run_id=self.run_id, timeout=self.plan.timeout)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sent = 0
        self._fresh = 0
        self._finished = 0
        self._done = threading.Event()
        self._t0 = 0.0

    def now(self) -> float:
        """Seconds since the timed phase began (the clock of every record)."""
        return time.monotonic() - self._t0

    @contextmanager
    def running(self) -> Iterator[Traffic]:
        """Register the users, start the timed phase; stop and join when the block ends."""
        lanes = _lanes(self.plan, self.run_id)
        self._setup(lanes)
        self._t0 = time.monotonic()
        threads = [
            threading.Thread(target=self._drive, args=(lane, i), daemon=True)
            for i, lane in enumerate(lanes)
        ]
        for thread in threads:
            thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            for thread in threads:
                thread.join(timeout=self.plan.timeout + SETUP_TIMEOUT)
            self.result.duration = self.now()

    def wait(self, limit: float | None = None) -> None:
        """Block until the traffic ran out by itself (seconds or requests), or for ``limit`` s."""
        self._done.wait(limit if limit is not None else self.plan.seconds + SETUP_TIMEOUT)

    def _setup(self, lanes: list[_Lane]) -> None:
        def register(lane: _Lane) -> None:
            for action in lane.setup:
                status, _error = self._send(action, SETUP_TIMEOUT)
                if status == 204:
                    lane.users.append(action.username)
                    self.result.acknowledge(action)

        workers = [threading.Thread(target=register, args=(lane,)) for lane in lanes]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        for lane in lanes:
            known = set(lane.users)
            lane.actions = [a for a in lane.actions if set(a.named_users) <= known]

    def _drive(self, lane: _Lane, index: int) -> None:
        plan = self.plan
        gap = plan.threads / plan.rate if plan.rate > 0 else 0.0
        due = time.monotonic() + gap * index / plan.threads
        mixer = _Mixer(plan, index)
        actions = iter(lane.actions)
        while not self._stop.is_set() and self.now() < plan.seconds and self._claim():
            kind = mixer.next()
            if kind == "write":
                action = next(actions, None)
                if action is None:
                    break
                self._timed(action.command, action, lambda a=action: self._send(a))
            elif kind == "register":
                action = self._fresh_user(index)
                self._timed(REGISTER, action, lambda a=action: self._send(a))
            else:
                path = "/latest" if kind == "latest" else "/msgs?no=20"
                self._timed(kind, None, lambda p=path: self._get(p))
            due += gap
            pause = due - time.monotonic()
            if pause > 0:
                self._stop.wait(pause)
            else:
                due = time.monotonic()  # behind: do not burst to catch up
        with self._lock:
            self._finished += 1
            if self._finished == plan.threads:
                self._done.set()

    def _claim(self) -> bool:
        with self._lock:
            if self._sent >= self.plan.max_requests:
                self._stop.set()
                return False
            self._sent += 1
            return True

    def _fresh_user(self, index: int) -> Action:
        with self._lock:
            self._fresh += 1
            number = self._fresh
        name = f"{self.run_id}new{index} {number}"
        return Action(-1, 0, 0, REGISTER, name, (f"new{number}@example.org", "pw"))

    def _timed(self, command: str, action: Action | None, send: object) -> None:
        start = self.now()
        status, error = send()  # type: ignore[operator]
        latency = self.now() - start
        if command in READS:
            category = error if error else (None if status == 200 else unexpected(status))
        else:
            category = error if error else classify(command, status, None)
        self.result.add(Record(start, latency, command, status, category))
        if action is not None and status == 204:
            self.result.acknowledge(action)
        elif action is not None and category is not None:
            self.result.uncertain(action)

    def _send(self, action: Action, timeout: float | None = None) -> tuple[int, str | None]:
        request = build_request(action, SIMULATOR_AUTH["Authorization"])
        return self._exchange(request.method, request.path, request.body, request.headers, timeout)

    def _get(self, path: str) -> tuple[int, str | None]:
        headers = {**SIMULATOR_AUTH, "Connection": "close"}
        return self._exchange("GET", path, None, headers, None)

    def _exchange(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        timeout: float | None,
    ) -> tuple[int, str | None]:
        status, _body, error = exchange(
            self.url, method, path, timeout or self.plan.timeout, body, headers
        )
        return status, error


class _Mixer:
    """Deterministic mix of writes, reads and fresh registrations for one thread."""

    def __init__(self, plan: Plan, index: int) -> None:
        self.plan, self.count = plan, index * 7

    def next(self) -> str:
        self.count += 1
        slot = (self.count * 0.6180339887) % 1.0  # low-discrepancy: shares hold on short runs
        if slot < self.plan.register_share:
            return "register"
        if slot < self.plan.register_share + self.plan.read_share:
            return READS[self.count % 2]
        return "write"
