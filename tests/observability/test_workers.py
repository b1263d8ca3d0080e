"""Multiprocess metrics across `minitwit serve` workers: stale files cleared, deaths survived."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from devtools.live import live_minitwit
from minitwit.server.granian import reap_dead_workers

pytestmark = pytest.mark.live


def plant_stale_metrics(folder: Path) -> None:
    """Leave metric files behind, as a killed earlier run would."""
    folder.mkdir(parents=True)
    script = (
        "from minitwit.telemetry import metrics as m; "
        "m.HTTP_REQUESTS.labels('GET', '/stale-from-last-run', '200').inc(5)"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)},
    )
    assert list(folder.glob("counter_*.db"))


def readyz_count(base: str) -> float:
    text = requests.get(base + "/metrics", timeout=5).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('minitwit_http_requests_total{method="GET",route="/readyz"')
    )


def worker_pids(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def test_stale_files_are_cleared_and_counts_survive_a_killed_worker(tmp_path: Path) -> None:
    plant_stale_metrics(tmp_path / "instance" / "prometheus-multiproc")
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, workers=2) as server:
        assert "/stale-from-last-run" not in requests.get(server.url + "/metrics", timeout=5).text
        for _ in range(30):
            requests.get(server.url + "/readyz", headers={"Connection": "close"}, timeout=5)
        before = readyz_count(server.url)
        victim = worker_pids(server.process.pid)[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            pids = worker_pids(server.process.pid)
            if victim not in pids and len(pids) == 2:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the server did not replace the killed worker")
        for _ in range(10):
            requests.get(server.url + "/readyz", headers={"Connection": "close"}, timeout=5)
        # The dead worker's requests still count: counters never go backwards.
        assert readyz_count(server.url) >= before + 10


def test_live_gauges_of_dead_workers_are_reaped(tmp_path: Path) -> None:
    """What gunicorn's child_exit did; under granian a starting worker does it."""
    folder = tmp_path / "multiproc"
    folder.mkdir()
    script = (
        "from prometheus_client import Gauge; "
        "Gauge('in_flight', 'x', multiprocess_mode='livesum').set(3); "
        "Gauge('latest', 'x', multiprocess_mode='mostrecent').set(7)"
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
    live_files = list(folder.glob("gauge_livesum_*.db"))
    assert len(live_files) == 1
    pid = int(live_files[0].stem.rsplit("_", 1)[1])
    mine = folder / f"gauge_livesum_{os.getpid()}.db"
    mine.write_bytes(live_files[0].read_bytes())  # a live process's file stays
    assert reap_dead_workers(str(folder)) == [pid]
    assert sorted(p.name for p in folder.glob("gauge_live*")) == [mine.name]
    assert list(folder.glob("gauge_mostrecent_*.db"))  # not a live gauge: kept, as gunicorn did
