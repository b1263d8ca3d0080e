"""Configuration is read from the environment in one place, with no literal secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from minitwit import config


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    env = {"MINITWIT_INSTANCE_PATH": str(tmp_path)}
    first = config.from_environ(env)["SECRET_KEY"]
    second = config.from_environ(env)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_each_instance_gets_its_own_secret(tmp_path: Path) -> None:
    one = config.from_environ({"MINITWIT_INSTANCE_PATH": str(tmp_path / "a")})["SECRET_KEY"]
    two = config.from_environ({"MINITWIT_INSTANCE_PATH": str(tmp_path / "b")})["SECRET_KEY"]
    assert one != two


def test_environment_overrides(tmp_path: Path) -> None:
    settings = config.from_environ(
        {
            "MINITWIT_INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "s",
            "DATABASE_URL": "sqlite:///x",
            "SIMULATOR_USERNAME": "u",
            "SIMULATOR_PASSWORD": "p",
            "TRUST_PROXY": "true",
        }
    )
    assert settings["SECRET_KEY"] == "s"
    assert settings["DATABASE_URL"] == "sqlite:///x"
    assert (settings["SIMULATOR_USERNAME"], settings["SIMULATOR_PASSWORD"]) == ("u", "p")
    assert settings["TRUST_PROXY"] is True
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    settings = config.from_environ({"MINITWIT_INSTANCE_PATH": str(tmp_path)})
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'minitwit.sqlite'}"


def test_redacted_hides_secrets_and_database_password() -> None:
    shown = config.redacted(
        {
            "SECRET_KEY": "s3cret",
            "SIMULATOR_PASSWORD": "pw",
            "DATABASE_URL": "postgresql://app:hunter2@db:5432/minitwit",
        }
    )
    assert shown["SECRET_KEY"] == "***"
    assert shown["SIMULATOR_PASSWORD"] == "***"
    assert "hunter2" not in shown["DATABASE_URL"]
    assert shown["DATABASE_URL"].endswith("@db:5432/minitwit")


@pytest.mark.parametrize("name", ["TRUST_PROXY", "TELEMETRY_ENABLED"])
def test_an_on_off_setting_refuses_a_value_it_does_not_know(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        config.from_environ({"MINITWIT_INSTANCE_PATH": str(tmp_path), name: "maybe"})
    settings = config.from_environ({"MINITWIT_INSTANCE_PATH": str(tmp_path), name: "off"})
    assert settings[name] is False


def test_every_default_is_stated_once_in_defaults(tmp_path: Path) -> None:
    settings = config.from_environ({"MINITWIT_INSTANCE_PATH": str(tmp_path)})
    assert {key: settings[key] for key in config.DEFAULTS} == config.DEFAULTS


def test_throttle_limits_and_window_are_read_and_checked(tmp_path: Path) -> None:
    environ = {"MINITWIT_INSTANCE_PATH": str(tmp_path), "LOGIN_FAILURES_PER_ACCOUNT": "3"}
    settings = config.from_environ(environ | {"THROTTLE_WINDOW": "2.5"})
    assert (settings["LOGIN_FAILURES_PER_ACCOUNT"], settings["THROTTLE_WINDOW"]) == (3, 2.5)
    for name, value in (("LOGIN_FAILURES_PER_ADDRESS", "0"), ("THROTTLE_WINDOW", "0.5")):
        with pytest.raises(ValueError, match=name):
            config.from_environ(environ | {name: value})
