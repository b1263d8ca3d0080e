"""Fixtures in the flaskr style: app, client, runner, auth; plus real servers.

Every behaviour test runs twice, on SQLite and on a real PostgreSQL that the
harness starts from the installed binaries. Without PostgreSQL those runs skip
with the reason; ``MINITWIT_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) makes them fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

from devtools.live import LiveServer, live_minitwit
from devtools.postgres import PostgresServer, PostgresUnavailable, start_postgres
from devtools.simulator import SIMULATOR_AUTH
from minitwit import create_app, migrations
from minitwit.db import connect, database
from minitwit.models import MODELS


def throwaway_postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL for a fixture to yield from: skipped without the binaries,
    failed instead when ``MINITWIT_REQUIRE_POSTGRES=1``; stopped and removed afterwards."""
    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        if os.environ.get("MINITWIT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here: {exc}")
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the whole test session."""
    yield from throwaway_postgres()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """One migrated test database; tests empty it before they start."""
    url = postgres_server.create_database("minitwit_tests")
    db = connect(url)
    migrations.upgrade(db)
    db.close_all()
    return url


def empty_postgres(url: str) -> None:
    db = connect(url)
    with db.bind_ctx(MODELS), db.connection_context():
        for model in MODELS:
            model.truncate_table(restart_identity=True, cascade=True)
    db.close_all()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database: a new SQLite file, or an emptied PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'minitwit.sqlite'}"
        db = connect(url)
        migrations.upgrade(db)
        db.close()
        return url
    url = request.getfixturevalue("postgres_url")
    empty_postgres(url)
    return url


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """An application on a fresh database."""
    application = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-only-key"}
    )
    yield application
    if hasattr(database.obj, "close_all"):
        database.close_all()
    else:
        database.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class AuthActions:
    """Register, log in and log out through the web forms."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def register(
        self,
        username: str = "foo",
        password: str = "default",
        password2: str | None = None,
        email: str | None = None,
    ) -> TestResponse:
        return self._client.post(
            "/register",
            data={
                "username": username,
                "password": password,
                "password2": password if password2 is None else password2,
                "email": email if email is not None else f"{username}@example.com",
            },
            follow_redirects=True,
        )

    def login(self, username: str = "foo", password: str = "default") -> TestResponse:
        return self._client.post(
            "/login", data={"username": username, "password": password}, follow_redirects=True
        )

    def register_and_login(self, username: str = "foo", password: str = "default") -> TestResponse:
        self.register(username, password)
        return self.login(username, password)

    def logout(self) -> TestResponse:
        return self._client.get("/logout", follow_redirects=True)


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


class Simulator:
    """The course simulator's requests, through the test client."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def register(self, username: str, latest: int | None = None, **extra: object) -> TestResponse:
        body = {"username": username, "email": f"{username}@example.com", "pwd": "pw", **extra}
        return self.client.post("/register", json=body, query_string=_latest(latest))

    def tweet(self, username: str, content: str, latest: int | None = None) -> TestResponse:
        return self.client.post(
            f"/msgs/{username}",
            json={"content": content},
            headers=SIMULATOR_AUTH,
            query_string=_latest(latest),
        )

    def follow(
        self, who: str, whom: str, latest: int | None = None, action: str = "follow"
    ) -> TestResponse:
        return self.client.post(
            f"/fllws/{who}",
            json={action: whom},
            headers=SIMULATOR_AUTH,
            query_string=_latest(latest),
        )

    def get(self, path: str, **query: object) -> TestResponse:
        return self.client.get(path, headers=SIMULATOR_AUTH, query_string=query)

    def latest(self) -> int:
        return int(self.client.get("/latest").get_json()["latest"])


def _latest(latest: int | None) -> dict[str, int]:
    return {} if latest is None else {"latest": latest}


@pytest.fixture
def sim(client: FlaskClient) -> Simulator:
    return Simulator(client)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A real ``minitwit serve`` (gunicorn, 2 workers) on a fresh SQLite database."""
    with live_minitwit(tmp_path, {"SECRET_KEY": "live-test-key"}) as server:
        yield server
