"""Fast versions of drills 1-3 through a real cluster (nginx, 3 replicas, PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

from deploy.cluster import Cluster
from faults.drill import Context
from faults.drills.cluster import GRACE, database_outage, replica_kill, rolling_restart

from .conftest import failures


def test_replica_kill_fails_only_requests_in_flight(
    quick: Context, shared_cluster: Cluster
) -> None:
    result = replica_kill(replace(quick, shared_cluster=shared_cluster))
    assert result.acknowledged_lost == 0
    assert result.failed_requests is not None and result.failed_requests <= 4
    assert result.passed, failures(result)


def test_database_outage_gives_503s_inside_the_window_and_recovers(
    quick: Context, shared_cluster: Cluster
) -> None:
    result = database_outage(replace(quick, shared_cluster=shared_cluster))
    assert result.acknowledged_lost == 0
    assert result.failed_requests  # the outage was visible
    assert result.recovery_seconds is not None and result.recovery_seconds <= GRACE
    assert result.passed, failures(result)


def test_rolling_restart_fails_no_request(quick: Context, shared_cluster: Cluster) -> None:
    result = rolling_restart(replace(quick, shared_cluster=shared_cluster))
    assert result.acknowledged_lost == 0
    assert result.failed_requests == 0, failures(result)
