"""Signing up, in and out in a real browser, with the original's exact messages."""

from __future__ import annotations

import pytest

from .conftest import Visitor, unique


def test_register_through_the_inputs_in_document_order(visitor: Visitor) -> None:
    """The course's Selenium test fills the page's <input>s by position: keep that working."""
    name = unique("Alice ")
    visitor.open("/register")
    inputs = visitor.page.locator("input")
    assert inputs.count() == 5
    for index, value in enumerate([name, "alice@example.com", "pw1", "pw1"]):
        inputs.nth(index).fill(value)
    inputs.nth(4).press("Enter")
    visitor.page.wait_for_url("**/login")
    assert visitor.flashes() == ["You were successfully registered and can login now"]


def test_login_and_logout(visitor: Visitor) -> None:
    name = unique("bob")
    visitor.register(name)
    visitor.login(name)
    visitor.page.wait_for_url(visitor.base + "/")
    assert visitor.flashes() == ["You were logged in"]
    sign_out = visitor.page.get_by_role("link", name=f"sign out [{name}]")
    assert sign_out.is_visible()
    assert visitor.page.get_by_role("heading", name="My Timeline").is_visible()
    sign_out.click()
    visitor.page.wait_for_url("**/public")
    assert visitor.flashes() == ["You were logged out"]
    assert visitor.page.get_by_role("link", name="sign in").is_visible()


@pytest.mark.parametrize(
    ("fields", "message", "invalid"),
    [
        (("", "x@example.com", "a", "a"), "You have to enter a username", "username"),
        (("carol", "not-an-address", "a", "a"), "You have to enter a valid email address", "email"),
        (("carol", "x@example.com", "", ""), "You have to enter a password", "password"),
        (("carol", "x@example.com", "a", "b"), "The two passwords do not match", "password2"),
    ],
)
def test_register_errors_are_shown_and_point_at_the_field(
    visitor: Visitor, fields: tuple[str, str, str, str], message: str, invalid: str
) -> None:
    visitor.open("/register")
    for name, value in zip(("username", "email", "password", "password2"), fields, strict=True):
        visitor.page.locator(f"#{name}").fill(value)
    visitor.page.get_by_role("button", name="Sign Up").click()
    alert = visitor.page.get_by_role("alert")
    assert alert.inner_text().strip() == f"Error: {message}"
    field = visitor.page.locator(f"#{invalid}")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("aria-describedby") == alert.get_attribute("id")
    if fields[0]:
        assert visitor.page.locator("#username").input_value() == fields[0]  # kept for a retry


def test_register_a_taken_name(visitor: Visitor) -> None:
    name = unique("dave")
    visitor.register(name)
    visitor.register(name)
    assert visitor.page.get_by_role("alert").inner_text().strip() == (
        "Error: The username is already taken"
    )


@pytest.mark.parametrize(
    ("who", "password", "message"),
    [("nobody-here", "secret", "Invalid username"), (None, "wrong", "Invalid password")],
)
def test_login_errors(visitor: Visitor, who: str | None, password: str, message: str) -> None:
    name = unique("erin")
    visitor.register(name)
    visitor.login(who or name, password)
    assert visitor.page.get_by_role("alert").inner_text().strip() == f"Error: {message}"
    assert visitor.page.get_by_role("link", name="sign in").is_visible()
