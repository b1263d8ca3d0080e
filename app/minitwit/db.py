"""The database handle: one proxy, initialised by the app factory from DATABASE_URL.

Every wait on the database is bounded (see ``connect``), so an unavailable database
surfaces as an error that errors.py turns into a 503, never as a hung request.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, Response
from peewee import Database, DatabaseProxy, SqliteDatabase
from playhouse import db_url
from playhouse.pool import PooledDatabase

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "busy_timeout": 5000,
    "foreign_keys": 1,
    # Requests checkpoint the WAL after their response (see init_app); the commit that
    # crosses this many pages checkpoints only when that falls behind (e.g. `minitwit seed`).
    "wal_autocheckpoint": 4000,
}
CHECKPOINT_EVERY = 100
"""A worker checkpoints the WAL after every this many of its requests' responses."""
CONNECT_TIMEOUT = 2
"""Seconds libpq waits for a PostgreSQL server to answer a new connection (its minimum)."""
POOL_WAIT = 10.0
"""Seconds a thread waits for a free pooled connection when no statement timeout is set."""
# A server that vanishes without closing the socket is noticed within idle + interval * count.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 1,
    "keepalives_count": 3,
}


def connect(
    url: str,
    pool_size: int = 8,
    statement_timeout: float | None = None,
    connect_timeout: int = CONNECT_TIMEOUT,
) -> Database:
    """Open (lazily) the database that ``url`` names: SQLite with WAL, or pooled PostgreSQL.

    ``statement_timeout`` (seconds) bounds a PostgreSQL statement, SQLite's wait for the
    write lock and the wait for a pooled connection; the command line passes none, so a
    migration may run as long as it needs. Settings written in the URL's query win.
    """
    options: dict[str, Any] = {}
    scheme = url.split("://", 1)[0]
    if scheme == "sqlite":
        options["pragmas"] = SQLITE_PRAGMAS
        if statement_timeout is not None:
            options["pragmas"] = SQLITE_PRAGMAS | {"busy_timeout": _millis(statement_timeout)}
    elif scheme in {"postgres", "postgresql"}:
        url = f"{scheme}+pool://" + url.split("://", 1)[1]
    if scheme.startswith("postgres"):
        wait = POOL_WAIT if statement_timeout is None else statement_timeout
        options.update(max_connections=pool_size, stale_timeout=300, timeout=wait)
        options.update(KEEPALIVES, connect_timeout=max(connect_timeout, CONNECT_TIMEOUT))
        if statement_timeout is not None:
            options["options"] = f"-c statement_timeout={_millis(statement_timeout)}"
        for key, _value in parse_qsl(urlsplit(url).query):
            options.pop(key, None)
    db: Database = db_url.connect(url, **options)
    return db


def _millis(seconds: float) -> int:
    """Whole milliseconds, at least one (0 would switch a timeout off)."""
    return max(1, round(seconds * 1000))


def init_app(app: Flask) -> None:
    """Bind the proxy to the configured database; connect on first use, release pooled ones.

    Nothing connects before a request needs the database, so ``/healthz`` never touches it.
    """
    database.initialize(
        connect(
            app.config["DATABASE_URL"],
            app.config["DB_POOL_SIZE"],
            statement_timeout=app.config["DB_STATEMENT_TIMEOUT"],
            connect_timeout=app.config["DB_CONNECT_TIMEOUT"],
        )
    )

    if isinstance(database.obj, SqliteDatabase):
        served = itertools.count(1)

        @app.after_request
        def _checkpoint_later(response: Response) -> Response:
            # Copying the WAL into the database file and syncing it (milliseconds) happens
            # once the client has its answer, not inside whichever commit crosses the limit.
            if next(served) % CHECKPOINT_EVERY == 0:
                response.call_on_close(checkpoint)
            return response

    @app.teardown_request
    def _release_connection(_exc: BaseException | None) -> None:
        # A pooled connection goes back to its pool. A SQLite connection stays open for the
        # worker's next request: closing the last connection to a WAL database checkpoints
        # and syncs the file, which cost about 20 ms per request.
        if isinstance(database.obj, PooledDatabase) and not database.is_closed():
            database.close()


def checkpoint() -> None:
    """Copy what the SQLite WAL holds into the database file without waiting for anyone."""
    try:
        database.connect(reuse_if_open=True)
        database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
    except Exception:  # a busy or closed database: the next checkpoint catches up
        logging.getLogger(__name__).warning("WAL checkpoint skipped", exc_info=True)


def is_ready() -> bool:
    """Whether the database answers a trivial query."""
    try:
        database.execute_sql("SELECT 1").fetchone()
    except Exception:  # any driver error means "not ready"
        discard_connection()
        return False
    return True


def connection_broken() -> bool:
    """Whether this thread holds a connection that its driver knows to be dead."""
    if database.obj is None or database.is_closed():
        return False
    return bool(getattr(database.connection(), "closed", False))  # psycopg2: 1 or 2 when dead


def discard_connection() -> None:
    """After a database failure, leave nothing broken for this thread's next request.

    A pooled connection is closed, never handed back to the pool (a good one costs a
    reconnect, a dead one would fail the next request). SQLite keeps its connection,
    which survives a busy database, and only ends a transaction left open.
    """
    target = database.obj
    if target is None or target.is_closed():
        return
    while target.in_transaction():
        target.pop_transaction()
    try:
        if isinstance(target, PooledDatabase):
            target.manual_close()
        elif target.connection().in_transaction:
            target.connection().rollback()
    except Exception:  # the connection is gone already; the pool forgot it all the same
        logging.getLogger(__name__).debug("discarding a failed connection", exc_info=True)
