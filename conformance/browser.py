"""A browser's view of the web pages for the checks: forms posted, redirects, flashes, DOM bits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import requests

from .clause import Probe

FLASHES = re.compile(r'<ul class="flashes"[^>]*>(.*?)</ul>', re.S)
ITEM = re.compile(r"<li[^>]*>(.*?)</li>", re.S)
DATE = re.compile(r"\d{4}-\d{2}-\d{2} @ \d{2}:\d{2}")
PASSWORD = "conform-web-pw"  # noqa: S105 - a throwaway account on the target


@dataclass
class Browser:
    """One cookie jar on the target, driven through the probe (so every request is evidence)."""

    probe: Probe
    session: requests.Session

    def get(self, path: str) -> requests.Response:
        return self.probe.client.send("GET", path, session=self.session)

    def post(self, path: str, form: dict[str, str]) -> requests.Response:
        return self.probe.client.send("POST", path, session=self.session, data=form)

    def redirect(self, response: requests.Response, path: str) -> requests.Response:
        """Expect a redirect (301..303) to ``path``; follow it and return the page."""
        self.probe.expect(
            response.status_code in (301, 302, 303),
            f"expected a redirect to {path}, got {response.status_code}",
            response,
        )
        location = response.headers.get("Location", "")
        self.probe.expect(
            urlsplit(location).path == path,
            f"expected a redirect to {path}, got Location: {location!r}",
            response,
        )
        return self.get(path)

    def flash(self, page: requests.Response, text: str) -> None:
        """``text`` (as it appears in the HTML) is an ``<li>`` of ``<ul class="flashes">``."""
        items = [
            item.strip() for block in FLASHES.findall(page.text) for item in ITEM.findall(block)
        ]
        self.probe.expect(
            text in items,
            f'expected the flash "{text}" as <li> in <ul class="flashes">, '
            f"got {items or 'no flashes'}",
            page,
        )

    def shows(self, page: requests.Response, text: str, present: bool = True) -> None:
        where = f"{page.request.method} {page.request.path_url}"
        self.probe.expect(
            (text in page.text) == present,
            f"{where}: expected {text!r} {'on' if present else 'not on'} the page",
            page,
        )

    def register(self, username: str, password: str = PASSWORD, **fields: str) -> requests.Response:
        form = {
            "username": username,
            "email": f"{username}@example.org",
            "password": password,
            "password2": password,
            **fields,
        }
        return self.post("/register", form)

    def login(self, username: str, password: str = PASSWORD) -> requests.Response:
        return self.post("/login", {"username": username, "password": password})

    def add(self, text: str) -> requests.Response:
        return self.post("/add_message", {"text": text})


def browser(probe: Probe) -> Browser:
    return Browser(probe, probe.client.browser())


def web_user(probe: Probe, base: str = "web") -> tuple[Browser, str]:
    """A new user registered and logged in through the forms (setup: must redirect)."""
    client, username = browser(probe), probe.name(base)
    response = client.register(username)
    probe.expect(
        response.status_code in (301, 302, 303),
        f"setup: registering {username} through the form gave {response.status_code}",
        response,
    )
    response = client.login(username)
    probe.expect(
        response.status_code in (301, 302, 303),
        f"setup: logging in {username} gave {response.status_code}",
        response,
    )
    return client, username


def page_path(username: str) -> str:
    """The address of a user's page, quoted as url_for quotes it."""
    return "/" + quote(username, safe="")
