"""Posting, the character limit, following and the three timelines, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.live import LiveServer

from .conftest import Visitor, new_visitor, unique

LIMIT = 280


@pytest.fixture
def poster(visitor: Visitor) -> Visitor:
    """A visitor who is signed in as a new user."""
    name = unique("poster")
    visitor.register(name)
    visitor.login(name)
    visitor.page.wait_for_url(visitor.base + "/")
    return visitor


def test_posted_html_is_shown_as_text(poster: Visitor) -> None:
    dialogs: list[str] = []
    poster.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    text = '<b>bold?</b> <img src=x onerror="alert(1)"> & <script>alert(2)</script>'
    poster.post(text)
    poster.page.wait_for_url(poster.base + "/")
    assert poster.flashes() == ["Your message was recorded"]
    newest = poster.page.locator("ul.messages .message-text").first
    assert newest.text_content() == text
    assert newest.locator("b, img, script").count() == 0
    assert dialogs == []


def test_counter_counts_down_and_blocks_an_overlong_message(poster: Visitor) -> None:
    box = poster.page.get_by_label("What's on your mind")
    counter = poster.page.locator("#text-count")
    assert counter.inner_text() == f"{LIMIT} characters left"
    box.fill("é" * (LIMIT - 5))  # counted in characters, not bytes
    assert counter.inner_text() == "5 characters left"
    assert "hint-warning" in (counter.get_attribute("class") or "")
    box.fill("x" * (LIMIT + 3))
    assert counter.inner_text() == "3 characters too many"
    assert box.get_attribute("aria-invalid") == "true"
    poster.page.get_by_role("button", name="Share").click()
    live = poster.page.locator("#text-count-live")
    assert live.inner_text().startswith("Your message is too long")
    assert "Your message was recorded" not in poster.flashes()  # the browser did not send it
    assert poster.messages() == []
    box.fill("fits now")
    assert box.get_attribute("aria-invalid") is None
    poster.page.get_by_role("button", name="Share").click()
    poster.page.wait_for_url(poster.base + "/")
    assert poster.flashes() == ["Your message was recorded"]


def test_server_refuses_an_overlong_message_without_javascript(
    browser: Any, ui_server: LiveServer
) -> None:
    person = new_visitor(browser, ui_server, java_script_enabled=False)
    name = unique("nojs")
    person.register(name)
    person.login(name)
    person.post("y" * (LIMIT + 20))
    alert = person.page.locator("#text-error")
    assert alert.inner_text().strip() == (
        f"Error: Your message is {LIMIT + 20} characters long; the limit is {LIMIT}. "
        "Please shorten it."
    )
    assert person.page.get_by_label("What's on your mind").input_value() == "y" * (LIMIT + 20)
    person.open(f"/{name}")
    assert person.messages() == []
    person.page.context.close()
    person.assert_clean_console()


def test_follow_unfollow_and_the_three_timelines(browser: Any, ui_server: LiveServer) -> None:
    ann, ben = new_visitor(browser, ui_server), new_visitor(browser, ui_server)
    ann_name, ben_name = unique("ann"), unique("ben")
    for person, name in ((ann, ann_name), (ben, ben_name)):
        person.register(name)
        person.login(name)
        person.post(f"hello from {name}")
    ann_says, ben_says = (ann_name, f"hello from {ann_name}"), (ben_name, f"hello from {ben_name}")

    ben.open("/public")
    assert ann_says in ben.messages() and ben_says in ben.messages()
    ben.open("/")
    assert ben.messages()[0] == ben_says and ann_says not in ben.messages()

    ben.open(f"/{ann_name}")
    assert ben.messages() == [ann_says]
    assert "You are not yet following this user." in ben.page.locator(".followstatus").inner_text()
    ben.page.get_by_role("link", name="Follow user").click()
    ben.page.wait_for_url(f"**/{ann_name}")
    assert ben.flashes() == [f'You are now following "{ann_name}"']
    assert (
        "You are currently following this user." in ben.page.locator(".followstatus").inner_text()
    )

    ben.page.get_by_role("link", name="my timeline").click()
    assert ben.messages()[:2] == [ben_says, ann_says]
    ben.open(f"/{ben_name}")
    assert ben.page.locator(".followstatus").inner_text().strip() == "This is you!"
    assert ben.messages() == [ben_says]

    ben.open(f"/{ann_name}")
    ben.page.get_by_role("link", name="Unfollow user").click()
    assert ben.flashes() == [f'You are no longer following "{ann_name}"']
    ben.open("/")
    assert ann_says not in ben.messages()
    for person in (ann, ben):
        person.page.context.close()
        person.assert_clean_console()


def test_author_links_lead_to_their_timeline(poster: Visitor) -> None:
    poster.post("find me")
    author = poster.page.locator("ul.messages .message-meta a").first
    name = author.inner_text()
    author.click()
    assert poster.page.get_by_role("heading", level=2).inner_text() == f"{name}'s Timeline"
    assert poster.page.title() == f"{name}'s Timeline | MiniTwit"


def test_error_pages_are_readable(visitor: Visitor) -> None:
    response = visitor.open("/nobody-by-this-name")
    assert response is not None and response.status == 404
    assert "There is no user called" in visitor.page.locator("main").inner_text()
    name = unique("target")
    visitor.register(name)
    response = visitor.open(f"/{name}/follow")
    assert response is not None and response.status == 401
    visitor.page.locator("main").get_by_role("link", name="Sign in").click()
    visitor.page.wait_for_url("**/login")
    visitor.console.expect_http_error(404)
    visitor.console.expect_http_error(401)
