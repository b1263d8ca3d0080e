"""Traffic stays in its bounds, and the acknowledged-write check finds a write that is missing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from deploy.cluster import Replica
from faults.servers import bare_server
from faults.traffic import Plan, Traffic
from faults.verify import verify
from loadtest.scenario import TWEET


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    with bare_server(tmp_path_factory.mktemp("verify")) as running:
        yield running


def test_traffic_stops_by_itself_after_max_requests(server: Replica) -> None:
    traffic = Traffic(
        server.url, Plan(threads=2, users_per_thread=2, rate=0, seconds=5.0, max_requests=50)
    )
    with traffic.running():
        traffic.wait(10)
    assert len(traffic.result.records) == 50
    assert traffic.result.duration < 5.0


def test_traffic_refuses_a_target_outside_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        Traffic("http://192.0.2.1:8080")


def test_a_deleted_acknowledged_tweet_counts_as_lost(server: Replica) -> None:
    traffic = Traffic(server.url, Plan(threads=2, rate=100, seconds=1.0, read_share=0))
    with traffic.running():
        traffic.wait()
    assert verify(server.url, traffic.result).lost == []
    victim = next(a for a in traffic.result.acknowledged if a.command == TWEET)
    with sqlite3.connect(server.cwd / "minitwit.sqlite") as db:
        db.execute("DELETE FROM message WHERE text = ?", (victim.args[0],))
    lost = verify(server.url, traffic.result).lost
    assert [(item["kind"], item["user"]) for item in lost] == [("tweet", victim.username)]
