"""Versioned migrations upgrade an existing database in place without data loss."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database, IntegrityError

from minitwit import migrations
from minitwit.db import connect
from minitwit.models import MODELS, Follower, Latest, Message, User

# The original MiniTwit's schema.sql, as deployed databases still have it.
ORIGINAL_SCHEMA = [
    'create table "user" (user_id {pk}, username varchar(255) not null, '
    "email varchar(255) not null, pw_hash varchar(255) not null)",
    "create table follower (who_id integer, whom_id integer)",
    "create table message (message_id {pk}, author_id integer not null, text text not null, "
    "pub_date integer, flagged integer)",
]
_names = itertools.count()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A brand-new, empty database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database(
            f"migration_{next(_names)}"
        )
    db = connect(url)
    db.connect()
    yield db
    db.close()


def primary_key(db: Database) -> str:
    return (
        "serial primary key"
        if "postgres" in type(db).__name__.lower()
        else ("integer primary key autoincrement")
    )


def make_original(db: Database) -> None:
    for statement in ORIGINAL_SCHEMA:
        db.execute_sql(statement.format(pk=primary_key(db)))


def fill_version_one(db: Database) -> None:
    with db.bind_ctx(MODELS):
        alice = User.insert(username="alice", email="a@x", pw_hash="h").execute()
        bob = User.insert(username="bob", email="b@x", pw_hash="h").execute()
        for _ in range(3):  # the original never prevented duplicate follows
            Follower.insert(who=alice, whom=bob).execute()
        Message.insert(author=alice, text="kept", pub_date=100, flagged=0).execute()
        Message.insert(author=bob, text="legacy null flag", pub_date=200, flagged=None).execute()


def test_empty_database_migrates_to_latest(empty_db: Database) -> None:
    assert migrations.current_version(empty_db) == 0
    assert migrations.upgrade(empty_db) == [1, 2, 3]
    assert migrations.current_version(empty_db) == migrations.LATEST_VERSION
    assert migrations.upgrade(empty_db) == []


def test_original_minitwit_database_is_recognised_and_upgraded(empty_db: Database) -> None:
    make_original(empty_db)
    fill_version_one(empty_db)
    assert migrations.current_version(empty_db) == 1
    assert migrations.upgrade(empty_db) == [2, 3]
    with empty_db.bind_ctx(MODELS):
        assert [u.username for u in User.select().order_by(User.id)] == ["alice", "bob"]
        assert Follower.select().count() == 1
        texts = {m.text for m in Message.select().where(Message.flagged == 0)}
        assert texts == {"kept", "legacy null flag"}
        assert Latest.current() == -1


def test_upgrade_from_first_version_keeps_data_and_adds_constraints(empty_db: Database) -> None:
    migrations.upgrade(empty_db, target=1)
    fill_version_one(empty_db)
    migrations.upgrade(empty_db)
    with empty_db.bind_ctx(MODELS):
        assert User.select().count() == 2
        assert Message.select().count() == 2
        with pytest.raises(IntegrityError), empty_db.atomic():
            User.insert(username="alice", email="again@x", pw_hash="h").execute()
        with pytest.raises(IntegrityError), empty_db.atomic():
            Follower.insert(who=1, whom=2).execute()


def test_duplicate_usernames_stop_the_migration_with_names(empty_db: Database) -> None:
    migrations.upgrade(empty_db, target=1)
    with empty_db.bind_ctx(MODELS):
        User.insert(username="twin", email="1@x", pw_hash="h").execute()
        User.insert(username="twin", email="2@x", pw_hash="h").execute()
    with pytest.raises(migrations.MigrationError, match="twin"):
        migrations.upgrade(empty_db)
    assert migrations.current_version(empty_db) == 1
    with empty_db.bind_ctx(MODELS):
        assert User.select().count() == 2
