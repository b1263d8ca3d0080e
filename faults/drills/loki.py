"""Drill 6: Loki unreachable and Loki hanging: request latency against no Loki, interleaved."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from devtools.ports import free_port
from devtools.simulator import SIMULATOR_AUTH
from faults.client import exchange
from faults.drill import Context, DrillResult, drill
from faults.records import percentile
from faults.servers import bare_server

# The bound: p50 within 1.3x the no-Loki p50 + 1 ms, p95 within 1.5x + 5 ms (two cores, shared).
P50_FACTOR, P50_SLACK, P95_FACTOR, P95_SLACK = 1.3, 0.001, 1.5, 0.005
FAILURES = re.compile(r"^minitwit_loki_push_failures_total (\d+(?:\.\d+)?)", re.MULTILINE)


@contextmanager
def hanging_loki() -> Iterator[str]:
    """A loopback socket that accepts connections and never answers; yields its URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(1)
        for connection in held:
            connection.close()
        listener.close()


def _push_failures(url: str) -> float:
    status, body, _error = exchange(url, "GET", "/metrics", 5.0)
    match = FAILURES.search(body.decode(errors="replace")) if status == 200 else None
    return float(match.group(1)) if match else 0.0


@drill("loki-down", "Loki unreachable and Loki hanging: request latency against no Loki")
def loki_down(context: Context) -> DrillResult:
    """Three servers (no Loki, closed port, hanging socket), requests interleaved between them."""
    result = DrillResult("loki-down", "Loki unreachable and hanging")
    seconds = 6.0 if context.quick else 16.0  # the app pushes every 5 s: at least one push
    with ExitStack() as stack:
        hanging = stack.enter_context(hanging_loki())
        closed = f"http://127.0.0.1:{free_port()}"
        servers = {}
        for label, loki in (("no Loki", ""), ("unreachable", closed), ("hanging", hanging)):
            folder = context.workdir / "loki-down" / label.replace(" ", "-")
            servers[label] = stack.enter_context(bare_server(folder, {"LOKI_URL": loki}, 1))
        result.injected = f"LOKI_URL to a closed port ({closed}) and to a socket that never answers"
        context.say(result.name, f"interleaving requests over 3 servers for {seconds:.0f} s")
        latencies: dict[str, list[float]] = {label: [] for label in servers}
        errors = dict.fromkeys(servers, 0)
        deadline, turn = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            turn += 1
            order = list(servers.items())
            for label, server in order[turn % 3 :] + order[: turn % 3]:
                begin = time.perf_counter()
                status, _body, _err = exchange(
                    server.url, "GET", "/msgs?no=20", 0.3, None, SIMULATOR_AUTH
                )
                latencies[label].append(time.perf_counter() - begin)
                errors[label] += status != 200
            time.sleep(0.01)
        pending = time.monotonic() + 10
        failures = {label: _push_failures(s.url) for label, s in servers.items()}
        while min(failures["unreachable"], failures["hanging"]) == 0 and time.monotonic() < pending:
            time.sleep(0.5)
            failures = {label: _push_failures(s.url) for label, s in servers.items()}
    base50, base95 = (percentile(latencies["no Loki"], f) or 0.0 for f in (0.5, 0.95))
    for label in ("unreachable", "hanging"):
        p50, p95 = (percentile(latencies[label], f) or 0.0 for f in (0.5, 0.95))
        result.check(
            f"{label}: pushes failed (the fault was real)",
            failures[label] > 0,
            failures[label],
            "> 0",
        )
        limit50, limit95 = base50 * P50_FACTOR + P50_SLACK, base95 * P95_FACTOR + P95_SLACK
        result.check(f"{label}: p50 within noise", p50 <= limit50, _ms(p50), f"<= {_ms(limit50)}")
        result.check(f"{label}: p95 within noise", p95 <= limit95, _ms(p95), f"<= {_ms(limit95)}")
    result.check("no failed request", not any(errors.values()), errors, 0)
    result.failed_requests = sum(errors.values())
    result.details = {
        label: {
            "requests": len(v),
            "p50_ms": _ms(percentile(v, 0.5)),
            "p95_ms": _ms(percentile(v, 0.95)),
            "push_failures": failures[label],
            "failed": errors[label],
        }
        for label, v in latencies.items()
    }
    result.window = (0.0, seconds)
    result.effect = "; ".join(
        f"{k}: p50 {d['p50_ms']} ms, p95 {d['p95_ms']} ms" for k, d in result.details.items()
    )
    return result


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)
