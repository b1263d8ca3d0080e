"""The replay's command line options (also settable in locust.conf)."""

from __future__ import annotations

import os
from typing import Any

from .simulator import DEFAULT_PASSWORD, DEFAULT_TIMEOUT, DEFAULT_USERNAME


def add_arguments(parser: Any) -> None:
    """The replay's command line options (also settable in locust.conf)."""
    group = parser.add_argument_group("MiniTwit replay")
    group.add_argument(
        "--scenario",
        default=os.environ.get("MINITWIT_SCENARIO", ""),
        help="scenario file in the course's format (env MINITWIT_SCENARIO); "
        "default: a generated scenario",
    )
    group.add_argument(
        "--generate-actions", type=int, default=2000, help="size of the generated default scenario"
    )
    group.add_argument("--generate-users", type=int, default=50)
    group.add_argument("--generate-seed", type=int, default=0)
    group.add_argument(
        "--speedup",
        type=float,
        default=0.0,
        help="recorded delays are divided by this; 0 = as fast as possible",
    )
    group.add_argument(
        "--request-timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds before a request counts as a timeout (simulator: 0.3)",
    )
    group.add_argument(
        "--keep-alive",
        action="store_true",
        default=False,
        help="do not send 'Connection: close' (the simulator does)",
    )
    group.add_argument("--sim-username", default=DEFAULT_USERNAME)
    group.add_argument("--sim-password", default=DEFAULT_PASSWORD)
    group.add_argument("--slo-max-errors", type=int, default=0)
    group.add_argument("--slo-max-failure-ratio", type=float, default=0.0)
    group.add_argument("--slo-p95-ms", type=float, default=300.0)
    group.add_argument(
        "--allow-partial",
        action="store_true",
        default=False,
        help="a replay stopped before its end (e.g. by --run-time) may pass",
    )
    group.add_argument(
        "--no-integrity",
        action="store_true",
        default=False,
        help="skip the check of the server's state after the replay",
    )
    group.add_argument(
        "--integrity-keep",
        type=int,
        default=1000,
        help="newest messages per user compared by the integrity check",
    )
    group.add_argument(
        "--report-dir",
        default="reports/load",
        help="where summary.json and the PNG plots go ('' = none)",
    )
    group.add_argument(
        "--replay-window",
        type=int,
        default=20_000,
        help="actions read ahead of the oldest unfinished one",
    )
