"""Deep timeline pages: keyset cursor ("older than") versus OFFSET, on a seeded SQLite database.

Seeds ``--messages`` messages (default 1,000,000; 10,000 users), then times the query
behind page N of the public timeline, the busiest user's page and a personal timeline,
both ways, and prints the median milliseconds and the OFFSET/keyset ratio per depth.

    python -m tests.benchmarks.bench_pagination [--messages 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from peewee import fn

from minitwit import migrations
from minitwit.db import connect
from minitwit.models import Follower, Message, User
from minitwit.seed import seed_database

PER_PAGE = 30
DEPTHS = (1, 10, 100, 1000, 10_000)


def median_ms(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``run`` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def compare(label: str, query: Callable[..., object], size: int, repeat: int) -> None:
    """Print OFFSET vs keyset timings for each reachable depth of one timeline."""
    print(f"\n{label} ({size:,} messages)")
    print(f"  {'page':>7} {'OFFSET ms':>10} {'keyset ms':>10} {'ratio':>7}")
    for depth in DEPTHS:
        offset = (depth - 1) * PER_PAGE
        if offset >= size:
            break
        last = list(query(limit=1, offset=offset - 1)) if offset else []
        cursor = last[0].cursor if last else None
        by_offset = median_ms(lambda o=offset: list(query(limit=PER_PAGE, offset=o)), repeat)
        by_keyset = median_ms(lambda c=cursor: list(query(limit=PER_PAGE, before=c)), repeat)
        same = [m.id for m in query(limit=PER_PAGE, offset=offset)] == [
            m.id for m in query(limit=PER_PAGE, before=cursor)
        ]
        ratio = by_offset / by_keyset if by_keyset else float("inf")
        flag = "" if same else "  MISMATCH"
        print(f"  {depth:>7,} {by_offset:>10.2f} {by_keyset:>10.2f} {ratio:>6.1f}x{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = connect(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        migrations.upgrade(db)
        started = time.perf_counter()
        seed_database(
            db, args.users, args.messages, args.users * 5, 1, "pw", progress=lambda _: None
        )
        print(f"seeded {args.messages:,} messages in {time.perf_counter() - started:.0f} s")
        with db.bind_ctx([User, Message, Follower]), db.connection_context():
            compare("public timeline", Message.public, args.messages, args.repeat)
            counts = fn.COUNT(Message.id)
            busiest = (
                Message.select(Message.author, counts.alias("n"))
                .group_by(Message.author)
                .order_by(counts.desc())
                .first()
            )
            author = User.get_by_id(busiest.author_id)
            compare(
                f"user page of {author.username}",
                lambda **page: Message.by_author(author, **page),
                busiest.n,
                args.repeat,
            )
            reader = (
                User.select()
                .join(Follower, on=Follower.who == User.id)
                .group_by(User.id)
                .order_by(fn.COUNT(Follower.whom).desc())
                .first()
            )
            size = Message.timeline_of(reader, limit=10**9).count()
            compare(
                f"personal timeline of {reader.username}",
                lambda **page: Message.timeline_of(reader, **page),
                size,
                args.repeat,
            )
        db.close()


if __name__ == "__main__":
    main()
