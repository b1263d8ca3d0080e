"""The load balancer's configuration: valid in both variants, and retries only where safe.

The retry tests run the real nginx with the real config in front of two tiny stand-in
upstreams (http.server threads that count requests and answer a fixed status): a real
replica cannot be made to answer 503 or drop a request on demand.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from deploy import balancer
from devtools.ports import free_port

COMPOSE = balancer.NGINX_DIR / "compose"


def directives(text: str) -> list[str]:
    """A config's lines without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def test_local_config_passes_nginx_t(nginx: str, tmp_path: Path) -> None:
    conf = balancer.write_config(tmp_path, free_port(), [free_port(), free_port()])
    assert conf.read_text() == balancer.SHARED_CONF.read_text()
    result = balancer.test_config(conf)
    assert result.returncode == 0, result.stderr


def test_compose_variant_passes_nginx_t_with_a_loopback_upstream(
    nginx: str, tmp_path: Path
) -> None:
    """`tasks.minitwit` does not resolve here: the upstream file is swapped for a loopback one."""
    shutil.copyfile(balancer.SHARED_CONF, tmp_path / "nginx.conf")
    shutil.copyfile(COMPOSE / "listen.conf", tmp_path / "listen.conf")
    (tmp_path / "upstream.conf").write_text(balancer.upstream_conf([free_port()]))
    result = balancer.test_config(tmp_path / "nginx.conf")
    assert result.returncode == 0, result.stderr


def test_compose_upstream_differs_from_the_local_one_only_in_the_addresses() -> None:
    compose = directives((COMPOSE / "upstream.conf").read_text())
    local = directives(balancer.upstream_conf([8001]))
    assert [d for d in compose if not d.startswith(("server ", "resolver "))] == [*local[:2], "}"]
    (compose_server,) = [d for d in compose if d.startswith("server ")]
    assert compose_server == f"server tasks.minitwit:5000 resolve {balancer.SERVER_OPTIONS};"
    assert local[2] == f"server 127.0.0.1:8001 {balancer.SERVER_OPTIONS};"


def test_nginx_t_rejects_a_broken_config(nginx: str, tmp_path: Path) -> None:
    conf = balancer.write_config(tmp_path, free_port(), [free_port()])
    (tmp_path / "upstream.conf").write_text(balancer.upstream_conf([1]).replace("}", ""))
    result = balancer.test_config(conf)
    assert result.returncode != 0
    assert "upstream.conf" in result.stderr


class Upstream:
    """A stand-in replica: answers every request with ``status`` and counts what it got."""

    def __init__(self, status: int) -> None:
        self.hits: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                owner.hits.append(self.command)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _answer

            def log_message(self, *_args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def balancing(tmp_path: Path, ports: list[int]) -> Iterator[str]:
    """The real nginx config in front of these ports; yields nginx's URL."""
    port = free_port()
    conf = balancer.write_config(tmp_path / "nginx", port, ports)
    running = balancer.start_nginx(conf, tmp_path / "logs")
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(f"{url}/.lb/health", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        running.stop()


@contextmanager
def upstreams(*statuses: int) -> Iterator[list[Upstream]]:
    started = [Upstream(status) for status in statuses]
    try:
        yield started
    finally:
        for upstream in started:
            upstream.close()


def hits(started: list[Upstream]) -> list[str]:
    """Every request the stand-ins got, then forget them."""
    seen = [method for upstream in started for method in upstream.hits]
    for upstream in started:
        upstream.hits.clear()
    return seen


def test_a_502_is_retried_on_the_next_replica_for_get_but_never_for_post(
    nginx: str, tmp_path: Path
) -> None:
    with upstreams(502, 502) as started, balancing(tmp_path, [u.port for u in started]) as url:
        assert requests.get(f"{url}/public", timeout=5).status_code == 502
        assert hits(started) == ["GET", "GET"]  # tried on both
        assert requests.post(f"{url}/msgs/a", json={}, timeout=5).status_code == 502
        assert hits(started) == ["POST"]  # it reached a replica: never sent twice


def test_the_apps_503_passes_through_and_does_not_mark_replicas_down(
    nginx: str, tmp_path: Path
) -> None:
    """A 503 means the shared database is down: the same answer on every replica."""
    with upstreams(503, 503) as started, balancing(tmp_path, [u.port for u in started]) as url:
        for _ in range(6):
            assert requests.get(f"{url}/public", timeout=5).status_code == 503
        # Each request reached one replica once, and both stayed in the rotation.
        assert [len(upstream.hits) for upstream in started] == [3, 3]


def test_a_post_to_a_replica_that_refuses_connections_goes_to_the_next(
    nginx: str, tmp_path: Path
) -> None:
    alive = Upstream(204)
    try:
        with balancing(tmp_path, [free_port(), alive.port]) as url:
            for _ in range(4):
                assert requests.post(f"{url}/msgs/a", json={}, timeout=5).status_code == 204
        assert alive.hits == ["POST"] * 4
    finally:
        alive.close()
