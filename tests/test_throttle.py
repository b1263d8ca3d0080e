"""Failed web logins are throttled per account and per address; the simulator API never is.

In-process, on SQLite and PostgreSQL; the clock is moved forward instead of slept through.
Workers and replicas sharing the count: tests/test_throttle_live.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from devtools.simulator import SIMULATOR_AUTH
from minitwit import create_app, throttle
from minitwit.db import database
from minitwit.models import Throttle

WINDOW = 600.0
THROTTLED = "Too many failed sign-in attempts"


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build the app on the test database with throttle settings of the test's choosing."""

    def build(**settings: Any) -> Flask:
        config = {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-only-key"}
        return create_app(config | {"THROTTLE_WINDOW": WINDOW} | settings)

    yield build
    if hasattr(database.obj, "close_all"):
        database.close_all()
    else:
        database.close()


def register(client: FlaskClient, username: str, password: str = "right") -> TestResponse:
    form = {"username": username, "email": f"{username}@x.org", "password": password}
    return client.post("/register", data=form | {"password2": password})


def login(
    client: FlaskClient, username: str, password: str, address: str = "127.0.0.1", **headers: str
) -> TestResponse:
    form = {"username": username, "password": password}
    return client.post("/login", data=form, headers=headers, environ_base={"REMOTE_ADDR": address})


def test_twenty_wrong_passwords_lock_the_account_until_the_window_passes(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    client = make_app().test_client()
    register(client, "alice")
    answers = [login(client, "alice", f"guess-{i}") for i in range(20)]
    assert [a.status_code for a in answers] == [200] * 10 + [429] * 10
    assert all(b"Invalid password" in a.data for a in answers[:10])
    refused = answers[-1]
    assert THROTTLED in refused.text and 'role="alert"' in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= WINDOW

    clock.now += WINDOW / 2
    assert login(client, "alice", "right").status_code == 429  # the right password waits too
    clock.now += WINDOW / 2 + 1
    accepted = login(client, "alice", "right")
    assert accepted.status_code == 302 and accepted.location == "/"


def test_a_throttled_unknown_user_looks_like_a_throttled_real_one(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    client = make_app().test_client()
    register(client, "alice")
    for name in ("alice", "nobody"):
        for i in range(10):
            login(client, name, f"guess-{i}", address=f"10.0.0.{len(name)}")
    real, unknown = (login(client, name, "x", address="10.0.1.1") for name in ("alice", "nobody"))
    assert real.status_code == unknown.status_code == 429
    assert real.headers["Retry-After"] == unknown.headers["Retry-After"]
    assert real.text.replace("alice", "NAME") == unknown.text.replace("nobody", "NAME")


def test_many_accounts_from_one_address_are_throttled(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    client = make_app(LOGIN_FAILURES_PER_ADDRESS=5).test_client()
    register(client, "alice")
    answers = [login(client, f"user-{i}", "guess", address="203.0.113.7") for i in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert login(client, "alice", "right", address="203.0.113.7").status_code == 429
    assert login(client, "alice", "right", address="203.0.113.8").status_code == 302


def test_a_successful_login_clears_the_accounts_failures(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    client = make_app().test_client()
    register(client, "alice")
    for i in range(9):
        login(client, "alice", f"guess-{i}", address="10.0.0.1")
    assert login(client, "alice", "right", address="10.0.0.1").status_code == 302
    client.get("/logout")
    answers = [login(client, "alice", f"again-{i}", address="10.0.0.2") for i in range(9)]
    assert {a.status_code for a in answers} == {200}


def test_ipv6_clients_are_counted_by_their_64_prefix(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    client = make_app(LOGIN_FAILURES_PER_ADDRESS=3).test_client()
    for i in range(3):
        login(client, f"user-{i}", "guess", address=f"2001:db8:1:2::{i + 1}")
    assert login(client, "user-9", "guess", address="2001:db8:1:2:ffff::9").status_code == 429
    assert login(client, "user-9", "guess", address="2001:db8:1:3::1").status_code == 200


def test_a_spoofed_forwarded_for_is_ignored_without_trust_proxy(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    client = make_app(LOGIN_FAILURES_PER_ADDRESS=3).test_client()
    for i in range(3):
        login(client, f"user-{i}", "guess", **{"X-Forwarded-For": f"198.51.100.{i}"})
    spoofed = login(client, "user-9", "guess", **{"X-Forwarded-For": "198.51.100.99"})
    assert spoofed.status_code == 429


def test_the_proxys_forwarded_for_is_honoured_with_trust_proxy(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    client = make_app(LOGIN_FAILURES_PER_ADDRESS=3, TRUST_PROXY=True).test_client()
    # nginx appends the address it saw: ProxyFix (x_for=1) trusts only that last entry.
    for i in range(3):
        login(client, f"user-{i}", "guess", **{"X-Forwarded-For": f"6.6.6.{i}, 198.51.100.7"})
    same_client = {"X-Forwarded-For": "7.7.7.7, 198.51.100.7"}
    other_client = {"X-Forwarded-For": "198.51.100.7, 198.51.100.8"}
    assert login(client, "user-9", "guess", **same_client).status_code == 429
    assert login(client, "user-9", "guess", **other_client).status_code == 200


def test_the_simulator_api_is_never_throttled(make_app: Callable[..., Flask], clock: Clock) -> None:
    client = make_app(LOGIN_FAILURES_PER_ADDRESS=2, WEB_REGISTRATIONS_PER_ADDRESS=1).test_client()
    register(client, "alice")
    for i in range(3):
        login(client, f"user-{i}", "guess")
    assert login(client, "alice", "right").status_code == 429  # this address is locked
    assert register(client, "bob").status_code == 429
    rows = Throttle.select().count()
    wrong = {"Authorization": "Basic " + "d3Jvbmc6d3Jvbmc="}  # wrong:wrong
    assert {client.get("/msgs", headers=wrong).status_code for _ in range(30)} == {403}
    for i in range(5):
        body = {"username": f"sim-{i}", "email": "s@x.org", "pwd": "p"}
        assert client.post("/register", json=body).status_code == 204
        tweet = {"content": "hello"}
        assert client.post(f"/msgs/sim-{i}", json=tweet, headers=SIMULATOR_AUTH).status_code == 204
    assert Throttle.select().count() == rows  # the API neither reads nor writes the table


def test_web_registrations_are_limited_per_address(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    client = make_app(WEB_REGISTRATIONS_PER_ADDRESS=3).test_client()
    answers = [register(client, f"user-{i}") for i in range(4)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "Too many new accounts from your address" in answers[-1].text
    assert int(answers[-1].headers["Retry-After"]) > 0
    invalid = client.post("/register", data={"username": ""})
    assert invalid.status_code == 429  # refused before the form is even checked
    clock.now += WINDOW + 1
    assert register(client, "user-4").status_code == 302


def test_huge_and_odd_usernames_take_bounded_room_and_expire(
    make_app: Callable[..., Flask], clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_app(LOGIN_FAILURES_PER_ADDRESS=1000).test_client()
    monkeypatch.setattr(throttle, "SWEEP_EVERY", 1)
    monkeypatch.setattr(throttle, "ROW_CAP", 20)
    for i in range(40):
        name = f"{i}\x00\u202e'; DROP TABLE user; --" + "x" * 30_000
        assert login(client, name, "guess").status_code == 200
    assert Throttle.select().count() <= 20 + 2
    assert {len(row.key) for row in Throttle.select()} == {64}
    clock.now += WINDOW + 1
    Throttle.sweep(clock.now)
    assert Throttle.select().count() == 0


def test_an_unavailable_throttle_table_fails_closed_for_logins_after_an_allowance(
    make_app: Callable[..., Flask],
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    """The users table still answers; the throttle table is gone (dropped, as by a bad restore)."""
    app = make_app()
    client = app.test_client()
    register(client, "alice")
    database.execute_sql('DROP TABLE "throttle"')
    request.addfinalizer(lambda: database.create_tables([Throttle]))  # the next test's
    capsys.readouterr()
    allowance = throttle.FALLBACK_ALLOWANCE
    answers = [login(client, "alice", f"guess-{i}") for i in range(allowance + 1)]
    assert [a.status_code for a in answers] == [200] * allowance + [429]
    assert login(client, "alice", "right").status_code == 429
    assert client.get("/public").status_code == 200  # everything else stays open
    assert register(client, "bob").status_code == 302
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line[:1] == "{"]
    warnings = [line for line in lines if line["msg"] == "throttle store unavailable"]
    assert warnings and warnings[0]["level"] == "warning"
    refused = [line for line in lines if line.get("event") == "login_throttled"]
    assert refused[-1]["reason"] == "store_unavailable"


@pytest.mark.postgres
def test_a_locked_throttle_table_on_postgresql_fails_closed_after_the_allowance(
    postgres_url: str, clock: Clock
) -> None:
    """Another session holds the table locked: reads of it time out, the users table answers."""
    from minitwit.db import connect

    from .conftest import empty_postgres

    empty_postgres(postgres_url)
    settings = {"DATABASE_URL": postgres_url, "SECRET_KEY": "k", "DB_STATEMENT_TIMEOUT": 0.2}
    client = create_app({"TESTING": True, **settings}).test_client()
    register(client, "alice")
    holder = connect(postgres_url)
    holder.execute_sql("BEGIN")
    holder.execute_sql('LOCK TABLE "throttle" IN ACCESS EXCLUSIVE MODE')
    try:
        allowance = throttle.FALLBACK_ALLOWANCE
        answers = [login(client, "alice", f"guess-{i}") for i in range(allowance + 1)]
        assert [a.status_code for a in answers] == [200] * allowance + [429]
        assert client.get("/public").status_code == 200
    finally:
        holder.execute_sql("ROLLBACK")
        holder.close()
        database.close_all()  # type: ignore[attr-defined]
