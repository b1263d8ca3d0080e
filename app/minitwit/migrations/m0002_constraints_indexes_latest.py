"""unique usernames and follows, timeline indexes, the shared latest value"""

from __future__ import annotations

from peewee import BigIntegerField, Database, IntegerField, Model, fn
from playhouse.migrate import SchemaMigrator, migrate

from .errors import MigrationError
from .m0001_initial import Follower, Message, User


class Latest(Model):
    id = IntegerField(primary_key=True)
    value = BigIntegerField()

    class Meta:
        table_name = "latest"


def upgrade(db: Database) -> None:
    """Deduplicate follows, add unique and timeline indexes, create ``latest``."""
    with db.bind_ctx([User, Follower, Message, Latest]):
        _refuse_duplicate_usernames()
        _deduplicate_follows()
        Message.update(flagged=0).where(Message.flagged.is_null()).execute()
        migrator = SchemaMigrator.from_database(db)
        migrate(
            migrator.add_index("user", ("username",), unique=True),
            migrator.add_index("follower", ("who_id", "whom_id"), unique=True),
            migrator.add_index("message", ("flagged", "pub_date", "message_id")),
            migrator.add_index("message", ("author_id", "flagged", "pub_date", "message_id")),
        )
        db.create_tables([Latest], safe=True)


def _refuse_duplicate_usernames() -> None:
    names = (
        User.select(User.username)
        .group_by(User.username)
        .having(fn.COUNT(User.user_id) > 1)
        .limit(10)
    )
    duplicates = [row.username for row in names]
    if duplicates:
        raise MigrationError(
            "cannot make usernames unique: these names belong to several users, "
            f"rename all but one of each first: {duplicates}"
        )


def _deduplicate_follows() -> None:
    """Keep one row per (who, whom) pair; the duplicates carry no information."""
    pairs = (
        Follower.select(Follower.who_id, Follower.whom_id)
        .group_by(Follower.who_id, Follower.whom_id)
        .having(fn.COUNT(Follower.who_id) > 1)
    )
    for pair in list(pairs):
        same = (Follower.who_id == pair.who_id) & (Follower.whom_id == pair.whom_id)
        Follower.delete().where(same).execute()
        Follower.insert(who_id=pair.who_id, whom_id=pair.whom_id).execute()
