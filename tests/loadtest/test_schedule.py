"""The scheduler releases each action once, only after what it depends on has completed."""

from __future__ import annotations

import random

import pytest

from loadtest.generate import generate
from loadtest.scenario import REGISTER, Action, parse_lines
from loadtest.schedule import Scheduler


def scenario(*lines: str) -> list[Action]:
    return list(parse_lines(lines))


def test_dependency_order_holds_under_random_completion_order() -> None:
    actions = list(generate(3000, 60, seed=9))
    scheduler = Scheduler(actions, window=500)
    rng = random.Random(1)  # noqa: S311 - a reproducible shuffle, not a secret
    done: set[int] = set()
    released: list[int] = []
    in_flight: list[Action] = []
    last_of_user: dict[str, int] = {}
    registration: dict[str, int] = {}
    deps = {}
    for action in actions:
        wanted = {last_of_user.get(action.username)}
        wanted |= {registration.get(name) for name in action.named_users[1:]}
        deps[action.id] = wanted - {None}
        last_of_user[action.username] = action.id
        if action.command == REGISTER:
            registration[action.username] = action.id
    while not scheduler.finished:
        for action in scheduler.take(rng.randint(1, 16)):
            assert deps[action.id] <= done, action
            released.append(action.id)
            in_flight.append(action)
        assert in_flight, "nothing in flight and nothing released: deadlock"
        rng.shuffle(in_flight)
        for _ in range(rng.randint(1, len(in_flight))):
            finished = in_flight.pop()
            scheduler.complete(finished.id)
            done.add(finished.id)
        assert scheduler.in_flight == len(in_flight)
    assert sorted(released) == [action.id for action in actions]
    assert released[-1] == actions[-1].id  # the last action waits for all others


def test_independent_users_run_concurrently() -> None:
    actions = scenario(
        "0\t0\t0\tregister\tA\ta@x\tp",
        "1\t0\t0\tregister\tB\tb@x\tp",
        "2\t0\t0\ttweet\tA\thi",
        "3\t0\t0\ttweet\tB\tho",
        "4\t0\t0\ttweet\tA\tend",
    )
    scheduler = Scheduler(actions)
    assert [a.id for a in scheduler.take(10)] == [0, 1]
    scheduler.complete(0)
    assert [a.id for a in scheduler.take(10)] == [2]  # B's tweet waits for B's registration
    scheduler.complete(1)
    assert [a.id for a in scheduler.take(10)] == [3]
    scheduler.complete(3)
    assert scheduler.take(10) == []  # the last action waits for action 2
    scheduler.complete(2)
    assert [a.id for a in scheduler.take(10)] == [4]
    scheduler.complete(4)
    assert scheduler.finished


def test_follow_waits_for_the_targets_registration() -> None:
    actions = scenario(
        "0\t0\t0\tregister\tA\ta@x\tp",
        "1\t0\t0\tregister\tB\tb@x\tp",
        "2\t0\t0\tfollow\tA\tB",
        "3\t0\t0\ttweet\tC\tlast",
    )
    scheduler = Scheduler(actions)
    assert [a.id for a in scheduler.take(10)] == [0, 1]
    scheduler.complete(0)
    assert scheduler.take(10) == []
    scheduler.complete(1)
    assert [a.id for a in scheduler.take(10)] == [2]


def test_speedup_releases_actions_at_their_recorded_time() -> None:
    actions = scenario(
        "0\t0\t0\tregister\tA\ta@x\tp",
        "1\t4000\t0\tregister\tB\tb@x\tp",
        "2\t6000\t0\tregister\tC\tc@x\tp",
    )
    scheduler = Scheduler(actions, speedup=2.0)
    assert [a.id for a in scheduler.take(10, now=0.0)] == [0]
    assert scheduler.next_due() == pytest.approx(2.0)
    assert scheduler.take(10, now=1.9) == []
    assert [a.id for a in scheduler.take(10, now=2.0)] == [1]


def test_completing_an_unknown_action_is_an_error() -> None:
    scheduler = Scheduler(scenario("0\t0\t0\tregister\tA\ta@x\tp"))
    with pytest.raises(KeyError):
        scheduler.complete(5)


def test_duplicate_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Scheduler(
            scenario(
                "0\t0\t0\tregister\tA\ta@x\tp",
                "0\t0\t0\tregister\tB\tb@x\tp",
                "1\t0\t0\ttweet\tA\tx",
            )
        )


def test_empty_scenario_is_finished_at_once() -> None:
    assert Scheduler([]).finished
