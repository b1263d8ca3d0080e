"""Locust's distributed mode (a master and two worker processes) replays through nginx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deploy.cluster import Cluster
from deploy.distributed import replay

pytestmark = [pytest.mark.live, pytest.mark.postgres]


def test_master_and_two_workers_replay_a_scenario_through_nginx_with_integrity(
    cluster: Cluster, tmp_path: Path
) -> None:
    from loadtest.generate import write_generated

    scenario = write_generated(tmp_path / "scenario.csv", actions=300, users=12, seed=11)
    report = tmp_path / "report"
    arguments = ["-u", "8", "--spawn-rate", "100", "--only-summary", "--run-time", "100s"]
    arguments += ["--scenario", str(scenario), "--report-dir", str(report)]
    arguments += ["--request-timeout", "10", "--slo-p95-ms", "10000"]
    done = replay(cluster.url, arguments, workers=2, timeout=150)
    assert done.returncode == 0, done.stdout[-3000:]
    summary = json.loads((report / "summary.json").read_text())
    assert summary["replay"]["completed"] == 300
    assert summary["errors_by_category"] == {}
    assert summary["integrity"]["ok"] is True
    assert summary["integrity"]["checked_users"] == 12
    # Both replicas served the replay's requests.
    served = {entry["upstream"] for entry in cluster.access_log() if "/msgs/" in entry["uri"]}
    assert {f"127.0.0.1:{replica.port}" for replica in cluster.replicas} <= served
