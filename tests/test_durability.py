"""A 204 means committed: ``kill -9`` of the whole server loses no acknowledged action.

Clients post tweets and follow/unfollow while the server (master and workers, one process
group that the test started) is killed with SIGKILL; a new server on the same database
must show every action that was answered 204.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from devtools.live import LiveServer, live_minitwit
from devtools.postgres import PostgresServer

from .conftest import SIMULATOR_AUTH

pytestmark = pytest.mark.live

CLIENTS = 6
TARGETS = 4  # users each client follows and unfollows in turn
TRAFFIC_SECONDS = 1.0  # of writes before the kill
_databases = itertools.count()


@dataclass
class Client:
    """One client's user, and what the server acknowledged (in order) or left unanswered."""

    user: str
    tweets: list[str] = field(default_factory=list)
    follows: dict[str, bool] = field(default_factory=dict)  # target -> followed, acknowledged
    unanswered: str | None = None  # the follow target of the last request, when it got no 204


def post(session: requests.Session, url: str, body: dict[str, str]) -> int:
    headers = {**SIMULATOR_AUTH, "Content-Type": "application/json"}
    return session.post(url, json=body, headers=headers, timeout=5).status_code


def write_until_killed(base: str, client: Client, stop: threading.Event) -> None:
    """Alternate tweets and follow changes, recording each 204, until the server dies."""
    session = requests.Session()
    for step in itertools.count():
        if stop.is_set():
            return
        target = f"target{step % TARGETS}"
        try:
            if step % 2 == 0:
                text = f"{client.user} {step}"
                if post(session, f"{base}/msgs/{client.user}", {"content": text}) == 204:
                    client.tweets.append(text)
            else:
                action = "unfollow" if client.follows.get(target) else "follow"
                client.unanswered = target
                if post(session, f"{base}/fllws/{client.user}", {action: target}) == 204:
                    client.follows[target] = action == "follow"
                    client.unanswered = None
        except requests.RequestException:
            return  # the server is gone: what follows is not acknowledged


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """Settings for a server on a fresh SQLite file or PostgreSQL database."""
    env = {"SECRET_KEY": "durability-key"}
    if request.param == "postgres":
        postgres: PostgresServer = request.getfixturevalue("postgres_server")
        env["DATABASE_URL"] = postgres.create_database(f"durable_{next(_databases)}")
    return env


@pytest.fixture
def killed_under_load(tmp_path: Path, server_env: dict[str, str]) -> Iterator[list[Client]]:
    """Clients' acknowledged actions; the server they talked to was SIGKILLed mid-traffic."""
    clients = [Client(f"writer{n}") for n in range(CLIENTS)]
    with live_minitwit(tmp_path, server_env, new_session=True) as server:
        for name in [c.user for c in clients] + [f"target{n}" for n in range(TARGETS)]:
            body = {"username": name, "email": f"{name}@x", "pwd": "p"}
            assert requests.post(server.url + "/register", json=body, timeout=5).status_code == 204
        stop = threading.Event()
        threads = [
            threading.Thread(target=write_until_killed, args=(server.url, client, stop))
            for client in clients
        ]
        for thread in threads:
            thread.start()
        try:
            time.sleep(TRAFFIC_SECONDS)
            kill_group(server)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
        with pytest.raises(requests.ConnectionError):  # no worker outlived the kill
            requests.get(server.url + "/healthz", timeout=2)
    yield clients


def kill_group(server: LiveServer) -> None:
    """SIGKILL the process group the test started (its id is the server's PID)."""
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while _alive(server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def _alive(group: int) -> bool:
    """Whether a process of ``group`` still runs (zombies awaiting their reaper do not)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == group and fields[0] != "Z":  # fields: state, ppid, pgrp
            return True
    return False


def test_every_acknowledged_write_survives_kill_9(
    killed_under_load: list[Client], tmp_path: Path, server_env: dict[str, str]
) -> None:
    clients = killed_under_load
    acknowledged = sum(len(c.tweets) + len(c.follows) for c in clients)
    assert acknowledged >= CLIENTS * 3, "too little traffic before the kill to mean anything"
    with live_minitwit(tmp_path, server_env) as server:
        headers = SIMULATOR_AUTH
        for client in clients:
            url = f"{server.url}/msgs/{client.user}"
            stored = {
                m["content"]
                for m in requests.get(url, params={"no": 10_000}, headers=headers, timeout=5).json()
            }
            missing = [text for text in client.tweets if text not in stored]
            assert not missing, f"acknowledged tweets lost: {missing}"
            url = f"{server.url}/fllws/{client.user}"
            followed = set(requests.get(url, headers=headers, timeout=5).json()["follows"])
            for target, following in client.follows.items():
                if target != client.unanswered:  # an unanswered change may or may not be in
                    assert (target in followed) == following, (client.user, target)
    print(f"{acknowledged} acknowledged actions, none lost")
