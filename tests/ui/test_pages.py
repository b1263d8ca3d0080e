"""The UI's server side without a browser: paging, limits, avatars, error pages, CSP."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from minitwit import create_app
from minitwit.config import avatar_source
from minitwit.models import Message, User

from ..conftest import AuthActions, Simulator

LIMIT = 280


def texts(page: bytes) -> list[str]:
    """Message texts on a page, top to bottom."""
    return re.findall(r'<p class="message-text">([^<]*)</p>', page.decode())


def older_link(page: bytes) -> str | None:
    match = re.search(r'href="([^"]+)">Older messages', page.decode())
    return match.group(1).replace("&amp;", "&") if match else None


def test_pages_split_ties_on_the_same_second(app: Flask, client: FlaskClient) -> None:
    """65 messages in one second page as 30 + 30 + 5, none lost or repeated (keyset on id)."""
    with app.app_context():
        author = User.create_account("tick", "tick@example.com", "pw")
        for number in range(65):
            Message.post(author, f"same second {number:02d}", pub_date=1_700_000_000)
    seen, path = [], "/tick"
    while path:
        page = client.get(path)
        assert page.status_code == 200
        seen.append(texts(page.data))
        path = older_link(page.data)
    assert [len(chunk) for chunk in seen] == [30, 30, 5]
    flat = [text for chunk in seen for text in chunk]
    assert flat == [f"same second {number:02d}" for number in reversed(range(65))]


@pytest.mark.parametrize("cursor", ["x", "1_", "_1", "1-2", "1_2_3", "9" * 30 + "_1"])
def test_malformed_cursor_is_a_400_page(client: FlaskClient, cursor: str) -> None:
    response = client.get("/public", query_string={"before": cursor})
    assert response.status_code == 400
    assert b"&#39;before&#39; must look like 1700000000_42" in response.data
    assert b'<main id="content"' in response.data


def test_api_errors_stay_json(client: FlaskClient, sim: Simulator) -> None:
    response = sim.get("/msgs/nobody")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404
    bad = sim.get("/msgs", no="many")
    assert bad.status_code == 400 and bad.get_json()["status"] == 400


def test_unknown_user_page_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/nobody")
    assert response.status_code == 404
    assert b"There is no user called &#34;nobody&#34;." in response.data
    assert b"Back to the public timeline" in response.data


@pytest.mark.parametrize(("length", "recorded"), [(LIMIT, True), (LIMIT + 1, False)])
def test_message_limit(auth: AuthActions, client: FlaskClient, length: int, recorded: bool) -> None:
    auth.register_and_login()
    response = client.post("/add_message", data={"text": "é" * length}, follow_redirects=True)
    assert (b"Your message was recorded" in response.data) is recorded
    assert (("é" * length) in texts(client.get("/foo").data)) is recorded
    if not recorded:
        assert f"Your message is {length} characters long; the limit is {LIMIT}.".encode() in (
            response.data
        )


def test_identicons_replace_gravatar_and_tighten_csp(database_url: str, sim: Simulator) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "k", "AVATARS": "identicon"}
    )
    client = app.test_client()
    Simulator(client).register("ida")
    Simulator(client).tweet("ida", "hello")
    page = client.get("/public")
    assert b"gravatar.com" not in page.data
    csp = page.headers["Content-Security-Policy"]
    assert "img-src 'self';" in csp and "gravatar" not in csp and "unsafe-inline" not in csp
    src = re.search(r'<img class="avatar" src="([^"]+)"', page.data.decode()).group(1)  # type: ignore[union-attr]
    image = client.get(src)
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    assert image.data.startswith(b"<svg") and b"<script" not in image.data
    assert "immutable" in image.headers["Cache-Control"]


def test_identicons_are_the_default_and_images_stay_on_the_site(
    client: FlaskClient, sim: Simulator
) -> None:
    sim.register("gus")
    sim.tweet("gus", "hi")
    page = client.get("/public")
    assert b'src="/identicon/' in page.data and b"gravatar.com" not in page.data
    assert "img-src 'self';" in page.headers["Content-Security-Policy"] + ";"


@pytest.mark.parametrize("digest", ["0" * 31, "g" * 32, "0" * 33, "../etc"])
def test_identicon_rejects_bad_digests(client: FlaskClient, digest: str) -> None:
    assert client.get(f"/identicon/{digest}.svg").status_code == 404


def test_identicon_is_deterministic_and_symmetric(client: FlaskClient) -> None:
    first = client.get(f"/identicon/{'ab' * 16}.svg").data
    assert first == client.get(f"/identicon/{'ab' * 16}.svg").data
    cells = re.findall(r"M(\d) (\d)h1v1h-1z", first.decode())
    assert cells and {(4 - int(x), int(y)) for x, y in cells} == {
        (int(x), int(y)) for x, y in cells
    }


@pytest.mark.parametrize("value", ["gravatar", "identicon", " Identicon ", ""])
def test_avatar_setting_accepts(value: str) -> None:
    assert avatar_source(value) in {"gravatar", "identicon"}


def test_avatar_setting_refuses_unknown_sources() -> None:
    with pytest.raises(ValueError, match="AVATARS must be one of gravatar, identicon"):
        avatar_source("robohash")


def test_favicon_is_served_locally(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.headers["Location"].endswith("favicon.svg")
    with client.get(response.headers["Location"]) as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_no_inline_scripts_or_styles(auth: AuthActions, client: FlaskClient) -> None:
    auth.register_and_login()
    for path in ("/", "/public", "/foo", "/nobody"):
        page = client.get(path).data.decode()
        assert "<style" not in page and " style=" not in page, path
        assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", page)), path
