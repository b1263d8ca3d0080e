"""Throttling of failed web logins and of web sign-ups, shared by every worker and replica.

The rule: within ``THROTTLE_WINDOW`` seconds a submitted username may fail to log in
``LOGIN_FAILURES_PER_ACCOUNT`` times and a client address ``LOGIN_FAILURES_PER_ADDRESS``
times; the failure that reaches a limit locks that key for ``THROTTLE_WINDOW`` seconds, and
while it is locked every login touching it is refused before any password is checked, right
or wrong, for an existing user or not. An address may sign up ``WEB_REGISTRATIONS_PER_ADDRESS``
users through the web form per window. The simulator API never comes here.

State lives in the application's own database, table ``throttle``, so every worker and
replica sees the same counts (docs/account-security.md says why not Flask-Limiter). Keys are
HMACs of (kind, value) under ``SECRET_KEY``: 64 characters whatever the username, and no
attempted name or address is stored. Rows expire; a sweep now and then deletes expired ones
and keeps the table under ``ROW_CAP`` rows.

A successful login costs one primary-key read; failures cost one upsert per key. When the
table cannot be read or written, this process keeps counting in memory and lets a key fail
at most ``FALLBACK_ALLOWANCE`` times per window before refusing it (closed for logins,
open for sign-ups), with a log line.
"""

from __future__ import annotations

import hmac
import ipaddress
import itertools
import math
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app
from peewee import PeeweeException
from playhouse.pool import MaxConnectionsExceeded

from .db import discard_connection
from .models import MAX_THROTTLE_ROWS, Throttle

KINDS = ("account", "address", "registrations")
ROW_CAP = MAX_THROTTLE_ROWS
"""Rows the sweep keeps at most (the oldest unlocked ones go first)."""
SWEEP_EVERY = 100
"""A process sweeps expired rows after every this many strikes it writes."""
FALLBACK_ALLOWANCE = 3
"""Failures per key and window a process allows on its own while the table is unavailable."""
STORE_ERRORS = (PeeweeException, sqlite3.Error, MaxConnectionsExceeded)

clock: Callable[[], float] = time.time
"""Seconds since the epoch; tests move it forward instead of sleeping."""
_strikes = itertools.count(1)


@dataclass(frozen=True)
class Key:
    """One throttled thing: its HMAC, its kind and the hits it may have per window."""

    key: str
    kind: str
    limit: int


@dataclass(frozen=True)
class Gate:
    """What the throttle said about a login or sign-up before it was tried."""

    keys: tuple[Key, ...]
    retry_after: int = 0
    """Seconds until it may be tried again; 0 when it may be tried now."""
    reason: str | None = None
    """Why it is refused: a kind of key, or ``store_unavailable``."""
    known: frozenset[str] = frozenset()
    """The keys that have a row (a successful login deletes its account's)."""
    degraded: bool = False
    """The table could not be read: this process counts in memory."""


class _Fallback:
    """Per-process failure counts while the table is unavailable (bounded, then reset)."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self.hits: dict[str, tuple[int, float]] = {}

    def retry_after(self, key: str, window: float, now: float) -> float:
        hits, since = self.hits.get(key, (0, now))
        return since + window - now if hits >= FALLBACK_ALLOWANCE and since + window > now else 0

    def strike(self, key: str, window: float, now: float) -> None:
        if len(self.hits) >= self.LIMIT:
            self.hits.clear()
        hits, since = self.hits.get(key, (0, now))
        self.hits[key] = (1, now) if since + window <= now else (hits + 1, since)


def _fallback() -> _Fallback:
    """This application's in-memory counts (one per app and process)."""
    found: _Fallback = current_app.extensions.setdefault("minitwit.throttle", _Fallback())
    return found


def digest(secret: str, kind: str, value: str) -> str:
    """The stored key of ``value``: an HMAC-SHA256 under ``secret``, 64 hex characters."""
    message = f"{kind}\0{value}".encode("utf-8", "replace")
    return hmac.new(secret.encode(), message, "sha256").hexdigest()


