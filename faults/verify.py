"""Check through the API that every acknowledged write is there: ``acknowledged_lost``.

A registration answered 204 must leave a user; a tweet answered 204 must be among that user's
messages (``GET /msgs/<user>?no=...``). A follow or unfollow is judged per pair of users, and only
for pairs where every request got a clear answer: then ``GET /fllws/<user>`` must show the state
of the last acknowledged one. (A timed-out request may still commit later, in any order.)
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from devtools.simulator import SIMULATOR_AUTH
from loadtest.integrity import MAX_NO
from loadtest.scenario import FOLLOW, REGISTER, TWEET, UNFOLLOW, Action

from .client import exchange
from .records import TrafficResult


class FetchError(RuntimeError):
    """The server did not answer a verification read."""


@dataclass
class Verification:
    """How many acknowledged writes were checked, and which were missing."""

    acknowledged: int = 0
    checked: int = 0
    lost: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.lost

    def as_dict(self) -> dict[str, Any]:
        return {
            "acknowledged": self.acknowledged,
            "checked": self.checked,
            "acknowledged_lost": len(self.lost),
            "lost": self.lost[:20],
            "error": self.error,
        }


class Reader:
    """GET JSON from the API with the simulator's auth, retrying while the server comes back."""

    def __init__(self, url: str, patience: float = 15.0) -> None:
        self.url, self.patience = url, patience

    def get(self, path: str) -> tuple[int, Any]:
        """(status, decoded JSON on 200 else None); retries 5xx and no answer until patience."""
        deadline = time.monotonic() + self.patience
        while True:
            status, body, error = exchange(self.url, "GET", path, 5.0, None, SIMULATOR_AUTH)
            if status and status < 500:
                return status, json.loads(body) if status == 200 else None
            if time.monotonic() > deadline:
                raise FetchError(f"GET {path}: {error or f'status {status}'}")
            time.sleep(0.2)


def verify(url: str, result: TrafficResult, patience: float = 15.0) -> Verification:
    """Compare every acknowledged write of ``result`` with what the API returns now."""
    outcome = Verification(acknowledged=len(result.acknowledged))
    reader = Reader(url, patience)
    try:
        _check(reader, result, outcome)
    except FetchError as exc:
        outcome.error = str(exc)
    return outcome


def _check(reader: Reader, result: TrafficResult, outcome: Verification) -> None:
    registered = {a.username for a in result.acknowledged if a.command == REGISTER}
    tweets: dict[str, Counter[str]] = defaultdict(Counter)
    for action in result.acknowledged:
        if action.command == TWEET:
            tweets[action.username][action.args[0]] += 1
    for user in sorted(registered | set(tweets)):
        status, messages = reader.get(f"/msgs/{quote(user, safe='')}?no={MAX_NO}")
        if status == 404:
            outcome.lost.append({"kind": "registration", "user": user})
            outcome.checked += 1 + sum(tweets[user].values())
            continue
        found = Counter(item["content"] for item in messages or [])
        for content, count in tweets[user].items():
            outcome.checked += count
            for _ in range(count - found[content]):
                outcome.lost.append({"kind": "tweet", "user": user, "content": content[:60]})
        outcome.checked += user in registered
    for user, pairs in _judged_pairs(result).items():
        _status, body = reader.get(f"/fllws/{quote(user, safe='')}?no={MAX_NO}")
        follows = set((body or {}).get("follows", []))
        for target, last in pairs.items():
            outcome.checked += 1
            if (last.command == FOLLOW) != (target in follows):
                outcome.lost.append({"kind": last.command, "user": user, "target": target})


def _judged_pairs(result: TrafficResult) -> dict[str, dict[str, Action]]:
    """user -> target -> the last acknowledged follow/unfollow, for pairs with no doubt."""
    doubtful = {
        (a.username, a.args[0]) for a in result.unacknowledged if a.command in (FOLLOW, UNFOLLOW)
    }
    pairs: dict[str, dict[str, Action]] = defaultdict(dict)
    moves = [a for a in result.acknowledged if a.command in (FOLLOW, UNFOLLOW)]
    for action in sorted(moves, key=lambda a: a.id):
        if (action.username, action.args[0]) not in doubtful:
            pairs[action.username][action.args[0]] = action
    return pairs
