"""Every setting MiniTwit reads from the environment, read once, here."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret

DEFAULTS: dict[str, Any] = {
    "SIMULATOR_USERNAME": "simulator",
    # The course's simulator sends this pair; deployments override it through the environment.
    "SIMULATOR_PASSWORD": "super_safe!",
    "TRUST_PROXY": False,
    "DB_POOL_SIZE": 8,
    # Bounds on every wait for the database; past them a request answers 503 (docs/failures.md).
    "DB_CONNECT_TIMEOUT": 2,
    "DB_STATEMENT_TIMEOUT": 5.0,
    # Telemetry (see minitwit.telemetry): metrics, JSON logs, optional shipping to Loki.
    "TELEMETRY_ENABLED": True,
    "METRICS_TOKEN": "",
    "LOKI_URL": "",
    "LOG_LEVEL": "INFO",
    # auto: readable lines on a terminal, JSON otherwise; json or text to choose.
    "LOG_FORMAT": "auto",
    "APP_ENV": "development",
    # Set by `minitwit serve` for its workers (prometheus_client's PROMETHEUS_MULTIPROC_DIR).
    "METRICS_MULTIPROC_DIR": "",
    # identicon: generated locally; gravatar: images from www.gravatar.com, as the original.
    "AVATARS": "identicon",
    # Throttling of the web login and sign-up forms (minitwit.throttle; docs/account-security.md).
    # The simulator API is never throttled.
    "LOGIN_FAILURES_PER_ACCOUNT": 10,
    "LOGIN_FAILURES_PER_ADDRESS": 50,
    "WEB_REGISTRATIONS_PER_ADDRESS": 20,
    # Seconds failures are counted over, and how long a key stays locked once over its limit.
    "THROTTLE_WINDOW": 900.0,
}
"""Every setting's default; ``from_environ`` reads each one's variable over it."""

AVATAR_SOURCES = ("gravatar", "identicon")
_ON, _OFF = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})


def instance_path(environ: Mapping[str, str]) -> str:
    """Where the embedded database and the generated secret live (default ./instance)."""
    return os.path.abspath(environ.get("MINITWIT_INSTANCE_PATH") or "instance")


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Build the Flask configuration mapping from environment variables over ``DEFAULTS``."""
    folder = instance_path(environ)
    Path(folder).mkdir(parents=True, exist_ok=True)

    def text(name: str, variable: str | None = None) -> str:
        value = environ.get(variable or name)
        return str(DEFAULTS[name]) if value is None else value

    return DEFAULTS | {
        "DATABASE_URL": environ.get("DATABASE_URL") or sqlite_url(folder),
        "SECRET_KEY": environ.get("SECRET_KEY") or instance_secret_key(folder),
        "SIMULATOR_USERNAME": text("SIMULATOR_USERNAME"),
        "SIMULATOR_PASSWORD": text("SIMULATOR_PASSWORD"),
        "TRUST_PROXY": flag("TRUST_PROXY", environ),
        "DB_POOL_SIZE": int(text("DB_POOL_SIZE")),
        "DB_CONNECT_TIMEOUT": round(seconds("DB_CONNECT_TIMEOUT", environ, low=2)),
        "DB_STATEMENT_TIMEOUT": seconds("DB_STATEMENT_TIMEOUT", environ, low=0.001),
        "TELEMETRY_ENABLED": flag("TELEMETRY_ENABLED", environ),
        "METRICS_TOKEN": text("METRICS_TOKEN"),
        "LOKI_URL": text("LOKI_URL"),
        "LOG_LEVEL": log_level(text("LOG_LEVEL")),
        "LOG_FORMAT": log_format(text("LOG_FORMAT")),
        "APP_ENV": text("APP_ENV"),
        "METRICS_MULTIPROC_DIR": text("METRICS_MULTIPROC_DIR", "PROMETHEUS_MULTIPROC_DIR"),
        "AVATARS": avatar_source(text("AVATARS")),
        "LOGIN_FAILURES_PER_ACCOUNT": count("LOGIN_FAILURES_PER_ACCOUNT", environ),
        "LOGIN_FAILURES_PER_ADDRESS": count("LOGIN_FAILURES_PER_ADDRESS", environ),
        "WEB_REGISTRATIONS_PER_ADDRESS": count("WEB_REGISTRATIONS_PER_ADDRESS", environ),
        "THROTTLE_WINDOW": seconds("THROTTLE_WINDOW", environ, low=1, high=86400),
    }


def flag(name: str, environ: Mapping[str, str]) -> bool:
    """An on/off setting: 1/true/yes/on or 0/false/no/off; unset or empty keeps the default."""
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return bool(DEFAULTS[name])
    if raw not in _ON | _OFF:
        raise ValueError(f"{name} must be one of 1, true, yes, on, 0, false, no, off, not {raw!r}")
    return raw in _ON


def avatar_source(value: str) -> str:
    """Validate the AVATARS setting (``gravatar`` or ``identicon``)."""
    source = value.strip().lower() or "identicon"
    if source not in AVATAR_SOURCES:
        raise ValueError(f"AVATARS must be one of {', '.join(AVATAR_SOURCES)}, not {value!r}")
    return source


def count(name: str, environ: Mapping[str, str]) -> int:
    """A limit setting: a whole number from 1 to 1,000,000."""
    raw = environ.get(name, "").strip()
    if not raw:
        return int(DEFAULTS[name])
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise ValueError(f"{name} must be a whole number from 1 to 1000000, not {raw!r}")
    return int(raw)


def seconds(name: str, environ: Mapping[str, str], low: float, high: float = 3600) -> float:
    """A duration setting in seconds (a positive number, from ``low`` to ``high``)."""
    raw = environ.get(name, "").strip()
    if not raw:
        return float(DEFAULTS[name])
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} seconds, not {raw!r}")
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("auto", "json", "text")


def log_format(value: str) -> str:
    """Validate the LOG_FORMAT setting (``auto``, ``json`` or ``text``)."""
    chosen = value.strip().lower() or str(DEFAULTS["LOG_FORMAT"])
    if chosen not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {value!r}")
    return chosen


def log_level(value: str) -> str:
    """Validate the LOG_LEVEL setting (a standard logging level name)."""
    level = value.strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ValueError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return level


def metrics_multiproc_dir(environ: Mapping[str, str]) -> str:
    """Where gunicorn workers share metric files (PROMETHEUS_MULTIPROC_DIR, else the instance)."""
    chosen = environ.get("PROMETHEUS_MULTIPROC_DIR") or str(
        Path(instance_path(environ)) / "prometheus-multiproc"
    )
    return os.path.abspath(chosen)


def sqlite_url(instance_path: str) -> str:
    """The embedded default: a SQLite file in the instance folder."""
    return "sqlite:///" + str(Path(instance_path) / "minitwit.sqlite")


def instance_secret_key(instance_path: str) -> str:
    """Return the instance's random secret key, creating it once (atomically) on first use."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{SECRET_KEY_FILE}.{os.getpid()}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # fails if another process won the race: keep theirs
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def redacted(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the settings that is safe to log: secrets and passwords masked."""
    hidden = {"SECRET_KEY", "SIMULATOR_PASSWORD", "METRICS_TOKEN"}
    shown = {key: ("***" if key in hidden else value) for key, value in config.items()}
    for key in ("DATABASE_URL", "LOKI_URL"):
        url = str(shown.get(key, ""))
        if "@" in url and "://" in url:
            scheme, rest = url.split("://", 1)
            shown[key] = f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return shown
