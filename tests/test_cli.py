"""The ``minitwit`` command line: migrate and seed (serve is covered by test_live)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from peewee import Database

from minitwit.cli import main
from minitwit.db import connect
from minitwit.models import MODELS, Follower, Message, User


def invoke(tmp_path: Path, *args: str, url: str | None = None) -> tuple[int, str]:
    env = {
        "MINITWIT_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "k",
        "DATABASE_URL": url or f"sqlite:///{tmp_path / 'cli.sqlite'}",
    }
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def snapshot(db: Database) -> tuple[list[tuple[object, ...]], ...]:
    with db.bind_ctx(MODELS), db.connection_context():
        users = list(User.select(User.username, User.email).tuples())
        messages = list(Message.select(Message.author, Message.text, Message.pub_date).tuples())
        follows = sorted(Follower.select(Follower.who, Follower.whom).tuples())
    return users, messages, follows


def test_migrate_creates_then_reports_up_to_date(tmp_path: Path) -> None:
    code, output = invoke(tmp_path, "migrate")
    assert code == 0
    assert "schema upgraded to version 3" in output
    code, output = invoke(tmp_path, "migrate")
    assert code == 0
    assert "schema is up to date (version 3)" in output


def test_seed_fills_with_progress(tmp_path: Path) -> None:
    code, output = invoke(
        tmp_path, "seed", "--users", "50", "--messages", "2000", "--follows", "300", "--seed", "1"
    )
    assert code == 0, output
    assert "messages: 2,000/2,000 (100%" in output
    users, messages, follows = snapshot(connect(f"sqlite:///{tmp_path / 'cli.sqlite'}"))
    assert (len(users), len(messages), len(follows)) == (50, 2000, 300)
    assert len(set(follows)) == 300
    assert all(who != whom for who, whom in follows)


def test_seed_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    runs = {}
    for name, seed in (("one", "7"), ("two", "7"), ("other", "8")):
        url = f"sqlite:///{tmp_path / name}.sqlite"
        assert (
            invoke(
                tmp_path,
                "seed",
                "--users",
                "20",
                "--messages",
                "300",
                "--follows",
                "40",
                "--seed",
                seed,
                url=url,
            )[0]
            == 0
        )
        runs[name] = snapshot(connect(url))
    assert runs["one"] == runs["two"]
    assert runs["one"] != runs["other"]


def test_seeded_activity_is_skewed_and_spread_in_time(tmp_path: Path) -> None:
    invoke(tmp_path, "seed", "--users", "100", "--messages", "5000", "--follows", "0")
    _users, messages, _follows = snapshot(connect(f"sqlite:///{tmp_path / 'cli.sqlite'}"))
    per_author = sorted(Counter(author for author, _text, _date in messages).values(), reverse=True)
    assert sum(per_author[:10]) > 0.4 * len(messages)  # the busiest tenth writes most
    dates = [date for _author, _text, date in messages]
    assert dates == sorted(dates)
    assert dates[-1] - dates[0] > 300 * 24 * 3600


def test_seed_refuses_a_database_with_users(tmp_path: Path) -> None:
    assert invoke(tmp_path, "seed", "--users", "3", "--messages", "0", "--follows", "0")[0] == 0
    code, output = invoke(tmp_path, "seed", "--users", "3", "--messages", "0", "--follows", "0")
    assert code == 1
    assert "already has users" in output


def test_seed_refuses_impossible_follows(tmp_path: Path) -> None:
    code, output = invoke(tmp_path, "seed", "--users", "3", "--messages", "0", "--follows", "7")
    assert code == 1
    assert "at most 6 follows" in output


@pytest.mark.postgres
def test_seed_works_on_postgres(tmp_path: Path, postgres_server: object) -> None:
    url = postgres_server.create_database("seeded")  # type: ignore[attr-defined]
    code, output = invoke(
        tmp_path, "seed", "--users", "30", "--messages", "500", "--follows", "60", url=url
    )
    assert code == 0, output
    users, messages, follows = snapshot(connect(url))
    assert (len(users), len(messages), len(follows)) == (30, 500, 60)


@pytest.mark.parametrize(
    ("variable", "value"), [("AVATARS", "pictures"), ("DB_STATEMENT_TIMEOUT", "soon")]
)
def test_a_bad_setting_is_named_without_a_traceback(
    tmp_path: Path, variable: str, value: str
) -> None:
    env = {"MINITWIT_INSTANCE_PATH": str(tmp_path / "instance"), variable: value}
    result = CliRunner().invoke(main, ["migrate"], env=env)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: configuration: {variable}")
    assert "Traceback" not in result.output


def test_unlock_clears_the_throttle_of_a_user_and_an_address(tmp_path: Path) -> None:
    from flask import Flask

    from minitwit import create_app
    from minitwit.db import database
    from minitwit.models import Throttle

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    invoke(tmp_path, "migrate")
    app: Flask = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "k"})
    client = app.test_client()
    for name in ("alice", "bob"):
        client.post("/login", data={"username": name, "password": "guess"})
    assert Throttle.select().count() == 3  # alice, bob and 127.0.0.1
    database.close()
    assert invoke(tmp_path, "unlock", "--user", "alice", "--address", "127.0.0.1") == (
        0,
        "cleared 2 throttle entries\n",
    )
    assert invoke(tmp_path, "unlock", "--all") == (0, "cleared 1 throttle entries\n")
    code, output = invoke(tmp_path, "unlock")
    assert code == 2 and "--user or --address" in output
