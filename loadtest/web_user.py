"""``WebUser``: a person on the site who reads timelines, posts, follows and logs in and out."""

from __future__ import annotations

import html
import random
import re
import uuid
from typing import ClassVar
from urllib.parse import quote

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser
from markupsafe import escape

from .words import WORDS

AUTHOR_LINK = re.compile(r'<a href="/([^"/?#]+)"')
NOT_USERS = {"public", "login", "logout", "register", "static", "add_message", "favicon.ico"}


class WebUser(FastHttpUser):
    """Browses like a person: mostly reading, sometimes writing; judges status and page text."""

    wait_time = between(1, 5)
    known_users: ClassVar[list[str]] = []  # shared by all WebUsers of this process

    def on_start(self) -> None:
        self.username = f"web-{uuid.uuid4().hex[:12]}"
        self.password = uuid.uuid4().hex
        self.following: set[str] = set()
        self.register()
        self.login()
        WebUser.known_users.append(self.username)

    def expect(
        self,
        method: str,
        path: str,
        name: str,
        text: str | None = None,
        data: dict[str, str] | None = None,
    ) -> str:
        """Request a page (redirects followed) and fail unless 200 and ``text`` is on it."""
        with self.client.request(
            method, path, name=name, data=data, catch_response=True
        ) as response:
            body = response.text or ""
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif text is not None and text not in body:
                response.failure(f"missing text: {text[:60]}")
            else:
                response.success()
        return body

    def register(self) -> None:
        form = {
            "username": self.username,
            "email": f"{self.username}@example.org",
            "password": self.password,
            "password2": self.password,
        }
        self.expect("GET", "/register", "/register [form]")
        self.expect("POST", "/register", "/register", "successfully registered", data=form)

    def login(self) -> None:
        form = {"username": self.username, "password": self.password}
        self.expect("POST", "/login", "/login", "You were logged in", data=form)

    def someone_else(self) -> str | None:
        others = [name for name in WebUser.known_users if name != self.username]
        return random.choice(others) if others else None

    @task(10)
    def public_timeline(self) -> None:
        body = self.expect("GET", "/public", "/public", "Public Timeline")
        for name in AUTHOR_LINK.findall(body)[:30]:
            name = html.unescape(name)
            if (
                name not in NOT_USERS
                and name not in WebUser.known_users
                and len(WebUser.known_users) < 1000
            ):
                WebUser.known_users.append(name)

    @task(8)
    def my_timeline(self) -> None:
        self.expect("GET", "/", "/", "My Timeline")

    @task(6)
    def user_page(self) -> None:
        name = self.someone_else()
        if name:
            self.expect("GET", f"/{quote(name, safe='')}", "/<username>", str(escape(name)))

    @task(3)
    def post(self) -> None:
        text = " ".join(random.choices(WORDS, k=random.randint(3, 15)))
        self.expect(
            "POST", "/add_message", "/add_message", "Your message was recorded", data={"text": text}
        )

    @task(2)
    def follow(self) -> None:
        name = self.someone_else()
        if name:
            self.expect(
                "GET",
                f"/{quote(name, safe='')}/follow",
                "/<username>/follow",
                str(escape(f'You are now following "{name}"')),
            )
            self.following.add(name)

    @task(1)
    def unfollow(self) -> None:
        if self.following:
            name = self.following.pop()
            self.expect(
                "GET",
                f"/{quote(name, safe='')}/unfollow",
                "/<username>/unfollow",
                str(escape(f'You are no longer following "{name}"')),
            )

    @task(1)
    def log_out_and_in(self) -> None:
        self.expect("GET", "/logout", "/logout", "You were logged out")
        self.login()
