"""The database handle: one proxy, initialised by the app factory from DATABASE_URL."""

from __future__ import annotations

from typing import Any

from flask import Flask
from peewee import Database, DatabaseProxy
from playhouse import db_url
from playhouse.pool import PooledDatabase

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "busy_timeout": 5000,
    "foreign_keys": 1,
}


def connect(url: str, pool_size: int = 8) -> Database:
    """Open (lazily) the database that ``url`` names: SQLite with WAL, or pooled PostgreSQL."""
    options: dict[str, Any] = {}
    scheme = url.split("://", 1)[0]
    if scheme == "sqlite":
        options["pragmas"] = SQLITE_PRAGMAS
    elif scheme in {"postgres", "postgresql"}:
        url = f"{scheme}+pool://" + url.split("://", 1)[1]
    if scheme.startswith("postgres"):
        options.update(max_connections=pool_size, stale_timeout=300, timeout=10)
    db: Database = db_url.connect(url, **options)
    return db


def init_app(app: Flask) -> None:
    """Bind the proxy to the configured database; connect per request, release pooled ones."""
    database.initialize(connect(app.config["DATABASE_URL"], app.config.get("DB_POOL_SIZE", 8)))

    @app.before_request
    def _open_connection() -> None:
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _release_connection(_exc: BaseException | None) -> None:
        # A pooled connection goes back to its pool. A SQLite connection stays open for the
        # worker's next request: closing the last connection to a WAL database checkpoints
        # and syncs the file, which cost about 20 ms per request.
        if isinstance(database.obj, PooledDatabase) and not database.is_closed():
            database.close()


def is_ready() -> bool:
    """Whether the database answers a trivial query."""
    try:
        database.execute_sql("SELECT 1").fetchone()
    except Exception:  # any driver error means "not ready"
        return False
    return True
