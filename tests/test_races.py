"""Races on one row over real sockets: one winner, consistent state, never a 5xx.

Many clients start at the same instant (a barrier) against a live ``minitwit serve`` with
several workers, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from devtools.live import LiveServer, live_minitwit
from devtools.postgres import PostgresServer

from .conftest import SIMULATOR_AUTH

pytestmark = pytest.mark.live

RACERS = 12
TAKEN = "The username is already taken"
_databases = itertools.count()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    """A live server with three workers on a fresh SQLite file or PostgreSQL database."""
    env = {"SECRET_KEY": "race-key"}
    if request.param == "postgres":
        postgres: PostgresServer = request.getfixturevalue("postgres_server")
        env["DATABASE_URL"] = postgres.create_database(f"races_{next(_databases)}")
    with live_minitwit(tmp_path, env, workers=3) as live:
        yield live


def at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Run every call on its own thread, all released together; their responses in order."""
    barrier = threading.Barrier(len(calls))
    responses: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], requests.Response]) -> None:
        barrier.wait(timeout=10)
        try:
            responses[index] = call()
        except requests.RequestException as exc:
            responses[index] = exc

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    failures = [r for r in responses if not isinstance(r, requests.Response)]
    assert not failures, failures
    return responses


def api(server: LiveServer, path: str, body: dict[str, str]) -> Callable[[], requests.Response]:
    """A simulator POST, ready to run (a fresh connection per call: no shared sessions)."""
    headers = {**SIMULATOR_AUTH, "Content-Type": "application/json", "Connection": "close"}
    return lambda: requests.post(server.url + path, json=body, headers=headers, timeout=10)


def register(server: LiveServer, name: str) -> Callable[[], requests.Response]:
    return api(server, "/register", {"username": name, "email": f"{name}@x", "pwd": "p"})


def follows(server: LiveServer, user: str) -> list[str]:
    url = f"{server.url}/fllws/{user}"
    names: list[str] = requests.get(url, headers=SIMULATOR_AUTH, timeout=5).json()["follows"]
    return names


def test_one_username_registered_by_many_at_once_has_one_winner(server: LiveServer) -> None:
    for round_number in range(3):
        responses = at_once([register(server, f"racer{round_number}")] * RACERS)
        statuses = Counter(r.status_code for r in responses)
        assert statuses == {204: 1, 400: RACERS - 1}, statuses
        assert all(r.json()["error_msg"] == TAKEN for r in responses if r.status_code == 400)


def test_follows_and_unfollows_of_one_pair_at_once_stay_consistent(server: LiveServer) -> None:
    for name in ("a", "b"):
        assert register(server, name)().status_code == 204
    follow, unfollow = (
        api(server, "/fllws/a", {"follow": "b"}),
        api(server, "/fllws/a", {"unfollow": "b"}),
    )

    assert {r.status_code for r in at_once([follow] * RACERS)} == {204}
    assert follows(server, "a") == ["b"]  # one row, however many won the insert
    assert {r.status_code for r in at_once([unfollow] * RACERS)} == {204}
    assert follows(server, "a") == []
    mixed = at_once([follow, unfollow] * (RACERS // 2))
    assert {r.status_code for r in mixed} == {204}
    assert follows(server, "a") in ([], ["b"])
    assert follow().status_code == 204
    assert follows(server, "a") == ["b"]


def test_many_writers_at_once_on_sqlite_never_surface_a_lock(tmp_path: Path) -> None:
    with live_minitwit(tmp_path, {"SECRET_KEY": "race-key"}, workers=4) as server:
        writers = [f"writer{n}" for n in range(8)]
        for name in writers:
            assert register(server, name)().status_code == 204
        posts_each = 15

        def write(name: str) -> Callable[[], requests.Response]:
            def run() -> requests.Response:
                session = requests.Session()
                headers = {**SIMULATOR_AUTH, "Content-Type": "application/json"}
                last = None
                for n in range(posts_each):
                    url = f"{server.url}/msgs/{name}"
                    last = session.post(url, json={"content": f"{n}"}, headers=headers, timeout=10)
                    assert last.status_code == 204, last.text
                    other = writers[(writers.index(name) + n) % len(writers)]
                    url = f"{server.url}/fllws/{name}"
                    last = session.post(url, json={"follow": other}, headers=headers, timeout=10)
                    assert last.status_code == 204, last.text
                assert last is not None
                return last

            return run

        responses = at_once([write(name) for name in writers] * 2)
        assert {r.status_code for r in responses} == {204}
        everyone = requests.get(
            server.url + "/msgs", params={"no": 1000}, headers=SIMULATOR_AUTH, timeout=5
        ).json()
        assert len(everyone) == 2 * len(writers) * posts_each
        log = server.output()
    assert "database is locked" not in log and "unavailable" not in log
