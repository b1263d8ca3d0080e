"""The web UI's behaviour, as the original MiniTwit's test-suite and browser tests see it."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from minitwit import create_app

from .conftest import AuthActions


def test_anonymous_root_redirects_to_public(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/public")


def test_register_then_flash_and_redirect_to_login(client: FlaskClient) -> None:
    response = client.post(
        "/register",
        data={"username": "user1", "email": "u@example.com", "password": "pw", "password2": "pw"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    page = client.get("/login").data
    assert b"You were successfully registered and can login now" in page


@pytest.mark.parametrize(
    ("username", "email", "password", "password2", "message"),
    [
        ("", "a@b", "pw", "pw", b"You have to enter a username"),
        ("meh", "", "pw", "pw", b"You have to enter a valid email address"),
        ("meh", "broken", "pw", "pw", b"You have to enter a valid email address"),
        ("meh", "a@b", "", "", b"You have to enter a password"),
        ("meh", "a@b", "x", "y", b"The two passwords do not match"),
        ("", "", "", "", b"You have to enter a username"),
        ("meh", "", "", "x", b"You have to enter a valid email address"),
        ("meh", "a@b", "", "x", b"You have to enter a password"),
    ],
)
def test_register_errors_in_the_original_order(
    auth: AuthActions, username: str, email: str, password: str, password2: str, message: bytes
) -> None:
    response = auth.register(username, password, password2, email=email)
    assert message in response.data
    assert b"You were successfully registered" not in response.data


def test_register_twice_says_taken(auth: AuthActions) -> None:
    auth.register("user1")
    assert b"The username is already taken" in auth.register("user1").data


@pytest.mark.parametrize(
    "name",
    [
        "public",
        "login",
        "logout",
        "register",
        "add_message",
        "static",
        "msgs",
        "fllws",
        "latest",
        "healthz",
        "readyz",
        "Public",
        "openapi.json",
    ],
)
def test_route_names_are_refused_as_usernames(auth: AuthActions, name: str) -> None:
    response = auth.register(name)
    assert b"is reserved, please choose another" in response.data
    assert b"You were successfully registered" not in response.data


@pytest.mark.parametrize("name", ["a/b", "tab\there", " padded", "x" * 65, "nul\x00"])
def test_usernames_that_cannot_be_addresses_are_refused(auth: AuthActions, name: str) -> None:
    response = auth.register(name)
    assert response.status_code == 200
    assert b"You were successfully registered" not in response.data
    assert b"Error:" in response.data


def test_login_and_logout_flashes(auth: AuthActions) -> None:
    auth.register("user1")
    assert b"You were logged in" in auth.login("user1").data
    assert b"You were logged out" in auth.logout().data


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [("nobody", "default", b"Invalid username"), ("user1", "wrong", b"Invalid password")],
)
def test_login_errors(auth: AuthActions, username: str, password: str, message: bytes) -> None:
    auth.register("user1")
    assert message in auth.login(username, password).data


@pytest.mark.parametrize("page", ["/login", "/register"])
def test_logged_in_users_are_sent_home(auth: AuthActions, client: FlaskClient, page: str) -> None:
    auth.register_and_login()
    response = client.get(page)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")


def test_message_recording_escapes_html(auth: AuthActions, client: FlaskClient) -> None:
    auth.register_and_login()
    response = client.post("/add_message", data={"text": "test message 1"}, follow_redirects=True)
    assert b"Your message was recorded" in response.data
    client.post("/add_message", data={"text": "<test message 2>"})
    page = client.get("/").data
    assert b"test message 1" in page
    assert b"&lt;test message 2&gt;" in page
    assert b"<test message 2>" not in page


def test_empty_message_records_nothing(auth: AuthActions, client: FlaskClient) -> None:
    auth.register_and_login()
    client.post("/add_message", data={"text": ""})
    assert b"There's no message so far." in client.get("/").data


def test_add_message_needs_login(client: FlaskClient) -> None:
    assert client.post("/add_message", data={"text": "hi"}).status_code == 401


def test_timelines(auth: AuthActions, client: FlaskClient) -> None:
    auth.register_and_login("foo")
    client.post("/add_message", data={"text": "the message by foo"})
    auth.logout()
    auth.register_and_login("bar")
    client.post("/add_message", data={"text": "the message by bar"})

    public = client.get("/public").data
    assert b"the message by foo" in public
    assert b"the message by bar" in public

    own = client.get("/").data
    assert b"the message by bar" in own
    assert b"the message by foo" not in own

    response = client.get("/foo/follow", follow_redirects=True)
    assert b"You are now following &#34;foo&#34;" in response.data
    assert b"You are currently following this user." in response.data
    both = client.get("/").data
    assert b"the message by foo" in both
    assert b"the message by bar" in both

    assert b"This is you!" in client.get("/bar").data
    foo_page = client.get("/foo").data
    assert b"the message by foo" in foo_page
    assert b"the message by bar" not in foo_page

    response = client.get("/foo/unfollow", follow_redirects=True)
    assert b"You are no longer following &#34;foo&#34;" in response.data
    assert b"the message by foo" not in client.get("/").data


def test_pages_show_date_identicon_and_author_link(auth: AuthActions, client: FlaskClient) -> None:
    auth.register_and_login("Foo Bar")
    client.post("/add_message", data={"text": "dated"})
    page = client.get("/public").data.decode()
    assert 'class="avatar" src="/identicon/' in page and "gravatar" not in page
    assert 'href="/Foo%20Bar"' in page
    assert " @ " in page


def test_timeline_shows_thirty_newest_first(auth: AuthActions, client: FlaskClient) -> None:
    auth.register_and_login()
    for number in range(35):
        client.post("/add_message", data={"text": f"message number {number:02d}"})
    page = client.get("/public").data.decode()
    assert page.count("message number") == 30
    assert "message number 34" in page and "message number 04" not in page
    assert page.index("message number 34") < page.index("message number 33")


@pytest.mark.parametrize("action", ["follow", "unfollow"])
def test_follow_needs_login(auth: AuthActions, client: FlaskClient, action: str) -> None:
    auth.register("foo")
    assert client.get(f"/foo/{action}").status_code == 401


@pytest.mark.parametrize("action", ["follow", "unfollow"])
def test_follow_unknown_user_is_404(auth: AuthActions, client: FlaskClient, action: str) -> None:
    auth.register_and_login()
    assert client.get(f"/nobody/{action}").status_code == 404


def test_follow_twice_is_idempotent(auth: AuthActions, client: FlaskClient) -> None:
    auth.register("foo")
    auth.register_and_login("bar")
    client.get("/foo/follow")
    response = client.post("/foo/follow", follow_redirects=True)
    assert b"You are now following &#34;foo&#34;" in response.data
    client.get("/foo/unfollow")
    assert b"You are not yet following this user." in client.get("/foo").data


def test_unknown_user_page_is_404(client: FlaskClient) -> None:
    assert client.get("/nobody").status_code == 404


def test_register_form_dom_contract(client: FlaskClient) -> None:
    page = client.get("/register").data.decode()
    inputs = re.findall(r"<input[^>]*>", page)
    names = [re.search(r'name="([^"]+)"', tag) for tag in inputs]
    assert [match.group(1) for match in names if match] == [
        "username",
        "email",
        "password",
        "password2",
    ]
    assert len(inputs) == 5 and 'type="submit"' in inputs[4]
    assert '<div class="actions"><input type="submit"' in page


def test_flashes_are_list_items_in_ul_flashes(auth: AuthActions) -> None:
    page = auth.register("user1").data.decode()
    start = page.index('<ul class="flashes"')
    assert "<li>You were successfully registered and can login now</li>" in page[start:]


def test_gravatar_is_one_setting_away_and_falls_back_to_the_identicon(database_url: str) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "k", "AVATARS": "gravatar"}
    )
    client = app.test_client()
    client.post(
        "/register",
        data={"username": "Gus", "email": "gus@example.com", "password": "p", "password2": "p"},
    )
    client.post("/login", data={"username": "Gus", "password": "p"})
    client.post("/add_message", data={"text": "with a face"})
    page = client.get("/public").data.decode()
    assert "https://www.gravatar.com/avatar/" in page and "d=identicon" in page
    assert 'data-fallback="/identicon/' in page
    assert "/static/avatars.js" in page
