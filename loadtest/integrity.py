"""What the replayed part of a scenario implies for the server's state, and a check of it."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .scenario import FOLLOW, REGISTER, TWEET, UNFOLLOW, Action

Fetch = Callable[[str], Any]  # GET a path (with simulator auth), return the decoded JSON
MAX_NO = 10_000  # the largest ``no`` MiniTwit accepts


@dataclass
class ExpectedState:
    """Successful actions applied in order; users touched by failures are 'uncertain'."""

    keep: int = 1000  # newest messages remembered (and compared) per user
    registered: set[str] = field(default_factory=set)
    preexisting: set[str] = field(default_factory=set)
    uncertain: set[str] = field(default_factory=set)
    messages: dict[str, deque[str]] = field(default_factory=dict)
    follows: dict[str, set[str]] = field(default_factory=dict)

    def apply(self, action: Action, status: int | None, category: str | None) -> None:
        """Record one replayed action with its HTTP status (None: no response) and error."""
        user = action.username
        if action.command == REGISTER:
            if status == 204:
                self.registered.add(user)
            elif status == 400 and user not in self.registered:
                self.preexisting.add(user)
            else:
                self.uncertain.add(user)
            return
        if category is not None:
            self.uncertain.add(user)  # a timeout may still have changed the server
        elif action.command == TWEET:
            self.messages.setdefault(user, deque(maxlen=self.keep)).append(action.args[0])
        elif action.command == FOLLOW:
            self.follows.setdefault(user, set()).add(action.args[0])
        elif action.command == UNFOLLOW:
            self.follows.setdefault(user, set()).discard(action.args[0])

    def checkable(self) -> list[str]:
        """Users registered by this replay whose state is fully known."""
        return sorted(self.registered - self.preexisting - self.uncertain)


@dataclass
class IntegrityResult:
    """The outcome of comparing the server with the expected state."""

    checked_users: int = 0
    skipped_users: int = 0
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    latest: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.mismatches

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked_users": self.checked_users,
            "skipped_users": self.skipped_users,
            "mismatch_count": len(self.mismatches),
            "mismatches": self.mismatches[:50],
            "latest": self.latest,
            "error": self.error,
        }


def check_user(fetch: Fetch, state: ExpectedState, user: str) -> list[dict[str, Any]]:
    """Mismatches between the server and the expected messages and follows of ``user``."""
    found: list[dict[str, Any]] = []
    name = quote(user, safe="")
    expected_messages = list(reversed(state.messages.get(user, ())))
    got = [item["content"] for item in fetch(f"/msgs/{name}?no={state.keep}")]
    if got != expected_messages:
        kind = "message order" if sorted(got) == sorted(expected_messages) else "messages"
        found.append(
            {
                "user": user,
                "kind": kind,
                "expected": len(expected_messages),
                "got": len(got),
                "first_difference": _first_difference(expected_messages, got),
            }
        )
    expected_follows = state.follows.get(user, set())
    follows = set(fetch(f"/fllws/{name}?no={MAX_NO}")["follows"])
    if follows != expected_follows:
        found.append(
            {
                "user": user,
                "kind": "follows",
                "missing": sorted(expected_follows - follows)[:10],
                "unexpected": sorted(follows - expected_follows)[:10],
            }
        )
    return found


def _first_difference(expected: list[str], got: list[str]) -> dict[str, Any]:
    for index, (want, have) in enumerate(zip(expected, got, strict=False)):
        if want != have:
            return {"index": index, "expected": want[:80], "got": have[:80]}
    return {"index": min(len(expected), len(got))}


def check(
    fetch: Fetch,
    state: ExpectedState,
    final_id: int | None,
    map_users: Callable[
        [Callable[[str], list[dict[str, Any]]], Iterable[str]], Iterable[list[dict[str, Any]]]
    ] = map,
) -> IntegrityResult:
    """Compare every checkable user, and ``/latest`` with ``final_id`` when the replay finished."""
    result = IntegrityResult()
    users = state.checkable()
    result.checked_users = len(users)
    result.skipped_users = len(state.registered | state.preexisting | state.uncertain) - len(users)
    try:
        for found in map_users(lambda user: check_user(fetch, state, user), users):
            result.mismatches.extend(found)
        if final_id is not None:
            latest = fetch("/latest")["latest"]
            result.latest = {"expected": final_id, "got": latest}
            if latest != final_id:
                result.mismatches.append({"kind": "latest", "expected": final_id, "got": latest})
    except Exception as exc:  # the server could not be read: that is a failed check, not a crash
        result.error = f"{type(exc).__name__}: {exc}"
    return result
