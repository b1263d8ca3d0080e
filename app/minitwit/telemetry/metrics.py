"""The Prometheus metrics MiniTwit exports; labels are bounded (never names, ids or text).

Import this module only after ``PROMETHEUS_MULTIPROC_DIR`` is settled: prometheus_client
picks single- or multi-process storage when the first metric is built.
"""

from __future__ import annotations

import platform
from importlib import metadata

from prometheus_client import Counter, Gauge, Histogram

from .. import commands
from ..commands import TIMEOUT
from ..errors import UNAVAILABLE_REASONS

# The simulator gives every request TIMEOUT (0.3 s): buckets are dense around that edge.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.3, 0.35, 0.5, 1.0, 2.5, 5.0)
DB_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)

UNMATCHED_ROUTE = "unmatched"
SIMULATOR_ERROR_REASONS = ("timeout", "status")
SURFACES = ("api", "web")
DROP_REASONS = ("queue_full", "push_failed")
AUTH_EVENTS = (
    "login_succeeded",
    "login_failed",
    "login_throttled",
    "registration_throttled",
    "registered",
    "logged_out",
)

HTTP_REQUESTS = Counter(
    "minitwit_http_requests", "HTTP requests answered.", ["method", "route", "status"]
)
HTTP_DURATION = Histogram(
    "minitwit_http_request_duration_seconds",
    "Time from the first to the last request hook, by route template.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
SIMULATOR_REQUESTS = Counter(
    "minitwit_simulator_requests",
    "Simulator API requests by command and status class (2xx, 4xx, 5xx).",
    ["command", "code_class"],
)
SIMULATOR_DURATION = Histogram(
    "minitwit_simulator_request_duration_seconds",
    "Simulator API request latency by command.",
    ["command"],
    buckets=LATENCY_BUCKETS,
)
SIMULATOR_ERRORS = Counter(
    "minitwit_simulator_errors",
    f"Requests the simulator would count as errors: slower than {TIMEOUT:g} s, or an unexpected "
    "status.",
    ["command", "reason"],
)
REGISTRATIONS = Counter("minitwit_registrations", "Users registered.", ["surface"])
MESSAGES = Counter("minitwit_messages_posted", "Messages recorded.", ["surface"])
FOLLOWS = Counter("minitwit_follows", "Follow actions accepted.", ["surface"])
UNFOLLOWS = Counter("minitwit_unfollows", "Unfollow actions accepted.", ["surface"])
LATEST = Gauge(
    "minitwit_latest",
    "The last `latest` value a simulator request carried.",
    multiprocess_mode="mostrecent",
)
DB_DURATION = Histogram(
    "minitwit_db_query_duration_seconds",
    "Database statement latency by statement kind.",
    ["statement"],
    buckets=DB_BUCKETS,
)
BUILD_INFO = Gauge(
    "minitwit_build_info",
    "Always 1; the labels say which build is running.",
    ["version", "python"],
    multiprocess_mode="max",
)
LOG_LINES_DROPPED = Counter(
    "minitwit_log_lines_dropped",
    "Log lines that never reached Loki (queue full, or the push failed).",
    ["reason"],
)
LOKI_PUSH_FAILURES = Counter("minitwit_loki_push_failures", "Failed pushes of a batch to Loki.")
DATABASE_UNAVAILABLE = Counter(
    "minitwit_database_unavailable",
    "Requests answered 503 because the database was unavailable, by reason (errors.py).",
    ["reason"],
)
AUTH = Counter(
    "minitwit_auth_events",
    "Sign-ins, failed sign-ins, throttled attempts, registrations and sign-outs, by event.",
    ["event"],
)

STATEMENTS = ("select", "insert", "update", "delete")


def statement_kind(sql: str) -> str:
    """The first SQL keyword, folded to a small fixed set."""
    head = sql.lstrip()[:6].lower()
    return head if head in STATEMENTS else "other"


def initialise() -> None:
    """Create the label sets dashboards and alerts rely on, so they exist before traffic."""
    BUILD_INFO.labels(version=_version(), python=platform.python_version()).set(1)
    for command in (command.name for command in commands.COMMANDS):
        SIMULATOR_DURATION.labels(command)
        for reason in SIMULATOR_ERROR_REASONS:
            SIMULATOR_ERRORS.labels(command, reason)
    for surface in SURFACES:
        for counter in (REGISTRATIONS, MESSAGES, FOLLOWS, UNFOLLOWS):
            counter.labels(surface)
    for reason in DROP_REASONS:
        LOG_LINES_DROPPED.labels(reason)
    for reason in UNAVAILABLE_REASONS:
        DATABASE_UNAVAILABLE.labels(reason)
    for event in AUTH_EVENTS:
        AUTH.labels(event)


def _version() -> str:
    try:
        return metadata.version("minitwit")
    except metadata.PackageNotFoundError:
        return "unknown"
