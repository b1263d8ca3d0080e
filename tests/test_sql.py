"""The hot statements written out in minitwit/sql.py behave like the model queries they replace.

Runs on SQLite and PostgreSQL (the ``app`` fixture's parametrisation).
"""

from __future__ import annotations

from flask import Flask

from minitwit.models import Follower, Latest, Message, User


def test_users_are_found_by_name_and_by_id_alike(app: Flask) -> None:
    with app.app_context():
        created = User.create_account("ann", "ann@x", "pw")
        by_name, by_id = User.by_name("ann"), User.by_id(created.id)
        assert by_name is not None and by_id is not None
        assert (by_name.id, by_name.username, by_name.email) == (created.id, "ann", "ann@x")
        assert by_id.pw_hash == by_name.pw_hash == created.pw_hash
        assert User.by_name("Ann") is None and User.by_id(created.id + 1) is None
        assert User.by_name("a\x00b") is None  # never sent: PostgreSQL refuses NUL in text


def test_following_twice_keeps_one_row_and_unfollowing_removes_it(app: Flask) -> None:
    with app.app_context():
        ann, bob = User.create_account("ann", "a@x", "pw"), User.create_account("bob", "b@x", "pw")
        ann.follow(bob)
        ann.follow(bob)
        assert Follower.select().count() == 1 and ann.is_following(bob)
        ann.unfollow(bob)
        ann.unfollow(bob)
        assert Follower.select().count() == 0


def test_posting_returns_the_new_message_id(app: Flask) -> None:
    with app.app_context():
        ann = User.create_account("ann", "a@x", "pw")
        first, second = Message.post(ann, "one", 100), Message.post(ann, "two")
        assert second > first
        assert Message.get_by_id(first).text == "one" and Message.get_by_id(first).pub_date == 100


def test_latest_is_one_row_holding_the_last_value(app: Flask) -> None:
    with app.app_context():
        assert Latest.current() == -1
        Latest.store(5)
        Latest.store(2**63 - 1)
        assert Latest.current() == 2**63 - 1
        assert Latest.select().count() == 1
