"""the throttle table: failed logins and sign-ups counted per account and per address"""

from __future__ import annotations

from peewee import CharField, Database, DoubleField, IntegerField, Model


class Throttle(Model):
    key = CharField(max_length=64, primary_key=True)
    kind = CharField(max_length=16)
    hits = IntegerField()
    window_start = DoubleField()
    locked_until = DoubleField()
    expires = DoubleField(index=True)

    class Meta:
        table_name = "throttle"


def upgrade(db: Database) -> None:
    """Create ``throttle`` (keys are HMACs, so a huge username takes 64 characters)."""
    with db.bind_ctx([Throttle]):
        db.create_tables([Throttle], safe=True)
