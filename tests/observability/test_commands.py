"""Adding a simulator command takes its row in minitwit.commands and its view, nothing else.

The worked example of docs/observability.md ("How a request is observed"): a new route
``GET /followers/<username>`` declares ``followers_user``; metrics, the log line, JSON
errors and the simulator's error accounting follow without touching telemetry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Blueprint, Flask, Response, jsonify
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from minitwit import api, commands, create_app

from ..conftest import SIMULATOR_AUTH

NEW = commands.Command("followers_user", "GET", "/followers/<username>")


@pytest.fixture
def client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """An app whose table has one more row, and one more view that declares it."""
    monkeypatch.setattr(commands, "COMMANDS", (*commands.COMMANDS, NEW))
    monkeypatch.setattr(commands, "BY_NAME", {**commands.BY_NAME, NEW.name: NEW})
    app: Flask = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test"})
    extra = Blueprint("extra", __name__)

    @extra.get(NEW.route)
    @api.simulator_command(NEW.name)
    @api.records_latest
    @api.simulator_only
    def followers(username: str) -> Response:
        return jsonify({"followers": [], "of": api.known_user(username).username})

    app.register_blueprint(extra)
    yield app.test_client()


def count(command: str, code_class: str) -> float:
    labels = {"command": command, "code_class": code_class}
    return REGISTRY.get_sample_value("minitwit_simulator_requests_total", labels) or 0.0


def status_errors(command: str) -> float:
    labels = {"command": command, "reason": "status"}
    return REGISTRY.get_sample_value("minitwit_simulator_errors_total", labels) or 0.0


def test_a_new_command_is_counted_logged_and_judged(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {code: count(NEW.name, code) for code in ("2xx", "4xx")}
    errors_before = status_errors(NEW.name)
    assert (
        client.post("/register", json={"username": "ann", "email": "a@x", "pwd": "p"}).status_code
        == 204
    )
    capsys.readouterr()
    assert client.get("/followers/ann?latest=77", headers=SIMULATOR_AUTH).status_code == 200
    unknown = client.get("/followers/nobody", headers=SIMULATOR_AUTH)
    assert unknown.status_code == 404
    assert unknown.get_json()["status"] == 404  # the API's JSON error shape, by its path
    assert count(NEW.name, "2xx") - before["2xx"] == 1
    assert count(NEW.name, "4xx") - before["4xx"] == 1
    assert status_errors(NEW.name) - errors_before == 1  # the simulator expects 200
    assert REGISTRY.get_sample_value("minitwit_latest") == 77
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "{" in line]
    logged = [line for line in lines if line.get("route") == NEW.route]
    assert [(line["command"], line.get("latest")) for line in logged] == [
        (NEW.name, 77),
        (NEW.name, None),
    ]
