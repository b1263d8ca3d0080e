"""`minitwit serve` under its HTTP servers: slow clients, graceful shutdown, worker respawn."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from devtools.live import LiveServer, live_minitwit, wait_until_ready
from devtools.ports import free_port
from devtools.simulator import SIMULATOR_AUTH
from devtools.slowclients import slow_clients
from minitwit.cli import main
from minitwit.server import GRACEFUL_TIMEOUT
from tests.observability.loki_receiver import loki_receiver

pytestmark = pytest.mark.live

NORMAL_REQUEST_BOUND = 1.0  # seconds; the simulator itself gives up after 0.3 s


def port_of(server: LiveServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def worker_pids(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def test_fifty_slow_clients_do_not_starve_normal_ones(tmp_path: Path) -> None:
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, workers=2) as server:
        with slow_clients(server.url, count=50, interval=0.5, limit=30) as slow:
            time.sleep(0.5)  # every slow connection has been accepted and sent a line
            took = []
            for _ in range(100):
                start = time.perf_counter()
                response = requests.get(
                    server.url + "/healthz", headers={"Connection": "close"}, timeout=5
                )
                took.append(time.perf_counter() - start)
                assert response.status_code == 200
        p99 = statistics.quantiles(took, n=100)[98]
        print(f"normal clients beside 50 slow ones: p99 {p99 * 1000:.1f} ms, max {max(took):.3f} s")
        assert max(took) < NORMAL_REQUEST_BOUND
        assert slow.opened == 50


def test_slowly_sent_bodies_do_not_starve_normal_clients(tmp_path: Path) -> None:
    """60 clients with the simulator's credentials trickle a body the app must read: before
    server/bodies.py, two of them stopped a 2-worker serve (granian has no body timeout)."""
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, workers=2) as server:
        registered = {"username": "slowloris", "email": "s@example.com", "pwd": "pw"}
        assert requests.post(server.url + "/register", json=registered, timeout=5).ok
        with slow_clients(
            server.url, 60, 0.5, body=True, length=30, headers=SIMULATOR_AUTH, limit=30
        ) as slow:
            time.sleep(0.5)
            took = []
            for number in range(50):
                start = time.perf_counter()
                response = requests.post(
                    server.url + "/msgs/slowloris",
                    json={"content": f"normal {number}"},
                    headers=SIMULATOR_AUTH,
                    timeout=5,
                )
                took.append(time.perf_counter() - start)
                assert response.status_code == 204
        print(f"normal posts beside 60 slow bodies: max {max(took) * 1000:.1f} ms")
        assert max(took) < NORMAL_REQUEST_BOUND
        assert slow.opened == 60 and slow.dropped == 0


def start_registration(port: int, username: str) -> tuple[socket.socket, bytes]:
    """Send a simulator registration's headers and the first bytes of its body; return the rest."""
    body = json.dumps({"username": username, "email": f"{username}@example.com", "pwd": "pw"})
    head = (
        "POST /register?latest=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in SIMULATOR_AUTH.items())
        + "\r\n"
    )
    sock = socket.create_connection(("127.0.0.1", port), timeout=GRACEFUL_TIMEOUT + 5)
    sock.sendall(head.encode() + body[:10].encode())
    return sock, body[10:].encode()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_finishes_the_request_in_flight_and_refuses_new_ones(
    tmp_path: Path, stop: signal.Signals
) -> None:
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, workers=2) as server:
        port = port_of(server)
        sock, rest = start_registration(port, "inflight")
        time.sleep(0.3)  # the request is in the worker, waiting for the rest of its body
        stopped_at = time.monotonic()
        server.process.send_signal(stop)
        time.sleep(0.5)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        sock.sendall(rest)
        answer = sock.recv(200)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 204"), answer
        assert server.process.wait(timeout=GRACEFUL_TIMEOUT + 5) == 0
        assert time.monotonic() - stopped_at < GRACEFUL_TIMEOUT + 2
    assert "Granian shutdown completed" in server.output()


