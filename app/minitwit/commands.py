"""The course simulator's commands: one table for the API, metrics, logs, OpenAPI and load tester.

An API view declares its command with ``api.simulator_command(name)``; telemetry labels
metrics and log lines with the name and judges the answer by ``expected`` and ``TIMEOUT``;
``tests/test_openapi.py`` checks each row against ``openapi.json``; ``loadtest/simulator.py``
takes its expected statuses and timeout from here. Standard library only: the load tester's
image copies this one file (loadtest/Dockerfile).
"""

from __future__ import annotations

from dataclasses import dataclass

TIMEOUT = 0.3
"""Seconds the simulator waits for an answer; a slower one is an error (metrics, dashboards)."""


@dataclass(frozen=True)
class Command:
    """One simulator command: the route that serves it and the statuses the simulator accepts."""

    name: str
    method: str
    route: str  # the Flask URL rule
    expected: frozenset[int] = frozenset({200})


COMMANDS = (
    Command("latest", "GET", "/latest"),
    Command("register", "POST", "/register", frozenset({204, 400})),
    Command("tweet", "POST", "/msgs/<username>", frozenset({204})),
    Command("follow", "POST", "/fllws/<username>", frozenset({204})),
    Command("unfollow", "POST", "/fllws/<username>", frozenset({204})),
    Command("msgs", "GET", "/msgs"),
    Command("msgs_user", "GET", "/msgs/<username>"),
    Command("fllws_user", "GET", "/fllws/<username>"),
)
BY_NAME = {command.name: command for command in COMMANDS}
