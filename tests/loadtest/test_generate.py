"""The scenario generator: the course's format and mix, deterministic, streaming."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from collections import Counter
from pathlib import Path

from loadtest.generate import generate, write_generated
from loadtest.scenario import REGISTER, UNFOLLOW, read_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_same_seed_same_file_other_seed_other_file(tmp_path: Path) -> None:
    first = write_generated(tmp_path / "a.csv", 3000, 60, seed=5).read_bytes()
    again = write_generated(tmp_path / "b.csv", 3000, 60, seed=5).read_bytes()
    other = write_generated(tmp_path / "c.csv", 3000, 60, seed=6).read_bytes()
    assert first == again
    assert first != other


def test_generated_file_parses_with_the_course_reader(tmp_path: Path) -> None:
    path = write_generated(tmp_path / "s.csv", 2000, 40, seed=1)
    actions = list(read_scenario(path))
    assert [action.id for action in actions] == list(range(2000))
    assert actions == list(generate(2000, 40, seed=1))


def test_every_user_is_registered_before_anyone_names_them() -> None:
    registered: set[str] = set()
    for action in generate(5000, 80, seed=3):
        if action.command == REGISTER:
            assert action.username not in registered
            registered.add(action.username)
        else:
            assert set(action.named_users) <= registered
            assert action.target != action.username
    assert len(registered) == 80


def test_mix_matches_the_course_scenario() -> None:
    actions = list(generate(25_922, 200, seed=0))
    commands = Counter(action.command for action in actions)
    assert commands["register"] == 200
    # Course: 11,306 tweets, 9,751 follows, 4,665 unfollows.
    assert abs(commands["tweet"] - 11_306) < 800
    assert abs(commands["follow"] - 9_751) < 800
    assert abs(commands["unfollow"] - 4_665) < 800
    per_user = Counter(action.username for action in actions)
    busiest, quietest = max(per_user.values()), min(per_user.values())
    assert busiest > 4 * len(actions) / len(per_user) > quietest  # skewed activity
    assert max(a.id for a in actions if a.command == REGISTER) < 0.4 * len(actions)


def test_unfollows_mostly_target_followed_users() -> None:
    follows: set[tuple[str, str]] = set()
    hits = total = 0
    for action in generate(10_000, 100, seed=2):
        if action.command == "follow":
            assert (action.username, action.target) not in follows
            follows.add((action.username, action.target))  # type: ignore[arg-type]
        elif action.command == UNFOLLOW:
            total += 1
            hits += (action.username, action.target) in follows
            follows.discard((action.username, action.target))  # type: ignore[arg-type]
    assert 0.6 < hits / total < 0.9


def test_memory_does_not_grow_with_the_number_of_actions() -> None:
    def peak(actions: int) -> int:
        tracemalloc.start()
        for _action in generate(actions, 50, seed=4):
            pass
        peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak_bytes

    small, large = peak(2_000), peak(12_000)
    assert large < 2 * small + 200_000


def test_command_line_writes_the_requested_file(tmp_path: Path) -> None:
    out = tmp_path / "gen.csv"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "loadtest.generate",
            "--actions",
            "120",
            "--users",
            "9",
            "--seed",
            "11",
            "-o",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    actions = list(read_scenario(out))
    assert len(actions) == 120
    assert sum(action.command == REGISTER for action in actions) == 9


def test_command_line_rejects_nonsense() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "loadtest.generate", "--users", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--users" in done.stderr
