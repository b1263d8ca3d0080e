"""the original MiniTwit schema (user, follower, message)"""

from __future__ import annotations

from peewee import AutoField, CharField, Database, IntegerField, Model, TextField


class User(Model):
    user_id = AutoField()
    username = CharField()
    email = CharField()
    pw_hash = CharField()

    class Meta:
        table_name = "user"


class Follower(Model):
    who_id = IntegerField(null=True)
    whom_id = IntegerField(null=True)

    class Meta:
        table_name = "follower"
        primary_key = False


class Message(Model):
    message_id = AutoField()
    author_id = IntegerField()
    text = TextField()
    pub_date = IntegerField(null=True)
    flagged = IntegerField(null=True)

    class Meta:
        table_name = "message"


def upgrade(db: Database) -> None:
    """Create the three original tables."""
    tables = [User, Follower, Message]
    with db.bind_ctx(tables):
        db.create_tables(tables, safe=True)
