"""Regressions for what the scanners found in the app (each test names its finding)."""

from __future__ import annotations

import json
import re

import pytest
from flask.testing import FlaskClient

from devtools.simulator import SIMULATOR_AUTH

JSON = {"Content-Type": "application/json"}


def openapi(client: FlaskClient) -> dict:
    return json.loads(client.get("/openapi.json").data)


def test_register_without_body_is_a_json_400_not_the_html_form(client: FlaskClient) -> None:
    """Schemathesis ST201/ST103: a bodiless POST /register got the HTML form page with 200."""
    response = client.post("/register")
    assert response.status_code == 400
    assert response.is_json
    assert response.get_json() == {
        "status": 400,
        "error_msg": "The request body must be a JSON object",
    }


def test_register_with_json_but_no_json_content_type_is_the_api(client: FlaskClient) -> None:
    body = json.dumps({"username": "ann", "email": "ann@example.org", "pwd": "pw"})
    response = client.post("/register", data=body, headers={"Content-Type": "text/plain"})
    assert response.status_code == 204


def test_register_form_post_still_renders_the_form(client: FlaskClient) -> None:
    response = client.post("/register", data={"username": ""})
    assert response.status_code == 200
    assert b"You have to enter a username" in response.data


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/msgs/ann", {"content": "a\u0000b"}, "content"),
        ("/fllws/ann", {"follow": "b\u0000"}, "follow"),
    ],
)
def test_nul_characters_are_refused_as_the_openapi_says(
    client: FlaskClient, path: str, body: dict, field: str
) -> None:
    """Schemathesis ST202: strings with NUL were 'valid' in the document but refused with 400."""
    client.post("/register", json={"username": "ann", "email": "a@b", "pwd": "x"})
    schemas = openapi(client)["components"]["schemas"]
    schema_name = "NewMessage" if field == "content" else "FollowChange"
    pattern = schemas[schema_name]["properties"][field]["pattern"]
    assert re.search(pattern, body[field]) is None  # the document refuses it ...
    response = client.post(path, json=body, headers=SIMULATOR_AUTH)
    assert response.status_code == 400  # ... and so does the app
    assert "NUL" in response.get_json()["error_msg"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", ""),
        ("username", " ann"),
        ("username", "a/b"),
        ("email", "no-at-sign"),
        ("pwd", ""),
    ],
)
def test_registration_values_the_document_refuses_are_refused(
    client: FlaskClient, field: str, value: str
) -> None:
    properties = openapi(client)["components"]["schemas"]["Registration"]["properties"]
    rule = properties[field]
    refused_by_document = len(value) < rule.get("minLength", 0) or (
        "pattern" in rule and re.search(rule["pattern"], value) is None
    )
    assert refused_by_document
    body = {"username": "ann", "email": "ann@example.org", "pwd": "pw"} | {field: value}
    assert client.post("/register", json=body).status_code == 400


def test_follow_change_needs_exactly_one_action(client: FlaskClient) -> None:
    """The simplified FollowChange schema (oneOf of required keys) matches the app."""
    schema = openapi(client)["components"]["schemas"]["FollowChange"]
    assert [branch["required"] for branch in schema["oneOf"]] == [["follow"], ["unfollow"]]
    client.post("/register", json={"username": "ann", "email": "a@b", "pwd": "x"})
    response = client.post(
        "/fllws/ann",
        json={"follow": "ann", "unfollow": "ann"},
        headers=SIMULATOR_AUTH,
    )
    assert response.status_code == 400


def test_shortest_email_the_app_accepts_is_valid_in_the_document(client: FlaskClient) -> None:
    """`nox -s fuzz` (seed 7) ST201: "0@" got 204 though the document said minLength 3."""
    rule = openapi(client)["components"]["schemas"]["Registration"]["properties"]["email"]
    assert len("0@") >= rule["minLength"] and re.search(rule["pattern"], "0@")
    response = client.post("/register", json={"username": "zed", "email": "0@", "pwd": "x"})
    assert response.status_code == 204
