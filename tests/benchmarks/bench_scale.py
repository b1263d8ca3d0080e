"""Timeline cost at 10,000 versus 1,000,000 messages (10,000 users, ``minitwit seed``).

Seeds two databases (SQLite files, or two databases on a throwaway PostgreSQL with
``--postgres``), serves each with ``minitwit serve`` (its default server, 2 workers) and
prints the p50 of ``GET /msgs?no=100``, ``GET /public``, a user's page and a logged-in
personal timeline at both sizes, with the ratio (target: within 2x, and ``/msgs?no=100``
under 20 ms). On PostgreSQL it also counts the statements the server itself timed over
20 ms while the pages were requested (``log_min_duration_statement = 20`` on the measured
databases; target: none). Results: reports/bench/scale.json (scale-postgres.json).

    python -m tests.benchmarks.bench_scale [--large 1000000] [--requests 200] [--postgres]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote, urlencode

from peewee import fn

from devtools.live import live_minitwit
from devtools.postgres import start_postgres
from devtools.simulator import SIMULATOR_AUTH
from minitwit.db import connect
from minitwit.models import Message, User

AUTH = SIMULATOR_AUTH
_DURATION = re.compile(r"duration: ([0-9.]+) ms\s+(.*)")


def slow_statements(log: Path, since: int) -> list[tuple[float, str]]:
    """(ms, statement) that PostgreSQL logged after byte ``since`` of its log, slowest first."""
    with log.open("rb") as handle:
        handle.seek(since)
        text = handle.read().decode(errors="replace")
    found = [(float(ms), statement[:300]) for ms, statement in _DURATION.findall(text)]
    return sorted(found, reverse=True)


def seed(
    folder: Path, users: int, messages: int, follows: int, database_url: str = ""
) -> dict[str, str]:
    """Seed a fresh database (SQLite in ``folder`` by default); return the environment."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'minitwit.sqlite'}",
        "SECRET_KEY": "bench",
        "MINITWIT_INSTANCE_PATH": str(folder),
    }
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "minitwit",
            "seed",
            "--users",
            str(users),
            "--messages",
            str(messages),
            "--follows",
            str(follows),
            "--seed",
            "1",
        ],
        env={**os.environ, **env},
        check=True,
        stderr=subprocess.DEVNULL,
    )
    print(f"  seeded {messages:,} messages in {time.perf_counter() - started:.1f} s", flush=True)
    return env


def busiest_user(url: str) -> str:
    """The user with the most messages (the worst case for a user's page)."""
    db = connect(url)
    with db.bind_ctx([User, Message]), db.connection_context():
        row = (
            Message.select(Message.author)
            .group_by(Message.author)
            .order_by(fn.COUNT(Message.id).desc())
            .first()
        )
        return str(User.get_by_id(row.author_id).username) if row else ""


def login_cookie(host: str, port: int, username: str) -> str:
    connection = http.client.HTTPConnection(host, port, timeout=5)
    body = urlencode({"username": username, "password": "minitwit"})
    connection.request(
        "POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    connection.close()
    return cookie


def p50_ms(host: str, port: int, path: str, headers: dict[str, str], count: int) -> float:
    """Median latency of ``count`` sequential requests (new connection each)."""
    samples = []
    for _ in range(count):
        begin = time.perf_counter()
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        samples.append(time.perf_counter() - begin)
        assert response.status == 200, (path, response.status)
    return round(1000 * statistics.median(samples), 2)


def measure(folder: Path, env: dict[str, str], count: int, user: str) -> dict[str, float]:
    """p50 of each page, served by ``minitwit serve``; ``user`` is the one whose page is read."""
    with live_minitwit(folder, env) as server:
        host, port = server.url.removeprefix("http://").split(":")
        cookie = login_cookie(host, int(port), user)
        paths = {
            "GET /msgs?no=100": ("/msgs?no=100", AUTH),
            "GET /public": ("/public", {}),
            "GET /<user>": ("/" + quote(user), {}),
            "GET / (personal)": ("/", {"Cookie": cookie}),
        }
        return {
            name: p50_ms(host, int(port), path, headers, count)
            for name, (path, headers) in paths.items()
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL")
    parser.add_argument(
        "--slow-ms", type=int, default=20, help="PostgreSQL: count statements over this (ms)"
    )
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    args.out = args.out or f"reports/bench/scale{'-postgres' if args.postgres else ''}.json"
    results = {}
    slow: dict[int, list[tuple[float, str]]] = {}
    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scale-"))
        postgres = None
        if args.postgres:
            postgres = start_postgres()
            stack.callback(postgres.stop)
        print(f"database: {'PostgreSQL' if postgres else 'SQLite'}", flush=True)
        for size in (args.small, args.large):
            folder = Path(tmp) / str(size)
            url = postgres.create_database(f"scale_{size}") if postgres else ""
            env = seed(folder, args.users, size, args.users * 5, url)
            user = busiest_user(env["DATABASE_URL"])  # the benchmark's own query: not timed
            if postgres is None:
                results[size] = measure(folder, env, args.requests, user)
                continue
            postgres.execute(
                f'ALTER DATABASE "scale_{size}" SET log_min_duration_statement = {args.slow_ms}'
            )
            since = postgres.log.stat().st_size
            results[size] = measure(folder, env, args.requests, user)
            slow[size] = slow_statements(postgres.log, since)
    print(f"{'p50 (ms)':18s} {args.small:>10,} {args.large:>10,}  ratio")
    report = {}
    for name in results[args.small]:
        small, large = results[args.small][name], results[args.large][name]
        report[name] = {"small_ms": small, "large_ms": large, "ratio": round(large / small, 2)}
        print(f"{name:18s} {small:10.2f} {large:10.2f}  {large / small:5.2f}")
    for size, durations in slow.items():
        print(f"statements over {args.slow_ms} ms at {size:,} messages: {len(durations)}")
        for ms, statement in durations[:5]:
            print(f"  {ms:8.1f} ms  {statement}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {"users": args.users, "sizes": [args.small, args.large], "p50": report}
    if slow:
        data[f"statements_over_{args.slow_ms}_ms"] = {str(size): d for size, d in slow.items()}
    out.write_text(json.dumps(data, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
