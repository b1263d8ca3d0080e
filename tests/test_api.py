"""The simulator API, as the course's API tests and simulator use it."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .conftest import SIMULATOR_AUTH, Simulator

NOT_AUTHORIZED = {"status": 403, "error_msg": "You are not authorized to use this resource!"}


def test_latest_is_minus_one_before_anything_was_stored(sim: Simulator) -> None:
    assert sim.latest() == -1


def test_register_answers_204_with_empty_body_and_stores_latest(sim: Simulator) -> None:
    response = sim.register("a", latest=1337)
    assert response.status_code == 204
    assert response.data == b""
    assert sim.latest() == 1337


def test_register_twice_is_400_taken(sim: Simulator) -> None:
    sim.register("a")
    response = sim.register("a", latest=2)
    assert response.status_code == 400
    assert response.get_json() == {"status": 400, "error_msg": "The username is already taken"}
    assert sim.latest() == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"username": "", "email": "a@b", "pwd": "x"}, "You have to enter a username"),
        ({"username": "a", "email": "ab", "pwd": "x"}, "You have to enter a valid email address"),
        ({"username": "a", "email": "a@b", "pwd": ""}, "You have to enter a password"),
        ({"email": "a@b", "pwd": "x"}, "You have to enter a username"),
        ({"username": "a", "pwd": "x"}, "You have to enter a valid email address"),
        ({"username": "a", "email": "a@b"}, "You have to enter a password"),
    ],
)
def test_register_errors_use_the_ui_texts(
    client: FlaskClient, body: dict[str, str], message: str
) -> None:
    response = client.post("/register", json=body)
    assert response.status_code == 400
    assert response.get_json() == {"status": 400, "error_msg": message}


def test_tweet_then_read_back_newest_first(sim: Simulator) -> None:
    sim.register("a")
    assert sim.tweet("a", "first", latest=3).status_code == 204
    assert sim.tweet("a", "second").status_code == 204
    public = sim.get("/msgs", no=10).get_json()
    assert [m["content"] for m in public] == ["second", "first"]
    assert all(m["user"] == "a" and isinstance(m["pub_date"], int) for m in public)
    assert [m["content"] for m in sim.get("/msgs/a").get_json()] == ["second", "first"]
    assert sim.latest() == 3


def test_no_limits_the_number_of_messages(sim: Simulator) -> None:
    sim.register("a")
    for number in range(5):
        sim.tweet("a", f"m{number}")
    assert len(sim.get("/msgs", no=3).get_json()) == 3
    assert len(sim.get("/msgs/a", no=2).get_json()) == 2
    assert len(sim.get("/msgs").get_json()) == 5


def test_flagged_messages_are_never_shown(sim: Simulator, app: object) -> None:
    from minitwit.models import Message

    sim.register("a")
    sim.tweet("a", "visible")
    sim.tweet("a", "hidden")
    Message.update(flagged=1).where(Message.text == "hidden").execute()
    assert [m["content"] for m in sim.get("/msgs").get_json()] == ["visible"]
    assert [m["content"] for m in sim.get("/msgs/a").get_json()] == ["visible"]


def test_follow_unfollow_and_list(sim: Simulator) -> None:
    for name in ("a", "b", "c"):
        sim.register(name)
    assert sim.follow("a", "b", latest=7).status_code == 204
    assert sim.follow("a", "c").status_code == 204
    assert sim.get("/fllws/a").get_json() == {"follows": ["b", "c"]}
    assert sim.get("/fllws/a", no=1).get_json() == {"follows": ["b"]}
    assert sim.follow("a", "b", action="unfollow").status_code == 204
    assert sim.get("/fllws/a").get_json() == {"follows": ["c"]}
    assert sim.latest() == 7


def test_following_twice_is_idempotent(sim: Simulator) -> None:
    sim.register("a")
    sim.register("b")
    assert sim.follow("a", "b").status_code == 204
    assert sim.follow("a", "b").status_code == 204
    assert sim.get("/fllws/a").get_json() == {"follows": ["b"]}


def test_unfollowing_a_stranger_is_not_an_error(sim: Simulator) -> None:
    sim.register("a")
    sim.register("b")
    assert sim.follow("a", "b", action="unfollow").status_code == 204


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/msgs", None),
        ("GET", "/msgs/a", None),
        ("POST", "/msgs/a", {"content": "x"}),
        ("GET", "/fllws/a", None),
        ("POST", "/fllws/a", {"follow": "a"}),
    ],
)
def test_without_credentials_403_but_latest_is_stored_first(
    client: FlaskClient, sim: Simulator, method: str, path: str, body: object
) -> None:
    sim.register("a")
    response = client.open(path, method=method, json=body, query_string={"latest": 42})
    assert response.status_code == 403
    assert response.get_json() == NOT_AUTHORIZED
    assert sim.latest() == 42


@pytest.mark.parametrize(
    "header",
    [
        {"Authorization": "Basic c2ltdWxhdG9yOndyb25n"},  # simulator:wrong
        {"Authorization": "Bearer c2ltdWxhdG9yOnN1cGVyX3NhZmUh"},
        {"Authorization": "Basic !!!not-base64"},
    ],
)
def test_wrong_credentials_are_403(client: FlaskClient, header: dict[str, str]) -> None:
    response = client.get("/msgs", headers=header)
    assert response.status_code == 403
    assert response.get_json() == NOT_AUTHORIZED


def test_credentials_are_configurable(database_url: str) -> None:
    from minitwit import create_app

    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "k",
            "SIMULATOR_USERNAME": "bot",
            "SIMULATOR_PASSWORD": "other",
        }
    )
    client = app.test_client()
    assert client.get("/msgs", headers=SIMULATOR_AUTH).status_code == 403
    assert client.get("/msgs", auth=("bot", "other")).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/msgs/nobody", None),
        ("POST", "/msgs/nobody", {"content": "x"}),
        ("GET", "/fllws/nobody", None),
        ("POST", "/fllws/nobody", {"follow": "a"}),
        ("POST", "/fllws/a", {"follow": "nobody"}),
        ("POST", "/fllws/a", {"unfollow": "nobody"}),
    ],
)
def test_unknown_users_are_404_in_json(
    client: FlaskClient, sim: Simulator, method: str, path: str, body: object
) -> None:
    sim.register("a")
    response = client.open(
        path, method=method, json=body, headers=SIMULATOR_AUTH, query_string={"latest": 9}
    )
    assert response.status_code == 404
    assert response.get_json()["status"] == 404
    assert "nobody" in response.get_json()["error_msg"]
    assert sim.latest() == 9


def test_latest_minus_one_stores_nothing(sim: Simulator) -> None:
    sim.register("a", latest=5)
    sim.get("/msgs", latest=-1)
    assert sim.latest() == 5


def test_usernames_with_spaces_work_in_api_paths(sim: Simulator) -> None:
    assert sim.register("Roger Histand").status_code == 204
    assert sim.tweet("Roger Histand", "From hour to hour").status_code == 204
    assert sim.get("/msgs/Roger Histand").get_json()[0]["user"] == "Roger Histand"


def test_api_and_web_share_users(sim: Simulator, client: FlaskClient) -> None:
    client.post("/register", json={"username": "web", "email": "w@x", "pwd": "secret"})
    response = client.post(
        "/login", data={"username": "web", "password": "secret"}, follow_redirects=True
    )
    assert b"You were logged in" in response.data
