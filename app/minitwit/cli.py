"""The ``minitwit`` command: serve | migrate | seed | unlock."""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from peewee import Database

from . import config, migrations
from .db import connect
from .server import DEFAULT_SERVER, SERVERS, SLOW_BODY_SLOTS, run


@click.group()
def main() -> None:
    """MiniTwit: configure with DATABASE_URL, SECRET_KEY, SIMULATOR_USERNAME/_PASSWORD."""


def _database() -> tuple[Database, dict[str, Any]]:
    """The configured database (not yet connected) and the settings it came from."""
    try:
        settings = config.from_environ(os.environ)
    except ValueError as exc:  # a setting with a bad value: say which, no traceback
        raise click.ClickException(f"configuration: {exc}") from exc
    return connect(settings["DATABASE_URL"], settings["DB_POOL_SIZE"]), settings


def _migrate() -> None:
    database, settings = _database()
    shown = config.redacted(settings)["DATABASE_URL"]
    try:
        applied = migrations.upgrade(database, report=lambda line: click.echo(line, err=True))
    except migrations.MigrationError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        database.close()
    if applied:
        click.echo(f"{shown}: schema upgraded to version {applied[-1]}", err=True)
    else:
        click.echo(f"{shown}: schema is up to date (version {migrations.LATEST_VERSION})", err=True)


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema in place."""
    _migrate()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--server",
    type=click.Choice(SERVERS),
    default=DEFAULT_SERVER,
    show_default=True,
    help="HTTP server (docs/servers.md compares them).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    help="Python threads per worker (granian, gthread); default: granian 1, gthread 4.",
)
@click.option(
    "--slow-body-slots",
    type=click.IntRange(0, 1024),
    default=SLOW_BODY_SLOTS,
    show_default=True,
    help="granian: requests per worker that may wait for a slowly sent body without holding up "
    "the others; 0 behind a proxy that buffers bodies (nginx), for more throughput.",
)
def serve(
    host: str, port: int, workers: int, server: str, threads: int | None, slow_body_slots: int
) -> None:
    """Migrate, then serve MiniTwit until SIGTERM or SIGINT."""
    if server == "gunicorn" and threads not in {None, 1}:
        raise click.BadParameter(
            "gunicorn's sync workers run one thread each",
            param_hint="--threads; use --server gthread",
        )
    _migrate()
    sys.exit(run(server, host, port, workers, threads, slow_body_slots))


@main.command()
@click.option("--users", default=1000, show_default=True, type=click.IntRange(1))
@click.option("--messages", default=10_000, show_default=True, type=click.IntRange(0))
@click.option("--follows", default=5000, show_default=True, type=click.IntRange(0))
@click.option("--seed", "seed_value", default=0, show_default=True, help="Random seed.")
@click.option(
    "--password", default="minitwit", show_default=True, help="Password of every seeded user."
)
def seed(users: int, messages: int, follows: int, seed_value: int, password: str) -> None:
    """Fill an empty database with synthetic users, messages and follows."""
    from .seed import SeedError, seed_database

    _migrate()
    database, _settings = _database()
    try:
        seed_database(
            database,
            users,
            messages,
            follows,
            seed_value,
            password,
            progress=lambda line: click.echo(line, err=True),
        )
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        database.close()


@main.command()
@click.option("--user", "usernames", multiple=True, help="A username whose sign-ins to unlock.")
@click.option(
    "--address", "addresses", multiple=True, help="A client address to unlock (sign-ins, sign-ups)."
)
@click.option("--all", "everything", is_flag=True, help="Forget every throttle count.")
def unlock(usernames: tuple[str, ...], addresses: tuple[str, ...], everything: bool) -> None:
    """Clear the sign-in throttle of users or addresses (docs/account-security.md)."""
    from .models import Throttle
    from .throttle import clear

    if not (usernames or addresses or everything):
        raise click.UsageError("name at least one --user or --address, or give --all")
    database, settings = _database()
    try:
        with database.bind_ctx([Throttle]), database.connection_context():
            if everything:
                cleared = int(Throttle.delete().execute())
            else:
                cleared = clear(settings["SECRET_KEY"], usernames, addresses)
    finally:
        database.close()
    click.echo(f"cleared {cleared} throttle entries", err=True)