def test_a_killed_worker_is_replaced(tmp_path: Path) -> None:
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, workers=2) as server:
        victim = worker_pids(server.process.pid)[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while (victim in (pids := worker_pids(server.process.pid)) or len(pids) != 2) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.1)
        assert victim not in pids and len(pids) == 2
        for _ in range(10):
            response = requests.get(
                server.url + "/healthz", headers={"Connection": "close"}, timeout=5
            )
            assert response.status_code == 200


def test_log_lines_reach_loki_when_the_server_stops_before_the_next_batch(tmp_path: Path) -> None:
    with loki_receiver() as loki:
        env = {"SECRET_KEY": "k", "LOKI_URL": f"http://127.0.0.1:{loki.server_address[1]}"}
        with live_minitwit(tmp_path, env, workers=2) as server:
            requests.get(server.url + "/healthz?flushed=at-shutdown", timeout=5)
            server.process.send_signal(signal.SIGTERM)  # well inside the 5 s batch interval
            assert server.process.wait(timeout=GRACEFUL_TIMEOUT + 5) == 0
        pushed = [line for push in loki.pushes for s in push["streams"] for _, line in s["values"]]
        assert any('"route": "/healthz"' in line for line in pushed), pushed


def test_server_logs_are_json_lines(tmp_path: Path) -> None:
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, workers=2) as server:
        requests.get(server.url + "/healthz", timeout=5)
    lines = [line for line in server.output().splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    loggers = {record["logger"] for record in records}
    assert {"_granian", "minitwit.server", "minitwit"} <= loggers
    serving = [r for r in records if r["msg"].startswith("MiniTwit is serving on")]
    assert serving and serving[0]["server"] == "granian" and serving[0]["workers"] == 2
    assert not any(line.startswith("[INFO]") for line in server.output().splitlines())


def test_at_a_terminal_serve_speaks_plainly(tmp_path: Path) -> None:
    """Under a real pseudo-terminal: a plain 'serving on' line and readable request lines."""
    port = free_port()
    leader, follower = pty.openpty()
    env = {**os.environ, "SECRET_KEY": "k", "MINITWIT_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("LOG_FORMAT", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "minitwit", "serve", "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env, cwd=tmp_path,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", process)  # type: ignore[arg-type]
        requests.get(f"http://127.0.0.1:{port}/public", timeout=5)
        deadline = time.monotonic() + 10
        while b"GET /public 200" not in seen and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.5)[0]:
                seen += os.read(leader, 65536)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        os.close(leader)
    text = seen.decode(errors="replace")
    assert f"MiniTwit is serving on http://127.0.0.1:{port}/ (2 workers, granian)" in text
    assert "GET /public 200" in text
    assert not any(line.startswith("{") for line in text.splitlines()), text[-2000:]


@pytest.mark.parametrize("choice", ["gunicorn", "gthread"])
def test_gunicorn_stays_selectable(tmp_path: Path, choice: str) -> None:
    with live_minitwit(tmp_path, {"SECRET_KEY": "k"}, args=["--server", choice]) as server:
        assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
        # gunicorn refuses request lines over 8190 bytes with its own HTML page.
        overlong = requests.get(f"{server.url}/msgs?no={'0' * 9000}1", timeout=5)
        assert overlong.status_code == 400
        assert overlong.headers["Content-Type"].startswith("text/html")
    assert f"{choice}" in server.output().split("MiniTwit is serving on", 1)[1].splitlines()[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--server", "tornado"], "'tornado' is not one of 'granian', 'gunicorn', 'gthread'"),
        (["--server", "gunicorn", "--threads", "4"], "use --server gthread"),
        (["--threads", "0"], "0 is not in the range 1<=x<=64"),
    ],
)
def test_bad_server_options_are_refused_before_anything_starts(
    tmp_path: Path, args: list[str], message: str
) -> None:
    env = {"MINITWIT_INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "k"}
    result = CliRunner().invoke(main, ["serve", *args], env=env)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "instance" / "minitwit.sqlite").exists()
