"""Bad input gets a clear 4xx (JSON on the API), never a 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from minitwit import MAX_BODY_BYTES

from .conftest import SIMULATOR_AUTH, AuthActions, Simulator

JSON = {"Content-Type": "application/json", **SIMULATOR_AUTH}


@pytest.fixture
def user_a(sim: Simulator) -> str:
    assert sim.register("a").status_code == 204
    assert sim.register("b").status_code == 204
    return "a"


def assert_json_error(response: object, status: int, fragment: str = "") -> None:
    assert response.status_code == status, response.data  # type: ignore[attr-defined]
    body = response.get_json()  # type: ignore[attr-defined]
    assert set(body) == {"status", "error_msg"}
    assert body["status"] == status
    assert fragment in body["error_msg"]


@pytest.mark.parametrize(
    ("path", "data", "fragment"),
    [
        ("/msgs/a", b"", "JSON object"),
        ("/msgs/a", b"not json", "JSON object"),
        ("/msgs/a", b"[1, 2]", "JSON object"),
        ("/msgs/a", b'{"content": null}', "'content' must be a string"),
        ("/msgs/a", b'{"content": 5}', "'content' must be a string"),
        ("/msgs/a", b'{"text": "wrong field"}', "'content' must be a string"),
        ("/msgs/a", b'{"content": "nul \\u0000 inside"}', "NUL"),
        ("/msgs/a", b'{"content": "lone \\ud800 surrogate"}', "invalid Unicode"),
        ("/msgs/a", b'{"content": "\xff\xfe not utf-8"}', "JSON object"),
        ("/register", b'{"username": 12, "email": "a@b", "pwd": "x"}', "'username' must be"),
        ("/register", b'{"username": "x", "email": ["a@b"], "pwd": "x"}', "'email' must be"),
        ("/register", b"[]", "JSON object"),
        ("/register", b"{", "JSON object"),
        ("/fllws/a", b"{}", "exactly one of"),
        ("/fllws/a", b'{"follow": "b", "unfollow": "b"}', "exactly one of"),
        ("/fllws/a", b'{"follow": null}', "'follow' must be a string"),
        ("/fllws/a", b'{"unfollow": 3}', "'unfollow' must be a string"),
    ],
)
def test_bad_bodies_are_400(
    client: FlaskClient, user_a: str, path: str, data: bytes, fragment: str
) -> None:
    assert_json_error(client.post(path, data=data, headers=JSON), 400, fragment)


@pytest.mark.parametrize(
    "query",
    [
        {"no": "abc"},
        {"no": "-1"},
        {"no": "1e3"},
        {"no": "99999999999999999999999"},
        {"latest": "abc"},
        {"latest": str(2**64)},
        {"latest": ""},
    ],
)
@pytest.mark.parametrize("path", ["/msgs", "/msgs/a", "/fllws/a"])
def test_bad_query_parameters_are_400(
    client: FlaskClient, user_a: str, path: str, query: dict[str, str]
) -> None:
    assert_json_error(
        client.get(path, headers=SIMULATOR_AUTH, query_string=query), 400, "Query parameter"
    )


def test_extra_fields_are_ignored(client: FlaskClient, user_a: str) -> None:
    response = client.post("/msgs/a", json={"content": "hi", "extra": [1]}, headers=SIMULATOR_AUTH)
    assert response.status_code == 204


def test_huge_body_is_413_json(client: FlaskClient, user_a: str) -> None:
    body = b'{"content": "' + b"x" * MAX_BODY_BYTES + b'"}'
    assert_json_error(client.post("/msgs/a", data=body, headers=JSON), 413)


def test_huge_form_is_413(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "x" * (MAX_BODY_BYTES + 1)})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("method", "path"), [("DELETE", "/msgs"), ("PUT", "/fllws/a"), ("POST", "/latest")]
)
def test_wrong_method_is_405_json(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method, headers=SIMULATOR_AUTH)
    assert_json_error(response, 405)
    assert response.headers["Allow"]


@pytest.mark.parametrize("path", ["/msgs/%00", "/msgs/%ED%A0%80", "/fllws/" + "x" * 5000])
def test_odd_usernames_in_api_paths_are_404(client: FlaskClient, path: str) -> None:
    assert_json_error(client.get(path, headers=SIMULATOR_AUTH), 404)


@pytest.mark.parametrize("path", ["/%00", "/%ED%A0%80", "/%00/follow", "/%ED%A0%80/unfollow"])
def test_odd_usernames_in_pages_are_404(client: FlaskClient, auth: AuthActions, path: str) -> None:
    auth.register_and_login()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("username", ["nul\x00", "x" * 10_000, "\U0001f642"])
def test_odd_login_names_are_refused_cleanly(client: FlaskClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": "x"})
    assert response.status_code == 200
    assert b"Invalid username" in response.data


def test_non_utf8_form_is_handled(client: FlaskClient) -> None:
    response = client.post(
        "/login",
        data=b"username=%FF%FE&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert b"Invalid username" in response.data


def test_server_keeps_serving_after_bad_input(client: FlaskClient, sim: Simulator) -> None:
    client.post("/msgs/a", data=b"\x00\xff", headers=JSON)
    client.get("/msgs", headers=SIMULATOR_AUTH, query_string={"no": "x"})
    assert sim.register("after", latest=77).status_code == 204
    assert sim.latest() == 77


def test_pages_whose_names_start_like_api_paths_are_html(client: FlaskClient) -> None:
    response = client.get("/msgsfan")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
