"""The SQLite handle: WAL mode, one connection kept per worker, checkpoints after responses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from minitwit import create_app, db, migrations

from .conftest import SIMULATOR_AUTH


def sqlite_app(path: Path) -> Flask:
    url = f"sqlite:///{path}"
    handle = db.connect(url)
    migrations.upgrade(handle)
    handle.close()
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "k"})


def in_database_file(path: Path) -> list[tuple[str]]:
    """Usernames in the database file itself, ignoring what only the WAL holds."""
    raw = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return raw.execute("SELECT username FROM user ORDER BY username").fetchall()
    finally:
        raw.close()


def register(client: FlaskClient, name: str) -> None:
    body = {"username": name, "email": f"{name}@x", "pwd": "p"}
    response = client.post("/register", json=body, headers=SIMULATOR_AUTH)
    assert response.status_code == 204


def test_the_wal_is_checkpointed_after_every_nth_response(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "CHECKPOINT_EVERY", 2)
    path = tmp_path / "minitwit.sqlite"
    client = sqlite_app(path).test_client()
    register(client, "alice")
    assert in_database_file(path) == []  # committed, but only in the WAL so far
    register(client, "bob")  # the 2nd response: checkpointed once it was closed
    assert in_database_file(path) == [("alice",), ("bob",)]
    db.database.close()


def test_the_connection_stays_open_between_requests(tmp_path: Path) -> None:
    """Closing the last connection to a WAL database checkpoints and syncs it every time."""
    client = sqlite_app(tmp_path / "minitwit.sqlite").test_client()
    assert client.get("/latest").status_code == 200
    connection = db.database.connection()
    assert client.get("/latest").status_code == 200
    assert db.database.connection() is connection
    assert db.database.execute_sql("PRAGMA journal_mode").fetchone() == ("wal",)
    db.database.close()
