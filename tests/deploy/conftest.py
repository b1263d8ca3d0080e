"""A real local cluster for the deploy tests: PostgreSQL, two replicas, nginx in front.

nginx (Debian package) and PostgreSQL are required: without them the tests skip with the
reason, and fail instead under MINITWIT_REQUIRE_TOOLS=1 / MINITWIT_REQUIRE_POSTGRES=1 (CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from deploy.balancer import NginxUnavailable, find_nginx
from deploy.cluster import Cluster, start_cluster
from devtools.postgres import PostgresUnavailable
from devtools.simulator import SIMULATOR_AUTH

TIMEOUT = 10


def missing(variable: str, reason: str) -> None:
    """Skip with ``reason``, or fail when ``variable``=1 makes the tool mandatory."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"required tool missing ({variable}=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def nginx() -> str:
    """The nginx binary."""
    try:
        return find_nginx()
    except NginxUnavailable as exc:
        missing("MINITWIT_REQUIRE_TOOLS", str(exc))
        raise


@pytest.fixture
def cluster(nginx: str, tmp_path: Path) -> Iterator[Cluster]:
    """A fresh two-replica cluster (2 workers each) on its own PostgreSQL."""
    try:
        with start_cluster(tmp_path, replicas=2, workers=2) as running:
            yield running
    except PostgresUnavailable as exc:
        missing("MINITWIT_REQUIRE_POSTGRES", str(exc))


def register(base: str, username: str) -> int:
    """Register a user through the simulator API; the HTTP status."""
    body = {"username": username, "email": f"{username}@example.com", "pwd": "secret"}
    response = requests.post(f"{base}/register", json=body, headers=SIMULATOR_AUTH, timeout=TIMEOUT)
    return response.status_code


def tweet(base: str, username: str, content: str) -> int:
    """Post a message through the simulator API; the HTTP status."""
    response = requests.post(
        f"{base}/msgs/{username}",
        json={"content": content},
        headers={**SIMULATOR_AUTH, "Connection": "close"},
        timeout=TIMEOUT,
    )
    return response.status_code


def messages(base: str, username: str) -> set[str]:
    """Every message of a user, as the API lists them."""
    response = requests.get(
        f"{base}/msgs/{username}", params={"no": 10000}, headers=SIMULATOR_AUTH, timeout=TIMEOUT
    )
    response.raise_for_status()
    return {message["content"] for message in response.json()}
