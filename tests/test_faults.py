"""The app under database faults: a quick 503, live probes, and recovery with no restart.

PostgreSQL faults act on a server of this module's own (stopped with ``pg_ctl stop -m
fast`` and restarted on the same data directory and port), never on the session's shared
one. SQLite faults hold the write lock from a second connection, as another process would.
"""

from __future__ import annotations

import itertools
import json
import socket
import sqlite3
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client import REGISTRY
from werkzeug.test import TestResponse

from devtools.live import live_minitwit
from devtools.postgres import PostgresServer
from minitwit import config, create_app, migrations
from minitwit.db import connect, database
from minitwit.errors import RETRY_AFTER_SECONDS, UNAVAILABLE

from .conftest import SIMULATOR_AUTH, throwaway_postgres
from .test_openapi import check

SIMULATOR_BUDGET = 0.3  # seconds the course's simulator waits for an answer
RECOVERY_BOUND = 5.0  # seconds after the database is back by which requests succeed again
_names = itertools.count()


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server that only this module stops and restarts."""
    yield from throwaway_postgres()


@contextmanager
def stopped(server: PostgresServer) -> Iterator[None]:
    """PostgreSQL stopped (``-m fast``: sessions terminated) until the block ends."""
    server._run("pg_ctl", "-D", str(server.data), "-m", "fast", "-w", "stop")
    try:
        yield
    finally:  # `restart` of a stopped server starts it with the options it last ran with
        log = str(server.root / "server.log")
        server._run("pg_ctl", "-D", str(server.data), "-l", log, "-w", "-t", "60", "restart")


def migrated_database(server: PostgresServer) -> str:
    """A fresh, migrated database on ``server``; its URL."""
    url = server.create_database(f"faults_{next(_names)}")
    handle = connect(url)
    migrations.upgrade(handle)
    handle.close_all()
    return url


@contextmanager
def application(url: str, **settings: Any) -> Iterator[Flask]:
    """An in-process app on ``url``; every pooled connection closed afterwards."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "k", **settings})
    try:
        yield app
    finally:
        if hasattr(database.obj, "close_all"):
            database.close_all()
        else:
            database.close()


def tweet(client: FlaskClient, user: str = "a", latest: int | None = None) -> TestResponse:
    query = {} if latest is None else {"latest": latest}
    body = {"content": "hello"}
    return client.post(f"/msgs/{user}", json=body, headers=SIMULATOR_AUTH, query_string=query)


def register(client: FlaskClient, *names: str) -> None:
    for name in names:
        body = {"username": name, "email": f"{name}@x", "pwd": "p"}
        assert client.post("/register", json=body).status_code == 204


def timed(call: Callable[[], TestResponse]) -> tuple[TestResponse, float]:
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


def unavailable_count(reason: str) -> float:
    value = REGISTRY.get_sample_value("minitwit_database_unavailable_total", {"reason": reason})
    return value or 0.0


def log_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def assert_api_unavailable(response: TestResponse | requests.Response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.content if hasattr(response, "content") else response.data) == {
        "status": 503,
        "error_msg": UNAVAILABLE,
    }


