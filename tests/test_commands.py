"""One table names the simulator's commands: the API's routes and the OpenAPI follow it."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask, Response, request

from minitwit import api, commands, events

from .conftest import SIMULATOR_AUTH


def declared(app: Flask) -> dict[str, list[tuple[str, str]]]:
    """Each declared command with the (method, rule) pairs of the routes whose view declares it."""
    found: dict[str, list[tuple[str, str]]] = {}
    for rule in app.url_map.iter_rules():
        names = getattr(app.view_functions[rule.endpoint], "simulator_commands", ())
        for name in names:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                found.setdefault(name, []).append((method, rule.rule))
    return found


def test_every_command_is_declared_by_the_route_the_table_names(app: Flask) -> None:
    routes = declared(app)
    # POST /register is the web form's route; it hands JSON bodies to api.register.
    routes["register"] = [("POST", "/register")] if api.register.simulator_commands else []
    assert set(routes) == set(commands.BY_NAME)
    for command in commands.COMMANDS:
        assert routes[command.name] == [(command.method, command.route)], command.name


def test_every_command_is_in_the_openapi_document(app: Flask) -> None:
    document = json.loads(api.openapi_document())
    for command in commands.COMMANDS:
        path = re.sub(r"<(\w+)>", r"{\1}", command.route)
        assert command.method.lower() in document["paths"].get(path, {}), command.name


def test_a_command_missing_from_the_table_is_refused_where_it_is_declared() -> None:
    with pytest.raises(ValueError, match="retweet"):
        api.simulator_command("retweet")


def test_a_view_notes_its_command_and_latest_on_its_own_request(app: Flask) -> None:
    seen: list[dict[str, object]] = []

    @app.after_request
    def read_facts(response: Response) -> Response:
        seen.append(dict(events.noted(request.environ)))
        return response

    client = app.test_client()
    client.post("/fllws/nobody?latest=7", json={"unfollow": "x"}, headers=SIMULATOR_AUTH)
    client.get("/public")
    assert seen == [{"command": "unfollow", "latest": 7}, {}]
