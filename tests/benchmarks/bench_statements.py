"""The hot statements: peewee's query builder against the SQL written out in minitwit/sql.py.

Times each statement of the simulator's hot path both ways on a fresh SQLite database
(microseconds per execution, median of ``--repeat`` rounds) and prints what the written-out
SQL saves per simulator action. The figure that justifies minitwit/sql.py.

    python -m tests.benchmarks.bench_statements [--number 3000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path

from minitwit import migrations
from minitwit.db import connect, database
from minitwit.models import Follower, Latest, Message, User

Pair = tuple[str, Callable[[], object], Callable[[], object]]


def pairs(user: User, other: User) -> list[Pair]:
    """(name, peewee's builder, written-out SQL) for each hot statement."""
    return [
        (
            "store latest",
            lambda: (
                Latest.insert(id=1, value=5)
                .on_conflict(conflict_target=[Latest.id], update={Latest.value: 5})
                .execute()
            ),
            lambda: Latest.store(5),
        ),
        (
            "user by name",
            lambda: User.get_or_none(User.username == "ann"),
            lambda: User.by_name("ann"),
        ),
        (
            "post message",
            lambda: Message.insert(author=user.id, text="hi", pub_date=1, flagged=0).execute(),
            lambda: Message.post(user, "hi", 1),
        ),
        (
            "follow",
            lambda: Follower.insert(who=user.id, whom=other.id).on_conflict_ignore().execute(),
            lambda: user.follow(other),
        ),
    ]


def micros(run: Callable[[], object], number: int, repeat: int) -> float:
    """Median microseconds per call over ``repeat`` rounds of ``number`` calls."""
    return statistics.median(
        t / number * 1e6 for t in timeit.repeat(run, number=number, repeat=repeat)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sql-") as tmp:
        handle = connect(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        migrations.upgrade(handle)
        database.initialize(handle)
        user = User.create_account("ann", "ann@x", "pw")
        other = User.create_account("bob", "bob@x", "pw")
        print(f"{'statement':14s} {'builder us':>10s} {'sql.py us':>10s}")
        saved = {}
        for name, built, written in pairs(user, other):
            slow, fast = (
                micros(built, args.number, args.repeat),
                micros(written, args.number, args.repeat),
            )
            saved[name] = slow - fast
            print(f"{name:14s} {slow:10.1f} {fast:10.1f}")
        handle.close()
    tweet = saved["store latest"] + saved["user by name"] + saved["post message"]
    follow = saved["store latest"] + 2 * saved["user by name"] + saved["follow"]
    print(f"saved per simulator tweet {tweet:.0f} us, per follow {follow:.0f} us")


if __name__ == "__main__":
    main()
