"""Fixtures for the browser tests: Debian's Chromium via Playwright, and real live servers.

Chromium is never downloaded: the tests drive /usr/bin/chromium (package ``chromium``).
Without it (or without Playwright) they skip with the reason; MINITWIT_REQUIRE_TOOLS=1
(set by ``.ci/run``) turns the skip into a failure.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from devtools.live import LiveServer, live_minitwit

from .browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, ConsoleLog, axe_source, missing_tool, watch

PASSWORD = "secret"
SERVER_ENV = {"SECRET_KEY": "ui-test-key"}  # default settings: identicon avatars


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in tests/ui that uses the browser carries the ``ui`` marker."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.ui)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Playwright for Python is not installed (dependency group `ui`)")
    if not CHROMIUM.exists():
        missing_tool(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe() -> str:
    """axe-core's source, to inject into pages."""
    return axe_source()


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real ``minitwit serve`` with locally generated identicons, shared by the UI tests."""
    with live_minitwit(tmp_path_factory.mktemp("ui-server"), SERVER_ENV) as server:
        yield server


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server on a database filled by ``minitwit seed`` (for pagination)."""
    workdir = tmp_path_factory.mktemp("ui-seeded")
    env = {**SERVER_ENV, "MINITWIT_INSTANCE_PATH": str(workdir / "instance")}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "minitwit",
            "seed",
            "--users",
            "4",
            "--messages",
            "75",
            "--follows",
            "3",
            "--seed",
            "7",
        ],
        cwd=workdir,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        timeout=120,
    )
    with live_minitwit(workdir, SERVER_ENV) as server:
        yield server


class Visitor:
    """A browser tab on a live server, recording own-origin console errors."""

    def __init__(self, page: Any, server: LiveServer) -> None:
        self.page = page
        self.base = server.url
        self.console: ConsoleLog = watch(page, server.url)

    def open(self, path: str) -> Any:
        """Navigate to ``path`` on the server; return the response."""
        return self.page.goto(self.base + path)

    def flashes(self) -> list[str]:
        """The texts of the flash messages on the current page."""
        return [text.strip() for text in self.page.locator("ul.flashes > li").all_inner_texts()]

    def register(self, username: str, password: str = PASSWORD, email: str | None = None) -> None:
        """Sign up through the form, by labels."""
        self.open("/register")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("E-Mail").fill(email or f"{username}@example.com")
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_label("Password (repeat)").fill(password)
        self.page.locator("div.actions input[type=submit]").click()

    def login(self, username: str, password: str = PASSWORD) -> None:
        """Sign in through the form."""
        self.open("/login")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign In").click()

    def post(self, text: str) -> None:
        """Share a message from the timeline's form."""
        self.open("/")
        self.page.get_by_label("What's on your mind").fill(text)
        self.page.get_by_role("button", name="Share").click()

    def messages(self) -> list[tuple[str, str]]:
        """(author, text) of each message on the current page, top to bottom."""
        return [
            tuple(row)
            for row in self.page.eval_on_selector_all(
                "ul.messages li.message:not(.message-empty)",
                "items => items.map(li => [li.querySelector('.message-meta a').textContent,"
                " li.querySelector('.message-text').textContent])",
            )
        ]

    def assert_clean_console(self) -> None:
        assert self.console.errors == [], "console errors from the app's origin"


def new_visitor(browser: Any, server: LiveServer, **context: Any) -> Visitor:
    """A fresh browser context (own cookies) with one tab."""
    ctx = browser.new_context(**{"viewport": VIEWPORTS["desktop"], **context})
    ctx.set_default_timeout(10_000)
    return Visitor(ctx.new_page(), server)


@pytest.fixture
def visitor(browser: Any, ui_server: LiveServer) -> Iterator[Visitor]:
    """A fresh visitor on the shared UI server; fails if the app logged console errors."""
    person = new_visitor(browser, ui_server)
    yield person
    person.page.context.close()
    person.assert_clean_console()


_names = itertools.count(1)


def unique(prefix: str) -> str:
    """A username unique within the shared server (the UI tests share one database)."""
    return f"{prefix}{next(_names)}"
