"""Avatars in the browser: identicons (the default) never leave the site; Gravatar is one setting
away and falls back to the identicon when it cannot load."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from devtools.live import LiveServer, live_minitwit

from ..conftest import SIMULATOR_AUTH
from .conftest import Visitor, new_visitor, unique

PLACEHOLDER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96">'
    '<rect width="96" height="96" fill="#888"/></svg>'
)


def tweet(server: LiveServer, name: str, text: str) -> None:
    """Register ``name`` and post ``text`` through the simulator API."""
    body = {"username": name, "email": f" {name.upper()}@Example.com ", "pwd": "pw"}
    assert requests.post(server.url + "/register", json=body, timeout=10).status_code == 204
    posted = requests.post(
        f"{server.url}/msgs/{name}", json={"content": text}, headers=SIMULATOR_AUTH, timeout=10
    )
    assert posted.status_code == 204


def loaded_avatars(page: Any) -> list[int]:
    """naturalWidth of every avatar image on the page (0 means it failed to load)."""
    return page.eval_on_selector_all("img.avatar", "imgs => imgs.map(i => i.naturalWidth)")


def test_identicons_keep_every_request_on_the_site(visitor: Visitor, ui_server: LiveServer) -> None:
    tweet(ui_server, unique("ident"), "drawn locally")
    requested: list[str] = []
    visitor.page.on("request", lambda request: requested.append(request.url))
    response = visitor.open("/public")
    visitor.page.wait_for_load_state("networkidle")
    assert response is not None
    assert "gravatar" not in response.headers["content-security-policy"]
    assert requested and all(url.startswith(ui_server.url) for url in requested), requested
    widths = loaded_avatars(visitor.page)
    assert widths and all(width > 0 for width in widths)


@pytest.fixture(scope="module")
def gravatar_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server that shows Gravatar images, as the original did."""
    env = {"SECRET_KEY": "k", "AVATARS": "gravatar"}
    with live_minitwit(tmp_path_factory.mktemp("ui-gravatar"), env) as server:
        yield server


def test_gravatar_is_asked_when_chosen(browser: Any, gravatar_server: LiveServer) -> None:
    """The original's behaviour; Gravatar is answered locally (no network here)."""
    tweet(gravatar_server, "grace", "from gravatar")
    person = new_visitor(browser, gravatar_server)
    asked: list[str] = []

    def answer(route: Any) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/svg+xml", body=PLACEHOLDER)

    person.page.route("https://www.gravatar.com/**", answer)
    response = person.open("/public")
    person.page.wait_for_load_state("networkidle")
    assert response is not None
    assert "img-src 'self' https://www.gravatar.com" in response.headers["content-security-policy"]
    digest = hashlib.md5(b"grace@example.com", usedforsecurity=False).hexdigest()
    assert f"https://www.gravatar.com/avatar/{digest}?d=identicon&s=96" in asked
    assert all(width > 0 for width in loaded_avatars(person.page))
    person.page.context.close()
    person.assert_clean_console()


def test_an_unreachable_gravatar_falls_back_to_the_identicon(
    browser: Any, gravatar_server: LiveServer
) -> None:
    """Offline, or third-party images blocked: no broken image, no inline script needed."""
    tweet(gravatar_server, unique("offline"), "no network for avatars")
    person = new_visitor(browser, gravatar_server)
    person.page.route(
        "https://www.gravatar.com/**", lambda route: route.abort("internetdisconnected")
    )
    person.open("/public")
    person.page.wait_for_load_state("networkidle")
    sources = person.page.eval_on_selector_all("img.avatar", "imgs => imgs.map(i => i.src)")
    widths = loaded_avatars(person.page)
    person.page.context.close()
    assert sources and all("/identicon/" in source for source in sources), sources
    assert all(width > 0 for width in widths), widths
