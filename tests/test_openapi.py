"""``/openapi.json`` is a valid OpenAPI 3.1 document that real responses satisfy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.test import TestResponse

from .conftest import SIMULATOR_AUTH, Simulator

URI = "urn:minitwit:openapi"


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return json.loads(response.data)


def check(document: dict[str, Any], template: str, method: str, response: TestResponse) -> None:
    """Fail unless the document lists this status for the operation and the body matches."""
    operation = document["paths"][template][method.lower()]
    described = operation["responses"].get(str(response.status_code))
    status = response.status_code
    assert described is not None, f"{method} {template} answered undocumented {status}"
    if "$ref" in described:
        described = document["components"]["responses"][described["$ref"].rsplit("/", 1)[1]]
    if "content" not in described:
        assert response.data == b""
        return
    schema = described["content"]["application/json"]["schema"]
    registry = Registry().with_resource(
        URI, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    wrapped = json.loads(json.dumps(schema).replace('"#/', f'"{URI}#/'))  # absolute refs
    Draft202012Validator(wrapped, registry=registry).validate(response.get_json())


def test_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["simulator"]["scheme"] == "basic"


def test_real_responses_match_the_document(
    document: dict[str, Any], client: FlaskClient, sim: Simulator
) -> None:
    check(document, "/latest", "GET", client.get("/latest"))
    check(document, "/register", "POST", sim.register("a", latest=1))
    check(document, "/register", "POST", sim.register("a"))
    check(
        document,
        "/register",
        "POST",
        client.post("/register", data=b"x", content_type="application/json"),
    )
    sim.register("b")
    check(document, "/latest", "GET", client.get("/latest"))
    check(document, "/msgs/{username}", "POST", sim.tweet("a", "hello"))
    check(document, "/msgs/{username}", "POST", sim.tweet("nobody", "hello"))
    check(
        document,
        "/msgs/{username}",
        "POST",
        client.post("/msgs/a", json={"content": None}, headers=SIMULATOR_AUTH),
    )
    check(document, "/msgs", "GET", sim.get("/msgs", no=5))
    check(document, "/msgs", "GET", sim.get("/msgs", no="x"))
    check(document, "/msgs", "GET", client.get("/msgs"))
    check(document, "/msgs/{username}", "GET", sim.get("/msgs/a"))
    check(document, "/msgs/{username}", "GET", sim.get("/msgs/nobody"))
    check(document, "/msgs/{username}", "GET", client.get("/msgs/a"))
    check(document, "/fllws/{username}", "POST", sim.follow("a", "b"))
    check(document, "/fllws/{username}", "POST", sim.follow("a", "nobody"))
    check(
        document,
        "/fllws/{username}",
        "POST",
        client.post("/fllws/a", json={}, headers=SIMULATOR_AUTH),
    )
    check(document, "/fllws/{username}", "GET", sim.get("/fllws/a"))
    check(document, "/fllws/{username}", "GET", sim.get("/fllws/nobody"))
    check(document, "/fllws/{username}", "GET", client.get("/fllws/a"))


def test_a_wrong_body_fails_the_check(document: dict[str, Any], sim: Simulator) -> None:
    """The check itself can fail: a message list where the document says an object."""
    from jsonschema import ValidationError

    sim.register("a")
    sim.tweet("a", "x")
    wrong = sim.get("/msgs")
    with pytest.raises(ValidationError):
        check(document, "/fllws/{username}", "GET", wrong)
