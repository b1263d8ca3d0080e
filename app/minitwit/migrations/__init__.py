"""Versioned schema migrations, applied in order and recorded in ``schema_version``.

Version 1 is the original MiniTwit schema, so a database made by the original
application is recognised (it has a ``user`` table but no ``schema_version``) and
upgraded in place.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from peewee import Database, IntegerField, Model

from . import m0001_initial, m0002_constraints_indexes_latest, m0003_throttle
from .errors import MigrationError

STEPS: tuple[ModuleType, ...] = (
    m0001_initial,
    m0002_constraints_indexes_latest,
    m0003_throttle,
)
LATEST_VERSION = len(STEPS)

__all__ = ["LATEST_VERSION", "MigrationError", "current_version", "upgrade"]


class SchemaVersion(Model):
    version = IntegerField()

    class Meta:
        table_name = "schema_version"
        primary_key = False


def current_version(db: Database) -> int:
    """The schema version of ``db``: 0 when empty, 1 for an original MiniTwit database."""
    tables = set(db.get_tables())
    if "schema_version" not in tables:
        return 1 if "user" in tables else 0
    with db.bind_ctx([SchemaVersion]):
        row = SchemaVersion.select(SchemaVersion.version).first()
    return 0 if row is None else row.version


def upgrade(
    db: Database, target: int = LATEST_VERSION, report: Callable[[str], None] = lambda _: None
) -> list[int]:
    """Apply every missing step up to ``target``; return the versions applied."""
    applied = []
    with db.connection_context(), db.bind_ctx([SchemaVersion]):
        version = current_version(db)
        for number, step in enumerate(STEPS[version:target], start=version + 1):
            report(f"migrating to version {number}: {step.__doc__}")
            with db.atomic():
                step.upgrade(db)
                _record(db, number)
            applied.append(number)
    return applied


def _record(db: Database, version: int) -> None:
    db.create_tables([SchemaVersion], safe=True)
    SchemaVersion.delete().execute()
    SchemaVersion.insert(version=version).execute()
