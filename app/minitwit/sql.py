"""The simulator's hot statements, written out as SQL: the one place below peewee's builder.

Why: peewee builds a query's SQL anew on every execution, 70-110 us per statement here,
and a simulator action runs two to four of them (store ``latest``, look users up, write)
in a request whose median is under 1 ms. Written out, a statement costs 4-26 us; the
figures and the command that measures them are in docs/benchmarks.md ("Hot statements").

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
