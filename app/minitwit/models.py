"""The MiniTwit data model and the queries that belong to it.

Table and column names are those of the original MiniTwit schema, so an original
database file upgrades in place (see ``migrations``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, cast

from peewee import (
    AutoField,
    BigIntegerField,
    Case,
    CharField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    Model,
    ModelSelect,
    TextField,
    Tuple,
)

from . import sql
from .db import database
from .passwords import hash_password, needs_rehash, verify_password
from .text import is_storable

MAX_THROTTLE_ROWS = 100_000
"""Throttle.sweep deletes the oldest unlocked rows past this many."""
Cursor = tuple[int, int]
"""A position in a timeline: the (pub_date, message_id) of the last message shown."""


class UsernameTaken(Exception):
    """Raised when a registration loses the race for a username."""


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class User(BaseModel):
    """A registered person (or simulated user)."""

    id = AutoField(column_name="user_id")
    username = CharField(unique=True)
    email = CharField()
    pw_hash = CharField()

    class Meta:
        table_name = "user"

    @classmethod
    def by_name(cls, username: str) -> User | None:
        """The user with this exact username, or None."""
        if not is_storable(username):
            return None
        return cls._one(sql.USER_BY_NAME, username)

    @classmethod
    def by_id(cls, user_id: int) -> User | None:
        """The user with this id, or None."""
        return cls._one(sql.USER_BY_ID, user_id)

    @classmethod
    def _one(cls, statement: str, key: object) -> User | None:
        row = sql.run(cls, statement, key).fetchone()
        return None if row is None else cls(**dict(zip(sql.USER_COLUMNS, row, strict=True)))

    @classmethod
    def create_account(cls, username: str, email: str, password: str) -> User:
        """Create a user; raise UsernameTaken when the name exists (also under a race)."""
        try:
            with database.atomic():
                return cls.create(username=username, email=email, pw_hash=hash_password(password))
        except IntegrityError as exc:
            raise UsernameTaken(username) from exc

    def check_password(self, password: str) -> bool:
        """Verify a password, upgrading a legacy or outdated hash on success."""
        if not verify_password(self.pw_hash, password):
            return False
        if needs_rehash(self.pw_hash):
            self.pw_hash = hash_password(password)
            self.save(only=[User.pw_hash])
        return True

    def follow(self, other: User) -> None:
        """Follow another user; following twice changes nothing."""
        sql.run(Follower, sql.FOLLOW, self.id, other.id)

    def unfollow(self, other: User) -> None:
        """Stop following a user; unfollowing a stranger changes nothing."""
        sql.run(Follower, sql.UNFOLLOW, self.id, other.id)

    def is_following(self, other: User) -> bool:
        """Whether this user follows ``other``."""
        query = Follower.select().where((Follower.who == self) & (Follower.whom == other))
        return bool(query.exists())

    def followed_names(self, limit: int) -> list[str]:
        """Usernames this user follows, at most ``limit``."""
        query = (
            User.select(User.username)
            .join(Follower, on=Follower.whom == User.id)
            .where(Follower.who == self)
            .order_by(Follower.whom)
            .limit(limit)
        )
        return [user.username for user in query]


class Message(BaseModel):
    """A message ("tweet"); flagged messages are never shown."""

    id = AutoField(column_name="message_id")
    author = ForeignKeyField(User, column_name="author_id", backref="messages")
    text = TextField()
    pub_date = IntegerField()
    flagged = IntegerField(default=0)

    @classmethod
    def post(cls, author: User, text: str, pub_date: int | None = None) -> int:
        """Record a message by ``author`` now (or at ``pub_date``); return its id."""
        when = int(time.time()) if pub_date is None else pub_date
        (message_id,) = sql.run(cls, sql.POST_MESSAGE, author.id, text, when).fetchall()[0]
        return int(message_id)

    @classmethod
    def _visible(cls) -> ModelSelect[Message]:
        """Unflagged messages joined with their author, newest first."""
        return (
            cls.select(cls, User)
            .join(User)
            .where(cls.flagged == 0)
            .order_by(cls.pub_date.desc(), cls.id.desc())
        )

    @classmethod
    def _page(
        cls, query: ModelSelect[Message], limit: int, offset: int, before: Cursor | None
    ) -> ModelSelect[Message]:
        """One page of ``query``: keyset ("older than ``before``") stays cheap deep in history."""
        if before is not None:
            query = query.where(Tuple(cls.pub_date, cls.id) < Tuple(*before))
        return query.limit(limit).offset(offset)

    @classmethod
    def public(
        cls, limit: int, offset: int = 0, before: Cursor | None = None
    ) -> ModelSelect[Message]:
        """Everyone's messages, newest first (older than the ``before`` cursor if given)."""
        return cls._page(cls._visible(), limit, offset, before)

    @classmethod
    def by_author(
        cls, author: User, limit: int, offset: int = 0, before: Cursor | None = None
    ) -> ModelSelect[Message]:
        """One user's messages, newest first."""
        return cls._page(cls._visible().where(cls.author == author), limit, offset, before)

    @classmethod
    def timeline_of(
        cls, user: User, limit: int, offset: int = 0, before: Cursor | None = None
    ) -> ModelSelect[Message]:
        """A user's own messages and those of the users they follow, newest first."""
        followed = Follower.select(Follower.whom).where(Follower.who == user)
        authors = (cls.author == user) | (cls.author.in_(followed))
        return cls._page(cls._visible().where(authors), limit, offset, before)

    @property
    def cursor(self) -> Cursor:
        """This message's place in the newest-first order: (pub_date, id)."""
        return (self.pub_date, self.id)

    @staticmethod
    def as_api(query: ModelSelect[Message]) -> list[dict[str, Any]]:
        """The simulator API's shape of the messages a query selects (no model objects built)."""
        selected = query.select(Message.text, Message.pub_date, User.username).tuples()
        rows = cast("Iterable[tuple[str, int, str]]", selected)  # .tuples() yields plain tuples
        return [{"content": text, "pub_date": date, "user": user} for text, date, user in rows]


