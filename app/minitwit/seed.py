"""Synthetic, realistic, deterministic data for benchmarks and demos (``minitwit seed``)."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from peewee import Database, Field

from .models import Follower, Message, User
from .passwords import hash_password

FIRST = [
    "Roger",
    "Geoffrey",
    "Wendell",
    "Nathan",
    "Quintin",
    "Mellie",
    "Malcolm",
    "Octavio",
    "Johnnie",
    "Jacqualine",
    "Luanna",
    "Shaunda",
    "Lowell",
    "Roderick",
    "Kym",
    "Sherril",
    "Blair",
    "Rhea",
    "Ayako",
    "Georgie",
    "Ada",
    "Linus",
    "Grace",
    "Alan",
    "Barbara",
    "Ken",
    "Margaret",
    "Dennis",
    "Frances",
    "Edsger",
    "Radia",
    "Tim",
    "Hedy",
    "Niklaus",
    "Leslie",
    "Donald",
    "Sophie",
    "Guido",
]
LAST = [
    "Histand",
    "Stieff",
    "Ballan",
    "Sirmon",
    "Sitts",
    "Yost",
    "Janski",
    "Wagganer",
    "Calixto",
    "Gilcoine",
    "Muro",
    "Loewe",
    "Caneer",
    "Tauscher",
    "Yarnell",
    "Tazewell",
    "Reasoner",
    "Pollan",
    "Yestramski",
    "Mathey",
    "Lovelace",
    "Torvalds",
    "Hopper",
    "Turing",
    "Liskov",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "Wirth",
    "Lamport",
    "Knuth",
]
WORDS = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "that",
    "it",
    "was",
    "he",
    "for",
    "on",
    "are",
    "as",
    "with",
    "his",
    "they",
    "at",
    "be",
    "this",
    "from",
    "I",
    "have",
    "or",
    "by",
    "one",
    "had",
    "not",
    "but",
    "what",
    "all",
    "were",
    "when",
    "we",
    "there",
    "can",
    "an",
    "your",
    "which",
    "their",
    "said",
    "if",
    "do",
    "will",
    "each",
    "about",
    "how",
    "up",
    "out",
    "them",
    "then",
    "she",
    "many",
    "some",
    "so",
    "these",
    "would",
    "other",
    "into",
    "has",
    "more",
    "her",
    "two",
    "like",
    "him",
    "see",
    "time",
    "could",
    "no",
    "make",
    "than",
    "first",
    "been",
    "its",
    "who",
    "now",
    "people",
    "my",
    "made",
    "over",
    "did",
    "down",
    "only",
    "way",
    "find",
    "use",
    "may",
    "water",
    "long",
    "little",
    "very",
    "after",
    "words",
    "called",
    "just",
    "where",
    "most",
    "know",
    "sea",
    "ship",
    "whale",
    "white",
    "face",
    "hour",
    "yesterday",
    "saw",
    "morning",
    "night",
    "captain",
    "deck",
    "ocean",
    "wind",
    "voyage",
]
EPOCH = 1_582_246_860  # the course simulator's first recorded action (2020-02-21)
SPAN_SECONDS = 365 * 24 * 3600
BATCH = 4000

Progress = Callable[[str], None]


class SeedError(Exception):
    """Seeding cannot start; the message says why."""


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    """Cumulative weights of a Zipf-like distribution over ``count`` ranks."""
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


def usernames(count: int, rng: random.Random) -> Iterator[str]:
    """Distinct, realistic names like the simulator's ("First Last", then numbered)."""
    pairs = [f"{first} {last}" for first in FIRST for last in LAST]
    rng.shuffle(pairs)
    for index in range(count):
        base = pairs[index % len(pairs)]
        yield base if index < len(pairs) else f"{base} {index // len(pairs) + 1}"


def message_rows(
    user_ids: Sequence[int], count: int, rng: random.Random
) -> Iterator[tuple[int, str, int, int]]:
    """(author, text, pub_date, flagged) with skewed authors and increasing timestamps."""
    authors = rng.choices(user_ids, cum_weights=zipf_weights(len(user_ids)), k=count)
    step = SPAN_SECONDS / max(count, 1)
    for index, author in enumerate(authors):
        text = " ".join(rng.choices(WORDS, k=rng.randint(4, 18))).capitalize() + "."
        yield author, text, EPOCH + int(index * step), 0


def follow_rows(user_ids: Sequence[int], count: int, rng: random.Random) -> list[tuple[int, int]]:
    """``count`` distinct (who, whom) pairs; popular users attract more followers."""
    possible = len(user_ids) * (len(user_ids) - 1)
    if count > possible:
        raise SeedError(f"{len(user_ids)} users allow at most {possible} follows, not {count}")
    weights = zipf_weights(len(user_ids))
    pairs: dict[tuple[int, int], None] = {}
    while len(pairs) < count:
        missing = count - len(pairs)
        whoms = rng.choices(user_ids, cum_weights=weights, k=missing)
        for who, whom in zip(rng.choices(user_ids, k=missing), whoms, strict=True):
            if who != whom:
                pairs.setdefault((who, whom))
    return list(pairs)


def insert_batches(
    database: Database,
    fields: list[Field],
    rows: Iterable[tuple[Any, ...]],
    total: int,
    label: str,
    progress: Progress,
) -> None:
    """Bulk-insert rows in batches inside one transaction, reporting progress."""
    started = time.monotonic()
    done = 0
    model = fields[0].model
    iterator = iter(rows)
    with database.atomic():
        while batch := list(itertools.islice(iterator, BATCH)):
            model.insert_many(batch, fields=fields).execute()
            done += len(batch)
            if done == total or done % (BATCH * 25) == 0:
                rate = done / max(time.monotonic() - started, 1e-9)
                progress(f"{label}: {done:,}/{total:,} ({100 * done // total}%, {rate:,.0f}/s)")


def seed_database(
    database: Database,
    users: int,
    messages: int,
    follows: int,
    seed: int,
    password: str,
    progress: Progress = print,
) -> None:
    """Fill an empty database with users, messages and follows; the same seed, the same data."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    with database.bind_ctx([User, Message, Follower]), database.connection_context():
        if User.select().exists():
            raise SeedError("the database already has users; seed a fresh database")
        pw_hash = hash_password(password)
        names = usernames(users, rng)
        user_rows = (
            (name, name.replace(" ", ".").lower() + "@example.org", pw_hash) for name in names
        )
        insert_batches(
            database, [User.username, User.email, User.pw_hash], user_rows, users, "users", progress
        )
        ids = [user.id for user in User.select(User.id).order_by(User.id)]
        if follows:
            pairs = follow_rows(ids, follows, rng)
            insert_batches(
                database, [Follower.who, Follower.whom], pairs, follows, "follows", progress
            )
        if messages:
            fields: list[Field[Any]] = [
                Message.author,
                Message.text,
                Message.pub_date,
                Message.flagged,
            ]
            insert_batches(
                database, fields, message_rows(ids, messages, rng), messages, "messages", progress
            )