def address_of(remote: str) -> str:
    """The address to count: IPv6 by its /64 (one host usually owns a whole /64)."""
    try:
        ip = ipaddress.ip_address(remote)
    except ValueError:
        return remote[:64]
    if ip.version == 6:
        mapped = ip.ipv4_mapped
        if mapped is not None:
            return str(mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def login_keys(secret: str, username: str, address: str) -> tuple[Key, ...]:
    """The account and address keys a login attempt counts against."""
    settings = current_app.config
    return (
        Key(digest(secret, "account", username), "account", settings["LOGIN_FAILURES_PER_ACCOUNT"]),
        Key(digest(secret, "address", address_of(address)), "address",
            settings["LOGIN_FAILURES_PER_ADDRESS"]),
    )  # fmt: skip


def _gate(keys: tuple[Key, ...], fail_closed: bool) -> Gate:
    """Read the keys' locks; when the table is unavailable, the in-memory counts decide."""
    window, now = current_app.config["THROTTLE_WINDOW"], clock()
    try:
        locks = Throttle.locks(key.key for key in keys)
    except STORE_ERRORS as exc:
        _unavailable("read", exc)
        if not fail_closed:
            return Gate(keys, degraded=True)
        waits = [(_fallback().retry_after(key.key, window, now), key) for key in keys]
        wait = max(waits, key=lambda pair: pair[0])[0]
        reason = "store_unavailable" if wait > 0 else None
        return Gate(keys, math.ceil(wait), reason, degraded=True)
    refused = [(until, key.kind) for key in keys if (until := locks.get(key.key, 0.0)) > now]
    if refused:
        until, kind = max(refused)
        return Gate(keys, max(1, math.ceil(until - now)), kind, frozenset(locks))
    return Gate(keys, known=frozenset(locks))


def login_gate(username: str, address: str) -> Gate:
    """Whether a login as ``username`` from ``address`` may be tried now."""
    return _gate(login_keys(current_app.config["SECRET_KEY"], username, address), True)


def registration_gate(address: str) -> Gate:
    """Whether ``address`` may sign up another user through the web form now."""
    secret, limit = (
        current_app.config["SECRET_KEY"],
        current_app.config["WEB_REGISTRATIONS_PER_ADDRESS"],
    )
    key = Key(digest(secret, "registrations", address_of(address)), "registrations", limit)
    return _gate((key,), False)


def strike(gate: Gate) -> None:
    """Count a failed login (or a sign-up) against each of the gate's keys."""
    window, now = current_app.config["THROTTLE_WINDOW"], clock()
    if not gate.degraded:
        try:
            for key in gate.keys:
                Throttle.strike(key.key, key.kind, key.limit, window, now)
            if next(_strikes) % SWEEP_EVERY == 0:
                Throttle.sweep(now, ROW_CAP)
            return
        except STORE_ERRORS as exc:
            _unavailable("write", exc)
    for key in gate.keys:
        _fallback().strike(key.key, window, now)


def login_succeeded(gate: Gate) -> None:
    """A successful login clears its account's failures (not its address's)."""
    account = gate.keys[0].key
    if account in gate.known:
        try:
            Throttle.forget([account])
        except STORE_ERRORS as exc:
            _unavailable("write", exc)


def clear(secret: str, usernames: Iterable[str] = (), addresses: Iterable[str] = ()) -> int:
    """Delete the throttle rows of these usernames and addresses; return how many there were."""
    keys = [digest(secret, "account", name) for name in usernames]
    for address in addresses:
        keys += [digest(secret, kind, address_of(address)) for kind in KINDS[1:]]
    return Throttle.forget(keys) if keys else 0


def _unavailable(what: str, exc: BaseException) -> None:
    """Log that the table could not be used, and leave no broken connection behind."""
    discard_connection()
    current_app.logger.warning(
        "throttle store unavailable",
        extra={"operation": what, "error": (str(exc).strip().splitlines() or ["?"])[0][:200]},
    )
