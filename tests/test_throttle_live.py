"""Workers and replicas share one throttle count: real `minitwit serve` processes, real sockets.

A per-process count would let each worker or replica allow the limit on its own; these tests
send the failures through several of them and expect the lock at the limit, not later.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from devtools.live import LiveServer, live_minitwit
from devtools.postgres import PostgresServer

pytestmark = pytest.mark.live

WINDOW = 2  # seconds: the lock the tests wait out


def sign_up(server: LiveServer, username: str, password: str) -> None:
    body = {"username": username, "email": f"{username}@x.org", "pwd": password}
    assert requests.post(server.url + "/register", json=body, timeout=10).status_code == 204


def login(server: LiveServer, username: str, password: str) -> int:
    form = {"username": username, "password": password}
    answer = requests.post(
        server.url + "/login",
        data=form,
        headers={"Connection": "close"},
        allow_redirects=False,
        timeout=10,
    )
    return answer.status_code


def failure_pids(*servers: LiveServer) -> set[int]:
    lines = [line for s in servers for line in s.output().splitlines() if line[:1] == "{"]
    return {e["pid"] for e in map(json.loads, lines) if e.get("event") == "login_failed"}


def settings(limit: int, **extra: str) -> dict[str, str]:
    return {
        "SECRET_KEY": "shared-live-key",
        "LOG_FORMAT": "json",
        "LOGIN_FAILURES_PER_ACCOUNT": str(limit),
        "THROTTLE_WINDOW": str(WINDOW),
        **extra,
    }


def test_two_workers_share_the_count(tmp_path: Path) -> None:
    limit = 8
    with live_minitwit(tmp_path, settings(limit), workers=2) as server:
        sign_up(server, "alice", "right")
        # At once: each failure holds a worker while its password is hashed, so both serve.
        with ThreadPoolExecutor(limit) as pool:
            statuses = list(pool.map(lambda i: login(server, "alice", f"guess-{i}"), range(limit)))
        assert statuses == [200] * limit
        assert len(failure_pids(server)) == 2, "the failures did not reach both workers"
        assert login(server, "alice", "guess-again") == 429
        assert login(server, "alice", "right") == 429
        time.sleep(WINDOW + 0.2)
        assert login(server, "alice", "right") == 302


@pytest.mark.postgres
def test_two_replicas_on_one_postgresql_share_the_count(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database("throttle_replicas")
    env = settings(4, DATABASE_URL=url)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    with (
        live_minitwit(tmp_path / "a", env, workers=1) as first,
        live_minitwit(tmp_path / "b", env, workers=1) as second,
    ):
        sign_up(first, "alice", "right")
        replicas = (first, second)
        assert [login(replicas[i % 2], "alice", f"guess-{i}") for i in range(4)] == [200] * 4
        assert len(failure_pids(first, second)) == 2
        assert [login(replica, "alice", "right") for replica in replicas] == [429, 429]
        time.sleep(WINDOW + 0.2)
        assert [login(replica, "alice", "right") for replica in replicas] == [302, 302]
