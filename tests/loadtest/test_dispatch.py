"""The coordinator hands each action to exactly one node and survives a vanished node."""

from __future__ import annotations

import time

import gevent

from loadtest.dispatch import Coordinator, LocalSource
from loadtest.generate import generate
from loadtest.integrity import ExpectedState
from loadtest.scenario import Action, parse_lines
from loadtest.schedule import Scheduler
from loadtest.simulator import LOST


def coordinator(actions: list[Action], finished: list[bool]) -> Coordinator:
    return Coordinator(
        Scheduler(actions), ExpectedState(), on_finished=lambda: finished.append(True)
    )


def test_nodes_get_disjoint_work_within_their_credit() -> None:
    actions = list(generate(800, 30, seed=1))
    finished: list[bool] = []
    coord = coordinator(actions, finished)
    inbox: dict[str, list[Action]] = {"a": [], "b": []}
    coord.attach("a", inbox["a"].extend, credit=4)
    coord.attach("b", inbox["b"].extend, credit=6)
    seen: list[int] = []
    while not finished:
        for node in ("a", "b"):
            assert len(coord.nodes[node].holding) <= coord.nodes[node].credit
            batch, inbox[node][:] = list(inbox[node]), []
            seen += [action.id for action in batch]
            coord.report(node, [(action.id, 204, None) for action in batch])
    assert sorted(seen) == [action.id for action in actions]
    assert finished == [True]
    assert coord.sent["register"] == 30


def test_actions_of_a_vanished_node_are_lost_never_resent() -> None:
    actions = list(generate(200, 10, seed=2))
    finished: list[bool] = []
    coord = coordinator(actions, finished)
    gone: list[Action] = []
    coord.attach("gone", gone.extend, credit=3)
    assert 1 <= len(gone) <= 3
    live: list[Action] = []
    coord.attach("live", live.extend, credit=5)
    assert coord.detach("gone") == len(gone)
    seen = []
    while not finished:
        batch, live[:] = list(live), []
        seen += [action.id for action in batch]
        coord.report("live", [(action.id, 204, None) for action in batch])
    lost = [action.id for action in gone]
    assert not set(lost) & set(seen)
    assert sorted(seen + lost) == [action.id for action in actions]
    assert sum(n for (_cmd, category), n in coord.errors.items() if category == LOST) == len(lost)
    coord.report("gone", [(gone[0].id, 204, None)])  # a late report changes nothing
    assert coord.scheduler.completed == len(actions)


def test_errors_are_counted_by_command_and_category() -> None:
    actions = list(generate(50, 5, seed=3))
    finished: list[bool] = []
    coord = coordinator(actions, finished)
    source = LocalSource(report=lambda outcomes: coord.report("local", outcomes))
    source.announce = None
    coord.attach("local", source.deliver, credit=8)
    while not finished:
        action = source.get(timeout=0.01)
        assert action is not None
        failed = action.command == "tweet"
        source.done(action.id, 500 if failed else 204, "unexpected status 500" if failed else None)
    tweets = sum(action.command == "tweet" for action in actions)
    assert coord.errors == {("tweet", "unexpected status 500"): tweets}


def test_speedup_paces_the_release_in_real_time() -> None:
    actions = list(
        parse_lines(
            [
                "0\t0\t0\tregister\tA\ta@x\tp",
                "1\t300\t0\ttweet\tA\tone",
                "2\t300\t0\ttweet\tA\ttwo",
            ]
        )
    )
    finished: list[bool] = []
    coord = Coordinator(
        Scheduler(actions, speedup=1.0), ExpectedState(), on_finished=lambda: finished.append(True)
    )
    arrivals: list[tuple[int, float]] = []
    start = time.monotonic()
    coord.attach(
        "n",
        lambda batch: arrivals.extend((a.id, time.monotonic() - start) for a in batch),
        credit=5,
    )
    deadline = time.monotonic() + 5
    reported = 0
    while not finished and time.monotonic() < deadline:
        gevent.sleep(0.01)
        if len(arrivals) > reported:
            coord.report("n", [(ident, 204, None) for ident, _t in arrivals[reported:]])
            reported = len(arrivals)
    assert [ident for ident, _t in arrivals] == [0, 1, 2]
    assert arrivals[1][1] >= 0.29 and arrivals[2][1] >= 0.59
    assert finished == [True]
