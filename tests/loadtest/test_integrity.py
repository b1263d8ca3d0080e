"""The integrity check compares the server's answers with what the replay implies."""

from __future__ import annotations

from typing import Any

from loadtest.integrity import ExpectedState, check
from loadtest.scenario import Action


def act(ident: int, command: str, user: str, *args: str) -> Action:
    return Action(ident, 0, 0, command, user, args)


def replayed() -> ExpectedState:
    state = ExpectedState(keep=3)
    state.apply(act(0, "register", "A", "a@x", "p"), 204, None)
    state.apply(act(1, "register", "B", "b@x", "p"), 204, None)
    for ident, text in enumerate(["one", "two", "three", "four"], start=2):
        state.apply(act(ident, "tweet", "A", text), 204, None)
    state.apply(act(6, "follow", "A", "B"), 204, None)
    state.apply(act(7, "follow", "B", "A"), 204, None)
    state.apply(act(8, "unfollow", "B", "A"), 204, None)
    return state


def server(messages: dict[str, list[str]], follows: dict[str, list[str]], latest: int) -> Any:
    def fetch(path: str) -> Any:
        if path == "/latest":
            return {"latest": latest}
        kind, rest = path.lstrip("/").split("/", 1)
        user, query = rest.split("?")
        if kind == "msgs":
            no = int(query.removeprefix("no="))
            return [
                {"content": text, "user": user, "pub_date": 0}
                for text in messages.get(user, [])[:no]
            ]
        return {"follows": follows.get(user, [])}

    return fetch


def test_matching_server_passes() -> None:
    fetch = server({"A": ["four", "three", "two", "one"]}, {"A": ["B"]}, latest=8)
    result = check(fetch, replayed(), final_id=8)
    assert result.ok, result.mismatches
    assert result.checked_users == 2


def test_missing_message_wrong_follow_and_latest_are_reported() -> None:
    fetch = server({"A": ["four", "two", "one"]}, {"A": ["B"], "B": ["A"]}, latest=7)
    result = check(fetch, replayed(), final_id=8)
    kinds = sorted(m["kind"] for m in result.mismatches)
    assert kinds == ["follows", "latest", "messages"]
    assert not result.ok


def test_reordered_messages_are_an_order_mismatch() -> None:
    fetch = server({"A": ["three", "four", "two"]}, {"A": ["B"]}, latest=8)
    result = check(fetch, replayed(), final_id=8)
    assert [m["kind"] for m in result.mismatches] == ["message order"]


def test_users_touched_by_errors_or_existing_before_are_not_judged() -> None:
    state = replayed()
    state.apply(act(9, "tweet", "B", "lost?"), 0, "timeout")
    state.apply(act(10, "register", "C", "c@x", "p"), 400, None)
    assert state.checkable() == ["A"]
    result = check(server({"A": ["four", "three", "two"]}, {"A": ["B"]}, 8), state, None)
    assert result.ok
    assert (result.checked_users, result.skipped_users) == (1, 2)


def test_unreadable_server_fails_the_check() -> None:
    def broken(path: str) -> Any:
        raise ConnectionError("refused")

    result = check(broken, replayed(), final_id=8)
    assert not result.ok
    assert result.error == "ConnectionError: refused"
