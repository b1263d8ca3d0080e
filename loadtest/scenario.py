"""Read and write scenarios in the course simulator's format (tab-separated, no quoting)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REGISTER, TWEET, FOLLOW, UNFOLLOW = "register", "tweet", "follow", "unfollow"
COMMANDS = (REGISTER, TWEET, FOLLOW, UNFOLLOW)
FIELDS = {REGISTER: 7, TWEET: 6, FOLLOW: 6, UNFOLLOW: 6}


class ScenarioError(ValueError):
    """A scenario line that does not follow the format."""


@dataclass(frozen=True, slots=True)
class Action:
    """One line of a scenario: ``id`` is what the simulator sends as ``latest``."""

    id: int
    delay_ms: int
    timestamp_ms: int
    command: str
    username: str
    args: tuple[str, ...]

    @property
    def target(self) -> str | None:
        """The other user a follow or unfollow names."""
        return self.args[0] if self.command in (FOLLOW, UNFOLLOW) else None

    @property
    def named_users(self) -> tuple[str, ...]:
        """Every user this action names (actor first)."""
        target = self.target
        return (self.username,) if target is None else (self.username, target)

    def as_row(self) -> tuple[object, ...]:
        """A compact tuple for messages between Locust nodes."""
        return (self.id, self.delay_ms, self.timestamp_ms, self.command, self.username, *self.args)

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> Action:
        """The inverse of :meth:`as_row`."""
        ident, delay, stamp, command, username, *args = row
        return cls(
            int(ident),
            int(delay),
            int(stamp),
            str(command),
            str(username),
            tuple(str(arg) for arg in args),
        )


def parse_line(line: str, lineno: int = 0) -> Action:
    """Parse one scenario line; a tweet's content keeps any further tabs."""
    parts = line.rstrip("\r\n").split("\t")
    if len(parts) < 5:
        raise ScenarioError(
            f"line {lineno}: expected at least 5 tab-separated fields, got {len(parts)}"
        )
    command = parts[3]
    if command not in FIELDS:
        raise ScenarioError(f"line {lineno}: unknown command {command[:40]!r}")
    expected = FIELDS[command]
    if command == TWEET and len(parts) > expected:
        parts = [*parts[:5], "\t".join(parts[5:])]
    if len(parts) != expected:
        raise ScenarioError(f"line {lineno}: {command} needs {expected} fields, got {len(parts)}")
    try:
        ident, delay, stamp = int(parts[0]), int(parts[1]), int(parts[2])
    except ValueError as exc:
        raise ScenarioError(f"line {lineno}: id, delay and timestamp must be integers") from exc
    if delay < 0:
        raise ScenarioError(f"line {lineno}: delay must not be negative")
    if not parts[4]:
        raise ScenarioError(f"line {lineno}: empty username")
    return Action(ident, delay, stamp, command, parts[4], tuple(parts[5:]))


def parse_lines(lines: Iterable[str]) -> Iterator[Action]:
    """Parse scenario lines lazily, skipping blank lines."""
    for lineno, line in enumerate(lines, start=1):
        if line.strip():
            yield parse_line(line, lineno)


def read_scenario(path: str | Path) -> Iterator[Action]:
    """Stream the actions of a scenario file (UTF-8), one line at a time."""
    with open(path, encoding="utf-8", newline="") as handle:
        yield from parse_lines(handle)


def format_action(action: Action) -> str:
    """One scenario line (with its newline) for ``action``."""
    for value in (action.username, *action.args):
        if "\t" in value or "\n" in value or "\r" in value:
            raise ScenarioError(f"action {action.id}: fields may not contain tabs or newlines")
    fields = [
        str(action.id),
        str(action.delay_ms),
        str(action.timestamp_ms),
        action.command,
        action.username,
        *action.args,
    ]
    return "\t".join(fields) + "\n"


def write_scenario(actions: Iterable[Action], out: io.TextIOBase) -> int:
    """Write actions to a text stream; return how many were written."""
    count = 0
    for action in actions:
        out.write(format_action(action))
        count += 1
    return count
