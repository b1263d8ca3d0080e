"""Slow clients (slowloris): connections that trickle a request and never finish it.

Used by the fault drills, the server benchmark and the tests to check that a few hundred
stalled connections do not starve normal clients. Loopback only, bounded in time: every
connection is closed when the block ends.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class SlowClients:
    """What the slow connections did: how many opened, and how many the server dropped."""

    opened: int = 0
    dropped: int = 0
    _sockets: list[socket.socket] = field(default_factory=list)


def _trickle(target: SlowClients, stop: threading.Event, interval: float, body: bool) -> None:
    """Send one more header line (or body byte) on every open connection each interval."""
    beat = 0
    while not stop.wait(interval):
        beat += 1
        for sock in list(target._sockets):
            try:
                sock.sendall(b"x" if body else f"X-Slow-{beat}: {beat}\r\n".encode())
            except OSError:
                target._sockets.remove(sock)
                target.dropped += 1
                sock.close()


@contextmanager
def slow_clients(
    url: str,
    count: int = 200,
    interval: float = 1.0,
    body: bool = False,
    limit: float = 120,
    length: int = 1_000_000,
    headers: Mapping[str, str] | None = None,
) -> Iterator[SlowClients]:
    """Hold ``count`` connections to ``url`` that send headers (or a body) a line per interval.

    ``body=True`` sends complete headers announcing a body of ``length`` bytes (1 MB: over
    MiniTwit's limit; 1 KB: accepted, so the app waits to read it), then a byte per interval.
    ``headers`` are sent too (the simulator's credentials make the app read the body instead
    of refusing it with 403). The connections close when the block ends, or after ``limit``
    seconds at the latest.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 80
    if host not in LOOPBACK:
        raise ValueError(f"slow clients only target loopback, not {host!r}")
    head = f"POST /msgs/slowloris HTTP/1.1\r\nHost: {host}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    state, stop = SlowClients(), threading.Event()
    for _ in range(count):
        sock = socket.create_connection((host, port), timeout=5)
        sock.sendall(head.encode())
        state._sockets.append(sock)
        state.opened += 1
    worker = threading.Thread(target=_trickle, args=(state, stop, interval, body), daemon=True)
    worker.start()
    timer = threading.Timer(limit, stop.set)
    timer.start()
    try:
        yield state
    finally:
        stop.set()
        timer.cancel()
        worker.join(timeout=interval + 5)
        for sock in state._sockets:
            sock.close()
        state._sockets.clear()
