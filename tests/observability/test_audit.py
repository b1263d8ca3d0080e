"""The audit trail: a JSON line and a count per sign-in, failure, throttle, sign-up, sign-out."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from minitwit import create_app

from .test_logs import json_lines


@pytest.fixture(autouse=True)
def _plain_logger() -> Iterator[None]:
    yield
    logging.getLogger("minitwit").handlers.clear()


@pytest.fixture
def client(database_url: str) -> FlaskClient:
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": "audit-key"}
    app = create_app({"TESTING": True, **settings, "LOGIN_FAILURES_PER_ACCOUNT": 2})
    return app.test_client()


def audit_lines(out: str) -> list[dict[str, Any]]:
    return [line for line in json_lines(out) if line["logger"] == "minitwit.audit"]


def counted(event: str) -> float:
    return REGISTRY.get_sample_value("minitwit_auth_events_total", {"event": event}) or 0.0


def test_each_auth_event_is_one_line_with_request_id_client_and_reason(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    form = {"username": "alice", "email": "a@x.org", "password": "pw", "password2": "pw"}
    steps: list[tuple[str, dict[str, str] | None, dict[str, str] | None]] = [
        ("/register", form, None),
        ("/login", {"username": "alice", "password": "pw"}, None),
        ("/logout", None, None),
        ("/login", {"username": "alice", "password": "nope"}, None),
        ("/login", {"username": "ghost", "password": "nope"}, None),
        ("/login", {"username": "alice", "password": "nope"}, None),
        ("/login", {"username": "alice", "password": "pw"}, None),  # locked now
        ("/register", None, {"username": "bob", "email": "b@x.org", "pwd": "p"}),
    ]
    capsys.readouterr()
    for i, (path, data, body) in enumerate(steps):
        headers = {"X-Request-ID": f"req-{i}"}
        if data is None and body is None:
            client.get(path, headers=headers)
        else:
            client.post(path, data=data, json=body, headers=headers)
    lines = audit_lines(capsys.readouterr().out)
    assert [(line["request_id"], line["event"]) for line in lines] == [
        ("req-0", "registered"),
        ("req-1", "login_succeeded"),
        ("req-2", "logged_out"),
        ("req-3", "login_failed"),
        ("req-4", "login_failed"),
        ("req-5", "login_failed"),
        ("req-6", "login_throttled"),
        ("req-7", "registered"),
    ]
    assert [line["reason"] for line in lines[3:7]] == [
        "wrong_password", "unknown_user", "wrong_password", "account",
    ]  # fmt: skip
    assert [line["username"] for line in lines] == ["alice"] * 4 + ["ghost"] + ["alice"] * 2 + [
        "bob"
    ]
    assert {line["client"] for line in lines} == {"127.0.0.1"}
    assert (lines[0]["surface"], lines[-1]["surface"]) == ("web", "api")
    assert all(line["msg"] == "auth" and line["level"] == "info" for line in lines)


def test_odd_and_huge_usernames_are_bounded_in_the_line(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    client.post("/login", data={"username": "evil\nINFO forged line" + "x" * 5000, "password": "p"})
    (line,) = audit_lines(capsys.readouterr().out)
    assert "\n" not in line["username"] and len(line["username"]) <= 64 + 3
    assert line["username"].startswith("evil\ufffdINFO forged line")


def test_auth_events_are_counted_by_event(client: FlaskClient) -> None:
    before = {event: counted(event) for event in ("login_failed", "login_throttled")}
    for _ in range(3):
        client.post("/login", data={"username": "mallory", "password": "guess"})
    assert counted("login_failed") - before["login_failed"] == 2
    assert counted("login_throttled") - before["login_throttled"] == 1