class Follower(BaseModel):
    """Who follows whom; the (who, whom) pair is unique."""

    who = ForeignKeyField(User, column_name="who_id", backref="following_rows")
    whom = ForeignKeyField(User, column_name="whom_id", backref="follower_rows")

    class Meta:
        primary_key = False
        indexes = ((("who", "whom"), True),)


class Latest(BaseModel):
    """The last ``latest`` value a simulator sent: one row, shared by all workers."""

    id = IntegerField(primary_key=True)  # always 1 (sql.STORE_LATEST)
    value = BigIntegerField()

    @classmethod
    def store(cls, value: int) -> None:
        """Remember ``value`` as the latest processed simulator action."""
        sql.run(cls, sql.STORE_LATEST, value)

    @classmethod
    def current(cls) -> int:
        """The stored value, or -1 when nothing was stored yet."""
        row = sql.run(cls, sql.READ_LATEST).fetchone()
        return -1 if row is None else int(row[0])


class Throttle(BaseModel):
    """Hits of one key (an account, an address) in its current window, and its lock."""

    key = CharField(max_length=64, primary_key=True)
    kind = CharField(max_length=16)
    hits = IntegerField()
    window_start = DoubleField()
    locked_until = DoubleField()
    expires = DoubleField(index=True)

    class Meta:
        table_name = "throttle"

    @classmethod
    def locks(cls, keys: Iterable[str]) -> dict[str, float]:
        """The keys that have a row, with the time each is locked until (past when unlocked)."""
        query = cls.select(cls.key, cls.locked_until).where(cls.key.in_(list(keys))).tuples()
        return dict(query)  # type: ignore[arg-type]

    @classmethod
    def strike(cls, key: str, kind: str, limit: int, window: float, now: float) -> None:
        """Count one hit of ``key``; the hit that reaches ``limit`` locks it for ``window`` s.

        One statement, so concurrent workers and replicas never lose a hit.
        """
        expired = cls.window_start <= now - window
        first_lock = now + window if limit <= 1 else 0.0
        locked = Case(
            None, [(expired, first_lock), (cls.hits + 1 >= limit, now + window)], cls.locked_until
        )
        row = {
            "key": key, "kind": kind, "hits": 1, "window_start": now,
            "locked_until": first_lock, "expires": now + window,
        }  # fmt: skip
        update = {
            cls.hits: Case(None, [(expired, 1)], cls.hits + 1),
            cls.window_start: Case(None, [(expired, now)], cls.window_start),
            cls.locked_until: locked,
            cls.expires: now + window,
        }
        cls.insert(row).on_conflict(conflict_target=[cls.key], update=update).execute()

    @classmethod
    def forget(cls, keys: Iterable[str]) -> int:
        """Delete these keys' rows; return how many there were."""
        return int(cls.delete().where(cls.key.in_(list(keys))).execute())

    @classmethod
    def sweep(cls, now: float, cap: int = MAX_THROTTLE_ROWS) -> int:
        """Delete expired rows, then the oldest unlocked ones past ``cap``; return how many."""
        gone = int(cls.delete().where(cls.expires < now).execute())
        excess = cls.select().count() - cap
        if excess > 0:
            oldest = (
                cls.select(cls.key)
                .where(cls.locked_until <= now)
                .order_by(cls.window_start)
                .limit(excess)
            )
            gone += int(cls.delete().where(cls.key.in_(oldest)).execute())
        return gone


MODELS: Iterable[type[BaseModel]] = (User, Message, Follower, Latest, Throttle)
