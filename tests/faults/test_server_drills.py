"""Fast versions of drills 4-7 against bare `minitwit serve` processes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from deploy.cluster import Cluster
from faults.drill import Context
from faults.drills.crash import server_kill
from faults.drills.loki import loki_down
from faults.drills.races import races
from faults.drills.slow import slow

from .conftest import failures


def test_server_kill_on_sqlite_loses_no_acknowledged_write(quick: Context) -> None:
    result = server_kill(quick)
    assert result.details["verification"]["checked"] > 0
    assert result.acknowledged_lost == 0
    assert result.recovery_seconds is not None
    assert result.passed, failures(result)


@pytest.mark.postgres
def test_races_have_one_winner_and_no_5xx_on_both_databases(quick: Context) -> None:
    result = races(quick)
    assert set(result.details) == {"sqlite", "postgres"}
    for database in ("sqlite", "postgres"):
        assert result.details[database]["register"].get(204) == 1
    assert result.failed_requests == 0
    assert result.passed, failures(result)


def test_loki_unreachable_or_hanging_does_not_slow_requests(quick: Context) -> None:
    result = loki_down(quick)
    assert result.details["unreachable"]["push_failures"] > 0
    assert result.details["hanging"]["push_failures"] > 0
    assert result.passed, failures(result)


def test_slow_clients_do_not_starve_normal_ones(quick: Context, shared_cluster: Cluster) -> None:
    result = slow(replace(quick, shared_cluster=shared_cluster))
    assert set(result.details) == {"load balancer", "bare serve"}
    assert result.passed, failures(result)
