"""Fixtures for the fast drills: one cluster shared by the cluster drills, a drill context."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.balancer import NginxUnavailable, find_nginx
from deploy.cluster import Cluster, start_cluster
from devtools.postgres import find_bindir
from faults.drill import Context


@pytest.fixture(scope="session")
def shared_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """nginx, 3 replicas and PostgreSQL shared by the cluster drills (each leaves it whole)."""
    try:
        find_nginx()
    except NginxUnavailable as exc:
        pytest.skip(str(exc))
    if find_bindir() is None:
        pytest.skip("PostgreSQL is not installed")
    with start_cluster(tmp_path_factory.mktemp("cluster"), replicas=3, workers=1) as running:
        yield running


@pytest.fixture
def quick(tmp_path: Path) -> Context:
    """A quick drill context in a fresh folder, progress lines kept for the assertion messages."""
    return Context(tmp_path, quick=True, progress=lambda _line: None)


def failures(result: object) -> str:
    """The failed checks of a drill result and what it saw, for assertion messages."""
    checks = result.verdict.failures  # type: ignore[attr-defined]
    effect = getattr(result, "effect", "")
    return ("; ".join(check.line() for check in checks) or "none") + f" (effect: {effect})"
