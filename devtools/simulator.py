"""The course simulator's credentials, as the header it sends."""

from __future__ import annotations

import base64

USERNAME = "simulator"
PASSWORD = "super_safe!"  # noqa: S105 - the course's public default, also the app's


def basic_auth(username: str = USERNAME, password: str = PASSWORD) -> str:
    """The value of an ``Authorization: Basic`` header for these credentials."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


SIMULATOR_AUTH = {"Authorization": basic_auth()}
"""Headers that authenticate as the course's simulator."""
