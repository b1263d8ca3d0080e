"""The live MiniTwit the scanners judge, seeded over HTTP with a user to log in as.

Either a fresh one started from this checkout (``live_target``) or a running one named by
``--target`` (``remote_target``): then nothing is started, the seeded names are unique to the
run, and the simulator credentials are the operator's.
"""

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
SCAN_LIMITS = (
    "LOGIN_FAILURES_PER_ACCOUNT",
    "LOGIN_FAILURES_PER_ADDRESS",
    "WEB_REGISTRATIONS_PER_ADDRESS",
)
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


def seed(target: Target, other: str = OTHER_USER) -> None:
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
        ("/register", {"username": other, "email": f"{other}@example.org", "pwd": "alice-pw-1"}),
        (f"/msgs/{other}", {"content": "Hello from the security pipeline"}),
        (f"/msgs/{target.username}", {"content": "A message the scanner can see"}),
        (f"/fllws/{target.username}", {"follow": other}),
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
        # The scanners fuzz the sign-in and sign-up forms from one address: with the default
        # limits the throttle would answer most probes 429 and refuse the logged-in scan's own
        # sign-in. The throttle is judged by its tests (tests/test_throttle.py), not here.
        **dict.fromkeys(SCAN_LIMITS, "1000000"),
    }
    with live_minitwit(workdir, env=env, workers=workers) as server:
        target = Target(
            server.url, SCAN_USER, secrets.token_urlsafe(12), "simulator", simulator_password
        )
        seed(target)
        yield target


def remote_target(url: str, simulator_user: str, simulator_password: str) -> Target:
    """A running MiniTwit at ``url`` (already guarded), seeded with names unique to this run.

    A target that refuses the seeding is still scanned; the log-in scan then reports that it
    could not log in, and this prints why.
    """
    tag = secrets.token_hex(3)
    target = Target(
        url,
        f"{SCAN_USER}-{tag}",
        secrets.token_urlsafe(12),
        simulator_user,
        simulator_password,
        external=True,
    )
    try:
        seed(target, f"{OTHER_USER}-{tag}")
    except (RuntimeError, OSError) as exc:
        print(f"[security] seeding {url} failed, scanning it anyway: {exc}", flush=True)
    return target
