"""The simulator's hot statements, written out as SQL: the one place below peewee's builder.

Why: peewee builds a query's SQL anew on every execution. Measured with
``python -m tests.benchmarks.bench_statements`` (SQLite, 2-core VM, 2026-12-03, during
this change): 70-140 us per statement through the builder, 4-28 us written out; a simulator
tweet saves about 300 us and a follow about 430 us, in requests whose median is 0.9 ms
(``tests.benchmarks.bench_sequential``). Everything else stays plain peewee.

Each statement is valid on SQLite and PostgreSQL alike; ``{p}`` marks a parameter and
becomes the database's own placeholder (``?`` or ``%s``). Table and column names are the
original schema's (see models.py); tests/test_sql.py runs every statement on both databases.
"""

from __future__ import annotations

from typing import Any

from peewee import Database, DatabaseProxy, Model

USER_COLUMNS = ("id", "username", "email", "pw_hash")
"""The User fields that ``USER_BY_NAME`` and ``USER_BY_ID`` select, in order."""
USER_BY_NAME = 'SELECT "user_id", "username", "email", "pw_hash" FROM "user" WHERE "username" = {p}'
USER_BY_ID = 'SELECT "user_id", "username", "email", "pw_hash" FROM "user" WHERE "user_id" = {p}'
POST_MESSAGE = (
    'INSERT INTO "message" ("author_id", "text", "pub_date", "flagged") '
    'VALUES ({p}, {p}, {p}, 0) RETURNING "message_id"'
)
FOLLOW = 'INSERT INTO "follower" ("who_id", "whom_id") VALUES ({p}, {p}) ON CONFLICT DO NOTHING'
UNFOLLOW = 'DELETE FROM "follower" WHERE "who_id" = {p} AND "whom_id" = {p}'
STORE_LATEST = (
    'INSERT INTO "latest" ("id", "value") VALUES (1, {p}) '
    'ON CONFLICT ("id") DO UPDATE SET "value" = "excluded"."value"'
)
READ_LATEST = 'SELECT "value" FROM "latest" WHERE "id" = 1'


def run(model: type[Model], statement: str, *params: object) -> Any:
    """Run ``statement`` on the database ``model`` is bound to; return the driver's cursor."""
    bound = model._meta.database  # the proxy's target, or another database under bind_ctx
    database: Database = bound.obj if isinstance(bound, DatabaseProxy) else bound
    return database.execute_sql(statement.format(p=database.param), params)  # type: ignore[no-untyped-call]
