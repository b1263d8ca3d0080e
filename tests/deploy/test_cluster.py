"""The local cluster on real parts: nginx spreads requests, replicas share sessions and data,
and a replica that dies or restarts costs at most the requests it was serving."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
import requests

from deploy import processes
from deploy.cluster import Cluster

from .conftest import TIMEOUT, messages, register, tweet

pytestmark = [pytest.mark.live, pytest.mark.postgres]


def replica_hits(cluster: Cluster) -> Counter[str]:
    """How many requests nginx's access log shows each replica answering."""
    hits: Counter[str] = Counter()
    for entry in cluster.access_log():
        hits.update(address.strip() for address in entry["upstream"].split(","))
    return hits


def test_requests_are_spread_round_robin_over_the_replicas(cluster: Cluster) -> None:
    for _ in range(20):
        assert requests.get(f"{cluster.url}/public", timeout=TIMEOUT).status_code == 200
    hits = replica_hits(cluster)
    addresses = {f"127.0.0.1:{replica.port}" for replica in cluster.replicas}
    assert set(hits) == addresses
    assert min(hits.values()) >= 8, hits


def test_a_login_on_one_replica_is_valid_on_the_other(cluster: Cluster) -> None:
    first, second = cluster.replicas
    assert register(first.url, "alice") == 204
    session = requests.Session()
    login = session.post(
        f"{first.url}/login",
        data={"username": "alice", "password": "secret"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert login.status_code == 302
    cookie = login.cookies.get("session")
    assert cookie
    timeline = requests.get(f"{second.url}/", cookies={"session": cookie}, timeout=TIMEOUT)
    assert timeline.status_code == 200
    assert "My Timeline" in timeline.text and "sign out [alice]" in timeline.text


def login(base: str, **headers: str) -> requests.Response:
    return requests.post(
        f"{base}/login",
        data={"username": "alice", "password": "secret"},
        headers=headers,
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def test_nginx_passes_the_clients_host_and_its_own_scheme(cluster: Cluster) -> None:
    """TRUST_PROXY=1 on the replicas: what nginx forwards decides Origin checks and Secure."""
    assert register(cluster.url, "alice") == 204
    # The browser's Origin matches the Host nginx forwards: a same-site login succeeds.
    assert login(cluster.url, Origin=cluster.url).status_code == 302
    assert login(cluster.url, Origin="http://elsewhere.example").status_code == 403
    # A replica trusts X-Forwarded-Proto (its session cookie turns Secure) ...
    direct = login(cluster.replicas[0].url, **{"X-Forwarded-Proto": "https"})
    assert "Secure" in direct.headers["Set-Cookie"]
    # ... but through nginx the client's claim is replaced by nginx's own scheme (http).
    proxied = login(cluster.url, **{"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 302
    assert "Secure" not in proxied.headers["Set-Cookie"]


class Clients:
    """Threads that each post numbered messages and read /public through nginx until stopped."""

    def __init__(self, base: str, count: int) -> None:
        self.base = base
        self.stop = threading.Event()
        self.acknowledged: dict[str, list[str]] = {}
        self.failures: list[str] = []
        for n in range(count):
            username = f"client{n}"
            assert register(base, username) == 204
            self.acknowledged[username] = []
        self.threads = [
            threading.Thread(target=self._run, args=(name,), daemon=True)
            for name in self.acknowledged
        ]

    def _run(self, username: str) -> None:
        number = 0
        while not self.stop.is_set():
            number += 1
            content = f"{username} message {number}"
            try:
                status = tweet(self.base, username, content)
                if status == 204:
                    self.acknowledged[username].append(content)
                else:
                    self.failures.append(f"POST {status}")
                read = requests.get(f"{self.base}/public", timeout=TIMEOUT)
                if read.status_code != 200:
                    self.failures.append(f"GET {read.status_code}")
            except requests.RequestException as exc:
                self.failures.append(type(exc).__name__)

    def run_while(self, action: Callable[[], None]) -> None:
        """Run the clients for 1 s, then during ``action``, then 1 s more."""
        for thread in self.threads:
            thread.start()
        try:
            time.sleep(1.0)
            action()
            time.sleep(1.0)
        finally:
            self.stop.set()
            for thread in self.threads:
                thread.join(timeout=30)

    def assert_nothing_acknowledged_is_lost(self) -> None:
        for username, contents in self.acknowledged.items():
            assert contents, f"{username} got nothing acknowledged"
            assert set(contents) <= messages(self.base, username)


def test_sigkill_of_one_replica_costs_at_most_the_requests_in_flight(cluster: Cluster) -> None:
    victim = cluster.replicas[0]
    group = victim.pid
    assert len(processes.members(group)) >= 3  # the server and its two workers
    clients = Clients(cluster.url, 3)
    clients.run_while(victim.kill)
    assert processes.members(group) == []  # the server and all its workers are gone
    assert len(clients.failures) <= len(clients.threads), clients.failures
    clients.assert_nothing_acknowledged_is_lost()
    # nginx routes around the dead replica: every request succeeds, retried ones included.
    for n in range(10):
        assert tweet(cluster.url, "client0", f"after {n}") == 204
        assert requests.get(f"{cluster.url}/public", timeout=TIMEOUT).status_code == 200
    # A request that met the dead replica first (connection refused) was retried and answered.
    retried = [entry for entry in cluster.access_log() if "," in entry["upstream"]]
    assert all(entry["status"] in (200, 204) for entry in retried), retried


def test_graceful_restart_of_a_replica_during_traffic_loses_nothing(cluster: Cluster) -> None:
    restarted = cluster.replicas[0]
    old_pid = restarted.pid
    clients = Clients(cluster.url, 3)
    clients.run_while(restarted.restart)
    assert restarted.pid != old_pid and restarted.running
    assert clients.failures == []
    clients.assert_nothing_acknowledged_is_lost()
    assert sum(len(contents) for contents in clients.acknowledged.values()) > 20
