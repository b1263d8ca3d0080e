"""Drill 7: races on one row, on SQLite and PostgreSQL: one winner, no 5xx."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from devtools.simulator import SIMULATOR_AUTH
from faults.client import exchange, post_json
from faults.drill import Context, DrillResult, Skip, drill
from faults.servers import bare_server, postgres

TAKEN = "The username is already taken"
TIMEOUT = 30.0  # correctness, not speed: every racer must get its answer


def _at_once(count: int, send: Callable[[int], tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Run ``send(i)`` in ``count`` threads released together by a barrier."""
    barrier, answers = threading.Barrier(count), [(0, None)] * count

    def racer(index: int) -> None:
        barrier.wait()
        answers[index] = send(index)

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 5)
    return answers


def _race(url: str, label: str, racers: int, result: DrillResult) -> dict[str, Any]:
    name = f"racer {label}"
    body = {"username": name, "email": "racer@example.org", "pwd": "pw"}
    registered = _at_once(racers, lambda _i: post_json(url, "/register", body, {}, TIMEOUT))
    codes = Counter(status for status, _ in registered)
    taken = sum(1 for s, b in registered if s == 400 and (b or {}).get("error_msg") == TAKEN)
    result.check(f"{label}: same username at once: one 204", codes[204] == 1, dict(codes), "1x204")
    result.check(f"{label}: the others get 400 '{TAKEN}'", taken == racers - 1, taken, racers - 1)
    other = f"target {label}"
    post_json(url, "/register", {**body, "username": other}, {}, TIMEOUT)
    path = f"/fllws/{quote(name)}"
    rounds: dict[str, Counter[int]] = {}
    for kind in ("follow", "unfollow", "mixed"):

        def move(i: int, kind: str = kind) -> tuple[int, Any]:
            verb = kind if kind != "mixed" else ("follow", "unfollow")[i % 2]
            return post_json(url, path, {verb: other}, SIMULATOR_AUTH, TIMEOUT)

        rounds[kind] = Counter(status for status, _ in _at_once(racers, move))
        status, raw, _error = exchange(url, "GET", path + "?no=100", TIMEOUT, None, SIMULATOR_AUTH)
        listed = raw.decode().count(f'"{other}"') if status == 200 else -1
        expected = {"follow": (1,), "unfollow": (0,), "mixed": (0, 1)}[kind]
        result.check(
            f"{label}: {kind} x{racers} at once: all 204",
            set(rounds[kind]) == {204},
            dict(rounds[kind]),
            "all 204",
        )
        result.check(
            f"{label}: after {kind}: listed {expected} time(s)",
            listed in expected,
            listed,
            expected,
        )
    return {"register": dict(codes), **{k: dict(v) for k, v in rounds.items()}}


@drill("races", "Races on one row (same username, one follow pair) on SQLite and PostgreSQL")
def races(context: Context) -> DrillResult:
    """Many requests on one row at once, on both databases: one winner, no 5xx."""
    result = DrillResult("races", "Races on one row, SQLite and PostgreSQL")
    racers = 8 if context.quick else 24
    workers = 4
    result.injected = f"{racers} simultaneous requests on one row, {workers} workers"
    folder = context.workdir / "races"
    with bare_server(folder / "sqlite", workers=workers) as server:
        context.say(result.name, f"SQLite: {racers} racers")
        result.details["sqlite"] = _race(server.url, "sqlite", racers, result)
    try:
        with (
            postgres() as database,
            bare_server(
                folder / "postgres",
                {"DATABASE_URL": database.create_database("races")},
                workers=workers,
            ) as server,
        ):
            context.say(result.name, f"PostgreSQL: {racers} racers")
            result.details["postgres"] = _race(server.url, "postgres", racers, result)
    except Skip as reason:
        result.verdict.gap(f"PostgreSQL not raced: {reason}")
    held = sum(check.passed for check in result.verdict.checks)
    result.failed_requests = sum(
        n
        for d in result.details.values()
        for r in d.values()
        for s, n in r.items()
        if s >= 500 or s == 0
    )
    result.effect = f"{held} of {len(result.verdict.checks)} race checks held"
    return result
