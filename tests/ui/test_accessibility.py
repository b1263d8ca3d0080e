"""Accessibility and responsiveness: axe-core, landmarks, focus, phone layout, screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from devtools.live import LiveServer

from .browser import REPORTS, VIEWPORTS, describe, serious_violations
from .conftest import Visitor, new_visitor, unique


@pytest.fixture(scope="module")
def cast(browser: Any, ui_server: LiveServer) -> Iterator[dict[str, Any]]:
    """Two users with messages; the reader follows the writer."""
    writer, reader = unique("Writer "), unique("reader")
    person = new_visitor(browser, ui_server)
    person.register(writer)
    person.login(writer)
    for text in ("Good morning, MiniTwit!", "A longer message that wraps on a phone: " * 3):
        person.post(text.strip())
    person.open("/logout")
    person.register(reader)
    person.login(reader)
    person.post("Reading along <em>quietly</em>.")
    person.open(f"/{writer}/follow")
    signed_in = person.page.context.storage_state()  # the reader's session cookie, for reuse
    person.page.context.close()
    yield {"writer": writer, "reader": reader, "signed_in": signed_in}


# name -> (path, signed in?)
PAGES = {
    "public": ("/public", False),
    "register": ("/register", False),
    "login-error": ("/login", False),
    "timeline": ("/", True),
    "user": ("/{writer}", True),
    "not-found": ("/no-such-user", False),
}


def open_page(person: Visitor, name: str, cast: dict[str, Any]) -> None:
    """Bring ``person`` to page ``name`` in the state that the screenshot should show."""
    path, _signed_in = PAGES[name]
    person.open(path.format(**cast))
    if name == "login-error":
        person.page.get_by_label("Username").fill("nobody-at-all")
        person.page.get_by_role("button", name="Sign In").click()
        person.page.get_by_role("alert").wait_for()
    if name == "not-found":
        person.console.expect_http_error(404)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_and_fits(
    browser: Any,
    ui_server: LiveServer,
    axe: str,
    cast: dict[str, Any],
    name: str,
    viewport: str,
) -> None:
    """No serious/critical axe violation, no sideways scrolling; a screenshot for the report."""
    state = cast["signed_in"] if PAGES[name][1] else None
    person = new_visitor(browser, ui_server, viewport=VIEWPORTS[viewport], storage_state=state)
    open_page(person, name, cast)
    REPORTS.mkdir(parents=True, exist_ok=True)
    person.page.screenshot(path=str(REPORTS / f"{name}-{viewport}.png"), full_page=True)
    violations = serious_violations(person.page, axe)
    overflow = person.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    person.page.context.close()
    assert violations == [], describe(violations)
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {viewport} width"
    person.assert_clean_console()


def test_landmarks_and_headings(visitor: Visitor) -> None:
    visitor.open("/public")
    page = visitor.page
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() == 1, role
    assert page.get_by_role("navigation", name="Main").count() == 1
    assert page.get_by_role("heading", level=1).inner_text() == "MiniTwit"
    assert page.get_by_role("link", name="public timeline").get_attribute("aria-current") == "page"


def test_keyboard_focus_is_visible_and_skip_link_works(visitor: Visitor) -> None:
    visitor.open("/login")
    page = visitor.page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the skip link must appear when focused"
    outline = skip.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    )
    assert outline == "solid 3px"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    username = page.get_by_label("Username")
    assert username.evaluate("el => el === document.activeElement"), "Tab after skip: first field"
    ring = username.evaluate("el => getComputedStyle(el).outlineStyle")
    assert ring == "solid"


def test_every_field_has_a_visible_label(visitor: Visitor) -> None:
    for path in ("/register", "/login"):
        visitor.open(path)
        for field in visitor.page.locator("input:not([type=submit])").all():
            label = visitor.page.locator(f"label[for='{field.get_attribute('id')}']")
            assert label.is_visible(), f"{path}: {field.get_attribute('name')} has no visible label"


def test_axe_reports_a_planted_violation(visitor: Visitor, axe: str) -> None:
    """The accessibility check can fail: an unlabelled image is reported."""
    visitor.open("/public")
    visitor.page.evaluate(
        "() => document.querySelector('main').appendChild(document.createElement('img'))"
        ".setAttribute('src', '/static/favicon.svg')"
    )
    assert "image-alt" in {violation["id"] for violation in serious_violations(visitor.page, axe)}
