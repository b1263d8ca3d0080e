"""Every timeline pages through its history with "Older messages" links (keyset cursors)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests

from devtools.live import LiveServer

from ..conftest import SIMULATOR_AUTH
from .conftest import Visitor, new_visitor

PER_PAGE = 30
SAME_SECOND_POSTS = 35  # posted in a burst: many share a pub_date, so ties must page cleanly


def api(server: LiveServer, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call the simulator API of ``server``."""
    if body is None:
        response = requests.get(server.url + path, headers=SIMULATOR_AUTH, timeout=10)
    else:
        response = requests.post(server.url + path, json=body, headers=SIMULATOR_AUTH, timeout=10)
    response.raise_for_status()
    return response.json() if response.content else None


@pytest.fixture(scope="module")
def history(seeded_server: LiveServer) -> dict[str, Any]:
    """The seeded messages plus a burst of same-second posts, as the API lists them."""
    seeded = [m["user"] for m in api(seeded_server, "/msgs?no=1000")]
    users = sorted(set(seeded), key=seeded.count, reverse=True)  # most active first
    for number in range(SAME_SECOND_POSTS):
        api(seeded_server, quote(f"/msgs/{users[number % 2]}"), {"content": f"burst {number:02d}"})
    everything = [(m["user"], m["content"]) for m in api(seeded_server, "/msgs?no=1000")]
    follows = {name: api(seeded_server, quote(f"/fllws/{name}"))["follows"] for name in users}
    return {"users": users, "all": everything, "follows": follows}


@pytest.fixture
def reader(browser: Any, seeded_server: LiveServer) -> Iterator[Visitor]:
    person = new_visitor(browser, seeded_server)
    yield person
    person.page.context.close()
    person.assert_clean_console()


def read_all_pages(reader: Visitor, path: str) -> list[list[tuple[str, str]]]:
    """Follow "Older messages" from ``path`` to the end; return the messages of each page."""
    reader.open(path)
    pages = [reader.messages()]
    older = reader.page.get_by_role("link", name="Older messages")
    while older.count():
        older.click()
        reader.page.wait_for_load_state()
        pages.append(reader.messages())
        assert reader.page.get_by_role("link", name="Newest messages").count() == 1
    return pages


def assert_paged(pages: list[list[tuple[str, str]]], expected: list[tuple[str, str]]) -> None:
    assert [len(page) for page in pages[:-1]] == [PER_PAGE] * (len(pages) - 1)
    assert 0 < len(pages[-1]) <= PER_PAGE
    assert [message for page in pages for message in page] == expected


def test_public_timeline_pages_through_everything(reader: Visitor, history: dict[str, Any]) -> None:
    pages = read_all_pages(reader, "/public")
    assert len(history["all"]) > 3 * PER_PAGE  # the seed is big enough to need 4 pages
    assert_paged(pages, history["all"])
    reader.page.get_by_role("link", name="Newest messages").click()
    assert reader.messages() == history["all"][:PER_PAGE]


def test_user_timeline_pages(reader: Visitor, history: dict[str, Any]) -> None:
    name = history["users"][0]
    mine = [message for message in history["all"] if message[0] == name]
    assert len(mine) > PER_PAGE
    assert_paged(read_all_pages(reader, quote(f"/{name}")), mine)


def test_my_timeline_pages(reader: Visitor, history: dict[str, Any]) -> None:
    def timeline(name: str) -> list[tuple[str, str]]:
        authors = {name, *history["follows"][name]}
        return [message for message in history["all"] if message[0] in authors]

    name = next(name for name in history["users"] if history["follows"][name])
    expected = timeline(name)
    assert len(expected) > PER_PAGE and len(expected) < len(history["all"])
    reader.login(name, "minitwit")  # the seed's password
    assert_paged(read_all_pages(reader, "/"), expected)


def test_a_malformed_page_address_is_a_readable_400(reader: Visitor) -> None:
    response = reader.open("/public?before=yesterday")
    assert response is not None and response.status == 400
    assert "'before' must look like" in reader.page.locator("main").inner_text()
    reader.console.expect_http_error(400)
