"""Security basics: headers, session cookie, cross-site refusal, no tracebacks."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .conftest import SIMULATOR_AUTH, AuthActions


@pytest.mark.parametrize("path", ["/public", "/latest", "/login", "/no/such/page"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]


def test_a_header_the_app_sets_wins_and_none_is_doubled(app: Flask) -> None:
    @app.get("/framed")
    def framed() -> tuple[str, dict[str, str]]:
        return "ok", {"x-frame-options": "SAMEORIGIN"}

    headers = app.test_client().get("/framed").headers
    assert headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert len(headers.getlist("Content-Security-Policy")) == 1


def test_a_malformed_origin_is_refused_on_a_post_and_ignored_on_a_get(client: FlaskClient) -> None:
    headers = {"Origin": "http://["}
    assert client.post("/add_message", data={"text": "hi"}, headers=headers).status_code == 403
    assert client.get("/public", headers=headers).status_code == 200


def test_session_cookie_is_httponly_and_lax(auth: AuthActions, client: FlaskClient) -> None:
    auth.register("foo")
    response = client.post("/login", data={"username": "foo", "password": "default"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(auth: AuthActions, client: FlaskClient) -> None:
    auth.register("foo")
    response = client.post(
        "/login", data={"username": "foo", "password": "default"}, base_url="https://localhost"
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_passwords_are_hashed_with_argon2(auth: AuthActions, app: Flask) -> None:
    from minitwit.models import User

    auth.register("foo", "secret")
    stored = User.by_name("foo").pw_hash  # type: ignore[union-attr]
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=2$")
    assert "secret" not in stored


def test_argon2_hash_with_older_parameters_is_upgraded_on_login(
    auth: AuthActions, app: Flask
) -> None:
    from argon2 import PasswordHasher

    from minitwit.models import User

    older = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1).hash("pw")
    User.create(username="older", email="o@x", pw_hash=older)
    assert b"You were logged in" in auth.login("older", "pw").data
    assert User.by_name("older").pw_hash.startswith("$argon2id$v=19$m=19456,t=2,p=2$")  # type: ignore[union-attr]


def test_legacy_werkzeug_hash_still_logs_in_and_is_upgraded(auth: AuthActions, app: Flask) -> None:
    from werkzeug.security import generate_password_hash

    from minitwit.models import User

    User.create(username="old", email="o@x", pw_hash=generate_password_hash("pw"))
    assert b"You were logged in" in auth.login("old", "pw").data
    assert User.by_name("old").pw_hash.startswith("$argon2id$")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
def test_cross_site_posts_are_refused(
    auth: AuthActions, client: FlaskClient, headers: dict[str, str]
) -> None:
    auth.register_and_login()
    response = client.post("/add_message", data={"text": "forged"}, headers=headers)
    assert response.status_code == 403
    assert b"forged" not in client.get("/").data


@pytest.mark.parametrize("action", ["follow", "unfollow"])
def test_cross_site_follow_links_are_refused(
    auth: AuthActions, client: FlaskClient, action: str
) -> None:
    auth.register("victim")
    auth.register_and_login()
    response = client.get(f"/victim/{action}", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "http://localhost"},
    ],
)
def test_same_site_and_scripted_posts_work(
    auth: AuthActions, client: FlaskClient, headers: dict[str, str]
) -> None:
    auth.register_and_login()
    response = client.post("/add_message", data={"text": "mine"}, headers=headers)
    assert response.status_code == 302


def test_cross_site_api_post_is_refused_in_json(client: FlaskClient) -> None:
    response = client.post(
        "/msgs/a",
        json={"content": "x"},
        headers={**SIMULATOR_AUTH, "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert response.get_json()["error_msg"] == "Cross-site request refused"


def test_errors_show_no_traceback(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.config["TESTING"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data


def test_api_500_is_json(app: Flask) -> None:
    @app.get("/latest/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/latest/boom")
    assert response.status_code == 500
    assert response.get_json()["status"] == 500
    assert b"secret internals" not in response.data
