"""A fresh live MiniTwit for the scanners, seeded over HTTP with a user to log in as."""

from __future__ import annotations

import json
import secrets
from base64 import b64encode
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener

from devtools.live import live_minitwit

from .context import Target

SCAN_USER = "scanner"
OTHER_USER = "alice"


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _send(url: str, data: bytes, headers: dict[str, str]) -> int:
    opener = build_opener(_NoRedirect)
    request = Request(url, data=data, headers=headers, method="POST")  # noqa: S310 - http only
    try:
        with opener.open(request, timeout=10) as r:
            return int(r.status)
    except HTTPError as exc:
        return exc.code


def seed(target: Target) -> None:
    """Register the scan user through the web form and a second user with a message to follow."""
    form = urlencode(
        {
            "username": target.username,
            "email": f"{target.username}@example.org",
            "password": target.password,
            "password2": target.password,
        }
    ).encode()
    status = _send(
        f"{target.url}/register", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    if status != 302:
        raise RuntimeError(f"registering {target.username} through the form gave {status}")
    basic = b64encode(f"{target.simulator_user}:{target.simulator_password}".encode()).decode()
    api = {"Content-Type": "application/json", "Authorization": f"Basic {basic}"}
    steps = [
        ("/register", {"username": OTHER_USER, "email": "alice@example.org", "pwd": "alice-pw-1"}),
        (f"/msgs/{OTHER_USER}", {"content": "Hello from the security pipeline"}),
        (f"/msgs/{target.username}", {"content": "A message the scanner can see"}),
        (f"/fllws/{target.username}", {"follow": OTHER_USER}),
    ]
    for path, body in steps:
        status = _send(f"{target.url}{path}", json.dumps(body).encode(), api)
        if status != 204:
            raise RuntimeError(f"seeding {path} gave {status}")


@contextmanager
def live_target(workdir: Path, workers: int = 2) -> Iterator[Target]:
    """Start MiniTwit on a fresh SQLite database with random secrets, seed it, yield it."""
    simulator_password = secrets.token_urlsafe(16)
    env = {
        "SECRET_KEY": secrets.token_hex(32),
        "SIMULATOR_USERNAME": "simulator",
        "SIMULATOR_PASSWORD": simulator_password,
        "DATABASE_URL": f"sqlite:///{workdir / 'scan.sqlite'}",
    }
    with live_minitwit(workdir, env=env, workers=workers) as server:
        target = Target(
            server.url, SCAN_USER, secrets.token_urlsafe(12), "simulator", simulator_password
        )
        seed(target)
        yield target
