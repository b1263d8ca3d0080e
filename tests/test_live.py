"""End-to-end against a live ``minitwit serve``: real gunicorn, real sockets."""

from __future__ import annotations

import itertools
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devtools.live import LiveServer, live_minitwit
from devtools.postgres import PostgresServer

from .conftest import SIMULATOR_AUTH

pytestmark = pytest.mark.live

SIMULATOR_HEADERS = {"Connection": "close", "Content-Type": "application/json", **SIMULATOR_AUTH}
_databases = itertools.count()


def call(server: LiveServer, method: str, path: str, **kwargs: object) -> requests.Response:
    return requests.request(
        method, server.url + path, headers=SIMULATOR_HEADERS, timeout=5, **kwargs
    )  # type: ignore[arg-type]


def latest(server: LiveServer) -> int:
    return int(requests.get(server.url + "/latest", timeout=5).json()["latest"])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_live_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    """A live server on SQLite or on the throwaway PostgreSQL."""
    env = {"SECRET_KEY": "live-test-key"}
    if request.param == "postgres":
        postgres: PostgresServer = request.getfixturevalue("postgres_server")
        env["DATABASE_URL"] = postgres.create_database(f"live_{next(_databases)}")
    with live_minitwit(tmp_path, env) as server:
        yield server


def test_simulator_flow_with_latest_after_each_step(any_live_server: LiveServer) -> None:
    server = any_live_server
    steps = [
        ("POST", "/register", {"username": "a", "email": "a@a", "pwd": "a"}, 204),
        ("POST", "/register", {"username": "b", "email": "b@b", "pwd": "b"}, 204),
        ("POST", "/msgs/a", {"content": "Blub!"}, 204),
        ("POST", "/fllws/a", {"follow": "b"}, 204),
        ("POST", "/fllws/a", {"unfollow": "b"}, 204),
        ("POST", "/fllws/a", {"follow": "b"}, 204),
    ]
    for action_id, (method, path, body, status) in enumerate(steps, start=1):
        response = call(server, method, path, json=body, params={"latest": action_id})
        assert response.status_code == status, (path, response.text)
        assert latest(server) == action_id
    messages = call(server, "GET", "/msgs/a", params={"no": 20, "latest": 7}).json()
    assert [m["content"] for m in messages] == ["Blub!"]
    assert call(server, "GET", "/fllws/a", params={"latest": 8}).json() == {"follows": ["b"]}
    assert latest(server) == 8


def test_simultaneous_registrations_give_one_success_one_taken(
    any_live_server: LiveServer,
) -> None:
    outcomes: Counter[tuple[int, str]] = Counter()
    lock = threading.Lock()
    for round_number in range(8):
        barrier = threading.Barrier(2)
        name = f"racer{round_number}"

        def register(name: str = name, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            response = call(
                any_live_server,
                "POST",
                "/register",
                json={"username": name, "email": "r@r", "pwd": "p"},
            )
            with lock:
                outcomes[(response.status_code, response.text)] += 1

        threads = [threading.Thread(target=register) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    taken = (400, '{"error_msg":"The username is already taken","status":400}\n')
    assert outcomes == {(204, ""): 8, taken: 8}


def test_latest_is_shared_by_workers_and_survives_restart(tmp_path: Path) -> None:
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, workers=2) as server:
        call(
            server,
            "POST",
            "/register",
            json={"username": "a", "email": "a@a", "pwd": "a"},
            params={"latest": 41},
        )
        seen = {latest(server) for _ in range(20)}
        assert seen == {41}
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, workers=2) as server:
        assert latest(server) == 41
        assert call(server, "GET", "/msgs/a").status_code == 200


def test_serve_prints_url_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, workers=1) as server:
        assert f"MiniTwit is serving on {server.url}/" in server.output()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=20) == 0
    assert "schema" in server.output()


def test_no_debugger_or_traceback_over_the_wire(live_server: LiveServer) -> None:
    response = requests.post(
        live_server.url + "/msgs/a", data=b"\xff", headers=SIMULATOR_HEADERS, timeout=5
    )
    assert response.status_code in {400, 404}
    assert "Traceback" not in response.text
    assert "Werkzeug Debugger" not in requests.get(live_server.url + "/console", timeout=5).text


def test_long_request_lines_reach_the_app_and_overlong_ones_get_a_bare_4xx(
    live_server: LiveServer,
) -> None:
    """granian passes request lines far past gunicorn's 8190 bytes; past 64 KiB it says 414."""
    long_but_allowed = requests.get(f"{live_server.url}/msgs?no={'0' * 9000}1", timeout=5)
    assert long_but_allowed.status_code == 403  # reached the app (no credentials)
    refused = requests.get(f"{live_server.url}/msgs?no={'0' * 70_000}1", timeout=5)
    assert refused.status_code == 414
    assert refused.text == ""