def recover(attempt: Callable[[], int], expected: int, bound: float = RECOVERY_BOUND) -> float:
    """Seconds until ``attempt`` answers ``expected``; fail past ``bound``."""
    started = time.monotonic()
    while (status := attempt()) != expected:
        assert time.monotonic() - started < bound, f"still {status} after {bound} s"
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.mark.postgres
def test_a_stopped_postgres_answers_503_at_once_and_the_same_app_recovers(
    own_postgres: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with application(migrated_database(own_postgres)) as app:
        client = app.test_client()
        register(client, "a")
        assert tweet(client).status_code == 204
        document = client.get("/openapi.json").get_json()
        before = unavailable_count("unreachable")
        capsys.readouterr()
        with stopped(own_postgres):
            answers = [timed(lambda i=i: tweet(client, latest=i)) for i in range(5)]
            for response, _seconds in answers:
                assert_api_unavailable(response)
                check(document, "/msgs/{username}", "POST", response)
            assert statistics.median(s for _r, s in answers) < SIMULATOR_BUDGET
            assert max(s for _r, s in answers) < 1.0

            page = client.get("/public")
            assert page.status_code == 503
            assert page.mimetype == "text/html"
            assert page.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
            assert UNAVAILABLE in page.text and "Traceback" not in page.text

            health, health_seconds = timed(lambda: client.get("/healthz"))
            assert health.status_code == 200 and health_seconds < SIMULATOR_BUDGET
            assert client.get("/readyz").status_code == 503
            assert unavailable_count("unreachable") == before + 6
            lines = log_lines(capsys.readouterr().out)

        recovered = recover(lambda: tweet(client).status_code, 204)
        assert client.get("/readyz").status_code == 200
        print(f"503 in {max(s for _r, s in answers) * 1000:.1f} ms, recovered in {recovered:.2f} s")
    outage = [line for line in lines if line["msg"] == "database unavailable"]
    assert len(outage) == 6
    assert {line["reason"] for line in outage} == {"unreachable"}
    assert all("stack" not in line and line["level"] == "warning" for line in outage)
    assert "Connection refused" in outage[0]["error"]


@pytest.mark.postgres
@pytest.mark.live
def test_a_live_server_serves_again_after_postgres_restarts(
    own_postgres: PostgresServer, tmp_path: Path
) -> None:
    env = {"SECRET_KEY": "k", "DATABASE_URL": migrated_database(own_postgres)}
    with live_minitwit(tmp_path, env) as server:
        session = requests.Session()

        def call(method: str, path: str, **kwargs: Any) -> requests.Response:
            headers = {**SIMULATOR_AUTH, "Content-Type": "application/json"}
            return session.request(method, server.url + path, headers=headers, timeout=10, **kwargs)

        body = {"username": "a", "email": "a@x", "pwd": "p"}
        assert call("POST", "/register", json=body).status_code == 204
        for _ in range(4):  # every worker holds pooled connections when the server stops
            assert call("POST", "/msgs/a", json={"content": "before"}).status_code == 204
        with stopped(own_postgres):
            slowest = 0.0
            for _ in range(4):
                started = time.perf_counter()
                response = call("POST", "/msgs/a", json={"content": "during"})
                slowest = max(slowest, time.perf_counter() - started)
                assert_api_unavailable(response)
            assert slowest < 1.0
            assert call("GET", "/healthz").status_code == 200
            assert call("GET", "/readyz").status_code == 503
            metrics = call("GET", "/metrics").text
        recovered = recover(
            lambda: call("POST", "/msgs/a", json={"content": "after"}).status_code, 204
        )
        after = [call("POST", "/msgs/a", json={"content": "after"}).status_code for _ in range(8)]
        assert after == [204] * 8  # no worker kept a dead pooled connection
        print(f"live: 503 within {slowest * 1000:.1f} ms, 204 {recovered:.2f} s after restart")
        contents = [m["content"] for m in call("GET", "/msgs/a", params={"no": 50}).json()]
        assert contents.count("before") == 4 and "during" not in contents
        assert 'minitwit_database_unavailable_total{reason="unreachable"} 4.0' in metrics
        log = server.output()
    assert log.count('"msg": "database unavailable"') == 4
    assert "Traceback" not in log


@contextmanager
def table_locked(url: str) -> Iterator[Any]:
    """Another session holds an exclusive lock on the user table until the block ends."""
    holder = connect(url)
    holder.connect()
    try:
        with holder.atomic():
            holder.execute_sql('LOCK TABLE "user" IN ACCESS EXCLUSIVE MODE')
            yield holder
    finally:
        holder.close_all()


@pytest.mark.postgres
def test_a_statement_that_hangs_answers_503_at_the_statement_timeout(
    own_postgres: PostgresServer,
) -> None:
    url = migrated_database(own_postgres)
    with application(url, DB_STATEMENT_TIMEOUT=0.5) as app:
        client = app.test_client()
        register(client, "a")
        before = unavailable_count("timeout")
        with table_locked(url):
            response, seconds = timed(lambda: tweet(client))
        assert_api_unavailable(response)
        assert 0.5 <= seconds < 2.0
        print(f"statement_timeout 0.5 s: 503 in {seconds * 1000:.0f} ms")
        assert unavailable_count("timeout") == before + 1
        assert tweet(client).status_code == 204


@pytest.mark.postgres
def test_a_connection_dropped_mid_statement_answers_503_and_is_not_reused(
    own_postgres: PostgresServer,
) -> None:
    url = migrated_database(own_postgres)
    with application(url, DB_STATEMENT_TIMEOUT=5.0) as app:
        client = app.test_client()
        register(client, "a")
        before = unavailable_count("connection_lost")
        answers: list[tuple[TestResponse, float]] = []
        with table_locked(url) as holder:
            waiting = threading.Thread(target=lambda: answers.append(timed(lambda: tweet(client))))
            waiting.start()
            try:
                killed = 0
                deadline = time.monotonic() + 5
                while not killed and time.monotonic() < deadline:
                    killed = holder.execute_sql(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                    ).fetchone()[0]
                    time.sleep(0.02)
            finally:
                waiting.join(timeout=10)
        assert killed == 1
        ((response, seconds),) = answers
        assert_api_unavailable(response)
        assert seconds < 2.0
        print(f"connection dropped: 503 {seconds * 1000:.0f} ms after the request started")
        assert unavailable_count("connection_lost") == before + 1
        assert tweet(client).status_code == 204


@pytest.mark.postgres
def test_a_server_that_never_answers_gives_503_after_the_connect_timeout() -> None:
    """A socket that listens but never speaks stands in for a black-holed database host."""
    with closing(socket.socket()) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/minitwit"
        with application(url, DB_CONNECT_TIMEOUT=2) as app:
            client = app.test_client()
            health, health_seconds = timed(lambda: client.get("/healthz"))
            response, seconds = timed(lambda: tweet(client))
            ready, ready_seconds = timed(lambda: client.get("/readyz"))
    assert health.status_code == 200 and health_seconds < SIMULATOR_BUDGET
    assert_api_unavailable(response)
    assert 1.9 <= seconds < 4.0
    print(f"silent server: 503 in {seconds:.2f} s, /readyz 503 in {ready_seconds:.2f} s")
    assert ready.status_code == 503 and ready_seconds < 4.0


@pytest.mark.postgres
def test_an_exhausted_pool_answers_503_after_the_bounded_wait(
    own_postgres: PostgresServer,
) -> None:
    with application(
        migrated_database(own_postgres), DB_POOL_SIZE=1, DB_STATEMENT_TIMEOUT=0.3
    ) as app:
        client = app.test_client()
        register(client, "a")
        taken, release = threading.Event(), threading.Event()

        def hold_the_only_connection() -> None:
            with database.connection_context():
                taken.set()
                release.wait(timeout=10)

        holder = threading.Thread(target=hold_the_only_connection)
        holder.start()
        try:
            assert taken.wait(timeout=5)
            before = unavailable_count("pool_exhausted")
            response, seconds = timed(lambda: tweet(client))
        finally:
            release.set()
            holder.join(timeout=10)
        assert_api_unavailable(response)
        assert 0.3 <= seconds < 2.0
        print(f"pool exhausted (wait 0.3 s): 503 in {seconds * 1000:.0f} ms")
        assert unavailable_count("pool_exhausted") == before + 1
        assert tweet(client).status_code == 204


def test_sqlite_locked_past_the_busy_timeout_answers_503_and_keeps_its_connection(
    tmp_path: Path,
) -> None:
    path = tmp_path / "minitwit.sqlite"
    url = f"sqlite:///{path}"
    handle = connect(url)
    migrations.upgrade(handle)
    handle.close()
    with application(url, DB_STATEMENT_TIMEOUT=0.2) as app:
        client = app.test_client()
        register(client, "a")
        connection = database.connection()
        before = unavailable_count("locked")
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # the write lock, as another worker's long write
            response, seconds = timed(lambda: tweet(client, latest=7))
            reading = client.get("/msgs/a", headers=SIMULATOR_AUTH)  # WAL: readers go on
        finally:
            other.rollback()
            other.close()
        assert_api_unavailable(response)
        assert 0.2 <= seconds < 1.0
        print(f"SQLite locked (busy_timeout 0.2 s): 503 in {seconds * 1000:.0f} ms")
        assert reading.status_code == 200
        assert unavailable_count("locked") == before + 1
        assert tweet(client).status_code == 204
        assert database.connection() is connection


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_STATEMENT_TIMEOUT", "soon"),
        ("DB_STATEMENT_TIMEOUT", "0"),
        ("DB_CONNECT_TIMEOUT", "1"),
        ("DB_CONNECT_TIMEOUT", "-5"),
    ],
)
def test_a_bad_timeout_setting_is_refused_with_its_name(
    name: str, value: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match=name):
        config.from_environ({"MINITWIT_INSTANCE_PATH": str(tmp_path), name: value})


def test_timeout_settings_are_read_in_seconds(tmp_path: Path) -> None:
    environ = {"DB_STATEMENT_TIMEOUT": "0.25", "DB_CONNECT_TIMEOUT": "3"}
    settings = config.from_environ({"MINITWIT_INSTANCE_PATH": str(tmp_path), **environ})
    assert (settings["DB_STATEMENT_TIMEOUT"], settings["DB_CONNECT_TIMEOUT"]) == (0.25, 3)
